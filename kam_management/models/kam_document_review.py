from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

OFFICER = "kam_management.group_kam_officer"
REVIEW_OUTCOMES = [
    ("no_change", "Reviewed, no change"),
    ("revise", "Revision needed"),
    ("withdraw", "Withdraw the document"),
]


class KamDocumentReview(models.Model):
    """The periodic review of a controlled document (ISO 9001 7.5.2 b): who
    reviewed which version when, and the outcome. "Reviewed, no change" moves
    the review date on by the document's frequency; "revision needed" starts a
    new draft (the release moves the date on); "withdraw" makes the document
    obsolete. A review is a record: it never changes and is never deleted."""

    _name = "kam.document.review"
    _description = "KAM document review"
    _inherit = ["kam.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "document_id"
    _kam_derived_fields = ("version_id", "user_id", "date", "new_version_id")
    _kam_locked_writable_fields = ()
    _kam_lock_expression = "id"

    document_id = fields.Many2one(
        "kam.document", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True, precompute=True
    )
    version_id = fields.Many2one(
        "kam.document.version", string="Version reviewed", readonly=True, ondelete="set null"
    )
    date = fields.Date(string="Reviewed on", readonly=True)
    user_id = fields.Many2one("res.users", string="Reviewed by", readonly=True)
    outcome = fields.Selection(REVIEW_OUTCOMES, required=True, default="no_change")
    notes = fields.Text(help="What was checked, and why it changes or stays as it is.")
    new_version_id = fields.Many2one(
        "kam.document.version", string="New version", readonly=True, ondelete="set null"
    )

    # ------------------------------------------------------------------ ORM
    def _kam_create_values(self, vals_list):
        documents = self.env["kam.document"].browse(
            {vals["document_id"] for vals in vals_list if vals.get("document_id")}
        )
        current = {document.id: document.current_version_id.id for document in documents}
        today = fields.Date.context_today(self)
        return [
            dict(
                vals,
                version_id=current.get(vals.get("document_id")) or False,
                user_id=self.env.uid,
                date=today,
            )
            for vals in vals_list
        ]

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews._kam_check_reviewer()
        for review in reviews:
            review._kam_apply_outcome()
        return reviews

    def _kam_check_reviewer(self):
        user = self.env.user
        for review in self:
            document = review.document_id
            if document.state != "effective":
                raise UserError(
                    self.env._(
                        "Only effective documents are reviewed; %(document)s is not.",
                        document=document.display_name,
                    )
                )
            if self.env.su or user.has_group(OFFICER):
                continue
            if review.outcome == "withdraw" or document.user_id != user:
                raise AccessError(
                    self.env._(
                        "Only the owner of %(document)s and KAM officers can review it; only KAM "
                        "officers can withdraw it.",
                        document=document.display_name,
                    )
                )

    def _kam_apply_outcome(self):
        self.ensure_one()
        document = self.document_id
        today = self.date
        values = {"last_review_date": today, "reviewed_by_id": self.user_id.id}
        if self.outcome == "no_change":
            start = document.review_date or today
            values["review_date"] = document._kam_next_review_date(start, max(start, today))
        document.sudo()._kam_workflow_write().write(values)
        document.sudo().activity_feedback(["kam_management.mail_activity_kam_document_review"])
        if self.outcome == "revise":
            version = document.pending_version_id or self.env["kam.document.version"].create(
                document._kam_new_version_values()
            )
            self.sudo()._kam_workflow_write().write({"new_version_id": version.id})
        elif self.outcome == "withdraw":
            document.current_version_id.action_withdraw()
        # in the company's language, whoever records the review
        env = document._kam_system_env()
        document.sudo().message_post(
            body=env._(
                "Reviewed: %(outcome)s. %(notes)s",
                outcome=dict(self._fields["outcome"]._description_selection(env))[self.outcome],
                notes=self.notes or "",
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self

    def _kam_locked_error(self):
        return UserError(self.env._("A document review is a record; it cannot be changed."))

    def _kam_check_unlink(self):
        raise UserError(self.env._("A document review is a record; it cannot be deleted."))
