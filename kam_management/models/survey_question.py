from odoo import api, fields, models
from odoo.exceptions import ValidationError

KAM_MEASURES = [
    ("nps", "NPS: likelihood to recommend (0-10)"),
    ("csat", "CSAT: overall satisfaction"),
    ("aspect", "Satisfaction with one aspect"),
]


class SurveyQuestion(models.Model):
    """A question of a satisfaction questionnaire says what it measures: the NPS
    question (a 0-10 scale), the CSAT question(s) (a scale, satisfied = the top
    two values) or one aspect (quality, delivery...)."""

    _inherit = "survey.question"

    kam_measure = fields.Selection(
        KAM_MEASURES,
        string="Measures",
        help="What this question measures in the customer satisfaction figures. NPS: "
        "promoters answer 9-10, passives 7-8, detractors 0-6. CSAT: the share of customers "
        "answering in the top two values of the scale.",
    )

    @api.constrains("kam_measure", "question_type", "scale_min", "scale_max")
    def _check_kam_measure(self):
        for question in self.filtered("kam_measure"):
            if question.question_type != "scale":
                raise ValidationError(
                    self.env._(
                        "Question %(question)s measures customer satisfaction: make it a scale "
                        "question.",
                        question=question.title,
                    )
                )
            if question.kam_measure == "nps" and (question.scale_min, question.scale_max) != (
                0,
                10,
            ):
                raise ValidationError(
                    self.env._(
                        "The NPS question %(question)s must be a scale from 0 to 10.",
                        question=question.title,
                    )
                )
            if question.kam_measure == "nps" and (
                question.survey_id.question_ids.filtered(lambda q: q.kam_measure == "nps")
                - question
            ):
                raise ValidationError(self.env._("A questionnaire has one NPS question at most."))
