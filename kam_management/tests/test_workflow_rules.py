"""Workflow rules hold on every write path: one table of (scenario x group).

Each scenario prepares fresh records as the superuser and names the values a
user tries to write through the ORM, as a form or an RPC call would. Each
group either may do it ("ok") or is refused with a translated error (a
UserError, AccessError or ValidationError), and a refused write leaves the
records exactly as they were."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import KamCommon, load_dutch

GROUPS = ("user", "officer", "manager", "purchase", "portal")
OK, NO = "ok", "refused"


def expect(user=NO, officer=NO, manager=NO, purchase=NO, portal=NO):
    return {
        "user": user,
        "officer": officer,
        "manager": manager,
        "purchase": purchase,
        "portal": portal,
    }


@tagged("post_install", "-at_install")
class TestWorkflowRules(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purchase_user = new_test_user(
            cls.env, login="kam_wf_buyer", groups="purchase.group_purchase_user", name="Buyer"
        )
        cls.users = {
            "user": cls.kam_user,
            "officer": cls.kam_officer,
            "manager": cls.kam_manager,
            "purchase": cls.purchase_user,
            "portal": cls.portal_user,
        }
        cls.stage = {
            key: cls.env.ref(f"kam_management.kam_case_stage_{key}")
            for key in ("new", "analysis", "closed")
        }
        cls.supplier = cls.env["res.partner"].create({"name": "Workflow Staal", "is_company": True})
        cls.today = datetime.date(2026, 11, 30)

    # ------------------------------------------------------------------ fixtures
    def _case(self, **vals):
        """A case the KAM user reported (so they may read and write it)."""
        values = {
            "title": "Burr on bracket",
            "case_type": "improvement",  # no root cause needed to close
            "reported_by_id": self.kam_user.id,
            "user_id": self.kam_officer.id,
            "date_found": self.today,
        }
        values.update(vals)
        return self.env["kam.case"].create(values)

    def _closed_case(self):
        case = self._case()
        case.write({"stage_id": self.stage["closed"].id})
        self.assertTrue(case.is_closed)
        return case

    def _action(self, state="open", **vals):
        case = self._case()
        values = {
            "name": "Deburr the stock",
            "case_id": case.id,
            "user_id": self.kam_user.id,
            "deadline": self.today,
            "effectiveness_result": "No burrs in three batches.",
        }
        values.update(vals)
        action = self.env["kam.action"].create(values)
        for step in {"open": [], "done": ["done"], "verified": ["done", "verified"]}[state]:
            action.write({"state": step})
        self.assertEqual(action.state, state)
        return action

    def _evaluation(self, state="draft"):
        evaluation = self.env["kam.supplier.evaluation"].create(
            {
                "partner_id": self.supplier.id,
                "date_start": datetime.date(2026, 1, 1),
                "date_end": datetime.date(2026, 3, 31),
                "user_id": self.purchase_user.id,
            }
        )
        evaluation.line_ids.write({"score": 8.0})
        for step in {"draft": [], "done": ["done"], "approved": ["done", "approved"]}[state]:
            evaluation.write({"state": step})
        self.assertEqual(evaluation.state, state)
        return evaluation

    # ------------------------------------------------------------------ the table
    def _scenarios(self):
        """(name, make(): (records, vals), expected outcome per group)."""
        stage = self.stage
        return [
            # actions: only officers judge effectiveness; who and when is derived
            (
                "action: verify",
                lambda: (self._action("done"), {"state": "verified"}),
                expect(officer=OK, manager=OK),
            ),
            (
                "action: verify and name the verifier",
                lambda: (
                    self._action("done"),
                    {"state": "verified", "verified_by_id": self.kam_user.id},
                ),
                expect(),
            ),
            (
                "action: mark own action done",
                lambda: (self._action("open"), {"state": "done"}),
                expect(user=OK, officer=OK, manager=OK),
            ),
            (
                "action: verify an open action",
                lambda: (self._action("open"), {"state": "verified"}),
                expect(),
            ),
            (
                "action: edit a judged action",
                lambda: (self._action("verified"), {"name": "Something else"}),
                expect(officer=OK, manager=OK),
            ),
            (
                "action: reopen a judged action",
                lambda: (self._action("verified"), {"state": "open"}),
                expect(officer=OK, manager=OK),
            ),
            (
                "action: back-date the done date",
                lambda: (self._action("done"), {"done_date": datetime.date(2020, 1, 1)}),
                expect(),
            ),
            # cases: closed follows the stage; only officers close, by the rules
            (
                "case: write is_closed with an open action",
                lambda: (self._action("open").case_id, {"is_closed": True}),
                expect(),
            ),
            (
                "case: close by stage",
                lambda: (self._case(), {"stage_id": stage["closed"].id}),
                expect(officer=OK, manager=OK),
            ),
            (
                "case: close by stage with an open action",
                lambda: (self._action("open").case_id, {"stage_id": stage["closed"].id}),
                expect(),
            ),
            (
                "case: close a nonconformity without root cause",
                lambda: (
                    self._case(case_type="nonconformity"),
                    {"stage_id": stage["closed"].id},
                ),
                expect(),
            ),
            (
                "case: set who closed it",
                lambda: (self._case(), {"closed_by_id": self.kam_user.id}),
                expect(),
            ),
            (
                "case: edit the title of a closed case",
                lambda: (self._closed_case(), {"title": "Changed afterwards"}),
                expect(),
            ),
            (
                "case: reopen without a reason",
                lambda: (self._closed_case(), {"stage_id": stage["new"].id}),
                expect(),
            ),
            (
                "case: reopen with a reason",
                lambda: (
                    self._closed_case(),
                    {"stage_id": stage["analysis"].id, "reopen_reason": "It happened again."},
                ),
                expect(officer=OK, manager=OK),
            ),
            (
                "case: archive a closed case",
                lambda: (self._closed_case(), {"active": False}),
                expect(officer=OK, manager=OK),
            ),
            # supplier evaluations: only KAM managers approve; approved is final
            (
                "evaluation: approve",
                lambda: (self._evaluation("done"), {"state": "approved"}),
                expect(manager=OK),
            ),
            (
                "evaluation: approve a draft",
                lambda: (self._evaluation("draft"), {"state": "approved"}),
                expect(),
            ),
            (
                "evaluation: name the approver",
                lambda: (self._evaluation("done"), {"approved_by_id": self.purchase_user.id}),
                expect(),
            ),
            (
                "evaluation: edit an approved evaluation",
                lambda: (self._evaluation("approved"), {"remarks": "<p>Better than it was</p>"}),
                expect(),
            ),
            (
                "evaluation: change the scores of an approved evaluation",
                lambda: (
                    self._evaluation("approved"),
                    {"line_ids": [Command.update(0, {"score": 10.0})]},
                ),
                expect(),
            ),
            (
                "evaluation: reset an approved evaluation",
                lambda: (self._evaluation("approved"), {"state": "draft"}),
                expect(manager=OK),
            ),
            (
                "evaluation: reset a done evaluation",
                lambda: (self._evaluation("done"), {"state": "draft"}),
                expect(user=OK, officer=OK, manager=OK, purchase=OK),
            ),
            (
                "evaluation: type in the measured on-time rate",
                lambda: (self._evaluation("draft"), {"on_time_rate": 100.0}),
                expect(),
            ),
            (
                "evaluation: mark done",
                lambda: (self._evaluation("draft"), {"state": "done"}),
                expect(user=OK, officer=OK, manager=OK, purchase=OK),
            ),
        ]

    def _snapshot(self, records, vals):
        fields_ = [name for name in vals if name != "line_ids"] + ["write_date"]
        data = records.sudo().with_context(active_test=False).read(fields_)
        if "line_ids" in vals:
            data.append(records.sudo().line_ids.read(["score"]))
        return data

    def test_every_workflow_field_as_every_group(self):
        outcomes = {}
        for name, make, expected in self._scenarios():
            for group in GROUPS:
                with self.subTest(scenario=name, group=group), self.env.cr.savepoint() as sp:
                    records, vals = make()
                    if "line_ids" in vals:
                        # Command.update(0, ...) stands for "the first line"
                        line = records.line_ids[0]
                        vals = {"line_ids": [Command.update(line.id, vals["line_ids"][0][2])]}
                    records.env.flush_all()
                    before = self._snapshot(records, vals)
                    try:
                        records.with_user(self.users[group]).write(vals)
                        records.env.flush_all()
                        outcome = OK
                    except UserError as error:  # AccessError, ValidationError are UserErrors
                        outcome = NO
                        self.assertTrue(str(error).strip(), "a refusal says why")
                        records.env.invalidate_all()
                        self.assertEqual(
                            self._snapshot(records, vals), before, "a refused write changes nothing"
                        )
                    outcomes[name, group] = outcome
                    self.assertEqual(outcome, expected[group])
                    sp.rollback()
                    self.env.invalidate_all()
        # every scenario was tried by every group
        self.assertEqual(len(outcomes), len(self._scenarios()) * len(GROUPS))

    def test_refusals_are_translated(self):
        """The user sees the refusal in their language (Dutch here)."""
        load_dutch(self.env)
        action = self._action("done")
        as_user = action.with_user(self.kam_user).with_context(lang="nl_NL")
        with self.assertRaises(UserError) as caught:
            as_user.write({"state": "verified"})
        self.assertIn("Alleen KAM-functionarissen", str(caught.exception))
        case = self._closed_case()
        with self.assertRaises(UserError) as caught:
            case.with_user(self.kam_user).with_context(lang="nl_NL").write({"title": "Changed"})
        self.assertIn("is gesloten en kan niet meer worden gewijzigd", str(caught.exception))

    @freeze_time("2026-11-30 10:00:00")
    def test_plain_write_has_the_button_effects(self):
        """The state changes do what the buttons do, whichever path writes them."""
        action = self._action("open")
        self.assertTrue(action.activity_ids)
        action.with_user(self.kam_user).write({"state": "done"})
        self.assertEqual(action.done_date, self.today)
        self.assertFalse(action.activity_ids, "done closes the owner's activity")
        case = action.case_id
        case.with_user(self.kam_officer).write({"stage_id": self.stage["closed"].id})
        self.assertEqual(case.closed_by_id, self.kam_officer)
        self.assertTrue(case.closed_date)
        action.with_user(self.kam_officer).write({"state": "not_effective"})
        self.assertEqual(action.verified_by_id, self.kam_officer)
        self.assertFalse(case.is_closed, "a not effective action reopens its case")
        self.assertFalse(case.closed_date)
        self.assertIn("was not effective", case.message_ids[0].body)
        self.assertIn("was not effective", case.reopen_reason)

    def test_stage_meaning_cannot_flip_under_cases(self):
        """A stage holding cases cannot become a closing stage (or stop being
        one): cases close one by one, by the closing rules."""
        case = self._action("open").case_id
        with self.assertRaisesRegex(UserError, "holds cases"):
            self.stage["new"].write({"state": "closed"})
        self.assertFalse(case.is_closed)
        empty = self.env["kam.case.stage"].create({"name": "Parked", "state": "waiting"})
        empty.write({"state": "closed"})
        self.assertTrue(empty.is_closed)

    def test_reopen_wizard(self):
        case = self._closed_case()
        action = case.with_user(self.kam_officer).action_open_reopen_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.kam_officer)
            .with_context(**action["context"])
            .create({"reason": "The supplier delivered the same fault again."})
        )
        wizard.action_reopen()
        self.assertFalse(case.is_closed)
        self.assertEqual(case.reopen_reason, "The supplier delivered the same fault again.")
        self.assertIn("same fault again", case.message_ids[0].body)
        self.assertEqual(case.stage_id.state, "progress")

    def test_locked_forms_are_read_only(self):
        """The form shows what write() enforces: a closed case's fields are read-only."""
        arch = self.env["kam.case"].get_view(view_type="form")["arch"]
        self.assertRegex(arch, r'name="title"[^>]*readonly="is_closed"')
        self.assertRegex(arch, r'name="stage_id"[^>]*readonly="is_closed"')
        # computed fields keep their own read-only state (a widget may depend on it)
        self.assertNotRegex(arch, r'name="ishikawa_svg"[^>]*readonly=')
        arch = self.env["kam.supplier.evaluation"].get_view(view_type="form")["arch"]
        self.assertRegex(arch, r"name=\"remarks\"[^>]*readonly=\"[^\"]*state != 'draft'")
