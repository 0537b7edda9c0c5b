from odoo import api, fields, models

from ..tools.access import KAM_USER, check_groups


class KamStandard(models.Model):
    """A management-system standard in one edition (ISO 9001:2015, ...).

    Editions are data: a new edition is a new record whose ``previous_id``
    points at the edition it replaces, so records linked to the old clauses
    keep their meaning while new work links to the new edition.
    """

    _name = "kam.standard"
    _description = "KAM standard"
    _order = "sequence, name, edition desc"

    name = fields.Char(required=True, help="Short name, e.g. ISO 9001.")
    edition = fields.Char(required=True, help="Edition or year, e.g. 2015.")
    title = fields.Char(translate=True, help="Full title of the standard.")
    theme = fields.Selection(
        [
            ("quality", "Quality"),
            ("health_safety", "Health & safety"),
            ("environment", "Environment"),
            ("other", "Other"),
        ],
        required=True,
        default="quality",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the standard with every company.",
    )
    previous_id = fields.Many2one(
        "kam.standard",
        string="Replaces edition",
        index="btree_not_null",
        ondelete="set null",
        help="The earlier edition of this standard that this edition replaces.",
    )
    description = fields.Text(translate=True)
    clause_ids = fields.One2many("kam.standard.clause", "standard_id", string="Clauses")
    clause_count = fields.Integer(compute="_compute_clause_count")

    # company_id may be NULL (shared standard): COALESCE makes it count as a value
    _name_edition_uniq = models.UniqueIndex(
        "(name, edition, COALESCE(company_id, 0))",
        "This edition of the standard already exists.",
    )

    @api.depends("name", "edition")
    def _compute_display_name(self):
        for standard in self:
            if standard.edition:
                standard.display_name = f"{standard.name}:{standard.edition}"
            else:
                standard.display_name = standard.name or ""

    def _compute_clause_count(self):
        counts = dict(
            self.env["kam.standard.clause"]._read_group(
                [("standard_id", "in", self.ids)], ["standard_id"], ["__count"]
            )
        )
        for standard in self:
            standard.clause_count = counts.get(standard, 0)

    @api.readonly
    def action_view_clauses(self):
        check_groups(self, KAM_USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_standard_clause_action"
        )
        action["domain"] = [("standard_id", "=", self.id)]
        action["context"] = {"default_standard_id": self.id}
        return action
