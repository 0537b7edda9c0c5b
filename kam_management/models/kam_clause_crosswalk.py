from odoo import api, fields, models
from odoo.exceptions import ValidationError

CROSSWALK_KINDS = [
    ("same", "Unchanged"),
    ("changed", "Changed"),
    ("moved", "Moved (renumbered)"),
    ("split", "Split"),
    ("merged", "Merged"),
    ("new", "New"),
    ("removed", "Removed"),
]
# kinds whose new clause asks for work in a transition (a gap to close)
GAP_KINDS = ("changed", "split", "merged", "new")


class KamClauseCrosswalk(models.Model):
    """One line of the crosswalk between two editions of a standard: a clause of
    the old edition and its counterpart in the new one (unchanged, changed,
    moved, split into several, merged), a new clause without a predecessor or an
    old clause without a successor (removed). The transition to the new edition
    re-links records along these lines."""

    _name = "kam.clause.crosswalk"
    _description = "KAM crosswalk between editions"
    _order = "new_standard_id, old_clause_id, new_clause_id"

    old_standard_id = fields.Many2one(
        "kam.standard", string="From edition", required=True, index=True, ondelete="cascade"
    )
    new_standard_id = fields.Many2one(
        "kam.standard", string="To edition", required=True, index=True, ondelete="cascade"
    )
    old_clause_id = fields.Many2one(
        "kam.standard.clause",
        string="Clause (old edition)",
        index="btree_not_null",
        ondelete="cascade",
        domain="[('standard_id', '=', old_standard_id)]",
    )
    new_clause_id = fields.Many2one(
        "kam.standard.clause",
        string="Clause (new edition)",
        index="btree_not_null",
        ondelete="cascade",
        domain="[('standard_id', '=', new_standard_id)]",
    )
    kind = fields.Selection(CROSSWALK_KINDS, required=True, default="same")
    note = fields.Char(
        string="What changed", translate=True, help="A short paraphrase, never the standard's text."
    )

    _clauses_uniq = models.UniqueIndex(
        "(COALESCE(old_clause_id, 0), COALESCE(new_clause_id, 0), new_standard_id)",
        "This crosswalk line already exists.",
    )

    @api.constrains("old_standard_id", "new_standard_id", "old_clause_id", "new_clause_id", "kind")
    def _check_clauses(self):
        for line in self:
            if line.new_standard_id.previous_id != line.old_standard_id:
                raise ValidationError(
                    self.env._(
                        "A crosswalk leads from an edition to the edition that replaces it; "
                        "%(new)s does not replace %(old)s.",
                        new=line.new_standard_id.display_name,
                        old=line.old_standard_id.display_name,
                    )
                )
            if line.old_clause_id and line.old_clause_id.standard_id != line.old_standard_id:
                raise ValidationError(
                    self.env._(
                        "Clause %(clause)s is not a clause of %(standard)s.",
                        clause=line.old_clause_id.display_name,
                        standard=line.old_standard_id.display_name,
                    )
                )
            if line.new_clause_id and line.new_clause_id.standard_id != line.new_standard_id:
                raise ValidationError(
                    self.env._(
                        "Clause %(clause)s is not a clause of %(standard)s.",
                        clause=line.new_clause_id.display_name,
                        standard=line.new_standard_id.display_name,
                    )
                )
            if line.kind == "new" and (line.old_clause_id or not line.new_clause_id):
                raise ValidationError(
                    self.env._("A new clause has a clause of the new edition and none of the old.")
                )
            if line.kind == "removed" and (line.new_clause_id or not line.old_clause_id):
                raise ValidationError(
                    self.env._(
                        "A removed clause has a clause of the old edition and none of the new."
                    )
                )
            if line.kind not in ("new", "removed") and not (
                line.old_clause_id and line.new_clause_id
            ):
                raise ValidationError(
                    self.env._(
                        "Give the clause of the old edition and its counterpart in the new one."
                    )
                )

    @api.model
    def _mapping(self, old_standard, new_standard):
        """{old clause id: [new clause ids]} of the crosswalk between two editions;
        an old clause without counterpart (removed, or not in the crosswalk at
        all) maps to an empty list."""
        lines = self.search(
            [("old_standard_id", "=", old_standard.id), ("new_standard_id", "=", new_standard.id)]
        )
        old_clauses = (
            self.env["kam.standard.clause"]
            .with_context(active_test=False)
            .search([("standard_id", "=", old_standard.id)])
        )
        mapping = {clause.id: [] for clause in old_clauses}
        for line in lines:
            if line.old_clause_id and line.new_clause_id:
                mapping[line.old_clause_id.id].append(line.new_clause_id.id)
        return mapping
