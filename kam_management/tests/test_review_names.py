from odoo.tests import TransactionCase, tagged

from ..tools.review_inputs import Name, Table, encode_table, names_of, table_html


@tagged("post_install", "-at_install")
class TestReviewNames(TransactionCase):
    """The names of categories and departments in a review's frozen tables are
    read in one go per model when a table is shown, however many rows it has."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categories = cls.env["kam.complaint.category"].create(
            [{"name": f"Category {i:02d}"} for i in range(15)]
        )

    def frozen(self, categories):
        return encode_table(
            Table("t", "Complaints", ["Category", "Count"], [[Name.of(c), 1] for c in categories])
        )

    def render_queries(self, table):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        html = table_html(self.env, table)
        return self.env.cr.sql_log_count - before, html

    def test_names_read_in_one_go(self):
        self.render_queries(self.frozen(self.categories[:1]))  # warm-up: language, caches
        one, html_one = self.render_queries(self.frozen(self.categories[:1]))
        many, html_many = self.render_queries(self.frozen(self.categories))
        self.assertIn("Category 00", html_one)
        self.assertIn("Category 14", html_many)
        self.assertGreater(one, 0)
        self.assertEqual(one, many, "the query count must not grow with the rows")

    def test_current_name_or_the_frozen_one(self):
        table = self.frozen(self.categories[:2])
        self.categories[0].name = "Renamed"
        self.categories[1].unlink()
        names = names_of(self.env, [cell for row in table["rows"] for cell in row])
        self.assertEqual(list(names.values()), ["Renamed"])
        html = table_html(self.env, table)
        self.assertIn("Renamed", html)
        self.assertIn("Category 01", html)  # removed: the name it had when frozen
