import math

from odoo import api, fields, models


# ---------------------------------------------------------------- adopter helpers
# An adopter declares its scales and its method usage with these, one line a
# thing (the fields are the same as written out; only their names and labels
# differ per adopter).
def factor_field(axis, string=None, **kwargs):
    """A required, tracked many2one to ``kam.risk.factor`` limited to one axis:
    one of the adopter's ``_kam_risk_factor_fields``."""
    if string is not None:
        kwargs["string"] = string
    return fields.Many2one(
        "kam.risk.factor",
        required=True,
        domain=f"[('axis', '=', '{axis}')]",
        tracking=True,
        **kwargs,
    )


def factor_axes(*axes):
    """The adopter's axes on ``kam.risk.factor.axis``: ``(key, label)`` pairs,
    added with ``selection_add``; the scales of an axis go with it."""
    return fields.Selection(
        selection_add=list(axes), ondelete=dict.fromkeys((key for key, _label in axes), "cascade")
    )


def method_usage(key, label):
    """The adopter's usage on ``kam.risk.method.usage`` (``_kam_risk_usage``),
    added with ``selection_add``; its methods go with it."""
    return fields.Selection(selection_add=[(key, label)], ondelete={key: "cascade"})


class KamRiskAssessmentMixin(models.AbstractModel):
    """A record scored by the risk-method engine: the score is the product of
    its scale values (``kam.risk.factor``), the class comes from the company's
    method for the register (``kam.risk.method._classify``, with the method's
    own rule for scores on a bound). The RI&E hazards (Kinney & Wiruth), the
    environmental aspects and the risks and opportunities are scored this way.

    An adopter declares:

    - ``_kam_risk_usage``: the method usage it is scored with (a value of
      ``kam.risk.method.usage``; add it in the adopter's file with
      ``usage = method_usage(key, label)`` on ``kam.risk.method``, and its
      axes with ``axis = factor_axes((key, label), ...)`` on
      ``kam.risk.factor``);
    - ``_kam_risk_factor_fields``: its many2one fields to ``kam.risk.factor``
      (one per scale, each with a domain on its axis: ``factor_field(axis,
      string)``); the score multiplies
      their values and is 0 while one is empty;
    - ``_kam_risk_company_method_field``: the ``res.company`` field that holds
      the company's method for this usage (default: the first method of the
      usage).

    It gets ``score``, ``method_id`` (the company's method, changeable per record
    by a manager), ``class_id`` and ``class_color``; whether a class is
    significant (``kam.risk.class.significant``) is the adopter's to use."""

    _name = "kam.risk.assessment.mixin"
    _description = "KAM record scored by a risk method"

    _kam_risk_usage = None
    _kam_risk_factor_fields = ()
    _kam_risk_company_method_field = None

    score = fields.Float(
        compute="_compute_score",
        store=True,
        digits=(16, 2),
        aggregator="max",
        help="The product of the scale values.",
    )
    method_id = fields.Many2one(
        "kam.risk.method",
        compute="_compute_method",
        store=True,
        readonly=False,
        ondelete="restrict",
        domain=lambda self: [("usage", "=", self._kam_risk_usage)],
    )
    class_id = fields.Many2one(
        "kam.risk.class",
        compute="_compute_class",
        store=True,
        index=True,
        tracking=True,
    )
    class_color = fields.Integer(related="class_id.color")

    @api.depends(lambda self: [f"{name}.value" for name in self._kam_risk_factor_fields])
    def _compute_score(self):
        names = self._kam_risk_factor_fields
        for record in self:
            values = [record[name].value for name in names]
            record.score = math.prod(values) if values and all(values) else 0.0

    @api.depends(
        lambda self: (
            [f"company_id.{self._kam_risk_company_method_field}"]
            if self._kam_risk_company_method_field
            else ["company_id"]
        )
    )
    def _compute_method(self):
        default = self.env["kam.risk.method"]._default_method(self._kam_risk_usage)
        field = self._kam_risk_company_method_field
        for record in self:
            record.method_id = (field and record.company_id[field]) or default

    @api.depends(
        "score", "method_id.bound_rule", "method_id.class_ids.lower_bound", "method_id.class_ids"
    )
    def _compute_class(self):
        for record in self:
            record.class_id = (
                record.method_id._classify(record.score) if record.method_id else False
            )
