from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, html2plaintext

from ..tools import xlsx
from ..tools.actions import open_record_action
from ..tools.activities import in_assignee_language
from .kam_document import POLICY_LEVEL

VERSION_STATES = [
    ("draft", "Draft"),
    ("review", "In review"),
    ("approved", "Approved"),
    ("effective", "In force"),
    ("obsolete", "Obsolete"),
    ("cancelled", "Cancelled"),
]
# a version being prepared: at most one per document
IN_PROGRESS = ("draft", "review", "approved")
OFFICER = "kam_management.group_kam_officer"
MANAGER = "kam_management.group_kam_manager"
# state changes: (from, to) -> the group that may make it (None: whoever may write
# the version; the approval adds its own rule, see _kam_check_state_change)
TRANSITIONS = {
    ("draft", "review"): None,
    ("review", "draft"): None,
    ("review", "approved"): None,
    ("approved", "effective"): OFFICER,
    ("effective", "obsolete"): OFFICER,
    ("draft", "cancelled"): None,
    ("review", "cancelled"): None,
    ("approved", "cancelled"): OFFICER,
}
CONTENT_FIELDS = ("content_type", "body", "file", "file_name")


class KamDocumentVersion(models.Model):
    """One version of a controlled document: its content (an HTML body or a
    file), a change summary and whether it is a minor or a major revision.

    Workflow (kam.workflow.mixin): draft -> in review -> approved -> effective
    -> obsolete. Saving a draft never asks for anything; submitting, approving
    and releasing are explicit state changes, whatever path writes them. Only
    a draft can be edited: an approved version cannot change, a change is a new
    version. The release makes the version effective and the previous
    effective version obsolete; obsolete versions are kept, never deleted.
    Who submitted, approved and released, and when, are set by the workflow."""

    _name = "kam.document.version"
    _description = "KAM document version"
    _inherit = [
        "kam.workflow.mixin",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "document_id, major desc, minor desc, id desc"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_lock_expression = "state != 'draft'"
    _kam_derived_fields = (
        "previous_id",
        "submitted_by_id",
        "submitted_date",
        "approved_by_id",
        "approved_date",
        "released_by_id",
        "effective_date",
        "obsolete_date",
    )

    document_id = fields.Many2one(
        "kam.document", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True, precompute=True
    )
    code = fields.Char(related="document_id.code")
    document_name = fields.Char(string="Title", related="document_id.name")
    doc_type = fields.Selection(related="document_id.doc_type", string="Type")
    name = fields.Char(
        string="Version",
        compute="_compute_number",
        store=True,
        precompute=True,
        readonly=True,
        recursive=True,
    )
    major = fields.Integer(
        compute="_compute_number", store=True, precompute=True, readonly=True, recursive=True
    )
    minor = fields.Integer(
        compute="_compute_number", store=True, precompute=True, readonly=True, recursive=True
    )
    previous_id = fields.Many2one(
        "kam.document.version",
        string="Revises",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The version this one revises.",
    )
    revision = fields.Selection(
        [("minor", "Minor revision"), ("major", "Major revision")],
        required=True,
        default="major",
        tracking=True,
        help="A major revision asks everyone to read and acknowledge it again; after a minor "
        "revision the acknowledgements of the previous version still count.",
    )
    change_summary = fields.Text(
        string="What changed", tracking=True, help="Required for every version after the first."
    )
    content_type = fields.Selection(
        [("html", "Text"), ("file", "File")], string="Content", required=True, default="html"
    )
    body = fields.Html(string="Text")
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    state = fields.Selection(
        VERSION_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    submitted_by_id = fields.Many2one("res.users", string="Submitted by", readonly=True, copy=False)
    submitted_date = fields.Datetime(string="Submitted on", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved on", readonly=True, copy=False)
    released_by_id = fields.Many2one("res.users", string="Released by", readonly=True, copy=False)
    effective_date = fields.Date(string="Effective since", readonly=True, copy=False, index=True)
    obsolete_date = fields.Date(string="Obsolete since", readonly=True, copy=False)
    acknowledgement_ids = fields.One2many(
        "kam.document.acknowledgement", "version_id", string="Acknowledgements"
    )

    # a cancelled version leaves its number to the next one
    _number_uniq = models.UniqueIndex(
        "(document_id, major, minor) WHERE state != 'cancelled'",
        "This version number already exists.",
    )
    # one version in preparation and one effective version per document
    _in_progress_uniq = models.UniqueIndex(
        "(document_id) WHERE state IN ('draft', 'review', 'approved')",
        "This document already has a version in preparation: finish or cancel it first.",
    )
    _effective_uniq = models.UniqueIndex(
        "(document_id) WHERE state = 'effective'",
        "A document has only one effective version.",
    )

    # ------------------------------------------------------------------ computes
    def _kam_creation_note(self):
        return self.env._("Document version created")

    @api.depends("document_id.code", "name")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(document)s, version %(version)s",
                document=version.document_id.code or "",
                version=version.name or "",
            )

    @api.depends("revision", "previous_id.major", "previous_id.minor")
    def _compute_number(self):
        for version in self:
            previous = version.previous_id
            if not previous:
                major, minor = 1, 0
            elif version.revision == "major":
                major, minor = previous.major + 1, 0
            else:
                major, minor = previous.major, previous.minor + 1
            version.major, version.minor = major, minor
            version.name = f"{major}.{minor}"

    # ------------------------------------------------------------------ ORM
    def _kam_create_values(self, vals_list):
        """The previous version is the document's latest version that was not
        cancelled (one read for the batch); a first version is a major one."""
        document_ids = {vals["document_id"] for vals in vals_list if vals.get("document_id")}
        latest = {}
        for version in self.search(
            [("document_id", "in", list(document_ids)), ("state", "!=", "cancelled")],
            order="major desc, minor desc, id desc",
        ):
            latest.setdefault(version.document_id.id, version)
        result = []
        for vals in vals_list:
            previous = latest.get(vals.get("document_id"))
            vals = dict(vals, previous_id=previous.id if previous else False)
            if not previous:
                vals["revision"] = "major"
            result.append(vals)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        documents = self.env["kam.document"].browse(
            {vals["document_id"] for vals in vals_list if vals.get("document_id")}
        )
        locked = documents._kam_is_locked()
        if locked and not self._kam_trusted():
            raise locked._kam_locked_error()
        busy = documents.filtered("pending_version_id")
        if busy:
            raise UserError(
                self.env._(
                    "%(document)s already has a version in preparation (%(version)s): finish or "
                    "cancel it first.",
                    document=busy[:1].display_name,
                    version=busy[:1].pending_version_id.name,
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        new_state = vals.get("state")
        before = {version: version.state for version in self} if new_state else {}
        if new_state == "effective":
            # the previous effective version gives way first (one effective per document)
            self._kam_supersede()
        res = super().write(vals)
        if before:
            self._kam_after_state_change(before)
        return res

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda version: version.state != "draft")

    def _kam_unlocks(self, vals):
        # a state change (checked by _kam_check_transition) is all a locked version takes
        return set(vals) <= {"state"}

    def _kam_locked_error(self):
        version = self[:1]
        return UserError(
            self.env._(
                "%(version)s is %(state)s and can no longer be changed; make a new version "
                "instead.",
                version=version.display_name,
                state=dict(self._fields["state"]._description_selection(self.env))[version.state],
            )
        )

    def _kam_check_unlink(self):
        kept = self.filtered(lambda version: version.state != "draft")
        if kept:
            raise UserError(
                self.env._(
                    "%(version)s was reviewed or released and is kept as a record; only drafts "
                    "can be deleted.",
                    version=kept[:1].display_name,
                )
            )

    def _kam_transition_refused(self, old, new):
        if new == "effective":
            return self.env._("Only KAM officers can release a version.")
        if new == "obsolete":
            return self.env._("Only KAM officers can make a version obsolete.")
        return self.env._("Only KAM officers can cancel an approved version.")

    def _kam_check_state_change(self, old, new, vals):
        if new == "review":
            self._kam_check_complete()
        elif new == "approved":
            self._kam_check_approver()

    def _kam_check_complete(self):
        """A version goes to review with its content and, after the first, a summary
        of what changed."""
        for version in self:
            if version.content_type == "file" and not version.file:
                raise UserError(
                    self.env._(
                        "Attach the file of %(version)s first.", version=version.display_name
                    )
                )
            if version.content_type == "html" and not html2plaintext(version.body or "").strip():
                raise UserError(
                    self.env._("Write the text of %(version)s first.", version=version.display_name)
                )
            if version.previous_id and not (version.change_summary or "").strip():
                raise UserError(
                    self.env._(
                        "Describe what changed in %(version)s first.", version=version.display_name
                    )
                )

    def _kam_check_approver(self):
        """Policies and manuals: KAM managers only; otherwise the document's
        approvers, or any KAM officer when it names none."""
        if self.env.su:
            return
        user = self.env.user
        for version in self:
            document = version.document_id
            if document.doc_type in POLICY_LEVEL and not user.has_group(MANAGER):
                raise AccessError(
                    self.env._(
                        "Only KAM managers can approve a policy or a manual (%(document)s).",
                        document=document.display_name,
                    )
                )
            approvers = document.sudo().approver_ids
            if approvers and user not in approvers and not user.has_group(MANAGER):
                raise AccessError(
                    self.env._(
                        "Only the approvers of %(document)s can approve it: %(users)s.",
                        document=document.display_name,
                        users=", ".join(approvers.mapped("name")),
                    )
                )
            if not approvers and not user.has_group(OFFICER):
                raise AccessError(self.env._("Only KAM officers can approve a version."))

    def _kam_state_values(self, new):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        if new == "draft":
            return {"submitted_by_id": False, "submitted_date": False}
        if new == "review":
            return {"submitted_by_id": self.env.uid, "submitted_date": now}
        if new == "approved":
            return {"approved_by_id": self.env.uid, "approved_date": now}
        if new == "effective":
            return {"released_by_id": self.env.uid, "effective_date": today}
        if new == "obsolete":
            return {"obsolete_date": today}
        return {}

    def _kam_supersede(self):
        """Make the effective versions of the documents of ``self`` obsolete (a
        release of a new version); flushed, so the one-effective index holds."""
        old = self.search(
            [
                ("document_id", "in", self.document_id.ids),
                ("state", "=", "effective"),
                ("id", "not in", self.ids),
            ]
        )
        if old:
            old._kam_workflow_write().sudo().write({"state": "obsolete"})
            old.flush_recordset()

    def _kam_after_state_change(self, before):
        """What follows a state change, whichever path made it: tasks for the
        reviewers and approvers, and the effects of a release."""
        review = self.env.ref("kam_management.mail_activity_kam_document_version_review")
        approve = self.env.ref("kam_management.mail_activity_kam_document_version_approve")
        submitted = self.filtered(lambda v: v.state == "review" and before[v] != "review")
        if submitted:
            submitted._kam_schedule_review_tasks(review, approve)
        left_review = self.filtered(lambda v: before[v] == "review" and v.state != "review")
        if left_review:
            approved = left_review.filtered(lambda v: v.state == "approved")
            approved.activity_feedback(
                ["kam_management.mail_activity_kam_document_version_approve"]
            )
            left_review.activity_unlink(
                [
                    "kam_management.mail_activity_kam_document_version_review",
                    "kam_management.mail_activity_kam_document_version_approve",
                ]
            )
        released = self.filtered(lambda v: v.state == "effective" and before[v] != "effective")
        if released:
            released._kam_after_release()
        withdrawn = self.filtered(lambda v: v.state == "obsolete" and before[v] == "effective")
        documents = (released | withdrawn).document_id
        if documents:
            self.env["kam.document.acknowledgement"]._kam_sync(documents=documents)

    def _kam_schedule_review_tasks(self, review, approve):
        """One activity for each reviewer (review) and approver (approve) of the versions."""
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for version in self:
            document = version.document_id.sudo()
            approvers = document.approver_ids
            for activity_type, users, summary in (
                (approve, approvers, lambda env: env._("Approve the new version")),
                (
                    review,
                    document.reviewer_ids - approvers,
                    lambda env: env._("Review the new version"),
                ),
            ):
                vals_list += [
                    {
                        "res_model_id": model_id,
                        "res_id": version.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "automated": True,
                    }
                    for user in users
                ]
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True, mail_notify_force_send=False
        ).create(in_assignee_language(self.env, vals_list))

    def _kam_after_release(self):
        """The released versions: the review date of their documents moves on from
        today and the documents' chatter tells what changed."""
        today = fields.Date.context_today(self)
        for version in self:
            document = version.document_id
            document.with_context(tracking_disable=True).sudo().write(
                {"review_date": document._kam_next_review_date(today, today)}
            )
            # in the company's language, whoever releases it
            env = document._kam_system_env()
            document.sudo().message_post(
                body=Markup("%s<br/>%s")
                % (
                    env._(
                        "Version %(version)s released (%(revision)s).",
                        version=version.name,
                        revision=dict(self._fields["revision"]._description_selection(env))[
                            version.revision
                        ],
                    ),
                    version.change_summary or "",
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ buttons
    def action_submit(self):
        return self._kam_move(
            "draft", "review", self.env._("Only drafts can be submitted for review.")
        )

    def action_back_to_draft(self):
        return self._kam_move(
            "review", "draft", self.env._("Only versions in review can go back to draft.")
        )

    def action_approve(self):
        return self._kam_move(
            "review", "approved", self.env._("Only versions in review can be approved.")
        )

    def action_release(self):
        """The explicit release: the version becomes effective, the previous one
        obsolete, and the employees it applies to are asked to read it."""
        if any(version.state != "approved" for version in self):
            raise UserError(self.env._("Only approved versions can be released."))
        if len(self.document_id) != len(self):
            raise UserError(self.env._("Release one version per document at a time."))
        self.write({"state": "effective"})
        return True

    def action_withdraw(self):
        """Withdraw the effective version without a successor: the document is obsolete."""
        return self._kam_move(
            "effective", "obsolete", self.env._("Only the effective version can be withdrawn.")
        )

    def action_cancel(self):
        return self._kam_move(
            IN_PROGRESS, "cancelled", self.env._("Only versions in preparation can be cancelled.")
        )

    def action_open_document(self):
        self.ensure_one()
        return open_record_action("kam.document", self.document_id.id)

    def _kam_print_footer(self, controlled, printed_at):
        """The line at the bottom of every printed page (tools/pdf_footer.py): the
        document, its version and copy status, and the company, in the print's
        language."""
        self.ensure_one()
        env = self.env
        printed_on = format_date(env, fields.Datetime.context_timestamp(self, printed_at).date())
        if self.state == "obsolete":
            status = env._("OBSOLETE: no longer valid")
        elif self.state == "cancelled":
            status = env._("CANCELLED: never released")
        elif self.state != "effective":
            status = env._(
                "NOT RELEASED: %(state)s",
                state=dict(self._fields["state"]._description_selection(env))[self.state],
            )
        elif controlled:
            status = env._("CONTROLLED COPY printed on %(date)s", date=printed_on)
        else:
            status = env._("UNCONTROLLED WHEN PRINTED: valid on %(date)s only", date=printed_on)
        document = self.document_id.sudo()
        return " · ".join(
            part
            for part in (
                f"{document.code} {document.name}",
                env._("version %(version)s", version=self.name),
                status,
                document.company_id.name,
            )
            if part
        )

    def _kam_open_form(self):
        self.ensure_one()
        return dict(open_record_action(self._name, self.id), target="current")

    # ------------------------------------------------------------------ registers
    def _kam_version_register_columns(self):
        return [
            xlsx.char("code", width=12),
            xlsx.char("document_name", width=36),
            xlsx.selection("doc_type", width=18),
            xlsx.char("name", width=9),
            xlsx.selection("revision", width=16),
            xlsx.selection("state", self.env._("Status"), width=14),
            xlsx.char("change_summary", width=40),
            xlsx.many2one("submitted_by_id", width=22),
            xlsx.datetime("submitted_date"),
            xlsx.many2one("approved_by_id", width=22),
            xlsx.datetime("approved_date"),
            xlsx.many2one("released_by_id", width=22),
            xlsx.date("effective_date"),
            xlsx.date("obsolete_date"),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "document_version",
                self.env._("Document versions"),
                columns=self._kam_version_register_columns,
                order="document_id, major desc, minor desc, id desc",
                filename="document_versions",
            ),
        ]
