from odoo import api, fields, models

from ..tools.access import KAM_USER, check_groups


class KamComplaintMixin(models.AbstractModel):
    """Complaint count and "Register complaint" for the documents complaints
    are about (customer, sale order, product)."""

    _name = "kam.complaint.mixin"
    _description = "KAM complaints of a document"

    kam_complaint_count = fields.Integer(
        string="Complaints",
        compute="_compute_kam_complaint_count",
        groups="kam_management.group_kam_user",
    )

    def _kam_complaint_field(self):
        """The field of kam.case that points at this model."""
        raise NotImplementedError

    def _kam_complaint_domain(self):
        return [("case_type", "=", "complaint"), (self._kam_complaint_field(), "in", self.ids)]

    @api.depends_context("uid")
    def _compute_kam_complaint_count(self):
        field = self._kam_complaint_field()
        counts = dict(
            self.env["kam.case"]._read_group(self._kam_complaint_domain(), [field], ["__count"])
        )
        for record in self:
            record.kam_complaint_count = counts.get(record, 0)

    def _kam_complaint_defaults(self):
        self.ensure_one()
        return {}

    def action_kam_register_complaint(self):
        check_groups(self, KAM_USER)
        self.ensure_one()
        context = {
            "default_case_type": "complaint",
            "default_channel": "phone",
            "default_source": "customer",
            **{f"default_{key}": value for key, value in self._kam_complaint_defaults().items()},
        }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register complaint"),
            "res_model": "kam.case",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    @api.readonly
    def action_kam_view_complaints(self):
        check_groups(self, KAM_USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_complaint"
        )
        action["domain"] = self._kam_complaint_domain()
        action["context"] = {
            "default_case_type": "complaint",
            **{f"default_{key}": value for key, value in self._kam_complaint_defaults().items()},
        }
        return action
