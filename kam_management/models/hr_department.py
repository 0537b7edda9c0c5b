from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    kam_incident_count = fields.Integer(
        string="Incidents",
        compute="_compute_kam_incident_count",
        groups="kam_management.group_kam_user",
    )

    def _compute_kam_incident_count(self):
        counts = dict(
            self.env["kam.case"]._read_group(
                [("case_type", "=", "incident"), ("department_id", "in", self.ids)],
                ["department_id"],
                ["__count"],
            )
        )
        for department in self:
            department.kam_incident_count = counts.get(department, 0)

    def action_kam_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_incident"
        )
        action["domain"] = [("case_type", "=", "incident"), ("department_id", "=", self.id)]
        action["context"] = {"default_case_type": "incident", "default_department_id": self.id}
        return action
