import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import load_dutch
from .leadership_common import Q1, TODAY, KamLeadershipData

D = datetime.date
ALL_TOPICS = [
    "previous_decisions",
    "context",
    "customer",
    "objectives",
    "process",
    "nonconformities",
    "monitoring",
    "audits",
    "suppliers",
    "compliance",
    "aspects",
    "incidents",
    "participation",
    "resources",
    "risks",
    "improvement",
]
# (topic, figure): (value of Q1 2021, value of Q4 2020), by hand from leadership_common.py
EXPECTED = {
    ("customer", "received"): (4, 1),
    ("customer", "justified"): (2, 1),
    ("customer", "closed"): (4, 0),
    ("customer", "handling"): (16.25, None),
    ("customer", "satisfied"): (75.0, None),
    ("objectives", "running"): (2, None),
    ("objectives", "strategic"): (1, None),
    ("objectives", "achieved"): (1, 0),
    ("objectives", "not_achieved"): (0, 1),
    ("objectives", "off_target"): (2, None),
    ("process", "found"): (3, 1),
    ("process", "internal"): (2, 1),
    ("process", "serious"): (1, 1),
    ("nonconformities", "closed"): (2, 1),
    ("nonconformities", "closed_on_time"): (50.0, 100.0),
    ("nonconformities", "open_at_end"): (1, 0),
    ("nonconformities", "actions_done"): (4, 0),
    ("nonconformities", "actions_on_time"): (60.0, None),
    ("nonconformities", "actions_effective"): (66.67, None),
    ("nonconformities", "actions_late"): (1, 0),
    ("monitoring", "measured"): (9, 0),
    ("monitoring", "on_target"): (37.5, None),
    ("monitoring", "off_target"): (7, 0),
    ("monitoring", "actions"): (0, 0),
    ("suppliers", "supplier_ncs"): (1, 0),
    ("suppliers", "evaluated"): (3, 1),
    ("suppliers", "score"): (75.0, 70.0),
    ("suppliers", "class_a"): (66.67, 0.0),
    ("suppliers", "class_c"): (1, 0),
    ("suppliers", "on_time"): (66.67, None),
    ("incidents", "incidents"): (4, 1),
    ("incidents", "injuries"): (2, 1),
    ("incidents", "near_misses"): (1, 0),
    ("incidents", "lti"): (2, 1),
    ("incidents", "days_lost"): (4, 2),
    ("incidents", "hours"): (40000, 30000),
    ("incidents", "ltifr"): (50.0, 33.33),
    ("incidents", "notifiable"): (1, 0),
    ("incidents", "reported"): (1, 0),
    ("participation", "worker_reports"): (1, 0),
    ("participation", "anonymous"): (1, 0),
    ("participation", "ideas"): (2, 1),
    ("resources", "employees"): (3, None),
    ("resources", "unfilled"): (2, None),
    ("resources", "expired"): (1, None),
    ("resources", "expiring"): (1, None),
    ("risks", "hazards"): (1, None),
    ("risks", "reviewed"): (1, 0),
    ("risks", "measures_done"): (1, 0),
    ("risks", "measures_on_time"): (100.0, None),
    ("risks", "measures_effective"): (100.0, None),
    ("improvement", "suggestions"): (2, 1),
    ("improvement", "implemented"): (1, 0),
    ("improvement", "improvement_actions"): (1, 0),
}


def figures_of(review):
    return {
        (f.section_id.topic_id.code, f.key): (
            round(f.value, 2) if f.value_set else None,
            round(f.previous, 2) if f.previous_set else None,
        )
        for f in review.figure_ids
    }


