from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegistersUi(HttpCase):
    def test_tour_compliance_evaluation(self):
        """An officer evaluates a requirement from its form and completes it."""
        officer = new_test_user(
            self.env,
            login="tour_registers_officer",
            groups="kam_management.group_kam_officer",
            name="Tour Registers Officer",
        )
        requirement = self.env["kam.requirement"].create(
            {
                "name": "Arbeidsomstandighedenwet",
                "short_name": "Arbowet",
                "bwb_id": "BWBR0010346",
                "user_id": officer.id,
                "evaluation_frequency": "yearly",
            }
        )
        self.start_tour(
            f"/odoo/action-kam_management.kam_requirement_action/{requirement.id}",
            "kam_compliance_evaluation",
            login="tour_registers_officer",
        )
        evaluation = requirement.evaluation_ids
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(
            (evaluation.state, evaluation.result, evaluation.done_by_id),
            ("done", "compliant", officer),
        )
        self.assertIn("accident register kept", evaluation.evidence)
        self.assertEqual(requirement.compliance_status, "compliant")
        self.assertTrue(requirement.next_evaluation_date)
