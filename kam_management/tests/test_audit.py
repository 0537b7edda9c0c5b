"""Audits: the workflow on every write path, checklists, findings as cases with
their deadlines, auditor independence and competence, reminders, registers,
the report, access per group and company."""

import datetime
import io

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamCommon, load_dutch

D = datetime.date
TODAY = D(2026, 3, 16)


class KamAuditCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.kam_standard_ids = [Command.set(cls.iso9001.ids)]
        cls.company.kam_audit_auditor_rule = "block"
        Department = cls.env["hr.department"]
        cls.dept_production = Department.create({"name": "Production"})
        cls.dept_quality = Department.create({"name": "Quality"})
        cls.dept_sales = Department.create({"name": "Sales"})
        Employee = cls.env["hr.employee"]
        cls.emp_officer = Employee.create(
            {
                "name": "Officer",
                "user_id": cls.kam_officer.id,
                "department_id": cls.dept_quality.id,
            }
        )
        cls.emp_user = Employee.create(
            {
                "name": "User",
                "user_id": cls.kam_user.id,
                "department_id": cls.dept_production.id,
            }
        )
        cls.emp_manager = Employee.create(
            {
                "name": "Manager",
                "user_id": cls.kam_manager.id,
                "department_id": cls.dept_sales.id,
            }
        )
        cls.auditor_role = cls.env.ref("kam_management.kam_role_internal_auditor")
        Assignment = cls.env["kam.role.assignment"]
        for employee in (cls.emp_officer, cls.emp_manager):
            Assignment.create(
                {
                    "employee_id": employee.id,
                    "role_id": cls.auditor_role.id,
                    "expiry_date": D(2027, 1, 1),
                }
            )
        cls.clause_84 = cls.env.ref("kam_management.iso9001_2015_c8_4")
        cls.clause_841 = cls.env.ref("kam_management.iso9001_2015_c8_4_1")
        cls.clause_102 = cls.env.ref("kam_management.iso9001_2015_c10_2")
        cls.checklist = cls.env["kam.audit.checklist"].create(
            {
                "name": "Purchasing",
                "standard_ids": [Command.set(cls.iso9001.ids)],
                "question_ids": [
                    Command.create(
                        {"display_type": "line_section", "name": "Suppliers", "sequence": 1}
                    ),
                    Command.create(
                        {
                            "name": "Are suppliers evaluated?",
                            "sequence": 2,
                            "clause_ids": [Command.set(cls.clause_841.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Are nonconformities closed?",
                            "sequence": 3,
                            "clause_ids": [Command.set(cls.clause_102.ids)],
                        }
                    ),
                ],
            }
        )
        cls.cb = cls.env["res.partner"].create(
            {"name": "Cert Body", "is_company": True, "email": "cb@example.com"}
        )

    def _audit(self, **values):
        vals = {
            "title": "Purchasing",
            "date_planned": TODAY + datetime.timedelta(days=10),
            "lead_auditor_id": self.kam_officer.id,
            "auditee_ids": [Command.set(self.kam_user.ids)],
            "department_ids": [Command.set(self.dept_production.ids)],
            "checklist_id": self.checklist.id,
            "clause_ids": [Command.set(self.clause_84.ids)],
            "standard_ids": [Command.set(self.iso9001.ids)],
        }
        vals.update(values)
        return self.env["kam.audit"].create(vals)

    def _answer_all(self, audit, result="conform"):
        for line in audit.line_ids.filtered(lambda line: line.display_type == "question"):
            line.result = result
            line.evidence = "Seen"


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestAudit(KamAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_dutch(cls.env)

    def test_workflow_findings_and_closing(self):
        audit = self._audit()
        self.assertRegex(audit.name, r"^AUD/2026/\d{4}$")
        # the checklist's questions, in order, with their clauses
        self.assertEqual(audit.line_ids.mapped("display_type"), ["line_section", *["question"] * 2])
        self.assertEqual(audit.line_ids[1].clause_ids, self.clause_841)
        self.assertEqual((audit.question_count, audit.progress), (2, 0.0))
        audit.action_prepare()
        audit.action_start()
        self.assertEqual(audit.date_start, TODAY)
        with self.assertRaisesRegex(UserError, "2 question"):
            audit.action_report()
        conform, major = audit.line_ids.filtered(lambda line: line.display_type == "question")
        conform.result = "conform"
        major.write({"result": "major", "evidence": "Three open NCs older than a year"})
        self.assertEqual(audit.progress, 100.0)
        audit.action_report()
        self.assertEqual(
            (audit.state, audit.reported_date, audit.date_end), ("reported", TODAY, TODAY)
        )
        # one step: the finding becomes a nonconformity linked to audit, line and clause
        audit.action_create_findings()
        case = audit.finding_ids
        self.assertEqual(len(case), 1)
        self.assertEqual(
            (case.case_type, case.source, case.severity, case.audit_line_id, case.clause_ids),
            ("nonconformity", "audit", "major", major, self.clause_102),
        )
        # major: the company's term (90 days) from the last day of the audit
        self.assertEqual(case.deadline, TODAY + datetime.timedelta(days=90))
        self.assertIn("Three open NCs", str(case.description))
        self.assertEqual(major.case_id, case)
        with self.assertRaisesRegex(UserError, "no new findings"):
            audit.action_create_findings()
        # the audit cannot close while its finding is open, whatever path writes
        audit_as_officer = audit.with_user(self.kam_officer)
        with self.assertRaisesRegex(UserError, "finding\\(s\\) are open"):
            audit_as_officer.action_close()
        with self.assertRaisesRegex(UserError, "finding\\(s\\) are open"):
            audit_as_officer.write({"state": "closed"})
        # closing the finding moves the audit on by itself
        case.no_action_reason = "Corrected on the spot"
        case.with_user(self.kam_officer).action_close_no_action()
        self.assertEqual(audit.state, "findings_closed")
        audit_as_officer.action_close()
        self.assertEqual((audit.closed_by_id, audit.closed_date), (self.kam_officer, TODAY))
        # closed: read-only, never deleted; only a manager reopens
        with self.assertRaisesRegex(UserError, "is closed"):
            audit_as_officer.title = "Changed"
        with self.assertRaisesRegex(UserError, "closed: its checklist"):
            conform.with_user(self.kam_officer).evidence = "Changed"
        with self.assertRaisesRegex(UserError, "can be deleted"):
            audit_as_officer.unlink()
        with self.assertRaisesRegex(AccessError, "managers can reopen"):
            audit_as_officer.action_reopen()
        audit.with_user(self.kam_manager).action_reopen()
        self.assertEqual((audit.state, audit.closed_by_id.id), ("findings_closed", False))
        # a reopened finding sends the audit back to reported
        case.with_user(self.kam_officer).action_reopen(reason="Came back")
        self.assertEqual(audit.state, "reported")

    def test_state_guarded_on_every_path(self):
        audit = self._audit()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            audit.write({"state": "reported"})
        with self.assertRaisesRegex(UserError, "set by the workflow"):
            audit.with_user(self.kam_officer).write({"closed_by_id": self.kam_officer.id})
        # a user who audits may prepare and start, not cancel
        self.company.kam_audit_auditor_rule = "warn"
        mine = self._audit(lead_auditor_id=self.kam_user.id, department_ids=[], auditee_ids=[])
        mine.with_user(self.kam_user).action_prepare()
        with self.assertRaisesRegex(AccessError, "officers"):
            mine.with_user(self.kam_user).write({"state": "cancelled"})
        mine.with_user(self.kam_officer).action_cancel()
        self.assertEqual(mine.state, "cancelled")

    def test_empty_audit_cannot_be_prepared(self):
        audit = self._audit(checklist_id=False)
        with self.assertRaisesRegex(UserError, "no questions"):
            audit.action_prepare()

    def test_dates_reversed(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._audit(date_planned=TODAY, date_planned_end=TODAY - datetime.timedelta(days=1))
        audit = self._audit()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            audit.write({"date_start": TODAY, "date_end": TODAY - datetime.timedelta(days=2)})
            audit.env.flush_all()

    def test_independence_block_and_warn(self):
        # the production employee cannot audit production, nor be auditee and auditor
        with self.assertRaisesRegex(ValidationError, "own department"):
            self._audit(lead_auditor_id=self.kam_user.id)
        with self.assertRaisesRegex(ValidationError, "own work"):
            self._audit(
                department_ids=[],
                auditee_ids=[Command.set(self.kam_officer.ids)],
            )
        self.company.kam_audit_auditor_rule = "warn"
        audit = self._audit(lead_auditor_id=self.kam_user.id)
        self.assertIn("own department (Production)", audit.independence_issue)
        self.assertIn("does not hold the role", audit.competence_issue)

    def test_competence_from_the_auditor_role(self):
        audit = self._audit()
        self.assertFalse(audit.competence_issue)
        # the certificate must still be valid on the planned date
        late = self._audit(date_planned=D(2027, 2, 1))
        self.assertIn("expires on", late.competence_issue)
        with self.assertRaisesRegex(UserError, "competent"):
            late.action_prepare()
        # external audits are the certification body's business
        external = self._audit(
            audit_type="surveillance",
            lead_auditor_id=self.kam_user.id,
            department_ids=[],
            auditee_ids=[],
            checklist_id=False,
        )
        self.assertFalse(external.competence_issue)
        external.action_prepare()

    def test_copy_last_audit_of_the_same_scope(self):
        first = self._audit(date_planned=D(2025, 3, 1))
        self._answer_all(first, "minor")
        second = self._audit(checklist_id=False)
        self.assertEqual(second.scope_key, first.scope_key)
        second.action_copy_last_audit()
        self.assertEqual(second.line_ids.mapped("name"), first.line_ids.mapped("name"))
        self.assertFalse(any(second.line_ids.mapped("result")))
        other = self._audit(checklist_id=False, process="Sales")
        with self.assertRaisesRegex(UserError, "no earlier audit"):
            other.action_copy_last_audit()

    def test_external_finding_follows_the_certificate(self):
        certificate = self.env["kam.certificate"].create(
            {
                "name": "CB-1",
                "standard_id": self.iso9001.id,
                "certification_body_id": self.cb.id,
                "date_valid_from": D(2025, 1, 1),
                "date_valid_until": D(2027, 12, 31),
                "kam_major_nc_days": 60,
            }
        )
        audit = self._audit(
            audit_type="surveillance",
            certificate_id=certificate.id,
            department_ids=[],
            auditee_ids=[],
        )
        audit.action_prepare()
        audit.action_start()
        question = audit.line_ids.filtered(lambda line: line.display_type == "question")[0]
        question.result = "major"
        question.action_create_finding()
        self.assertEqual(audit.finding_ids.deadline, TODAY + datetime.timedelta(days=60))
        self.assertEqual(certificate.finding_ids, audit.finding_ids)
        self.assertEqual(certificate.open_finding_count, 1)
        # an observation becomes an improvement suggestion without deadline
        other = audit.line_ids.filtered(lambda line: line.display_type == "question")[1]
        other.result = "observation"
        other.action_create_finding()
        improvement = other.case_id
        self.assertEqual((improvement.case_type, improvement.deadline), ("improvement", False))

    def test_reminder_activity_and_mail(self):
        # system mails are in the company's language
        self.company.partner_id.lang = "nl_NL"
        audit = self._audit(
            external_auditor_ids=[Command.set(self.cb.ids)],
            date_planned=TODAY + datetime.timedelta(days=14),
        )
        self.kam_user.partner_id.email = "user@example.com"
        self.kam_officer.partner_id.email = "officer@example.com"
        not_due = self._audit(date_planned=TODAY + datetime.timedelta(days=15))
        self.env["kam.audit"]._kam_duty_run()
        self.assertEqual(audit.kam_duty_state, "reminded")
        self.assertEqual(not_due.kam_duty_state, "pending")
        activity = audit.activity_ids
        self.assertEqual(activity.user_id, self.kam_officer)
        mails = self.env["mail.mail"].search(
            [("model", "=", "kam.audit"), ("res_id", "=", audit.id)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn(audit.name, mails.subject)
        self.assertIn("is gepland op", str(mails.body_html))
        self.assertEqual(
            set(mails.recipient_ids.mapped("email")),
            {"user@example.com", "officer@example.com", "cb@example.com"},
        )
        # once per planned date
        self.env["kam.audit"]._kam_duty_run()
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "kam.audit"), ("res_id", "=", audit.id)]
            ),
            1,
        )

    def test_registers_and_report(self):
        audit = self._audit()
        audit.action_prepare()
        audit.action_start()
        self._answer_all(audit, "minor")
        audit.action_report()
        audit.action_create_findings()
        _name, content = self.env["kam.audit"]._kam_register_export("audit_programme")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        self.assertEqual([row[0] for row in rows], [audit.name])
        _name, content = self.env["kam.audit.line"]._kam_register_export("audit_findings")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        self.assertEqual(len(rows), 2)
        self.assertEqual({row[5] for row in rows}, {"Minor nonconformity"})
        self.assertEqual({row[7] for row in rows}, set(audit.finding_ids.mapped("name")))
        # the report in English and in Dutch
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("kam_management.action_report_kam_audit", audit.ids)[0]
        self.assertIn(b"Audit report", html)
        self.assertIn(b"Are suppliers evaluated?", html)
        audit.report_lang = "nl_NL"
        html = report._render_qweb_html("kam_management.action_report_kam_audit", audit.ids)[0]
        self.assertTrue(b"Auditrapport" in html, "the report is in Dutch")


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestAuditAccess(KamAuditCommon):
    def test_user_reads_own_audits_and_checklists(self):
        audit = self._audit()
        hidden = self._audit(auditee_ids=[])
        Audit = self.env["kam.audit"].with_user(self.kam_user)
        self.assertEqual(Audit.search([("id", "in", (audit | hidden).ids)]), audit)
        self.assertEqual(audit.with_user(self.kam_user).line_ids, audit.line_ids)
        # an auditee reads, does not write, the audit nor its answers
        with self.assertRaises(AccessError):
            audit.with_user(self.kam_user).title = "Mine now"
        with self.assertRaises(AccessError):
            audit.line_ids[1].with_user(self.kam_user).result = "conform"
        with self.assertRaises(AccessError):
            Audit.create({"title": "x", "date_planned": TODAY})
        # checklists: read by users, maintained by officers
        self.assertTrue(self.checklist.with_user(self.kam_user).question_ids)
        with self.assertRaises(AccessError):
            self.checklist.with_user(self.kam_user).name = "Mine"
        self.checklist.with_user(self.kam_officer).name = "Purchasing (v2)"

    def test_auditor_answers_the_checklist(self):
        self.company.kam_audit_auditor_rule = "warn"
        audit = self._audit(lead_auditor_id=self.kam_user.id, department_ids=[])
        audit.with_user(self.kam_user).action_prepare()
        audit.with_user(self.kam_user).action_start()
        audit.line_ids[1].with_user(self.kam_user).result = "minor"
        audit.line_ids[1].with_user(self.kam_user).action_create_finding()
        self.assertEqual(audit.finding_ids.reported_by_id, self.kam_user)

    def test_other_company(self):
        audit = self._audit()
        with self.assertRaises(AccessError):
            audit.with_user(self.user_company_2).read(["title"])
        self.assertFalse(
            self.env["kam.audit"].with_user(self.user_company_2).search([("id", "=", audit.id)])
        )
        with self.assertRaises(AccessError):
            audit.line_ids.with_user(self.user_company_2).read(["name"])

    def test_programme_approval_is_for_managers(self):
        programme = self.env["kam.audit.programme"].create(
            {"name": "2026", "date_start": D(2026, 1, 1)}
        )
        self.assertEqual(programme.date_end, D(2026, 12, 31))
        with self.assertRaisesRegex(AccessError, "managers"):
            programme.with_user(self.kam_officer).action_approve()
        with self.assertRaises(AccessError):
            programme.with_user(self.kam_user).name = "Mine"
        programme.with_user(self.kam_manager).action_approve()
        self.assertEqual(programme.approved_by_id, self.kam_manager)
