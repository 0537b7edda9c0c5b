from odoo import fields, models
from odoo.exceptions import UserError

from ..models.kam_case_incident import INCIDENT_KINDS
from ..tools import input_rules


class KamIncidentQuickReport(models.TransientModel):
    """Veilig melden from the back office: what, where, when, which kind, and
    optionally anonymous. Every KAM user can report; the incident is created
    with elevated rights and only these fields. A row is only its writer's
    (record rule) and is deleted when the report is sent: an anonymous report
    keeps no row, creating user or timestamp that points at its writer."""

    _name = "kam.incident.quick.report"
    _description = "KAM quick incident report"

    title = fields.Char(string="What happened?")
    description = fields.Text(string="Details")
    location = fields.Char(string="Where?")
    incident_datetime = fields.Datetime(string="When?", default=fields.Datetime.now)
    incident_kind = fields.Selection(INCIDENT_KINDS, string="Kind", required=True, default="unsafe")
    anonymous = fields.Boolean(
        string="Report anonymously",
        help="The report keeps no name: you will not be able to follow it up.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def action_report(self):
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise UserError(self.env._("You cannot report for this company."))
        # the same input rules as the safe-reporting page (tools/input_rules.py)
        values, errors = input_rules.validate(
            self.env,
            input_rules.QUICK_REPORT,
            {
                "title": self.title,
                "incident_kind": self.incident_kind,
                "location": self.location,
                "when": self.incident_datetime,
                "description": self.description,
            },
        )
        if errors:
            raise UserError("\n".join(errors.values()))
        values = {
            "title": values["title"],
            "description": values["description"],
            "location": values["location"],
            "incident_kind": values["incident_kind"],
            "incident_datetime": values["when"],
            "company_id": self.company_id.id,
        }
        case = self.env["kam.case"]._kam_create_safe_report(
            values, anonymous=self.anonymous, reporter=None if self.anonymous else self.env.user
        )
        anonymous = self.anonymous
        # the row itself is gone once the incident exists: its creating user and
        # timestamps would tie an anonymous report to its writer, and its text
        # may hold health details (until then only its writer sees it: record rule)
        self.sudo().unlink()
        if anonymous:
            message = self.env._("Thank you. Your anonymous report has been received.")
        else:
            message = self.env._(
                "Thank you. Your report %(reference)s has been received.", reference=case.name
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