@tagged("post_install", "-at_install")
class TestReview(KamLeadershipData):
    """The management review on the crafted data set: every input by hand, frozen,
    compared with the period before; approval, decisions, minutes, annex, cycle."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Objective = env["kam.objective"].with_context(tracking_disable=True)
        common = {"company_id": cls.lead.id, "target": "t", "deadline": D(2021, 12, 31)}
        cls.obj1 = Objective.create(
            dict(
                common,
                name="obj1",
                level="strategic",
                state="approved",
                approved_date=D(2020, 12, 1),
            )
        )
        cls.obj2 = Objective.create(
            dict(
                common,
                name="obj2",
                parent_id=cls.obj1.id,
                state="achieved",
                approved_date=D(2021, 1, 10),
                evaluated_date=D(2021, 3, 20),
            )
        )
        cls.obj3 = Objective.create(
            dict(
                common,
                name="obj3",
                parent_id=cls.obj1.id,
                state="not_achieved",
                approved_date=D(2020, 6, 1),
                evaluated_date=D(2020, 12, 15),
            )
        )
        cls.obj4 = Objective.create(dict(common, name="obj4", parent_id=cls.obj1.id))
        cls.ready["complaints_per_orders"].objective_id = cls.obj2
        with freeze_time(TODAY):
            env["kam.indicator"].browse([i.id for i in cls.ready.values()])._kam_update(TODAY)
        cls.lead.kam_review_user_id = cls.kam_officer
        cls.iso = (cls.iso9001 | cls.iso14001 | cls.iso45001).ids

    def _review(self, **vals):
        return (
            self.env["kam.review"]
            .with_company(self.lead)
            .create(
                dict(
                    {
                        "name": "Q1",
                        "company_id": self.lead.id,
                        "date_from": Q1[0],
                        "date_to": Q1[1],
                        "standard_ids": [Command.set(self.iso)],
                    },
                    **vals,
                )
            )
        )

    @freeze_time(TODAY)
    def test_inputs_by_hand(self):
        review = self._review()
        review.with_user(self.kam_officer).with_company(self.lead).action_prepare()
        self.assertEqual(review.state, "prepared")
        self.assertEqual(
            (review.compare_from, review.compare_to), (D(2020, 10, 1), D(2020, 12, 31))
        )
        self.assertEqual(review.section_ids.topic_id.mapped("code"), ALL_TOPICS)
        got = figures_of(review)
        self.assertEqual({key: got.get(key) for key in EXPECTED}, EXPECTED)
        # the first review: the status of earlier decisions is a remark, no figure
        first = review.section_ids.filtered(lambda s: s.topic_id.code == "previous_decisions")
        self.assertIn("first management review", first.note)
        # a topic of the company's own (no model contributes to it) says so
        self.env["kam.review.topic"].create({"name": "Own topic", "code": "own", "sequence": 999})
        review.action_reset_draft()
        review.action_prepare()
        own = review.section_ids.filtered(lambda s: s.topic_id.code == "own")
        self.assertFalse(own.figure_ids)
        self.assertIn("No figures from the system", own.note)
        # short tables, frozen as HTML
        customer = review.section_ids.filtered(lambda s: s.topic_id.code == "customer")
        self.assertIn("Product quality", customer.table_html)
        # a category's name is shown in the reader's language, also when the review
        # was prepared in another one
        self.env["res.lang"]._activate_lang("nl_NL")
        category = self.env["kam.complaint.category"].search([("name", "=", "Product quality")])
        category.with_context(lang="nl_NL").name = "Productkwaliteit"
        customer.invalidate_recordset(["table_html"])
        self.assertIn("Productkwaliteit", customer.with_context(lang="nl_NL").table_html)
        self.assertIn("Product quality", customer.with_context(lang="en_US").table_html)
        incidents = review.section_ids.filtered(lambda s: s.topic_id.code == "incidents")
        self.assertIn("Near miss", incidents.table_html)
        # comparison shown in the figure
        received = review.figure_ids.filtered(lambda f: f.key == "received")
        self.assertEqual((received.change_display, received.trend), ("+3", "worse"))

    @freeze_time(TODAY)
    def test_snapshot_is_frozen(self):
        review = self._review()
        review.action_prepare()
        self._case(self.lead, title="late", case_type="complaint", date_received=D(2021, 2, 2))
        self.env.invalidate_all()
        self.assertEqual(figures_of(review)[("customer", "received")], (4, 1))
        with self.assertRaisesRegex(UserError, "frozen"):
            review.date_to = D(2021, 6, 30)
        figure = review.figure_ids[0].with_user(self.kam_officer)
        with self.assertRaises(AccessError):
            figure.value = 99
        # back to draft and prepared again: the figures of today
        review.action_reset_draft()
        self.assertFalse(review.figure_ids)
        review.action_prepare()
        self.assertEqual(figures_of(review)[("customer", "received")], (5, 1))

    @freeze_time(TODAY)
    def test_standards_choose_the_topics(self):
        review = self._review(standard_ids=[Command.set(self.iso9001.ids)])
        review.action_prepare()
        codes = review.section_ids.topic_id.mapped("code")
        self.assertIn("suppliers", codes)
        self.assertNotIn("incidents", codes)
        self.assertNotIn("aspects", codes)
        safety = self._review(name="VCA", standard_ids=[Command.set(self.iso45001.ids)])
        safety.action_prepare()
        codes = safety.section_ids.topic_id.mapped("code")
        self.assertIn("incidents", codes)
        self.assertIn("compliance", codes)
        self.assertNotIn("suppliers", codes)

    @freeze_time(TODAY)
    def test_approval_decisions_and_cycle(self):
        review = self._review()
        with self.assertRaises(AccessError):
            review.with_user(self.kam_user).read(["name"])
        review = review.with_company(self.lead)
        review.with_user(self.kam_officer).action_prepare()
        review.write(
            {
                "decision_ids": [
                    Command.create(
                        {
                            "name": "Second press brake operator",
                            "kind": "resources",
                            "user_id": self.kam_officer.id,
                            "deadline": D(2021, 6, 30),
                            "objective_id": self.obj1.id,
                        }
                    )
                ]
            }
        )
        # incomplete: a clear error that says what is missing
        with self.assertRaisesRegex(UserError, "not complete yet.*Meeting date.*Chair"):
            review.with_user(self.kam_manager).action_approve()
        review.write(
            {
                "date": D(2021, 4, 20),
                "chair_id": self.kam_manager.id,
                "attendee_ids": [Command.set([self.kam_manager.id, self.kam_officer.id])],
                "conclusion": "<p>Suitable, adequate, effective.</p>",
            }
        )
        for section in review.section_ids[:-1]:
            section.with_user(self.kam_officer).conclusion = "<p>Seen.</p>"
        with self.assertRaisesRegex(UserError, "a conclusion on: Opportunities for improvement"):
            review.with_user(self.kam_manager).action_approve()
        review.section_ids[-1].conclusion = "<p>More ideas.</p>"
        # only managers approve
        with self.assertRaisesRegex(AccessError, "Only KAM managers"):
            review.with_user(self.kam_officer).action_approve()
        review.with_user(self.kam_manager).action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.approved_by_id, self.kam_manager)
        self.assertEqual(review.next_review_date, D(2022, 4, 20))
        # the decision became an action of the review
        action = review.decision_ids.action_id
        self.assertEqual(action.review_id, review)
        self.assertEqual((action.user_id, action.deadline), (self.kam_officer, D(2021, 6, 30)))
        self.assertEqual(review.action_count, 1)
        self.assertEqual(self.obj1.decision_ids, review.decision_ids)
        # read-only from now on, also its inputs and decisions, for managers too; never deleted
        as_manager = review.with_user(self.kam_manager)
        with self.assertRaisesRegex(UserError, "approved"):
            as_manager.name = "changed"
        with self.assertRaisesRegex(UserError, "approved"):
            as_manager.section_ids[0].conclusion = "<p>changed</p>"
        with self.assertRaisesRegex(UserError, "approved"):
            as_manager.decision_ids.name = "changed"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            as_manager.unlink()
        # the coordinator may move the next date
        review.with_user(self.kam_officer).next_review_date = D(2022, 3, 1)

        # the next review: the status of this one's decisions is its first input
        action.write({"state": "done"})
        later = self._review(name="Q2", date_from=D(2021, 4, 1), date_to=D(2021, 6, 30))
        self.assertEqual(later.previous_id, review)
        self.assertTrue(review.superseded)
        later.action_prepare()
        got = figures_of(later)
        self.assertEqual(got[("previous_decisions", "decisions")], (1, None))
        self.assertEqual(got[("previous_decisions", "done")], (1, None))
        self.assertEqual(got[("previous_decisions", "open")], (0, None))

    def test_next_review_reminder(self):
        """The coordinator is reminded once, 30 days before the next review is due,
        until a later review follows."""
        with freeze_time(TODAY):
            review = self._review()
            review.action_prepare()
            review.write(
                {
                    "date": D(2021, 4, 20),
                    "chair_id": self.kam_manager.id,
                    "attendee_ids": [Command.set(self.kam_manager.ids)],
                    "conclusion": "<p>ok</p>",
                }
            )
            review.section_ids.conclusion = "<p>ok</p>"
            review.action_approve()
        activity_type = self.env.ref("kam_management.mail_activity_kam_review")
        Review = self.env["kam.review"]
        with freeze_time("2022-03-20"):
            self.assertNotIn(review, Review._kam_duty_run())
        with freeze_time("2022-03-21"):
            self.assertIn(review, Review._kam_duty_run())
            Review._kam_duty_run()
        activities = review.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.kam_officer)
        self.assertEqual(activities.date_deadline, D(2022, 4, 20))

    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "ends .* before it starts"):
            self._review(date_from=D(2021, 3, 31), date_to=D(2021, 1, 1))
        review = self._review()
        with self.assertRaisesRegex(UserError, "cannot go from Draft to Approved"):
            review.action_approve()

    @freeze_time(TODAY)
    def test_annex_and_minutes(self):
        review = self._review(minutes_lang="en_US")
        review.action_prepare()
        name, content = (
            self.env["kam.review.figure"]
            .with_user(self.kam_officer)
            .with_company(self.lead)
            ._kam_register_export("review_annex", [("review_id", "=", review.id)])
        )
        self.assertTrue(name.startswith("review_annex_"))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
        self.assertEqual(len(rows), len(review.figure_ids))
        received = next(row for row in rows if row[2] == "Complaints received")
        self.assertEqual(received[3:6], [4, 1, 3])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("kam_management.action_report_kam_review", review.ids)[0]
            .decode()
        )
        self.assertRegex(html, r"Minutes: <span>Q1</span>")
        self.assertIn("Complaints received", html)
        self.assertIn("Overall conclusion", html)
        # the same snapshot in Dutch
        load_dutch(self.env)
        dutch = self._review(name="Q1 NL", minutes_lang="nl_NL")
        dutch.action_prepare()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("kam_management.action_report_kam_review", dutch.ids)[0]
            .decode()
        )
        self.assertRegex(html, r"Notulen: <span>Q1 NL</span>")
        self.assertIn("Klachten ontvangen", html)

    @freeze_time(TODAY)
    def test_query_count_flat(self):
        """Preparing a review costs as many queries with twice the data."""

        def prepare():
            review = self._review(name=f"flat {self.env.cr.sql_log_count}")
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            review.action_prepare()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        prepare()  # warm the caches
        small = prepare()
        for i in range(20):
            self._case(
                self.lead, title=f"more {i}", case_type="complaint", date_received=D(2021, 2, 1 + i)
            )
            self._case(
                self.lead,
                title=f"inc {i}",
                case_type="incident",
                incident_kind="near_miss",
                date_found=D(2021, 3, 1 + i),
            )
        self.env["kam.action"].create(
            [
                {"name": f"a{i}", "deadline": D(2021, 2, 1), "company_id": self.lead.id}
                for i in range(20)
            ]
        )
        large = prepare()
        self.assertEqual(small, large)

    def test_access_per_company(self):
        review = self._review()
        self.assertFalse(
            self.env["kam.review"].with_user(self.user_company_2).search([("id", "=", review.id)])
        )
        with self.assertRaises(AccessError):
            self.env["kam.review"].with_user(self.kam_user).search([])


@tagged("post_install", "-at_install")
class TestReviewAudits(KamLeadershipData):
    """Audit results (c 6) and the ready indicator of audit findings closed in time."""

    @freeze_time(TODAY)
    def test_audit_results(self):
        Audit = self.env["kam.audit"].with_context(tracking_disable=True)
        body = self.env["res.partner"].create({"name": "Certificatie B.V.", "is_company": True})

        def audit(title, kind, state, planned, end=None):
            return Audit.create(
                {
                    "title": title,
                    "audit_type": kind,
                    "state": state,
                    "company_id": self.lead.id,
                    "date_planned": planned,
                    "date_start": end,
                    "date_end": end,
                }
            )

        a0 = audit("a0", "internal", "reported", D(2020, 11, 20), D(2020, 11, 20))
        a1 = audit("a1", "internal", "reported", D(2021, 2, 10), D(2021, 2, 15))
        audit("a2", "internal", "planned", D(2021, 3, 20))
        a3 = audit("a3", "surveillance", "reported", D(2021, 3, 10), D(2021, 3, 10))
        rows = [
            # audit, type, severity, found, deadline, closed
            (a0, "nonconformity", "minor", D(2020, 11, 20), D(2020, 12, 20), D(2020, 12, 10)),
            (a1, "nonconformity", "major", D(2021, 2, 15), D(2021, 3, 1), D(2021, 2, 25)),
            (a1, "nonconformity", "minor", D(2021, 2, 15), D(2021, 3, 15), D(2021, 3, 20)),
            (a1, "improvement", "minor", D(2021, 2, 15), None, None),
            (a3, "nonconformity", "minor", D(2021, 3, 10), D(2021, 4, 10), None),
        ]
        for i, (source, case_type, severity, found, deadline, closed) in enumerate(rows):
            vals = {
                "title": f"f{i}",
                "case_type": case_type,
                "severity": severity,
                "source": "audit",
                "audit_id": source.id,
                "date_found": found,
                "deadline": deadline,
            }
            if closed:
                vals = self._closed(vals, closed, "method")
            self._case(self.lead, **vals)
        self.env["kam.certificate"].create(
            {
                "name": "Q-123",
                "company_id": self.lead.id,
                "standard_id": self.iso9001.id,
                "certification_body_id": body.id,
                "date_valid_from": D(2019, 1, 1),
                "date_valid_until": D(2022, 1, 1),
            }
        )
        review = self.env["kam.review"].create(
            {"name": "Q1", "company_id": self.lead.id, "date_from": Q1[0], "date_to": Q1[1]}
        )
        review.action_prepare()
        got = {
            f.key: (
                round(f.value, 2) if f.value_set else None,
                round(f.previous, 2) if f.previous_set else None,
            )
            for f in review.figure_ids
            if f.section_id.topic_id.code == "audits"
        }
        self.assertEqual(
            got,
            {
                "internal": (1, 1),
                "external": (1, 0),
                "not_held": (1, 0),
                "major": (1, 0),
                "nonconformities": (3, 1),
                "observations": (1, 0),
                "closed_on_time": (50.0, 100.0),
                "open_findings": (1, 0),
                "certificates": (1, None),
                "expiring": (1, None),
            },
        )
        section = review.section_ids.filtered(lambda s: s.topic_id.code == "audits")
        self.assertIn("Surveillance audit", section.table_html)
        # the ready indicator: nonconformities of audits due in Q1 (a1's two), one in time
        indicator = self.env.ref("kam_management.kam_indicator_audit_findings_on_time").copy(
            {"company_id": self.lead.id, "date_start": Q1[0]}
        )
        indicator._kam_update(TODAY)
        self.assertEqual(
            [(v.date_from, round(v.value, 2)) for v in indicator.value_ids], [(Q1[0], 50.0)]
        )


@tagged("post_install", "-at_install")
class TestReviewRegisters(KamLeadershipData):
    """Context, interested parties, compliance obligations, significant aspects and
    the register of risks and opportunities as inputs (Q1 2021, by hand)."""

    def _factor(self, axis, value):
        return self.env["kam.risk.factor"].search([("axis", "=", axis), ("value", "=", value)])

    def _created(self, record, day):
        """When the record was recorded (the ORM does not write create_date)."""
        record.flush_recordset()
        self.env.cr.execute(
            f'UPDATE "{record._table}" SET create_date = %s WHERE id = %s',  # noqa: S608
            (datetime.datetime(day.year, day.month, day.day, 12), record.id),
        )
        record.invalidate_recordset(["create_date"])

    @freeze_time(TODAY)
    def test_register_inputs(self):
        company = {"company_id": self.lead.id}
        Issue = self.env["kam.context.issue"]
        i1 = Issue.create(
            dict(
                company,
                name="Steel prices",
                kind="external",
                category="economic",
                climate_related=True,
            )
        )
        i2 = Issue.create(dict(company, name="Ageing staff", kind="internal", category="people"))
        self._created(i1, D(2021, 2, 1))
        self._created(i2, D(2020, 11, 1))
        i1.last_review_date = D(2021, 3, 1)
        law = self.env["kam.requirement"].create(dict(company, name="Arbobesluit", kind="law"))
        permit = self.env["kam.requirement"].create(dict(company, name="Permit", kind="permit"))
        self.env["kam.requirement"].create(dict(company, name="Never checked", kind="law"))
        Evaluation = self.env["kam.requirement.evaluation"]
        for requirement, day, result in (
            (law, D(2020, 11, 1), "compliant"),
            (law, D(2021, 2, 1), "compliant"),
            (permit, D(2021, 3, 1), "not_compliant"),
        ):
            evaluation = Evaluation.create(
                dict(
                    company,
                    requirement_id=requirement.id,
                    date=day,
                    result=result,
                    evidence="<p>checked</p>",
                )
            )
            if result != "compliant":
                self.env["kam.action"].create(
                    dict(
                        company,
                        name="Comply",
                        requirement_id=requirement.id,
                        requirement_evaluation_id=evaluation.id,
                        deadline=D(2021, 4, 30),
                    )
                )
            evaluation.write({"state": "done"})
        self.env["kam.requirement.change"].create(
            dict(
                company,
                requirement_id=law.id,
                name="Amended",
                date_noticed=D(2021, 2, 20),
                impact="high",
            )
        )
        party = self.env["kam.interested.party"].create(dict(company, name="Municipality"))
        party.last_review_date = D(2021, 1, 15)
        Need = self.env["kam.interested.party.need"]
        n1 = Need.create(
            dict(company, party_id=party.id, name="Permit kept", requirement_id=permit.id)
        )
        n2 = Need.create(dict(company, party_id=party.id, name="Little noise"))
        self._created(n1, D(2021, 2, 10))
        self._created(n2, D(2020, 12, 1))
        aspect_vals = {"activity": "Welding", "impact": "Air pollution"}
        a1 = self.env["kam.aspect"].create(
            dict(
                company,
                **aspect_vals,
                name="Fumes",
                frequency_id=self._factor("frequency", 4).id,
                severity_id=self._factor("severity", 4).id,
            )
        )
        a2 = self.env["kam.aspect"].create(
            dict(
                company,
                **aspect_vals,
                name="Paper",
                frequency_id=self._factor("frequency", 2).id,
                severity_id=self._factor("severity", 2).id,
            )
        )
        self._created(a1, D(2021, 1, 10))
        self._created(a2, D(2020, 10, 5))
        Register = self.env["kam.risk.opportunity"]
        risk = Register.create(
            dict(
                company,
                name="Key supplier fails",
                kind="risk",
                likelihood_id=self._factor("likelihood", 5).id,
                impact_id=self._factor("impact", 5).id,
            )
        )
        Register.create(
            dict(
                company,
                name="Solar panels",
                kind="opportunity",
                likelihood_id=self._factor("likelihood", 1).id,
                impact_id=self._factor("impact", 1).id,
            )
        )
        Action = self.env["kam.action"]
        Action.create(
            dict(
                company,
                name="Filter",
                aspect_id=a1.id,
                deadline=D(2021, 3, 1),
                state="done",
                done_date=D(2021, 2, 2),
            )
        )
        Action.create(
            dict(
                company,
                name="Second supplier",
                risk_opportunity_id=risk.id,
                deadline=D(2021, 2, 1),
                state="verified",
                done_date=D(2021, 1, 20),
                verified_date=D(2021, 2, 1),
                effectiveness_result="ok",
            )
        )
        self.assertTrue(a1.is_significant and not a2.is_significant)
        self.assertTrue(risk.needs_treatment)
        review = self.env["kam.review"].create(
            {"name": "Q1", "company_id": self.lead.id, "date_from": Q1[0], "date_to": Q1[1]}
        )
        review.action_prepare()
        got = figures_of(review)
        expected = {
            ("context", "issues"): (2, None),
            ("context", "new_external"): (1, 0),
            ("context", "new_internal"): (0, 1),
            ("context", "reviewed"): (1, 0),
            ("context", "climate"): (1, None),
            ("context", "parties"): (1, None),
            ("context", "needs"): (1, 1),
            ("context", "obligations"): (1, 0),
            ("context", "parties_reviewed"): (1, 0),
            ("compliance", "in_force"): (3, None),
            ("compliance", "evaluations"): (2, 1),
            ("compliance", "compliant"): (50.0, 100.0),
            ("compliance", "not_compliant"): (1, None),
            ("compliance", "not_evaluated"): (1, None),
            ("compliance", "changes"): (1, 0),
            ("aspects", "aspects"): (2, None),
            ("aspects", "significant"): (1, None),
            ("aspects", "recorded"): (1, 1),
            ("aspects", "measures_done"): (1, 0),
            ("risks", "register_risks"): (1, None),
            ("risks", "register_opportunities"): (1, None),
            ("risks", "untreated"): (1, None),
            ("risks", "register_actions_done"): (1, 0),
            ("risks", "register_actions_effective"): (100.0, None),
        }
        self.assertEqual({key: got.get(key) for key in expected}, expected)
        sections = {s.topic_id.code: s for s in review.section_ids}
        self.assertIn("Steel prices", sections["context"].table_html)
        self.assertIn("Permit", sections["compliance"].table_html)
        self.assertIn("Fumes", sections["aspects"].table_html)
        self.assertIn("Key supplier fails", sections["risks"].table_html)
