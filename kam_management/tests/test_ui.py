from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_tour_open_clause(self):
        """Log in, open the KAM app, browse to the clauses and open one."""
        self.start_tour("/odoo", "kam_open_clause", login="admin")
