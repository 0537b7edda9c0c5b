"""The audit programme: risk-weighted frequencies, idempotent generation with
flat query counts, the coverage matrix, overdue audits; certificates and their
cycle, notifiable accidents shown on a health and safety certificate."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_audit import KamAuditCommon
from .test_cron import count_queries

D = datetime.date


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestAuditProgramme(KamAuditCommon):
    def _programme(self, lines):
        programme = self.env["kam.audit.programme"].create(
            {
                "name": "2026",
                "date_start": D(2026, 1, 1),
                "standard_ids": [Command.set(self.iso9001.ids)],
                "line_ids": [Command.create(values) for values in lines],
            }
        )
        programme.with_user(self.kam_manager).action_approve()
        return programme

    def _line(self, department, **values):
        return dict(
            {
                "name": department.name,
                "department_id": department.id,
                "standard_ids": [Command.set(self.iso9001.ids)],
                "clause_ids": [Command.set(self.clause_84.ids)],
                "lead_auditor_id": self.kam_manager.id,
                "frequency": "yearly",
                "date_first": D(2026, 2, 1),
            },
            **values,
        )

    def test_risk_moves_the_frequency_and_generation_is_idempotent(self):
        # the audit of production last year found a major nonconformity
        earlier = self._audit(
            date_planned=D(2025, 5, 1),
            lead_auditor_id=self.kam_manager.id,
            process=False,
            clause_ids=[Command.set(self.clause_84.ids)],
        )
        earlier.write({"state": "prepared"})
        earlier.write({"state": "in_progress"})
        self._answer_all(earlier, "major")
        earlier.write({"state": "reported"})
        programme = self._programme(
            [
                self._line(self.dept_production),
                self._line(self.dept_quality, importance="high", recent_changes=True),
                self._line(self.dept_sales, importance="low", lead_auditor_id=self.kam_officer.id),
            ]
        )
        production, quality, sales = programme.line_ids
        self.assertEqual(production.scope_key, earlier.scope_key)
        self.assertEqual(production.previous_major_count, 2)
        self.assertEqual([line.risk_level for line in programme.line_ids], ["high", "high", "low"])
        self.assertEqual(
            [line.effective_frequency for line in programme.line_ids],
            ["half_yearly", "half_yearly", "two_yearly"],
        )
        audits = programme.action_generate()
        self.assertEqual(len(audits), 5)
        self.assertEqual(
            sorted(production.audit_ids.mapped("date_planned")), [D(2026, 2, 1), D(2026, 8, 1)]
        )
        self.assertEqual(sales.audit_ids.date_planned, D(2026, 2, 1))
        # the questions of the line's checklist come along; the line's clauses too
        self.assertEqual(production.audit_ids.clause_ids, self.clause_84)
        # again: nothing new
        self.assertFalse(programme.action_generate())
        self.assertEqual(programme.audit_count, 5)
        # the risk goes down: the planned audit of the dropped period goes away
        quality.write({"importance": "normal", "recent_changes": False})
        self.assertEqual(quality.effective_frequency, "yearly")
        self.assertFalse(programme.action_generate())
        self.assertEqual(quality.audit_ids.mapped("date_planned"), [D(2026, 2, 1)])

    def test_generation_needs_approval(self):
        programme = self.env["kam.audit.programme"].create(
            {
                "name": "Draft",
                "date_start": D(2026, 1, 1),
                "line_ids": [Command.create(self._line(self.dept_production))],
            }
        )
        with self.assertRaisesRegex(UserError, "approves it"):
            programme.action_generate()
        with self.assertRaisesRegex(UserError, "can be deleted"):
            programme.with_user(self.kam_manager).action_approve()
            programme.action_generate()
            programme.unlink()

    def test_line_cannot_be_audited_by_its_own_department(self):
        with self.assertRaisesRegex(Exception, "own department"):
            self._programme([self._line(self.dept_production, lead_auditor_id=self.kam_user.id)])

    def test_generation_queries_flat(self):
        departments = self.env["hr.department"].create(
            [{"name": f"Department {i}"} for i in range(10)]
        )
        one = self._programme([self._line(departments[0])])
        many = self._programme([self._line(department) for department in departments])
        self.env.invalidate_all()
        queries_one = count_queries(self.env, one.action_generate)
        queries_many = count_queries(self.env, many.action_generate)
        self.assertEqual(len(many.audit_ids), 10 * len(one.audit_ids))
        self.assertLessEqual(queries_many, queries_one + 10, (queries_one, queries_many))

    def test_coverage_matrix(self):
        held = self._audit(date_planned=D(2026, 2, 2), checklist_id=False)
        self.env["kam.audit.line"].create(
            {
                "audit_id": held.id,
                "name": "Evaluated?",
                "clause_ids": [Command.set(self.clause_841.ids)],
            }
        )
        held.write({"state": "prepared"})
        held.write({"state": "in_progress"})
        held.line_ids.result = "minor"
        held.write({"state": "reported"})
        self._audit(date_planned=D(2026, 9, 1), clause_ids=[Command.set(self.clause_102.ids)])
        Coverage = self.env["kam.audit.coverage"].with_user(self.kam_officer)

        def row(clause):
            return Coverage.search(
                [
                    ("clause_id", "=", clause.id),
                    ("year", "=", 2026),
                    ("company_id", "=", self.company.id),
                ]
            )

        # the scope (8.4) covers 8.4 and its sub-clauses; the line names 8.4.1
        self.assertEqual((row(self.clause_84).done_count, row(self.clause_841).done_count), (1, 1))
        self.assertEqual(row(self.clause_841).finding_count, 1)
        self.assertEqual(row(self.clause_841).last_audit_date, D(2026, 3, 16))
        # 10.2 is only planned; 7.2 is in no audit at all: both "not audited"
        clause_72 = self.env.ref("kam_management.iso9001_2015_c7_2")
        self.assertEqual(
            (row(self.clause_102).is_covered, row(self.clause_102).planned_count), (False, 1)
        )
        self.assertEqual((row(clause_72).is_covered, row(clause_72).planned_count), (False, 0))
        not_covered = Coverage.search_count(
            [("is_covered", "=", False), ("year", "=", 2026), ("company_id", "=", self.company.id)]
        )
        total = self.env["kam.standard.clause"].search_count(
            [("standard_id", "=", self.iso9001.id)]
        )
        self.assertEqual(not_covered, total - 1 - len(self.clause_84.child_ids))
        # another company sees none of it
        self.assertFalse(
            self.env["kam.audit.coverage"]
            .with_user(self.user_company_2)
            .search([("company_id", "=", self.company.id)])
        )

    def test_coverage_is_one_query(self):
        """The matrix is one SQL query whatever the number of audits and lines."""
        Coverage = self.env["kam.audit.coverage"].with_user(self.kam_officer)

        def pivot():
            Coverage._read_group([], ["clause_id", "year"], ["done_count:sum"])

        self._audit(date_planned=D(2026, 4, 1))
        pivot()  # warm the caches (access rules, fields) once
        one = count_queries(self.env, pivot)
        for day in range(1, 21):
            self._audit(date_planned=D(2026, 5, day))
        pivot()
        self.assertEqual(count_queries(self.env, pivot), one)
        self.assertEqual(one, 1)

    def test_overdue(self):
        late = self._audit(date_planned=D(2026, 3, 1))
        on_time = self._audit(date_planned=D(2026, 3, 20))
        found = self.env["kam.audit"].search(
            [("is_overdue", "=", True), ("id", "in", (late | on_time).ids)]
        )
        self.assertEqual(found, late)
        late.action_prepare()
        late.action_start()
        self.assertFalse(late.is_overdue)


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestCertificate(KamAuditCommon):
    def _certificate(self, standard):
        return self.env["kam.certificate"].create(
            {
                "name": "CB-1",
                "standard_id": standard.id,
                "certification_body_id": self.cb.id,
                "date_valid_from": D(2025, 6, 1),
                "date_valid_until": D(2028, 5, 31),
            }
        )

    def test_cycle_audits_planned_once(self):
        certificate = self._certificate(self.iso9001)
        audits = certificate.action_plan_audits()
        self.assertEqual(
            [(a.audit_type, a.date_planned) for a in audits.sorted("date_planned")],
            [
                ("surveillance", D(2026, 6, 1)),
                ("surveillance", D(2027, 6, 1)),
                ("recertification", D(2028, 2, 29)),
            ],
        )
        self.assertEqual(audits.partner_id, self.cb)
        self.assertFalse(certificate.action_plan_audits())
        self.assertEqual(certificate.next_audit_date, D(2026, 6, 1))

    def test_notifiable_accidents_on_a_health_and_safety_certificate(self):
        certificate = self._certificate(self.iso45001)
        quality = self._certificate(self.iso9001)
        incident = self.env["kam.case"].create(
            {
                "case_type": "incident",
                "title": "Fall from a ladder",
                "date_found": D(2026, 2, 1),
                "treatment": "hospital",
            }
        )
        self.assertTrue(incident.is_notifiable)
        self.assertEqual(certificate.notifiable_case_ids, incident)
        self.assertEqual(certificate.uninformed_count, 1)
        self.assertFalse(quality.notifiable_case_ids)
        incident.cb_informed_date = D(2026, 2, 2)
        certificate.invalidate_recordset()
        self.assertEqual(certificate.uninformed_count, 0)
