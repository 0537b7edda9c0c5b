from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import KamCommon

X2MANY = ("one2many", "many2many")
# an employee sees the documents that apply to them and the meetings they attend
NOT_EVERY_EMPLOYEE = ("kam.document", "kam.document.version", "kam.toolbox")


@tagged("post_install", "-at_install")
class TestScreensPerRole(KamCommon):
    """Every screen a role reaches, opened the way the web client opens it: the
    form's views (``get_views``) and the read of every field they show, sub-lists
    included (``web_read``); then every smart button it shows and the record
    each one opens, and every many2one link it can follow. A screen that a role
    reaches must open without an access error (a KAM officer opening the sale
    order of a complaint: "Failed to read field sale.order.line.invoice_lines")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.purchaser = new_test_user(
            env, login="kam_purchaser", groups="purchase.group_purchase_user", name="Purchaser"
        )
        cls.salesman_user = new_test_user(
            env,
            login="kam_salesman",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
            name="Salesman",
        )
        cls.customer = env["res.partner"].create(
            {"name": "Klant B.V.", "is_company": True, "email": "info@klant.example.com"}
        )
        cls.supplier = env["res.partner"].create(
            {"name": "Leverancier B.V.", "is_company": True, "supplier_rank": 1}
        )
        cls.product = env["product.product"].create(
            {"name": "RVS leuning", "type": "consu", "is_storable": True}
        )
        cls.order = env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesman_user.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.order.action_confirm()
        cls.purchase = env["purchase.order"].create(
            {
                "partner_id": cls.supplier.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_qty": 5, "price_unit": 3}
                    )
                ],
            }
        )
        cls.purchase.button_confirm()
        cls.picking = cls.purchase.picking_ids[:1]
        department = env["hr.department"].create({"name": "Productie"})
        cls.employee = env["hr.employee"].create({"name": "Ahmed", "department_id": department.id})
        Case = env["kam.case"].with_context(kam_no_acknowledgement=True)
        reporter = {"reported_by_id": cls.kam_user.id, "user_id": cls.kam_officer.id}
        cls.complaint = Case.create(
            dict(
                reporter,
                title="Leuning krom",
                case_type="complaint",
                partner_id=cls.customer.id,
                sale_order_id=cls.order.id,
                sale_line_ids=[Command.set(cls.order.order_line.ids)],
                product_id=cls.product.id,
                res_model="sale.order",
                res_id=cls.order.id,
            )
        )
        cls.cases = cls.complaint
        for record in (cls.purchase, cls.picking, cls.product.product_tmpl_id, cls.employee):
            cls.cases |= Case.create(dict(reporter, **record._kam_case_defaults()))
        factor = env["kam.risk.factor"]
        cls.risk = env["kam.risk"].create(
            {
                "name": "Bekneld raken",
                "user_id": cls.kam_officer.id,
                "probability_id": factor.search([("axis", "=", "probability")], limit=1).id,
                "exposure_id": factor.search([("axis", "=", "exposure")], limit=1).id,
                "effect_id": factor.search([("axis", "=", "effect")], limit=1).id,
            }
        )
        env["kam.action"].create(
            {
                "name": "Lichtscherm",
                "risk_id": cls.risk.id,
                "user_id": cls.kam_officer.id,
                "deadline": fields.Date.today(),
            }
        )
        cls.incident = Case.create(
            dict(
                reporter,
                title="Bijna-ongeval",
                case_type="incident",
                incident_kind="near_miss",
                risk_id=cls.risk.id,
                employee_ids=[Command.set(cls.employee.ids)],
            )
        )
        cls.evaluation = env["kam.supplier.evaluation"].create(
            {
                "partner_id": cls.supplier.id,
                "date_start": "2026-01-01",
                "date_end": "2026-03-31",
                "user_id": cls.purchaser.id,
            }
        )

        # the registers and documents of the management system (a list: several models)
        cls.registers = []
        cls.registers += env["kam.requirement"].create(
            {
                "name": "Arbeidsomstandighedenwet",
                "short_name": "Arbowet",
                "user_id": cls.kam_officer.id,
            }
        )
        cls.registers += env["kam.aspect"].create(
            {
                "name": "Lasrook",
                "activity": "Lassen",
                "impact": "Luchtverontreiniging",
                "user_id": cls.kam_officer.id,
                "frequency_id": factor.search([("axis", "=", "frequency")], limit=1).id,
                "severity_id": factor.search([("axis", "=", "severity")], limit=1).id,
            }
        )
        cls.registers += env["kam.context.issue"].create(
            {
                "name": "Krapte op de arbeidsmarkt",
                "category": "social",
                "user_id": cls.kam_officer.id,
            }
        )
        cls.registers += env["kam.interested.party"].create(
            {"name": "Klanten in de bouw", "category": "customers", "user_id": cls.kam_officer.id}
        )
        cls.registers += env["kam.risk.opportunity"].create(
            {
                "name": "Uitval van ervaren operators",
                "likelihood_id": factor.search([("axis", "=", "likelihood")], limit=1).id,
                "impact_id": factor.search([("axis", "=", "impact")], limit=1).id,
                "user_id": cls.kam_officer.id,
            }
        )
        document = env["kam.document"].create(
            {
                "code": "WI-12",
                "name": "Lassen met afzuiging",
                "doc_type": "work_instruction",
                "user_id": cls.kam_officer.id,
            }
        )
        version = env["kam.document.version"].create(
            {"document_id": document.id, "body": "<p>Altijd met afzuiging lassen.</p>"}
        )
        version.action_submit()
        version.action_approve()
        version.action_release()
        cls.registers += [document, version]
        cls.registers += env["kam.toolbox"].create(
            {
                "name": "Veilig lassen",
                "date": fields.Datetime.now(),
                "user_id": cls.kam_officer.id,
                "department_id": department.id,
            }
        )
        cls.advice = env["kam.advice"].create(
            {
                "name": "Afzuiging vervangen",
                "kind": "unasked",
                "addressee_id": cls.kam_manager.id,
                "advice": "<p>Blootstelling boven de halve grenswaarde.</p>",
                "response_deadline": fields.Date.today(),
            }
        )
        cls.audit = env["kam.audit"].create(
            {"title": "Inkoop en leveranciersbeoordeling", "date_planned": fields.Date.today()}
        )

    # ------------------------------------------------------------------ the client
    def _fields_of(self, node):
        """The field nodes of a view (sub-)arch, not those of nested sub-views."""
        return [
            field
            for field in node.iterfind(".//field")
            if not any(parent.tag == "field" for parent in field.iterancestors())
            or next(field.iterancestors("field")) is node
        ]

    def _spec(self, models, model, node):
        """What the web client reads for the fields the (sub-)arch ``node`` shows."""
        spec = {}
        descriptions = models[model]["fields"]
        for field in self._fields_of(node):
            name = field.get("name")
            desc = descriptions.get(name) or {}
            if desc.get("type") in X2MANY:
                sub = next((child for child in field if child.tag in ("list", "kanban")), None)
                if sub is not None and desc.get("relation") in models:
                    spec[name] = {"fields": self._spec(models, desc["relation"], sub)}
                else:
                    spec[name] = {"fields": {"display_name": {}}}
            elif desc.get("type") == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def _open_form(self, record, view_id=False, path=""):
        """Open ``record`` in its form as the web client does; returns the arch,
        the values read and the fields' descriptions."""
        where = f"{path} > {record._name}({record.id})"
        try:
            result = record.get_views([(view_id, "form")])
            arch = etree.fromstring(result["views"]["form"]["arch"])
            values = record.web_read(self._spec(result["models"], record._name, arch))[0]
        except AccessError as error:
            self.fail(f"{record.env.user.login}: {where}: {error}")
        return arch, values, result["models"][record._name]["fields"], where

    def _visible(self, node, values):
        expression = node.get("invisible")
        if not expression:
            return True
        context = {
            name: (value.get("id") if isinstance(value, dict) else value)
            for name, value in values.items()
        }
        context.setdefault("context", {})
        try:
            return not safe_eval(expression, context)
        except (NameError, ValueError, SyntaxError, TypeError):
            return True

    def _follow(self, env, action, where):
        if not isinstance(action, dict) or action.get("type") != "ir.actions.act_window":
            return
        Model = env[action["res_model"]].with_context(**(action.get("context") or {}))
        if action.get("res_id"):
            view_id = next((v for v, kind in action.get("views") or [] if kind == "form"), False)
            self._open_form(Model.browse(action["res_id"]), view_id, where)
            return
        try:
            result = Model.get_views([(False, "list")])
            arch = etree.fromstring(result["views"]["list"]["arch"])
            Model.web_search_read(
                action.get("domain") or [],
                self._spec(result["models"], Model._name, arch),
                limit=80,
            )
        except AccessError as error:
            self.fail(f"{env.user.login}: {where} > list of {Model._name}: {error}")

    def _walk(self, record, path=""):
        """The form of ``record``, its smart buttons and their targets, its links."""
        arch, values, descriptions, where = self._open_form(record, path=path)
        for button in arch.iterfind(".//div[@name='button_box']/button[@type='object']"):
            if not self._visible(button, values):
                continue
            name = button.get("name")
            try:
                action = getattr(record, name)()
            except AccessError as error:
                self.fail(f"{record.env.user.login}: {where} button {name}: {error}")
            self._follow(record.env, action, f"{where} button {name}")
        for node in self._fields_of(arch):
            name = node.get("name")
            desc = descriptions.get(name) or {}
            if desc.get("type") != "many2one" or not values.get(name):
                continue
            if not self._visible(node, values) or "no_open" in (node.get("options") or ""):
                continue
            if node.get("widget") in ("many2one_avatar_user", "many2one_avatar_employee"):
                continue  # opens a card, not the form
            target = record.env[desc["relation"]].browse(values[name]["id"])
            self._open_form(target, path=f"{where} link {name}")

    def _walk_as(self, user, records):
        for record in records:
            with self.subTest(user=user.login, record=record.display_name):
                self._walk(record.with_user(user))

    # ------------------------------------------------------------------ roles
    def test_kam_user(self):
        """Every employee: the cases they reported, the RI&E, the supplier
        evaluations (read)."""
        # documents and toolbox meetings: those that apply to the employee (their
        # own tests); the registers: all of them, read-only
        registers = [r for r in self.registers if r._name not in NOT_EVERY_EMPLOYEE]
        self._walk_as(
            self.kam_user, [*self.cases, self.incident, self.risk, self.evaluation, *registers]
        )

    def test_kam_officer(self):
        """The KAM coordinator investigates: the order of a complaint, the
        purchase order and receipt of a supplier case, the product, the employee."""
        self._walk_as(
            self.kam_officer,
            [
                *self.cases,
                self.incident,
                self.risk,
                self.evaluation,
                self.customer,
                self.supplier,
                *self.registers,
                self.advice,
                self.audit,
            ],
        )

    def test_kam_manager(self):
        self._walk_as(
            self.kam_manager,
            [
                *self.cases,
                self.incident,
                self.risk,
                self.evaluation,
                *self.registers,
                self.advice,
                self.audit,
            ],
        )

    def test_purchaser(self):
        """A purchaser without a KAM role: supplier evaluations, the supplier, the order."""
        self._walk_as(self.purchaser, [self.evaluation, self.supplier, self.purchase])

    def test_salesman(self):
        """Sales staff with the KAM user role: the order and its complaints."""
        self._walk_as(self.salesman_user, [self.order, self.customer])

    # ------------------------------------------------------------------ menus
    def _open_action(self, user, action, where):
        """Run a menu's action as ``user`` the way the web client does."""
        env = self.env(user=user)
        if action._name == "ir.actions.server":
            try:
                result = action.with_user(user).run()
            except AccessError as error:
                self.fail(f"{user.login}: {where}: {error}")
            self._follow(env, result, where)
            return
        if action._name != "ir.actions.act_window":
            return
        values = env["ir.actions.act_window"]._for_xml_id(action.get_external_id()[action.id])
        context = safe_eval(values.get("context") or "{}", {"uid": user.id, "active_id": False})
        Model = env[values["res_model"]].with_context(**context)
        domain = safe_eval(values.get("domain") or "[]", {"uid": user.id})
        modes = (values.get("view_mode") or "list").split(",")
        try:
            result = Model.get_views([(False, mode) for mode in modes] + [(False, "search")])
            if values.get("target") == "new" or modes == ["form"]:
                Model.onchange(
                    {},
                    [],
                    self._spec(
                        result["models"],
                        Model._name,
                        etree.fromstring(result["views"]["form"]["arch"]),
                    ),
                )
                return
            view = next(mode for mode in modes if mode in ("list", "kanban"))
            arch = etree.fromstring(result["views"][view]["arch"])
            Model.web_search_read(domain, self._spec(result["models"], Model._name, arch), limit=80)
        except AccessError as error:
            self.fail(f"{user.login}: {where}: {error}")

    def test_every_menu_opens_for_whoever_sees_it(self):
        """Each role sees only the menus it may open, and every one of them opens."""
        menus = self.env["ir.model.data"].search(
            [("module", "=", "kam_management"), ("model", "=", "ir.ui.menu")]
        )
        for user in (
            self.kam_user,
            self.kam_officer,
            self.kam_manager,
            self.purchaser,
            self.salesman_user,
        ):
            visible = self.env["ir.ui.menu"].with_user(user).sudo()._visible_menu_ids()
            for data in menus:
                menu = self.env["ir.ui.menu"].browse(data.res_id)
                if menu.id not in visible or not menu.action:
                    continue
                with self.subTest(user=user.login, menu=data.name):
                    self._open_action(user, menu.action.sudo(), data.name)

    def test_kam_manager_owns_the_kam_settings(self):
        """KAM managers change the KAM settings of their company without being
        administrators; other users do not, and nobody changes other company
        fields this way."""
        self.assertFalse(self.kam_manager.has_group("base.group_system"))
        menu = self.env.ref("kam_management.menu_kam_config_settings")
        action = menu.action.with_user(self.kam_manager).run()
        self.assertEqual(action["res_model"], "res.company")
        company = self.env["res.company"].with_user(self.kam_manager).browse(action["res_id"])
        self.assertEqual(company, self.company)
        form = action["views"][0][0]
        arch, values, _descriptions, _where = self._open_form(company, form)
        self.assertIn("kam_risk_method_id", values)
        # every KAM setting of Odoo's settings page is on their form (registers and
        # documents included) and theirs to change
        settings = self.env["res.config.settings"]._fields.values()
        owned = {
            field.related.split(".")[1]
            for field in settings
            if field.related and field.related.startswith("company_id.kam_") and not field.readonly
        }
        self.assertIn("kam_toolbox_plan_days", owned)
        self.assertLessEqual(owned, set(values), "on the KAM settings form")
        self.assertLessEqual(owned, self.env["res.company"]._kam_settings_fields())
        company.web_save(
            {"kam_escalation_days": 9, "kam_supplier_class_a_min": 85, "kam_toolbox_plan_days": 21},
            {},
        )
        self.assertEqual(self.company.kam_toolbox_plan_days, 21)
        self.assertEqual(self.company.kam_escalation_days, 9)
        self.assertEqual(self.company.kam_supplier_class_a_min, 85)
        with self.assertRaises(AccessError):
            company.write({"name": "Renamed", "kam_escalation_days": 3})
        with self.assertRaises(AccessError):
            self.company.with_user(self.kam_officer).write({"kam_escalation_days": 3})
        with self.assertRaises(AccessError):
            self.env["res.company"].with_user(self.kam_officer).action_kam_open_settings()
        with self.assertRaises(AccessError):
            self.company_2.with_user(self.kam_manager).write({"kam_escalation_days": 3})
        with self.assertRaises(AccessError):
            self.company.with_user(self.kam_officer).action_kam_reset_report_token()
