from odoo import fields, models


class KamReviewTopic(models.Model):
    """A topic of the management review: one input of ISO 9001 9.3.2 a-f or an
    addition of ISO 14001 / ISO 45001 9.3 (compliance obligations, significant
    aspects, incidents, consultation of workers...). Topics are data: each
    prepared review gets one section per topic of the themes it covers, with the
    figures the models contribute to it by its code
    (``kam.review.input.mixin``) and room for the management's conclusion. A
    manager can add topics of their own (without figures)."""

    _name = "kam.review.topic"
    _description = "KAM management review topic"
    _order = "sequence, id"

    name = fields.Char(string="Topic", required=True, translate=True)
    code = fields.Char(
        required=True,
        help="The key under which models contribute figures to this topic.",
    )
    sequence = fields.Integer(default=10)
    reference = fields.Char(
        string="Clauses", help="The clauses of the standards this input answers."
    )
    description = fields.Text(
        string="What to look at",
        translate=True,
        help="Guidance for the management's conclusion on this input.",
    )
    theme_ids = fields.Many2many(
        "kam.theme",
        string="Themes",
        help="The topic is part of a review that covers a standard of one of these themes "
        "(empty: every review).",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A review topic with this code already exists.")
