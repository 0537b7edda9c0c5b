"""Controlled documents: versions, the explicit workflow (editing a draft never
asks for anything, an approved version never changes), approval rules,
release, withdrawal, periodic review and what may be deleted."""

import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamCommon

TODAY = datetime.date(2026, 3, 16)


class KamDocumentCommon(KamCommon):
    """Departments (production with a welding team below it, sales), employees
    with and without a user, and helpers to make and release documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["hr.department"]
        cls.production = Department.create({"name": "Production"})
        cls.welding = Department.create({"name": "Welding", "parent_id": cls.production.id})
        cls.sales = Department.create({"name": "Sales"})
        cls.welder_job = cls.env["hr.job"].create({"name": "Welder"})
        Employee = cls.env["hr.employee"]
        cls.emp_user = Employee.create(
            {"name": "Wendy Welder", "department_id": cls.welding.id, "user_id": cls.kam_user.id}
        )
        cls.emp_prod = Employee.create(
            {"name": "Piet Production", "department_id": cls.production.id}
        )
        cls.emp_sales = Employee.create({"name": "Sam Sales", "department_id": cls.sales.id})
        cls.emp_officer = Employee.create(
            {"name": "Olga Officer", "department_id": cls.sales.id, "user_id": cls.kam_officer.id}
        )
        cls.emp_other_company = Employee.create(
            {
                "name": "Carl Company Two",
                "company_id": cls.company_2.id,
                "user_id": cls.user_company_2.id,
            }
        )
        cls.Document = cls.env["kam.document"]
        cls.Version = cls.env["kam.document.version"]
        cls.Ack = cls.env["kam.document.acknowledgement"]

    @classmethod
    def _document(cls, **values):
        vals = {
            "code": f"PR-{cls.Document.with_context(active_test=False).search_count([]) + 1:02d}",
            "name": "Welding procedure",
            "doc_type": "procedure",
            "user_id": cls.kam_officer.id,
            "department_ids": [Command.set(cls.production.ids)],
        }
        vals.update(values)
        return cls.Document.create(vals)

    @classmethod
    def _version(cls, document, **values):
        vals = {"document_id": document.id, "body": "<p>Weld with extraction.</p>"}
        vals.update(values)
        return cls.Version.create(vals)

    @classmethod
    def _release(cls, document, user=None, **values):
        """A new version of ``document``, submitted, approved and released."""
        version = cls._version(document, **values)
        if version.previous_id and not version.change_summary:
            version.change_summary = "Changed"
        version = version.with_user(user or cls.kam_manager)
        version.action_submit()
        version.action_approve()
        version.action_release()
        return version.with_env(cls.env)

    @classmethod
    def _tasks(cls, document, **domain):
        return cls.Ack.search(
            [("document_id", "=", document.id)] + [(k, "=", v) for k, v in domain.items()]
        )


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestDocumentWorkflow(KamDocumentCommon):
    def test_version_numbers(self):
        document = self._document()
        first = self._release(document, revision="minor")
        self.assertEqual((first.name, first.revision), ("1.0", "major"), "a first version is 1.0")
        minor = self._release(document, revision="minor")
        self.assertEqual(minor.name, "1.1")
        self.assertEqual(minor.previous_id, first)
        major = self._version(document, revision="major", change_summary="New machine")
        self.assertEqual(major.name, "2.0")
        major.revision = "minor"
        self.assertEqual(major.name, "1.2", "the number follows the kind of revision")
        major.action_cancel()
        again = self._version(document, revision="minor", change_summary="Typo")
        self.assertEqual(again.name, "1.2", "a cancelled version leaves its number")
        self.assertEqual(again.previous_id, minor)

    def test_editing_a_draft_asks_nothing(self):
        document = self._document(reviewer_ids=[Command.set(self.kam_user.ids)])
        version = self._version(document)
        for body in ("<p>One</p>", "<p>Two</p>", "<p>Three</p>"):
            version.body = body
        self.assertEqual(version.state, "draft")
        self.assertFalse(version.activity_ids, "saving a draft gives nobody a task")
        self.assertFalse(version.submitted_by_id)
        self.assertFalse(self._tasks(document))

    def test_submit_checks_the_content(self):
        document = self._document()
        empty = self._version(document, body="<p> </p>")
        with self.assertRaisesRegex(UserError, "Write the text"):
            empty.action_submit()
        empty.write({"content_type": "file", "body": False})
        with self.assertRaisesRegex(UserError, "Attach the file"):
            empty.action_submit()
        empty.write({"file": b"JVBERi0xLjQ=", "file_name": "wi.pdf"})
        empty.action_submit()
        self.assertEqual(empty.state, "review")
        empty.with_user(self.kam_manager).action_approve()
        empty.with_user(self.kam_officer).action_release()
        second = self._version(document)
        with self.assertRaisesRegex(UserError, "Describe what changed"):
            second.action_submit()

    def test_approved_versions_never_change(self):
        document = self._document()
        version = self._version(document)
        version.action_submit()
        with self.assertRaisesRegex(UserError, "can no longer be changed; make a new version"):
            version.with_user(self.kam_officer).body = "<p>Slipped in</p>"
        version.with_user(self.kam_officer).action_approve()
        for vals in ({"body": "<p>x</p>"}, {"change_summary": "x"}, {"revision": "minor"}):
            with self.assertRaises(UserError):
                version.with_user(self.kam_manager).write(vals)
        version.with_user(self.kam_officer).action_release()
        with self.assertRaises(UserError):
            version.with_user(self.kam_manager).body = "<p>after release</p>"
        # a change is a new version, a copy of the effective one
        new = self.Version.browse(document.action_new_version()["res_id"])
        self.assertEqual((new.state, new.previous_id, new.body), ("draft", version, version.body))
        self.assertEqual(document.action_new_version()["res_id"], new.id, "one in progress")
        with self.assertRaisesRegex(UserError, "already has a version in preparation"):
            self._version(document)

    def test_the_workflow_sets_who_and_when(self):
        document = self._document()
        version = self._version(document)
        for field in ("approved_by_id", "approved_date", "effective_date", "previous_id"):
            with self.assertRaisesRegex(UserError, "set by the workflow"):
                version.with_user(self.kam_officer).write({field: False})
        version.with_user(self.kam_officer).action_submit()
        self.assertEqual(version.submitted_by_id, self.kam_officer)
        version.with_user(self.kam_manager).action_approve()
        self.assertEqual(version.approved_by_id, self.kam_manager)
        self.assertEqual(version.approved_date, datetime.datetime(2026, 3, 16, 9, 0))
        version.with_user(self.kam_officer).action_release()
        self.assertEqual(
            (version.released_by_id, version.effective_date), (self.kam_officer, TODAY)
        )
        # a transition the workflow does not know is refused, also through write()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            version.with_user(self.kam_manager).write({"state": "draft"})

    def test_release_replaces_the_effective_version(self):
        document = self._document(review_frequency="yearly")
        first = self._release(document)
        self.assertEqual((document.state, document.current_version_id), ("effective", first))
        self.assertEqual(document.effective_date, TODAY)
        self.assertEqual(document.review_date, datetime.date(2027, 3, 16))
        second = self._release(document, revision="major")
        self.assertEqual(document.current_version_id, second)
        self.assertEqual((first.state, first.obsolete_date), ("obsolete", TODAY))
        self.assertIn("Version 2.0 released", document.message_ids[0].body)
        self.assertEqual(len(document.version_ids), 2, "obsolete versions are kept")

    def test_who_may_approve_and_release(self):
        document = self._document(approver_ids=[Command.set(self.kam_user.ids)])
        version = self._version(document)
        version.action_submit()
        with self.assertRaisesRegex(AccessError, "Only the approvers"):
            version.with_user(self.kam_officer).action_approve()
        # an approver need not be an officer; a KAM user approves the versions of
        # documents that name them (record rules let them write those)
        version.with_user(self.kam_user).action_approve()
        self.assertEqual(version.approved_by_id, self.kam_user)
        with self.assertRaisesRegex(AccessError, "Only KAM officers can release"):
            version.with_user(self.kam_user).action_release()
        version.with_user(self.kam_officer).action_release()
        # no approvers named: any officer, not a user
        other = self._version(self._document(approver_ids=False))
        other.action_submit()
        with self.assertRaises(AccessError):
            other.with_user(self.kam_user).write({"state": "approved"})
        other.with_user(self.kam_officer).write({"state": "approved"})

    def test_policies_and_manuals_are_approved_by_managers(self):
        for doc_type in ("policy", "manual"):
            document = self._document(doc_type=doc_type, approver_ids=False)
            version = self._version(document)
            version.action_submit()
            with self.assertRaisesRegex(AccessError, "Only KAM managers can approve a policy"):
                version.with_user(self.kam_officer).action_approve()
            version.with_user(self.kam_manager).action_approve()
            self.assertEqual(version.state, "approved")
        procedure = self._version(self._document(approver_ids=False))
        procedure.action_submit()
        procedure.with_user(self.kam_officer).action_approve()
        self.assertEqual(procedure.state, "approved")

    def test_review_tasks_for_reviewers_and_approvers(self):
        document = self._document(
            reviewer_ids=[Command.set((self.kam_user | self.kam_officer).ids)],
            approver_ids=[Command.set(self.kam_manager.ids)],
        )
        version = self._version(document)
        version.action_submit()
        tasks = {(a.user_id, a.activity_type_id.id) for a in version.activity_ids}
        review = self.env.ref("kam_management.mail_activity_kam_document_version_review").id
        approve = self.env.ref("kam_management.mail_activity_kam_document_version_approve").id
        self.assertEqual(
            tasks,
            {(self.kam_user, review), (self.kam_officer, review), (self.kam_manager, approve)},
        )
        version.with_user(self.kam_manager).action_approve()
        self.assertFalse(version.activity_ids, "the approval ends the review tasks")

    def test_defaults_from_the_settings(self):
        self.company.write(
            {
                "kam_document_reviewer_ids": [Command.set(self.kam_user.ids)],
                "kam_document_approver_ids": [Command.set(self.kam_manager.ids)],
            }
        )
        document = self.Document.create({"code": "WI-01", "name": "Sawing"})
        self.assertEqual(document.reviewer_ids, self.kam_user)
        self.assertEqual(document.approver_ids, self.kam_manager)
        self.assertTrue(document.acknowledge, "procedures and instructions are acknowledged")
        form = self.Document.create({"code": "F-01", "name": "Form", "doc_type": "form"})
        self.assertFalse(form.acknowledge)

    def test_withdraw_and_obsolete_documents(self):
        document = self._document()
        version = self._release(document)
        with self.assertRaises(AccessError):
            version.with_user(self.kam_user).action_withdraw()
        version.with_user(self.kam_officer).action_withdraw()
        self.assertEqual((document.state, version.state), ("obsolete", "obsolete"))
        with self.assertRaisesRegex(UserError, "obsolete"):
            document.with_user(self.kam_officer).name = "Renamed"
        with self.assertRaisesRegex(UserError, "obsolete"):
            self.Version.with_user(self.kam_officer).create({"document_id": document.id})
        with self.assertRaises(UserError):
            document.with_user(self.kam_officer).unlink()
        document.with_user(self.kam_officer).active = False
        self.assertFalse(document.active, "obsolete documents are archived, not deleted")

    def test_what_may_be_deleted(self):
        document = self._document()
        draft = self._version(document)
        draft.with_user(self.kam_officer).unlink()
        self.assertFalse(draft.exists(), "a draft may go")
        version = self._release(document)
        with self.assertRaisesRegex(UserError, "only drafts can be deleted"):
            version.with_user(self.kam_officer).unlink()
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            document.with_user(self.kam_manager).unlink()
        fresh = self._document()
        self._version(fresh)
        fresh.with_user(self.kam_officer).unlink()
        self.assertFalse(fresh.exists(), "a document with only a draft may go")

    def test_code_unique_per_company(self):
        self._document(code="PR-99")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._document(code="PR-99")
        other = self._document(code="PR-99", company_id=self.company_2.id, department_ids=False)
        self.assertEqual(other.display_name, "PR-99 Welding procedure")

    def test_documents_are_action_sources(self):
        document = self._release(self._document()).document_id
        action = self.env["kam.action"].create(
            {
                "name": "Add the new extraction to WI-12",
                "document_id": document.id,
                "deadline": TODAY,
                "user_id": self.kam_officer.id,
            }
        )
        self.assertEqual(action.source_ref, document)
        self.assertEqual((document.action_count, document.open_action_count), (1, 1))
        self.assertEqual(
            document.action_view_actions()["domain"], [("document_id", "=", document.id)]
        )
        self.assertEqual(action._kam_escalation_user(), self.kam_officer, "the owner")

    def test_clause_evidence(self):
        clause = self.env.ref("kam_management.iso9001_2015_c7_5_3")
        document = self._document(clause_ids=[Command.set(clause.ids)])
        self._release(document)
        evidence = self.env["kam.clause.evidence"].search(
            [("clause_id", "=", clause.id), ("res_model", "=", "kam.document")]
        )
        self.assertEqual(evidence.mapped("res_id"), document.ids)
        self.assertEqual(evidence.date, TODAY)


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestDocumentReview(KamDocumentCommon):
    def setUp(self):
        super().setUp()
        self.document = self._document(review_frequency="yearly")
        self.version = self._release(self.document)
        self.document.review_date = datetime.date(2026, 4, 1)

    def _review(self, outcome, user=None, notes="Checked against the new machine"):
        return (
            self.env["kam.document.review"]
            .with_user(user or self.kam_officer)
            .create({"document_id": self.document.id, "outcome": outcome, "notes": notes})
        )

    def test_reviewed_no_change(self):
        review = self._review("no_change")
        self.assertEqual(
            (review.version_id, review.user_id, review.date),
            (self.version, self.kam_officer, TODAY),
        )
        self.assertEqual(self.document.last_review_date, TODAY)
        self.assertEqual(self.document.reviewed_by_id, self.kam_officer)
        self.assertEqual(self.document.review_date, datetime.date(2027, 4, 1))
        self.assertEqual(self.document.state, "effective")
        self.assertIn("Reviewed, no change", self.document.message_ids[0].body)
        # a review is a record
        with self.assertRaises(UserError):
            review.with_user(self.kam_manager).notes = "Changed afterwards"
        with self.assertRaises(UserError):
            review.with_user(self.kam_manager).unlink()
        with self.assertRaisesRegex(UserError, "set by the workflow"):
            self.document.with_user(self.kam_officer).last_review_date = TODAY

    def test_reviewed_through_the_review_mixin(self):
        """Documents are reviewed like the other registers (kam.review.mixin); its
        Reviewed also leaves a review record."""
        registry = self.env.registry
        self.assertTrue(issubclass(registry["kam.document"], registry["kam.review.mixin"]))
        self.document.with_user(self.kam_officer).action_reviewed()
        self.assertEqual(self.document.review_ids.outcome, "no_change")
        self.assertEqual(self.document.review_date, datetime.date(2027, 4, 1))
        with self.assertRaises(AccessError):
            self.document.with_user(self.kam_user).write({"review_frequency": "monthly"})

    def test_revision_needed_starts_a_draft(self):
        review = self._review("revise")
        draft = review.new_version_id
        self.assertEqual((draft.state, draft.previous_id), ("draft", self.version))
        self.assertEqual(self.document.review_date, datetime.date(2026, 4, 1), "until released")
        draft.change_summary = "New extraction"
        self._release_existing(draft)
        self.assertEqual(self.document.review_date, datetime.date(2027, 3, 16))

    def _release_existing(self, version):
        version = version.with_user(self.kam_manager)
        version.action_submit()
        version.action_approve()
        version.action_release()

    def test_withdraw_by_review(self):
        self.document.user_id = self.kam_user
        with self.assertRaisesRegex(AccessError, "only KAM officers can withdraw"):
            self._review("withdraw", user=self.kam_user)
        self._review("withdraw")
        self.assertEqual(self.document.state, "obsolete")

    def test_owner_reviews_own_document(self):
        owned = self._document(user_id=self.kam_user.id)
        self._release(owned)
        review = (
            self.env["kam.document.review"]
            .with_user(self.kam_user)
            .create({"document_id": owned.id, "outcome": "no_change"})
        )
        self.assertEqual(review.user_id, self.kam_user)
        with self.assertRaises(AccessError):
            self._review("no_change", user=self.kam_user)

    def test_the_owner_is_reminded_before_the_review_date(self):
        self.company.kam_document_review_remind_days = 30
        activity = self.env.ref("kam_management.mail_activity_kam_document_review")

        def reminders():
            return self.document.activity_ids.filtered(lambda a: a.activity_type_id == activity)

        self.document.review_date = datetime.date(2026, 5, 1)
        self.Document._kam_duty_run()
        self.assertFalse(reminders(), "45 days ahead: not yet")
        self.document.review_date = datetime.date(2026, 4, 10)
        self.Document._kam_duty_run()
        self.assertEqual(reminders().user_id, self.kam_officer)
        self.assertEqual(reminders().date_deadline, datetime.date(2026, 4, 10))
        self.Document._kam_duty_run()
        self.assertEqual(len(reminders()), 1, "once per review date")
        self._review("no_change")
        self.assertFalse(reminders(), "the review closes the reminder")
        self.assertEqual(self.document.kam_duty_state, "pending", "the new date re-arms it")
