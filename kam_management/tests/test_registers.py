import datetime
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.kam_management.tools.registry import models_inheriting

from .common import KamCommon

D = datetime.date
TODAY = D(2026, 3, 16)
HEADER_ROW = 4


class KamRegisterCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Factor = cls.env["kam.risk.factor"]
        cls.aspect_method = cls.env.ref("kam_management.kam_risk_method_aspect")
        cls.matrix5 = cls.env.ref("kam_management.kam_risk_method_matrix5")

    def _factor(self, axis, value):
        factor = self.Factor.search([("axis", "=", axis), ("value", "=", value)])
        self.assertEqual(len(factor), 1, f"{axis} {value}")
        return factor

    def _aspect(self, frequency, severity, **values):
        vals = {
            "name": f"Aspect {frequency}x{severity}",
            "activity": "Welding",
            "impact": "Air pollution",
            "frequency_id": self._factor("frequency", frequency).id,
            "severity_id": self._factor("severity", severity).id,
        }
        vals.update(values)
        return self.env["kam.aspect"].create(vals)

    def _risk_opportunity(self, likelihood, impact, **values):
        vals = {
            "name": f"Risk {likelihood}x{impact}",
            "likelihood_id": self._factor("likelihood", likelihood).id,
            "impact_id": self._factor("impact", impact).id,
        }
        vals.update(values)
        return self.env["kam.risk.opportunity"].create(vals)

    def _sheet(self, model, register, user=None):
        records = self.env[model].with_user(user or self.kam_officer)
        _name, content = records._kam_register_export(register)
        ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        headers = [c.value for c in ws[HEADER_ROW]]
        rows = [
            dict(zip(headers, [c.value for c in row], strict=True))
            for row in ws.iter_rows(min_row=HEADER_ROW + 1)
        ]
        return ws, rows


