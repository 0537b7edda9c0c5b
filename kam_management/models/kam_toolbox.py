from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import xlsx

TOOLBOX_KINDS = [
    ("toolbox", "Toolbox meeting"),
    ("instruction", "Work instruction"),
    ("awareness", "Awareness session"),
]
TOOLBOX_STATES = [("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")]
OFFICER = "kam_management.group_kam_officer"
TRANSITIONS = {
    ("planned", "held"): None,
    ("planned", "cancelled"): None,
    ("cancelled", "planned"): None,
    ("held", "planned"): OFFICER,
}


class KamToolbox(models.Model):
    """A toolbox meeting, work instruction or awareness session given to a group
    (ISO 45001 7.3, VCA): topic (a document, a hazard of the RI&E or an
    incident), date, presenter, the employees invited and who attended.

    Attendance is recorded on the spot by the presenter, or afterwards: an
    absent employee confirms in the backend that they read the material.
    Attending a meeting about a document that must be acknowledged counts as
    acknowledging it. Planned per department with a frequency by
    ``kam.toolbox.plan``."""

    _name = "kam.toolbox"
    _description = "KAM toolbox meeting"
    _inherit = [
        "kam.workflow.mixin",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = ("held_date",)
    # held: the meeting no longer changes, its attendance still does (own records)
    _kam_locked_writable_fields = ("attendee_ids",)
    _kam_lock_expression = "state != 'planned'"

    name = fields.Char(string="Topic", required=True, tracking=True)
    kind = fields.Selection(TOOLBOX_KINDS, required=True, default="toolbox", tracking=True)
    date = fields.Datetime(
        required=True, default=fields.Datetime.now, tracking=True, index=True, copy=False
    )
    duration = fields.Float(string="Duration (hours)", default=0.5)
    user_id = fields.Many2one(
        "res.users",
        string="Presenter",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="Gives the meeting and records who attended.",
    )
    presenter_name = fields.Char(
        string="External presenter",
        help="When someone from outside gives it (arbodienst, supplier).",
    )
    department_id = fields.Many2one("hr.department", tracking=True, check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    document_id = fields.Many2one(
        "kam.document",
        check_company=True,
        help="The work instruction or procedure explained. Attending counts as reading and "
        "acknowledging its effective version.",
    )
    risk_id = fields.Many2one("kam.risk", string="Hazard (RI&E)", check_company=True)
    case_id = fields.Many2one(
        "kam.case",
        string="Incident",
        check_company=True,
        domain="[('case_type', '=', 'incident')]",
    )
    description = fields.Html(string="Talking points")
    attendee_ids = fields.One2many("kam.toolbox.attendee", "toolbox_id", string="Attendees")
    plan_id = fields.Many2one("kam.toolbox.plan", index="btree_not_null")
    state = fields.Selection(
        TOOLBOX_STATES, required=True, default="planned", tracking=True, index=True, copy=False
    )
    held_date = fields.Date(string="Recorded as held on", readonly=True, copy=False)
    invited_count = fields.Integer(string="Invited", compute="_compute_attendance")
    attended_count = fields.Integer(string="Attended", compute="_compute_attendance")
    attendance_rate = fields.Float(
        string="Attendance (%)", compute="_compute_attendance", digits=(5, 1)
    )

    # ------------------------------------------------------------------ computes
    def _kam_creation_note(self):
        return self.env._("Toolbox meeting created")

    @api.depends("attendee_ids.state")
    def _compute_attendance(self):
        groups = (
            self.env["kam.toolbox.attendee"]
            .sudo()
            ._read_group([("toolbox_id", "in", self.ids)], ["toolbox_id", "state"], ["__count"])
        )
        invited, attended = {}, {}
        for toolbox, state, count in groups:
            invited[toolbox.id] = invited.get(toolbox.id, 0) + count
            if state in ("attended", "acknowledged"):
                attended[toolbox.id] = attended.get(toolbox.id, 0) + count
        for toolbox in self:
            toolbox.invited_count = invited.get(toolbox.id, 0)
            toolbox.attended_count = attended.get(toolbox.id, 0)
            toolbox.attendance_rate = (
                round(100.0 * toolbox.attended_count / toolbox.invited_count, 1)
                if toolbox.invited_count
                else 0.0
            )

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda toolbox: toolbox.state != "planned")

    def _kam_unlocks(self, vals):
        return set(vals) <= {"state"}

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "%(toolbox)s was held or cancelled and can no longer be changed; attendance can "
                "still be recorded.",
                toolbox=self[:1].display_name,
            )
        )

    def _kam_check_unlink(self):
        if any(toolbox.state == "held" for toolbox in self):
            raise UserError(
                self.env._("A toolbox meeting that was held is kept as a record; archive it.")
            )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM officers can reopen a toolbox meeting that was held.")

    def _kam_state_values(self, new):
        if new == "held":
            return {"held_date": fields.Date.context_today(self)}
        return {"held_date": False}

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "held":
            # who was not marked present was absent (and may read the material afterwards)
            invited = self.attendee_ids.filtered(lambda a: a.state == "invited")
            if invited:
                invited.sudo()._kam_workflow_write().write({"state": "absent"})
            self.activity_feedback(["kam_management.mail_activity_kam_toolbox"])
        return res

    # ------------------------------------------------------------------ buttons
    def action_invite_department(self):
        """Invite the employees of the department (and its sub-departments) who are
        not invited yet."""
        for toolbox in self:
            if not toolbox.department_id:
                raise UserError(self.env._("Choose the department first."))
        self._kam_invite(self._kam_department_employees(self.department_id))
        return True

    def _kam_department_employees(self, departments):
        """{department: its active employees and those of its sub-departments}: one
        search for all departments."""
        if not departments:
            return {}
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search([("department_id", "child_of", departments.ids)], order="name, id")
        )
        result = {department: self.env["hr.employee"] for department in departments}
        for employee in employees:
            path = set(
                map(int, filter(None, (employee.department_id.parent_path or "").split("/")))
            )
            for department in departments:
                if department.id in path and employee.company_id == department.company_id:
                    result[department] |= employee
        return result

    def _kam_invite(self, employees_of):
        """Add the employees of ``employees_of`` ({department: employees}) to the
        meetings of ``self`` with that department, in one create."""
        existing = {
            (attendee.toolbox_id.id, attendee.employee_id.id)
            for attendee in self.attendee_ids.sudo()
        }
        vals_list = [
            {"toolbox_id": toolbox.id, "employee_id": employee.id}
            for toolbox in self
            for employee in employees_of.get(toolbox.department_id, [])
            if (toolbox.id, employee.id) not in existing
        ]
        self.env["kam.toolbox.attendee"].sudo().create(vals_list)

    def action_held(self):
        return self._kam_move(
            "planned", "held", self.env._("Only planned meetings can be recorded as held.")
        )

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reset(self):
        self.write({"state": "planned"})
        return True

    def action_all_present(self):
        """Mark every invited employee as present (the presenter's shortcut)."""
        self.attendee_ids.filtered(lambda a: a.state in ("invited", "absent")).write(
            {"state": "attended"}
        )
        return True

    # ------------------------------------------------------------------ registers
    def _kam_toolbox_register_columns(self):
        return [
            xlsx.datetime("date"),
            xlsx.char("name", width=36),
            xlsx.selection("kind", width=18),
            xlsx.many2one("department_id", width=20),
            xlsx.many2one("user_id", width=22),
            xlsx.char("presenter_name", width=20),
            xlsx.many2one("document_id", width=28),
            xlsx.many2one("risk_id", width=24),
            xlsx.many2one("case_id", width=20),
            xlsx.selection("state", self.env._("Status"), width=12),
            xlsx.integer("invited_count"),
            xlsx.integer("attended_count"),
            xlsx.number("attendance_rate"),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "toolbox",
                self.env._("Toolbox meetings"),
                columns=self._kam_toolbox_register_columns,
                order="date desc, id desc",
                filename="toolbox_meetings",
            ),
        ]
