import datetime
import io

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamCommon

HEADER_ROW = 4


@tagged("post_install", "-at_install")
class TestRisk(KamCommon):
    """RI&E hazards: Kinney & Wiruth score, classes per method (every boundary),
    measures as actions (plan van aanpak), review reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kinney5 = cls.env.ref("kam_management.kam_risk_method_kinney5")
        cls.kinney3 = cls.env.ref("kam_management.kam_risk_method_kinney3")
        cls.company.kam_risk_method_id = cls.kinney5
        cls.Factor = cls.env["kam.risk.factor"]

    def _factor(self, axis, value):
        factor = self.Factor.search([("axis", "=", axis), ("value", "=", value)])
        self.assertEqual(len(factor), 1, f"{axis} {value}")
        return factor

    def _risk(self, w, b, e, **values):
        vals = {
            "name": f"Hazard {w}x{b}x{e}",
            "probability_id": self._factor("probability", w).id,
            "exposure_id": self._factor("exposure", b).id,
            "effect_id": self._factor("effect", e).id,
        }
        vals.update(values)
        return self.env["kam.risk"].create(vals)

    def test_scales_are_data(self):
        values = {
            axis: sorted(self.Factor.search([("axis", "=", axis)]).mapped("value"))
            for axis in ("probability", "exposure", "effect")
        }
        self.assertEqual(values["probability"], [0.1, 0.2, 0.5, 1, 3, 6, 10])
        self.assertEqual(values["exposure"], [0.5, 1, 2, 3, 6, 10])
        self.assertEqual(values["effect"], [1, 3, 7, 15, 40, 100])
        self.assertEqual(self._factor("effect", 7).display_name, "7 · Serious: irreversible injury")

    def test_score(self):
        risk = self._risk(3, 6, 7)
        self.assertAlmostEqual(risk.score, 126)
        risk.exposure_id = self._factor("exposure", 10)
        self.assertAlmostEqual(risk.score, 210)
        self.assertAlmostEqual(self._risk(0.1, 0.5, 1).score, 0.05)
        self.assertAlmostEqual(self._risk(10, 10, 100).score, 10000)

    def _check_bounds(self, method, cases, exact):
        """``cases``: ((w, b, e), score, class) of real W x B x E combinations;
        ``exact``: (score, class) pairs classified directly, on and around each bound."""
        self.company.kam_risk_method_id = method
        for (w, b, e), score, risk_class in cases:
            with self.subTest(method=method.name, score=score):
                risk = self._risk(w, b, e)
                self.assertAlmostEqual(risk.score, score)
                self.assertEqual(risk.method_id, method)
                self.assertEqual(risk.class_id, risk_class)
        for score, risk_class in exact:
            with self.subTest(method=method.name, score=score):
                self.assertEqual(method._classify(score), risk_class)

    def test_five_classes_every_boundary(self):
        """The published Dutch tables: R <= 20 acceptable; 20 < R <= 70 attention;
        70 < R <= 200 measures needed; 200 < R <= 400 immediate measures; R > 400
        stop the work. A score on a bound belongs to the lower class."""
        ref = self.env.ref
        acceptable = ref("kam_management.kam_risk_class_kinney5_0")
        attention = ref("kam_management.kam_risk_class_kinney5_20")
        measures = ref("kam_management.kam_risk_class_kinney5_70")
        immediate = ref("kam_management.kam_risk_class_kinney5_200")
        stop = ref("kam_management.kam_risk_class_kinney5_400")
        self._check_bounds(
            self.kinney5,
            (
                ((0.1, 0.5, 1), 0.05, acceptable),
                ((3, 6, 1), 18, acceptable),
                ((10, 2, 1), 20, acceptable),
                ((0.5, 6, 7), 21, attention),
                ((3, 3, 7), 63, attention),
                ((10, 1, 7), 70, attention),
                ((3, 10, 3), 90, measures),
                ((6, 2, 15), 180, measures),
                ((0.5, 10, 40), 200, measures),
                ((10, 3, 7), 210, immediate),
                ((6, 6, 7), 252, immediate),
                ((1, 10, 40), 400, immediate),
                ((6, 2, 40), 480, stop),
                ((10, 10, 100), 10000, stop),
            ),
            (
                (0, acceptable),
                (19.99, acceptable),
                (20, acceptable),
                (20.01, attention),
                (69.99, attention),
                (70, attention),
                (70.01, measures),
                (199.99, measures),
                (200, measures),
                (200.01, immediate),
                (399.99, immediate),
                (400, immediate),
                (400.01, stop),
            ),
        )

    def test_three_classes_every_boundary(self):
        """0-20 low; 21-70 medium; 71 and more high: a score on a bound belongs
        to the lower class (R <= 20 low, 20 < R <= 70 medium, R > 70 high)."""
        ref = self.env.ref
        low = ref("kam_management.kam_risk_class_kinney3_0")
        medium = ref("kam_management.kam_risk_class_kinney3_20")
        high = ref("kam_management.kam_risk_class_kinney3_70")
        self._check_bounds(
            self.kinney3,
            (
                ((0.1, 0.5, 1), 0.05, low),
                ((10, 2, 1), 20, low),
                ((0.5, 6, 7), 21, medium),
                ((10, 1, 7), 70, medium),
                ((3, 10, 3), 90, high),
                ((1, 6, 15), 90, high),
            ),
            (
                (0, low),
                (19.99, low),
                (20, low),
                (20.01, medium),
                (69.99, medium),
                (70, medium),
                (70.01, high),
                (71, high),
            ),
        )

    def test_both_methods_put_a_bound_in_the_lower_class(self):
        """One rule for every shipped method (kam-domain.md, Kinney & Wiruth)."""
        for method in (self.kinney5, self.kinney3):
            self.assertEqual(method.bound_rule, "gt", method.name)
            for risk_class in method.class_ids.filtered("lower_bound"):
                below = method.class_ids.filtered(
                    lambda c, bound=risk_class.lower_bound: c.lower_bound < bound
                ).sorted("lower_bound")[-1]
                with self.subTest(method=method.name, bound=risk_class.lower_bound):
                    self.assertEqual(method._classify(risk_class.lower_bound), below)

    def test_switching_method_and_thresholds_reclassify(self):
        risk = self._risk(3, 10, 3)  # 90
        self.assertEqual(risk.class_id, self.env.ref("kam_management.kam_risk_class_kinney5_70"))
        self.company.kam_risk_method_id = self.kinney3
        self.assertEqual(risk.method_id, self.kinney3)
        self.assertEqual(risk.class_id, self.env.ref("kam_management.kam_risk_class_kinney3_70"))
        # thresholds are data: moving a bound reclassifies
        self.env.ref("kam_management.kam_risk_class_kinney3_70").lower_bound = 95
        self.assertEqual(risk.class_id, self.env.ref("kam_management.kam_risk_class_kinney3_20"))

    def test_users_read_officers_write(self):
        risk = self._risk(1, 1, 1)
        self.assertEqual(risk.with_user(self.kam_user).name, "Hazard 1x1x1")
        with self.assertRaises(AccessError):
            risk.with_user(self.kam_user).write({"name": "Changed"})
        risk.with_user(self.kam_officer).write({"name": "Changed"})
        # other company's officer does not see it
        self.assertFalse(
            self.env["kam.risk"].with_user(self.user_company_2).search([("id", "=", risk.id)])
        )

    def test_users_see_the_open_measures(self):
        """The plan van aanpak belongs to the RI&E that every KAM user reads: the
        hazard shows its open measures (not "0 open measures"), which the user
        may read but only their owners and officers change."""
        risk = self._risk(3, 6, 7)
        measure = self.env["kam.action"].create(
            {
                "name": "Lichtscherm plaatsen",
                "risk_id": risk.id,
                "user_id": self.kam_officer.id,
                "deadline": datetime.date.today(),
            }
        )
        as_user = risk.with_user(self.kam_user)
        self.assertEqual((as_user.open_action_count, as_user.action_count), (1, 1))
        self.assertEqual(as_user.action_ids, measure)
        listed = as_user.action_view_actions()
        self.assertEqual(
            self.env["kam.action"].with_user(self.kam_user).search(listed["domain"]), measure
        )
        with self.assertRaises(AccessError):
            measure.with_user(self.kam_user).write({"name": "Changed"})
        # actions of cases stay private to their people
        case = self.env["kam.case"].create({"title": "Other", "user_id": self.kam_officer.id})
        case_action = self.env["kam.action"].create(
            {
                "name": "Private",
                "case_id": case.id,
                "user_id": self.kam_officer.id,
                "deadline": datetime.date.today(),
            }
        )
        self.assertFalse(
            self.env["kam.action"].with_user(self.kam_user).search([("id", "=", case_action.id)])
        )

    def test_measures_are_actions(self):
        risk = self._risk(3, 6, 7, company_id=self.company.id)
        measure = self.env["kam.action"].create(
            {
                "name": "Guard the press",
                "risk_id": risk.id,
                "user_id": self.kam_officer.id,
                "deadline": datetime.date(2099, 1, 1),
                "priority": "2",
                "kind": "preventive",
            }
        )
        self.assertEqual(measure.source_ref, risk)
        self.assertEqual(measure.company_id, self.company)
        self.assertEqual(measure.source_name, risk.display_name)
        self.assertEqual(measure.activity_ids.user_id, self.kam_officer)
        # a new measure from the hazard's button gets the hazard, its company and kind
        action = risk.action_view_actions()
        defaults = {
            key.removeprefix("default_"): value
            for key, value in action["context"].items()
            if key.startswith("default_")
        }
        self.assertEqual(
            defaults, {"risk_id": risk.id, "company_id": risk.company_id.id, "kind": "preventive"}
        )
        self.assertEqual(action["context"]["kam_xlsx_register"], "action_plan")
        other = self.env["kam.action"].create(
            dict(defaults, name="Toolbox", deadline=datetime.date(2099, 1, 1))
        )
        self.assertEqual(other.source_ref, risk)
        self.assertEqual((risk.action_count, risk.open_action_count), (2, 2))
        measure.action_done()
        risk.invalidate_recordset()
        self.assertEqual((risk.action_count, risk.open_action_count), (2, 1))
        action = risk.action_view_actions()
        self.assertEqual(self.env["kam.action"].search(action["domain"]), measure | other)

    def test_incidents_link_to_hazard(self):
        risk = self._risk(1, 6, 15)
        self.env["kam.case"].create(
            [
                {"title": f"Near miss {i}", "case_type": "incident", "risk_id": risk.id}
                for i in range(3)
            ]
        )
        self.assertEqual(risk.incident_count, 3)
        action = risk.action_view_incidents()
        self.assertEqual(self.env["kam.case"].search_count(action["domain"]), 3)

    def test_action_plan_xlsx(self):
        risk = self._risk(3, 6, 7, name="Caught in press brake")
        self._risk(1, 1, 1, name="No measures")
        self.env["kam.action"].create(
            [
                {
                    "name": "Guard the press",
                    "risk_id": risk.id,
                    "user_id": self.kam_officer.id,
                    "deadline": datetime.date(2099, 1, 1),
                    "priority": "2",
                },
                {
                    "name": "A case action, not in the plan",
                    "case_id": self.env["kam.case"].create({"title": "NC"}).id,
                    "deadline": datetime.date(2099, 1, 1),
                },
            ]
        )
        _name, content = (
            self.env["kam.action"].with_user(self.kam_officer)._kam_register_export("action_plan")
        )
        ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(ws["A1"].value, "Plan van aanpak (RI&E)")
        headers = [c.value for c in ws[HEADER_ROW]]
        self.assertEqual(
            headers,
            [
                "Hazard",
                "Department",
                "Risk score (R)",
                "Risk class",
                "Measure",
                "Kind",
                "Priority",
                "Owner",
                "Deadline",
                "Status",
                "Done on",
                "Check effectiveness on",
                "Verified by",
                "Verified on",
                "Overdue",
            ],
        )
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], "Caught in press brake")
        self.assertEqual(rows[0][2], 126)
        self.assertEqual(rows[0][3], "Measures needed")
        self.assertEqual(rows[0][4], "Guard the press")
        self.assertEqual(rows[0][headers.index("Priority")], "Urgent")

    def test_review_reminder_cron_once(self):
        due = self._risk(
            3, 6, 7, user_id=self.kam_officer.id, review_date=datetime.date(2025, 1, 10)
        )
        later = self._risk(
            1, 1, 1, user_id=self.kam_officer.id, review_date=datetime.date(2025, 6, 1)
        )
        review = self.env.ref("kam_management.mail_activity_kam_risk_review")
        with freeze_time("2025-01-15"):
            self.env["kam.risk"]._kam_duty_run(batch_size=1)
            self.env["kam.risk"]._kam_duty_run(batch_size=1)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "kam.risk"), ("activity_type_id", "=", review.id)]
        )
        self.assertEqual(activities.mapped("res_id"), [due.id])
        self.assertEqual(activities.user_id, self.kam_officer)
        self.assertNotIn(later.id, activities.mapped("res_id"))

    def test_reviewed_moves_the_review_date_on(self):
        review = self.env.ref("kam_management.mail_activity_kam_risk_review")
        risk = self._risk(3, 6, 7, user_id=self.kam_user.id, review_date=datetime.date(2025, 1, 10))
        self.assertEqual(risk.review_frequency, "yearly")
        with freeze_time("2025-01-15"):
            self.env["kam.risk"]._kam_duty_run()
            self.assertEqual(risk.activity_ids.activity_type_id, review)
            self.assertEqual(risk.kam_duty_state, "reminded")
            risk.with_user(self.kam_officer).action_reviewed()
        self.assertEqual(risk.last_review_date, datetime.date(2025, 1, 15))
        self.assertEqual(risk.reviewed_by_id, self.kam_officer)
        # reviewed late: the series keeps its day; the review activity is done
        self.assertEqual(risk.review_date, datetime.date(2026, 1, 10))
        self.assertFalse(risk.activity_ids)
        self.assertEqual(risk.kam_duty_state, "pending")
        # reviewed early: the next date after the current one, not the same date again
        with freeze_time("2025-12-20"):
            risk.with_user(self.kam_officer).action_reviewed()
        self.assertEqual(risk.review_date, datetime.date(2027, 1, 10))
        # every three years; without a review date: from today
        risk.write({"review_frequency": "three_yearly", "review_date": False})
        with freeze_time("2025-12-22"):
            risk.with_user(self.kam_officer).action_reviewed()
        self.assertEqual(risk.review_date, datetime.date(2028, 12, 22))
        # no frequency: no next review planned
        risk.review_frequency = False
        with freeze_time("2026-01-05"):
            risk.with_user(self.kam_officer).action_reviewed()
        self.assertFalse(risk.review_date)
        self.assertEqual(risk.last_review_date, datetime.date(2026, 1, 5))

    def test_only_officers_record_reviews(self):
        risk = self._risk(1, 1, 1, review_date=datetime.date(2025, 1, 10))
        with self.assertRaises(AccessError):
            risk.with_user(self.kam_user).action_reviewed()
        # the same rule for a plain write, also when a user may otherwise edit hazards
        self.env["ir.model.access"].create(
            {
                "name": "test: KAM users edit hazards",
                "model_id": self.env["ir.model"]._get_id("kam.risk"),
                "group_id": self.env.ref("kam_management.group_kam_user").id,
                "perm_read": True,
                "perm_write": True,
            }
        )
        risk.with_user(self.kam_user).workplace = "Hall 2"
        for vals in (
            {"last_review_date": datetime.date(2025, 1, 12)},
            {"reviewed_by_id": self.kam_user.id},
            {"review_frequency": "monthly"},
        ):
            with self.assertRaises(AccessError):
                risk.with_user(self.kam_user).write(vals)
        with self.assertRaises(AccessError):
            risk.with_user(self.kam_user).action_reviewed()
        self.assertFalse(risk.last_review_date)
        self.assertEqual(risk.review_frequency, "yearly")

    def test_factor_values_unique(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Factor.create({"axis": "effect", "value": 7, "name": "Duplicate"})
