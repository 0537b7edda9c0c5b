"""The activity fields of a case list page (issue 16), computed for the whole page from
one query (``kam.activity.mixin``, ``core_shortcuts.activity_rows``): the same values as
``mail.activity.mixin`` computes them for a partner with the same activities, flat in
queries; and the field spec the web client asks for the case list (``tools/web_spec``)."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.kam_management.models.kam_activity_mixin import (
    ACTIVITY_FIELDS,
    KamActivityMixin,
)
from odoo.addons.kam_management.tools.web_spec import list_spec

from .test_case import KamCaseCommon
from .test_cron import count_queries

TODAY = date(2026, 3, 16)


@freeze_time("2026-03-16 11:00:00")
@tagged("post_install", "-at_install")
class TestActivityList(KamCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Type = cls.env["mail.activity.type"]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        cls.warn_1 = Type.create(
            {"name": "Pin warning 1", "decoration_type": "warning", "icon": "fa-warning"}
        )
        cls.warn_2 = Type.create(
            {"name": "Pin warning 2", "decoration_type": "warning", "icon": "fa-bell"}
        )
        cls.danger = Type.create(
            {"name": "Pin danger", "decoration_type": "danger", "icon": "fa-bolt"}
        )
        # 11:00 UTC is already the next day in Kiritimati (UTC+14): its "today" differs
        cls.kam_officer.tz = "Europe/Amsterdam"
        cls.kam_user.tz = "Pacific/Kiritimati"
        officer, user = cls.kam_officer, cls.kam_user
        # (type, days from today, summary, assignee, archived)
        cls.scenarios = [
            [],
            [(cls.todo, 5, "Plan", officer, False)],
            [(cls.todo, 3, "Later", officer, False), (cls.todo, -2, "Late", user, False)],
            [(cls.todo, 1, False, user, False)],  # today in Kiritimati
            [(cls.todo, 1, False, officer, False)],  # tomorrow in Amsterdam
            [(cls.todo, 0, "Now", officer, False), (cls.todo, 9, "Next", user, False)],
            [
                (cls.warn_1, 1, "W1", officer, False),
                (cls.danger, 2, "D", user, False),
                (cls.warn_2, 3, "W2", officer, False),
            ],
            [
                (cls.warn_1, 1, "a", officer, False),
                (cls.warn_2, 2, "b", officer, False),
                (cls.warn_1, 3, "c", user, False),
            ],
            [(cls.todo, -4, "Done", officer, True), (cls.warn_2, 6, "Open", user, False)],
            [(cls.danger, -1, "Done only", officer, True)],
            # same deadline: the lower id first
            [(cls.warn_1, 2, "first", user, False), (cls.todo, 2, "second", officer, False)],
        ]
        Case = cls.Case.with_context(tracking_disable=True, mail_create_nolog=True)
        Partner = cls.env["res.partner"].with_context(tracking_disable=True)
        cls.cases = Case.create(
            [
                {"title": f"Pin {i}", "date_found": TODAY, "user_id": officer.id}
                for i in range(len(cls.scenarios))
            ]
        )
        cls.partners = Partner.create([{"name": f"Pin {i}"} for i in range(len(cls.scenarios))])
        Activity = cls.env["mail.activity"].with_context(mail_activity_quick_update=True)
        models = {m: cls.env["ir.model"]._get_id(m) for m in ("kam.case", "res.partner")}
        for scenario, case, partner in zip(cls.scenarios, cls.cases, cls.partners, strict=True):
            for record in (case, partner):
                for type_, days, summary, user_, archived in scenario:
                    Activity.create(
                        {
                            "res_model_id": models[record._name],
                            "res_id": record.id,
                            "activity_type_id": type_.id,
                            "date_deadline": TODAY + timedelta(days=days),
                            "summary": summary,
                            "user_id": user_.id,
                            "active": not archived,
                        }
                    )

    @staticmethod
    def _values(record):
        return {
            name: record[name].id if record._fields[name].type == "many2one" else record[name]
            for name in ACTIVITY_FIELDS
        }

    def test_values_equal_the_mixins(self):
        """Every scenario gives the case the values mail.activity.mixin gives a partner
        with the same activities (state per assignee's time zone, next type, icon,
        summary, deadline, assignee, exception decoration and icon)."""
        self.env.invalidate_all()
        for i, (case, partner) in enumerate(zip(self.cases, self.partners, strict=True)):
            with self.subTest(scenario=i):
                self.assertEqual(self._values(case), self._values(partner))
        cases = self.cases
        # the scenarios do cover every state and both exceptions
        self.assertEqual(
            set(cases.mapped("activity_state")), {False, "overdue", "today", "planned"}
        )
        self.assertEqual(
            set(cases.mapped("activity_exception_decoration")), {False, "warning", "danger"}
        )
        self.assertEqual(cases[3].activity_state, "today")
        self.assertEqual(cases[4].activity_state, "planned")
        self.assertEqual(cases[7].activity_exception_icon, "fa-bell")
        # with archived activities, as the field gives them then
        archived = self.env(context={"active_test": False})
        for case, partner in zip(
            self.cases.with_env(archived), self.partners.with_env(archived), strict=True
        ):
            self.assertEqual(self._values(case), self._values(partner))
        # an officer reads all activities of a case (may post on every case he reads)
        officer = self.env(user=self.kam_officer)
        for case in self.cases:
            self.assertEqual(self._values(case.with_env(officer)), self._values(case))

    def test_user_reads_only_what_the_mixin_shows(self):
        """Where the user may read a record but not post on it, the mixin's fields see
        only the user's own activities (those activity_ids gives the user): the batched
        compute run on partners (the officer may not write them) gives the mixin's
        values."""
        officer = self.env(user=self.kam_officer)
        partners = self.partners.with_env(officer)
        self.assertFalse(partners._filtered_access("write"))
        officer.invalidate_all()
        expected = [self._values(partner) for partner in partners]
        officer.invalidate_all()
        fields_ = [partners._fields[name] for name in ACTIVITY_FIELDS]
        with officer.protecting(fields_, partners):
            KamActivityMixin._compute_kam_activities(partners)
            got = [self._values(partner) for partner in partners]
        self.assertEqual(got, expected)
        self.assertFalse(any(expected[3].values()), "another user's only activity")
        self.assertEqual(expected[2]["activity_summary"], "Later", "the officer's own")

    def test_one_query_for_the_page(self):
        """One query for the activity fields of one case or of all of them, once the
        page has read its activity_ids (the web client asks them first); flat."""
        env = self.env(user=self.kam_officer)
        cases = self.cases.with_env(env)
        cases.mapped("name")

        def fields_of(records):
            def read():
                records.mapped("activity_ids")
                before = env.cr.sql_log_count
                values = [records.mapped(name) for name in ACTIVITY_FIELDS]
                self.assertEqual(env.cr.sql_log_count - before, 1)
                return values

            return read

        fields_of(cases)()  # the registry's caches (record rules) once
        self.assertEqual(
            count_queries(env, fields_of(cases[2])), count_queries(env, fields_of(cases))
        )

    def test_written_and_searched_as_before(self):
        """The next type and summary are written to the case's activities, as the mixin's
        related fields do; the fields stay searchable; a new record (form) shows the
        values of its origin."""
        case = self.cases[2]
        case.activity_summary = "Call the supplier"
        self.assertEqual(set(case.activity_ids.mapped("summary")), {"Call the supplier"})
        case.activity_type_id = self.warn_1
        self.assertEqual(case.activity_ids.activity_type_id, self.warn_1)
        self.assertEqual(case.activity_type_icon, "fa-warning")
        Case = self.env["kam.case"]
        self.assertIn(case, Case.search([("activity_type_icon", "=", "fa-warning")]))
        self.assertIn(case, Case.search([("activity_state", "=", "overdue")]))
        self.assertIn(
            self.cases[6], Case.search([("activity_exception_decoration", "=", "danger")])
        )
        self.assertIn(case, Case.search([("activity_summary", "ilike", "supplier")]))
        new = Case.new(origin=self.cases[6])
        self.assertEqual(self._values(new), self._values(self.cases[6]))
        self.assertEqual(self._values(Case.new({"title": "Draft"}))["activity_state"], False)

    def test_list_spec_follows_the_view(self):
        """The spec the web client sends for the case list, built from the view: every
        column (also the hidden optional ones), display names of many2ones, the tags'
        colour, the activity widget's six fields; the company column only for users of
        several companies (its group), otherwise read for the record rule only."""
        officer_env = self.env(user=self.kam_officer)
        expected = {
            "name": {},
            "title": {},
            "case_type": {},
            "date_found": {},
            "deadline": {},
            "severity": {},
            "user_id": {"fields": {"display_name": {}}},
            "department_id": {"fields": {"display_name": {}}},
            "theme_ids": {"fields": {"display_name": {}, "color": {}}},
            "source": {},
            "root_cause_category": {},
            "stage_id": {"fields": {"display_name": {}}},
            "activity_ids": {"fields": {}},
            "activity_exception_decoration": {},
            "activity_exception_icon": {},
            "activity_state": {},
            "activity_summary": {},
            "activity_type_icon": {},
            "activity_type_id": {"fields": {"display_name": {}}},
            "is_overdue": {},
            "is_closed": {},
            "company_id": {"fields": {}},
        }
        spec = list_spec(officer_env["kam.case"])
        self.assertEqual(spec, expected)
        self.assertEqual(list(spec), list(expected), "in the order the web client sends")
        self.kam_officer.write(
            {
                "company_ids": [Command.link(self.company_2.id)],
                "group_ids": [Command.link(self.env.ref("base.group_multi_company").id)],
            }
        )
        spec = list_spec(self.env(user=self.kam_officer)["kam.case"])
        self.assertEqual(spec["company_id"], {"fields": {"display_name": {}}})
        self.assertEqual(list(spec)[19], "company_id", "the optional column's place")
        # the web client's request works with it and gives the activity columns
        page = officer_env["kam.case"].web_search_read(
            [("id", "in", self.cases.ids)], spec, limit=80, count_limit=10001
        )
        self.assertEqual(page["length"], len(self.cases))
        by_id = {row["id"]: row for row in page["records"]}
        self.assertEqual(by_id[self.cases[6].id]["activity_exception_decoration"], "danger")
