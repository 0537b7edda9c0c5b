from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools import xlsx
from .kam_action_source import source_field

DOCUMENT_TYPES = [
    ("policy", "Policy"),
    ("manual", "Manual"),
    ("procedure", "Procedure"),
    ("work_instruction", "Work instruction"),
    ("form", "Form"),
    ("record", "Record"),
    ("external", "External document"),
]
# approved by KAM managers only (management owns the policy, ISO 9001 5.2)
POLICY_LEVEL = ("policy", "manual")
# the types that employees read and acknowledge by default
ACKNOWLEDGED_TYPES = ("policy", "manual", "procedure", "work_instruction")
DOCUMENT_STATES = [
    ("draft", "In preparation"),
    ("effective", "In force"),
    ("obsolete", "Obsolete"),
]
OFFICER = "kam_management.group_kam_officer"
# a change of these fields changes who must read and acknowledge the document
AUDIENCE_FIELDS = ("department_ids", "job_ids", "applies_to_all", "acknowledge", "company_id")


class KamDocument(models.Model):
    """A controlled document (ISO 9001 / 14001 / 45001 7.5): policy, manual,
    procedure, work instruction, form, record or external document.

    Its content lives in versions (``kam.document.version``): draft -> in
    review -> approved -> effective -> obsolete, with an explicit release. The
    document's status follows its versions: effective while one version is,
    obsolete once withdrawn (kept, read-only, never deleted). The employees of
    the departments and jobs it applies to read and acknowledge the effective
    version (``kam.document.acknowledgement``); its review date is a periodic
    duty of the owner."""

    _name = "kam.document"
    _description = "KAM controlled document"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.register.mixin",
        "kam.review.mixin",
        "kam.clause.link.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "code, id"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True
    _kam_action_field = "document_id"
    # periodic review (kam.review.mixin): the owner is reminded before the review
    # date (KAM settings: days before); each review is also a kam.document.review
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_document_review"
    _clause_evidence_date_field = "effective_date"
    _kam_derived_fields = ("last_review_date", "reviewed_by_id")
    _kam_lock_expression = "state == 'obsolete'"

    code = fields.Char(
        required=True,
        tracking=True,
        index="trigram",
        help="The document's number in the management system, e.g. PR-04 or WI-12.",
    )
    name = fields.Char(string="Title", required=True, tracking=True, index="trigram")
    doc_type = fields.Selection(
        DOCUMENT_TYPES, string="Type", required=True, default="procedure", tracking=True
    )
    is_policy_level = fields.Boolean(
        compute="_compute_is_policy_level",
        help="Policies and manuals are approved by KAM managers only.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Keeps the document up to date and reviews it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")
    description = fields.Text(string="Purpose and scope")
    # who it applies to
    applies_to_all = fields.Boolean(
        string="Whole company",
        tracking=True,
        help="The document applies to every employee of the company.",
    )
    department_ids = fields.Many2many(
        "hr.department",
        "kam_document_hr_department_rel",
        "document_id",
        "department_id",
        string="Departments",
        check_company=True,
        help="The employees of these departments (and their sub-departments) read and "
        "acknowledge the effective version.",
    )
    job_ids = fields.Many2many(
        "hr.job",
        "kam_document_hr_job_rel",
        "document_id",
        "job_id",
        string="Job positions",
        check_company=True,
        help="The employees in these job positions read and acknowledge the effective version.",
    )
    acknowledge = fields.Boolean(
        string="Read and acknowledge",
        compute="_compute_acknowledge",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The employees it applies to confirm that they have read the effective version; a "
        "major revision asks them again.",
    )
    applies_to_me = fields.Boolean(
        string="Applies to me", compute="_compute_applies_to_me", search="_search_applies_to_me"
    )
    # review and approval
    reviewer_ids = fields.Many2many(
        "res.users",
        "kam_document_reviewer_rel",
        "document_id",
        "user_id",
        string="Reviewers",
        default=lambda self: self.env.company.kam_document_reviewer_ids,
        domain="[('share', '=', False)]",
        help="Review a new version before it is approved (KAM settings give the defaults).",
    )
    approver_ids = fields.Many2many(
        "res.users",
        "kam_document_approver_rel",
        "document_id",
        "user_id",
        string="Approvers",
        default=lambda self: self.env.company.kam_document_approver_ids,
        domain="[('share', '=', False)]",
        help="May approve a new version (KAM settings give the defaults). Empty: any KAM "
        "officer. Policies and manuals are approved by KAM managers only.",
    )
    # versions
    version_ids = fields.One2many("kam.document.version", "document_id", string="Versions")
    current_version_id = fields.Many2one(
        "kam.document.version",
        string="Effective version",
        compute="_compute_current_version",
        store=True,
        index="btree_not_null",
    )
    version_label = fields.Char(string="Version", related="current_version_id.name")
    effective_date = fields.Date(
        string="Effective since", related="current_version_id.effective_date", store=True
    )
    current_body = fields.Html(related="current_version_id.body", string="Content")
    current_file = fields.Binary(related="current_version_id.file", string="File")
    current_file_name = fields.Char(related="current_version_id.file_name")
    current_content_type = fields.Selection(
        related="current_version_id.content_type", string="Content type"
    )
    state = fields.Selection(
        DOCUMENT_STATES,
        string="Status",
        compute="_compute_current_version",
        store=True,
        index=True,
        tracking=True,
    )
    pending_version_id = fields.Many2one(
        "kam.document.version",
        string="Version in progress",
        compute="_compute_pending_version",
        compute_sudo=True,
        help="The new version being drafted, reviewed or waiting for its release.",
    )
    has_pending_version = fields.Boolean(compute="_compute_pending_version", compute_sudo=True)
    version_count = fields.Integer(compute="_compute_version_count")
    can_edit_versions = fields.Boolean(
        compute="_compute_can_edit_versions",
        help="The current user owns, reviews or approves the document, or is a KAM officer.",
    )
    # periodic review (ISO 9001 7.5.2 b): the fields of kam.review.mixin
    review_frequency = fields.Selection(
        help="A release or a review moves the review date on by this. Empty: no periodic review."
    )
    review_ids = fields.One2many("kam.document.review", "document_id", string="Reviews")
    # distribution
    acknowledgement_ids = fields.One2many(
        "kam.document.acknowledgement", "document_id", string="Acknowledgements"
    )
    ack_required_count = fields.Integer(
        string="Must read", compute="_compute_ack_counts", help="Employees who must read it."
    )
    ack_done_count = fields.Integer(string="Have read", compute="_compute_ack_counts")
    ack_rate = fields.Float(string="Read (%)", compute="_compute_ack_counts", digits=(5, 1))
    my_ack_pending = fields.Boolean(
        string="To read by me",
        compute="_compute_my_ack_pending",
        help="You still have to confirm that you read the effective version.",
    )
    # the portal (customers, subcontractors)
    portal_published = fields.Boolean(
        string="On the portal",
        tracking=True,
        help="Portal contacts see the effective version under My documents.",
    )
    portal_partner_ids = fields.Many2many(
        "res.partner",
        "kam_document_portal_partner_rel",
        "document_id",
        "partner_id",
        string="Portal contacts of",
        domain="[('is_company', '=', True)]",
        help="Only the portal contacts of these companies see it. Empty: every portal contact.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _code_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "A document with this code already exists in this company."
    )

    # ------------------------------------------------------------------ computes
    def _kam_creation_note(self):
        return self.env._("Document created")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for document in self:
            document.display_name = (
                f"{document.code} {document.name}" if document.code else document.name or ""
            )

    @api.depends("doc_type")
    def _compute_is_policy_level(self):
        for document in self:
            document.is_policy_level = document.doc_type in POLICY_LEVEL

    @api.depends("doc_type")
    def _compute_acknowledge(self):
        for document in self:
            document.acknowledge = document.doc_type in ACKNOWLEDGED_TYPES

    @api.depends("version_ids.state", "version_ids.effective_date")
    def _compute_current_version(self):
        for document in self:
            versions = document.version_ids
            current = versions.filtered(lambda v: v.state == "effective")[:1]
            document.current_version_id = current
            if current:
                document.state = "effective"
            elif versions.filtered(lambda v: v.state == "obsolete" and v.effective_date):
                document.state = "obsolete"
            else:
                document.state = "draft"

    @api.depends("version_ids.state")
    def _compute_pending_version(self):
        for document in self:
            pending = document.version_ids.filtered(
                lambda v: v.state in ("draft", "review", "approved")
            )[:1]
            document.pending_version_id = pending
            document.has_pending_version = bool(pending)

    @api.depends_context("uid")
    @api.depends("user_id", "reviewer_ids", "approver_ids")
    def _compute_can_edit_versions(self):
        user = self.env.user
        officer = user.has_group(OFFICER)
        for document in self:
            document.can_edit_versions = officer or user in (
                document.user_id | document.reviewer_ids | document.approver_ids
            )

    def _compute_version_count(self):
        counts = dict(
            self.env["kam.document.version"]._read_group(
                [("document_id", "in", self.ids)], ["document_id"], ["__count"]
            )
        )
        for document in self:
            document.version_count = counts.get(document, 0)

    @api.depends_context("uid")
    @api.depends("applies_to_all", "department_ids", "job_ids", "company_id")
    def _compute_applies_to_me(self):
        domain = Domain("id", "in", self.ids) & Domain(self._search_applies_to_me("=", True))
        mine = self.sudo().with_context(active_test=False).search(domain)
        for document in self:
            document.applies_to_me = document in mine

    def _search_applies_to_me(self, operator, value):
        """The documents that apply to the current user's employees: the whole
        company, one of their departments or a parent of it, or their job."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the documents that apply to you."))
        employees = self.env.user.sudo().employee_ids
        domains = [
            Domain("company_id", "=", employee.company_id.id)
            & (
                Domain("applies_to_all", "=", True)
                | (
                    Domain("department_ids", "parent_of", employee.department_id.ids)
                    if employee.department_id
                    else Domain.FALSE
                )
                | (
                    Domain("job_ids", "in", employee.job_id.ids)
                    if employee.job_id
                    else Domain.FALSE
                )
            )
            for employee in employees
        ]
        domain = Domain.OR(domains) if domains else Domain.FALSE
        return domain if (operator == "=") == value else ~domain

    def _compute_ack_counts(self):
        """Employees who must read the effective version, and who have: one grouped
        query (the tasks of the current major version)."""
        groups = (
            self.env["kam.document.acknowledgement"]
            .sudo()
            ._read_group(
                [("document_id", "in", self.ids), ("is_current", "=", True)],
                ["document_id", "state"],
                ["__count"],
            )
        )
        total, done = {}, {}
        for document, state, count in groups:
            total[document.id] = total.get(document.id, 0) + count
            if state == "done":
                done[document.id] = done.get(document.id, 0) + count
        for document in self:
            document.ack_required_count = total.get(document.id, 0)
            document.ack_done_count = done.get(document.id, 0)
            document.ack_rate = (
                round(100.0 * document.ack_done_count / document.ack_required_count, 1)
                if document.ack_required_count
                else 0.0
            )

    @api.depends_context("uid")
    @api.depends("acknowledgement_ids.state")
    def _compute_my_ack_pending(self):
        pending = set(
            self.env["kam.document.acknowledgement"]
            .sudo()
            .search(
                [
                    ("document_id", "in", self.ids),
                    ("state", "=", "pending"),
                    ("user_id", "=", self.env.uid),
                ]
            )
            .document_id.ids
        )
        for document in self:
            document.my_ack_pending = document.id in pending

    # ------------------------------------------------------------------ ORM
    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in AUDIENCE_FIELDS) or vals.get("active") is not None:
            self.env["kam.document.acknowledgement"]._kam_sync(documents=self)
        return res

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda document: document.state == "obsolete")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "%(document)s is obsolete: it is kept as it was and can no longer be changed.",
                document=", ".join(self.mapped("display_name")[:5]),
            )
        )

    def _kam_check_unlink(self):
        released = self.filtered(
            lambda document: document.version_ids.filtered(lambda v: v.state != "draft")
        )
        if released:
            raise UserError(
                self.env._(
                    "%(document)s has versions that were reviewed or released; controlled "
                    "documents are kept. Archive it instead.",
                    document=", ".join(released.mapped("display_name")[:5]),
                )
            )

    # ------------------------------------------------------------------ buttons
    def action_new_version(self):
        """Open the version in progress, or start a new draft from the effective one."""
        self.ensure_one()
        version = self.pending_version_id
        if not version:
            version = self.env["kam.document.version"].create(self._kam_new_version_values())
        return version._kam_open_form()

    def _kam_new_version_values(self):
        """A new draft: a copy of the effective version's content."""
        self.ensure_one()
        current = self.current_version_id
        values = {"document_id": self.id}
        if current:
            values.update(
                content_type=current.content_type,
                body=current.body,
                file=current.file,
                file_name=current.file_name,
                revision="minor",
            )
        return values

    def _kam_print_version(self):
        """The version a print of the document shows: the effective one, else the
        latest (marked as not released on every page)."""
        self.ensure_one()
        if self.current_version_id:
            return self.current_version_id
        return self.version_ids.sorted(lambda v: (v.major, v.minor, v.id))[-1:]

    @api.readonly
    def action_view_versions(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_document_version_action"
        )
        action["domain"] = [("document_id", "=", self.id)]
        action["context"] = {
            "default_document_id": self.id,
            "kam_xlsx_register": "document_version",
        }
        return action

    @api.readonly
    def action_view_acknowledgements(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_document_acknowledgement_action"
        )
        action["domain"] = [("document_id", "=", self.id), ("is_current", "=", True)]
        action["context"] = {"kam_xlsx_register": "document_acknowledgement"}
        return action

    def action_review(self):
        """Record a review (reviewed, no change; revise; withdraw) in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review %(document)s", document=self.display_name),
            "res_model": "kam.document.review",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def action_acknowledge(self):
        """I have read the effective version (the current user's own tasks)."""
        self.check_access("read")
        tasks = (
            self.env["kam.document.acknowledgement"]
            .sudo()
            .search(
                [
                    ("document_id", "in", self.ids),
                    ("state", "=", "pending"),
                    ("user_id", "=", self.env.uid),
                ]
            )
        )
        if not tasks:
            raise UserError(self.env._("You have nothing to acknowledge for this document."))
        tasks.with_user(self.env.user).sudo(False).action_acknowledge()
        return True

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("state", "=", "effective")]

    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_document_review_remind_days

    def _kam_review_summary(self):
        return self.env._("Review the document")

    def action_reviewed(self):
        """Reviewed, no change: recorded as a review (who, when, which version),
        like every outcome of the Review dialog."""
        self.env["kam.document.review"].create(
            [{"document_id": document.id, "outcome": "no_change"} for document in self]
        )
        return True

    def _kam_next_review_date(self, start, after):
        """The review date after a release or a review: the next date of the series
        from ``start`` after ``after`` (False without a frequency)."""
        self.ensure_one()
        if not self.review_frequency:
            return False
        return self._kam_duty_next_date(self.review_frequency, start, after)

    # ------------------------------------------------------------------ compliance monitor
    # (kam.clause.link.mixin): documented information in force per clause (7.5)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Documents")

    @api.model
    def _clause_evidence_domain(self):
        """Documents in force are the evidence; drafts and obsolete ones are not."""
        return [("state", "=", "effective")]

    @api.model
    def _clause_evidence_problem_domain(self):
        """A document in force needs attention when its review is overdue."""
        return [
            ("state", "=", "effective"),
            ("review_date", "<", fields.Date.context_today(self)),
        ]

    # ------------------------------------------------------------------ registers
    def _kam_document_register_columns(self):
        return [
            xlsx.char("code", width=12),
            xlsx.char("name", width=40),
            xlsx.selection("doc_type", width=18),
            xlsx.char("version_label", width=9),
            xlsx.selection("state", width=14),
            xlsx.date("effective_date"),
            xlsx.many2one("user_id", width=24),
            xlsx.boolean("applies_to_all"),
            xlsx.many2many("department_ids", sudo=True),
            xlsx.many2many("job_ids", sudo=True),
            xlsx.many2many("theme_ids", width=20),
            xlsx.many2many("clause_ids", width=24),
            xlsx.date("review_date"),
            xlsx.date("last_review_date"),
            xlsx.boolean("acknowledge"),
            xlsx.integer("ack_required_count"),
            xlsx.integer("ack_done_count"),
            xlsx.number("ack_rate"),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "document",
                self.env._("Document register"),
                columns=self._kam_document_register_columns,
                order="code, id",
                filename="document_register",
            ),
        ]


class KamAction(models.Model):
    """An action whose source is a controlled document (a change to make, a gap
    found in a review)."""

    # the action-source extension point: each source declares its many2one in its own file
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    document_id = source_field("kam.document")
