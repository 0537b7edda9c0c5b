import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KamCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestObjective(KamCommon):
    """Objectives: levels, approval by managers only, read-only once approved, the
    PDCA links, access per group and company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Objective = cls.env["kam.objective"]
        cls.strategic = cls.Objective.create(
            {
                "name": "First time right",
                "level": "strategic",
                "target": "Less than 1 complaint per 100 orders",
                "deadline": D(2027, 12, 31),
                "strategy_item": "Business plan: quality",
            }
        )

    def _operational(self, **vals):
        return self.Objective.with_user(self.kam_officer).create(
            dict(
                {
                    "name": "Less scrap at the press brake",
                    "parent_id": self.strategic.id,
                    "target": "2 %",
                    "deadline": D(2026, 12, 31),
                    "user_id": self.kam_user.id,
                },
                **vals,
            )
        )

    def test_levels(self):
        with self.assertRaisesRegex(ValidationError, "needs the strategic objective"):
            self.Objective.create({"name": "Orphan", "level": "operational"})
        operational = self._operational()
        with self.assertRaisesRegex(ValidationError, "not under"):
            self._operational(name="Under an operational", parent_id=operational.id)
        with self.assertRaisesRegex(ValidationError, "cannot sit under"):
            self.Objective.create(
                {"name": "Nested", "level": "strategic", "parent_id": self.strategic.id}
            )

    @freeze_time("2026-02-01")
    def test_only_managers_approve(self):
        operational = self._operational()
        with self.assertRaisesRegex(AccessError, "Only KAM managers"):
            operational.with_user(self.kam_officer).action_approve()
        with self.assertRaisesRegex(UserError, "Approve the strategic objective"):
            operational.with_user(self.kam_manager).action_approve()
        self.strategic.with_user(self.kam_manager).action_approve()
        operational.with_user(self.kam_manager).action_approve()
        self.assertEqual(operational.state, "approved")
        self.assertEqual(operational.approved_by_id, self.kam_manager)
        self.assertEqual(operational.approved_date, D(2026, 2, 1))
        # approved: officers can no longer change it, managers can
        with self.assertRaisesRegex(UserError, "only KAM managers can change it"):
            operational.with_user(self.kam_officer).target = "3 %"
        operational.with_user(self.kam_manager).target = "1.5 %"
        # the evaluation needs a written result
        with self.assertRaisesRegex(UserError, "Write the evaluation"):
            operational.with_user(self.kam_manager).action_achieved()
        operational.with_user(self.kam_officer).evaluation_note = "Scrap 1.4 % in Q4."
        operational.with_user(self.kam_manager).action_achieved()
        self.assertEqual(operational.evaluated_date, D(2026, 2, 1))
        with self.assertRaisesRegex(UserError, "only KAM managers"):
            operational.with_user(self.kam_manager).name = "renamed"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            operational.with_user(self.kam_manager).unlink()
        operational.with_user(self.kam_manager).action_reopen()
        self.assertEqual(operational.state, "approved")
        # the derived fields are never typed in
        with self.assertRaisesRegex(UserError, "set by the workflow"):
            operational.with_user(self.kam_manager).approved_date = D(2020, 1, 1)

    def test_approval_needs_a_measurable_target(self):
        objective = self.Objective.create({"name": "Vague", "level": "strategic"})
        with self.assertRaisesRegex(
            UserError, "cannot be approved without: Measurable target, Deadline"
        ):
            objective.with_user(self.kam_manager).action_approve()

    def test_pdca_links_and_status(self):
        operational = self._operational()
        indicator = self.env["kam.indicator"].create(
            {
                "name": "Scrap",
                "unit": "%",
                "target": 2,
                "direction": "lower",
                "objective_id": operational.id,
                "date_start": D(2026, 1, 1),
            }
        )
        self.assertEqual((operational.status, self.strategic.status), ("none", "none"))
        self.env["kam.indicator.value"].create(
            {
                "indicator_id": indicator.id,
                "date_from": D(2026, 1, 1),
                "value": 3.0,
                "value_set": True,
            }
        )
        self.assertEqual(indicator.last_status, "red")
        self.assertEqual((operational.status, self.strategic.status), ("red", "red"))
        action = self.env["kam.action"].create(
            {
                "name": "Check the press programs",
                "objective_id": operational.id,
                "deadline": D(2026, 3, 1),
            }
        )
        self.assertEqual(action.source_ref, operational)
        self.assertEqual(action.company_id, operational.company_id)
        self.assertEqual((operational.action_count, operational.open_action_count), (1, 1))
        self.assertEqual(
            operational.action_view_actions()["domain"], [("objective_id", "=", operational.id)]
        )
        self.assertEqual(operational.indicator_count, 1)

    def test_access(self):
        own = self._operational()
        other = self._operational(name="Someone else's", user_id=self.kam_officer.id)
        as_user = self.Objective.with_user(self.kam_user)
        self.assertEqual(as_user.search([("id", "in", (own | other).ids)]), own)
        with self.assertRaises(AccessError):
            as_user.create({"name": "Mine", "level": "strategic"})
        with self.assertRaises(AccessError):
            own.with_user(self.kam_user).write({"target": "1 %"})
        with self.assertRaises(AccessError):
            own.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).read(["name"])
        foreign = self.Objective.create(
            {"name": "Sister company", "level": "strategic", "company_id": self.company_2.id}
        )
        self.assertFalse(
            self.Objective.with_user(self.kam_officer).search([("id", "=", foreign.id)])
        )
        self.assertEqual(
            self.Objective.with_user(self.user_company_2).search([("id", "=", foreign.id)]), foreign
        )

    def test_objective_register(self):
        self._operational()
        name, content = self.Objective.with_user(self.kam_officer)._kam_register_export("objective")
        self.assertTrue(name.startswith("objective_register_"))
        self.assertTrue(content.startswith(b"PK"))
