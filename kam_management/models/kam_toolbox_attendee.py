from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import xlsx

OFFICER = "kam_management.group_kam_officer"


class KamToolboxAttendee(models.Model):
    """An employee invited to a toolbox meeting, and whether they attended
    (marked on the spot by the presenter) or read the material afterwards
    (confirmed by themselves in the backend, or recorded by an officer)."""

    _name = "kam.toolbox.attendee"
    _description = "KAM toolbox attendee"
    _inherit = ["kam.workflow.mixin", "kam.register.mixin"]
    _order = "toolbox_id, employee_name, id"
    _check_company_auto = True
    _rec_name = "employee_id"
    _kam_state_field = "state"
    _kam_transitions = {
        ("invited", "attended"): None,
        ("invited", "absent"): None,
        ("absent", "attended"): None,
        ("attended", "absent"): None,
        ("invited", "acknowledged"): None,
        ("absent", "acknowledged"): None,
    }
    _kam_derived_fields = ("date_done", "recorded_by_id")
    _kam_lock_expression = "state == 'acknowledged'"

    toolbox_id = fields.Many2one(
        "kam.toolbox", required=True, index=True, ondelete="cascade", check_company=True
    )
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade", check_company=True
    )
    employee_name = fields.Char(related="employee_id.name", store=True, string="Name")
    user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, index=True, string="User"
    )
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", string="Department"
    )
    company_id = fields.Many2one(
        related="toolbox_id.company_id", store=True, index=True, precompute=True
    )
    toolbox_date = fields.Datetime(related="toolbox_id.date", string="Date")
    toolbox_state = fields.Selection(related="toolbox_id.state", string="Meeting status")
    toolbox_description = fields.Html(related="toolbox_id.description", string="Talking points")
    toolbox_document_id = fields.Many2one(related="toolbox_id.document_id", string="Document")
    state = fields.Selection(
        [
            ("invited", "Invited"),
            ("attended", "Attended"),
            ("acknowledged", "Read afterwards"),
            ("absent", "Absent"),
        ],
        string="Attendance",
        required=True,
        default="invited",
        index=True,
    )
    date_done = fields.Datetime(string="Confirmed on", readonly=True)
    recorded_by_id = fields.Many2one("res.users", string="Recorded by", readonly=True)

    _employee_uniq = models.Constraint(
        "UNIQUE(toolbox_id, employee_id)", "This employee is already invited to this meeting."
    )

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda attendee: attendee.state == "acknowledged")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "%(employee)s confirmed reading the material; this is kept as it is.",
                employee=self[:1].employee_id.name,
            )
        )

    def _kam_check_unlink(self):
        if any(attendee.state in ("attended", "acknowledged") for attendee in self):
            raise UserError(self.env._("Attendance that was recorded cannot be deleted."))

    def _kam_check_state_change(self, old, new, vals):
        if self.env.su or self.env.user.has_group(OFFICER):
            return
        toolbox = self.toolbox_id.sudo()
        if new == "acknowledged":
            if self.user_id != self.env.user:
                raise UserError(self.env._("Only the employee confirms reading the material."))
            if toolbox.state != "held":
                raise UserError(
                    self.env._("The material can be confirmed after the meeting was held.")
                )
        elif toolbox.user_id != self.env.user:
            raise UserError(self.env._("Only the presenter and KAM officers record who attended."))
        if toolbox.state == "cancelled":
            raise UserError(self.env._("The meeting was cancelled."))

    def _kam_state_values(self, new):
        if new in ("attended", "acknowledged"):
            return {"date_done": fields.Datetime.now(), "recorded_by_id": self.env.uid}
        return {"date_done": False, "recorded_by_id": False}

    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_organiser(
            self.env["kam.toolbox"].browse({vals.get("toolbox_id") for vals in vals_list})
        )
        attendees = super().create(vals_list)
        # attendance recorded at once (an import of a signed list)
        attendees.filtered(
            lambda a: a.state in ("attended", "acknowledged")
        )._kam_acknowledge_documents()
        return attendees

    def write(self, vals):
        if set(vals) - {"state"}:
            self._kam_check_organiser(self.toolbox_id)
        res = super().write(vals)
        if vals.get("state") in ("attended", "acknowledged"):
            self._kam_acknowledge_documents()
        return res

    def _kam_check_organiser(self, toolboxes):
        """Who is invited is up to the presenter and KAM officers."""
        if self.env.su or self.env.user.has_group(OFFICER):
            return
        if any(toolbox.sudo().user_id != self.env.user for toolbox in toolboxes):
            raise UserError(
                self.env._("Only the presenter and KAM officers change who is invited.")
            )

    def _kam_acknowledge_documents(self):
        """Attending a meeting about a document (or reading its material afterwards)
        acknowledges the effective version of that document: the open tasks of
        these employees are done, with the meeting as how."""
        attendees = self.sudo().filtered(
            lambda a: a.state in ("attended", "acknowledged") and a.toolbox_id.document_id
        )
        if not attendees:
            return
        tasks = (
            self.env["kam.document.acknowledgement"]
            .sudo()
            .search(
                [
                    ("document_id", "in", attendees.toolbox_id.document_id.ids),
                    ("employee_id", "in", attendees.employee_id.ids),
                    ("state", "=", "pending"),
                ]
            )
        )
        by_pair = {(task.document_id.id, task.employee_id.id): task for task in tasks}
        for attendee in attendees:
            task = by_pair.get((attendee.toolbox_id.document_id.id, attendee.employee_id.id))
            if task:
                # acknowledged when and by whom the attendance was recorded
                task._kam_workflow_write().write(
                    {
                        "state": "done",
                        "toolbox_id": attendee.toolbox_id.id,
                        "acknowledged_date": attendee.date_done or fields.Datetime.now(),
                        "acknowledged_by_id": (attendee.recorded_by_id or self.env.user).id,
                    }
                )

    # ------------------------------------------------------------------ buttons
    def action_present(self):
        self.write({"state": "attended"})
        return True

    def action_absent(self):
        self.write({"state": "absent"})
        return True

    def action_acknowledge(self):
        """I read the material of the meeting I missed."""
        self.write({"state": "acknowledged"})
        return True

    # ------------------------------------------------------------------ registers
    def _kam_attendance_register_columns(self):
        return [
            xlsx.datetime("toolbox_date"),
            xlsx.many2one("toolbox_id", width=34),
            xlsx.many2one("employee_id", width=26),
            xlsx.many2one("department_id", width=20),
            xlsx.selection("state", width=16),
            xlsx.datetime("date_done"),
            xlsx.many2one("recorded_by_id", width=22),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "toolbox_attendance",
                self.env._("Toolbox attendance"),
                columns=self._kam_attendance_register_columns,
                order="toolbox_id, employee_name, id",
                filename="toolbox_attendance",
            ),
        ]
