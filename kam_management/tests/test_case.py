from datetime import date, timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.kam_management.tools.registry import models_inheriting

from .common import KamCommon


class KamCaseCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["kam.case"]
        cls.Action = cls.env["kam.action"]
        cls.stage_closed = cls.env.ref("kam_management.kam_case_stage_closed")
        cls.stage_new = cls.env.ref("kam_management.kam_case_stage_new")
        cls.today = fields.Date.context_today(cls.Case)

    def _case(self, **vals):
        values = {"title": "Burr on mounting bracket", "user_id": self.kam_officer.id}
        values.update(vals)
        return self.Case.create(values)

    def _action(self, case, **vals):
        values = {
            "name": "Deburr the stock",
            "case_id": case.id,
            "user_id": self.kam_user.id,
            "deadline": self.today + timedelta(days=14),
        }
        values.update(vals)
        return self.Action.create(values)


@tagged("post_install", "-at_install")
class TestCaseWorkflow(KamCaseCommon):
    def test_full_cycle(self):
        """create -> analyse -> actions -> verify -> close -> reopen."""
        case = self._case(case_type="nonconformity")
        year = self.today.year
        self.assertRegex(case.name, rf"^AFW/{year}/\d{{4}}$")
        self.assertEqual(case.stage_id, self.stage_new)
        self.assertFalse(case.is_closed)

        # analysis: 4M causes and a 5-why chain ending in the root cause
        case.write(
            {
                "correction": "<p>Sorted the batch, 12 brackets deburred.</p>",
                "extent_analysis": "<p>Same press used for 3 other products.</p>",
                "fishbone_cause_ids": [
                    (0, 0, {"category": "machine", "name": "Worn punch"}),
                    (0, 0, {"category": "method", "name": "No burr check in instruction"}),
                ],
                "why_ids": [
                    (0, 0, {"question": "Why a burr?", "name": "Worn punch", "sequence": 1}),
                    (
                        0,
                        0,
                        {
                            "question": "Why worn?",
                            "name": "No maintenance interval",
                            "sequence": 2,
                            "is_root_cause": True,
                            "category": "management",
                        },
                    ),
                ],
            }
        )
        self.assertEqual(len(case.cause_ids), 4)
        self.assertEqual(case.fishbone_cause_ids.mapped("method"), ["fishbone", "fishbone"])
        self.assertEqual(case.why_ids.mapped("method"), ["why", "why"])
        self.assertTrue(case.has_root_cause)
        self.assertEqual(case.root_cause_category, "management")
        self.assertIn("<svg", case.ishikawa_svg)
        self.assertIn("Worn punch", case.ishikawa_svg)

        # actions: an activity for the owner
        action = self._action(case, kind="corrective")
        self.assertEqual(action.source_ref, case)
        self.assertEqual(action.company_id, case.company_id)
        activity = action.activity_ids
        self.assertEqual(activity.user_id, self.kam_user)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("kam_management.mail_activity_kam_action")
        )
        self.assertEqual(activity.date_deadline, action.deadline)
        self.assertEqual((case.action_count, case.open_action_count), (1, 1))

        # the owner carries it out, the officer verifies
        action.with_user(self.kam_user).action_done()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.activity_ids, "done closes the owner's activity")
        action.effectiveness_result = "No burrs in 3 following batches."
        action.with_user(self.kam_officer).action_verify()
        self.assertEqual(action.state, "verified")
        self.assertEqual(action.verified_by_id, self.kam_officer)

        case.with_user(self.kam_officer).action_close()
        self.assertTrue(case.is_closed)
        self.assertEqual(case.stage_id, self.stage_closed)
        self.assertEqual(case.closed_by_id, self.kam_officer)
        self.assertTrue(case.closed_date)

        case.with_user(self.kam_officer).action_reopen(reason="The burrs are back.")
        self.assertFalse(case.is_closed)
        self.assertFalse(case.closed_date)
        self.assertIn("reopened", case.message_ids[0].body.lower())

    def test_sequence_per_type(self):
        year = self.today.year
        prefixes = {
            "nonconformity": "AFW",
            "complaint": "KL",
            "incident": "INC",
            "improvement": "VB",
        }
        for case_type, prefix in prefixes.items():
            case = self._case(case_type=case_type)
            self.assertTrue(case.name.startswith(f"{prefix}/{year}/"), case.name)
        default_typed = self.Case.with_context(default_case_type="complaint").create({"title": "x"})
        self.assertEqual(default_typed.case_type, "complaint")
        self.assertTrue(default_typed.name.startswith("KL/"))

    def test_tracking(self):
        """The audit trail records changes of the fields that matter."""
        case = self._case()
        self.env.flush_all()
        self.env.cr.flush()
        case.write({"severity": "major", "deadline": self.today + timedelta(days=3)})
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the cursor flushes
        case.invalidate_recordset()
        tracked = case.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("severity", tracked)
        self.assertIn("deadline", tracked)

    def test_triage_close_without_action(self):
        case = self._case()
        # an immediate correction can be recorded before any analysis
        case.write({"correction": "<p>Label replaced.</p>", "correction_date": self.today})
        with self.assertRaisesRegex(UserError, "record why no corrective action is needed"):
            case.with_user(self.kam_officer).action_close_no_action()
        case.no_action_reason = "One-off labelling slip, no systemic cause."
        with self.assertRaises(AccessError):
            case.with_user(self.kam_user).action_close_no_action()
        case.with_user(self.kam_officer).action_close_no_action()
        self.assertTrue(case.is_closed)
        self.assertTrue(case.no_action_needed)

    def test_not_effective_reopens_case(self):
        case = self._case(why_ids=[(0, 0, {"name": "Root", "is_root_cause": True})])
        action = self._action(case)
        action.action_done()
        action.effectiveness_result = "Burrs again in the next batch."
        case.with_user(self.kam_officer).action_close()
        self.assertTrue(case.is_closed)
        action.with_user(self.kam_officer).action_not_effective()
        self.assertEqual(action.state, "not_effective")
        self.assertFalse(case.is_closed)
        self.assertIn("not effective", case.message_ids[0].body)

    def test_report_from_documents(self):
        partner = self.env["res.partner"].create({"name": "Bouwbedrijf Test"})
        product = self.env["product.product"].create({"name": "Bracket"})
        order = self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": product.id})]}
        )
        action = order.action_kam_report_case()
        self.assertEqual(action["res_model"], "kam.case")
        ctx = action["context"]
        self.assertEqual(ctx["default_res_model"], "sale.order")
        self.assertEqual(ctx["default_res_id"], order.id)
        self.assertEqual(ctx["default_partner_id"], partner.id)
        self.assertEqual(ctx["default_source"], "customer")
        with Form(self.Case.with_context(**ctx)) as form:
            form.title = "Wrong colour delivered"
        case = form.record
        self.assertEqual(case.res_name, order.display_name)
        self.assertEqual(case.partner_id, partner)
        self.assertEqual(case.action_open_related()["res_id"], order.id)

        department = self.env["hr.department"].create({"name": "Montage"})
        employee = self.env["hr.employee"].create({"name": "Jan", "department_id": department.id})
        ctx = employee.action_kam_report_case()["context"]
        self.assertEqual(ctx["default_department_id"], department.id)
        # the server actions are bound to the documents' forms
        for xmlid in (
            "sale_order",
            "purchase_order",
            "stock_picking",
            "hr_employee",
            "product_template",
        ):
            server_action = self.env.ref(f"kam_management.action_report_case_{xmlid}")
            self.assertEqual(server_action.binding_model_id.model, server_action.model_id.model)
            # ... and call the mixin every such document inherits
            self.assertIn(
                server_action.model_id.model, models_inheriting(self.env, "kam.reportable.mixin")
            )
            self.assertIn("records.action_kam_report_case()", server_action.code)
        # a receipt from a supplier reports a supplier case
        supplier = self.env["res.partner"].create({"name": "Staal Test"})
        receipt = self.env["stock.picking"].create(
            {
                "partner_id": supplier.id,
                "picking_type_id": self.env.ref("stock.picking_type_in").id,
            }
        )
        ctx = receipt.action_kam_report_case()["context"]
        self.assertEqual(
            (ctx["default_partner_id"], ctx["default_source"]), (supplier.id, "supplier")
        )
        result = (
            self.env.ref("kam_management.action_report_case_sale_order")
            .with_context(active_model="sale.order", active_id=order.id, active_ids=order.ids)
            .run()
        )
        self.assertEqual(result["context"]["default_res_id"], order.id)

    def test_case_report_pdf(self):
        case = self._case(
            description="<p>Bracket with a sharp burr</p>",
            fishbone_cause_ids=[
                (0, 0, {"category": "machine", "name": "Worn punch", "is_root_cause": True})
            ],
        )
        self._action(case, name="Replace punch")
        report = self.env.ref("kam_management.action_report_kam_case")
        html = report._render_qweb_html(report.report_name, case.ids)[0].decode()
        for text in (case.name, "Bracket with a sharp burr", "Worn punch", "Replace punch", "<svg"):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestCaseRules(KamCaseCommon):
    def test_cannot_close_with_open_actions(self):
        case = self._case(why_ids=[(0, 0, {"name": "Root", "is_root_cause": True})])
        action = self._action(case)
        with self.assertRaisesRegex(UserError, "still open: Deburr the stock"):
            case.with_user(self.kam_officer).action_close()
        # not through the kanban/statusbar either
        with self.assertRaisesRegex(UserError, "still open"):
            case.with_user(self.kam_officer).stage_id = self.stage_closed
        action.action_done()
        case.with_user(self.kam_officer).action_close()
        self.assertTrue(case.is_closed)

    def test_root_cause_required_per_type(self):
        case = self._case(case_type="nonconformity")
        with self.assertRaisesRegex(UserError, "without a root cause"):
            case.with_user(self.kam_officer).action_close()
        # improvement suggestions need no root cause by default
        idea = self._case(case_type="improvement")
        idea.with_user(self.kam_officer).action_close()
        self.assertTrue(idea.is_closed)
        # configurable per case type
        self.env.ref("kam_management.kam_case_type_nonconformity").root_cause_required = False
        case.with_user(self.kam_officer).action_close()
        self.assertTrue(case.is_closed)

    def test_only_officers_close(self):
        case = self._case(case_type="improvement", reported_by_id=self.kam_user.id)
        with self.assertRaisesRegex(AccessError, "Only KAM officers can close"):
            case.with_user(self.kam_user).action_close()

    def test_deadline_not_before_found(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._case(date_found=date(2026, 5, 10), deadline=date(2026, 5, 9))

    def test_action_deadline_not_before_case(self):
        case = self._case(date_found=date(2026, 5, 10))
        with self.assertRaisesRegex(UserError, "cannot be before 2026-05-10"):
            self._action(case, deadline=date(2026, 5, 1))

    def test_closed_case_not_deleted(self):
        case = self._case(case_type="improvement")
        case.with_user(self.kam_officer).action_close()
        with self.assertRaisesRegex(UserError, "archive them instead"):
            case.unlink()
        case.action_archive()
        self.assertFalse(case.active)
        open_case = self._case()
        open_case.unlink()
        self.assertFalse(open_case.exists())

    def test_done_action_not_deleted(self):
        action = self._action(self._case())
        action.action_done()
        with self.assertRaisesRegex(UserError, "archive them instead"):
            action.unlink()

    def test_verification_rules(self):
        action = self._action(self._case())
        with self.assertRaisesRegex(UserError, "must be done before"):
            action.with_user(self.kam_officer).action_verify()
        action.action_done()
        with self.assertRaisesRegex(UserError, "Record the result"):
            action.with_user(self.kam_officer).action_verify()
        action.effectiveness_result = "OK"
        with self.assertRaisesRegex(AccessError, "Only KAM officers"):
            action.with_user(self.kam_user).action_verify()
        with self.assertRaisesRegex(UserError, "Only open actions"):
            action.action_done()

    def test_stage_must_fit_type(self):
        complaint_type = self.env.ref("kam_management.kam_case_type_complaint")
        stage = self.env["kam.case.stage"].create(
            {"name": "Waiting for customer", "state": "waiting", "type_ids": complaint_type.ids}
        )
        with self.assertRaisesRegex(UserError, "not used for cases of type"):
            self._case(case_type="nonconformity", stage_id=stage.id)
        self.assertEqual(self._case(case_type="complaint", stage_id=stage.id).stage_id, stage)
        self.assertIn(stage, complaint_type.stage_ids)
        # code finds stages by meaning: the first waiting stage of the type
        self.assertEqual(complaint_type._stage("waiting"), stage)

    def test_overdue_search(self):
        late = self._case(
            date_found=self.today - timedelta(days=10), deadline=self.today - timedelta(days=1)
        )
        fine = self._case(deadline=self.today + timedelta(days=1))
        overdue = self.Case.search([("is_overdue", "=", True), ("id", "in", (late | fine).ids)])
        self.assertEqual(overdue, late)
        self.assertTrue(late.is_overdue)
        not_overdue = self.Case.search(
            [("is_overdue", "=", False), ("id", "in", (late | fine).ids)]
        )
        self.assertEqual(not_overdue, fine)


@tagged("post_install", "-at_install")
class TestLinkedRecords(KamCaseCommon):
    def test_open_source_and_related(self):
        partner = self.env["res.partner"].create({"name": "Linked"})
        case = self._case(res_model="res.partner", res_id=partner.id)
        self.assertEqual(case.action_open_related()["res_id"], partner.id)
        action = self._action(case)
        opened = action.action_open_source()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("kam.case", case.id))
        self.assertEqual(action.source_name, case.display_name)
        # the owner of an action on a case they may not read still sees its name
        self.assertEqual(action.with_user(self.kam_user).source_name, case.display_name)
        # moved to another case: the source follows, nothing stale remains
        other_case = self._case(title="Another case")
        action.case_id = other_case
        self.assertEqual(action.source_ref, other_case)
        self.assertEqual(action.source_name, other_case.display_name)
        self.assertEqual(action.action_open_source()["res_id"], other_case.id)
        self.assertFalse(self._case().action_open_related())


@tagged("post_install", "-at_install")
class TestCaseReportPdf(HttpCase):
    """The real PDF through wkhtmltopdf, which loads the report's assets over
    HTTP: from this test's server, not from a server that may not run."""

    def test_case_report_pdf_file(self):
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        officer = new_test_user(self.env, "pdf_officer", groups="kam_management.group_kam_officer")
        case = self.env["kam.case"].create(
            {
                "title": "Bracket with a burr",
                "user_id": officer.id,
                "fishbone_cause_ids": [(0, 0, {"category": "machine", "name": "Worn punch"})],
            }
        )
        report = self.env.ref("kam_management.action_report_kam_case")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, case.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)
