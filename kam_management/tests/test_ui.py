from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_tour_open_clause(self):
        """Log in, open the KAM app, browse to the clauses and open one."""
        self.start_tour("/odoo", "kam_open_clause", login="admin")

    def test_tour_case_analysis(self):
        """Register a nonconformity, add a 4M cause and see it on the fishbone."""
        self.start_tour("/odoo", "kam_case_analysis", login="admin")
        case = self.env["kam.case"].search([("title", "=", "Burr on mounting bracket")])
        self.assertEqual(case.case_type, "nonconformity")
        self.assertEqual(case.fishbone_cause_ids.mapped("category"), ["machine"])
        self.assertTrue(case.name.startswith("AFW/"))
