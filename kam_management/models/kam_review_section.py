from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.review_inputs import names_of, table_cells, table_html, text


class KamReviewSection(models.Model):
    """One input of a management review: a topic with the figures and short
    tables frozen when the review was prepared (they never change afterwards)
    and the management's conclusion on it. Only the conclusion is written by
    people; an approved review's sections are read-only."""

    _name = "kam.review.section"
    _description = "KAM management review input"
    _inherit = ["kam.workflow.mixin"]
    _order = "review_id, sequence, id"
    _rec_name = "topic_id"

    review_id = fields.Many2one("kam.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    review_state = fields.Selection(related="review_id.state", string="Review status")
    topic_id = fields.Many2one("kam.review.topic", required=True, ondelete="restrict")
    sequence = fields.Integer(default=10)
    reference = fields.Char(related="topic_id.reference")
    guidance = fields.Text(related="topic_id.description", string="What to look at")
    figure_ids = fields.One2many("kam.review.figure", "section_id", string="Figures")
    tables = fields.Json(string="Tables (frozen)", readonly=True)
    notes = fields.Json(string="Remarks (frozen)", readonly=True)
    table_html = fields.Html(string="Tables", compute="_compute_texts", sanitize=False)
    note = fields.Text(string="Remark", compute="_compute_texts")
    conclusion = fields.Html(help="The management's conclusion on this input.")

    # the snapshot is written by the review's own code only
    _kam_derived_fields = ("tables", "notes", "review_id", "topic_id")
    _kam_locked_writable_fields = ()

    @api.depends("tables", "notes")
    @api.depends_context("lang")
    def _compute_texts(self):
        # the frozen data (escaped when made into HTML) in the reader's language;
        # the current names of categories, departments... of every section at once
        names = names_of(
            self.env,
            [
                cell
                for section in self
                for cell in (
                    *(c for table in section.tables or [] for c in table_cells(table)),
                    *(section.notes or []),
                )
            ],
        )
        for section in self:
            section.table_html = (
                Markup("").join(
                    table_html(self.env, table, names) for table in section.tables or []
                )
                or False
            )
            section.note = (
                "\n".join(text(self.env, note, names) for note in section.notes or []) or False
            )

    def _kam_is_locked(self):
        return self.filtered(lambda s: s.review_id.state == "approved")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Management review %(review)s is approved and can no longer be changed.",
                review=", ".join(self.review_id.mapped("name")[:3]),
            )
        )

    def _kam_check_unlink(self):
        if not self.env.su:
            raise UserError(
                self.env._("The inputs of a review go with it: set the review back to draft.")
            )
