from odoo import models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "kam.complaint.mixin"]

    def _kam_complaint_field(self):
        return "partner_id"

    def _kam_complaint_domain(self):
        # complaints of the company and of its contacts
        return [
            ("case_type", "=", "complaint"),
            ("partner_id", "in", self.commercial_partner_id.ids),
        ]

    def _compute_kam_complaint_count(self):
        counts = dict(
            self.env["kam.case"]._read_group(
                self._kam_complaint_domain(), ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_complaint_count = counts.get(partner.commercial_partner_id, 0)

    def _kam_complaint_defaults(self):
        return {"partner_id": self.commercial_partner_id.id, "contact_id": self.id}
