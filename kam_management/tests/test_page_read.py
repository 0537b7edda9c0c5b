"""A list page read in fewer steps (issue 16, ``kam.page.mixin``): the plain columns taken
from the cache in one pass per column (``core_shortcuts.read_format``) and the display
names of the many2one columns fetched narrowly give the ORM's own values, in every case
the ORM distinguishes: users with and without access, translated fields, empty values,
deleted records, pending computations, new records; and the page costs fewer queries and
fewer columns than before, flat as it grows."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, models
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.kam_management.tools.web_spec import list_spec
from odoo.addons.web.models.models import Base as WebBase

from .test_case import KamCaseCommon
from .test_cron import count_queries

TODAY = date(2026, 3, 16)


@freeze_time("2026-03-16 11:00:00")
@tagged("post_install", "-at_install")
class TestPageRead(KamCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.department = cls.env["hr.department"].create({"name": "Pinned production"})
        cls.theme = cls.env["kam.theme"].search([], limit=1)
        cls.theme.color = 3
        Case = cls.Case.with_context(tracking_disable=True, mail_create_nolog=True)
        cls.cases = Case.create(
            [
                {
                    "title": f"Pinned {i}",
                    # improvements close without a root cause
                    "case_type": ("incident", "improvement", "complaint")[i % 3],
                    "date_found": TODAY - timedelta(days=20 + i),
                    # empty, past, future deadlines: is_overdue both ways
                    "deadline": (None, TODAY - timedelta(days=1), TODAY + timedelta(days=9))[i % 3],
                    "user_id": (cls.kam_officer.id, cls.kam_user.id, False)[i % 3],
                    "department_id": cls.department.id if i % 2 else False,
                    "theme_ids": [Command.set(cls.theme.ids if i % 2 else [])],
                    "description": f"<p>Found on line {i}</p>",
                }
                for i in range(9)
            ]
        )
        cls.cases[4].stage_id = cls.stage_closed
        cls.cases[1].activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=TODAY, summary="Check"
        )
        cls.actions = cls.Action.with_context(tracking_disable=True).create(
            [
                {
                    "name": f"Pinned action {i}",
                    "case_id": cls.cases[i].id,
                    "user_id": cls.kam_user.id,
                    "deadline": TODAY + timedelta(days=i),
                }
                for i in range(3)
            ]
        )
        # the stage has a Dutch name: translated columns read in the user's language
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.stage_new.with_context(lang="nl_NL").name = "Nieuw (vastgepind)"

    def stock(self, records, fnames, load):
        """The ORM's own ``_read_format`` on ``records``, from a cold cache."""
        records.env.invalidate_all()
        return models.BaseModel._read_format(records, fnames, load)

    def ours(self, records, fnames, load):
        records.env.invalidate_all()
        return records._read_format(fnames, load)

    def readable(self, records):
        """The fields the ORM reads for the user (a KAM user may not read, say, the sale
        order lines a complaint links to)."""
        names = []
        for name, field in records._fields.items():
            if field.type == "binary" or not records._has_field_access(field, "read"):
                continue
            try:
                self.stock(records, [name], None)
            except AccessError:
                continue
            names.append(name)
        self.assertGreater(len(names), 50)
        return names

    def test_equal_to_the_orm_for_every_field(self):
        """Every field of cases and actions the user may read, for an officer, a user
        and the superuser, in English and Dutch, with and without display names."""
        for user in (self.kam_officer, self.kam_user, self.env.user):
            for lang in ("en_US", "nl_NL"):
                for records in (self.cases, self.actions):
                    # the records the user may read (a KAM user: their own)
                    records = records.with_user(user).with_context(lang=lang)
                    records = records.search([("id", "in", records.ids)])
                    self.assertTrue(records)
                    fnames = self.readable(records)
                    for load in (None, "_classic_read"):
                        with self.subTest(model=records._name, user=user.login, lang=lang):
                            expected = self.stock(records, fnames, load)
                            self.assertEqual(self.ours(records, fnames, load), expected)
                            self.assertEqual(len(expected), len(records))
        # the page's own columns in the order asked, the plain ones from the cache
        officer_cases = self.cases.with_user(self.kam_officer)
        spec = list(list_spec(officer_cases))
        rows = self.ours(officer_cases, spec, None)
        self.assertEqual([list(row) for row in rows], [["id", *spec]] * len(rows))
        self.assertEqual(rows, self.stock(officer_cases, spec, None))
        by_id = {row["id"]: row for row in rows}
        self.assertEqual(by_id[self.cases[0].id]["deadline"], False)
        self.assertEqual(by_id[self.cases[2].id]["user_id"], False)
        self.assertEqual(by_id[self.cases[1].id]["user_id"], self.kam_user.id)
        self.assertTrue(by_id[self.cases[1].id]["is_overdue"])
        self.assertFalse(by_id[self.cases[4].id]["is_overdue"])  # closed
        self.assertEqual(by_id[self.cases[1].id]["activity_state"], "today")
        nl_rows = self.ours(
            self.cases.with_context(lang="nl_NL"), ["stage_id", "title"], "_classic_read"
        )
        self.assertIn((self.stage_new.id, "Nieuw (vastgepind)"), [r["stage_id"] for r in nl_rows])

    def test_deleted_pending_and_new_records(self):
        """A deleted record is left out; a value written but not yet recomputed or
        flushed is read as written; a new record (a form's onchange) reads its values."""
        cases = self.cases.with_user(self.kam_officer)
        fnames = ["title", "stage_id", "is_closed", "deadline", "user_id"]
        gone = self.Case.create({"title": "Deleted", "date_found": TODAY})
        with_gone = cases | gone.with_user(self.kam_officer)
        gone.unlink()
        self.assertEqual(self.ours(with_gone, fnames, None), self.stock(with_gone, fnames, None))
        self.assertEqual(len(self.ours(with_gone, fnames, None)), len(cases))
        # the first record deleted too: the next one starts the column
        with_gone = gone.with_user(self.kam_officer) | cases
        self.assertEqual(self.ours(with_gone, fnames, None), self.stock(with_gone, fnames, None))
        # pending: the stage written, is_closed (stored, derived) not yet recomputed
        case = self.cases[7]
        case.stage_id = self.stage_closed
        self.assertTrue(self.env.records_to_compute(self.Case._fields["is_closed"]))
        self.assertEqual(
            self.Case.browse(self.cases.ids)._read_format(["is_closed", "title"], None)[7][
                "is_closed"
            ],
            True,
        )
        case.title = "Written, not flushed"
        self.assertEqual(case._read_format(["title"], None)[0]["title"], "Written, not flushed")
        new = self.Case.new({"title": "In a form", "user_id": self.kam_officer.id})
        self.assertEqual(
            new._read_format(["title", "user_id", "deadline"], None),
            models.BaseModel._read_format(new, ["title", "user_id", "deadline"], None),
        )

    def test_field_access_is_checked(self):
        """A column the user may not read raises, as the ORM raises it: the injury
        details of an incident (a selection, read from the cache for those who may)."""
        cases = self.cases.with_user(self.kam_user)
        self.assertFalse(cases._has_field_access(cases._fields["injury_type"], "read"))
        with self.assertRaises(AccessError):
            models.BaseModel._read_format(cases, ["title", "injury_type"], None)
        with self.assertRaises(AccessError):
            cases._read_format(["title", "injury_type"], None)
        officer_cases = self.cases.with_user(self.kam_officer)
        self.assertEqual(
            self.ours(officer_cases, ["injury_type"], None),
            self.stock(officer_cases, ["injury_type"], None),
        )

    def test_web_read_equal_and_narrow(self):
        """``web_read`` gives what it gives without the narrow fetches, and the page reads
        only the name columns of the responsibles' contacts (not their sixty other
        columns); the same number of queries for one case as for all of them."""
        env = self.env(user=self.kam_officer)
        cases = self.cases.with_env(env)
        spec = list_spec(cases)
        env.invalidate_all()
        ours = cases.web_read(spec)
        env.invalidate_all()
        without_fetches = WebBase.web_read(cases, spec)  # the web client's own
        self.assertEqual(ours, without_fetches)
        names = {row["id"]: row["user_id"] and row["user_id"]["display_name"] for row in ours}
        self.assertEqual(names[self.cases[0].id], self.kam_officer.name)
        self.assertEqual(names[self.cases[2].id], False)

        statements = []

        def spy_page():
            execute = env.cr.execute

            def spy(query, params=None, log_exceptions=True):
                statements.append(str(getattr(query, "code", query)))
                return execute(query, params, log_exceptions)

            env.cr.execute = spy
            try:
                cases.web_read(spec)
            finally:
                del env.cr.execute

        count_queries(env, spy_page)
        partner_reads = [s for s in statements if 'FROM "res_partner"' in s]
        self.assertTrue(partner_reads)
        for statement in partner_reads:
            self.assertNotIn('"res_partner"."email"', statement)
            self.assertIn('"res_partner"."name"', statement)

        def page(ids):
            return lambda: env["kam.case"].browse(ids).web_read(spec)

        page(self.cases.ids)()  # the registry's caches once
        # two cases have every kind of value the nine have (both responsibles, a
        # department, a theme, an activity)
        self.assertEqual(
            count_queries(env, page(self.cases[:2].ids)), count_queries(env, page(self.cases.ids))
        )
