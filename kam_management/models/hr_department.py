from odoo import models


class HrDepartment(models.Model):
    _name = "hr.department"
    _inherit = ["hr.department", "kam.incident.mixin"]

    def _kam_incident_field(self):
        return "department_id"
