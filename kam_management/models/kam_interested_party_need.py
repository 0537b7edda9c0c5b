from odoo import Command, api, fields, models

from ..tools import xlsx


class KamInterestedPartyNeed(models.Model):
    """A need or expectation of an interested party: relevant or not, how the
    company addresses it, and whether it becomes a compliance obligation (then
    it points at the requirement in the legal register)."""

    _name = "kam.interested.party.need"
    _description = "Need or expectation of an interested party"
    _inherit = ["kam.register.mixin"]
    _order = "party_id, sequence, id"
    _check_company_auto = True

    party_id = fields.Many2one(
        "kam.interested.party",
        string="Interested party",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="party_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Need or expectation", required=True)
    is_relevant = fields.Boolean(
        string="Relevant",
        default=True,
        help="Relevant for the management system (ISO 4.2 b).",
    )
    how_addressed = fields.Text(string="How we address it")
    requirement_id = fields.Many2one(
        "kam.requirement",
        string="Compliance obligation",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The requirement in the legal register that this need has become (ISO 4.2 c).",
    )
    is_obligation = fields.Boolean(
        string="Obligation",
        compute="_compute_is_obligation",
        store=True,
        help="The need has become a compliance obligation: it is in the legal register.",
    )
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")

    @api.depends("requirement_id")
    def _compute_is_obligation(self):
        for need in self:
            need.is_obligation = bool(need.requirement_id)

    def action_make_obligation(self):
        """Record this need as a compliance obligation: a new requirement in the
        legal register (an interested-party requirement, or a customer's), linked."""
        self.ensure_one()
        party = self.party_id
        requirement = self.env["kam.requirement"].create(
            {
                "name": self.name,
                "kind": "customer" if party.category == "customers" else "party",
                "issuer_id": party.partner_id.id,
                "user_id": (party.user_id or self.env.user).id,
                "company_id": self.company_id.id,
                "applicability": party.name,
                "theme_ids": [Command.set(self.theme_ids.ids)],
            }
        )
        self.requirement_id = requirement
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.requirement",
            "res_id": requirement.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "interested_party",
                self.env._("Interested parties and their needs"),
                columns=[
                    xlsx.selection("party_id.kind", width=10),
                    xlsx.selection("party_id.category", width=26),
                    xlsx.many2one("party_id", width=30),
                    xlsx.selection("party_id.relevance", width=10),
                    xlsx.char("name", width=50),
                    xlsx.boolean("is_relevant", width=10),
                    xlsx.char("how_addressed", width=50),
                    xlsx.boolean("is_obligation", width=12),
                    xlsx.many2one("requirement_id", width=36),
                    xlsx.date("party_id.review_date"),
                ],
                order="party_id, sequence, id",
                filename="belanghebbenden",
            ),
        ]
