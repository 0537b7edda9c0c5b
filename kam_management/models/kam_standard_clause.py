from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamStandardClause(models.Model):
    """A clause of a standard; clauses nest (4 > 4.1 > ...)."""

    _name = "kam.standard.clause"
    _description = "KAM standard clause"
    _parent_store = True
    _order = "standard_id, sort_key"
    _rec_names_search = ["number", "name"]

    standard_id = fields.Many2one("kam.standard", required=True, index=True, ondelete="cascade")
    number = fields.Char(required=True, help="Clause number, e.g. 10.2.1.")
    name = fields.Char(string="Title", required=True, translate=True)
    description = fields.Text(translate=True)
    parent_id = fields.Many2one(
        "kam.standard.clause",
        string="Parent clause",
        index=True,
        ondelete="cascade",
        domain="[('standard_id', '=', standard_id)]",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("kam.standard.clause", "parent_id", string="Sub-clauses")
    sort_key = fields.Char(compute="_compute_sort_key", store=True, index=True)
    level = fields.Integer(compute="_compute_sort_key", store=True)
    company_id = fields.Many2one(related="standard_id.company_id", store=True, index=True)
    theme = fields.Selection(related="standard_id.theme")
    active = fields.Boolean(default=True)
    # the evidence rows show records officers may read, not every KAM user
    evidence_count = fields.Integer(
        compute="_compute_evidence_count", groups="kam_management.group_kam_officer"
    )

    _standard_number_uniq = models.Constraint(
        "UNIQUE(standard_id, number)",
        "A clause number can appear only once per standard.",
    )

    @api.depends("number")
    def _compute_sort_key(self):
        """Sort 4.1 < 4.2 < ... < 10.1 by zero-padding each number part."""
        for clause in self:
            parts = (clause.number or "").strip().split(".")
            clause.sort_key = ".".join(p.zfill(4) if p.isdigit() else p for p in parts)
            clause.level = len(parts) if clause.number else 0

    def _compute_evidence_count(self):
        counts = dict(
            self.env["kam.clause.evidence"]._read_group(
                [("clause_id", "in", self.ids)], ["clause_id"], ["__count"]
            )
        )
        for clause in self:
            clause.evidence_count = counts.get(clause, 0)

    @api.readonly
    def action_view_evidence(self):
        """The records that give evidence for this clause (cases, hazards...)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_clause_evidence_action"
        )
        action["display_name"] = self.env._("Evidence for %(clause)s", clause=self.display_name)
        action["domain"] = [("clause_id", "=", self.id)]
        return action

    @api.depends("number", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.number} {clause.name}".strip()

    @api.constrains("parent_id", "standard_id")
    def _check_parent(self):
        for clause in self:
            if clause.parent_id and clause.parent_id.standard_id != clause.standard_id:
                raise ValidationError(
                    self.env._(
                        "Clause %(clause)s and its parent clause %(parent)s must belong "
                        "to the same standard.",
                        clause=clause.display_name,
                        parent=clause.parent_id.display_name,
                    )
                )
