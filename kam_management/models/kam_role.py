from odoo import api, fields, models


class KamRole(models.Model):
    """A KAM role employees can hold (preventiemedewerker, BHV'er,
    KAM-coördinator, milieucoördinator, vertrouwenspersoon...). A required
    role without anyone holding it with a valid certificate shows a warning
    in the KAM settings."""

    _name = "kam.role"
    _description = "KAM role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    required = fields.Boolean(
        help="The company must have someone in this role (with a valid certificate)."
    )
    needs_certificate = fields.Boolean(
        string="Certificate or training required",
        help="Holders need a certificate or training with an expiry date (e.g. BHV).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Reminders to",
        domain="[('share', '=', False)]",
        help="Who is reminded of expiring certificates; without one, the company's KAM officers.",
    )
    company_id = fields.Many2one("res.company", help="Leave empty for every company.")
    description = fields.Text(translate=True)
    assignment_ids = fields.One2many("kam.role.assignment", "role_id", string="Assignments")
    assignment_count = fields.Integer(compute="_compute_assignment_count")
    active = fields.Boolean(default=True)

    def _compute_assignment_count(self):
        counts = dict(
            self.env["kam.role.assignment"]._read_group(
                [("role_id", "in", self.ids)], ["role_id"], ["__count"]
            )
        )
        for role in self:
            role.assignment_count = counts.get(role, 0)

    @api.model
    def _unfilled_required(self, company):
        """Required roles of ``company`` that nobody holds with a valid
        certificate (an expired certificate does not count): one query."""
        today = fields.Date.context_today(self)
        roles = self.sudo().search(
            [("required", "=", True), ("company_id", "in", [company.id, False])]
        )
        filled = {
            role.id
            for [role] in self.env["kam.role.assignment"]
            .sudo()
            ._read_group(
                [
                    ("role_id", "in", roles.ids),
                    ("company_id", "=", company.id),
                    ("employee_id.active", "=", True),
                    "|",
                    ("expiry_date", "=", False),
                    ("expiry_date", ">=", today),
                ],
                ["role_id"],
            )
        }
        return roles.filtered(lambda r: r.id not in filled)
