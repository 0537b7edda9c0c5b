import datetime

from freezegun import freeze_time
from markupsafe import escape
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestRoles(KamCommon):
    """KAM roles: holders with certificate expiry, the reminder job and the
    warning for required roles nobody holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bhv = cls.env.ref("kam_management.kam_role_bhv")
        cls.preventie = cls.env.ref("kam_management.kam_role_preventie")
        cls.kam = cls.env.ref("kam_management.kam_role_kam")
        cls.emp_a, cls.emp_b, cls.emp_c = cls.env["hr.employee"].create(
            [{"name": "Anna BHV"}, {"name": "Bert BHV"}, {"name": "Carla Preventie"}]
        )
        cls.company.kam_role_reminder_days = 30
        cls.expiry_type = cls.env.ref("kam_management.mail_activity_kam_role_expiry")

    def _activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.role.assignment"),
                ("activity_type_id", "=", self.expiry_type.id),
            ]
        )

    def test_roles_are_data(self):
        names = self.env["kam.role"].search([]).mapped("name")
        # five safety and KAM roles, and the internal auditor of the audits
        self.assertEqual(len(names), 6)
        required = self.env["kam.role"].search([("required", "=", True)])
        self.assertEqual(required, self.preventie | self.bhv | self.kam)

    def test_expiry_reminder_once_and_batched(self):
        Assignment = self.env["kam.role.assignment"]
        soon, expired, far, none = Assignment.create(
            [
                {
                    "employee_id": self.emp_a.id,
                    "role_id": self.bhv.id,
                    "expiry_date": datetime.date(2025, 3, 20),
                },
                {
                    "employee_id": self.emp_b.id,
                    "role_id": self.bhv.id,
                    "expiry_date": datetime.date(2025, 2, 1),
                },
                {
                    "employee_id": self.emp_c.id,
                    "role_id": self.bhv.id,
                    "expiry_date": datetime.date(2025, 6, 1),
                },
                {"employee_id": self.emp_c.id, "role_id": self.preventie.id},
            ]
        )
        self.assertEqual(soon.company_id, self.company)
        self.bhv.user_id = self.kam_manager
        with freeze_time("2025-03-01"):
            Assignment._kam_duty_run(batch_size=1)
            Assignment._kam_duty_run(batch_size=1)
        activities = self._activities()
        self.assertEqual(sorted(activities.mapped("res_id")), sorted((soon | expired).ids))
        self.assertEqual(activities.user_id, self.kam_manager)
        self.assertIn("Anna BHV", activities.filtered(lambda a: a.res_id == soon.id).summary)
        self.assertNotIn(far.id, activities.mapped("res_id"))
        self.assertNotIn(none.id, activities.mapped("res_id"))
        # a week later, closer to expiry: still one activity each
        with freeze_time("2025-03-08"):
            Assignment._kam_duty_run()
        self.assertEqual(len(self._activities()), 2)
        # without a reminder user, the company's KAM officers are told
        self.bhv.user_id = False
        with freeze_time("2025-05-10"):
            Assignment._kam_duty_run()
        far_activity = self._activities().filtered(lambda a: a.res_id == far.id)
        self.assertEqual(len(far_activity), 1)
        self.assertTrue(far_activity.user_id.has_group("kam_management.group_kam_officer"))

    def test_settings_warn_about_unfilled_required_roles(self):
        def warning():
            settings = self.env["res.config.settings"].create({})
            return settings.kam_role_warning or ""

        text = warning()
        for role in (self.preventie, self.bhv, self.kam):
            self.assertIn(escape(role.name), text)
        Assignment = self.env["kam.role.assignment"]
        Assignment.create({"employee_id": self.emp_c.id, "role_id": self.preventie.id})
        Assignment.create({"employee_id": self.emp_a.id, "role_id": self.kam.id})
        bhv = Assignment.create(
            {
                "employee_id": self.emp_a.id,
                "role_id": self.bhv.id,
                "expiry_date": datetime.date(2000, 1, 1),
            }
        )
        text = warning()
        # an expired certificate does not fill the role
        self.assertIn(escape(self.bhv.name), text)
        self.assertNotIn(escape(self.preventie.name), text)
        self.assertNotIn(escape(self.kam.name), text)
        bhv.expiry_date = datetime.date(2099, 1, 1)
        self.assertFalse(warning())
        # a holder in another company does not count for this one
        self.assertEqual(
            self.env["kam.role"]._unfilled_required(self.company_2),
            self.preventie | self.bhv | self.kam,
        )

    def test_roles_on_the_employee_form(self):
        self.env["kam.role.assignment"].create(
            {"employee_id": self.emp_a.id, "role_id": self.bhv.id, "certificate": "BHV 2025"}
        )
        hr_officer = self.env["res.users"].create(
            {
                "name": "HR KAM officer",
                "login": "hr_kam_officer_roles",
                "group_ids": [
                    (4, self.env.ref("hr.group_hr_user").id),
                    (4, self.env.ref("kam_management.group_kam_officer").id),
                ],
            }
        )
        arch = self.env["hr.employee"].with_user(hr_officer).get_views([(False, "form")])
        self.assertIn('name="kam_role_assignment_ids"', arch["views"]["form"]["arch"])
        employee = self.emp_a.with_user(hr_officer)
        self.assertEqual(employee.kam_role_assignment_ids.certificate, "BHV 2025")

    def test_one_assignment_per_employee_and_role(self):
        self.env["kam.role.assignment"].create(
            {"employee_id": self.emp_a.id, "role_id": self.bhv.id}
        )
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["kam.role.assignment"].create(
                {"employee_id": self.emp_a.id, "role_id": self.bhv.id}
            )
