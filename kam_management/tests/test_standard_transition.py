from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamCommon

D = date


@tagged("post_install", "-at_install")
@freeze_time("2026-09-01 09:00:00")
class TestStandardTransition(KamCommon):
    """The crosswalk and the transition wizard on crafted editions and records:
    every record re-linked or reported, gap actions with owners, nothing twice
    on a second run.

    Old edition (X:2020): A, B, C, D, and F (no crosswalk line at all). New
    edition (X:2030): A' (same), B' (changed), C1' and C2' (C split), E' (new);
    D removed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Standard = cls.env["kam.standard"]
        cls.old = Standard.create({"name": "X", "edition": "2020", "theme": "quality"})
        cls.new = Standard.create(
            {
                "name": "X",
                "edition": "2030",
                "theme": "quality",
                "previous_id": cls.old.id,
                "transition_end_date": D(2029, 9, 30),
            }
        )
        Clause = cls.env["kam.standard.clause"]

        def clauses(standard, numbers):
            return {
                number: Clause.create(
                    {"standard_id": standard.id, "number": number, "name": f"Clause {number}"}
                )
                for number in numbers
            }

        cls.o = clauses(cls.old, ["1", "2", "3", "4", "5"])  # A B C D F
        cls.n = clauses(cls.new, ["1", "2", "3.1", "3.2", "6"])  # A' B' C1' C2' E'
        Crosswalk = cls.env["kam.clause.crosswalk"]
        common = {"old_standard_id": cls.old.id, "new_standard_id": cls.new.id}
        Crosswalk.create(
            [
                dict(common, old_clause_id=cls.o["1"].id, new_clause_id=cls.n["1"].id, kind="same"),
                dict(
                    common,
                    old_clause_id=cls.o["2"].id,
                    new_clause_id=cls.n["2"].id,
                    kind="changed",
                    note="Stricter",
                ),
                dict(
                    common, old_clause_id=cls.o["3"].id, new_clause_id=cls.n["3.1"].id, kind="split"
                ),
                dict(
                    common, old_clause_id=cls.o["3"].id, new_clause_id=cls.n["3.2"].id, kind="split"
                ),
                dict(common, old_clause_id=cls.o["4"].id, kind="removed"),
                dict(common, new_clause_id=cls.n["6"].id, kind="new", note="Something new"),
            ]
        )
        Case = cls.env["kam.case"]
        cls.case_a, cls.case_b, cls.case_c, cls.case_d, cls.case_f = Case.create(
            [
                {"title": f"Case {n}", "clause_ids": [Command.set(cls.o[n].ids)]}
                for n in ("1", "2", "3", "4", "5")
            ]
        )
        # linked to two old clauses at once
        cls.case_ab = Case.create(
            {"title": "Case A+B", "clause_ids": [Command.set((cls.o["1"] | cls.o["2"]).ids)]}
        )
        # closed: judged against the old edition, kept
        cls.case_closed = Case.create(
            {
                "title": "Closed case",
                "clause_ids": [Command.set(cls.o["1"].ids)],
                "no_action_needed": True,
                "no_action_reason": "Minor",
            }
        )
        cls.case_closed.action_close()
        # another company's case is not touched
        cls.case_other = Case.create(
            {
                "title": "Other company",
                "company_id": cls.company_2.id,
                "clause_ids": [Command.set(cls.o["1"].ids)],
            }
        )
        # a hazard (another adopter of the clause links)
        cls.hazard = cls.env["kam.risk"].create(
            dict(
                cls._hazard_factors(),
                name="Falling parts",
                clause_ids=[Command.set(cls.o["3"].ids)],
            )
        )

    def _run(self):
        wizard = (
            self.env["kam.standard.transition.wizard"]
            .with_user(self.kam_officer)
            .create(
                {
                    "old_standard_id": self.old.id,
                    "new_standard_id": self.new.id,
                    "user_id": self.kam_manager.id,
                }
            )
        )
        action = wizard.action_start()
        return self.env["kam.standard.transition"].browse(action["res_id"])

    def test_wizard_preview(self):
        wizard = self.env["kam.standard.transition.wizard"].create(
            {"old_standard_id": self.old.id, "new_standard_id": self.new.id}
        )
        self.assertEqual(wizard.linked_count, 8)
        self.assertEqual(wizard.counterpart_count, 3)
        self.assertEqual(wizard.orphan_clause_count, 2)  # D (removed) and F (not in the crosswalk)
        self.assertEqual(wizard.gap_clause_count, 4)  # B', C1', C2', E'
        self.assertFalse(wizard.transition_id)

    def test_relink_and_report(self):
        transition = self._run()
        self.assertEqual(self.case_a.clause_ids, self.n["1"])
        self.assertEqual(self.case_b.clause_ids, self.n["2"])
        self.assertEqual(self.case_c.clause_ids, self.n["3.1"] | self.n["3.2"])
        self.assertEqual(self.case_ab.clause_ids, self.n["1"] | self.n["2"])
        self.assertEqual(self.hazard.clause_ids, self.n["3.1"] | self.n["3.2"])
        # reported, not moved
        self.assertEqual(self.case_d.clause_ids, self.o["4"])
        self.assertEqual(self.case_f.clause_ids, self.o["5"])
        self.assertEqual(self.case_closed.clause_ids, self.o["1"])
        self.assertEqual(self.case_other.clause_ids, self.o["1"])
        lines = {
            (line.res_model, line.old_clause_id.number, line.result): sorted(line.res_ids)
            for line in transition.line_ids
        }
        self.assertEqual(
            lines,
            {
                ("kam.case", "1", "relinked"): sorted((self.case_a | self.case_ab).ids),
                ("kam.case", "2", "relinked"): sorted((self.case_b | self.case_ab).ids),
                ("kam.case", "3", "relinked"): self.case_c.ids,
                ("kam.case", "1", "kept"): self.case_closed.ids,
                ("kam.case", "4", "no_counterpart"): self.case_d.ids,
                ("kam.case", "5", "no_counterpart"): self.case_f.ids,
                ("kam.risk", "3", "relinked"): self.hazard.ids,
            },
        )
        # every record that linked the old edition is re-linked or reported
        reported = {(line.res_model, rid) for line in transition.line_ids for rid in line.res_ids}
        linked_before = (
            self.case_a | self.case_b | self.case_c | self.case_d | self.case_f | self.case_ab
        ) | self.case_closed
        self.assertEqual(
            reported,
            {("kam.case", rid) for rid in linked_before.ids} | {("kam.risk", self.hazard.id)},
        )
        self.assertEqual(transition.relinked_count, 6)
        self.assertEqual(transition.kept_count, 1)
        self.assertEqual(transition.orphan_count, 2)
        line = transition.line_ids.filtered(lambda line: line.result == "no_counterpart")[:1]
        self.assertEqual(line.action_open_records()["domain"], [("id", "in", line.res_ids)])

    def test_objectives_and_requirements_follow(self):
        """Every adopter of the clause links moves, found through the registry:
        objectives and compliance obligations as well as cases and hazards."""
        objective = self.env["kam.objective"].create(
            {
                "name": "Fewer complaints",
                "level": "strategic",
                "target": "< 1 per 100 orders",
                "deadline": D(2027, 12, 31),
                "clause_ids": [Command.set(self.o["2"].ids)],
            }
        )
        requirement = self.env["kam.requirement"].create(
            {"name": "Arbobesluit", "kind": "law", "clause_ids": [Command.set(self.o["3"].ids)]}
        )
        transition = self._run()
        self.assertEqual(objective.clause_ids, self.n["2"])
        self.assertEqual(requirement.clause_ids, self.n["3.1"] | self.n["3.2"])
        moved = {
            (line.res_model, line.old_clause_id.number): line.res_ids
            for line in transition.line_ids
            if line.result == "relinked"
        }
        self.assertEqual(moved[("kam.objective", "2")], objective.ids)
        self.assertEqual(moved[("kam.requirement", "3")], requirement.ids)

    def test_gap_actions(self):
        transition = self._run()
        gaps = {gap.clause_id: gap for gap in transition.gap_ids}
        self.assertEqual(
            set(gaps),
            {self.n["2"], self.n["3.1"], self.n["3.2"], self.n["6"], self.o["4"], self.o["5"]},
        )
        self.assertEqual(gaps[self.n["6"]].kind, "new")
        self.assertEqual(gaps[self.o["4"]].kind, "removed")
        actions = transition.gap_ids.action_id
        self.assertEqual(len(actions), 6)
        self.assertEqual(actions.user_id, self.kam_manager)
        self.assertEqual(actions.transition_id, transition)
        self.assertEqual(set(actions.mapped("deadline")), {D(2029, 9, 30)})
        action_e = gaps[self.n["6"]].action_id
        self.assertIn("6 Clause 6", action_e.name)
        self.assertIn("Something new", action_e.description)
        self.assertEqual(transition.action_count, 6)
        self.assertEqual(transition.deadline, D(2029, 9, 30))

    def test_second_run_creates_nothing_twice(self):
        transition = self._run()
        actions = transition.gap_ids.action_id
        lines = transition.line_ids
        # a gap's owner can change before its action exists; a record linked to the
        # old edition since is re-linked by the next run
        late = self.env["kam.case"].create(
            {"title": "Linked late", "clause_ids": [Command.set(self.o["2"].ids)]}
        )
        again = self._run()
        self.assertEqual(again, transition, "the wizard continues the transition in progress")
        self.assertEqual(transition.gap_ids.action_id, actions)
        self.assertEqual(
            self.env["kam.action"].search_count([("transition_id", "=", transition.id)]), 6
        )
        self.assertEqual(transition.line_ids, lines)
        self.assertEqual(late.clause_ids, self.n["2"])
        line_b = transition.line_ids.filtered(
            lambda line: line.old_clause_id == self.o["2"] and line.result == "relinked"
        )
        self.assertIn(late.id, line_b.res_ids)
        self.assertEqual(line_b.count, 3)
        self.assertEqual(self.case_c.clause_ids, self.n["3.1"] | self.n["3.2"])

    def test_done_moves_the_company_to_the_new_edition(self):
        self.company.kam_standard_ids = [Command.link(self.old.id)]
        transition = self._run()
        transition.with_user(self.kam_officer).action_done()
        self.assertEqual(transition.state, "done")
        self.assertIn(self.new, self.company.kam_standard_ids)
        self.assertNotIn(self.old, self.company.kam_standard_ids)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["kam.standard.transition.wizard"].with_user(self.kam_user).create(
                {"old_standard_id": self.old.id, "new_standard_id": self.new.id}
            )
        transition = self._run()
        with self.assertRaises(AccessError):
            transition.with_user(self.user_company_2).read(["name"])
        with self.assertRaises(AccessError):
            transition.with_user(self.kam_user).action_run()

    def test_crosswalk_rules(self):
        Crosswalk = self.env["kam.clause.crosswalk"]
        with self.assertRaises(ValidationError):
            Crosswalk.create(
                {
                    "old_standard_id": self.new.id,
                    "new_standard_id": self.old.id,
                    "old_clause_id": self.n["1"].id,
                    "new_clause_id": self.o["1"].id,
                }
            )
        with self.assertRaises(ValidationError):
            Crosswalk.create(
                {
                    "old_standard_id": self.old.id,
                    "new_standard_id": self.new.id,
                    "old_clause_id": self.o["5"].id,
                    "new_clause_id": self.n["6"].id,
                    "kind": "new",
                }
            )
        self.assertEqual(self.n["6"].change_kind, "new")
        self.assertEqual(self.n["2"].change_kind, "changed")
        self.assertEqual(self.n["2"].change_note, "Stricter")


@tagged("post_install", "-at_install")
class TestEditions2026(KamCommon):
    """The 2026 editions shipped as data: every 2015 clause has its place."""

    def test_crosswalks_are_complete(self):
        for old_xmlid, new_xmlid, new_clauses in (
            ("kam_standard_iso9001_2015", "kam_standard_iso9001_2026", ("6.1.3",)),
            ("kam_standard_iso14001_2015", "kam_standard_iso14001_2026", ("6.1.4", "6.3")),
        ):
            old = self.env.ref(f"kam_management.{old_xmlid}")
            new = self.env.ref(f"kam_management.{new_xmlid}")
            self.assertEqual(new.previous_id, old)
            self.assertTrue(new.transition_end_date)
            mapping = self.env["kam.clause.crosswalk"]._mapping(old, new)
            self.assertEqual(len(mapping), old.clause_count)
            self.assertTrue(all(mapping.values()), f"{new.display_name}: every clause maps")
            targets = {cid for ids in mapping.values() for cid in ids}
            numbers = set(new.clause_ids.mapped("number"))
            for number in new_clauses:
                self.assertIn(number, numbers)
            # every clause of the new edition is reached or marked new
            new_ones = self.env["kam.clause.crosswalk"].search(
                [("new_standard_id", "=", new.id), ("kind", "=", "new")]
            )
            self.assertEqual(targets | set(new_ones.new_clause_id.ids), set(new.clause_ids.ids))
        nine = self.env.ref("kam_management.iso9001_2026_c6_1_2")
        self.assertEqual(nine.change_kind, "split")
        fourteen = self.env.ref("kam_management.iso14001_2026_c6_1_5")
        self.assertEqual(fourteen.change_kind, "moved")
