from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def _confirmed_order(self, login, user_name, customer_name, email, product_name):
        """A KAM officer who sells (``login``) and a confirmed sale order of a
        customer: (customer, order)."""
        officer = new_test_user(
            self.env,
            login=login,
            groups="sales_team.group_sale_salesman,kam_management.group_kam_officer",
            name=user_name,
        )
        customer = self.env["res.partner"].create(
            {"name": customer_name, "is_company": True, "email": email}
        )
        product = self.env["product.product"].create({"name": product_name})
        order = (
            self.env["sale.order"]
            .with_user(officer)
            .create({"partner_id": customer.id, "order_line": [(0, 0, {"product_id": product.id})]})
        )
        order.action_confirm()
        return customer, order

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

    def test_tour_complaint_from_order(self):
        """From a sale order: register a complaint, analyse it, ask the customer,
        the customer answers 'satisfied' through the mail link, and it is closed."""
        customer, order = self._confirmed_order(
            "tour_kam_officer",
            "Tour Officer",
            "Tour Klant B.V.",
            "tour@klant.example.com",
            "Tour railing",
        )
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "kam_complaint_from_order",
            login="tour_kam_officer",
        )
        complaint = self.env["kam.case"].search([("title", "=", "Railing delivered bent")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.case_type, "complaint")
        self.assertEqual(complaint.sale_order_id, order)
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.fishbone_cause_ids.mapped("is_root_cause"), [True])
        self.assertEqual(complaint.satisfaction, "satisfied")
        self.assertTrue(complaint.is_closed)
        self.assertEqual(complaint.rating_ids.rating, 5)

    def test_tour_complaint_register_left(self):
        """A register dialog that is hidden, unloaded and closed registers nothing
        and mails nobody (before: the prefilled form saved itself, twice)."""
        customer, order = self._confirmed_order(
            "tour_kam_officer2",
            "Tour Officer 2",
            "Tour Klant 2 B.V.",
            "tour2@klant.example.com",
            "Tour hekwerk",
        )
        mails_before = self.env["mail.mail"].search_count([])
        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "kam_complaint_register_left",
            login="tour_kam_officer2",
        )
        self.assertFalse(self.env["kam.case"].search([("partner_id", "=", customer.id)]))
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", customer.ids)]),
            "no acknowledgement went out",
        )
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
