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
        """The register dialog, prefilled from this document: the complaint is
        created (and the customer acknowledged) only by its *Register* button."""
        check_groups(self, KAM_USER)
        self.ensure_one()
        return self.env["kam.case"].action_kam_open_complaint_register(
            self._kam_complaint_defaults()
        )

    @api.readonly
    def action_kam_view_complaints(self):
        check_groups(self, KAM_USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_complaint"
        )
        action["domain"] = self._kam_complaint_domain()
        # "Register complaint" in the list opens the register dialog with these values
        action["context"] = {
            "default_case_type": "complaint",
            "kam_complaint_register_defaults": self._kam_complaint_defaults(),
            "kam_xlsx_register": "complaint",
            "create": False,
        }
        return action
