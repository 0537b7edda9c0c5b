from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from ..tools import xlsx

ACK_STATES = [("pending", "To read"), ("done", "Acknowledged")]
ACK_METHODS = [
    ("self", "By the employee"),
    ("recorded", "Recorded by someone else"),
    ("toolbox", "In a toolbox meeting"),
]
CREATE_BATCH = 1000

# Who must read which effective document now: (document, employee, version, major).
# An employee of the document's company is in its audience when the document
# applies to the whole company, to their department or a parent of it, or to
# their job position (department and job from the employee's current version).
_AUDIENCE_SQL = """
    WITH emp AS (
        SELECT e.id AS employee_id, e.company_id, v.department_id, v.job_id
          FROM hr_employee e
          LEFT JOIN hr_version v ON v.id = e.current_version_id
         WHERE e.active AND (%(all_employees)s OR e.id = ANY(%(employees)s))
    ), doc AS (
        SELECT d.id, d.company_id, d.applies_to_all, d.current_version_id AS version_id, cv.major
          FROM kam_document d
          JOIN kam_document_version cv ON cv.id = d.current_version_id
         WHERE d.active AND d.acknowledge
           AND (%(all_documents)s OR d.id = ANY(%(documents)s))
    ), audience AS (
        SELECT r.document_id, emp.employee_id
          FROM kam_document_hr_department_rel r
          JOIN doc ON doc.id = r.document_id
          JOIN hr_department listed ON listed.id = r.department_id
          JOIN hr_department sub ON sub.parent_path LIKE listed.parent_path || '%%'
          JOIN emp ON emp.department_id = sub.id
        UNION
        SELECT r.document_id, emp.employee_id
          FROM kam_document_hr_job_rel r
          JOIN doc ON doc.id = r.document_id
          JOIN emp ON emp.job_id = r.job_id
        UNION
        SELECT doc.id, emp.employee_id
          FROM doc
          JOIN emp ON emp.company_id = doc.company_id
         WHERE doc.applies_to_all
    )
    SELECT doc.id, emp.employee_id, doc.version_id, doc.major, doc.company_id
      FROM audience
      JOIN doc ON doc.id = audience.document_id
      JOIN emp ON emp.employee_id = audience.employee_id AND emp.company_id = doc.company_id
"""

# The tasks that matter for the sync: every pending one, and the acknowledgements
# of the current major version of their document.
_TASKS_SQL = """
    SELECT a.id, a.document_id, a.employee_id, a.state, a.version_id
      FROM kam_document_acknowledgement a
      JOIN kam_document d ON d.id = a.document_id
      LEFT JOIN kam_document_version cv ON cv.id = d.current_version_id
     WHERE (a.state = 'pending' OR a.major = cv.major)
       AND (%(all_documents)s OR a.document_id = ANY(%(documents)s))
       AND (%(all_employees)s OR a.employee_id = ANY(%(employees)s))
"""


