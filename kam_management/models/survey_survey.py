from odoo import api, fields, models

KAM_SURVEY = "kam_satisfaction"


class SurveySurvey(models.Model):
    """Customer satisfaction questionnaires are surveys of their own type, like
    Odoo's recruitment surveys: survey users and managers do not see their
    answers (their record rules cover the non-specialised types only); KAM
    officers and managers do (``security/kam_satisfaction_rules.xml``)."""

    _inherit = "survey.survey"

    survey_type = fields.Selection(
        selection_add=[(KAM_SURVEY, "Customer satisfaction (KAM)")],
        ondelete={KAM_SURVEY: "set default"},
    )
    kam_nps_question_id = fields.Many2one(
        "survey.question",
        string="NPS question",
        compute="_compute_kam_questions",
        help="The question flagged as NPS (0-10).",
    )
    kam_csat_question_ids = fields.Many2many(
        "survey.question",
        string="CSAT questions",
        compute="_compute_kam_questions",
    )

    @api.depends("question_and_page_ids.kam_measure")
    def _compute_kam_questions(self):
        for survey in self:
            questions = survey.question_ids
            survey.kam_nps_question_id = questions.filtered(lambda q: q.kam_measure == "nps")[:1]
            survey.kam_csat_question_ids = questions.filtered(lambda q: q.kam_measure == "csat")

    @api.depends("survey_type")
    @api.depends_context("uid")
    def _compute_allowed_survey_types(self):
        res = super()._compute_allowed_survey_types()
        if self.env.user.has_group("kam_management.group_kam_manager"):
            for survey in self:
                survey.allowed_survey_types = (survey.allowed_survey_types or []) + [KAM_SURVEY]
        return res
