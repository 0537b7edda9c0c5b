import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from ..tools import xlsx
from ..tools.periods import ONE_DAY, Period, period_label, period_of
from ..tools.review_inputs import format_figure

OFFICER = "kam_management.group_kam_officer"
VALUE_STATUSES = [
    ("none", "No value"),
    ("green", "On target"),
    ("amber", "Within tolerance"),
    ("red", "Off target"),
]
# days the owner has to enter a value after the period ended (the activity's deadline)
ENTRY_DAYS = 7


def status_of(value, target, tolerance, direction):
    """green (target met), amber (missed by at most the tolerance), red (beyond)."""
    if direction == "higher":
        if float_compare(value, target, precision_digits=6) >= 0:
            return "green"
        return (
            "amber" if float_compare(value, target - tolerance, precision_digits=6) >= 0 else "red"
        )
    if float_compare(value, target, precision_digits=6) <= 0:
        return "green"
    return "amber" if float_compare(value, target + tolerance, precision_digits=6) <= 0 else "red"


class KamIndicatorValue(models.Model):
    """The value of an indicator in one period, with the target that applied then.

    Values of computed indicators are measured by the indicator (only its code
    writes them: the workflow mixin keeps them read-only); values of entered
    indicators are typed by the owner, who is reminded once when the period has
    ended (a periodic duty). Entering a value, like computing one, runs the PDCA
    check of the indicator."""

    _name = "kam.indicator.value"
    _description = "KAM indicator value"
    _inherit = [
        "kam.workflow.mixin",
        "kam.periodic.duty",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "indicator_id, date_from desc"
    _rec_name = "indicator_id"
    _check_company_auto = True
    _kam_derived_fields = (
        "value_set",
        "numerator",
        "denominator",
        "entered_by_id",
        "entered_date",
        "off_target_action_id",
    )
    _kam_locked_writable_fields = ("note", "target")
    _kam_lock_expression = "indicator_source == 'computed'"
    # the owner enters the value of an entered indicator once the period has ended
    _kam_duty_date_field = "date_due"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_indicator_value"

    indicator_id = fields.Many2one(
        "kam.indicator", required=True, index=True, ondelete="cascade", check_company=True
    )
    indicator_source = fields.Selection(related="indicator_id.source")
    company_id = fields.Many2one(related="indicator_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="indicator_id.user_id", string="Owner")
    unit = fields.Char(related="indicator_id.unit")
    date_from = fields.Date(string="Period from", required=True, index=True)
    date_to = fields.Date(
        string="Period to", compute="_compute_date_to", store=True, precompute=True
    )
    date_due = fields.Date(
        string="Due on", compute="_compute_date_to", store=True, precompute=True, index=True
    )
    period_name = fields.Char(string="Period", compute="_compute_period_name")
    value = fields.Float(digits=(16, 2), tracking=True, aggregator="avg")
    value_set = fields.Boolean(
        string="Measured", readonly=True, help="A value was entered or could be computed."
    )
    value_display = fields.Char(string="Value (text)", compute="_compute_displays")
    numerator = fields.Float(digits=(16, 2), readonly=True, aggregator="sum")
    denominator = fields.Float(digits=(16, 2), readonly=True, aggregator="sum")
    target = fields.Float(
        digits=(16, 2),
        tracking=True,
        aggregator="avg",
        help="The target that applied in this period.",
    )
    target_display = fields.Char(string="Target (text)", compute="_compute_displays")
    status = fields.Selection(
        VALUE_STATUSES, compute="_compute_status", store=True, index=True, default="none"
    )
    note = fields.Text(string="Explanation", help="Why the value is what it is.")
    entered_by_id = fields.Many2one("res.users", string="Entered by", readonly=True)
    entered_date = fields.Date(string="Entered on", readonly=True)
    off_target_action_id = fields.Many2one(
        "kam.action",
        string="Action (off target)",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="The action raised because this and the neighbouring period were off target.",
    )

    _period_uniq = models.Constraint(
        "UNIQUE(indicator_id, date_from)", "An indicator has one value per period."
    )

    # ------------------------------------------------------------------ computes
    @api.depends("date_from", "indicator_id.frequency")
    def _compute_date_to(self):
        for value in self:
            if value.date_from and value.indicator_id:
                period = period_of(value.date_from, value.indicator_id.frequency)
                value.date_to = period.end
                value.date_due = period.end + ONE_DAY
            else:
                value.date_to = value.date_from
                value.date_due = value.date_from and value.date_from + ONE_DAY

    def _kam_creation_note(self):
        return self.env._("Indicator value created")

    @api.depends("date_from", "date_to", "indicator_id.frequency")
    @api.depends_context("lang")
    def _compute_period_name(self):
        for value in self:
            if value.date_from and value.date_to and value.date_to >= value.date_from:
                value.period_name = period_label(
                    self.env,
                    Period(value.date_from, value.date_to),
                    value.indicator_id.frequency,
                )
            else:
                value.period_name = False

    @api.depends("value", "value_set", "target", "indicator_id.has_target")
    @api.depends_context("lang")
    def _compute_displays(self):
        for value in self:
            value.value_display = (
                format_figure(self.env, value.value, "number") if value.value_set else "–"
            )
            value.target_display = (
                format_figure(self.env, value.target, "number")
                if value.indicator_id.has_target
                else "–"
            )

    @api.depends(
        "value",
        "value_set",
        "target",
        "indicator_id.has_target",
        "indicator_id.direction",
        "indicator_id.tolerance",
    )
    def _compute_status(self):
        for value in self:
            indicator = value.indicator_id
            if not (value.value_set and indicator.has_target):
                value.status = "none"
            else:
                value.status = status_of(
                    value.value, value.target, indicator.tolerance, indicator.direction
                )

    @api.constrains("date_from", "indicator_id")
    def _check_period_start(self):
        for value in self:
            start = period_of(value.date_from, value.indicator_id.frequency).start
            if value.date_from != start:
                raise ValidationError(
                    self.env._(
                        "A value of %(indicator)s is for a whole period: start it on %(date)s.",
                        indicator=value.indicator_id.name,
                        date=start,
                    )
                )

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        # the values of computed indicators are measured, never typed
        return self.filtered(lambda v: v.indicator_id.source == "computed")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "The values of %(indicator)s are computed from the data: recompute the "
                "indicator instead of typing them.",
                indicator=", ".join(self.indicator_id.mapped("name")[:3]),
            )
        )

    def _kam_check_unlink(self):
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise UserError(self.env._("Only KAM officers delete indicator values."))

    def _kam_entry_values(self):
        """What the workflow records when someone types a value."""
        return {
            "value_set": True,
            "entered_by_id": self.env.uid,
            "entered_date": fields.Date.context_today(self),
        }

    def _kam_create_values(self, vals_list):
        vals_list = super()._kam_create_values(vals_list)
        trusted = self._kam_trusted()
        Indicator = self.env["kam.indicator"]
        for vals in vals_list:
            if "value" in vals and not trusted:
                vals.update(self._kam_entry_values())
            if "target" not in vals and vals.get("indicator_id"):
                vals["target"] = Indicator.browse(vals["indicator_id"]).target
        return vals_list

    def _kam_workflow_values(self, vals):
        vals = super()._kam_workflow_values(vals)
        if "value" in vals and not self._kam_trusted():
            vals = dict(vals, **self._kam_entry_values())
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        typed = not self._kam_trusted() and any("value" in vals for vals in vals_list)
        values = super().create(vals_list)
        if typed:
            values.indicator_id._kam_check_off_target()
        return values

    def write(self, vals):
        typed = "value" in vals and not self._kam_trusted()
        res = super().write(vals)
        if typed:
            self.activity_feedback(["kam_management.mail_activity_kam_indicator_value"])
            self.indicator_id._kam_check_off_target()
        return res

    def _kam_quiet(self):
        """The indicator's own writes: no tracking, no creation notes, no followers."""
        return self._kam_workflow_write().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )

    def _kam_measured_write(self, vals):
        """The indicator's own writes (measured values, the action raised)."""
        return self._kam_quiet().write(vals)

    @api.model
    def _kam_measured_create(self, vals_list):
        return self._kam_quiet().create(vals_list)

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [
            ("value_set", "=", False),
            ("indicator_id.source", "=", "entered"),
            ("indicator_id.active", "=", True),
        ]

    def _kam_duty_reminder_values(self, today):
        values = {}
        for value in self:
            owner = value.indicator_id.user_id
            env = value.with_context(lang=owner.lang or self.env.lang).env
            values[value] = {
                "user_id": owner.id,
                "date_deadline": value.date_due + datetime.timedelta(days=ENTRY_DAYS),
                "summary": env._(
                    "Enter the value of %(indicator)s for %(period)s",
                    indicator=value.indicator_id.with_env(env).name,
                    period=value.with_env(env).period_name,
                ),
            }
        return values

    # ------------------------------------------------------------------ registers
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "indicator_value",
                self.env._("Indicator values"),
                columns=[
                    xlsx.many2one("indicator_id", width=40),
                    xlsx.date("date_from"),
                    xlsx.date("date_to"),
                    xlsx.number("value"),
                    xlsx.boolean("value_set"),
                    xlsx.number("numerator"),
                    xlsx.number("denominator"),
                    xlsx.number("target"),
                    xlsx.char("unit", width=16),
                    xlsx.selection("status", width=16),
                    xlsx.char("note", width=40),
                ],
                order="indicator_id, date_from",
            ),
        ]