class KamDocumentAcknowledgement(models.Model):
    """An employee's task to read and acknowledge the effective version of a
    document, and the record that they did (when, how, recorded by whom).

    The tasks follow the documents and the employees (``_kam_sync``): a release,
    a change of the departments or jobs a document applies to, and an employee
    who joins a department or job make them; a minor revision moves the open
    tasks to the new version and keeps the acknowledgements; a major revision
    asks everyone again. Done acknowledgements are kept and never change. The
    reminder is a periodic duty (the daily job), on the date to read by."""

    _name = "kam.document.acknowledgement"
    _description = "KAM read and acknowledge"
    _inherit = [
        "kam.workflow.mixin",
        "kam.periodic.duty",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_deadline, id"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = {("pending", "done"): None}
    _kam_lock_expression = "state == 'done'"
    _kam_derived_fields = (
        "document_id",
        "version_id",
        "major",
        "employee_id",
        "date_deadline",
        "acknowledged_date",
        "acknowledged_by_id",
        "toolbox_id",
    )
    # the employee (or who stands in for them) is reminded on the date to read by
    _kam_duty_date_field = "date_deadline"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_document_read"

    document_id = fields.Many2one(
        "kam.document", required=True, index=True, ondelete="cascade", readonly=True
    )
    version_id = fields.Many2one(
        "kam.document.version",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    major = fields.Integer(readonly=True, help="The major version number read.")
    is_current = fields.Boolean(
        string="Current version",
        compute="_compute_is_current",
        store=True,
        precompute=True,
        index=True,
        help="It concerns the effective major version of the document: a minor revision keeps "
        "the acknowledgements, a major one asks again.",
    )
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, index=True, string="User"
    )
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", string="Department"
    )
    company_id = fields.Many2one(
        "res.company", related="document_id.company_id", store=True, index=True, precompute=True
    )
    doc_type = fields.Selection(related="document_id.doc_type", string="Type")
    date_deadline = fields.Date(string="Read by", readonly=True, index=True)
    state = fields.Selection(
        ACK_STATES, string="Status", required=True, default="pending", index=True, tracking=True
    )
    acknowledged_date = fields.Datetime(string="Acknowledged on", readonly=True)
    acknowledged_by_id = fields.Many2one("res.users", string="Recorded by", readonly=True)
    toolbox_id = fields.Many2one(
        "kam.toolbox", string="Toolbox meeting", readonly=True, ondelete="set null"
    )
    method = fields.Selection(
        ACK_METHODS,
        string="How",
        compute="_compute_method",
        store=True,
        help="By the employee in Odoo, recorded by someone else (on paper, on the spot) or by "
        "attending the toolbox meeting that gave the instruction.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    # what to read: the effective version only
    content_type = fields.Selection(
        [("html", "Text"), ("file", "File")], compute="_compute_content", compute_sudo=True
    )
    content_body = fields.Html(string="Text", compute="_compute_content", compute_sudo=True)
    content_file = fields.Binary(string="File", compute="_compute_content", compute_sudo=True)
    content_file_name = fields.Char(compute="_compute_content", compute_sudo=True)

    # one open task per document and employee
    _pending_uniq = models.UniqueIndex(
        "(document_id, employee_id) WHERE state = 'pending'",
        "This employee already has to read this document.",
    )
    _employee_state_idx = models.Index("(employee_id, state)")

    # ------------------------------------------------------------------ computes
    @api.depends("employee_id", "document_id")
    def _compute_display_name(self):
        for ack in self.sudo():
            ack.display_name = self.env._(
                "%(employee)s: %(document)s",
                employee=ack.employee_id.name or "",
                document=ack.document_id.display_name or "",
            )

    @api.depends("major", "document_id.current_version_id.major")
    def _compute_is_current(self):
        for ack in self:
            current = ack.document_id.current_version_id
            ack.is_current = bool(current) and current.major == ack.major

    @api.depends("toolbox_id", "acknowledged_by_id", "user_id", "state")
    def _compute_method(self):
        for ack in self:
            if ack.state != "done":
                ack.method = False
            elif ack.toolbox_id:
                ack.method = "toolbox"
            elif ack.user_id and ack.acknowledged_by_id == ack.user_id:
                ack.method = "self"
            else:
                ack.method = "recorded"

    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for ack in self:
            ack.is_overdue = bool(
                ack.state == "pending" and ack.date_deadline and ack.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue acknowledgements."))
        domain = [
            ("state", "=", "pending"),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.depends("version_id", "document_id.current_version_id", "state")
    def _compute_content(self):
        # the effective version only: an old acknowledgement does not show obsolete text
        for ack in self:
            version = ack.version_id
            shown = version if version == ack.document_id.current_version_id else False
            ack.content_type = shown.content_type if shown else False
            ack.content_body = shown.body if shown else False
            ack.content_file = shown.file if shown else False
            ack.content_file_name = shown.file_name if shown else False

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda ack: ack.state == "done")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "%(ack)s was acknowledged; the record is kept as it is.",
                ack=self[:1].display_name,
            )
        )

    def _kam_check_unlink(self):
        if any(ack.state == "done" for ack in self):
            raise UserError(
                self.env._("Acknowledgements are kept as a record; they cannot be deleted.")
            )

    def _kam_state_values(self, new):
        if new == "done":
            return {"acknowledged_date": fields.Datetime.now(), "acknowledged_by_id": self.env.uid}
        return {}

    def _kam_workflow_values(self, vals):
        values = super()._kam_workflow_values(vals)
        if self._kam_trusted():
            # a recorded paper acknowledgement keeps its own date and recorder
            values.update(
                {
                    name: vals[name]
                    for name in ("acknowledged_date", "acknowledged_by_id")
                    if name in vals
                }
            )
        return values

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "done":
            self.activity_unlink(["kam_management.mail_activity_kam_document_read"])
        return res

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """A task has no followers: it is the employee's own, seen through the record
        rules. (A reminder activity would otherwise subscribe every reminded user, one
        set of queries per user: the daily job would grow with the number of users.)"""
        return True

    # ------------------------------------------------------------------ buttons
    def action_acknowledge(self):
        """I have read and understood it (or: record that the employee has)."""
        return self._kam_move(
            "pending", "done", self.env._("Only documents still to read can be acknowledged.")
        )

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.document",
            "res_id": self.document_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------ the tasks
    @api.model
    def _kam_sync(self, documents=None, employees=None):
        """Make the read-and-acknowledge tasks match who the effective documents
        apply to, for ``documents`` and/or ``employees`` (all when not given):

        - a task for every employee in a document's audience who has neither an
          open task nor an acknowledgement of the current major version;
        - open tasks point at the effective version (a minor revision moves them);
        - open tasks that no longer apply (or that a current acknowledgement
          already answers) are removed.

        Two queries find the audience and the tasks, whatever their number; the
        changes are written in batches."""
        if (documents is not None and not documents) or (employees is not None and not employees):
            return
        env = self.env
        for model in ("kam.document", "kam.document.version", "hr.employee", "hr.version"):
            env[model].flush_model()
        self.flush_model()
        params = {
            "all_documents": documents is None,
            "documents": documents.ids if documents is not None else [],
            "all_employees": employees is None,
            "employees": employees.ids if employees is not None else [],
        }
        env.cr.execute(_AUDIENCE_SQL, params)
        audience = {
            (doc, emp): (version, major, company)
            for doc, emp, version, major, company in env.cr.fetchall()
        }
        env.cr.execute(_TASKS_SQL, params)
        pending, answered = {}, set()
        for ack_id, doc, emp, state, version in env.cr.fetchall():
            if state == "pending":
                pending[doc, emp] = (ack_id, version)
            else:
                answered.add((doc, emp))
        to_remove = [
            ack_id
            for pair, (ack_id, _version) in pending.items()
            if pair not in audience or pair in answered
        ]
        to_move = {}
        for pair, (ack_id, version) in pending.items():
            if pair in audience and pair not in answered and audience[pair][0] != version:
                to_move.setdefault(audience[pair][:2], []).append(ack_id)
        new_pairs = [pair for pair in audience if pair not in pending and pair not in answered]

        tasks = self.sudo().with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
        if to_remove:
            tasks.browse(to_remove).unlink()
        for (version, major), ids in to_move.items():
            tasks.browse(ids)._kam_workflow_write().write({"version_id": version, "major": major})
        if new_pairs:
            today = fields.Date.context_today(self)
            companies = env["res.company"].sudo().browse({audience[pair][2] for pair in new_pairs})
            deadline = {
                company.id: today + timedelta(days=company.kam_document_ack_days)
                for company in companies
            }
            vals_list = [
                {
                    "document_id": doc,
                    "employee_id": emp,
                    "version_id": audience[doc, emp][0],
                    "major": audience[doc, emp][1],
                    "date_deadline": deadline[audience[doc, emp][2]],
                }
                for doc, emp in sorted(new_pairs)
            ]
            many = len(vals_list) > CREATE_BATCH
            for batch in split_every(CREATE_BATCH, vals_list, list):
                tasks._kam_workflow_write().create(batch)
                if many:
                    # the batch is written; its records need not stay in memory
                    tasks.env.flush_all()
                    tasks.env.invalidate_all()

    @api.model
    def _kam_record_acknowledged(self, rows):
        """Record acknowledgements given outside Odoo (a signed paper list, an
        import): ``rows`` = [(document id, employee id, when (datetime), user id who
        records it)]. The open tasks of these pairs are done; others are left alone."""
        tasks = self.sudo().search(
            [
                ("document_id", "in", [row[0] for row in rows]),
                ("employee_id", "in", [row[1] for row in rows]),
                ("state", "=", "pending"),
            ]
        )
        by_pair = {(task.document_id.id, task.employee_id.id): task for task in tasks}
        for document_id, employee_id, when, user_id in rows:
            task = by_pair.get((document_id, employee_id))
            if task:
                task._kam_workflow_write().write(
                    {
                        "state": "done",
                        "acknowledged_date": fields.Datetime.to_datetime(when),
                        "acknowledged_by_id": user_id,
                    }
                )
        return tasks

    # ------------------------------------------------------------------ periodic duty
    @api.model
    def _kam_duty_run(self, batch_size=500, companies=None):
        """Before the reminders: the tasks of employees whose department or job
        changed in a dated contract version, and of documents changed in SQL."""
        self._kam_sync()
        return super()._kam_duty_run(batch_size=batch_size, companies=companies)

    def _kam_duty_domain(self):
        return [("state", "=", "pending")]

    def _kam_duty_reminder_values(self, today):
        """The employee's user; for employees without one, their manager or else
        the document's owner (who has them read it on paper or in a toolbox)."""
        values = {}
        for ack in self:
            employee = ack.employee_id
            user = employee.user_id or employee.parent_id.user_id or ack.document_id.user_id
            if not user:
                continue
            # in the assignee's language (tools/activities.py)
            if employee.user_id:

                def summary(env, ack=ack):
                    return env._(
                        "Read and acknowledge %(document)s (version %(version)s)",
                        document=ack.document_id.with_env(env).display_name,
                        version=ack.version_id.name,
                    )

            else:

                def summary(env, ack=ack, employee=employee):
                    return env._(
                        "%(employee)s has not read %(document)s (version %(version)s) yet",
                        employee=employee.name,
                        document=ack.document_id.with_env(env).display_name,
                        version=ack.version_id.name,
                    )

            values[ack] = {"user_id": user.id, "date_deadline": today, "summary": summary}
        return values

    # ------------------------------------------------------------------ registers
    def _kam_acknowledgement_register_columns(self):
        return [
            xlsx.many2one("employee_id", width=26),
            xlsx.many2one("department_id", width=20),
            xlsx.many2one("document_id", width=36),
            xlsx.selection("doc_type", width=18),
            xlsx.many2one("version_id", width=18),
            xlsx.date("date_deadline"),
            xlsx.selection("state", width=14),
            xlsx.datetime("acknowledged_date"),
            xlsx.selection("method", width=22),
            xlsx.many2one("acknowledged_by_id", width=22),
            xlsx.many2one("toolbox_id", width=28),
            xlsx.boolean("is_overdue", self.env._("Overdue"), by_search=True),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "document_acknowledgement",
                self.env._("Read and acknowledge status"),
                columns=self._kam_acknowledgement_register_columns,
                order="employee_id, date_deadline, id",
                filename="read_and_acknowledge",
            ),
        ]
