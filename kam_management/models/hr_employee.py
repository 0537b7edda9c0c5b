from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    kam_incident_count = fields.Integer(
        string="Incidents",
        compute="_compute_kam_incident_count",
        groups="kam_management.group_kam_user",
    )
    kam_role_assignment_ids = fields.One2many(
        "kam.role.assignment",
        "employee_id",
        string="KAM roles",
        groups="kam_management.group_kam_user",
    )

    def _compute_kam_incident_count(self):
        """Incidents the employee was involved in, as far as the user may see
        them: one grouped count for all employees shown."""
        counts = dict(
            self.env["kam.case"]._read_group(
                [("case_type", "=", "incident"), ("employee_ids", "in", self.ids)],
                ["employee_ids"],
                ["__count"],
            )
        )
        for employee in self:
            employee.kam_incident_count = counts.get(employee, 0)

    def action_kam_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_incident"
        )
        action["domain"] = [("case_type", "=", "incident"), ("employee_ids", "in", self.ids)]
        action["context"] = {
            "default_case_type": "incident",
            "default_employee_ids": self.ids,
            "default_department_id": self.department_id.id,
        }
        return action
