"""The document workflow in the browser (headless Chromium tours)."""

from odoo.tests import HttpCase, tagged

from .test_document import KamDocumentCommon


@tagged("post_install", "-at_install")
class TestDocumentUi(HttpCase, KamDocumentCommon):
    def test_tour_release_and_review(self):
        """A KAM manager starts, submits, approves and releases version 1.1 and
        records the review."""
        document = self._document(code="WI-12", name="Welding")
        self._release(document)
        self.start_tour(
            f"/odoo/action-kam_management.kam_document_action/{document.id}",
            "kam_document_release",
            login="kam_manager",
        )
        self.assertEqual(document.version_label, "1.1")
        self.assertEqual(document.current_version_id.change_summary, "Torch extraction in hall 2")
        self.assertEqual(document.current_version_id.approved_by_id, self.kam_manager)
        self.assertEqual(document.review_ids.outcome, "no_change")
        self.assertEqual(document.review_ids.notes, "Checked against the new extraction")

    def test_tour_read_and_acknowledge(self):
        """The employee opens their task, reads the text and confirms."""
        document = self._document(code="WI-12", name="Welding")
        self._release(document)
        self.start_tour(
            "/odoo/action-kam_management.kam_document_acknowledgement_action_my",
            "kam_document_read",
            login="kam_user",
        )
        task = self._tasks(document, employee_id=self.emp_user.id)
        self.assertEqual((task.state, task.method), ("done", "self"))
