from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

HEALTH_FIELDS = ["injury_type", "body_part", "treatment", "outcome", "absence_days", "health_notes"]


@tagged("post_install", "-at_install")
class TestIncidentPrivacy(KamCommon):
    """Injury and health details are readable only by KAM officers (and
    managers) and HR managers; the derived flags stay visible."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr_manager = new_test_user(
            cls.env,
            login="kam_hr_manager",
            groups="kam_management.group_kam_user,hr.group_hr_manager",
            name="HR Manager",
        )
        cls.incident = (
            cls.env["kam.case"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "title": "Fell from ladder",
                    "case_type": "incident",
                    "incident_kind": "injury",
                    "reported_by_id": cls.kam_user.id,
                    "injury_type": "fracture",
                    "body_part": "arm",
                    "treatment": "hospital",
                    "outcome": "recovered",
                    "absence_days": 12,
                    "health_notes": "Plaster for six weeks",
                }
            )
        )
        cls.incident.message_subscribe(partner_ids=cls.hr_manager.partner_id.ids)

    def test_orm_user_cannot_read_health_fields(self):
        case = self.incident.with_user(self.kam_user)
        self.assertEqual(case.title, "Fell from ladder")
        self.assertTrue(case.is_notifiable)
        self.assertTrue(case.is_lost_time)
        self.assertTrue(case.in_accident_register)
        for field in HEALTH_FIELDS:
            with self.subTest(field=field):
                case.invalidate_recordset()
                with self.assertRaises(AccessError):
                    case.read([field])
                with self.assertRaises(AccessError):
                    _value = case[field]
        # nor can they write or search on them
        with self.assertRaises(AccessError):
            case.write({"absence_days": 1})
        with self.assertRaises(AccessError):
            self.env["kam.case"].with_user(self.kam_user).search([("treatment", "=", "hospital")])
        # the model's field list does not even name them for the user
        user_fields = self.env["kam.case"].with_user(self.kam_user).fields_get()
        officer_fields = self.env["kam.case"].with_user(self.kam_officer).fields_get()
        for field in HEALTH_FIELDS:
            self.assertNotIn(field, user_fields)
            self.assertIn(field, officer_fields)

    def test_orm_officer_manager_and_hr_manager_read(self):
        for user in (self.kam_officer, self.kam_manager, self.hr_manager):
            with self.subTest(user=user.login):
                values = self.incident.with_user(user).read(HEALTH_FIELDS)[0]
                self.assertEqual(values["treatment"], "hospital")
                self.assertEqual(values["absence_days"], 12)
                self.assertEqual(values["health_notes"], "Plaster for six weeks")

    def test_ui_form_without_health_fields_for_users(self):
        Case = self.env["kam.case"]
        user_views = Case.with_user(self.kam_user).get_views([(False, "form")])
        officer_views = Case.with_user(self.kam_officer).get_views([(False, "form")])
        user_arch = user_views["views"]["form"]["arch"]
        officer_arch = officer_views["views"]["form"]["arch"]
        user_fields = user_views["models"]["kam.case"]["fields"]
        for field in HEALTH_FIELDS:
            with self.subTest(field=field):
                self.assertNotIn(f'name="{field}"', user_arch)
                self.assertNotIn(field, user_fields)
                self.assertIn(f'name="{field}"', officer_arch)
        self.assertIn('name="is_notifiable"', user_arch)
        self.assertIn("o_kam_notifiable_banner", user_arch)
        # web_read with the user's own view specification works and leaks nothing
        spec = {
            name: {}
            for name in ("name", "title", "incident_kind", "is_notifiable", "is_lost_time")
            if name in user_fields
        }
        spec["employee_ids"] = {"fields": {"display_name": {}}}
        self.assertEqual(len(spec), 6)
        record = self.incident.with_user(self.kam_user).web_read(spec)[0]
        self.assertEqual(record["title"], "Fell from ladder")
        for field in HEALTH_FIELDS:
            self.assertNotIn(field, record)
        # asking for them anyway is refused
        with self.assertRaises(AccessError):
            self.incident.with_user(self.kam_user).web_read({"treatment": {}})

    def test_register_export_needs_health_rights(self):
        Case = self.env["kam.case"]
        with self.assertRaises(AccessError):
            Case.with_user(self.kam_user)._kam_register_export("accident_register")
        filename, content = Case.with_user(self.kam_officer)._kam_register_export(
            "accident_register"
        )
        self.assertTrue(filename.startswith("accident_register_"))
        self.assertTrue(content.startswith(b"PK"))

    def test_health_changes_not_in_chatter(self):
        incident = self.env["kam.case"].browse(self.incident.id)  # without tracking_disable
        case = incident.copy({"treatment": "hospital"}).with_user(self.kam_officer)
        self.env.cr.precommit.run()  # as if saved: tracking starts after the creation
        case.write({"absence_days": 20, "health_notes": "Longer", "treatment": "doctor"})
        self.env.cr.precommit.run()
        case.invalidate_recordset(["message_ids"])
        tracked = case.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("is_notifiable", tracked)
        for field in HEALTH_FIELDS:
            self.assertNotIn(field, tracked)
