"""Reads at scale (issue 16): the grouped count type x stage x month of the dashboards
and the pivot groups on the stored, derived month (``date_found_month``); record rules
apply as on any read; query counts stay flat as the number of cases grows."""

from collections import Counter
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.kam_management.tools.web_spec import list_spec

from .test_case import KamCaseCommon
from .test_cron import count_queries

GROUPBY = ["case_type", "stage_id", "date_found:month"]


@freeze_time("2026-03-16")
@tagged("post_install", "-at_install")
class TestReadsAtScale(KamCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.Case.with_context(tracking_disable=True, mail_create_nolog=True)
        dates = [date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 28), date(2026, 3, 1)]
        cls.cases = cls.Case.create(
            [
                {
                    "title": f"Case {i}",
                    "case_type": ("nonconformity", "improvement", "incident")[i % 3],
                    "date_found": dates[i % len(dates)],
                    "user_id": cls.kam_officer.id,
                }
                for i in range(24)
            ]
        )
        cls.other_company_case = cls.Case.create(
            {
                "title": "Elsewhere",
                "company_id": cls.company_2.id,
                "date_found": date(2025, 2, 10),
                "user_id": cls.user_company_2.id,
            }
        )

    def _by_month_in_python(self, cases):
        return Counter((c.case_type, c.stage_id.id, c.date_found.replace(day=1)) for c in cases)

    def _grouped(self, env):
        return {
            (case_type, stage.id, month): count
            for case_type, stage, month, count in env["kam.case"]._read_group(
                [("id", "in", (self.cases | self.other_company_case).ids)], GROUPBY, ["__count"]
            )
        }

    def test_month_is_derived_from_the_date(self):
        case = self.cases[1]
        self.assertEqual(case.date_found, date(2025, 2, 1))
        self.assertEqual(case.date_found_month, date(2025, 2, 1))
        self.assertEqual(self.cases[2].date_found_month, date(2025, 2, 1))
        case.date_found = date(2025, 4, 30)
        self.assertEqual(case.date_found_month, date(2025, 4, 1))
        self.assertEqual(self.Case._fields["date_found_month"].readonly, True)

    def test_grouped_count_equals_the_rows(self):
        """The stored month gives the groups the ORM's date_trunc gives (the day
        grouping does not go through the stored month)."""
        grouped = self._grouped(self.env)
        expected = self._by_month_in_python(self.cases | self.other_company_case)
        self.assertEqual(grouped, dict(expected))
        by_day = Counter()
        for case_type, stage, day, count in self.Case._read_group(
            [("id", "in", self.cases.ids)], ["case_type", "stage_id", "date_found:day"], ["__count"]
        ):
            by_day[(case_type, stage.id, day.replace(day=1))] += count
        self.assertEqual(by_day, self._by_month_in_python(self.cases))
        # the months come back as dates, in order, as from the ORM's own grouping
        months = [m for m, _n in self.Case._read_group([], ["date_found:month"], ["__count"])]
        self.assertEqual(months, sorted(months))
        self.assertIsInstance(months[0], date)

    def test_record_rules_apply(self):
        """The officer's figures equal the superuser's where the rules allow all (one
        company); the other company's case is not counted; a KAM user counts only the
        cases the user may read."""
        superuser = self._grouped(self.env)
        officer = self._grouped(self.env(user=self.kam_officer))
        expected = self._by_month_in_python(self.cases)
        self.assertEqual(officer, dict(expected))
        self.assertEqual(
            sum(superuser.values()) - sum(officer.values()), 1, "only the other company's case"
        )
        own = self.cases[:3]
        own.write({"reported_by_id": self.kam_user.id})
        user = self._grouped(self.env(user=self.kam_user))
        self.assertEqual(user, dict(self._by_month_in_python(own)))

    def test_month_column_filled_on_an_existing_table(self):
        """Installing the month on a database with cases fills it in one UPDATE."""
        cr = self.env.cr
        cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'kam_case' "
            "AND indexname = 'kam_case_type_stage_month_idx'"
        )
        self.assertIn("(case_type, stage_id, date_found_month)", cr.fetchone()[0])
        self.env.flush_all()
        cr.execute("ALTER TABLE kam_case DROP COLUMN date_found_month")
        self.Case._kam_init_month_column()
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE date_found_month IS DISTINCT FROM "
            "date_trunc('month', date_found)::date) FROM kam_case"
        )
        total, wrong = cr.fetchone()
        self.assertGreaterEqual(total, 25)
        self.assertEqual(wrong, 0)

    def test_reads_are_flat(self):
        """One query for the grouped count and the same number for the list's first
        page (as the web client asks it, activities included) with 1 or 25 cases."""
        officer_env = self.env(user=self.kam_officer)
        Case = officer_env["kam.case"]
        one = self.cases[:1]
        one.activity_schedule("mail.mail_activity_data_todo", user_id=self.kam_officer.id)
        self.cases[1:].activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.kam_officer.id
        )

        def grouped(ids):
            return lambda: Case._read_group([("id", "in", ids)], GROUPBY, ["__count"])

        # the case list as the web client asks its first page (built from the view)
        spec = list_spec(Case)

        def page(ids):
            return lambda: Case.web_search_read(
                [("id", "in", ids)], spec, limit=80, count_limit=10001
            )

        grouped(one.ids)()  # the officer's record rules, read once per registry
        self.assertEqual(count_queries(officer_env, grouped(one.ids)), 1)
        self.assertEqual(count_queries(officer_env, grouped(self.cases.ids)), 1)
        # warm the registry caches (groups, activity types) once
        page(self.cases.ids)()
        q1 = count_queries(officer_env, page(one.ids))
        q25 = count_queries(officer_env, page(self.cases.ids))
        self.assertEqual(q1, q25, f"first page: {q1} queries for 1 case, {q25} for 25")
        result = page(self.cases.ids)()
        self.assertEqual(result["length"], 24)
        self.assertTrue(all(r["activity_state"] for r in result["records"]))

    def test_graph_and_pivot_as_the_web_client_asks(self):
        """The graph (month x type) and the list grouped by month, as the web client
        asks them, get the months from the stored column: same counts, formatted and
        with the month's range for the drill-down domain."""
        officer_env = self.env(user=self.kam_officer)
        Case = officer_env["kam.case"]
        domain = [("id", "in", self.cases.ids)]
        groups = Case.formatted_read_group(
            domain, ["date_found:month", "case_type"], ["__count"], order="date_found:month"
        )
        by_month = Counter()
        for group in groups:
            start, _label = group["date_found:month"]
            by_month[start] += group["__count"]
        self.assertEqual(
            by_month,
            Counter({"2025-01-01": 6, "2025-02-01": 12, "2026-03-01": 6}),
        )
        listed = Case.web_read_group(domain, ["date_found:month"], ["__count"])
        self.assertEqual(
            {g["date_found:month"][0]: g["__count"] for g in listed["groups"]}, by_month
        )
        # the drill-down domain of a month finds its cases
        february = next(g for g in groups if g["date_found:month"][0] == "2025-02-01")
        self.assertEqual(Case.search_count(domain + february["__extra_domain"]), 4)
