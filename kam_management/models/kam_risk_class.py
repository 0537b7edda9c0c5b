from odoo import fields, models


class KamRiskClass(models.Model):
    """A risk class of a method: scores from its lower bound up to the next
    class's bound (which class a score on a bound gets is the method's rule)."""

    _name = "kam.risk.class"
    _description = "KAM risk class"
    _order = "method_id, lower_bound"

    method_id = fields.Many2one("kam.risk.method", required=True, ondelete="cascade", index=True)
    lower_bound = fields.Float(required=True, digits=(16, 2))
    name = fields.Char(required=True, translate=True)
    advice = fields.Char(translate=True, help="What this class asks for.")
    color = fields.Integer(help="Colour of the class in lists and kanban (0-11).")
    significant = fields.Boolean(
        help="Records in this class are significant: an environmental aspect that needs "
        "control, a risk that needs treatment.",
    )

    _method_bound_uniq = models.Constraint(
        "UNIQUE(method_id, lower_bound)", "Two classes of a method cannot have the same bound."
    )
