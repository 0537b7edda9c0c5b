from odoo import fields, models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "kam.incident.mixin", "kam.reportable.mixin"]

    kam_role_assignment_ids = fields.One2many(
        "kam.role.assignment",
        "employee_id",
        string="KAM roles",
        groups="kam_management.group_kam_user",
    )

    def _kam_incident_field(self):
        return "employee_ids"

    def _kam_incident_defaults(self):
        return {"employee_ids": self.ids, "department_id": self.department_id.id}

    def _kam_case_defaults(self):
        values = super()._kam_case_defaults()
        values["department_id"] = self.department_id.id
        return values
