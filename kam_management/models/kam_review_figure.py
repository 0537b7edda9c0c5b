from odoo import api, fields, models

from ..tools import xlsx
from ..tools.review_inputs import UNITS, format_figure, text


class KamReviewFigure(models.Model):
    """A figure of a management review input, frozen when the review was
    prepared: its value in the period under review and in the period before.
    Nobody writes figures (only the review's code creates them). The label is
    kept language-neutral (``tools.review_inputs.encode``) and shown in the
    reader's language. The figures are the review's Excel annex."""

    _name = "kam.review.figure"
    _description = "KAM management review figure"
    _inherit = ["kam.register.mixin"]
    _order = "review_id, section_sequence, sequence, id"
    _rec_name = "label"

    review_id = fields.Many2one("kam.review", required=True, index=True, ondelete="cascade")
    section_id = fields.Many2one(
        "kam.review.section", required=True, index=True, ondelete="cascade"
    )
    section_sequence = fields.Integer(
        related="section_id.sequence", string="Topic sequence", store=True
    )
    topic_id = fields.Many2one(related="section_id.topic_id", string="Topic", store=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    key = fields.Char(required=True)
    label_data = fields.Json(string="Label (frozen)", required=True)
    label = fields.Char(string="Figure", compute="_compute_label")
    value = fields.Float(digits=(16, 2))
    value_set = fields.Boolean(string="Measured")
    previous = fields.Float(string="Period before", digits=(16, 2))
    previous_set = fields.Boolean(string="Measured in the period before")
    unit = fields.Selection(UNITS, default="count")
    better = fields.Selection([("higher", "Higher is better"), ("lower", "Lower is better")])
    change = fields.Float(compute="_compute_change", digits=(16, 2))
    trend = fields.Selection(
        [("better", "Better"), ("worse", "Worse"), ("same", "Same"), ("none", "-")],
        compute="_compute_change",
    )
    value_display = fields.Char(string="Value (text)", compute="_compute_displays")
    previous_display = fields.Char(string="Period before (text)", compute="_compute_displays")
    change_display = fields.Char(string="Change (text)", compute="_compute_displays")

    @api.depends("label_data")
    @api.depends_context("lang")
    def _compute_label(self):
        for figure in self:
            figure.label = text(self.env, figure.label_data) if figure.label_data else ""

    @api.depends("value", "previous", "value_set", "previous_set", "better")
    def _compute_change(self):
        for figure in self:
            if not (figure.value_set and figure.previous_set):
                figure.change, figure.trend = 0.0, "none"
                continue
            figure.change = figure.value - figure.previous
            if abs(figure.change) < 1e-9:
                figure.trend = "same"
            elif not figure.better:
                figure.trend = "none"
            else:
                up = figure.change > 0
                figure.trend = "better" if up == (figure.better == "higher") else "worse"

    @api.depends("value", "previous", "value_set", "previous_set", "unit")
    @api.depends_context("lang")
    def _compute_displays(self):
        for figure in self:
            figure.value_display = format_figure(
                self.env, figure.value if figure.value_set else None, figure.unit
            )
            figure.previous_display = format_figure(
                self.env, figure.previous if figure.previous_set else None, figure.unit
            )
            if figure.value_set and figure.previous_set:
                sign = "+" if figure.change > 0 else ""
                figure.change_display = sign + format_figure(self.env, figure.change, figure.unit)
            else:
                figure.change_display = ""

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "review_annex",
                self.env._("Management review: input figures"),
                columns=[
                    xlsx.many2one("review_id", width=30),
                    xlsx.many2one("topic_id", self.env._("Topic"), width=40),
                    xlsx.value(
                        self.env._("Figure"), lambda f: f.label, width=45, fields=("label_data",)
                    ),
                    xlsx.value(
                        self.env._("Value"),
                        lambda f: f.value if f.value_set else "",
                        kind="number",
                        fields=("value", "value_set"),
                    ),
                    xlsx.value(
                        self.env._("Period before"),
                        lambda f: f.previous if f.previous_set else "",
                        kind="number",
                        fields=("previous", "previous_set"),
                    ),
                    xlsx.value(
                        self.env._("Change"),
                        lambda f: f.change if f.value_set and f.previous_set else "",
                        kind="number",
                        fields=("value", "previous", "value_set", "previous_set"),
                    ),
                    xlsx.selection("unit", width=14),
                ],
                order="review_id, section_sequence, sequence, id",
                filename="review_annex",
            ),
        ]
