from odoo import fields, models


class KamCase(models.Model):
    """The satisfaction part of a case: a case opened for a dissatisfied customer
    of a satisfaction campaign came in through the survey (its document is the
    customer's answer, ``res_model``/``res_id``)."""

    _inherit = "kam.case"  # pylint: disable=consider-merging-classes-inherited

    channel = fields.Selection(
        selection_add=[("survey", "Satisfaction survey")], ondelete={"survey": "set null"}
    )
