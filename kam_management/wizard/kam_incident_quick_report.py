from odoo import fields, models
from odoo.exceptions import UserError

from ..models.kam_case_incident import INCIDENT_KINDS

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000


class KamIncidentQuickReport(models.TransientModel):
    """Veilig melden from the back office: what, where, when, which kind, and
    optionally anonymous. Every KAM user can report; the incident is created
    with elevated rights and only these fields."""

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
        title = (self.title or "").strip()
        if not title:
            raise UserError(self.env._("Please say in a few words what happened."))
        if len(title) > TITLE_MAX_LENGTH:
            raise UserError(
                self.env._(
                    "The title can be at most %(max)s characters long.", max=TITLE_MAX_LENGTH
                )
            )
        description = (self.description or "").strip()
        if len(description) > DESCRIPTION_MAX_LENGTH:
            raise UserError(
                self.env._(
                    "The description can be at most %(max)s characters long.",
                    max=DESCRIPTION_MAX_LENGTH,
                )
            )
        if self.company_id not in self.env.user.company_ids:
            raise UserError(self.env._("You cannot report for this company."))
        values = {
            "title": title,
            "description": description,
            "location": (self.location or "").strip()[:200],
            "incident_kind": self.incident_kind,
            "incident_datetime": self.incident_datetime,
            "company_id": self.company_id.id,
        }
        case = self.env["kam.case"]._kam_create_safe_report(
            values, anonymous=self.anonymous, reporter=None if self.anonymous else self.env.user
        )
        if self.anonymous:
            # the wizard row itself (create_uid) would tie the text to the reporter
            self.sudo().write({"title": False, "description": False, "location": False})
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
