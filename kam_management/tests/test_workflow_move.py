from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_supplier_evaluation import D, KamSupplierCommon


@tagged("post_install", "-at_install")
@freeze_time("2025-07-15")
class TestWorkflowMove(KamSupplierCommon):
    """``kam.workflow.mixin._kam_move``: the buttons that move records from one
    state to another (supplier evaluations, document versions, toolbox
    meetings, acknowledgements) check every record first and write all or none."""

    def test_move_checks_every_record_first(self):
        draft = self._evaluation(self._all(8))
        done = self._evaluation(self._all(7), start=D(2025, 4, 1), end=D(2025, 6, 30))
        done.action_done()
        self.assertEqual(done.state, "done")
        # a draft cannot be approved: the translated message of the button
        with self.assertRaisesRegex(UserError, "Only done evaluations can be approved."):
            (draft | done).action_approve()
        self.assertEqual((draft.state, done.state), ("draft", "done"))
        with self.assertRaisesRegex(UserError, "Only draft evaluations can be marked as done."):
            (draft | done).action_done()
        self.assertEqual((draft.state, done.state), ("draft", "done"))
        # in the right state, the records move through write() (its derived values set)
        self.assertIs(done.action_approve(), True)
        self.assertEqual(done.state, "approved")
        self.assertEqual(done.approved_by_id, self.env.user)

    def test_move_from_several_states(self):
        evaluation = self._evaluation(self._all(8))
        self.assertIs(evaluation._kam_move(("draft", "done"), "done", "not expected"), True)
        self.assertEqual(evaluation.state, "done")
        with self.assertRaisesRegex(UserError, "^refused$"):
            evaluation._kam_move(("draft",), "done", "refused")
