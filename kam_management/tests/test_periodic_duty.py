import datetime
import itertools

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.kam_management.tools.recurrence import FREQUENCIES, RULES, next_due, series

from .test_cron import count_queries
from .test_supplier_evaluation import KamSupplierCommon

D = datetime.date
TODAY = D(2026, 3, 16)
ADOPTERS = [
    "kam.action",
    "kam.advice",
    "kam.aspect",
    "kam.audit",
    "kam.case",
    "kam.certificate",
    "kam.context.issue",
    "kam.document",
    "kam.document.acknowledgement",
    "kam.indicator",
    "kam.indicator.value",
    "kam.interested.party",
    "kam.requirement",
    "kam.review",
    "kam.risk",
    "kam.risk.opportunity",
    "kam.role.assignment",
    "kam.satisfaction.campaign",
    "kam.supplier.certificate",
    "kam.toolbox.plan",
    "res.partner",
]
# the adopters whose duty is an activity (the satisfaction campaign's duty mails the
# customers who have not answered: tests/test_satisfaction.py)
ACTIVITY_ADOPTERS = [model for model in ADOPTERS if model != "kam.satisfaction.campaign"]


@tagged("post_install", "-at_install")
class TestRecurrence(KamSupplierCommon):
    """'Due every N' with dateutil's rrule: month ends and leap years."""

    def test_month_ends_keep_their_day(self):
        def dates(frequency, start, count):
            return [moment.date() for moment in series(frequency, start)[:count]]

        self.assertEqual(
            dates("monthly", D(2025, 1, 31), 6),
            [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30), D(2025, 5, 31)]
            + [D(2025, 6, 30)],
        )
        self.assertEqual(dates("monthly", D(2024, 1, 30), 3)[1], D(2024, 2, 29))
        self.assertEqual(
            dates("quarterly", D(2025, 11, 30), 4),
            [D(2025, 11, 30), D(2026, 2, 28), D(2026, 5, 30), D(2026, 8, 30)],
        )
        self.assertEqual(
            dates("half_yearly", D(2025, 8, 31), 3),
            [D(2025, 8, 31), D(2026, 2, 28), D(2026, 8, 31)],
        )
        self.assertEqual(dates("weekly", D(2026, 3, 16), 2), [D(2026, 3, 16), D(2026, 3, 23)])

    def test_leap_years(self):
        self.assertEqual(
            [moment.date() for moment in series("yearly", D(2024, 2, 29))[:5]],
            [D(2024, 2, 29), D(2025, 2, 28), D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29)],
        )
        self.assertEqual(next_due("two_yearly", D(2024, 2, 29)), D(2026, 2, 28))
        self.assertEqual(next_due("three_yearly", D(2025, 2, 28)), D(2028, 2, 28))
        self.assertEqual(next_due("monthly", D(2028, 1, 31)), D(2028, 2, 29))

    def test_next_after_a_date(self):
        start = D(2026, 1, 10)
        self.assertEqual(next_due("yearly", start), D(2027, 1, 10))
        self.assertEqual(next_due("yearly", start, D(2025, 12, 20)), start)
        self.assertEqual(next_due("yearly", start, D(2026, 1, 10)), D(2027, 1, 10))
        self.assertEqual(next_due("yearly", start, D(2029, 6, 1)), D(2030, 1, 10))
        self.assertEqual(next_due("monthly", D(2026, 1, 31), D(2026, 4, 30)), D(2026, 5, 31))
        Duty = self.env["kam.periodic.duty"]
        self.assertEqual(Duty._kam_duty_next_date("quarterly", D(2026, 1, 31)), D(2026, 4, 30))

    def test_one_step_equals_adding_months(self):
        """One step of the series is what the supplier cycle added before (relativedelta),
        for every day of two years, so its figures are unchanged."""
        months = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
        day = D(2027, 1, 1)
        while day < D(2029, 1, 1):
            for frequency, count in months.items():
                self.assertEqual(
                    next_due(frequency, day), day + relativedelta(months=count), (frequency, day)
                )
            day += datetime.timedelta(days=1)

    def test_frequencies_have_rules(self):
        self.assertLessEqual({key for key, _label in FREQUENCIES}, set(RULES))
        partner_frequencies = self.env["res.partner"]._fields["kam_evaluation_frequency"]
        for key, _label in partner_frequencies.selection:
            self.assertTrue(key == "none" or key in RULES, key)


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestPeriodicDuties(KamSupplierCommon):
    """One mechanism for every dated duty: the registry, the one job, the one rule
    for "remind once", flat query counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Duty = cls.env["kam.periodic.duty"]
        cls.company.write(
            {
                "kam_escalation_days": 100,
                "kam_role_reminder_days": 30,
                "kam_certificate_reminder_days": 30,
            }
        )
        cls.bhv = cls.env.ref("kam_management.kam_role_bhv")
        cls.bhv.user_id = cls.kam_manager
        cls.counter = itertools.count()

    # ------------------------------------------------------------------ one due record per adopter
    def _action(self):
        case = self.env["kam.case"].create(
            {
                "title": "Loose guard",
                "user_id": self.kam_officer.id,
                "date_found": TODAY - relativedelta(days=30),
            }
        )
        return self.env["kam.action"].create(
            {
                "name": "Fix the guard",
                "case_id": case.id,
                "user_id": self.kam_user.id,
                "deadline": TODAY - relativedelta(days=2),
            }
        )

    def _complaint(self):
        return self.env["kam.case"].create(
            {
                "title": "Late answer",
                "case_type": "complaint",
                "user_id": self.kam_officer.id,
                "date_received": TODAY - relativedelta(days=30),
                "date_found": TODAY - relativedelta(days=30),
            }
        )

    def _risk(self):
        def factor(axis, value):
            return self.env["kam.risk.factor"].search([("axis", "=", axis), ("value", "=", value)])

        return self.env["kam.risk"].create(
            {
                "name": "Noise at the saw",
                "probability_id": factor("probability", 3).id,
                "exposure_id": factor("exposure", 6).id,
                "effect_id": factor("effect", 7).id,
                "user_id": self.kam_officer.id,
                "review_date": TODAY - relativedelta(days=1),
            }
        )

    # registers: reviews (aspects, context, parties, risks and opportunities) and the
    # evaluation of compliance
    def _factor(self, axis, value):
        return self.env["kam.risk.factor"].search([("axis", "=", axis), ("value", "=", value)])

    def _review_values(self):
        return {"user_id": self.kam_officer.id, "review_date": TODAY - relativedelta(days=1)}

    def _aspect(self):
        return self.env["kam.aspect"].create(
            dict(
                self._review_values(),
                name="Welding fumes",
                activity="Welding",
                impact="Air pollution",
                frequency_id=self._factor("frequency", 5).id,
                severity_id=self._factor("severity", 3).id,
            )
        )

    def _issue(self):
        return self.env["kam.context.issue"].create(
            dict(self._review_values(), name="Heat in the halls", category="environmental")
        )

    def _party(self):
        return self.env["kam.interested.party"].create(
            dict(self._review_values(), name="Neighbours", category="neighbours")
        )

    def _risk_opportunity(self):
        return self.env["kam.risk.opportunity"].create(
            dict(
                self._review_values(),
                name="Welder leaves",
                likelihood_id=self._factor("likelihood", 3).id,
                impact_id=self._factor("impact", 4).id,
            )
        )

    def _requirement(self):
        return self.env["kam.requirement"].create(
            {
                "name": "Arbeidsomstandighedenwet",
                "bwb_id": "BWBR0010346",
                "user_id": self.kam_officer.id,
                "next_evaluation_date": TODAY + relativedelta(days=5),
            }
        )

    def _role(self):
        employee = self.env["hr.employee"].create({"name": f"BHV {next(self.counter)}"})
        return self.env["kam.role.assignment"].create(
            {
                "employee_id": employee.id,
                "role_id": self.bhv.id,
                "expiry_date": TODAY + relativedelta(days=10),
            }
        )

    def _certificate(self):
        return self.env["kam.supplier.certificate"].create(
            {
                "partner_id": self.supplier.id,
                "standard_name": "VCA**",
                "name": f"V-{next(self.counter)}",
                "date_valid_until": TODAY + relativedelta(days=10),
                "user_id": self.kam_officer.id,
            }
        )

    def _supplier(self):
        partner = self.env["res.partner"].create(
            {"name": f"Duty supplier {next(self.counter)}", "is_company": True}
        )
        partner.write({"kam_evaluation_frequency": "quarterly", "kam_evaluation_next_date": TODAY})
        order = self.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "user_id": self.buyer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_qty": 1, "price_unit": 1}
                    )
                ],
            }
        )
        order.write({"state": "purchase", "date_approve": datetime.datetime(2026, 1, 15)})
        return partner

    def _audit(self):
        return self.env["kam.audit"].create(
            {
                "title": f"Audit {next(self.counter)}",
                "date_planned": TODAY + relativedelta(days=5),
                "lead_auditor_id": self.kam_officer.id,
            }
        )

    def _own_certificate(self):
        return self.env["kam.certificate"].create(
            {
                "name": f"C-{next(self.counter)}",
                "standard_id": self.iso9001.id,
                "certification_body_id": self.supplier.id,
                "date_valid_from": TODAY - relativedelta(years=2),
                "date_valid_until": TODAY + relativedelta(days=30),
                "user_id": self.kam_officer.id,
            }
        )

    def _released_document(self, **values):
        document = self.env["kam.document"].create(
            dict(
                {
                    "code": f"DOC-{next(self.counter)}",
                    "name": "Welding",
                    "user_id": self.kam_officer.id,
                    "acknowledge": False,
                },
                **values,
            )
        )
        version = self.env["kam.document.version"].create(
            {"document_id": document.id, "body": "<p>Weld</p>"}
        )
        version.action_submit()
        version.action_approve()
        version.action_release()
        return document

    def _document(self):
        document = self._released_document()
        document.review_date = TODAY + relativedelta(days=10)
        return document

    def _acknowledgement(self):
        department = self.env["hr.department"].create({"name": f"Team {next(self.counter)}"})
        self.env["hr.employee"].create({"name": "Reader", "department_id": department.id})
        document = self._released_document(
            acknowledge=True, department_ids=[Command.set(department.ids)]
        )
        task = document.acknowledgement_ids
        task.date_deadline = TODAY
        return task

    def _toolbox_plan(self):
        department = self.env["hr.department"].create({"name": f"Crew {next(self.counter)}"})
        self.env["hr.employee"].create({"name": "Listener", "department_id": department.id})
        return self.env["kam.toolbox.plan"].create(
            {
                "name": "Toolbox",
                "department_id": department.id,
                "user_id": self.kam_officer.id,
                "next_date": TODAY + relativedelta(days=5),
            }
        )

    def _advice(self):
        advice = self.env["kam.advice"].create(
            {
                "name": "Extraction",
                "addressee_id": self.kam_manager.id,
                "response_deadline": TODAY,
            }
        )
        advice.action_give()
        return advice

    def _indicator(self, **vals):
        """An entered indicator of the KAM user whose February 2026 has ended."""
        return self.env["kam.indicator"].create(
            dict(
                {
                    "name": f"Scrap {next(self.counter)}",
                    "unit": "%",
                    "user_id": self.kam_user.id,
                    "date_start": datetime.date(2026, 2, 1),
                },
                **vals,
            )
        )

    def _indicator_value(self):
        indicator = self._indicator(next_update_date=datetime.date(2026, 4, 1))
        return self.env["kam.indicator.value"].create(
            {"indicator_id": indicator.id, "date_from": datetime.date(2026, 2, 1)}
        )

    def _review(self):
        self.company.kam_review_user_id = self.kam_officer
        return self.env["kam.review"].create(
            {
                "name": f"Review {next(self.counter)}",
                "date_from": datetime.date(2025, 1, 1),
                "date_to": datetime.date(2025, 12, 31),
                "state": "approved",
                "next_review_date": TODAY + relativedelta(days=10),
            }
        )

    def _rows(self):
        """(model, make a due record, give it a new due date that is due, activity type,
        the activities its duty gives)."""

        def on_record(record, xmlid):
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("activity_type_id", "=", self.env.ref(xmlid).id),
                ]
            )

        def on_values(indicator, xmlid):
            return indicator.value_ids.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(xmlid)
            )

        def on_evaluations(partner, xmlid):
            evaluations = self.env["kam.supplier.evaluation"].search(
                [("partner_id", "=", partner.id)]
            )
            return evaluations.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(xmlid)
            )

        def on_toolboxes(plan, xmlid):
            return plan.toolbox_ids.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(xmlid)
            )

        prefix = "kam_management.mail_activity_kam_"
        return [
            (
                "kam.advice",
                self._advice,
                {"response_deadline": TODAY - relativedelta(days=1)},
                prefix + "advice_response",
                on_record,
            ),
            (
                "kam.document",
                self._document,
                {"review_date": TODAY + relativedelta(days=20)},
                prefix + "document_review",
                on_record,
            ),
            (
                "kam.document.acknowledgement",
                self._acknowledgement,
                {"date_deadline": TODAY - relativedelta(days=1)},
                prefix + "document_read",
                on_record,
            ),
            (
                "kam.toolbox.plan",
                self._toolbox_plan,
                {"next_date": TODAY + relativedelta(days=3)},
                prefix + "toolbox",
                on_toolboxes,
            ),
            (
                "kam.action",
                self._action,
                {"deadline": TODAY - relativedelta(days=1)},
                prefix + "overdue",
                on_record,
            ),
            (
                "kam.case",
                self._complaint,
                {"answer_deadline": TODAY - relativedelta(days=1)},
                prefix + "answer_overdue",
                on_record,
            ),
            (
                "kam.audit",
                self._audit,
                {"date_planned": TODAY + relativedelta(days=10)},
                prefix + "audit",
                on_record,
            ),
            (
                "kam.certificate",
                self._own_certificate,
                {"date_valid_until": TODAY + relativedelta(days=60)},
                prefix + "certificate_own_expiry",
                on_record,
            ),
            (
                "kam.indicator",
                self._indicator,
                {"date_start": datetime.date(2026, 1, 1)},
                prefix + "indicator_value",
                on_values,
            ),
            (
                "kam.indicator.value",
                self._indicator_value,
                {"date_from": datetime.date(2026, 1, 1)},
                prefix + "indicator_value",
                on_record,
            ),
            (
                "kam.review",
                self._review,
                {"next_review_date": TODAY + relativedelta(days=20)},
                prefix + "review",
                on_record,
            ),
            ("kam.risk", self._risk, {"review_date": TODAY}, prefix + "risk_review", on_record),
            (
                "kam.aspect",
                self._aspect,
                {"review_date": TODAY},
                prefix + "aspect_review",
                on_record,
            ),
            (
                "kam.context.issue",
                self._issue,
                {"review_date": TODAY},
                prefix + "context_review",
                on_record,
            ),
            (
                "kam.interested.party",
                self._party,
                {"review_date": TODAY},
                prefix + "party_review",
                on_record,
            ),
            (
                "kam.risk.opportunity",
                self._risk_opportunity,
                {"review_date": TODAY},
                prefix + "risk_opportunity_review",
                on_record,
            ),
            (
                "kam.requirement",
                self._requirement,
                {"next_evaluation_date": TODAY + relativedelta(days=10)},
                prefix + "compliance_evaluation",
                on_record,
            ),
            (
                "kam.role.assignment",
                self._role,
                {"expiry_date": TODAY + relativedelta(days=20)},
                prefix + "role_expiry",
                on_record,
            ),
            (
                "kam.supplier.certificate",
                self._certificate,
                {"date_valid_until": TODAY + relativedelta(days=20)},
                prefix + "certificate_expiry",
                on_record,
            ),
            (
                "res.partner",
                self._supplier,
                {"kam_evaluation_next_date": TODAY - relativedelta(days=10)},
                prefix + "supplier_evaluation",
                on_evaluations,
            ),
        ]

    # ------------------------------------------------------------------ tests
    def test_registry_finds_every_adopter(self):
        self.assertEqual(self.Duty._kam_duty_models(), ADOPTERS)
        for model in ADOPTERS:
            self.assertIn("kam_duty_state", self.env[model]._fields, model)
        self.assertEqual(sorted(row[0] for row in self._rows()), ACTIVITY_ADOPTERS)
        # one job runs them all; the old jobs are gone
        cron = self.env.ref("kam_management.ir_cron_kam_periodic_duties")
        self.assertEqual(cron.model_id.model, "kam.periodic.duty")
        self.assertEqual(cron.code.strip(), "model._cron_kam_duties()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        kam_crons = self.env["ir.model.data"].search(
            [("module", "=", "kam_management"), ("model", "=", "ir.cron")]
        )
        # (besides the after-commit jobs of kam_after_commit_data.xml, no reminders)
        self.assertEqual(
            sorted(kam_crons.mapped("name")),
            [
                "ir_cron_kam_action_owner_notices",
                "ir_cron_kam_complaint_acknowledgements",
                "ir_cron_kam_periodic_duties",
                "ir_cron_kam_public_submission_purge",
                # not a reminder: sends the invitations of large campaigns in chunks
                "ir_cron_kam_satisfaction_invitations",
            ],
        )

    def test_once_per_due_date_for_every_adopter(self):
        """Due -> one activity; again -> none; activity done, again -> none; a new due
        date -> due again. The same rule for every adopter, run by the one job."""
        rows = [(model, make(), *rest) for model, make, *rest in self._rows()]

        def counts():
            return {model: len(find(record, xmlid)) for model, record, _m, xmlid, find in rows}

        def run():
            self.env["kam.periodic.duty"]._cron_kam_duties()

        run()
        self.assertEqual(counts(), dict.fromkeys(ACTIVITY_ADOPTERS, 1), "due: one activity each")
        run()
        self.assertEqual(counts(), dict.fromkeys(ACTIVITY_ADOPTERS, 1), "again: no second one")
        for _model, record, _move, xmlid, find in rows:
            find(record, xmlid).action_done()
        self.assertEqual(counts(), dict.fromkeys(ACTIVITY_ADOPTERS, 0))
        run()
        self.assertEqual(
            counts(), dict.fromkeys(ACTIVITY_ADOPTERS, 0), "done: still not a second one"
        )
        for _model, record, move, _xmlid, _find in rows:
            record.write(move)
        run()
        self.assertEqual(counts(), dict.fromkeys(ACTIVITY_ADOPTERS, 1), "a new due date: due again")
        run()
        self.assertEqual(counts(), dict.fromkeys(ACTIVITY_ADOPTERS, 1))

    def test_state_follows_the_due_date(self):
        risk = self._risk()
        self.assertEqual(risk.kam_duty_state, "pending")
        # the scheduled job's own code
        self.env.ref("kam_management.ir_cron_kam_periodic_duties").ir_actions_server_id.run()
        self.assertEqual(risk.kam_duty_state, "reminded")
        risk.name = "Noise at the circular saw"
        self.assertEqual(risk.kam_duty_state, "reminded", "only the due date re-arms it")
        copy = risk.copy()
        self.assertEqual(copy.kam_duty_state, "pending")
        risk.review_date = TODAY + relativedelta(days=30)
        self.assertEqual(risk.kam_duty_state, "pending")
        # not due yet: the job leaves it alone
        self.Duty._cron_kam_duties()
        self.assertEqual(risk.kam_duty_state, "pending")

    def test_run_is_flat_per_chunk(self):
        """The job's cost does not grow with the number of due records in a chunk: one
        due record of every adopter vs 30 of every adopter."""

        def make(count):
            for _model, factory, _move, _xmlid, _find in self._rows():
                for _i in range(count):
                    factory()

        make(1)
        q1 = count_queries(self.env, self.Duty._cron_kam_duties)
        make(30)
        q30 = count_queries(self.env, self.Duty._cron_kam_duties)
        self.assertLessEqual(q30, q1 + 12, f"all duties: {q1} queries for 1, {q30} for 30 each")
        # nothing left to do: one search per adopter and company, and the companies
        q0 = count_queries(self.env, self.Duty._cron_kam_duties)
        self.assertLess(q0, q1)

    def test_chunks_cost_the_same(self):
        """Per chunk a fixed number of queries: 3 chunks of 10 cost 3 chunks of 1."""
        Risk = self.env["kam.risk"]

        def run_in_chunks(count):
            for _i in range(count):
                self._risk()
            return count_queries(self.env, lambda: Risk._kam_duty_run(batch_size=count // 3))

        q3 = run_in_chunks(3)
        q30 = run_in_chunks(30)
        self.assertLessEqual(q30, q3 + 3, f"3 chunks of 1: {q3} queries, of 10: {q30}")

    def test_install_on_existing_rows(self):
        """The state column of a model with data is filled in SQL: an open reminder
        or escalation activity counts as given; a certificate keeps its old flag."""
        self.company.kam_escalation_days = 2
        action, late = self._action(), self._action()
        late.deadline = TODAY - relativedelta(days=1)
        self.Duty._cron_kam_duties()
        self.assertEqual(action.kam_duty_state, "escalated")
        self.assertEqual(late.kam_duty_state, "reminded")
        fresh = self._action()
        old, flagged, other = self._certificate(), self._certificate(), self._certificate()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE kam_action DROP COLUMN kam_duty_state")
        cr.execute("ALTER TABLE kam_supplier_certificate DROP COLUMN kam_duty_state")
        cr.execute("ALTER TABLE kam_supplier_certificate ADD COLUMN expiry_reminded boolean")
        cr.execute(
            "UPDATE kam_supplier_certificate SET expiry_reminded = id = ANY(%s)",
            [(old | flagged).ids],
        )
        self.env["kam.action"]._kam_duty_init_column()
        self.env["kam.supplier.certificate"]._kam_duty_init_column()
        self.env.invalidate_all()
        self.assertEqual(
            (action | late | fresh).mapped("kam_duty_state"), ["escalated", "reminded", "pending"]
        )
        self.assertEqual(
            (old | flagged | other).mapped("kam_duty_state"), ["reminded", "reminded", "pending"]
        )
