import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import LazyTranslate

from ..tools import xlsx
from ..tools.periods import (
    FREQUENCIES,
    ONE_DAY,
    company_tz,
    ended_periods,
    grouped_by_period,
    period_of,
)
from ..tools.review_inputs import Contribution, Figure, Status, Table
from ..tools.trend_chart import render_svg
from .kam_action_source import source_field

_lt = LazyTranslate(__name__)

OFFICER = "kam_management.group_kam_officer"
MEASURES = [
    ("count", "Number of records"),
    ("sum", "Sum of a field"),
    ("average", "Average of a field"),
    ("ratio", "Ratio of two measures"),
]
# the fields that define what a computed indicator measures: a change recomputes it
SPEC_FIELDS = (
    "model_id",
    "domain",
    "date_field_id",
    "measure",
    "field_id",
    "factor",
    "den_model_id",
    "den_domain",
    "den_date_field_id",
    "den_field_id",
)
NUMERIC_TYPES = ("integer", "float", "monetary")
DATE_TYPES = ("date", "datetime")
# an action raised for an indicator off target is due this many days later
OFF_TARGET_ACTION_DAYS = 30
# periods shown in the trend chart
TREND_PERIODS = 24


class KamIndicator(models.Model):
    """A KAM indicator (KPI, ISO 9001 9.1.1): a unit, a target with a direction and
    a tolerance band, a frequency, and a value per period.

    The values are entered by the owner (the daily job opens each period that
    ended and reminds the owner through the periodic duty of
    ``kam.indicator.value``) or computed without code or SQL: a model, a domain
    and a measure (number of records, sum or average of a field, ratio of two
    measures) chosen in the form, evaluated per period with one grouped query
    for all periods at once (``tools.periods.grouped_by_period``), as superuser
    within the indicator's company. Whoever configures a computed indicator must
    be allowed to read what it measures.

    PDCA: an indicator off target (red) in two periods in a row raises one
    corrective action for its owner for those two periods (its source is the
    indicator)."""

    _name = "kam.indicator"
    _description = "KAM indicator"
    _inherit = [
        "kam.action.source",
        "kam.periodic.duty",
        "kam.register.mixin",
        "kam.review.input.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]

    _order = "sequence, name, id"
    _check_company_auto = True
    _kam_action_field = "indicator_id"
    # the job processes the periods that ended: computes them, or opens them for entry
    _kam_duty_date_field = "next_update_date"

    name = fields.Char(string="Indicator", required=True, tracking=True, translate=True)
    code = fields.Char(help="A short code, e.g. KPI-03.")
    sequence = fields.Integer(default=10)
    description = fields.Text(
        string="Definition", translate=True, help="What is measured, and how, in plain words."
    )
    objective_id = fields.Many2one(
        "kam.objective",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        tracking=True,
    )
    theme_id = fields.Many2one("kam.theme")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Enters the values (when they are entered) and acts when the indicator is off target.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # target
    unit = fields.Char(
        translate=True, help="What the value is measured in: %, days, complaints per 100 orders..."
    )
    has_target = fields.Boolean(string="Has a target", default=True, tracking=True)
    target = fields.Float(digits=(16, 2), tracking=True)
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
        tracking=True,
    )
    tolerance = fields.Float(
        digits=(16, 2),
        tracking=True,
        help="The amber band: a value that misses the target by at most this much (in the "
        "indicator's unit) is amber, beyond it red.",
    )
    frequency = fields.Selection(FREQUENCIES, required=True, default="monthly", tracking=True)
    date_start = fields.Date(
        string="Measured from",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
        help="The first period measured is the one that holds this date.",
    )
    source = fields.Selection(
        [("entered", "Entered by the owner"), ("computed", "Computed from the data")],
        string="Values come from",
        required=True,
        default="entered",
        tracking=True,
    )
    # what a computed indicator measures
    model_id = fields.Many2one(
        "ir.model",
        string="Records of",
        ondelete="cascade",
        domain="[('transient', '=', False), ('abstract', '=', False)]",
    )
    model_name = fields.Char(related="model_id.model", string="Model name")
    domain = fields.Char(string="Filter", default="[]")
    date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Dated by",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('date', 'datetime')), "
        "('store', '=', True)]",
        help="The date that places a record in a period.",
    )
    measure = fields.Selection(MEASURES, default="count")
    field_id = fields.Many2one(
        "ir.model.fields",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', 'in', ('integer', 'float', 'monetary')), "
        "('store', '=', True)]",
        help="The field summed or averaged (for a ratio: summed instead of counting records).",
    )
    den_model_id = fields.Many2one(
        "ir.model",
        string="Divided by records of",
        ondelete="cascade",
        domain="[('transient', '=', False), ('abstract', '=', False)]",
    )
    den_model_name = fields.Char(related="den_model_id.model", string="Denominator model name")
    den_domain = fields.Char(string="Denominator filter", default="[]")
    den_date_field_id = fields.Many2one(
        "ir.model.fields",
        string="Denominator dated by",
        ondelete="cascade",
        domain="[('model_id', '=', den_model_id), ('ttype', 'in', ('date', 'datetime')), "
        "('store', '=', True)]",
    )
    den_field_id = fields.Many2one(
        "ir.model.fields",
        string="Denominator field",
        ondelete="cascade",
        domain="[('model_id', '=', den_model_id), "
        "('ttype', 'in', ('integer', 'float', 'monetary')), ('store', '=', True)]",
        help="Summed instead of counting the records of the denominator (hours worked...).",
    )
    factor = fields.Float(
        default=1.0,
        digits=(16, 4),
        help="The result is multiplied by this: 100 for a percentage or per 100 orders, "
        "1,000,000 for a frequency rate per million hours.",
    )
    # values
    value_ids = fields.One2many("kam.indicator.value", "indicator_id", string="Values")
    value_count = fields.Integer(string="Number of values", compute="_compute_value_count")
    last_value_id = fields.Many2one(
        "kam.indicator.value",
        string="Latest value",
        compute="_compute_last_value",
        store=True,
        index="btree_not_null",
    )
    last_value = fields.Float(related="last_value_id.value", string="Latest value (number)")
    last_period = fields.Char(related="last_value_id.period_name", string="Latest period")
    last_status = fields.Selection(
        related="last_value_id.status", string="Status", store=True, index=True
    )
    next_update_date = fields.Date(
        string="Next update",
        copy=False,
        index=True,
        help="The day after the end of the first period that is still to be computed or "
        "opened for entry; the daily job takes it then.",
    )
    trend_svg = fields.Text(string="Trend", compute="_compute_trend_svg")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Indicator created")

    # ------------------------------------------------------------------ computes
    def _compute_value_count(self):
        counts = dict(
            self.env["kam.indicator.value"]._read_group(
                [("indicator_id", "in", self.ids)], ["indicator_id"], ["__count"]
            )
        )
        for indicator in self:
            indicator.value_count = counts.get(indicator, 0)

    @api.depends("value_ids.value_set", "value_ids.date_from")
    def _compute_last_value(self):
        for indicator in self:
            measured = indicator.value_ids.filtered("value_set")
            indicator.last_value_id = (
                max(measured, key=lambda v: v.date_from) if measured else False
            )

    def _compute_trend_svg(self):
        values = self.env["kam.indicator.value"].search(
            [("indicator_id", "in", self.ids)], order="indicator_id, date_from desc"
        )
        by_indicator = values.grouped("indicator_id")
        for indicator in self:
            shown = (by_indicator.get(indicator) or values.browse())[:TREND_PERIODS]
            points = [
                (
                    value.period_name,
                    value.value if value.value_set else None,
                    value.target if indicator.has_target else None,
                    value.status,
                )
                for value in reversed(shown)
            ]
            indicator.trend_svg = render_svg(
                points,
                value_label=indicator.unit or self.env._("Value"),
                target_label=self.env._("Target"),
                empty_text=self.env._("No values yet"),
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("tolerance")
    def _check_tolerance(self):
        for indicator in self:
            if indicator.tolerance < 0:
                raise ValidationError(
                    self.env._(
                        "The tolerance of indicator %(indicator)s cannot be negative.",
                        indicator=indicator.name,
                    )
                )

    @api.constrains("has_target", "unit")
    def _check_target_unit(self):
        for indicator in self:
            if indicator.has_target and not (indicator.unit or "").strip():
                raise ValidationError(
                    self.env._(
                        "Indicator %(indicator)s has a target but no unit: say what the target "
                        "is measured in (%%, days, complaints per 100 orders...).",
                        indicator=indicator.name,
                    )
                )

    @api.constrains("source", *SPEC_FIELDS)
    def _check_spec(self):
        for indicator in self.filtered(lambda i: i.source == "computed"):
            indicator._kam_check_side(
                indicator.model_id, indicator.domain, indicator.date_field_id, indicator.field_id
            )
            if indicator.measure in ("sum", "average") and not indicator.field_id:
                raise ValidationError(
                    self.env._(
                        "Indicator %(indicator)s: choose the field to sum or average.",
                        indicator=indicator.name,
                    )
                )
            if indicator.measure == "ratio":
                if not indicator.den_model_id:
                    raise ValidationError(
                        self.env._(
                            "Indicator %(indicator)s: a ratio needs the records it is divided by.",
                            indicator=indicator.name,
                        )
                    )
                indicator._kam_check_side(
                    indicator.den_model_id,
                    indicator.den_domain,
                    indicator.den_date_field_id,
                    indicator.den_field_id,
                )
            if not indicator.factor:
                raise ValidationError(
                    self.env._(
                        "Indicator %(indicator)s: the factor cannot be zero.",
                        indicator=indicator.name,
                    )
                )

    def _kam_check_side(self, model, domain_text, date_field, field):
        """One side of a computed indicator (numerator or denominator) is valid and
        readable by whoever configures it."""
        name = self.name
        if not model or not date_field:
            raise ValidationError(
                self.env._(
                    "Indicator %(indicator)s: choose the records it counts and the date that "
                    "places them in a period.",
                    indicator=name,
                )
            )
        if model.model not in self.env:
            raise ValidationError(
                self.env._("Indicator %(indicator)s: unknown model.", indicator=name)
            )
        for chosen, types in ((date_field, DATE_TYPES), (field, NUMERIC_TYPES)):
            if not chosen:
                continue
            if chosen.model_id != model or chosen.ttype not in types or not chosen.store:
                raise ValidationError(
                    self.env._(
                        "Indicator %(indicator)s: field %(field)s cannot be used here.",
                        indicator=name,
                        field=chosen.field_description,
                    )
                )
        self._kam_domain(domain_text, self.env[model.model])

    def _kam_sides(self):
        """(model, domain, date field, field) of the numerator and the denominator."""
        self.ensure_one()
        sides = [(self.model_id, self.domain, self.date_field_id, self.field_id)]
        if self.measure == "ratio":
            sides.append(
                (self.den_model_id, self.den_domain, self.den_date_field_id, self.den_field_id)
            )
        return sides

    def _kam_check_readable(self):
        """Whoever configures a computed indicator must be allowed to read what it
        measures: it is evaluated as superuser later (in write() and create(), as
        constraints run as superuser)."""
        if self.env.su:
            return
        for indicator in self.filtered(lambda i: i.source == "computed"):
            for model, domain_text, date_field, field in indicator._kam_sides():
                if not model or model.model not in self.env:
                    continue
                Model = self.env[model.model]
                try:
                    Model.check_access("read")
                    for chosen in (date_field, field):
                        if chosen and chosen.name in Model._fields:
                            Model._check_field_access(Model._fields[chosen.name], "read")
                    Model.search_count(indicator._kam_domain(domain_text, Model), limit=1)
                except AccessError as error:
                    raise AccessError(
                        self.env._(
                            "Indicator %(indicator)s measures records you are not allowed to "
                            "read: %(error)s",
                            indicator=indicator.name,
                            error=error,
                        )
                    ) from error

    def _kam_domain(self, text, Model):
        """The domain written in the form, evaluated and validated."""
        context = {
            "uid": self.env.uid,
            "datetime": safe_datetime,
            "relativedelta": relativedelta,
            "context_today": lambda: fields.Date.context_today(self),
        }
        try:
            domain = Domain(safe_eval(text or "[]", context))
            domain.validate(Model)
        except Exception as error:  # noqa: BLE001 - any mistake in a typed filter
            raise ValidationError(
                self.env._(
                    "The filter of indicator %(indicator)s is not valid: %(error)s",
                    indicator=self.name,
                    error=error,
                )
            ) from error
        return domain

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("next_update_date"):
                start = fields.Date.to_date(vals.get("date_start")) or self._fields[
                    "date_start"
                ].default(self)
                vals["next_update_date"] = (
                    period_of(start, vals.get("frequency") or "monthly").end + ONE_DAY
                )
        indicators = super().create(vals_list)
        indicators._kam_check_readable()
        return indicators

    def write(self, vals):
        if "frequency" in vals and any(
            indicator.value_count and indicator.frequency != vals["frequency"] for indicator in self
        ):
            raise UserError(
                self.env._(
                    "The frequency of an indicator with values cannot change: archive it and "
                    "make a new one."
                )
            )
        if ("date_start" in vals or "frequency" in vals) and "next_update_date" not in vals:
            res = super().write(vals)
            for indicator in self:
                indicator.next_update_date = (
                    period_of(indicator.date_start, indicator.frequency).end + ONE_DAY
                )
        else:
            res = super().write(vals)
        if set(SPEC_FIELDS) & set(vals) or vals.get("source") == "computed":
            self._kam_check_readable()
        if set(SPEC_FIELDS) & set(vals):
            computed = self.filtered(lambda i: i.source == "computed" and i.value_count)
            if computed:
                computed._kam_update(fields.Date.context_today(self))
        return res

    # ------------------------------------------------------------------ measuring
    def _kam_side_values(self, periods, model, domain_text, date_field, field):
        """{index of period: (count, sum)} of one side: one grouped query."""
        Model = self.env[model.model].sudo()
        domain = self._kam_domain(domain_text, Model)
        if "company_id" in Model._fields:
            domain &= Domain("company_id", "=", self.company_id.id)
        aggregates = ["__count"] + ([f"{field.name}:sum"] if field else [])
        rows = grouped_by_period(
            Model, domain, date_field.name, periods, aggregates, tz=company_tz(self.company_id)
        )
        return {
            index: (values[0], values[1] if field else None) for (index,), values in rows.items()
        }

    def _kam_measure(self, periods):
        """The values of this computed indicator for ``periods``: a list of
        ``{"value", "value_set", "numerator", "denominator"}``, one per period. One
        grouped query (two for a ratio), whatever the number of periods."""
        self.ensure_one()
        num = self._kam_side_values(
            periods, self.model_id, self.domain, self.date_field_id, self.field_id
        )
        den = {}
        if self.measure == "ratio":
            den = self._kam_side_values(
                periods,
                self.den_model_id,
                self.den_domain,
                self.den_date_field_id,
                self.den_field_id,
            )
        results = []
        for index in range(len(periods)):
            count, total = num.get(index, (0, 0))
            total = total or 0
            numerator, denominator, value = count, 0.0, None
            if self.measure == "count":
                value = count
            elif self.measure == "sum":
                numerator, value = total, total
            elif self.measure == "average":
                numerator, denominator = total, count
                value = total / count if count else None
            else:
                d_count, d_total = den.get(index, (0, 0))
                numerator = total if self.field_id else count
                denominator = (d_total or 0) if self.den_field_id else d_count
                value = numerator / denominator if denominator else None
            results.append(
                {
                    "value": value * self.factor if value is not None else 0.0,
                    "value_set": value is not None,
                    "numerator": numerator,
                    "denominator": denominator,
                }
            )
        return results

    def _kam_update(self, today, periods_of=None):
        """Compute (computed indicators) or open for entry (entered ones) the periods
        of each indicator that ended before ``today``, from its start or from
        ``periods_of(indicator)``; existing values are updated, missing ones
        created. Then the PDCA check."""
        Value = self.env["kam.indicator.value"].sudo()
        existing = {
            (value.indicator_id.id, value.date_from): value
            for value in Value.search([("indicator_id", "in", self.ids)])
        }
        to_create = []
        for indicator in self:
            periods = (
                periods_of(indicator)
                if periods_of
                else ended_periods(indicator.date_start, indicator.frequency, today)
            )
            if not periods:
                continue
            if indicator.source == "computed":
                measured = indicator._kam_measure(periods)
            else:
                measured = [None] * len(periods)
            for period, values in zip(periods, measured, strict=True):
                value = existing.get((indicator.id, period.start))
                if value is None:
                    to_create.append(
                        dict(
                            values or {},
                            indicator_id=indicator.id,
                            date_from=period.start,
                            date_to=period.end,
                            target=indicator.target,
                        )
                    )
                elif values and any(value[name] != new for name, new in values.items()):
                    value._kam_measured_write(values)
        if to_create:
            Value._kam_measured_create(to_create)
        self.filtered(lambda i: i.source == "computed")._kam_check_off_target()

    def _kam_check_off_target(self):
        """PDCA: the latest two values of an indicator, of periods that follow each
        other, both off target (red) and neither covered by an action yet: one
        corrective action for the owner, linked to both values, so never a second
        one for the same periods."""
        if not self:
            return self.env["kam.action"]
        values = (
            self.env["kam.indicator.value"]
            .sudo()
            .search(
                [("indicator_id", "in", self.ids), ("value_set", "=", True)],
                order="indicator_id, date_from desc",
            )
        )
        pairs = []
        for indicator, measured in values.grouped("indicator_id").items():
            if len(measured) < 2:
                continue
            last, before = measured[0], measured[1]
            if (
                last.status == "red"
                and before.status == "red"
                and before.date_to + ONE_DAY == last.date_from
                and not (last.off_target_action_id or before.off_target_action_id)
            ):
                pairs.append((indicator, before, last))
        if not pairs:
            return self.env["kam.action"]
        today = fields.Date.context_today(self)
        vals_list = []
        for indicator, before, last in pairs:
            env = indicator._kam_company_env()
            vals_list.append(
                {
                    "name": env._(
                        "%(indicator)s off target in %(first)s and %(second)s",
                        indicator=indicator.with_env(env).name,
                        first=before.with_env(env).period_name,
                        second=last.with_env(env).period_name,
                    ),
                    "description": env._(
                        "<p>Measured %(first)s and %(second)s against a target of %(target)s "
                        "%(unit)s. Find the cause and act.</p>",
                        first=before.with_env(env).value_display,
                        second=last.with_env(env).value_display,
                        target=last.with_env(env).target_display,
                        unit=indicator.with_env(env).unit or "",
                    ),
                    "kind": "corrective",
                    "indicator_id": indicator.id,
                    "user_id": indicator.user_id.id,
                    "company_id": indicator.company_id.id,
                    "deadline": today + datetime.timedelta(days=OFF_TARGET_ACTION_DAYS),
                }
            )
        actions = self.env["kam.action"].sudo().create(vals_list)
        for (_indicator, before, last), action in zip(pairs, actions, strict=True):
            (before | last)._kam_measured_write({"off_target_action_id": action.id})
        return actions

    def _kam_company_env(self):
        """The environment in the company's language (texts the system writes)."""
        lang = self.company_id.partner_id.lang or self.env.lang
        return self.with_context(lang=lang).env

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("active", "=", True)]

    def _kam_duty_perform(self, company, today):
        """Compute or open the periods that ended, then move the date on to the day
        after the period that runs now."""
        self._kam_update(
            today,
            periods_of=lambda indicator: ended_periods(
                max(indicator.date_start, indicator.next_update_date - ONE_DAY),
                indicator.frequency,
                today,
            ),
        )
        for indicator in self:
            indicator.next_update_date = period_of(today, indicator.frequency).end + ONE_DAY
        return self.env["mail.activity"]

    # ------------------------------------------------------------------ buttons
    def action_recompute(self):
        """Recompute every period that ended (officers): after the data was corrected
        or the definition changed."""
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers recompute indicators."))
        computed = self.filtered(lambda i: i.source == "computed")
        if not computed:
            raise UserError(self.env._("Only computed indicators can be recomputed."))
        today = fields.Date.context_today(self)
        computed._kam_update(today)
        for indicator in computed:
            indicator.next_update_date = period_of(today, indicator.frequency).end + ONE_DAY
        return True

    def action_view_values(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_indicator_value_action"
        )
        action["domain"] = [("indicator_id", "=", self.id)]
        action["context"] = {"default_indicator_id": self.id}
        return action

    # ------------------------------------------------------------------ registers
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "indicator",
                self.env._("Indicators"),
                columns=[
                    xlsx.char("code", width=10),
                    xlsx.char("name", width=40),
                    xlsx.many2one("objective_id", width=30),
                    xlsx.many2one("user_id", width=22),
                    xlsx.char("unit", width=16),
                    xlsx.boolean("has_target"),
                    xlsx.number("target"),
                    xlsx.selection("direction", width=16),
                    xlsx.number("tolerance"),
                    xlsx.selection("frequency", width=14),
                    xlsx.selection("source", width=18),
                    xlsx.char("last_period", width=16),
                    xlsx.number("last_value"),
                    xlsx.selection("last_status", width=16),
                ],
            ),
        ]

    # ------------------------------------------------------------------ review input
    @api.model
    def _kam_review_inputs(self, review, periods):
        """c) 5: monitoring and measurement results: per indicator the values of the
        periods in the review period (on target, off target, their average), from
        the stored values, in one grouped query for both periods."""
        current, previous = periods
        Value = self.env["kam.indicator.value"].sudo()
        rows = grouped_by_period(
            Value,
            [("company_id", "=", review.company_id.id), ("value_set", "=", True)],
            "date_from",
            [current, previous],
            ["__count", "value:sum"],
            groupby=["indicator_id", "status"],
        )
        per = {}
        for (index, indicator, status), (count, total) in rows.items():
            figures = per.setdefault(indicator, [[0, 0.0, {}], [0, 0.0, {}]])[index]
            figures[0] += count
            figures[1] += total
            figures[2][status] = figures[2].get(status, 0) + count

        def share(index, status):
            measured = sum(p[index][2].get(s, 0) for p in per.values() for s in p[index][2])
            hits = sum(p[index][2].get(status, 0) for p in per.values())
            return 100.0 * hits / measured if measured else None

        def total(index, status):
            return sum(p[index][2].get(status, 0) for p in per.values())

        raised = grouped_by_period(
            self.env["kam.action"].sudo(),
            [("company_id", "=", review.company_id.id), ("indicator_id", "!=", False)],
            "create_date",
            [current, previous],
            ["__count"],
            tz=company_tz(review.company_id),
        )
        figures = [
            Figure(
                "measured",
                _lt("Indicators measured"),
                sum(1 for p in per.values() if p[0][0]),
                sum(1 for p in per.values() if p[1][0]),
            ),
            Figure(
                "on_target",
                _lt("Period values on target"),
                share(0, "green"),
                share(1, "green"),
                unit="percent",
                better="higher",
            ),
            Figure(
                "off_target",
                _lt("Period values off target"),
                total(0, "red"),
                total(1, "red"),
                better="lower",
            ),
            Figure(
                "actions",
                _lt("Actions raised for indicators off target"),
                raised.get((0,), [0])[0],
                raised.get((1,), [0])[0],
                better="lower",
            ),
        ]
        indicators = self.sudo().search(
            [("company_id", "=", review.company_id.id), ("id", "in", [i.id for i in per])]
        )
        table_rows = []
        for indicator in indicators:
            now, before = per[indicator]
            table_rows.append(
                [
                    indicator.name,
                    indicator.target if indicator.has_target else "",
                    indicator.unit or "",
                    now[0],
                    now[2].get("green", 0),
                    now[2].get("red", 0),
                    round(now[1] / now[0], 2) if now[0] else "",
                    round(before[1] / before[0], 2) if before[0] else "",
                    Status(indicator.last_status or "none"),
                ]
            )
        table = Table(
            "indicators",
            None,
            [
                _lt("Indicator"),
                _lt("Target"),
                _lt("Unit"),
                _lt("Periods"),
                _lt("On target"),
                _lt("Off target"),
                _lt("Average"),
                _lt("Average, period before"),
                _lt("Latest status"),
            ],
            table_rows,
            limit=25,
        )
        return [Contribution("monitoring", figures=figures, tables=[table])]


class KamAction(models.Model):
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    indicator_id = source_field("kam.indicator", tracking=False)
