import datetime
import io

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import load_dutch
from .test_supplier_evaluation import Q1_END, Q1_START, KamSupplierCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestSupplierPurchase(KamSupplierCommon):
    """Status on the supplier, warning and blocking on purchase orders."""

    def _order(self, partner=None):
        return (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": (partner or self.supplier).id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_qty": 1, "price_unit": 5}
                        )
                    ],
                }
            )
        )

    def _approved(self, score, start=Q1_START, end=Q1_END):
        evaluation = self._evaluation(self._all(score), start=start, end=end)
        evaluation.action_done()
        evaluation.with_user(self.kam_manager).action_approve()
        return evaluation

    def test_status_from_latest_approved_evaluation(self):
        self.assertEqual(self.supplier.kam_supplier_status, "not_evaluated")
        self._approved(9)
        self.supplier.invalidate_recordset()
        self.assertEqual(self.supplier.kam_supplier_status, "approved")
        self.assertEqual(self.supplier.kam_supplier_class, "a")
        self.assertEqual(self.supplier.kam_supplier_score, 90)
        # a later one counts; drafts and done-but-unapproved ones do not
        self._approved(6.5, start=D(2025, 4, 1), end=D(2025, 6, 30))
        self._evaluation(self._all(2), start=D(2025, 7, 1), end=D(2025, 9, 30)).action_done()
        self.supplier.invalidate_recordset()
        self.assertEqual(self.supplier.kam_supplier_status, "conditional")
        self.assertEqual(self.supplier.kam_supplier_evaluation_date, D(2025, 6, 30))
        self.assertEqual(self.supplier.kam_supplier_evaluation_count, 3)
        self.assertEqual(self.supplier_contact.kam_supplier_status, "conditional")
        # the manual block wins
        self.supplier.kam_supplier_blocked = True
        self.assertEqual(self.supplier.kam_supplier_status, "blocked")
        # per company: nothing in the other company
        self.assertEqual(
            self.supplier.with_company(self.company_2).kam_supplier_status, "not_evaluated"
        )
        action = self.supplier.action_kam_supplier_evaluations()
        self.assertEqual(action["domain"], [("partner_id", "=", self.supplier.id)])
        self.assertEqual(action["views"][0][1], "graph")

    def test_warning_banner(self):
        order = self._order()
        self.assertEqual(order.kam_supplier_status, "not_evaluated")
        self.assertIn("has not been evaluated", order.kam_supplier_warning)
        self._approved(7)
        order = self._order()
        self.assertEqual(order.kam_supplier_status, "conditional")
        self.assertIn("conditionally approved", order.kam_supplier_warning)
        self._approved(9, start=D(2025, 4, 1), end=D(2025, 6, 30))
        self.assertFalse(self._order().kam_supplier_warning)

    def _banners_shown(self, order):
        """The names of the KAM banners the purchase order form shows for ``order``
        (their own ``invisible`` expressions, evaluated on the order's values)."""
        arch = etree.fromstring(order.get_views([(False, "form")])["views"]["form"]["arch"])
        values = {
            "kam_supplier_warning": order.kam_supplier_warning,
            "kam_supplier_status": order.kam_supplier_status,
            "state": order.state,
        }
        return {
            node.get("name")
            for node in arch.iterfind(".//div[@role='alert']")
            if node.get("name", "").startswith("kam_supplier")
            and not safe_eval(node.get("invisible"), values)
        }

    def test_banner_on_confirmed_orders(self):
        """Conditionally approved or blocked: the banner stays on the confirmed
        order (receipt checks, follow-up); "not evaluated" only before ordering."""
        order = self._order()
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(self._banners_shown(order), set(), "not evaluated: only before ordering")
        self._approved(7)
        order = self.env["purchase.order"].browse(order.id)
        order.invalidate_recordset()
        self.assertEqual(order.kam_supplier_status, "conditional")
        self.assertEqual(self._banners_shown(order), {"kam_supplier_warning"})
        self.supplier.kam_supplier_blocked = True
        self.supplier.kam_supplier_block_reason = "Laagdikte te laag"
        order.invalidate_recordset()
        self.assertEqual(order.kam_supplier_status, "blocked")
        self.assertEqual(self._banners_shown(order), {"kam_supplier_blocked"})
        draft = self._order()
        self.assertEqual(self._banners_shown(draft), {"kam_supplier_blocked"})

    def test_blocking_follows_the_setting(self):
        self._approved(4)  # class C
        order = self._order()
        self.assertEqual(order.kam_supplier_status, "blocked")
        # setting off: a warning only
        self.company.kam_block_unapproved_suppliers = False
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        # setting on: refused, naming the supplier
        self.company.kam_block_unapproved_suppliers = True
        order = self._order()
        with self.assertRaisesRegex(UserError, "Staal Test B.V. is blocked as a supplier"):
            order.button_confirm()
        self.assertEqual(order.state, "draft")
        # blocked by hand, with the reason
        other = self.env["res.partner"].create({"name": "Hand Blocked", "is_company": True})
        other.write({"kam_supplier_blocked": True, "kam_supplier_block_reason": "Fraud"})
        with self.assertRaisesRegex(UserError, "Hand Blocked is blocked as a supplier: Fraud"):
            self._order(other).button_confirm()
        # conditional and not evaluated suppliers can still be ordered from
        self._order(self.env["res.partner"].create({"name": "New one"})).button_confirm()

    def test_purchase_user_rates_kam_manager_approves(self):
        evaluation = self.Evaluation.with_user(self.buyer).create(
            {
                "partner_id": self.supplier.id,
                "date_start": D(2025, 1, 1),
                "date_end": D(2025, 3, 31),
            }
        )
        evaluation.line_ids.write({"score": 7})
        evaluation.action_done()
        with self.assertRaises(AccessError):
            evaluation.action_approve()
        self.assertEqual(evaluation.state, "done")
        with self.assertRaises(AccessError):
            evaluation.unlink()
        # a plain employee has no access; another company's officer does not see it
        with self.assertRaises(AccessError):
            evaluation.with_user(self.employee).read(["total_score"])
        self.assertFalse(
            self.Evaluation.with_user(self.user_company_2).search([("id", "=", evaluation.id)])
        )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_company_2).read(["total_score"])
        # KAM users rate too
        kam_eval = self.Evaluation.with_user(self.kam_user).create(
            {
                "partner_id": self.supplier.id,
                "date_start": D(2025, 4, 1),
                "date_end": D(2025, 6, 30),
            }
        )
        kam_eval.line_ids.write({"score": 8})
        kam_eval.action_done()
        # criteria are configured by KAM managers only
        with self.assertRaises(AccessError):
            self.crit["price"].with_user(self.buyer).weight = 10


