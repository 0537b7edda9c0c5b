from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.float_utils import float_compare

MEASURES = [
    ("none", "None (scored by hand)"),
    ("on_time_rate", "On-time delivery rate"),
    ("return_rate", "Return rate"),
    ("nonconformity_count", "Supplier nonconformities"),
]


class KamSupplierCriterion(models.Model):
    """A criterion of the supplier evaluation (ISO 9001 8.4.1) with its weight.

    The weights of the active criteria of a company (its own and the shared
    ones) must add up to 100 %; this is checked when an evaluation takes its
    lines from the criteria, and each evaluation checks its own lines when it
    is marked done. The configuration list shows the total."""

    _name = "kam.supplier.criterion"
    _description = "Supplier evaluation criterion"
    _order = "sequence, id"

    name = fields.Char(string="Criterion", required=True, translate=True)
    description = fields.Text(translate=True, help="What the evaluator looks at.")
    sequence = fields.Integer(default=10)
    weight = fields.Float(
        string="Weight (%)", required=True, default=0.0, aggregator="sum", digits=(5, 1)
    )
    measure = fields.Selection(
        MEASURES,
        # the measured value, not a (corrective) measure: "Meetwaarde", not "Maatregel"
        string="Measured value",
        required=True,
        default="none",
        help="Measured figure that prefills the score of this criterion:\n"
        "on-time delivery rate: 98 % or more = 10, 50 % or less = 0, linear in between;\n"
        "return rate: 0 % = 10, minus 1 point per percent returned;\n"
        "supplier nonconformities: none = 10, minus 2 points each.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to use the criterion in every company."
    )
    active = fields.Boolean(default=True)

    _weight_range = models.Constraint(
        "CHECK(weight >= 0 AND weight <= 100)",
        "The weight of a criterion must be between 0 and 100 %.",
    )

    @api.model
    def _for_company(self, company):
        return self.search([("company_id", "in", [company.id, False])])

    @api.model
    def _check_weights(self, company):
        """The active criteria of ``company``, after checking their weights add up to 100 %."""
        criteria = self._for_company(company)
        total = sum(criteria.mapped("weight"))
        if not criteria or float_compare(total, 100.0, precision_digits=1):
            raise UserError(
                self.env._(
                    "The weights of the active supplier evaluation criteria of %(company)s add "
                    "up to %(total)s %%, not 100 %%. Correct them in KAM > Configuration > "
                    "Supplier evaluation criteria.",
                    company=company.name,
                    total=round(total, 1),
                )
            )
        return criteria
