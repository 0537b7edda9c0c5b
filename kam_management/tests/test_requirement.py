import datetime
import io

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KamCommon
from .test_cron import count_queries

D = datetime.date
TODAY = D(2026, 3, 16)
HEADER_ROW = 4
EVIDENCE = "<p>Noise measured at the boundary: 48 dB(A), limit 50.</p>"


class KamRequirementCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Requirement = cls.env["kam.requirement"]
        cls.Evaluation = cls.env["kam.requirement.evaluation"]
        cls.company.kam_compliance_reminder_days = 14
        cls.environment = cls.env["kam.theme"].search([("code", "=", "environment")])

    def _requirement(self, **values):
        vals = {
            "name": "Arbeidsomstandighedenwet",
            "short_name": "Arbowet",
            "bwb_id": "BWBR0010346",
            "article": "art. 5",
            "user_id": self.kam_officer.id,
        }
        vals.update(values)
        return self.Requirement.create(vals)

    def _evaluation(self, requirement, **values):
        vals = {"requirement_id": requirement.id, "date": TODAY, "user_id": self.kam_officer.id}
        vals.update(values)
        return self.Evaluation.with_user(self.kam_officer).create(vals)

    def _action(self, evaluation, **values):
        vals = {
            "name": "Fix it",
            "requirement_id": evaluation.requirement_id.id,
            "requirement_evaluation_id": evaluation.id,
            "deadline": TODAY + relativedelta(days=30),
            "user_id": self.kam_officer.id,
        }
        vals.update(values)
        return self.env["kam.action"].create(vals)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestRequirement(KamRequirementCommon):
    """The legal register: compliance obligations, their evaluation (9.1.2), the
    change log, repeal, access and the Excel register."""

    def test_bwb_id_and_link(self):
        requirement = self._requirement(bwb_id=" bwbr0010346 ")
        self.assertEqual(requirement.bwb_id, "BWBR0010346")
        self.assertEqual(requirement.url, "https://wetten.overheid.nl/BWBR0010346")
        self.assertEqual(requirement.display_name, "Arbowet")
        # a treaty is BWBV
        requirement.bwb_id = "BWBV0001000"
        permit = self._requirement(
            name="Omgevingsvergunning milieu",
            kind="permit",
            bwb_id=False,
            short_name=False,
            article=False,
            source_url="https://example.com/permit.pdf",
        )
        self.assertEqual(permit.url, "https://example.com/permit.pdf")
        self.assertEqual(permit.display_name, "Omgevingsvergunning milieu")
        for wrong in ("BWBR001034", "BWBR00103466", "BWB0010346", "ECLI:NL:HR:2020:1", "12345"):
            with self.subTest(bwb_id=wrong), self.assertRaisesRegex(ValidationError, "BWB-ID"):
                self._requirement(bwb_id=wrong)
        with self.assertRaisesRegex(ValidationError, "before its issue date"):
            permit.write({"date_issued": D(2020, 5, 1), "valid_until": D(2019, 1, 1)})
        with self.assertRaisesRegex(ValidationError, "cannot replace itself"):
            permit.replaced_by_id = permit

    def test_search_by_short_name_and_bwb_id(self):
        requirement = self._requirement()
        self.assertIn(requirement, self.Requirement.search([("display_name", "ilike", "Arbowet")]))
        found = self.Requirement.name_search("BWBR0010346")
        self.assertEqual([row[0] for row in found], [requirement.id])

    def test_evaluation_history_and_status(self):
        requirement = self._requirement(
            evaluation_frequency="yearly", next_evaluation_date=D(2026, 4, 1)
        )
        self.assertEqual(requirement.compliance_status, "none")
        first = self._evaluation(requirement, date=D(2025, 3, 20))
        self.assertEqual(first.state, "draft")
        # a draft says nothing yet
        self.assertEqual(requirement.compliance_status, "none")
        first.write({"result": "compliant", "evidence": EVIDENCE})
        first.action_done()
        self.assertEqual(first.done_by_id, self.kam_officer)
        self.assertEqual(requirement.last_evaluation_id, first)
        self.assertEqual(requirement.compliance_status, "compliant")
        self.assertEqual(requirement.last_evaluation_date, D(2025, 3, 20))
        # the next evaluation moves on by the frequency: the series of the due date
        self.assertEqual(requirement.next_evaluation_date, D(2027, 4, 1))
        # a later evaluation becomes the status; the history stays
        second = self._evaluation(requirement, result="partly", evidence=EVIDENCE)
        self._action(second)
        second.action_done()
        self.assertEqual(requirement.compliance_status, "partly")
        self.assertEqual(requirement.evaluation_count, 2)
        self.assertEqual(requirement.next_evaluation_date, D(2028, 4, 1))
        self.assertEqual(requirement.evaluation_ids, first | second)

    def test_completing_needs_result_evidence_and_an_action(self):
        requirement = self._requirement()
        evaluation = self._evaluation(requirement)
        with self.assertRaisesRegex(UserError, "Record the result"):
            evaluation.action_done()
        evaluation.result = "not_compliant"
        with self.assertRaisesRegex(UserError, "Record the evidence"):
            evaluation.action_done()
        evaluation.evidence = "<p><br></p>"
        with self.assertRaisesRegex(UserError, "Record the evidence"):
            evaluation.action_done()
        evaluation.evidence = EVIDENCE
        with self.assertRaisesRegex(UserError, "raise an action first"):
            evaluation.action_done()
        # the same rules for a plain write (import, RPC)
        with self.assertRaisesRegex(UserError, "raise an action first"):
            evaluation.write({"state": "done"})
        self.assertEqual(evaluation.state, "draft")
        # an evaluation in the future cannot be completed
        evaluation.date = TODAY + relativedelta(days=1)
        self._action(evaluation)
        with self.assertRaisesRegex(UserError, "dated in the future"):
            evaluation.action_done()
        evaluation.date = TODAY
        evaluation.action_done()
        self.assertEqual(requirement.compliance_status, "not_compliant")
        self.assertEqual(evaluation.action_ids.source_ref, requirement)

    def test_raise_action_from_evaluation_and_change(self):
        requirement = self._requirement()
        evaluation = self._evaluation(requirement)
        context = evaluation.action_raise_action()["context"]
        action = (
            self.env["kam.action"]
            .with_context(**context)
            .create({"name": "Measure the noise again", "deadline": TODAY})
        )
        self.assertEqual(action.requirement_id, requirement)
        self.assertEqual(action.requirement_evaluation_id, evaluation)
        self.assertEqual(action.company_id, requirement.company_id)
        self.assertEqual(action.source_ref, requirement)
        self.assertEqual((requirement.action_count, requirement.open_action_count), (1, 1))
        change = self.env["kam.requirement.change"].create(
            {"requirement_id": requirement.id, "name": "Article 5 amended"}
        )
        context = change.action_raise_action()["context"]
        action = self.env["kam.action"].with_context(**context).create({"deadline": TODAY})
        self.assertEqual(action.name, "Article 5 amended")
        self.assertEqual(
            (action.requirement_id, action.requirement_change_id), (requirement, change)
        )
        self.assertEqual(change.action_ids, action)
        # an origin of another requirement is refused
        other = self._requirement(name="Arbobesluit", bwb_id="BWBR0008498")
        with self.assertRaisesRegex(ValidationError, "its source must be requirement"):
            action.requirement_id = other

    def test_done_evaluations_are_kept(self):
        requirement = self._requirement()
        evaluation = self._evaluation(requirement, result="compliant", evidence=EVIDENCE)
        evaluation.action_done()
        for user in (self.kam_officer, self.kam_manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "can no longer be changed"):
                    evaluation.with_user(user).write({"result": "not_compliant"})
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    evaluation.with_user(user).unlink()
        # not even back to draft, by the superuser
        with self.assertRaisesRegex(UserError, "cannot go from"):
            evaluation.sudo().write({"state": "draft"})
        # the superuser neither (consistency, not access)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            evaluation.sudo().unlink()
        # and its requirement can only be archived
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            requirement.unlink()
        requirement.active = False
        self.assertTrue(evaluation.exists())
        # a draft can be deleted, with a requirement that has no history
        other = self._requirement(name="Arbobesluit", bwb_id="BWBR0008498")
        draft = self._evaluation(other)
        other.unlink()
        self.assertFalse(draft.exists())

    def test_workflow_fields_cannot_be_written(self):
        requirement = self._requirement()
        evaluation = self._evaluation(requirement)
        with self.assertRaisesRegex(UserError, "set by the workflow"):
            evaluation.write({"done_by_id": self.kam_user.id})
        # created completed (an import of history) goes through the same rules
        with self.assertRaisesRegex(UserError, "Record the result"):
            self._evaluation(requirement, state="done")
        done = self._evaluation(requirement, state="done", result="compliant", evidence=EVIDENCE)
        self.assertEqual((done.state, done.done_by_id), ("done", self.kam_officer))

    def test_only_officers_complete_and_users_read(self):
        requirement = self._requirement()
        evaluation = self._evaluation(requirement, result="compliant", evidence=EVIDENCE)
        as_user = evaluation.with_user(self.kam_user)
        self.assertEqual(as_user.result, "compliant")
        self.assertEqual(requirement.with_user(self.kam_user).name, "Arbeidsomstandighedenwet")
        with self.assertRaises(AccessError):
            as_user.write({"state": "done"})
        with self.assertRaises(AccessError):
            requirement.with_user(self.kam_user).write({"article": "art. 3"})
        with self.assertRaises(AccessError):
            self.Requirement.with_user(self.kam_user).create({"name": "Mine"})
        # transitions need the officer group even with write access
        self.env["ir.model.access"].create(
            {
                "name": "test: KAM users write evaluations",
                "model_id": self.env["ir.model"]._get_id("kam.requirement.evaluation"),
                "group_id": self.env.ref("kam_management.group_kam_user").id,
                "perm_read": True,
                "perm_write": True,
            }
        )
        with self.assertRaisesRegex(AccessError, "Only KAM officers can complete"):
            as_user.write({"state": "done"})
        # other companies see nothing
        for model in (self.Requirement, self.Evaluation):
            self.assertFalse(model.with_user(self.user_company_2).search([]))

    def test_repealed(self):
        bal = self._requirement(name="Besluit activiteiten leefomgeving", bwb_id="BWBR0041330")
        requirement = self._requirement(
            name="Activiteitenbesluit milieubeheer",
            bwb_id="BWBR0022762",
            next_evaluation_date=D(2026, 5, 1),
        )
        with self.assertRaises(AccessError):
            requirement.with_user(self.kam_user).action_repeal()
        with self.assertRaisesRegex(UserError, "Record the date"):
            requirement.write({"state": "repealed"})
        requirement.with_user(self.kam_officer).action_repeal()
        self.assertEqual(requirement.state, "repealed")
        self.assertEqual(requirement.date_repealed, TODAY)
        self.assertFalse(requirement.next_evaluation_date)
        # the date and the successor may still be recorded; the rest is read-only
        as_officer = requirement.with_user(self.kam_officer)
        as_officer.write({"date_repealed": D(2024, 1, 1), "replaced_by_id": bal.id})
        with self.assertRaisesRegex(UserError, "has been repealed"):
            as_officer.article = "art. 2.15"
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            requirement.unlink()
        # no evaluation is due any more
        self.assertNotIn(requirement, self.Requirement._kam_duty_run())
        as_officer.action_reinstate()
        as_officer.article = "art. 2.15"
        self.assertEqual(requirement.state, "in_force")

    def test_change_log(self):
        requirement = self._requirement()
        change = (
            self.env["kam.requirement.change"]
            .with_user(self.kam_officer)
            .create(
                {
                    "requirement_id": requirement.id,
                    "name": "Omgevingswet in force",
                    "date_effective": D(2024, 1, 1),
                }
            )
        )
        self.assertEqual((change.state, change.user_id), ("new", self.kam_officer))
        with self.assertRaisesRegex(UserError, "Record the impact"):
            change.action_assessed()
        change.write({"impact": "high", "impact_description": "New permit rules"})
        change.action_assessed()
        self.assertEqual(change.assessed_by_id, self.kam_officer)
        self.assertEqual(change.assessed_date, TODAY)
        with self.assertRaisesRegex(UserError, "has been assessed"):
            change.name = "Other"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            change.unlink()
        change.action_reassess()
        self.assertFalse(change.assessed_by_id)
        change.name = "Omgevingswet in force on 1 January 2024"
        with self.assertRaisesRegex(ValidationError, "later day than today"):
            change.date_noticed = TODAY + relativedelta(days=1)
        with self.assertRaises(AccessError):
            change.with_user(self.kam_user).action_assessed()
        self.assertEqual(requirement.change_count, 1)
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            requirement.unlink()

    def test_locked_forms_are_read_only(self):
        """The forms show what write() enforces: completed evaluations, assessed
        changes and repealed requirements are read-only (but the repeal date)."""
        arch = self.Evaluation.get_view(view_type="form")["arch"]
        self.assertRegex(arch, r"name=\"result\"[^>]*readonly=\"state == 'done'\"")
        self.assertRegex(arch, r"name=\"evidence\"[^>]*readonly=\"state == 'done'\"")
        arch = self.env["kam.requirement.change"].get_view(view_type="form")["arch"]
        self.assertRegex(arch, r"name=\"impact\"[^>]*readonly=\"state == 'assessed'\"")
        arch = self.Requirement.get_view(view_type="form")["arch"]
        self.assertRegex(arch, r"name=\"article\"[^>]*readonly=\"state == 'repealed'\"")
        self.assertNotRegex(arch, r"name=\"date_repealed\"[^>]*readonly=")

    def test_register_export(self):
        self._requirement(theme_ids=[(6, 0, self.environment.ids)], compliance_method=EVIDENCE)
        self._requirement(
            name="Omgevingsvergunning", kind="permit", bwb_id=False, permit_number="OV-1"
        )
        _name, content = self.Requirement.with_user(self.kam_user)._kam_register_export(
            "requirement"
        )
        ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(ws["A1"].value, "Register of legal and other requirements")
        headers = [c.value for c in ws[HEADER_ROW]]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
        self.assertEqual(len(rows), 2)
        law = dict(zip(headers, rows[0], strict=True))
        self.assertEqual(law["Kind"], "Law or regulation")
        self.assertEqual(law["BWB-ID"], "BWBR0010346")
        self.assertEqual(law["Link"], "https://wetten.overheid.nl/BWBR0010346")
        self.assertEqual(
            law["How we comply"], "Noise measured at the boundary: 48 dB(A), limit 50."
        )
        self.assertEqual(law["Compliance"], "Not evaluated")
        self.assertEqual(law["KAM themes"], self.environment.name)
        self.assertEqual(dict(zip(headers, rows[1], strict=True))["Reference"], "OV-1")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestComplianceEvaluationJob(KamRequirementCommon):
    """The evaluation duty: the responsible is reminded once before the due date
    and a draft evaluation is prepared; completing it moves the date on."""

    def test_job_prepares_the_evaluation_once(self):
        due = self._requirement(next_evaluation_date=TODAY + relativedelta(days=10))
        later = self._requirement(name="Later", next_evaluation_date=TODAY + relativedelta(days=20))
        repealed = self._requirement(name="Old", next_evaluation_date=TODAY)
        repealed.action_repeal()
        activity_type = self.env.ref("kam_management.mail_activity_kam_compliance_evaluation")
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.assertEqual(due.activity_ids.activity_type_id, activity_type)
        self.assertEqual(due.activity_ids.user_id, self.kam_officer)
        self.assertEqual(due.activity_ids.date_deadline, due.next_evaluation_date)
        draft = due.evaluation_ids
        self.assertEqual(len(draft), 1)
        self.assertEqual(
            (draft.state, draft.date, draft.user_id),
            ("draft", TODAY + relativedelta(days=10), self.kam_officer),
        )
        self.assertFalse(later.activity_ids or later.evaluation_ids)
        self.assertFalse(repealed.activity_ids or repealed.evaluation_ids)
        # the evaluation is done early (dated today): the reminder closes, the next
        # evaluation is a year after the due date
        draft.write({"date": TODAY, "result": "compliant", "evidence": EVIDENCE})
        draft.action_done()
        self.assertFalse(due.activity_ids)
        self.assertEqual(due.next_evaluation_date, TODAY + relativedelta(days=10, years=1))
        self.assertEqual(due.kam_duty_state, "pending")

    def test_draft_made_by_hand_is_used(self):
        requirement = self._requirement(next_evaluation_date=TODAY)
        mine = self._evaluation(requirement)
        self.env["kam.requirement"]._kam_duty_run()
        self.assertEqual(requirement.evaluation_ids, mine)
        self.assertEqual(requirement.action_evaluate()["res_id"], mine.id)
        # without a draft, the button opens a new one for this requirement
        mine.unlink()
        action = requirement.action_evaluate()
        self.assertFalse(action["res_id"])
        self.assertEqual(action["context"]["default_requirement_id"], requirement.id)

    def test_job_is_flat(self):
        """The query count per chunk does not grow with the requirements due (1 vs 40)."""

        def make(count):
            self.Requirement.create(
                [
                    {
                        "name": f"Requirement {i}",
                        "user_id": self.kam_officer.id,
                        "next_evaluation_date": TODAY + relativedelta(days=i % 10),
                    }
                    for i in range(count)
                ]
            )

        def run():
            self.Requirement._kam_duty_run()

        make(1)
        q1 = count_queries(self.env, run)
        make(40)
        q40 = count_queries(self.env, run)
        self.assertLessEqual(q40, q1 + 3, f"{q1} queries for 1 requirement, {q40} for 40")
        self.assertEqual(self.Evaluation.search_count([]), 41)

    def test_register_export_is_flat(self):
        """The legal register and the evaluations: queries per chunk, not per row."""
        Requirement = self.Requirement.with_user(self.kam_officer)

        def make(count):
            requirements = self.Requirement.create(
                [
                    {
                        "name": f"Requirement {i}",
                        "user_id": self.kam_officer.id,
                        "theme_ids": [(6, 0, self.environment.ids)],
                    }
                    for i in range(count)
                ]
            )
            self.Evaluation.create(
                [
                    {
                        "requirement_id": requirement.id,
                        "date": TODAY,
                        "result": "compliant",
                        "evidence": EVIDENCE,
                        "state": "done",
                    }
                    for requirement in requirements
                ]
            )

        def export():
            Requirement._kam_register_export("requirement")
            self.Evaluation.with_user(self.kam_officer)._kam_register_export(
                "compliance_evaluation"
            )

        make(2)
        q2 = count_queries(self.env, export)
        make(40)
        q42 = count_queries(self.env, export)
        self.assertLessEqual(q42, q2 + 2, f"{q2} queries for 2 requirements, {q42} for 42")
