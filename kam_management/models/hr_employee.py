from odoo import api, fields, models


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


# an employee who joins a department or job reads its documents
KAM_AUDIENCE_FIELDS = frozenset({"department_id", "job_id", "active", "company_id", "version_id"})


class HrEmployeeDocuments(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env["kam.document.acknowledgement"]._kam_sync(employees=employees)
        return employees

    def write(self, vals):
        res = super().write(vals)
        if KAM_AUDIENCE_FIELDS & set(vals):
            self.env["kam.document.acknowledgement"]._kam_sync(employees=self)
        return res
