"""Issue 14, defects 1 and 2: the public methods kam_management adds to shared
models check the caller's rights, and the quick incident report's rows are
their writer's only and gone once the report is sent."""

import inspect

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

# the documents' own rights, so that "who may" can read the records
DOCUMENT_GROUPS = (
    "sales_team.group_sale_salesman_all_leads,purchase.group_purchase_user,"
    "stock.group_stock_user,hr.group_hr_user"
)
# ORM overrides: the ORM checks the rights of create/write itself
ORM_METHODS = {"create", "write", "unlink", "copy", "default_get"}


@tagged("post_install", "-at_install")
class TestSharedModelMethods(KamCommon):
    """Every public method on a shared model, called as a portal customer, as an
    employee without KAM rights, as a KAM user and as whoever may."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Bouwbedrijf Test"})
        # a customer's answer to a satisfaction campaign, with its follow-up case
        campaign = cls.env["kam.satisfaction.campaign"].create(
            {"name": "Rights", "date_from": "2026-01-01", "date_to": "2026-06-30"}
        )
        cls.survey_answer = cls.env["survey.user_input"].create(
            {
                "survey_id": campaign.survey_id.id,
                "partner_id": cls.partner.id,
                "kam_campaign_id": campaign.id,
                "kam_case_id": cls.env["kam.case"]
                .with_context(tracking_disable=True)
                .create({"title": "Dissatisfied customer", "case_type": "improvement"})
                .id,
            }
        )
        product = cls.env["product.product"].create({"name": "Bracket"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.purchase = cls.env["purchase.order"].create({"partner_id": cls.partner.id})
        cls.picking = cls.env["stock.picking"].create(
            {
                "partner_id": cls.partner.id,
                "picking_type_id": cls.env.ref("stock.picking_type_in").id,
            }
        )
        cls.department = cls.env["hr.department"].create({"name": "Montage"})
        cls.hr_employee = cls.env["hr.employee"].create(
            {"name": "Jan", "department_id": cls.department.id}
        )
        cls.template = product.product_tmpl_id
        cls.settings = cls.env["res.config.settings"].create({})
        # an employee with every document right but no KAM group
        cls.documents_only = new_test_user(
            cls.env,
            login="documents_only",
            groups=f"base.group_user,{DOCUMENT_GROUPS}",
            name="Documents Only",
        )
        cls.kam_documents = new_test_user(
            cls.env,
            login="kam_documents",
            groups=f"kam_management.group_kam_user,{DOCUMENT_GROUPS}",
            name="KAM Documents",
        )
        cls.kam_manager_documents = new_test_user(
            cls.env,
            login="kam_manager_documents",
            groups=f"kam_management.group_kam_manager,{DOCUMENT_GROUPS}",
            name="KAM Manager Documents",
        )
        cls.admin = new_test_user(
            cls.env, login="kam_sysadmin", groups="base.group_system", name="Sys Admin"
        )

    def _cases(self):
        """(model, method, record, users who may, users who may not)."""
        refused_everywhere = [self.portal_user, self.employee, self.documents_only]
        kam = [self.kam_documents, self.kam_manager_documents]
        purchase_user = self.documents_only  # the supplier history is also the buyer's
        return [
            ("res.company", "action_kam_reset_report_token", self.company,
             [self.kam_manager, self.admin],
             [*refused_everywhere, self.kam_user, self.kam_officer]),
            ("res.company", "action_kam_open_settings", self.company, [self.kam_manager],
             [*refused_everywhere, self.kam_user, self.kam_officer]),
            ("res.company", "action_kam_print_report_poster", self.company,
             [self.kam_manager, self.admin],
             [*refused_everywhere, self.kam_user, self.kam_officer]),
            ("res.company", "action_kam_case_types", self.company, [self.kam_manager, self.admin],
             [*refused_everywhere, self.kam_user, self.kam_officer]),
            ("res.config.settings", "action_kam_print_report_poster", self.settings,
             [self.admin], [*refused_everywhere, self.kam_user, self.kam_manager]),
            ("res.partner", "action_kam_register_complaint", self.partner, kam, refused_everywhere),
            ("res.partner", "action_kam_view_complaints", self.partner, kam, refused_everywhere),
            ("res.partner", "action_kam_supplier_evaluations", self.partner,
             [*kam, purchase_user], [self.portal_user, self.employee]),
            ("sale.order", "action_kam_register_complaint", self.order, kam, refused_everywhere),
            ("sale.order", "action_kam_view_complaints", self.order, kam, refused_everywhere),
            ("sale.order", "action_kam_report_case", self.order, kam, refused_everywhere),
            ("product.template", "action_kam_register_complaint", self.template, kam,
             refused_everywhere),
            ("product.template", "action_kam_view_complaints", self.template, kam,
             refused_everywhere),
            ("product.template", "action_kam_report_case", self.template, kam, refused_everywhere),
            ("purchase.order", "action_kam_report_case", self.purchase, kam, refused_everywhere),
            ("stock.picking", "action_kam_report_case", self.picking, kam, refused_everywhere),
            ("hr.employee", "action_kam_report_case", self.hr_employee, kam, refused_everywhere),
            ("hr.employee", "action_kam_view_incidents", self.hr_employee, kam,
             refused_everywhere),
            ("hr.department", "action_kam_view_incidents", self.department, kam,
             refused_everywhere),
            # customer satisfaction: KAM officers and managers only
            ("res.partner", "action_kam_survey_answers", self.partner,
             [self.kam_manager_documents], refused_everywhere + [self.kam_documents]),
            ("survey.user_input", "action_kam_open_case", self.survey_answer,
             [self.kam_manager_documents], refused_everywhere + [self.kam_documents]),
        ]  # fmt: skip

    def test_every_public_method_is_tested(self):
        """The table above is complete: every public method that kam_management
        defines on a model that is not its own (found by introspection)."""
        found = set()
        for model_name in self.env.registry:
            if model_name.startswith("kam."):
                continue
            cls = type(self.env[model_name])
            for name in dir(cls):
                if name.startswith("_") or name in ORM_METHODS:
                    continue
                owners = [
                    klass.__dict__[name].__module__
                    for klass in cls.mro()
                    if inspect.isfunction(klass.__dict__.get(name))
                    or isinstance(klass.__dict__.get(name), classmethod)
                ]
                # a method kam_management adds; an override of one of Odoo's
                # own public methods keeps Odoo's rights (and its checks)
                if owners and all(
                    owner.startswith("odoo.addons.kam_management.") for owner in owners
                ):
                    found.add((model_name, name))
        tested = {(model, method) for model, method, *_rest in self._cases()}
        self.assertTrue(found)
        self.assertEqual(found - tested, set(), "public methods without a rights test")
        self.assertEqual(tested - found, set())

    def test_refused_and_allowed(self):
        for model, method, record, allowed, refused in self._cases():
            token = self.company.sudo().kam_report_token
            for user in refused:
                with self.subTest(model=model, method=method, user=user.login, expect="refused"):
                    with self.assertRaises(AccessError):
                        getattr(record.with_user(user), method)()
            # nothing changed by the refused calls
            self.assertEqual(self.company.sudo().kam_report_token, token)
            for user in allowed:
                with self.subTest(model=model, method=method, user=user.login, expect="allowed"):
                    result = getattr(record.with_user(user), method)()
                    self.assertTrue(result)

    def test_reset_token(self):
        """Only KAM managers and administrators, of their own companies."""
        old = self.company.sudo().kam_report_token
        self.company.with_user(self.kam_manager).action_kam_reset_report_token()
        new = self.company.sudo().kam_report_token
        self.assertTrue(new)
        self.assertNotEqual(new, old)
        # a KAM manager of company 1 cannot reset company 2's address
        token_2 = self.company_2.sudo().kam_report_token
        with self.assertRaises(AccessError):
            self.company_2.with_user(self.kam_manager).action_kam_reset_report_token()
        self.assertEqual(self.company_2.sudo().kam_report_token, token_2)
        # two companies at once get two addresses
        both = self.company | self.company_2
        both.action_kam_reset_report_token()
        self.assertNotEqual(
            self.company.sudo().kam_report_token, self.company_2.sudo().kam_report_token
        )


@tagged("post_install", "-at_install")
class TestQuickReportRows(KamCommon):
    """The quick incident report's rows: only their writer's, none kept."""

    def _wizard(self, user, **values):
        vals = {
            "title": "Cut my hand at press 3",
            "description": "Deep cut, stitches at the hospital",
            "location": "Hall 1",
            "incident_kind": "injury",
        }
        vals.update(values)
        return self.env["kam.incident.quick.report"].with_user(user).create(vals)

    def test_others_cannot_read_or_write_a_row(self):
        other = new_test_user(
            self.env, login="kam_user_2", groups="kam_management.group_kam_user", name="Other"
        )
        wizard = self._wizard(self.kam_user)
        Wizard = self.env["kam.incident.quick.report"]
        for user in (other, self.kam_officer, self.kam_manager):
            with self.subTest(user=user.login):
                self.assertFalse(Wizard.with_user(user).search([]))
                mine = wizard.with_user(user)
                with self.assertRaises(AccessError):
                    mine.read(["title", "description"])
                with self.assertRaises(AccessError):
                    mine.write({"title": "changed"})
        self.assertEqual(wizard.with_user(self.kam_user).title, "Cut my hand at press 3")

    def test_no_row_kept(self):
        Wizard = self.env["kam.incident.quick.report"].sudo()
        for anonymous in (True, False):
            with self.subTest(anonymous=anonymous):
                wizard = self._wizard(self.kam_user, anonymous=anonymous)
                wizard.action_report()
                self.assertFalse(wizard.sudo().exists())
                self.assertFalse(Wizard.search([("create_uid", "=", self.kam_user.id)]))
        # nothing of this user carries the moment of the anonymous report
        anonymous = self.env["kam.case"].search(
            [("is_anonymous", "=", True), ("title", "=", "Cut my hand at press 3")]
        )
        self.assertEqual(len(anonymous), 1)
        self.assertFalse(Wizard.search([("create_date", "=", anonymous.create_date)]))
