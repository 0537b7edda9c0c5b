from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_case import KamCaseCommon


@tagged("post_install", "-at_install")
class TestCaseAccess(KamCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_user = cls.env["res.users"].create(
            {
                "name": "Other KAM user",
                "login": "kam_user_other",
                "group_ids": [Command.set([cls.env.ref("kam_management.group_kam_user").id])],
            }
        )
        cls.own_case = cls.env["kam.case"].with_user(cls.kam_user).create({"title": "Mine"})
        cls.other_case = cls.env["kam.case"].with_user(cls.other_user).create({"title": "Theirs"})
        deadline = cls.today + timedelta(days=7)
        cls.own_action = cls.env["kam.action"].create(
            {
                "name": "Mine",
                "case_id": cls.other_case.id,
                "user_id": cls.kam_user.id,
                "deadline": deadline,
            }
        )
        cls.other_action = cls.env["kam.action"].create(
            {
                "name": "Theirs",
                "case_id": cls.other_case.id,
                "user_id": cls.other_user.id,
                "deadline": deadline,
            }
        )

    def test_user_sees_own_cases_and_actions(self):
        cases = self.env["kam.case"].with_user(self.kam_user).search([])
        self.assertIn(self.own_case, cases)
        self.assertNotIn(self.other_case, cases)
        with self.assertRaises(AccessError):
            self.other_case.with_user(self.kam_user).read(["title"])
        actions = self.env["kam.action"].with_user(self.kam_user).search([])
        self.assertIn(self.own_action, actions)
        self.assertNotIn(self.other_action, actions)
        # the owner can mark an action done on a case they cannot see
        self.own_action.with_user(self.kam_user).action_done()
        self.assertEqual(self.own_action.state, "done")
        # a user may not delete cases
        with self.assertRaises(AccessError):
            self.own_case.with_user(self.kam_user).unlink()

    def test_user_analyses_own_case(self):
        self.own_case.with_user(self.kam_user).write(
            {"fishbone_cause_ids": [(0, 0, {"category": "man", "name": "Not trained"})]}
        )
        self.assertEqual(self.own_case.cause_ids.name, "Not trained")
        with self.assertRaises(AccessError):
            self.env["kam.cause"].with_user(self.kam_user).create(
                {"case_id": self.other_case.id, "name": "x"}
            )

    def test_officer_and_manager_see_all(self):
        for user in (self.kam_officer, self.kam_manager):
            cases = self.env["kam.case"].with_user(user).search([])
            self.assertIn(self.own_case, cases)
            self.assertIn(self.other_case, cases)
            actions = self.env["kam.action"].with_user(user).search([])
            self.assertIn(self.other_action, actions)

    def test_configuration_is_for_managers(self):
        for model in ("kam.case.stage", "kam.theme"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.kam_officer).create(
                    {"name": "X", "code": "quality"} if model == "kam.theme" else {"name": "X"}
                )
            self.env[model].with_user(self.kam_officer).search([])  # readable
        stage = self.env["kam.case.stage"].with_user(self.kam_manager).create({"name": "Extra"})
        self.assertTrue(stage)

    def test_company_isolation(self):
        case_c2 = self.env["kam.case"].create(
            {"title": "Company 2", "company_id": self.company_2.id}
        )
        action_c2 = self.env["kam.action"].create(
            {
                "name": "C2",
                "case_id": case_c2.id,
                "user_id": self.user_company_2.id,
                "deadline": self.today + timedelta(days=3),
            }
        )
        self.assertEqual(action_c2.company_id, self.company_2)
        self.assertNotIn(case_c2, self.env["kam.case"].with_user(self.kam_officer).search([]))
        self.assertNotIn(action_c2, self.env["kam.action"].with_user(self.kam_officer).search([]))
        self.assertIn(case_c2, self.env["kam.case"].with_user(self.user_company_2).search([]))
        self.assertNotIn(
            self.own_case, self.env["kam.case"].with_user(self.user_company_2).search([])
        )

    def test_portal_and_public_blocked(self):
        for user in (self.portal_user, self.public_user):
            for model in ("kam.case", "kam.action", "kam.cause"):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_menus(self):
        menus = self.env["ir.ui.menu"].with_user(self.kam_user).sudo()._visible_menu_ids()
        ref = self.env.ref
        self.assertIn(ref("kam_management.menu_kam_action_my").id, menus)
        self.assertIn(ref("kam_management.menu_kam_case_nonconformity").id, menus)
        self.assertNotIn(ref("kam_management.menu_kam_action_all").id, menus)
        self.assertNotIn(ref("kam_management.menu_kam_reporting").id, menus)
        officer_menus = (
            self.env["ir.ui.menu"].with_user(self.kam_officer).sudo()._visible_menu_ids()
        )
        self.assertIn(ref("kam_management.menu_kam_action_all").id, officer_menus)
        self.assertIn(ref("kam_management.menu_kam_report_cases").id, officer_menus)
        self.assertNotIn(ref("kam_management.menu_kam_config_stage").id, officer_menus)
