from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestStandard(KamCommon):
    def test_shipped_clause_structure(self):
        """The three standards ship their clauses 4-10 as a tree."""
        Clause = self.env["kam.standard.clause"]
        for standard in (self.iso9001, self.iso14001, self.iso45001):
            tops = Clause.search([("standard_id", "=", standard.id), ("parent_id", "=", False)])
            self.assertEqual(tops.mapped("number"), [str(n) for n in range(4, 11)], standard.name)
            self.assertGreater(standard.clause_count, 40, standard.name)
        nc = self.env.ref("kam_management.iso9001_2015_c10_2_1")
        self.assertEqual(nc.parent_id, self.env.ref("kam_management.iso9001_2015_c10_2"))
        self.assertEqual(nc.parent_id.parent_id, self.env.ref("kam_management.iso9001_2015_c10"))
        self.assertEqual(nc.level, 3)
        self.assertEqual(nc.display_name, f"10.2.1 {nc.name}")
        self.assertEqual(self.iso9001.display_name, "ISO 9001:2015")
        self.assertEqual(self.iso45001.theme, "health_safety")
        # 45001 goes one level deeper in hazard identification
        self.assertEqual(self.env.ref("kam_management.iso45001_2018_c6_1_2_1").level, 4)

    def test_clause_order_is_numeric(self):
        """10.x sorts after 9.x and 4.10 after 4.9, not as plain strings."""
        numbers = (
            self.env["kam.standard.clause"]
            .search([("standard_id", "=", self.iso9001.id), ("level", "=", 1)])
            .mapped("number")
        )
        self.assertEqual(numbers, ["4", "5", "6", "7", "8", "9", "10"])
        standard = self.env["kam.standard"].create({"name": "Test", "edition": "1"})
        self.env["kam.standard.clause"].create(
            [{"standard_id": standard.id, "number": n, "name": n} for n in ("4.10", "4.9", "4.1")]
        )
        clauses = self.env["kam.standard.clause"].search([("standard_id", "=", standard.id)])
        self.assertEqual(clauses.mapped("number"), ["4.1", "4.9", "4.10"])
        self.assertEqual(clauses.mapped("sort_key"), ["0004.0001", "0004.0009", "0004.0010"])

    def test_child_of_search(self):
        clause_10 = self.env.ref("kam_management.iso9001_2015_c10")
        under = self.env["kam.standard.clause"].search([("id", "child_of", clause_10.id)])
        self.assertIn(self.env.ref("kam_management.iso9001_2015_c10_2_1"), under)
        self.assertTrue(all(c.number.startswith("10") for c in under))

    def test_name_search_by_number(self):
        found = self.env["kam.standard.clause"].name_search(
            "10.2", [("standard_id", "=", self.iso9001.id)]
        )
        self.assertIn(self.env.ref("kam_management.iso9001_2015_c10_2").id, [r[0] for r in found])

    def test_new_edition_as_data(self):
        """A new edition is a new record that points at the one it replaces."""
        new = self.env["kam.standard"].create(
            {
                "name": "ISO 9001",
                "edition": "2035",
                "previous_id": self.iso9001.id,
                "clause_ids": [(0, 0, {"number": "4", "name": "Context"})],
            }
        )
        self.assertEqual(new.display_name, "ISO 9001:2035")
        self.assertEqual(new.previous_id, self.iso9001)
        # the old edition keeps all its clauses
        self.assertGreater(self.iso9001.clause_count, 40)
        self.assertEqual(new.clause_count, 1)

    def test_duplicate_edition_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.standard"].create({"name": "ISO 9001", "edition": "2015"})

    def test_duplicate_clause_number_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["kam.standard.clause"].create(
                {"standard_id": self.iso9001.id, "number": "10.2", "name": "Again"}
            )

    def test_parent_must_be_same_standard(self):
        with self.assertRaisesRegex(ValidationError, "same standard"):
            self.env["kam.standard.clause"].create(
                {
                    "standard_id": self.iso14001.id,
                    "number": "99",
                    "name": "Wrong parent",
                    "parent_id": self.env.ref("kam_management.iso9001_2015_c10").id,
                }
            )

    def test_no_cycles(self):
        c10 = self.env.ref("kam_management.iso9001_2015_c10")
        with self.assertRaisesRegex(UserError, "Recursion"):
            c10.parent_id = self.env.ref("kam_management.iso9001_2015_c10_2_1")

    def test_only_manager_edits_standards(self):
        for user in (self.kam_user, self.kam_officer):
            self.assertEqual(self.iso9001.with_user(user).name, "ISO 9001")
            with self.assertRaises(AccessError):
                self.iso9001.with_user(user).write({"title": "changed"})
            with self.assertRaises(AccessError):
                self.env["kam.standard"].with_user(user).create({"name": "X", "edition": "1"})
        self.iso9001.with_user(self.kam_manager).write({"description": "Our core standard"})
        self.assertEqual(self.iso9001.description, "Our core standard")

    def test_company_isolation(self):
        """A company's own standard is invisible to another company; shared ones are not."""
        Standard = self.env["kam.standard"]
        own = Standard.create(
            {
                "name": "HKZ Zorg en Welzijn",
                "edition": "2015",
                "company_id": self.company_2.id,
                "clause_ids": [(0, 0, {"number": "4", "name": "Context"})],
            }
        )
        self.assertEqual(own.clause_ids.company_id, self.company_2)
        visible_c1 = Standard.with_user(self.kam_officer).search([])
        visible_c2 = Standard.with_user(self.user_company_2).search([])
        self.assertNotIn(own, visible_c1)
        self.assertIn(own, visible_c2)
        self.assertIn(self.iso9001, visible_c1)
        self.assertIn(self.iso9001, visible_c2)
        clauses_c1 = (
            self.env["kam.standard.clause"]
            .with_user(self.kam_officer)
            .search([("standard_id", "=", own.id)])
        )
        self.assertFalse(clauses_c1)
        with self.assertRaises(AccessError):
            own.with_user(self.kam_officer).read(["name"])

    def test_company_settings(self):
        settings = self.env["res.config.settings"].create(
            {"kam_standard_ids": [(6, 0, (self.iso9001 | self.iso45001).ids)]}
        )
        settings.execute()
        self.assertEqual(self.env.company.kam_standard_ids, self.iso9001 | self.iso45001)
