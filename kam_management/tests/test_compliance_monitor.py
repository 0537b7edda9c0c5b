from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCommon
from .test_audit import KamAuditCommon
from .test_document import KamDocumentCommon

D = date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 09:00:00")
class TestComplianceMonitor(KamCommon):
    """The clause compliance monitor on crafted records: counts per clause
    (sub-clauses included), the latest date, what needs attention, what is
    missing, and the records behind a cell."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        ref = cls.env.ref
        cls.c10 = ref("kam_management.iso9001_2015_c10")
        cls.c10_2 = ref("kam_management.iso9001_2015_c10_2")
        cls.c10_2_1 = ref("kam_management.iso9001_2015_c10_2_1")
        cls.c8_4 = ref("kam_management.iso9001_2015_c8_4")
        cls.c9_2 = ref("kam_management.iso9001_2015_c9_2")
        Case = cls.env["kam.case"]
        cls.case_ok = Case.create(
            {
                "title": "Drawing",
                "date_found": D(2026, 1, 5),
                "clause_ids": [Command.set(cls.c10_2_1.ids)],
            }
        )
        cls.case_late = Case.create(
            {
                "title": "Late answer",
                "date_found": D(2026, 2, 1),
                "deadline": D(2026, 3, 1),
                "clause_ids": [Command.set((cls.c10_2 | cls.c10_2_1).ids)],
            }
        )
        cls.case_finding = Case.create(
            {
                "title": "Major finding",
                "date_found": D(2026, 2, 20),
                "source": "audit",
                "severity": "major",
                "clause_ids": [Command.set(cls.c8_4.ids)],
            }
        )
        cls.case_other_company = Case.create(
            {
                "title": "Other company",
                "company_id": cls.company_2.id,
                "date_found": D(2026, 3, 1),
                "clause_ids": [Command.set(cls.c10_2.ids)],
            }
        )
        cls.hazard = cls.env["kam.risk"].create(
            dict(
                cls._hazard_factors(),
                name="Forklift",
                review_date=D(2026, 2, 1),
                clause_ids=[Command.set(cls.c8_4.ids)],
            )
        )
        cls.Monitor = cls.env["kam.compliance.monitor"]

    def _data(self, user=None):
        monitor = self.Monitor.with_user(user or self.kam_officer)
        return monitor.get_monitor_data(self.env.ref("kam_management.kam_standard_iso9001_2015").id)

    def _cell(self, data, clause, model):
        row = next(row for row in data["rows"] if row["id"] == clause.id)
        return row["cells"][model]

    def test_counts_dates_and_states(self):
        data = self._data()
        self.assertIn("kam.case", [c["model"] for c in data["columns"]])
        self.assertIn("kam.risk", [c["model"] for c in data["columns"]])
        # 10.2.1: two cases, one of them overdue
        cell = self._cell(data, self.c10_2_1, "kam.case")
        self.assertEqual((cell["count"], cell["late"], cell["state"]), (2, 1, "overdue"))
        self.assertEqual(cell["date"], "2026-02-01")
        # 10 and 10.2 count their sub-clauses, each case once; the other company's not
        for clause in (self.c10, self.c10_2):
            cell = self._cell(data, clause, "kam.case")
            self.assertEqual((cell["count"], cell["late"]), (2, 1), clause.number)
        # 8.4: an open major audit finding and a hazard past its review date
        cell = self._cell(data, self.c8_4, "kam.case")
        self.assertEqual((cell["count"], cell["late"], cell["state"]), (1, 1, "overdue"))
        cell = self._cell(data, self.c8_4, "kam.risk")
        self.assertEqual((cell["count"], cell["late"], cell["state"]), (1, 1, "overdue"))
        # 9.2: nothing, nothing expected
        self.assertEqual(self._cell(data, self.c9_2, "kam.case")["state"], "none")
        # closing the overdue case clears the warning
        self.case_late.write({"no_action_needed": True, "no_action_reason": "Handled"})
        self.case_late.action_close()
        cell = self._cell(self._data(), self.c10_2_1, "kam.case")
        self.assertEqual((cell["count"], cell["late"], cell["state"]), (2, 0, "ok"))

    def test_missing_when_expected(self):
        # an evidence type expected within 12 months (as audits are in the audit cycle)
        Case = type(self.env["kam.case"])
        with patch.object(Case, "_clause_evidence_expected_months", lambda self, company: 12):
            data = self._data()
        self.assertEqual(self._cell(data, self.c9_2, "kam.case")["state"], "missing")
        self.assertEqual(self._cell(data, self.c10_2_1, "kam.case")["state"], "overdue")
        row = next(row for row in data["rows"] if row["id"] == self.c9_2.id)
        self.assertEqual(row["state"], "missing")
        with (
            freeze_time("2027-03-10"),
            patch.object(Case, "_clause_evidence_expected_months", lambda self, company: 12),
        ):
            data = self._data()
        # the latest case of 10.2.1 is older than 12 months by then
        self.assertEqual(self._cell(data, self.c10_2_1, "kam.case")["state"], "missing")

    def test_open_the_records(self):
        action = self.Monitor.with_user(self.kam_officer).action_open_cell(self.c10.id, "kam.case")
        records = self.env["kam.case"].with_user(self.kam_officer).search(action["domain"])
        self.assertEqual(records, self.case_ok | self.case_late)
        action = self.Monitor.with_user(self.kam_officer).action_open_cell(
            self.c10.id, "kam.case", True
        )
        records = self.env["kam.case"].with_user(self.kam_officer).search(action["domain"])
        self.assertEqual(records, self.case_late)
        with self.assertRaises(AccessError):
            self.Monitor.with_user(self.kam_officer).action_open_cell(self.c10.id, "res.partner")

    def test_default_standard(self):
        """The company's first certified standard, or the edition it is moving to."""
        iso2015 = self.env.ref("kam_management.kam_standard_iso9001_2015")
        iso2026 = self.env.ref("kam_management.kam_standard_iso9001_2026")
        self.env.company.kam_standard_ids = iso2015
        monitor = self.Monitor.with_user(self.kam_officer)
        self.assertEqual(monitor.get_monitor_data()["standard_id"], iso2015.id)
        transition = self.env["kam.standard.transition"].create(
            {"old_standard_id": iso2015.id, "new_standard_id": iso2026.id}
        )
        data = monitor.get_monitor_data()
        self.assertEqual(data["standard_id"], iso2026.id)
        self.assertEqual([s["id"] for s in data["standards"]][:2], [iso2026.id, iso2015.id])
        transition.state = "done"
        self.assertEqual(monitor.get_monitor_data()["standard_id"], iso2015.id)

    def test_officers_only(self):
        with self.assertRaises(AccessError):
            self._data(self.kam_user)

    def test_one_query_per_evidence_type(self):
        self.env.flush_all()
        standard = self.env.ref("kam_management.kam_standard_iso9001_2015")
        monitor = self.Monitor.with_user(self.kam_officer)
        monitor.get_monitor_data(standard.id)  # warm the caches
        queries = []
        for _round in range(2):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            monitor.get_monitor_data(standard.id)
            queries.append(self.cr.sql_log_count - before)
            # many more cases on the same clauses: the same number of queries
            self.env["kam.case"].create(
                [
                    {"title": f"More {i}", "clause_ids": [Command.set(self.c10_2_1.ids)]}
                    for i in range(30)
                ]
            )
            self.env.flush_all()
        self.assertEqual(queries[0], queries[1])


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 09:00:00")
class TestComplianceMonitorAudits(KamAuditCommon):
    """Audits in the monitor: held audits are the evidence, a clause audited covers
    its sub-clauses, a clause never audited in the certification cycle is missing,
    an open major nonconformity of a checklist needs attention."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c9_2 = cls.env.ref("kam_management.iso9001_2015_c9_2")

    def _data(self):
        return (
            self.env["kam.compliance.monitor"]
            .with_user(self.kam_officer)
            .get_monitor_data(self.iso9001.id)
        )

    def _cell(self, data, xmlid, model):
        clause = self.env.ref(f"kam_management.{xmlid}")
        row = next(row for row in data["rows"] if row["id"] == clause.id)
        return row["cells"][model]

    def test_audits_in_the_monitor(self):
        held = self._audit(date_planned=D(2026, 3, 10))
        held.action_prepare()
        held.action_start()
        conform, major = held.line_ids.filtered(lambda line: line.display_type == "question")
        conform.result = "conform"
        major.write({"result": "major", "evidence": "Open NCs older than a year"})
        held.action_report()
        # planned, not held: no evidence yet
        self._audit(title="Internal audit", clause_ids=[Command.set(self.c9_2.ids)])
        data = self._data()
        audits = next(c for c in data["columns"] if c["model"] == "kam.audit")
        self.assertEqual(audits["expected_months"], 36)
        # the scope (8.4) covers 8.4 and its sub-clauses, and counts for chapter 8
        for xmlid in ("iso9001_2015_c8_4", "iso9001_2015_c8_4_2", "iso9001_2015_c8"):
            cell = self._cell(data, xmlid, "kam.audit")
            self.assertEqual((cell["count"], cell["state"]), (1, "ok"), xmlid)
        # never audited in the cycle (the planned audit does not count)
        for xmlid in ("iso9001_2015_c9_2", "iso9001_2015_c4_1"):
            cell = self._cell(data, xmlid, "kam.audit")
            self.assertEqual((cell["count"], cell["state"]), (0, "missing"), xmlid)
        # the major nonconformity of the checklist (clause 10.2) needs attention
        cell = self._cell(data, "iso9001_2015_c10_2", "kam.audit.line")
        self.assertEqual((cell["count"], cell["late"], cell["state"]), (1, 1, "overdue"))
        action = (
            self.env["kam.compliance.monitor"]
            .with_user(self.kam_officer)
            .action_open_cell(self.env.ref("kam_management.iso9001_2015_c8_4_2").id, "kam.audit")
        )
        self.assertEqual(self.env["kam.audit"].search(action["domain"]), held)
        # the finding closed: nothing needs attention any more
        held.action_create_findings()
        finding = held.finding_ids
        finding.write({"no_action_needed": True, "no_action_reason": "Cleared"})
        finding.action_close()
        cell = self._cell(self._data(), "iso9001_2015_c10_2", "kam.audit.line")
        self.assertEqual((cell["late"], cell["state"]), (0, "ok"))


@tagged("post_install", "-at_install")
@freeze_time("2026-03-16 09:00:00")
class TestComplianceMonitorDocuments(KamDocumentCommon):
    """Controlled documents in the monitor (7.5): documents in force are the
    evidence, dated by their effective date; drafts and obsolete documents are
    not; a document in force past its review date needs attention."""

    def _cell(self, clause):
        data = (
            self.env["kam.compliance.monitor"]
            .with_user(self.kam_officer)
            .get_monitor_data(self.env.ref("kam_management.kam_standard_iso9001_2015").id)
        )
        self.assertIn("kam.document", [c["model"] for c in data["columns"]])
        row = next(row for row in data["rows"] if row["id"] == clause.id)
        return row["cells"]["kam.document"]

    def test_documents_in_the_monitor(self):
        c7_5_1 = self.env.ref("kam_management.iso9001_2015_c7_5_1")
        c7_5_3 = self.env.ref("kam_management.iso9001_2015_c7_5_3")
        clauses = [Command.set((c7_5_1 | c7_5_3).ids)]
        draft = self._document(name="Document control", clause_ids=clauses)
        self._version(draft)
        self.assertEqual(self._cell(c7_5_3)["state"], "none", "a draft is no evidence")
        in_force = self._document(name="Records", clause_ids=clauses)
        self._release(in_force)
        in_force.review_date = D(2026, 9, 1)
        cell = self._cell(c7_5_3)
        self.assertEqual((cell["count"], cell["late"], cell["state"]), (1, 0, "ok"))
        self.assertEqual(cell["date"], "2026-03-16")
        with freeze_time("2026-09-02"):
            cell = self._cell(c7_5_3)
            self.assertEqual((cell["count"], cell["late"], cell["state"]), (1, 1, "overdue"))
            action = (
                self.env["kam.compliance.monitor"]
                .with_user(self.kam_officer)
                .action_open_cell(c7_5_1.id, "kam.document", True)
            )
            self.assertEqual(self.Document.search(action["domain"]), in_force)
        # withdrawn: obsolete, no longer evidence
        in_force.current_version_id.with_user(self.kam_manager).action_withdraw()
        self.assertEqual(in_force.state, "obsolete")
        self.assertEqual(self._cell(c7_5_3)["state"], "none")
