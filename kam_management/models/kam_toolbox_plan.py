import datetime

import pytz

from odoo import api, fields, models

from ..tools.activities import in_assignee_language
from .kam_toolbox import TOOLBOX_KINDS

PLAN_FREQUENCIES = [
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-yearly"),
    ("yearly", "Yearly"),
]


class KamToolboxPlan(models.Model):
    """A recurring toolbox meeting for a department (e.g. monthly for
    production): a periodic duty. The daily job creates the next meeting a
    number of days ahead (KAM settings), invites the department and gives the
    presenter an activity to prepare it, then moves the next date on."""

    _name = "kam.toolbox.plan"
    _description = "KAM toolbox plan"
    _inherit = ["kam.periodic.duty", "kam.system.text.mixin", "mail.thread"]
    _order = "next_date, id"
    _check_company_auto = True
    _kam_duty_date_field = "next_date"

    name = fields.Char(string="Topic", required=True, tracking=True)
    kind = fields.Selection(TOOLBOX_KINDS, required=True, default="toolbox")
    department_id = fields.Many2one(
        "hr.department", required=True, tracking=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Presenter",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    frequency = fields.Selection(
        PLAN_FREQUENCIES,
        string="Every",
        required=True,
        default="monthly",
        tracking=True,
    )
    next_date = fields.Date(string="Next meeting", required=True, tracking=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    toolbox_ids = fields.One2many("kam.toolbox", "plan_id", string="Meetings")
    toolbox_count = fields.Integer(compute="_compute_toolbox_count")
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Toolbox plan created")

    def _compute_toolbox_count(self):
        counts = dict(
            self.env["kam.toolbox"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.toolbox_count = counts.get(plan, 0)

    @api.readonly
    def action_view_toolboxes(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_toolbox_action")
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"kam_xlsx_register": "toolbox"}
        return action

    # ------------------------------------------------------------------ periodic duty
    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_toolbox_plan_days

    def _kam_duty_perform(self, company, today):
        """Create the next meeting of each plan of the chunk (planned, the department
        invited, an activity for the presenter) and move the plan on: one create of
        the meetings, one of the invitations, one of the activities."""
        tz = company.partner_id.tz or "Europe/Amsterdam"
        Toolbox = self.env["kam.toolbox"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        toolboxes = Toolbox.create(
            [
                {
                    "name": plan.name,
                    "kind": plan.kind,
                    "date": _morning(plan.next_date, tz),
                    "user_id": plan.user_id.id,
                    "department_id": plan.department_id.id,
                    "company_id": plan.company_id.id,
                    "plan_id": plan.id,
                }
                for plan in self
            ]
        )
        toolboxes._kam_invite(toolboxes._kam_department_employees(self.department_id))
        activity_type = self.env.ref("kam_management.mail_activity_kam_toolbox")
        model_id = self.env["ir.model"]._get_id("kam.toolbox")
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, mail_notify_force_send=False
        ).create(
            in_assignee_language(
                self.env,
                [
                    {
                        "res_model_id": model_id,
                        "res_id": toolbox.id,
                        "activity_type_id": activity_type.id,
                        "user_id": toolbox.user_id.id,
                        "date_deadline": toolbox.plan_id.next_date,
                        "summary": lambda env: env._("Prepare the toolbox meeting"),
                        "automated": True,
                    }
                    for toolbox in toolboxes
                    if toolbox.user_id
                ],
            )
        )
        next_dates = {}
        for plan in self:
            next_date = self._kam_duty_next_date(
                plan.frequency, plan.next_date, max(plan.next_date, today)
            )
            next_dates[next_date] = next_dates.get(next_date, self.browse()) | plan
        for next_date, plans in next_dates.items():
            plans.write({"next_date": next_date})
        return toolboxes


def _morning(day, tz):
    """7:30 in the morning of ``day`` in time zone ``tz``, as a naive UTC datetime."""
    local = pytz.timezone(tz).localize(datetime.datetime.combine(day, datetime.time(7, 30)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)
