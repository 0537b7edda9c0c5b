"""Who sees and changes which documents: employees see the effective version of
what applies to them, officers manage, per company."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_document import KamDocumentCommon


@freeze_time("2026-03-16 09:00:00")
@tagged("post_install", "-at_install")
class TestDocumentAccess(KamDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # effective for production (2 versions), effective for sales, in preparation for
        # production, obsolete for production
        cls.welding_doc = cls._make_released(department_ids=[Command.set(cls.production.ids)])
        cls.old_version = cls.welding_doc.current_version_id
        cls.new_version = cls._release(cls.welding_doc, revision="major")
        cls.sales_doc = cls._make_released(department_ids=[Command.set(cls.sales.ids)])
        cls.draft_doc = cls._document()
        cls.draft_version = cls._version(cls.draft_doc)
        cls.obsolete_doc = cls._make_released()
        cls.obsolete_doc.current_version_id.action_withdraw()
        cls.company2_doc = cls._document(
            company_id=cls.company_2.id, department_ids=False, applies_to_all=True
        )
        cls._release(cls.company2_doc, user=cls.user_company_2)

    @classmethod
    def _make_released(cls, **values):
        document = cls._document(**values)
        cls._release(document)
        return document

    def test_employees_see_what_applies_to_them(self):
        documents = self.Document.with_user(self.kam_user).search([])
        self.assertEqual(documents, self.welding_doc, "effective and for their department")
        versions = self.Version.with_user(self.kam_user).search([])
        self.assertEqual(versions, self.new_version, "only the effective version")
        with self.assertRaises(AccessError):
            self.old_version.with_user(self.kam_user).read(["body"])
        with self.assertRaises(AccessError):
            self.sales_doc.with_user(self.kam_user).read(["name"])
        with self.assertRaises(AccessError):
            self.draft_version.with_user(self.kam_user).read(["body"])
        # the search filter of My documents
        mine = self.Document.with_user(self.kam_user).search([("applies_to_me", "=", True)])
        self.assertEqual(mine, self.welding_doc)
        self.assertTrue(self.welding_doc.with_user(self.kam_user).applies_to_me)
        # the officer's own department (sales)
        self.assertEqual(
            self.Document.with_user(self.kam_officer).search([("applies_to_me", "=", True)]),
            self.sales_doc,
        )

    def test_employees_do_not_change_documents(self):
        document = self.welding_doc.with_user(self.kam_user)
        with self.assertRaises(AccessError):
            document.write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.Document.with_user(self.kam_user).create({"code": "X-1", "name": "Mine"})
        with self.assertRaises(AccessError):
            self.Version.with_user(self.kam_user).create({"document_id": self.welding_doc.id})
        with self.assertRaises(AccessError):
            self.new_version.with_user(self.kam_user).action_withdraw()

    def test_owners_reviewers_and_approvers_work_on_versions(self):
        document = self._document(
            user_id=self.kam_user.id, department_ids=[Command.set(self.sales.ids)]
        )
        as_owner = self.Version.with_user(self.kam_user)
        version = as_owner.create({"document_id": document.id, "body": "<p>Draft</p>"})
        version.body = "<p>Better</p>"
        self.assertIn(document, self.Document.with_user(self.kam_user).search([]))
        version.action_submit()
        reviewer_doc = self._document(reviewer_ids=[Command.set(self.kam_user.ids)])
        in_review = self._version(reviewer_doc)
        in_review.action_submit()
        # the reviewer reads the version under review and may send it back
        in_review.with_user(self.kam_user).action_back_to_draft()
        self.assertEqual(in_review.state, "draft")

    def test_officers_manage_per_company(self):
        as_officer = self.Document.with_user(self.kam_officer)
        self.assertEqual(
            as_officer.search([]),
            self.welding_doc | self.sales_doc | self.draft_doc | self.obsolete_doc,
        )
        self.assertEqual(self.Document.with_user(self.user_company_2).search([]), self.company2_doc)
        # the employee of company 2 sees the whole-company document of company 2
        self.assertEqual(
            self.Version.with_user(self.user_company_2).search([]),
            self.company2_doc.current_version_id,
        )
        self.assertFalse(
            self.Ack.with_user(self.user_company_2).search([("company_id", "=", self.company.id)])
        )

    def test_controlled_copies_for_officers(self):
        report = self.env.ref("kam_management.action_report_kam_document_controlled")
        self.assertEqual(report.group_ids, self.env.ref("kam_management.group_kam_officer"))
        with self.assertRaises(AccessError):
            self.env["report.kam_management.report_kam_document_controlled"].with_user(
                self.kam_user
            )._get_report_values(self.welding_doc.ids)