@tagged("post_install", "-at_install")
class TestRiskEngine(KamRegisterCommon):
    """One engine (kam.risk.assessment.mixin + kam.risk.method) scores the RI&E,
    the environmental aspects and the risks and opportunities; each register its
    own scales, methods and company setting."""

    def test_adopters_declare_their_usage(self):
        adopters = models_inheriting(self.env, "kam.risk.assessment.mixin")
        self.assertEqual(adopters, ["kam.aspect", "kam.risk", "kam.risk.opportunity"])
        usages = dict(self.env["kam.risk.method"]._fields["usage"]._description_selection(self.env))
        for name in adopters:
            model = self.env[name]
            with self.subTest(model=name):
                self.assertIn(model._kam_risk_usage, usages)
                self.assertIn(model._kam_risk_company_method_field, self.env["res.company"]._fields)
                for field in model._kam_risk_factor_fields:
                    self.assertEqual(model._fields[field].comodel_name, "kam.risk.factor")
        # every shipped method serves one usage; the company has one per usage
        self.assertEqual(self.env.ref("kam_management.kam_risk_method_kinney5").usage, "rie")
        self.assertEqual(self.aspect_method.usage, "aspect")
        self.assertEqual(self.matrix5.usage, "risk_opportunity")
        self.assertEqual(self.company.kam_aspect_method_id, self.aspect_method)
        self.assertEqual(self.company.kam_opportunity_method_id, self.matrix5)
        # a new company gets them too
        self.assertEqual(self.company_2.kam_aspect_method_id, self.aspect_method)
        self.assertEqual(self.company_2.kam_opportunity_method_id, self.matrix5)

    def test_scales_are_data(self):
        for axis in ("frequency", "severity", "likelihood", "impact"):
            with self.subTest(axis=axis):
                values = self.Factor.search([("axis", "=", axis)]).mapped("value")
                self.assertEqual(sorted(values), [1, 2, 3, 4, 5])

    def test_a_method_serves_its_own_register(self):
        with self.assertRaisesRegex(ValidationError, "is not a method for"):
            self.company.kam_aspect_method_id = self.matrix5
        with self.assertRaisesRegex(ValidationError, "is not a method for"):
            self.company.kam_risk_method_id = self.aspect_method
        # the record's method offers only methods of its usage
        for model, usage in (("kam.aspect", "aspect"), ("kam.risk", "rie")):
            domain = self.env[model]._fields["method_id"]._description_domain(self.env)
            self.assertEqual(str(domain), str([("usage", "=", usage)]))

    def test_bound_rule_is_the_methods(self):
        """The same score on a bound: the higher class with 'ge', the lower with 'gt'."""
        attention = self.env.ref("kam_management.kam_risk_class_aspect_6")
        significant = self.env.ref("kam_management.kam_risk_class_aspect_12")
        self.assertEqual(self.aspect_method._classify(12), significant)
        self.aspect_method.bound_rule = "gt"
        self.assertEqual(self.aspect_method._classify(12), attention)
        self.assertEqual(self.aspect_method._classify(12.01), significant)

    def test_rie_is_unchanged(self):
        """The RI&E scores as before: W x B x E with the company's Kinney method."""
        risk = self.env["kam.risk"].create(
            {
                "name": "Press brake",
                "probability_id": self._factor("probability", 3).id,
                "exposure_id": self._factor("exposure", 6).id,
                "effect_id": self._factor("effect", 7).id,
            }
        )
        self.assertAlmostEqual(risk.score, 126)
        self.assertEqual(risk.method_id, self.company.kam_risk_method_id)
        self.assertEqual(risk.class_id.method_id.usage, "rie")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestAspects(KamRegisterCommon):
    """The environmental aspects register (ISO 14001 6.1.2)."""

    def test_significance_every_boundary(self):
        ref = self.env.ref
        low = ref("kam_management.kam_risk_class_aspect_0")
        medium = ref("kam_management.kam_risk_class_aspect_6")
        high = ref("kam_management.kam_risk_class_aspect_12")
        for (f, s), score, klass in (
            ((1, 1), 1, low),
            ((1, 5), 5, low),
            ((2, 3), 6, medium),
            ((3, 3), 9, medium),
            ((5, 2), 10, medium),
            ((3, 4), 12, high),
            ((5, 5), 25, high),
        ):
            with self.subTest(score=score):
                aspect = self._aspect(f, s)
                self.assertEqual(aspect.score, score)
                self.assertEqual(aspect.class_id, klass)
                self.assertEqual(aspect.is_significant, klass == high)
                self.assertEqual(aspect.method_id, self.aspect_method)

    def test_obligation_makes_significant(self):
        aspect = self._aspect(1, 2)
        self.assertFalse(aspect.is_significant)
        permit = self.env["kam.requirement"].create(
            {"name": "Omgevingsvergunning", "kind": "permit", "aspect_ids": [(4, aspect.id)]}
        )
        self.assertEqual(aspect.requirement_ids, permit)
        self.assertTrue(aspect.is_significant)
        # a repealed obligation no longer counts
        permit.action_repeal()
        self.assertFalse(aspect.is_significant)
        permit.action_reinstate()
        self.assertTrue(aspect.is_significant)
        # the method decides whether obligations count at all
        self.aspect_method.obligation_significant = False
        self.assertFalse(aspect.is_significant)
        # the classes decide the rest: a manager moves a bound
        self.env.ref("kam_management.kam_risk_class_aspect_12").lower_bound = 2
        self.assertTrue(aspect.is_significant)

    def test_measures_reviews_and_access(self):
        aspect = self._aspect(5, 3, user_id=self.kam_officer.id, review_date=TODAY)
        defaults = aspect.action_view_actions()["context"]
        self.assertEqual(defaults["default_aspect_id"], aspect.id)
        self.assertEqual(defaults["default_kind"], "preventive")
        self.assertEqual(defaults["kam_xlsx_register"], "action")
        measure = self.env["kam.action"].create(
            {"name": "Extraction at the welding tables", "aspect_id": aspect.id, "deadline": TODAY}
        )
        self.assertEqual(measure.source_ref, aspect)
        self.assertEqual(aspect.open_action_count, 1)
        # reviews: the owner is reminded once, officers record the review
        self.env["kam.aspect"]._kam_duty_run()
        self.env["kam.aspect"]._kam_duty_run()
        review = self.env.ref("kam_management.mail_activity_kam_aspect_review")
        self.assertEqual(aspect.activity_ids.activity_type_id, review)
        with self.assertRaisesRegex(AccessError, "environmental aspect"):
            aspect.with_user(self.kam_user).action_reviewed()
        aspect.with_user(self.kam_officer).action_reviewed()
        self.assertEqual(aspect.review_date, D(2027, 3, 16))
        self.assertEqual(aspect.reviewed_by_id, self.kam_officer)
        self.assertFalse(aspect.activity_ids)
        # users read, officers manage, per company
        self.assertEqual(aspect.with_user(self.kam_user).name, "Aspect 5x3")
        with self.assertRaises(AccessError):
            aspect.with_user(self.kam_user).write({"name": "Changed"})
        aspect.with_user(self.kam_officer).write({"name": "Welding fumes"})
        self.assertFalse(self.env["kam.aspect"].with_user(self.user_company_2).search([]))

    def test_sources_with_done_actions_are_kept(self):
        """Deleting a source would delete its actions (cascade): done actions are
        evidence, so the source is archived instead."""
        aspect = self._aspect(5, 3)
        risk = self._risk_opportunity(3, 4)
        for source, field in ((aspect, "aspect_id"), (risk, "risk_opportunity_id")):
            with self.subTest(model=source._name):
                action = self.env["kam.action"].create(
                    {"name": "Measure", field: source.id, "deadline": TODAY}
                )
                action.action_done()
                with self.assertRaisesRegex(UserError, "Archive it instead"):
                    source.with_user(self.kam_officer).unlink()
                source.active = False
                self.assertTrue(action.exists())
        # with only open actions a mistake can still be removed
        other = self._aspect(1, 1)
        self.env["kam.action"].create({"name": "Open", "aspect_id": other.id, "deadline": TODAY})
        other.with_user(self.kam_officer).unlink()
        self.assertFalse(other.exists())

    def test_register(self):
        self._aspect(
            5, 3, controls="<p>Extraction at every welding table</p>", condition="abnormal"
        )
        self._aspect(1, 1, name="Scrap metal", impact="Raw materials saved")
        ws, rows = self._sheet("kam.aspect", "aspect", self.kam_user)
        self.assertEqual(ws["A1"].value, "Environmental aspects register")
        # significant first
        self.assertEqual([row["Aspect"] for row in rows], ["Aspect 5x3", "Scrap metal"])
        first = rows[0]
        self.assertEqual(first["Activity, product or service"], "Welding")
        self.assertEqual(first["Condition"], "Abnormal")
        self.assertEqual(first["Frequency (F)"], 5)
        self.assertEqual(first["Score (F x S)"], 15)
        self.assertEqual(first["Significance class"], "High")
        self.assertEqual(first["Significant"], "Yes")
        self.assertEqual(first["Controls in place"], "Extraction at every welding table")
        self.assertEqual(rows[1]["Significant"], "No")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestContextAndParties(KamRegisterCommon):
    """Context (4.1), interested parties and their needs (4.2), risks and
    opportunities (6.1)."""

    def test_issue_categories_follow_the_kind(self):
        Issue = self.env["kam.context.issue"]
        issue = Issue.create(
            {
                "name": "Heat stress in the halls",
                "category": "environmental",
                "climate_related": True,
            }
        )
        self.assertEqual(issue.kind, "external")
        with self.assertRaisesRegex(ValidationError, "is external, but"):
            Issue.create({"name": "Wrong", "category": "people"})
        with self.assertRaisesRegex(ValidationError, "is internal, but"):
            Issue.create({"name": "Wrong", "kind": "internal", "category": "economic"})
        internal = Issue.create(
            {"name": "Ageing workforce", "kind": "internal", "category": "people"}
        )
        self.assertEqual(internal.category, "people")

    def test_need_becomes_an_obligation(self):
        customer = self.env["res.partner"].create(
            {"name": "Bouwbedrijf Hoekstra", "is_company": True}
        )
        party = self.env["kam.interested.party"].create(
            {
                "name": "Customers in construction",
                "category": "customers",
                "partner_id": customer.id,
                "user_id": self.kam_officer.id,
                "need_ids": [
                    (0, 0, {"name": "VCA** certificate for work on site"}),
                    (0, 0, {"name": "Delivery on time"}),
                ],
            }
        )
        vca = party.need_ids[0]
        self.assertEqual((party.need_count, party.obligation_count), (2, 0))
        self.assertFalse(vca.is_obligation)
        with self.assertRaises(AccessError):
            vca.with_user(self.kam_user).action_make_obligation()
        action = vca.with_user(self.kam_officer).action_make_obligation()
        requirement = self.env["kam.requirement"].browse(action["res_id"])
        self.assertEqual(vca.requirement_id, requirement)
        self.assertTrue(vca.is_obligation)
        self.assertEqual(
            (requirement.name, requirement.kind, requirement.issuer_id, requirement.user_id),
            ("VCA** certificate for work on site", "customer", customer, self.kam_officer),
        )
        self.assertEqual(requirement.need_ids, vca)
        party.invalidate_recordset()
        self.assertEqual(party.obligation_count, 1)
        # a requirement that needs come from cannot disappear under them
        with self.assertRaises(UserError):
            requirement.unlink()
        ws, rows = self._sheet("kam.interested.party.need", "interested_party")
        self.assertEqual(ws["A1"].value, "Interested parties and their needs")
        self.assertEqual(
            [(row["Need or expectation"], row["Obligation"]) for row in rows],
            [("VCA** certificate for work on site", "Yes"), ("Delivery on time", "No")],
        )
        self.assertEqual(rows[0]["Interested party"], "Customers in construction")

    def test_risks_and_opportunities(self):
        issue = self.env["kam.context.issue"].create(
            {"name": "Shortage of welders", "category": "social"}
        )
        low = self.env.ref("kam_management.kam_risk_class_matrix5_0")
        medium = self.env.ref("kam_management.kam_risk_class_matrix5_5")
        high = self.env.ref("kam_management.kam_risk_class_matrix5_10")
        very_high = self.env.ref("kam_management.kam_risk_class_matrix5_15")
        for (likelihood, impact), klass in (
            ((1, 4), low),
            ((1, 5), medium),
            ((3, 3), medium),
            ((2, 5), high),
            ((4, 3), high),
            ((3, 5), very_high),
            ((5, 5), very_high),
        ):
            with self.subTest(score=likelihood * impact):
                record = self._risk_opportunity(likelihood, impact, issue_id=issue.id)
                self.assertEqual(record.class_id, klass)
                self.assertEqual(record.needs_treatment, klass in (high, very_high))
        self.assertEqual(len(issue.risk_opportunity_ids), 7)
        opportunity = self._risk_opportunity(3, 4, kind="opportunity", treatment="pursue")
        self.assertEqual(
            opportunity.action_view_actions()["context"]["default_kind"], "improvement"
        )
        with self.assertRaisesRegex(ValidationError, "Pursue does not fit .* \\(risk\\)"):
            self._risk_opportunity(3, 4, treatment="pursue")
        with self.assertRaisesRegex(ValidationError, "Avoid does not fit .* \\(opportunity\\)"):
            opportunity.treatment = "avoid"

    def test_reviews_of_context_parties_and_risks(self):
        values = {"user_id": self.kam_officer.id, "review_date": TODAY}
        records = [
            self.env["kam.context.issue"].create(
                dict(values, name="Energy prices", category="economic")
            ),
            self.env["kam.interested.party"].create(
                dict(values, name="Neighbours", category="neighbours")
            ),
            self._risk_opportunity(2, 2, **values),
        ]
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.env["kam.periodic.duty"]._cron_kam_duties()
        for record in records:
            with self.subTest(model=record._name):
                self.assertEqual(len(record.activity_ids), 1)
                self.assertEqual(record.activity_ids.user_id, self.kam_officer)
                with self.assertRaises(AccessError):
                    record.with_user(self.kam_user).action_reviewed()
                with self.assertRaises(AccessError):
                    record.with_user(self.kam_user).write({"review_frequency": "monthly"})
                record.with_user(self.kam_officer).action_reviewed()
                self.assertEqual(record.review_date, D(2027, 3, 16))
                self.assertFalse(record.activity_ids)

    def test_access_per_group_and_company(self):
        issue = self.env["kam.context.issue"].create(
            {"name": "Energy prices", "category": "economic"}
        )
        party = self.env["kam.interested.party"].create(
            {
                "name": "Neighbours",
                "category": "neighbours",
                "need_ids": [(0, 0, {"name": "Quiet"})],
            }
        )
        record = self._risk_opportunity(2, 2)
        for item in (issue, party, party.need_ids, record):
            with self.subTest(model=item._name):
                self.assertTrue(item.with_user(self.kam_user).read(["display_name"]))
                with self.assertRaises(AccessError):
                    item.with_user(self.kam_user).write({"name": "Changed"})
                with self.assertRaises(AccessError):
                    item.with_user(self.kam_user).unlink()
                item.with_user(self.kam_officer).write({"name": "Changed"})
                self.assertFalse(
                    self.env[item._name]
                    .with_user(self.user_company_2)
                    .search([("id", "=", item.id)])
                )

    def test_registers(self):
        issue = self.env["kam.context.issue"].create(
            {
                "name": "Heat stress",
                "category": "environmental",
                "climate_related": True,
                "response": "<p>Cooling in hall 2</p>",
            }
        )
        self._risk_opportunity(4, 4, issue_id=issue.id, name="Production stops in heat waves")
        ws, rows = self._sheet("kam.context.issue", "context", self.kam_user)
        self.assertEqual(ws["A1"].value, "Context of the organisation")
        self.assertEqual(rows[0]["Climate change"], "Yes")
        self.assertEqual(rows[0]["How we deal with it"], "Cooling in hall 2")
        self.assertEqual(rows[0]["Risks and opportunities"], "Production stops in heat waves")
        ws, rows = self._sheet("kam.risk.opportunity", "risk_opportunity")
        self.assertEqual(ws["A1"].value, "Risks and opportunities")
        self.assertEqual(rows[0]["Score (L x I)"], 16)
        self.assertEqual(rows[0]["Level"], "Very high")
        self.assertEqual(rows[0]["Context issue"], "Heat stress")