@freeze_time("2026-03-16 10:00:00")
@tagged("post_install", "-at_install")
class TestSupplierCron(KamSupplierCommon):
    """The supplier evaluation cycle, the periodic duty of res.partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.today = fields.Date.context_today(cls.Evaluation)
        cls.activity_type = cls.env.ref("kam_management.mail_activity_kam_supplier_evaluation")

    def _suppliers(self, count, frequency="quarterly", buyer=None, with_orders=True):
        partners = self.env["res.partner"].create(
            [{"name": f"Cron supplier {i}", "is_company": True} for i in range(count)]
        )
        partners.write({"kam_evaluation_frequency": frequency})
        if with_orders:
            orders = self.env["purchase.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "user_id": (buyer or self.buyer).id,
                        "order_line": [
                            Command.create(
                                {"product_id": self.product.id, "product_qty": 1, "price_unit": 1}
                            )
                        ],
                    }
                    for partner in partners
                ]
            )
            # confirmed a month ago (no receipts needed for the cycle)
            orders.write(
                {
                    "state": "purchase",
                    "date_approve": fields.Datetime.now() - relativedelta(months=1),
                }
            )
        return partners

    def _evaluations(self, partners):
        return self.Evaluation.search([("partner_id", "in", partners.ids)])

    def test_cycle_idempotent(self):
        due = self._suppliers(3)
        no_orders = self._suppliers(1, with_orders=False)
        not_cycled = self._suppliers(1, frequency="none")
        later = self._suppliers(1)
        later.kam_evaluation_next_date = self.today + relativedelta(days=5)
        self.Partner._kam_duty_run()
        evaluations = self._evaluations(due | no_orders | not_cycled | later)
        self.assertEqual(evaluations.partner_id, due)
        self.assertEqual(set(evaluations.mapped("state")), {"draft"})
        self.assertEqual(
            set(evaluations.mapped("date_start")), {self.today - relativedelta(months=3)}
        )
        self.assertEqual(set(evaluations.mapped("date_end")), {self.today - relativedelta(days=1)})
        self.assertEqual(evaluations.user_id, self.buyer)
        activities = evaluations.activity_ids
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.buyer)
        self.assertEqual(activities.activity_type_id, self.activity_type)
        # the next date moved on, also without purchases
        next_date = self.today + relativedelta(months=3)
        self.assertEqual(set((due | no_orders).mapped("kam_evaluation_next_date")), {next_date})
        # again: nothing new (not due any more)
        self.Partner._kam_duty_run()
        self.assertEqual(len(self._evaluations(due)), 3)
        # even when due again for the same period: no duplicate
        due.kam_evaluation_next_date = False
        self.Partner._kam_duty_run()
        self.assertEqual(len(self._evaluations(due)), 3)
        # marking done closes the activity
        evaluations[0].line_ids.write({"score": 5})
        evaluations[0].action_done()
        self.assertFalse(evaluations[0].activity_ids)

    def test_buyer_fallbacks(self):
        purchaser = new_test_user(
            self.env, login="kam_purchaser2", groups="purchase.group_purchase_user"
        )
        no_buyer = self._suppliers(1, buyer=self.env["res.users"])
        self.env["purchase.order"].search([("partner_id", "in", no_buyer.ids)]).user_id = False
        no_buyer.buyer_id = purchaser
        nobody = self._suppliers(1)
        self.env["purchase.order"].search([("partner_id", "in", nobody.ids)]).user_id = False
        self.company.kam_supplier_evaluator_id = self.kam_officer
        self.Partner._kam_duty_run()
        self.assertEqual(self._evaluations(no_buyer).user_id, purchaser)
        self.assertEqual(self._evaluations(nobody).user_id, self.kam_officer)

    def test_wrong_weights_create_nothing(self):
        partners = self._suppliers(2)
        self.crit["price"].weight = 50
        self.Partner._kam_duty_run()
        self.assertFalse(self._evaluations(partners))
        self.assertFalse(partners[0].kam_evaluation_next_date)

    def test_small_chunks_cover_everything(self):
        partners = self._suppliers(7)
        self.Partner._kam_duty_run(batch_size=3, companies=self.company)
        self.assertEqual(self._evaluations(partners).partner_id, partners)

    def test_due_date_per_company(self):
        """The next date is company-dependent: the cycle runs per company."""
        partner = self._suppliers(1)
        partner.kam_evaluation_next_date = self.today - relativedelta(days=1)
        partner.with_company(self.company_2).write(
            {
                "kam_evaluation_frequency": "yearly",
                "kam_evaluation_next_date": self.today + relativedelta(days=1),
            }
        )
        self.Partner._kam_duty_run()
        self.assertEqual(self._evaluations(partner).company_id, self.company)
        self.assertEqual(partner.kam_evaluation_next_date, D(2026, 6, 15))
        self.assertEqual(
            partner.with_company(self.company_2).kam_evaluation_next_date, D(2026, 3, 17)
        )
        # month ends: quarterly from 30 November 2026 -> 28 February 2027
        partner.kam_evaluation_next_date = D(2026, 11, 30)
        with freeze_time("2026-12-01"):
            self.Partner._kam_duty_run(companies=self.company)
        self.assertEqual(partner.kam_evaluation_next_date, D(2027, 2, 28))

    def _count(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_cron_query_count_flat_1_vs_50(self):
        one = self._suppliers(1)
        q1 = self._count(lambda: self.Partner._kam_duty_run(companies=self.company))
        self.assertEqual(len(self._evaluations(one)), 1)
        fifty = self._suppliers(50)
        q50 = self._count(lambda: self.Partner._kam_duty_run(companies=self.company))
        self.assertEqual(len(self._evaluations(fifty)), 50)
        self.assertEqual(len(self._evaluations(fifty).activity_ids), 50)
        self.assertLessEqual(q50, q1 + 3, f"supplier cron: {q1} queries for 1, {q50} for 50")


@freeze_time("2026-03-16")
@tagged("post_install", "-at_install")
class TestSupplierCertificates(KamSupplierCommon):
    def test_expiry_reminder_once(self):
        today = fields.Date.context_today(self.Evaluation)
        self.company.kam_certificate_reminder_days = 30
        Certificate = self.env["kam.supplier.certificate"]
        soon = Certificate.create(
            {
                "partner_id": self.supplier_contact.id,
                "standard_id": self.env.ref("kam_management.kam_standard_iso9001_2015").id,
                "name": "Q-123",
                "date_valid_until": today + relativedelta(days=10),
                "user_id": self.kam_officer.id,
            }
        )
        self.assertEqual(soon.partner_id, self.supplier)
        later = Certificate.create(
            {
                "partner_id": self.supplier.id,
                "standard_name": "VCA**",
                "name": "V-9",
                "date_valid_until": today + relativedelta(days=90),
            }
        )
        self.assertIn("VCA**", later.display_name)
        Certificate._kam_duty_run()
        self.assertEqual(len(soon.activity_ids), 1)
        self.assertEqual(soon.activity_ids.user_id, self.kam_officer)
        self.assertFalse(later.activity_ids)
        # never a second one, also not after the first is done
        soon.activity_ids.action_feedback(feedback="Asked for the new certificate")
        Certificate._kam_duty_run()
        self.assertFalse(soon.activity_ids)
        # a renewed certificate is reminded again before its new date
        soon.date_valid_until = today + relativedelta(days=20)
        Certificate._kam_duty_run()
        self.assertEqual(len(soon.activity_ids), 1)
        self.assertEqual(self.supplier.kam_supplier_certificate_ids, soon | later)


@tagged("post_install", "-at_install")
class TestSupplierExports(KamSupplierCommon):
    def _approved(self):
        evaluation = self._evaluation(
            {"quality": 9, "delivery": 7, "price": 8, "communication": 6, "kam": 10},
            remarks="<p>Good partner</p>",
        )
        evaluation.action_done()
        evaluation.with_user(self.kam_manager).action_approve()
        return evaluation

    def test_xlsx_register(self):
        evaluation = self._approved()
        self._evaluation(self._all(5), partner=self.env["res.partner"].create({"name": "Zeta"}))
        filename, content = (
            self.env["kam.supplier.evaluation"]
            .with_user(self.kam_officer)
            ._kam_register_export("supplier_evaluation", [("partner_id", "=", self.supplier.id)])
        )
        self.assertTrue(filename.startswith("supplier_evaluations_"))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet["A1"].value, "Supplier evaluations")
        header = [cell.value for cell in sheet[4]]
        for label in (
            "Supplier",
            "Period from",
            "Score",
            "Class",
            "On-time delivery (%)",
            "Return rate (%)",
            "Supplier nonconformities",
            "Score: Delivery reliability",
            "Score: Quality",
            "Approved by",
        ):
            self.assertIn(label, header)
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        self.assertEqual(len(rows), 1)
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual(row["Supplier"], "Staal Test B.V.")
        self.assertEqual(row["Period from"], datetime.datetime(2025, 1, 1))
        self.assertEqual(row["Score"], 82.5)
        self.assertEqual(row["Class"], "A")
        self.assertEqual(row["Status"], "Approved")
        self.assertEqual(row["Score: Delivery reliability"], 7)
        self.assertEqual(row["Supplier nonconformities"], 0)
        self.assertEqual(row["Approved by"], self.kam_manager.name)
        self.assertEqual(evaluation.approved_by_id, self.kam_manager)
        # the other company's officer exports nothing of ours
        _name, content = (
            self.env["kam.supplier.evaluation"]
            .with_user(self.user_company_2)
            .with_company(self.company_2)
            ._kam_register_export("supplier_evaluation")
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(list(sheet.iter_rows(min_row=5, values_only=True)), [])

    def test_letter_html_per_language(self):
        evaluation = self._approved()
        report = self.env.ref("kam_management.action_report_kam_supplier_letter")
        html = report._render_qweb_html(report.report_name, evaluation.ids)[0].decode()
        self.assertIn("Dear <span>Staal Test B.V.</span>", html)
        self.assertIn("82.5", html)
        self.assertIn("class A", html)
        self.assertIn("Delivery reliability", html)
        self.assertIn("remain an approved supplier", html)
        # a Dutch supplier gets the letter in Dutch
        load_dutch(self.env)
        self.supplier.lang = "nl_NL"
        html = report._render_qweb_html(report.report_name, evaluation.ids)[0].decode()
        self.assertIn("Geachte", html)
        self.assertIn("Leverbetrouwbaarheid", html)
        self.assertNotIn("Dear ", html)

    def test_send_letter_action(self):
        evaluation = self._approved()
        action = evaluation.action_send_letter()
        self.assertEqual(action["res_model"], "mail.compose.message")
        template = self.env.ref("kam_management.mail_template_kam_supplier_evaluation")
        self.assertEqual(action["context"]["default_template_id"], template.id)
        composer = self.env["mail.compose.message"].with_context(**action["context"]).create({})
        self.assertIn("Staal Test B.V.", composer.body)
        self.assertEqual(composer.partner_ids, self.supplier)


@tagged("post_install", "-at_install")
class TestSupplierLetterPdf(HttpCase):
    """The real PDF through wkhtmltopdf (assets from this test's server)."""

    def test_letter_pdf_file(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        supplier = self.env["res.partner"].create({"name": "Pdf Supplier", "is_company": True})
        evaluation = self.env["kam.supplier.evaluation"].create(
            {"partner_id": supplier.id, "date_start": D(2025, 1, 1), "date_end": D(2025, 6, 30)}
        )
        evaluation.line_ids.write({"score": 7})
        report = self.env.ref("kam_management.action_report_kam_supplier_letter")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, evaluation.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)
