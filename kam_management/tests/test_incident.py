import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestIncident(KamCommon):
    """Incidents: the meldplicht of Arbowet art. 9, the register of art. 9 lid 2,
    lost time, HR links and the frequency rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kam.case"].with_context(default_case_type="incident")
        cls.manager_emp = cls.env["hr.employee"].create({"name": "Mara Manager"})
        cls.department = cls.env["hr.department"].create(
            {"name": "Incident Production", "manager_id": cls.manager_emp.id}
        )
        cls.emp_1, cls.emp_2, cls.witness = cls.env["hr.employee"].create(
            [
                {"name": "Ivo Injured", "department_id": cls.department.id},
                {"name": "Iris Involved", "department_id": cls.department.id},
                {"name": "Wim Witness"},
            ]
        )

    def _incident(self, **values):
        vals = {
            "title": "Hand caught",
            "case_type": "incident",
            "incident_kind": "injury",
            "user_id": self.kam_officer.id,
        }
        vals.update(values)
        return self.Case.create(vals)

    # ------------------------------------------------------------------ meldplicht
    def test_notifiable_per_treatment_and_outcome(self):
        cases = [
            ({"treatment": "none"}, False),
            ({"treatment": "first_aid"}, False),
            ({"treatment": "doctor"}, False),
            ({"treatment": "outpatient"}, False),  # outpatient hospital care is not admission
            ({"treatment": "hospital"}, True),  # day admission counts too
            ({"treatment": "doctor", "outcome": "recovered"}, False),
            ({"treatment": "doctor", "outcome": "none"}, False),
            ({"treatment": "doctor", "outcome": "permanent"}, True),
            ({"treatment": "none", "outcome": "death"}, True),
        ]
        for values, notifiable in cases:
            with self.subTest(values=values):
                case = self._incident(**values)
                self.assertEqual(case.is_notifiable, notifiable)
                self.assertEqual(case.in_accident_register, notifiable)
                self.assertEqual(bool(case.notifiable_since), notifiable)

    def test_notifiable_for_temporary_and_self_employed(self):
        for status in ("employee", "temporary", "self_employed"):
            with self.subTest(status=status):
                case = self._incident(person_status=status, treatment="hospital")
                self.assertTrue(case.is_notifiable)
                outpatient = self._incident(person_status=status, treatment="outpatient")
                self.assertFalse(outpatient.is_notifiable)

    def test_other_case_types_are_never_notifiable(self):
        case = self.env["kam.case"].create(
            {"title": "Not an incident", "case_type": "nonconformity", "treatment": "hospital"}
        )
        self.assertFalse(case.is_notifiable)
        self.assertFalse(case.in_accident_register)

    def test_notification_on_create(self):
        case = self._incident(treatment="hospital")
        message = case.message_ids.filtered(lambda m: "Notifiable accident" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.kam_officer.partner_id, message.partner_ids)
        self.assertIn(self.kam_manager.partner_id, message.partner_ids)
        self.assertNotIn(self.kam_user.partner_id, message.partner_ids)
        # officers of another company are not told
        self.assertNotIn(self.user_company_2.partner_id, message.partner_ids)
        activity = case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("kam_management.mail_activity_kam_notify_authority")
            )
        )
        self.assertEqual(activity.user_id, self.kam_officer)

    def test_entered_after_the_report(self):
        """An accident entered with its report to the Arbeidsinspectie already
        recorded (history, the demo): notifiable since that report at the latest,
        no "report immediately" note and no activity."""
        reported = datetime.datetime(2026, 3, 2, 10, 15)
        case = self.env["kam.case"].create(
            {
                "title": "Hand bekneld",
                "case_type": "incident",
                "incident_kind": "injury",
                "incident_datetime": datetime.datetime(2026, 3, 2, 8, 40),
                "treatment": "hospital",
                "user_id": self.kam_officer.id,
                "authority_reported_date": reported,
                "authority_reference": "NLA-2026-1",
            }
        )
        self.assertTrue(case.is_notifiable)
        self.assertEqual(case.notifiable_since, reported)
        self.assertFalse(case.activity_ids)
        self.assertFalse(
            case.message_ids.filtered(lambda m: "immediately" in (m.body or "")),
            "no call to report what was reported",
        )

    def test_becomes_notifiable_on_later_write(self):
        case = self._incident(treatment="doctor")
        self.env.cr.precommit.run()  # as if saved: tracking starts after the creation
        self.assertFalse(case.is_notifiable)
        self.assertFalse(case.activity_ids)
        notify_type = self.env.ref("kam_management.mail_activity_kam_notify_authority")
        case.write({"treatment": "hospital"})
        self.assertTrue(case.is_notifiable)
        self.assertTrue(case.notifiable_since)
        self.assertEqual(case.activity_ids.activity_type_id, notify_type)
        notes = case.message_ids.filtered(lambda m: "Notifiable accident" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        # staying notifiable: no second note, no second activity
        case.write({"outcome": "permanent"})
        case.write({"treatment": "hospital"})
        notes = case.message_ids.filtered(lambda m: "Notifiable accident" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertEqual(len(case.activity_ids), 1)
        # the tracked flag tells everyone, the treatment itself is never tracked
        self.env.cr.precommit.run()
        case.invalidate_recordset(["message_ids"])
        tracked = case.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("is_notifiable", tracked)
        self.assertNotIn("treatment", tracked)
        self.assertNotIn("outcome", tracked)

    def test_report_to_authority(self):
        case = self._incident(treatment="hospital")
        with self.assertRaisesRegex(UserError, "record the date and the reference"):
            case.action_register_authority_report()
        case.write(
            {
                "authority_reported_date": datetime.datetime(2026, 3, 2, 9, 0),
                "authority_channel": "online",
                "authority_reference": "NLA-123",
                "cb_informed_date": datetime.date(2026, 3, 3),
            }
        )
        case.action_register_authority_report()
        self.assertFalse(case.activity_ids)

    # ------------------------------------------------------------------ register, lost time
    def test_register_after_more_than_three_days(self):
        for days, lost_time, in_register in (
            (0, False, False),
            (1, True, False),
            (3, True, False),
            (4, True, True),
            (20, True, True),
        ):
            with self.subTest(days=days):
                case = self._incident(treatment="doctor", absence_days=days)
                self.assertEqual(case.is_lost_time, lost_time)
                self.assertEqual(case.in_accident_register, in_register)
                self.assertFalse(case.is_notifiable)
        case = self._incident(treatment="doctor", absence_days=3)
        case.absence_days = 4
        self.assertTrue(case.in_accident_register)
        registered = self.env["kam.case"].search(
            [("in_accident_register", "=", True), ("id", "=", case.id)]
        )
        self.assertEqual(registered, case)

    # ------------------------------------------------------------------ details and HR
    def test_date_found_from_incident_time(self):
        case = self._incident(incident_datetime=datetime.datetime(2025, 6, 3, 8, 15))
        self.assertEqual(case.date_found, datetime.date(2025, 6, 3))
        self.assertTrue(case.name.startswith("INC/2025/"))

    def test_people_and_manager(self):
        case = self._incident(
            department_id=self.department.id,
            employee_ids=[Command.set((self.emp_1 | self.emp_2).ids)],
            witness_ids=[Command.set(self.witness.ids)],
            witness_other="Jan de Bezorger, 06-12345678",
            person_status="temporary",
            incident_kind="environmental",
            substance="Diesel",
            substance_quantity=12.5,
            substance_uom="l",
        )
        self.assertEqual(case.department_manager_id, self.manager_emp)
        self.assertEqual(case.employee_ids, self.emp_1 | self.emp_2)
        self.assertEqual(case.witness_ids, self.witness)
        self.assertEqual(case.substance_quantity, 12.5)

    def test_kam_user_links_employees_without_hr_rights(self):
        """hr.mixin: a KAM user without HR rights may link employees."""
        self.assertFalse(self.kam_user.has_group("hr.group_hr_user"))
        case = (
            self.env["kam.case"]
            .with_user(self.kam_user)
            .create(
                {
                    "title": "Slipped on stairs",
                    "case_type": "incident",
                    "incident_kind": "near_miss",
                    "employee_ids": [Command.set(self.emp_1.ids)],
                }
            )
        )
        self.assertEqual(case.sudo().employee_ids, self.emp_1)
        self.assertEqual(case.employee_ids.display_name, "Ivo Injured")

    def test_incident_counts_on_employee_and_department(self):
        self._incident(department_id=self.department.id, employee_ids=[Command.set(self.emp_1.ids)])
        self._incident(
            department_id=self.department.id,
            employee_ids=[Command.set((self.emp_1 | self.emp_2).ids)],
        )
        self.env["kam.case"].create(
            {"title": "A nonconformity", "department_id": self.department.id}
        )
        # the counts show on the employee form of HR users (others get the public profile)
        hr_officer = new_test_user(
            self.env,
            login="kam_hr_officer",
            groups="kam_management.group_kam_officer,hr.group_hr_user",
        )
        officer_env = self.env(user=hr_officer)
        employees = (self.emp_1 | self.emp_2 | self.witness).with_env(officer_env)
        self.assertEqual(employees.mapped("kam_incident_count"), [2, 1, 0])
        self.assertEqual(self.department.with_env(officer_env).kam_incident_count, 2)
        action = self.emp_1.with_env(officer_env).action_kam_view_incidents()
        self.assertEqual(self.env["kam.case"].search_count(action["domain"]), 2)
        action = self.department.with_env(officer_env).action_kam_view_incidents()
        self.assertEqual(self.env["kam.case"].search_count(action["domain"]), 2)

    # ------------------------------------------------------------------ figures
    def test_ltifr(self):
        hours = self.env["kam.hours.worked"].create(
            {
                "date_from": datetime.date(2025, 1, 1),
                "date_to": datetime.date(2025, 3, 31),
                "hours": 200_000,
            }
        )
        day = datetime.date(2025, 2, 10)
        self._incident(date_found=day, absence_days=2)
        self._incident(date_found=datetime.date(2025, 3, 31), absence_days=5)
        self._incident(date_found=day, absence_days=0)  # no lost time
        self._incident(date_found=datetime.date(2025, 4, 1), absence_days=9)  # outside
        self._incident(date_found=day, incident_kind="near_miss")
        self.env["kam.case"].create(
            {
                "title": "Other company",
                "case_type": "incident",
                "date_found": day,
                "absence_days": 10,
                "company_id": self.company_2.id,
            }
        )
        hours.invalidate_recordset()
        self.assertEqual(hours.lti_count, 2)
        self.assertEqual(hours.days_lost, 7)
        self.assertEqual(hours.incident_count, 4)
        # LTIFR = LTIs x 1,000,000 / hours worked
        self.assertAlmostEqual(hours.ltifr, 10.0)
        empty = self.env["kam.hours.worked"].create(
            {"date_from": day, "date_to": day, "hours": 0, "company_id": self.company_2.id}
        )
        self.assertEqual(empty.lti_count, 1)
        self.assertEqual(empty.ltifr, 0.0)

    def test_hours_period_checked(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["kam.hours.worked"].create(
                {
                    "date_from": datetime.date(2025, 2, 1),
                    "date_to": datetime.date(2025, 1, 1),
                    "hours": 10,
                }
            )

    def test_pyramid_counts(self):
        """The safety pyramid: top first, whole numbers, per period; each level
        opens exactly its incidents."""
        for kind, count in (("injury", 1), ("near_miss", 3), ("unsafe", 6)):
            for _i in range(count):
                self._incident(incident_kind=kind, title=f"Pyramid {kind}")
        self._incident(incident_kind="environmental", title="Pyramid spill")
        with freeze_time(datetime.date.today() + datetime.timedelta(days=400)):
            self.assertEqual(
                [lvl["count"] for lvl in self.env["kam.case"].kam_safety_pyramid("12_months")],
                [0, 0, 0],
                "a year later the last 12 months are empty",
            )
        levels = self.env["kam.case"].with_user(self.kam_officer).kam_safety_pyramid("all")
        self.assertEqual([lvl["kind"] for lvl in levels], ["injury", "near_miss", "unsafe"])
        counts = [lvl["count"] for lvl in levels]
        self.assertEqual(counts, [1, 3, 6])
        self.assertTrue(all(type(count) is int for count in counts))
        for level in levels:
            found = self.env["kam.case"].search(level["domain"])
            self.assertEqual(len(found), level["count"])
            self.assertEqual(set(found.mapped("incident_kind")), {level["kind"]})
        with self.assertRaises(UserError):
            self.env["kam.case"].kam_safety_pyramid("forever")
