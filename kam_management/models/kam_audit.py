from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from ..tools import xlsx
from ..tools.core_shortcuts import next_references
from .kam_action_source import source_field

AUDIT_TYPES = [
    ("internal", "Internal audit"),
    ("stage1", "Certification audit, stage 1"),
    ("stage2", "Certification audit, stage 2"),
    ("surveillance", "Surveillance audit"),
    ("recertification", "Recertification audit"),
    ("supplier", "Supplier audit"),
    ("process", "Process audit"),
    ("product", "Product audit"),
]
# audits by the certification body: its auditors, its findings, its deadlines
EXTERNAL_TYPES = ("stage1", "stage2", "surveillance", "recertification")
METHODS = [("on_site", "On site"), ("remote", "Remote"), ("hybrid", "Hybrid")]
AUDIT_STATES = [
    ("planned", "Planned"),
    ("prepared", "Prepared"),
    ("in_progress", "In progress"),
    ("reported", "Reported"),
    ("findings_closed", "Findings closed"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# not started yet (the reminder is due before these)
TODO_STATES = ("planned", "prepared")
# the audit took place: it counts for the coverage of the programme
DONE_STATES = ("reported", "findings_closed", "closed")
# the compliance monitor expects every clause audited within the certification cycle
AUDIT_CYCLE_MONTHS = 36
OFFICER = "kam_management.group_kam_officer"
MANAGER = "kam_management.group_kam_manager"
# state changes: (from, to) -> the group that may make it (None: whoever may write
# the audit: its auditors and the officers)
TRANSITIONS = {
    ("planned", "prepared"): None,
    ("prepared", "planned"): None,
    ("prepared", "in_progress"): None,
    ("in_progress", "prepared"): None,
    ("in_progress", "reported"): None,
    ("reported", "in_progress"): OFFICER,
    ("reported", "findings_closed"): OFFICER,
    ("findings_closed", "reported"): OFFICER,
    ("reported", "closed"): OFFICER,
    ("findings_closed", "closed"): OFFICER,
    ("closed", "findings_closed"): MANAGER,
    ("planned", "cancelled"): OFFICER,
    ("prepared", "cancelled"): OFFICER,
    ("cancelled", "planned"): OFFICER,
}
AUDITOR_ROLE = "kam_management.kam_role_internal_auditor"


class KamAudit(models.Model):
    """One audit: internal, by the certification body (stage 1 and 2,
    surveillance, recertification), of a supplier, of a process or a product.

    Workflow (kam.workflow.mixin): planned -> prepared -> in progress ->
    reported -> findings closed -> closed; the auditors move it up to the
    report, officers close it, and only when no finding (``kam.case`` with
    ``audit_id``) is open; closed audits are read-only and are never deleted.
    Findings are cases (nonconformity or improvement) made from the checklist
    lines in one step. The audit is a source of actions, a register (the
    programme), a dated duty (reminders before the planned date, by activity and
    by mail to the auditors and auditees) and evidence per clause."""

    _name = "kam.audit"
    _description = "KAM audit"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.register.mixin",
        "kam.periodic.duty",
        "kam.clause.link.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_planned desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]
    # workflow
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = ("reported_date", "closed_date", "closed_by_id")
    _kam_locked_writable_fields = ("active", "color")
    # actions point at the audit through kam.action.audit_id (below)
    _kam_action_field = "audit_id"
    # the lead auditor (activity) and every participant (mail) are reminded before
    _kam_duty_date_field = "date_planned"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_audit"
    _clause_evidence_date_field = "date_planned"
    # in the compliance monitor a clause audited covers its sub-clauses (8 covers 8.4)
    _clause_evidence_covers_subclauses = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    title = fields.Char(required=True, tracking=True)
    audit_type = fields.Selection(
        AUDIT_TYPES, string="Type", required=True, default="internal", tracking=True, index=True
    )
    is_external = fields.Boolean(
        string="By the certification body", compute="_compute_is_external", store=True
    )
    method = fields.Selection(METHODS, required=True, default="on_site", tracking=True)
    state = fields.Selection(
        AUDIT_STATES,
        string="Status",
        required=True,
        default="planned",
        tracking=True,
        index=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # the programme it was planned in (one audit per programme line and period)
    programme_id = fields.Many2one(
        "kam.audit.programme",
        string="Audit programme",
        related="programme_line_id.programme_id",
        store=True,
        index="btree_not_null",
    )
    programme_line_id = fields.Many2one(
        "kam.audit.programme.line",
        string="Programme line",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        copy=False,
    )
    programme_period = fields.Date(
        string="Period in the programme",
        copy=False,
        help="The date of the programme line's series this audit was planned for.",
    )
    certificate_id = fields.Many2one(
        "kam.certificate",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The certificate an external audit is held for.",
    )
    # people
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="The KAM officer who organises the audit and follows up its findings.",
    )
    lead_auditor_id = fields.Many2one(
        "res.users",
        string="Lead auditor",
        tracking=True,
        index="btree_not_null",
        domain="[('share', '=', False)]",
    )
    auditor_ids = fields.Many2many(
        "res.users",
        "kam_audit_auditor_rel",
        "audit_id",
        "user_id",
        string="Audit team",
        domain="[('share', '=', False)]",
    )
    external_auditor_ids = fields.Many2many(
        "res.partner",
        "kam_audit_external_auditor_rel",
        "audit_id",
        "partner_id",
        string="External auditors",
        help="Auditors of the certification body, a customer or a consultant.",
    )
    auditee_ids = fields.Many2many(
        "res.users",
        "kam_audit_auditee_rel",
        "audit_id",
        "user_id",
        string="Auditees",
        domain="[('share', '=', False)]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Audited party or body",
        index="btree_not_null",
        help="The supplier audited, or the certification body that audits.",
    )
    # scope and criteria (ISO 19011 5.5.2)
    standard_ids = fields.Many2many("kam.standard", string="Standards")
    department_ids = fields.Many2many("hr.department", string="Departments", check_company=True)
    process = fields.Char(help="The process audited, e.g. Purchasing.")
    site = fields.Char(help="Site or location, e.g. Apeldoorn, Industrieweg 12.")
    criteria = fields.Text(
        help="What the audit is measured against: standards, procedures, legal and customer "
        "requirements."
    )
    objective = fields.Text()
    scope_key = fields.Char(
        string="Scope key",
        compute="_compute_scope_key",
        store=True,
        index=True,
        help="Type, departments, process and standards: audits with the same key audit the same "
        "thing (the last one's checklist can be copied, its findings weigh in the programme).",
    )
    # dates
    date_planned = fields.Date(string="Planned on", required=True, tracking=True, index=True)
    date_planned_end = fields.Date(string="Planned until")
    date_start = fields.Date(string="Held from", tracking=True, copy=False)
    date_end = fields.Date(string="Held until", tracking=True, copy=False)
    reported_date = fields.Date(string="Reported on", readonly=True, copy=False)
    closed_date = fields.Date(string="Closed on", readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", string="Closed by", readonly=True, copy=False)
    # checklist
    checklist_id = fields.Many2one(
        "kam.audit.checklist",
        check_company=True,
        help="The template whose questions a new audit copies.",
    )
    line_ids = fields.One2many("kam.audit.line", "audit_id", string="Checklist lines", copy=True)
    question_count = fields.Integer(compute="_compute_progress", string="Questions")
    answered_count = fields.Integer(compute="_compute_progress", string="Answered")
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    # findings (kam.case with audit_id, kam_case_audit.py)
    finding_ids = fields.One2many("kam.case", "audit_id", string="Findings")
    finding_count = fields.Integer(
        string="Number of findings", compute="_compute_finding_counts", compute_sudo=True
    )
    open_finding_count = fields.Integer(
        string="Open findings", compute="_compute_finding_counts", compute_sudo=True
    )
    # report
    summary = fields.Html(string="Summary and conclusion")
    strengths = fields.Html(string="Strong points")
    report_lang = fields.Selection(
        selection="_selection_report_lang",
        string="Report language",
        help="The language of the audit report; empty: the company's language.",
    )
    # checks (shown on the form; blocking depends on the company's setting)
    independence_issue = fields.Text(
        string="Independence problems", compute="_compute_auditor_issues"
    )
    competence_issue = fields.Text(string="Competence problems", compute="_compute_auditor_issues")
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Planned date passed while the audit has not started.",
    )
    action_ids = fields.One2many("kam.action", "audit_id", string="Actions")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _dates_check = models.Constraint(
        "CHECK((date_planned_end IS NULL OR date_planned_end >= date_planned)"
        " AND (date_end IS NULL OR date_start IS NULL OR date_end >= date_start))",
        "An audit cannot end before it starts.",
    )
    # one audit per programme line and period: generating the programme is idempotent
    _programme_period_uniq = models.UniqueIndex(
        "(programme_line_id, programme_period) WHERE programme_line_id IS NOT NULL",
        "This programme line already has an audit for this period.",
    )
    _certificate_period_uniq = models.UniqueIndex(
        "(certificate_id, audit_type, programme_period)"
        " WHERE certificate_id IS NOT NULL AND programme_period IS NOT NULL",
        "This certificate already has this audit for this period.",
    )
    _company_date_idx = models.Index("(company_id, date_planned DESC, id DESC)")

    # ------------------------------------------------------------------ computes
    def _kam_creation_note(self):
        return self.env._("Audit created")

    @api.model
    def _selection_report_lang(self):
        return self.env["res.lang"].get_installed()

    @api.depends("audit_type")
    def _compute_is_external(self):
        for audit in self:
            audit.is_external = audit.audit_type in EXTERNAL_TYPES

    @api.depends("audit_type", "department_ids", "process", "standard_ids")
    def _compute_scope_key(self):
        for audit in self:
            audit.scope_key = scope_key(
                audit.audit_type, audit.department_ids.ids, audit.process, audit.standard_ids.ids
            )

    @api.depends("line_ids.result", "line_ids.display_type")
    def _compute_progress(self):
        for audit in self:
            questions = audit.line_ids.filtered(lambda line: line.display_type == "question")
            answered = questions.filtered("result")
            audit.question_count = len(questions)
            audit.answered_count = len(answered)
            audit.progress = 100.0 * len(answered) / len(questions) if questions else 0.0

    def _compute_finding_counts(self):
        groups = self.env["kam.case"]._read_group(
            [("audit_id", "in", self.ids)], ["audit_id", "is_closed"], ["__count"]
        )
        total, open_ = {}, {}
        for audit, closed, count in groups:
            total[audit] = total.get(audit, 0) + count
            if not closed:
                open_[audit] = open_.get(audit, 0) + count
        for audit in self:
            audit.finding_count = total.get(audit, 0)
            audit.open_finding_count = open_.get(audit, 0)

    @api.depends("date_planned", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for audit in self:
            audit.is_overdue = audit.state in TODO_STATES and audit.date_planned < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue audits."))
        domain = Domain("state", "in", TODO_STATES) & Domain(
            "date_planned", "<", fields.Date.context_today(self)
        )
        return domain if (operator == "=") == value else ~domain

    @api.depends("lead_auditor_id", "auditor_ids", "auditee_ids", "department_ids", "date_planned")
    def _compute_auditor_issues(self):
        issues = self._kam_auditor_issues()
        for audit in self:
            independence, competence = issues.get(audit, ([], []))
            audit.independence_issue = "\n".join(independence) or False
            audit.competence_issue = "\n".join(competence) or False

    # ------------------------------------------------------------------ auditors
    def _kam_auditors(self):
        self.ensure_one()
        return self.lead_auditor_id | self.auditor_ids

    def _kam_auditor_issues(self):
        """{audit: ([independence issues], [competence issues])}: nobody audits
        their own department or their own work (an auditor who is an auditee);
        the auditors of internal audits hold the role "internal auditor" with a
        certificate that is valid on the planned date. Two queries for a batch."""
        users = self.lead_auditor_id | self.auditor_ids
        if not users:
            return {}
        employees = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=True)
            .search([("user_id", "in", users.ids)])
        )
        departments_of = {}
        for employee in employees:
            departments_of.setdefault((employee.user_id.id, employee.company_id.id), set()).add(
                employee.department_id.id
            )
        role = self.env.ref(AUDITOR_ROLE, raise_if_not_found=False)
        valid_until = {}
        if role:
            for assignment in (
                self.env["kam.role.assignment"]
                .sudo()
                .search([("role_id", "=", role.id), ("employee_id", "in", employees.ids)])
            ):
                key = (assignment.employee_id.user_id.id, assignment.company_id.id)
                # no expiry date: valid for ever
                until = assignment.expiry_date or fields.Date.to_date("9999-12-31")
                valid_until[key] = max(valid_until.get(key, until), until)
        result = {}
        for audit in self:
            independence, competence = [], []
            audited = set(audit.department_ids.ids)
            for user in audit._kam_auditors():
                key = (user.id, audit.company_id.id)
                own = departments_of.get(key, set()) & audited
                if own:
                    independence.append(
                        self.env._(
                            "%(auditor)s would audit their own department (%(department)s).",
                            auditor=user.name,
                            department=", ".join(
                                audit.department_ids.filtered(lambda d, o=own: d.id in o).mapped(
                                    "name"
                                )
                            ),
                        )
                    )
                if user in audit.auditee_ids:
                    independence.append(
                        self.env._(
                            "%(auditor)s is also an auditee: nobody audits their own work.",
                            auditor=user.name,
                        )
                    )
                if audit.is_external or not role:
                    continue
                until = valid_until.get(key)
                if not until:
                    competence.append(
                        self.env._(
                            "%(auditor)s does not hold the role %(role)s.",
                            auditor=user.name,
                            role=role.name,
                        )
                    )
                elif audit.date_planned and until < audit.date_planned:
                    competence.append(
                        self.env._(
                            "The auditor certificate of %(auditor)s expires on %(date)s, before "
                            "the audit.",
                            auditor=user.name,
                            date=until,
                        )
                    )
            if independence or competence:
                result[audit] = (independence, competence)
        return result

    @api.constrains("lead_auditor_id", "auditor_ids", "auditee_ids", "department_ids")
    def _check_independence(self):
        blocking = self.filtered(lambda a: a.company_id.kam_audit_auditor_rule == "block")
        for audit, (independence, _competence) in blocking._kam_auditor_issues().items():
            if independence:
                raise ValidationError(
                    self.env._(
                        "Audit %(audit)s: the auditors must be independent of what they audit.\n"
                        "%(issues)s",
                        audit=audit.display_name,
                        issues="\n".join(independence),
                    )
                )

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        # references per year of the planned date, one query per year (not per audit)
        today = fields.Date.context_today(self)
        to_number = {}
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == "/":
                date = fields.Date.to_date(vals.get("date_planned")) or today
                to_number.setdefault(date.year, []).append((vals, date))
        if to_number:
            sequence = self.env.ref("kam_management.seq_kam_audit")
            for items in to_number.values():
                references = next_references(sequence, items[0][1], len(items))
                for (vals, _date), reference in zip(items, references, strict=True):
                    vals["name"] = reference
        audits = super().create(vals_list)
        # the checklist's questions, for every new audit without lines: one create
        to_copy = audits.filtered(lambda a: a.checklist_id and not a.line_ids)
        if to_copy:
            to_copy._kam_copy_checklist()
        return audits

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "in_progress":
            today = fields.Date.context_today(self)
            starting = self.filtered(lambda a: not a.date_start)
            if starting:
                starting.write({"date_start": today})
        if vals.get("state") == "reported":
            today = fields.Date.context_today(self)
            ending = self.filtered(lambda a: not a.date_end)
            for audit in ending:
                audit.date_end = max(today, audit.date_start or today)
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for audit, vals in zip(self, vals_list, strict=True):
            vals.setdefault("title", self.env._("%(title)s (copy)", title=audit.title))
            # a copy is a new audit: its answers are still to be given
            vals["line_ids"] = [Command.create(v) for v in audit._kam_question_values()]
        return vals_list

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda a: a.state == "closed")

    def _kam_unlocks(self, vals):
        """A manager reopens a closed audit (back to findings closed)."""
        return set(vals) <= {"state"} and vals.get("state") == "findings_closed"

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Audit %(audit)s is closed and can no longer be changed.",
                audit=", ".join(self.mapped("name")[:5]),
            )
        )

    def _kam_check_unlink(self):
        if any(audit.state not in ("planned", "cancelled") for audit in self):
            raise UserError(
                self.env._("Only planned or cancelled audits can be deleted; archive the others.")
            )

    def _kam_transition_refused(self, old, new):
        if (old, new) == ("closed", "findings_closed"):
            return self.env._("Only KAM managers can reopen a closed audit.")
        return self.env._("Only KAM officers can make this change of the audit's status.")

    def _kam_check_state_change(self, old, new, vals):
        lead = vals.get("lead_auditor_id", self.lead_auditor_id.id)
        if new == "prepared":
            if not lead and not self.is_external:
                raise UserError(
                    self.env._("Audit %(audit)s: choose the lead auditor first.", audit=self.name)
                )
            if not self.is_external and not self.line_ids.filtered(
                lambda line: line.display_type == "question"
            ):
                raise UserError(
                    self.env._(
                        "Audit %(audit)s has no questions: load a checklist or copy the last "
                        "audit of the same scope first.",
                        audit=self.name,
                    )
                )
            if self.company_id.kam_audit_auditor_rule == "block":
                issues = self._kam_auditor_issues().get(self)
                if issues and issues[1]:
                    raise UserError(
                        self.env._(
                            "Audit %(audit)s: the auditors must be competent.\n%(issues)s",
                            audit=self.name,
                            issues="\n".join(issues[1]),
                        )
                    )
        if new == "reported":
            unanswered = self.line_ids.filtered(
                lambda line: line.display_type == "question" and not line.result
            )
            if unanswered:
                raise UserError(
                    self.env._(
                        "Audit %(audit)s: %(count)s question(s) have no result yet.",
                        audit=self.name,
                        count=len(unanswered),
                    )
                )
        if new in ("findings_closed", "closed"):
            self._kam_check_findings_closed()
        if new == "closed":
            open_actions = self.action_ids.filtered(lambda a: a.state == "open")
            if open_actions:
                raise UserError(
                    self.env._(
                        "Audit %(audit)s cannot be closed while %(count)s action(s) are open.",
                        audit=self.name,
                        count=len(open_actions),
                    )
                )

    def _kam_check_findings_closed(self):
        self.ensure_one()
        open_findings = (
            self.env["kam.case"]
            .sudo()
            .search([("audit_id", "=", self.id), ("is_closed", "=", False)])
        )
        if open_findings:
            raise UserError(
                self.env._(
                    "Audit %(audit)s cannot be closed while %(count)s finding(s) are open: "
                    "%(findings)s.",
                    audit=self.name,
                    count=len(open_findings),
                    findings=", ".join(open_findings.mapped("name")[:10]),
                )
            )

    def _kam_state_values(self, new):
        today = fields.Date.context_today(self)
        if new == "reported":
            return {"reported_date": today}
        if new == "closed":
            return {"closed_date": today, "closed_by_id": self.env.uid}
        if new in ("in_progress", "prepared", "planned"):
            return {"reported_date": False, "closed_date": False, "closed_by_id": False}
        if new == "findings_closed":
            return {"closed_date": False, "closed_by_id": False}
        return {}

    def _kam_sync_findings_state(self):
        """Findings closed <-> reported follows the audit's findings: the last open
        finding closed moves a reported audit on; a finding reopened (or added)
        moves it back. Run by the workflow, whoever closed the case."""
        audits = self.sudo().filtered(lambda a: a.state in ("reported", "findings_closed"))
        if not audits:
            return
        open_counts = dict(
            self.env["kam.case"]
            .sudo()
            ._read_group(
                [("audit_id", "in", audits.ids), ("is_closed", "=", False)],
                ["audit_id"],
                ["__count"],
            )
        )
        any_counts = dict(
            self.env["kam.case"]
            .sudo()
            ._read_group([("audit_id", "in", audits.ids)], ["audit_id"], ["__count"])
        )
        done = audits.filtered(
            lambda a: a.state == "reported" and any_counts.get(a) and not open_counts.get(a)
        )
        back = audits.filtered(lambda a: a.state == "findings_closed" and open_counts.get(a))
        if done:
            done.write({"state": "findings_closed"})
        if back:
            back.write({"state": "reported"})

    # ------------------------------------------------------------------ checklists
    def _kam_check_checklist_open(self):
        """Checklist lines change until the audit is closed (or cancelled)."""
        locked = self.filtered(lambda a: a.state in ("closed", "cancelled"))
        if locked and not self.env.su:
            raise UserError(
                self.env._(
                    "Audit %(audit)s is closed: its checklist can no longer change.",
                    audit=", ".join(locked.mapped("name")[:5]),
                )
            )

    def _kam_question_values(self):
        """The lines of this audit as new, unanswered lines (to copy it)."""
        self.ensure_one()
        return [
            {
                "sequence": line.sequence,
                "display_type": line.display_type,
                "name": line.name,
                "guidance": line.guidance,
                "clause_ids": [Command.set(line.clause_ids.ids)],
            }
            for line in self.line_ids.sorted(lambda line: (line.sequence, line.id))
        ]

    def _kam_copy_checklist(self):
        """Add the questions of each audit's checklist template (one create)."""
        values = []
        for audit in self:
            for line_vals in audit.checklist_id._kam_line_values():
                values.append(dict(line_vals, audit_id=audit.id))
        return self.env["kam.audit.line"].create(values)

    def _kam_check_lines_editable(self):
        for audit in self:
            if audit.state not in TODO_STATES:
                raise UserError(
                    self.env._(
                        "Audit %(audit)s has started: its questions can no longer be replaced.",
                        audit=audit.name,
                    )
                )

    def action_load_checklist(self):
        """Replace the unanswered questions by those of the chosen checklist."""
        self._kam_check_lines_editable()
        for audit in self:
            if not audit.checklist_id:
                raise UserError(
                    self.env._("Audit %(audit)s: choose a checklist first.", audit=audit.name)
                )
        self.line_ids.filtered(lambda line: not line.result and not line.case_ids).unlink()
        self._kam_copy_checklist()
        return True

    def _kam_last_same_scope(self):
        """The last audit of the same scope (type, departments, process,
        standards) that has checklist lines, before this one."""
        self.ensure_one()
        return self.search(
            [
                ("id", "!=", self.id),
                ("company_id", "=", self.company_id.id),
                ("scope_key", "=", self.scope_key),
                ("state", "!=", "cancelled"),
                ("line_ids", "!=", False),
                ("date_planned", "<=", self.date_planned),
            ],
            order="date_planned desc, id desc",
            limit=1,
        )

    def action_copy_last_audit(self):
        """Take over the questions of the last audit of the same scope."""
        self._kam_check_lines_editable()
        for audit in self:
            last = audit._kam_last_same_scope()
            if not last:
                raise UserError(
                    self.env._(
                        "There is no earlier audit of the same scope as %(audit)s.",
                        audit=audit.name,
                    )
                )
            audit.line_ids.filtered(lambda line: not line.result and not line.case_ids).unlink()
            self.env["kam.audit.line"].create(
                [dict(values, audit_id=audit.id) for values in last._kam_question_values()]
            )
        return True

    # ------------------------------------------------------------------ findings
    def _kam_finding_deadline(self, result):
        """The deadline of a finding with ``result``: the certification rules
        (the certificate's for an external audit, else the company's) from the
        last day of the audit. None: no deadline."""
        self.ensure_one()
        rules = self.certificate_id if self.is_external and self.certificate_id else self.company_id
        days = {
            "major": rules.kam_major_nc_days,
            "minor": rules.kam_minor_nc_days,
        }.get(result)
        if not days:
            return None
        base = self.date_end or self.date_start or self.date_planned
        return base + timedelta(days=days)

    def action_create_findings(self):
        """A case for every checklist line with a finding that has none yet."""
        lines = self.line_ids.filtered(lambda line: line._kam_is_finding() and not line.case_ids)
        if not lines:
            raise UserError(self.env._("There are no new findings to register."))
        lines.action_create_finding()
        return self.action_view_findings()

    # ------------------------------------------------------------------ buttons
    def _kam_set_state(self, new, allowed):
        for audit in self:
            if audit.state not in allowed:
                labels = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "Audit %(audit)s cannot go from %(old)s to %(new)s.",
                        audit=audit.name,
                        old=labels[audit.state],
                        new=labels[new],
                    )
                )
        self.write({"state": new})
        return True

    def action_prepare(self):
        return self._kam_set_state("prepared", ("planned",))

    def action_start(self):
        return self._kam_set_state("in_progress", ("prepared",))

    def action_report(self):
        return self._kam_set_state("reported", ("in_progress",))

    def action_close(self):
        return self._kam_set_state("closed", ("reported", "findings_closed"))

    def action_cancel(self):
        return self._kam_set_state("cancelled", TODO_STATES)

    def action_replan(self):
        return self._kam_set_state("planned", ("cancelled", "prepared"))

    def action_reopen(self):
        return self._kam_set_state("findings_closed", ("closed",))

    @api.readonly
    def action_view_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_case_action_all")
        action["display_name"] = self.env._("Findings of %(audit)s", audit=self.name)
        action["domain"] = [("audit_id", "=", self.id)]
        action["context"] = {
            "default_audit_id": self.id,
            "default_source": "audit",
            "default_company_id": self.company_id.id,
        }
        return action

    def _kam_action_defaults(self):
        return dict(super()._kam_action_defaults(), kind="improvement")

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("state", "in", TODO_STATES)]

    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_audit_reminder_days

    def _kam_duty_reminder_values(self, today):
        values = {}
        for audit in self:
            user = audit.lead_auditor_id or audit.user_id
            if user:
                values[audit] = {
                    "user_id": user.id,
                    "date_deadline": audit.date_planned,
                    "summary": lambda env, audit=audit: env._(
                        "Prepare audit %(audit)s on %(date)s",
                        audit=audit.name,
                        date=format_date(env, audit.date_planned),
                    ),
                }
        return values

    def _kam_duty_perform(self, company, today):
        """The lead auditor's activity (the one rule of the periodic duty), and a
        reminder mail to every auditor and auditee of the audits just reminded,
        through the mail queue (one batch per chunk)."""
        activities = super()._kam_duty_perform(company, today)
        reminded = self.browse(activities.mapped("res_id"))
        with_people = reminded.filtered(lambda a: a._kam_reminder_partners())
        if with_people:
            template = self.env.ref("kam_management.mail_template_kam_audit_reminder")
            template.sudo().send_mail_batch(with_people.ids)
        return activities

    def _kam_reminder_partners(self):
        """Who the reminder mail goes to: lead auditor, team, external auditors,
        auditees (those with an e-mail address)."""
        self.ensure_one()
        partners = (
            self.lead_auditor_id.partner_id
            | self.auditor_ids.partner_id
            | self.external_auditor_ids
            | self.auditee_ids.partner_id
        )
        return partners.filtered("email")

    def _kam_reminder_partner_ids(self):
        """For the mail template's recipients (comma separated ids)."""
        return ",".join(str(pid) for pid in self._kam_reminder_partners().ids)

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_audit_register_columns(self):
        return [
            xlsx.char("name", width=16),
            xlsx.char("title", width=36),
            xlsx.selection("audit_type", width=22),
            xlsx.selection("method", width=12),
            xlsx.many2one("programme_id", width=24),
            xlsx.many2many("department_ids", sudo=True),
            xlsx.char("process", width=20),
            xlsx.many2many("standard_ids", sudo=True),
            xlsx.many2one("lead_auditor_id", width=22),
            xlsx.many2many("auditor_ids", sudo=True),
            xlsx.many2many("auditee_ids", sudo=True),
            xlsx.date("date_planned"),
            xlsx.date("date_start"),
            xlsx.date("date_end"),
            xlsx.selection("state", self.env._("Status"), width=16),
            xlsx.integer("finding_count", self.env._("Findings"), width=10),
            xlsx.integer("open_finding_count", self.env._("Open findings"), width=12),
            xlsx.boolean("is_overdue", self.env._("Overdue"), by_search=True),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "audit_programme",
                self.env._("Audit programme"),
                columns=self._kam_audit_register_columns,
                order="date_planned, id",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Audits")

    @api.model
    def _clause_evidence_domain(self):
        """Audits held are the evidence; planned ones are not (yet)."""
        return [("state", "in", DONE_STATES)]

    @api.model
    def _clause_evidence_expected_months(self, company):
        """Every clause is audited within the certification cycle (three years)."""
        return AUDIT_CYCLE_MONTHS


def scope_key(audit_type, department_ids, process, standard_ids):
    """What an audit audits, as one comparable value."""
    return "|".join(
        (
            audit_type or "",
            ",".join(str(i) for i in sorted(department_ids)),
            (process or "").strip().lower(),
            ",".join(str(i) for i in sorted(standard_ids)),
        )
    )


class KamAction(models.Model):
    """An action whose source is an audit (an improvement it suggested, a
    follow-up of the programme)."""

    # each source declares its many2one in its own file (README, action sources)
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    audit_id = source_field("kam.audit")
