from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged, users, warmup

from .common import KamCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 09:00:00")
class TestClauseEvidence(KamCommon):
    """Clause links (kam.clause.link.mixin) and the evidence per clause
    (kam.clause.evidence): one query over every adopter's relation table."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.c_10_2 = ref("kam_management.iso9001_2015_c10_2")
        cls.c_8_4 = ref("kam_management.iso9001_2015_c8_4")
        cls.c_6_1_2 = ref("kam_management.iso45001_2018_c6_1_2")
        cls.c_9_2 = ref("kam_management.iso9001_2015_c9_2")  # no evidence at all
        Case = cls.env["kam.case"].with_context(tracking_disable=True)
        cls.case_a, cls.case_b, cls.case_archived = Case.create(
            [
                {
                    "title": "Wrong drawing used",
                    "date_found": "2026-02-01",
                    "clause_ids": [(6, 0, (cls.c_10_2 | cls.c_8_4).ids)],
                },
                {
                    "title": "Supplier delivered late",
                    "date_found": "2026-02-15",
                    "clause_ids": [(6, 0, cls.c_8_4.ids)],
                },
                {
                    "title": "Withdrawn report",
                    "date_found": "2026-02-20",
                    "clause_ids": [(6, 0, cls.c_10_2.ids)],
                },
            ]
        )
        cls.case_archived.active = False
        cls.case_other_company = Case.with_company(cls.company_2).create(
            {
                "title": "Other company's nonconformity",
                "company_id": cls.company_2.id,
                "clause_ids": [(6, 0, cls.c_10_2.ids)],
            }
        )
        factor = cls.env["kam.risk.factor"]
        cls.risk = cls.env["kam.risk"].create(
            {
                "name": "Getting caught in the press brake",
                "probability_id": factor.search([("axis", "=", "probability")], limit=1).id,
                "exposure_id": factor.search([("axis", "=", "exposure")], limit=1).id,
                "effect_id": factor.search([("axis", "=", "effect")], limit=1).id,
                "clause_ids": [(6, 0, cls.c_6_1_2.ids)],
            }
        )
        cls.Evidence = cls.env["kam.clause.evidence"]

    def _groups(self, env=None):
        """Evidence per clause and model: one grouped query."""
        Evidence = (env or self.env)["kam.clause.evidence"]
        return Evidence._read_group([], ["clause_id", "res_model"], ["__count"])

    def _counts(self, env=None):
        return {(clause, model): count for clause, model, count in self._groups(env)}

    def test_case_keeps_its_relation_table(self):
        """kam.case takes clause_ids from the mixin: same table, same columns, same label."""
        field = self.env["kam.case"]._fields["clause_ids"]
        self.assertEqual(
            (field.relation, field.column1, field.column2),
            ("kam_case_kam_standard_clause_rel", "kam_case_id", "kam_standard_clause_id"),
        )
        self.assertEqual(field.string, "Standard clauses")
        registry = self.env.registry
        self.assertTrue(issubclass(registry["kam.case"], registry["kam.clause.link.mixin"]))
        # each adopter has its own table
        risk_field = self.env["kam.risk"]._fields["clause_ids"]
        self.assertEqual(risk_field.relation, "kam_risk_kam_standard_clause_rel")
        self.env.cr.execute(
            "SELECT kam_standard_clause_id FROM kam_case_kam_standard_clause_rel"
            " WHERE kam_case_id = %s ORDER BY 1",
            [self.case_a.id],
        )
        linked = [row[0] for row in self.env.cr.fetchall()]
        self.assertEqual(linked, sorted(self.case_a.clause_ids.ids))

    def test_every_adopter_is_picked_up(self):
        """The query is built from the registry: each model that inherits the
        mixin brings its relation table, with no list to maintain."""
        adopters = [model._name for model in self.Evidence._clause_link_models()]
        registry = self.env.registry
        expected = sorted(
            name
            for name in registry
            if issubclass(registry[name], registry["kam.clause.link.mixin"])
            and not registry[name]._abstract
        )
        self.assertEqual(adopters, expected)
        self.assertIn("kam.case", adopters)
        self.assertIn("kam.risk", adopters)
        code = self.Evidence._table_query.code
        for name in adopters:
            relation = self.env[name]._fields["clause_ids"].relation
            self.assertIn(f'"{relation}"', code)
            self.assertIn(f'"{self.env[name]._table}"', code)
        self.assertEqual(code.count("UNION ALL"), len(adopters) - 1)
        self.assertEqual(
            dict(self.Evidence._fields["res_model"]._description_selection(self.env)),
            {
                "kam.aspect": "Environmental aspect",
                "kam.audit": "KAM audit",
                "kam.audit.line": "Audit checklist line",
                "kam.case": "KAM case",
                "kam.context.issue": "Context issue",
                "kam.document": "KAM controlled document",
                "kam.objective": "KAM objective",
                "kam.requirement": "Legal or other requirement",
                "kam.review": "KAM management review",
                "kam.risk": "KAM hazard (RI&E)",
                "kam.risk.opportunity": "Risk or opportunity",
            },
        )

    def test_evidence_rows(self):
        Evidence = self.Evidence.with_user(self.kam_officer)
        rows = Evidence.search([("clause_id", "=", self.c_10_2.id)])
        # archived records and other companies' records are no evidence here
        self.assertEqual(rows.mapped("record_ref"), [self.case_a])
        self.assertEqual(rows.res_model, "kam.case")
        self.assertEqual(rows.res_id, self.case_a.id)
        self.assertEqual(rows.standard_id, self.iso9001)
        self.assertEqual(rows.company_id, self.company)
        self.assertEqual(str(rows.date), "2026-02-01")
        self.assertEqual(
            rows.action_open_record(),
            {
                "type": "ir.actions.act_window",
                "res_model": "kam.case",
                "res_id": self.case_a.id,
                "view_mode": "form",
                "views": [(False, "form")],
            },
        )
        hazard = self.Evidence.search([("res_model", "=", "kam.risk")])
        self.assertEqual(hazard.record_ref, self.risk)
        self.assertEqual(hazard.clause_id, self.c_6_1_2)
        # a hazard's date: when it was recorded (the mixin's default)
        self.assertEqual(hazard.date, self.risk.create_date.date())
        # ids are unique, exact in the browser (< 2^53) and lead back to the same row
        rows = self.Evidence.search([])
        seen = {row.id: (row.res_model, row.res_id, row.clause_id.id) for row in rows}
        self.assertEqual(len(seen), len(rows))
        self.assertLess(max(seen), 2**53)
        self.env.invalidate_all()
        for row_id, key in seen.items():
            row = self.Evidence.browse(row_id)
            self.assertEqual((row.res_model, row.res_id, row.clause_id.id), key)
        # a new link shows at once (the relation is flushed before the query)
        self.case_b.clause_ids |= self.c_9_2
        self.assertEqual(
            self.Evidence.search([("clause_id", "=", self.c_9_2.id)]).record_ref, self.case_b
        )

    @users("kam_officer")
    @warmup
    def test_evidence_per_clause_in_one_query(self):
        with self.assertQueryCount(kam_officer=1):
            groups = self._groups()
        self.assertEqual(
            {(clause, model): count for clause, model, count in groups},
            {
                (self.c_8_4, "kam.case"): 2,
                (self.c_10_2, "kam.case"): 1,
                (self.c_6_1_2, "kam.risk"): 1,
            },
        )
        clauses = (self.c_10_2 | self.c_8_4 | self.c_9_2 | self.c_6_1_2).with_env(self.env)
        clauses.invalidate_recordset(["evidence_count"])
        with self.assertQueryCount(kam_officer=1):
            self.assertEqual(clauses.mapped("evidence_count"), [1, 2, 0, 1])

    def test_company_isolation(self):
        officer_c2 = self.env(user=self.user_company_2)
        self.assertEqual(self._counts(officer_c2), {(self.c_10_2, "kam.case"): 1})
        rows = officer_c2["kam.clause.evidence"].search([])
        self.assertEqual(rows.record_ref, self.case_other_company.with_env(officer_c2))
        self.assertEqual(self.c_10_2.with_env(officer_c2).evidence_count, 1)
        self.assertEqual(self.c_10_2.with_user(self.kam_officer).evidence_count, 1)
        # a user of both companies sees both, per company
        both = self.env(user=self.kam_manager)
        self.kam_manager.company_ids |= self.company_2
        both = both(context={"allowed_company_ids": [self.company.id, self.company_2.id]})
        self.assertEqual(self.c_10_2.with_env(both).evidence_count, 2)

    def test_access_per_group(self):
        for user in (self.kam_officer, self.kam_manager):
            Evidence = self.Evidence.with_user(user)
            self.assertTrue(Evidence.search([]))
            self.assertEqual(self.c_8_4.with_user(user).evidence_count, 2)
        # a KAM user would see titles of cases they may not read: no evidence for them
        for user in (self.kam_user, self.employee, self.portal_user):
            with self.assertRaises(AccessError):
                self.Evidence.with_user(user).search([])
        with self.assertRaises(AccessError):
            self.c_8_4.with_user(self.kam_user).read(["evidence_count"])
        # and no smart button on the clause form for them
        arch = (
            self.env["kam.standard.clause"]
            .with_user(self.kam_user)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("action_view_evidence", arch)
        arch = (
            self.env["kam.standard.clause"]
            .with_user(self.kam_officer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("action_view_evidence", arch)

    def test_clause_button(self):
        action = self.c_8_4.with_user(self.kam_officer).action_view_evidence()
        self.assertEqual(action["res_model"], "kam.clause.evidence")
        self.assertEqual(action["domain"], [("clause_id", "=", self.c_8_4.id)])
        rows = self.Evidence.with_user(self.kam_officer).search(action["domain"])
        self.assertEqual(set(rows.mapped("record_ref")), {self.case_a, self.case_b})
        # the list and pivot views load for an officer
        views = self.Evidence.with_user(self.kam_officer).get_views(
            [(False, "list"), (False, "pivot"), (False, "search")]
        )
        self.assertIn("action_open_record", views["views"]["list"]["arch"])
