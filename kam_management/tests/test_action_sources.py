"""The action-source extension point: kam.action finds its sources through the
registry; each source gets counts, the smart button and the defaults."""

import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.kam_management.tools.registry import models_inheriting

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestActionSources(KamCommon):
    def test_sources_found_through_the_registry(self):
        Action = self.env["kam.action"]
        sources = {
            "kam.audit",
            "kam.case",
            "kam.risk",
            "kam.requirement",
            "kam.aspect",
            "kam.risk.opportunity",
            "kam.standard.transition",
            "kam.document",
            "kam.advice",
            "kam.objective",
            "kam.indicator",
            "kam.review",
        }
        self.assertEqual(set(models_inheriting(self.env, "kam.action.source")), sources)
        self.assertEqual(
            set(Action._kam_source_fields()),
            {
                "audit_id",
                "case_id",
                "risk_id",
                "requirement_id",
                "aspect_id",
                "risk_opportunity_id",
                "transition_id",
                "document_id",
                "advice_id",
                "objective_id",
                "indicator_id",
                "review_id",
            },
        )
        for name in Action._kam_source_fields():
            comodel = Action._fields[name].comodel_name
            # each source names the field that points back at it
            self.assertEqual(self.env[comodel]._kam_action_field, name)
        self.assertEqual({model for model, _label in Action._selection_source_models()}, sources)

    def _risk(self):
        factor = self.env["kam.risk.factor"]
        return self.env["kam.risk"].create(
            {
                "name": "Press without guard",
                "company_id": self.company_2.id,
                "probability_id": factor.search([("axis", "=", "probability")], limit=1).id,
                "exposure_id": factor.search([("axis", "=", "exposure")], limit=1).id,
                "effect_id": factor.search([("axis", "=", "effect")], limit=1).id,
            }
        )

    def test_company_counts_button_and_one_source(self):
        case = self.env["kam.case"].create(
            {
                "title": "Source test",
                "company_id": self.company_2.id,
                "date_found": datetime.date(2026, 1, 5),
            }
        )
        risk = self._risk()
        day = datetime.date(2026, 2, 1)
        actions = self.env["kam.action"].create(
            [
                {
                    "name": "From the case",
                    "case_id": case.id,
                    "deadline": day,
                    "user_id": self.user_company_2.id,
                },
                {
                    "name": "From the hazard",
                    "risk_id": risk.id,
                    "deadline": day,
                    "user_id": self.user_company_2.id,
                },
            ]
        )
        # the company comes from the source (one read per source model)
        self.assertEqual(actions.company_id, self.company_2)
        self.assertEqual([a.source_ref for a in actions], [case, risk])
        self.assertEqual((case.action_count, case.open_action_count), (1, 1))
        self.assertEqual((risk.action_count, risk.open_action_count), (1, 1))
        button = case.action_view_actions()
        self.assertEqual(self.env["kam.action"].search(button["domain"]), actions[0])
        self.assertEqual(button["context"]["default_case_id"], case.id)
        self.assertEqual(button["context"]["default_company_id"], self.company_2.id)
        with self.assertRaisesRegex(ValidationError, "only one source"):
            actions[0].risk_id = risk
        # the earliest deadline comes from the source: not before the case was found
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            actions[0].deadline = datetime.date(2026, 1, 1)

    def test_counts_in_one_query_per_batch(self):
        cases = self.env["kam.case"].create([{"title": f"Count {i}"} for i in range(20)])
        self.env["kam.action"].create(
            [
                {"name": "A", "case_id": case.id, "deadline": datetime.date(2099, 1, 1)}
                for case in cases
            ]
        )
        cases.invalidate_recordset()
        with self.assertQueryCount(1):
            self.assertEqual(sum(cases.mapped("open_action_count")), 20)
