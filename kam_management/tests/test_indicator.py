import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.kam_management.tools.periods import Period, periods_from

from .common import KamCommon
from .leadership_common import TODAY, KamLeadershipData

D = datetime.date


def values_of(indicator):
    """{period start: value or None} of the stored values."""
    return {v.date_from: (round(v.value, 2) if v.value_set else None) for v in indicator.value_ids}


@tagged("post_install", "-at_install")
class TestReadyIndicators(KamLeadershipData):
    """Every ready indicator on the crafted data set (leadership_common.py), by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.env["kam.indicator"].browse([i.id for i in cls.ready.values()])._kam_update(TODAY)

    def test_complaints_per_100_delivered_orders(self):
        # Jan: c2, c3 / 4 orders; Feb: c5 / 1 order; Mar: c4 / no order
        self.assertEqual(
            values_of(self.ready["complaints_per_orders"]),
            {D(2021, 1, 1): 50.0, D(2021, 2, 1): 100.0, D(2021, 3, 1): None},
        )
        jan = self.ready["complaints_per_orders"].value_ids.filtered(
            lambda v: v.date_from == D(2021, 1, 1)
        )
        self.assertEqual((jan.numerator, jan.denominator), (2, 4))

    def test_complaints_closed_satisfied(self):
        # Q1: c1, c2, c3, c4 closed; c1-c3 satisfied
        self.assertEqual(values_of(self.ready["complaints_satisfied"]), {D(2021, 1, 1): 75.0})

    def test_complaint_handling_time(self):
        # closed in Jan: c1 10 d, c2 20 d; Feb: c3 30 d; Mar: c4 5 d
        self.assertEqual(
            values_of(self.ready["complaint_handling_time"]),
            {D(2021, 1, 1): 15.0, D(2021, 2, 1): 30.0, D(2021, 3, 1): 5.0},
        )
        self.assertEqual(self.c3.handling_days, 30)
        self.assertFalse(self.c5.handling_days)

    def test_overdue_actions(self):
        # due in Jan: a1 on time, a2 late, a3 still open; Feb: a4 and m1 on time
        self.assertEqual(
            values_of(self.ready["actions_overdue"]),
            {D(2021, 1, 1): 66.67, D(2021, 2, 1): 0.0, D(2021, 3, 1): None},
        )

    def test_actions_verified_effective(self):
        # judged in Q1: a1, a5, m1 effective, a4 not
        self.assertEqual(values_of(self.ready["actions_effective"]), {D(2021, 1, 1): 75.0})

    def test_ltifr(self):
        # Q1: i1 and i3 lost time; 40,000 hours: 2 x 1,000,000 / 40,000
        self.assertEqual(values_of(self.ready["ltifr"]), {D(2021, 1, 1): 50.0})

    def test_incidents_per_month(self):
        # injuries, environmental incidents, damage: Jan i1 (i2 is a near miss), Feb i3, i4
        self.assertEqual(
            values_of(self.ready["incidents"]),
            {D(2021, 1, 1): 1.0, D(2021, 2, 1): 2.0, D(2021, 3, 1): 0.0},
        )

    def test_supplier_on_time_delivery(self):
        # Jan: r1 on time, r2 late (the return of r1 does not count); Feb: r3 the same day
        self.assertEqual(self.ret.return_id, self.r1)
        self.assertTrue(self.r1.kam_on_time)
        self.assertFalse(self.r2.kam_on_time)
        self.assertTrue(self.r3.kam_on_time)
        self.assertEqual(
            values_of(self.ready["supplier_on_time"]),
            {D(2021, 1, 1): 50.0, D(2021, 2, 1): 100.0, D(2021, 3, 1): None},
        )

    def test_suppliers_in_class_a(self):
        # approved in Q1: e1 (A), e2 (A), e3 (C)
        self.assertEqual((self.e1.supplier_class, self.e3.supplier_class), ("a", "c"))
        self.assertEqual(values_of(self.ready["suppliers_class_a"]), {D(2021, 1, 1): 66.67})

    def test_status_and_pdca(self):
        """Complaints per 100 orders: red in January and February (target 1, tolerance
        0.5, lower is better): one corrective action for its owner, linked to both."""
        indicator = self.ready["complaints_per_orders"]
        self.assertEqual(
            [v.status for v in indicator.value_ids.sorted("date_from")], ["red", "red", "none"]
        )
        self.assertEqual(indicator.last_status, "red")
        action = self.env["kam.action"].search([("indicator_id", "=", indicator.id)])
        self.assertEqual(len(action), 1)
        self.assertEqual(action.user_id, self.kam_officer)
        self.assertEqual(action.kind, "corrective")
        self.assertEqual(action.deadline, D(2021, 5, 15))
        self.assertEqual(action.source_ref, indicator)
        self.assertEqual(
            indicator.value_ids.filtered("off_target_action_id").mapped("date_from"),
            [D(2021, 2, 1), D(2021, 1, 1)],
        )
        # the other indicators had no two red periods in a row
        others = self.env["kam.action"].search(
            [("indicator_id", "in", [i.id for i in self.ready.values() if i != indicator])]
        )
        self.assertFalse(others)
        # handling time: green, red, green; satisfied: 75 vs 80 - 10: amber
        handling = self.ready["complaint_handling_time"].value_ids.sorted("date_from")
        self.assertEqual(handling.mapped("status"), ["green", "red", "green"])
        self.assertEqual(self.ready["complaints_satisfied"].last_status, "amber")
        # computing again changes nothing and raises nothing twice
        with freeze_time(TODAY):
            indicator._kam_update(TODAY)
        self.assertEqual(indicator.action_count, 1)


@tagged("post_install", "-at_install")
class TestIndicatorEngine(KamCommon):
    """The engine: measures, periods, PDCA, the periodic duties, rules and access."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "UTC"
        cls.Indicator = cls.env["kam.indicator"]
        cls.hours = cls.env["kam.hours.worked"]
        for start, hours in ((D(2019, 1, 1), 10), (D(2019, 1, 20), 30), (D(2019, 3, 5), 50)):
            cls.hours.create(
                {
                    "company_id": cls.env.company.id,
                    "date_from": start,
                    "date_to": start,
                    "hours": hours,
                }
            )
        cls.hours.create(
            {
                "company_id": cls.company_2.id,
                "date_from": D(2019, 1, 3),
                "date_to": D(2019, 1, 3),
                "hours": 999,
            }
        )

    def _computed(self, measure="count", **vals):
        model = self.env.ref("kam_management.model_kam_hours_worked")
        fields_ = self.env["ir.model.fields"]._get
        return self.Indicator.create(
            dict(
                {
                    "name": "Hours",
                    "unit": "h",
                    "target": 20,
                    "direction": "higher",
                    "tolerance": 5,
                    "frequency": "monthly",
                    "date_start": D(2019, 1, 1),
                    "source": "computed",
                    "model_id": model.id,
                    "domain": "[]",
                    "date_field_id": fields_("kam.hours.worked", "date_from").id,
                    "measure": measure,
                    "field_id": fields_("kam.hours.worked", "hours").id
                    if measure != "count"
                    else False,
                },
                **vals,
            )
        )

    def test_measures(self):
        periods = periods_from(D(2019, 1, 1), "monthly", D(2019, 3, 1))
        count = self._computed("count")
        self.assertEqual([r["value"] for r in count._kam_measure(periods)], [2, 0, 1])
        total = self._computed("sum")
        self.assertEqual([r["value"] for r in total._kam_measure(periods)], [40, 0, 50])
        average = self._computed("average")
        results = average._kam_measure(periods)
        self.assertEqual([r["value"] for r in results], [20, 0, 50])
        self.assertEqual([r["value_set"] for r in results], [True, False, True])
        # a ratio: hours per record, x 10
        fields_ = self.env["ir.model.fields"]._get
        ratio = self._computed(
            "ratio",
            factor=10,
            den_model_id=self.env.ref("kam_management.model_kam_hours_worked").id,
            den_domain="[]",
            den_date_field_id=fields_("kam.hours.worked", "date_from").id,
        )
        self.assertEqual([r["value"] for r in ratio._kam_measure(periods)], [200, 0.0, 500])
        # a domain narrows it, the company always
        filtered = self._computed("sum", domain="[('hours', '>', 15)]")
        self.assertEqual([r["value"] for r in filtered._kam_measure(periods)], [30, 0, 50])
        quarterly = self._computed("sum", frequency="quarterly")
        self.assertEqual(
            [r["value"] for r in quarterly._kam_measure([Period(D(2019, 1, 1), D(2019, 3, 31))])],
            [90],
        )

    def test_one_query_per_measure_whatever_the_periods(self):
        indicator = self._computed("sum")
        three = periods_from(D(2019, 1, 1), "monthly", D(2019, 3, 1))
        thirty_six = periods_from(D(2017, 1, 1), "monthly", D(2019, 12, 1))
        self.assertEqual(len(thirty_six), 36)
        indicator._kam_measure(three)  # warm the caches (model, fields, time zone)
        before = self.env.cr.sql_log_count
        indicator._kam_measure(three)
        small = self.env.cr.sql_log_count - before
        before = self.env.cr.sql_log_count
        indicator._kam_measure(thirty_six)
        large = self.env.cr.sql_log_count - before
        self.assertEqual((small, large), (1, 1))

    @freeze_time("2019-04-10")
    def test_update_and_job(self):
        """The daily job computes the periods that ended, once, and moves the date on."""
        indicator = self._computed("sum")
        self.assertEqual(indicator.next_update_date, D(2019, 2, 1))
        due = self.Indicator._kam_duty_run()
        self.assertIn(indicator, due)
        self.assertEqual(
            values_of(indicator), {D(2019, 1, 1): 40, D(2019, 2, 1): 0, D(2019, 3, 1): 50}
        )
        self.assertEqual(indicator.next_update_date, D(2019, 5, 1))
        # target snapshot: the values keep the target of their time
        indicator.target = 45
        self.assertEqual(set(indicator.value_ids.mapped("target")), {20})
        self.assertEqual(indicator.last_status, "green")  # March: 50 >= 20
        # nothing is due until May
        self.assertNotIn(indicator, self.Indicator._kam_duty_run())

    def _actions(self, indicator):
        return self.env["kam.action"].search([("indicator_id", "=", indicator.id)])

    @freeze_time("2019-04-10")
    def test_pdca_once_per_pair(self):
        """Two periods in a row off target: one action; a third: none (its neighbour is
        covered); a fourth: a second action; a gap: none."""
        indicator = self.Indicator.create(
            {
                "name": "Scrap",
                "unit": "%",
                "target": 2,
                "tolerance": 0.5,
                "direction": "lower",
                "date_start": D(2018, 1, 1),
                "user_id": self.kam_user.id,
            }
        )
        Value = self.env["kam.indicator.value"]
        with self.assertRaises(AccessError):
            # KAM users do not open periods, they fill them in
            Value.with_user(self.kam_user).create(
                {"indicator_id": indicator.id, "date_from": D(2018, 1, 1), "value": 3.0}
            )
        Value.create({"indicator_id": indicator.id, "date_from": D(2018, 1, 1)})
        for month in (2, 3, 4, 5, 7):
            Value.create({"indicator_id": indicator.id, "date_from": D(2018, month, 1)})
        values = {v.date_from.month: v.with_user(self.kam_user) for v in indicator.value_ids}
        values[1].value = 3.0  # red
        self.assertFalse(self._actions(indicator))
        values[2].value = 2.4  # amber: not off target
        values[3].value = 2.6  # red
        self.assertFalse(self._actions(indicator))
        values[4].value = 2.7  # red, after red: one action
        self.assertEqual(len(self._actions(indicator)), 1)
        self.assertEqual(self._actions(indicator).user_id, self.kam_user)
        values[5].value = 3.1  # red after a covered period: nothing new
        self.assertEqual(len(self._actions(indicator)), 1)
        values[7].value = 3.5  # red, but June is missing: not two in a row
        self.assertEqual(len(self._actions(indicator)), 1)
        june = Value.create({"indicator_id": indicator.id, "date_from": D(2018, 6, 1)})
        june.with_user(self.kam_user).value = 4.0  # June and July: a second action
        self.assertEqual(len(self._actions(indicator)), 2)
        self.assertEqual(values[4].entered_by_id, self.kam_user)
        self.assertEqual(values[4].entered_date, D(2019, 4, 10))

    @freeze_time("2019-04-10")
    def test_entered_values_remind_once(self):
        """An entered indicator: the job opens each ended period and the owner is
        reminded once; entering the value closes the reminder."""
        indicator = self.Indicator.create(
            {
                "name": "Energy",
                "unit": "kWh/t",
                "target": 400,
                "direction": "lower",
                "date_start": D(2019, 2, 1),
                "user_id": self.kam_user.id,
            }
        )
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.assertEqual(
            sorted(indicator.value_ids.mapped("date_from")), [D(2019, 2, 1), D(2019, 3, 1)]
        )
        activity_type = self.env.ref("kam_management.mail_activity_kam_indicator_value")
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "kam.indicator.value"), ("activity_type_id", "=", activity_type.id)]
        )
        self.assertEqual(len(activities), 2)
        self.assertEqual(activities.user_id, self.kam_user)
        self.assertIn("Energy", activities[0].summary)
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "kam.indicator.value"),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ),
            2,
        )
        march = indicator.value_ids.filtered(lambda v: v.date_from == D(2019, 3, 1))
        march.with_user(self.kam_user).write({"value": 410, "note": "New oven"})
        self.assertTrue(march.value_set)
        self.assertEqual(march.status, "red")  # 410 > 400, no tolerance
        self.assertFalse(march.activity_ids)

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "has a target but no unit"):
            self.Indicator.create({"name": "No unit", "target": 3})
        self.Indicator.create({"name": "Monitoring only", "has_target": False})
        with self.assertRaisesRegex(ValidationError, "choose the field to sum"):
            self._computed("sum", field_id=False)
        with self.assertRaisesRegex(ValidationError, "ratio needs the records"):
            self._computed("ratio")
        with self.assertRaisesRegex(ValidationError, "filter of indicator"):
            self._computed("count", domain="[('no_such_field', '=', 1)]")
        with self.assertRaisesRegex(ValidationError, "filter of indicator"):
            self._computed("count", domain="[(")
        wrong_field = self.env["ir.model.fields"]._get("kam.case", "date_found")
        with self.assertRaisesRegex(ValidationError, "cannot be used here"):
            self._computed("count", date_field_id=wrong_field.id)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.Indicator.create({"name": "Negative", "unit": "%", "tolerance": -1})
        indicator = self._computed("sum")
        self.env["kam.indicator.value"].create(
            {"indicator_id": indicator.id, "date_from": D(2019, 1, 1)}
        )
        with self.assertRaisesRegex(UserError, "frequency of an indicator with values"):
            indicator.frequency = "quarterly"
        with self.assertRaisesRegex(ValidationError, "start it on"):
            self.env["kam.indicator.value"].create(
                {"indicator_id": indicator.id, "date_from": D(2019, 2, 3)}
            )
        # computed values are measured, not typed (even by officers)
        value = indicator.value_ids.with_user(self.kam_officer)
        with self.assertRaisesRegex(UserError, "computed from the data"):
            value.value = 5
        with self.assertRaisesRegex(UserError, "set by the workflow"):
            value.value_set = True
        value.note = "explained"  # an explanation is allowed

    def test_configuring_needs_read_access(self):
        """Whoever configures a computed indicator must be allowed to read its records:
        a KAM officer may not count the records of a model they cannot read."""
        fields_ = self.env["ir.model.fields"]._get
        vals = {
            "name": "System parameters",
            "unit": "x",
            "source": "computed",
            "model_id": self.env.ref("base.model_ir_config_parameter").id,
            "date_field_id": fields_("ir.config_parameter", "create_date").id,
            "measure": "count",
        }
        with self.assertRaisesRegex(AccessError, "not allowed to"):
            self.Indicator.with_user(self.kam_officer).create(vals)
        # hours worked: officers read them
        self.Indicator.with_user(self.kam_officer).create(
            dict(
                vals,
                model_id=self.env.ref("kam_management.model_kam_hours_worked").id,
                date_field_id=fields_("kam.hours.worked", "date_from").id,
            )
        )

    def test_access(self):
        """Users read their own indicators and values and enter their own values;
        officers configure; per company."""
        own = self.Indicator.create({"name": "Own", "unit": "%", "user_id": self.kam_user.id})
        other = self.Indicator.create(
            {"name": "Other", "unit": "%", "user_id": self.kam_officer.id}
        )
        as_user = self.Indicator.with_user(self.kam_user)
        self.assertEqual(as_user.search([("id", "in", (own | other).ids)]), own)
        with self.assertRaises(AccessError):
            as_user.create({"name": "Mine", "unit": "%"})
        with self.assertRaises(AccessError):
            own.with_user(self.kam_user).write({"target": 4})
        Value = self.env["kam.indicator.value"]
        own_value = Value.create({"indicator_id": own.id, "date_from": D(2019, 1, 1)})
        other_value = Value.create({"indicator_id": other.id, "date_from": D(2019, 1, 1)})
        own_value.with_user(self.kam_user).value = 3
        with self.assertRaises(AccessError):
            other_value.with_user(self.kam_user).value = 3
        with self.assertRaises(AccessError):
            own.with_user(self.employee).read(["name"])
        foreign = self.Indicator.with_company(self.company_2).create(
            {"name": "Sister", "unit": "%", "company_id": self.company_2.id}
        )
        self.assertFalse(
            self.Indicator.with_user(self.kam_officer).search([("id", "=", foreign.id)])
        )
        with self.assertRaises(AccessError):
            own.with_user(self.kam_user).action_recompute()
