import datetime

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.kam_management.tools.supplier_scores import (
    nonconformity_score,
    on_time_score,
    return_score,
    supplier_class,
)

from .common import KamCommon

D = datetime.date
DT = datetime.datetime
Q1_START, Q1_END = D(2025, 1, 1), D(2025, 3, 31)


class KamSupplierCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Evaluation = cls.env["kam.supplier.evaluation"]
        cls.criteria = cls.env["kam.supplier.criterion"]._for_company(cls.company)
        cls.crit = {
            "quality": cls.env.ref("kam_management.kam_supplier_criterion_quality"),
            "delivery": cls.env.ref("kam_management.kam_supplier_criterion_delivery"),
            "price": cls.env.ref("kam_management.kam_supplier_criterion_price"),
            "communication": cls.env.ref("kam_management.kam_supplier_criterion_communication"),
            "kam": cls.env.ref("kam_management.kam_supplier_criterion_kam"),
        }
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Staal Test B.V.", "is_company": True}
        )
        cls.supplier_contact = cls.env["res.partner"].create(
            {"name": "Jan Inkoop", "parent_id": cls.supplier.id}
        )
        cls.buyer = new_test_user(
            cls.env, login="kam_buyer", groups="purchase.group_purchase_user", name="Buyer"
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Plate S235", "type": "consu", "is_storable": True}
        )

    @classmethod
    def _receive(cls, partner, qty, planned, done):
        """A purchase order of ``qty`` promised on ``planned``, received on ``done``."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": qty,
                            "price_unit": 10,
                            "date_planned": planned,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.button_validate()
        picking.date_done = done
        picking.move_ids.date = done
        return picking

    @classmethod
    def _return(cls, picking, qty, done):
        """A return of ``qty`` of ``picking``, done on ``done``."""
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(
                active_ids=picking.ids, active_id=picking.id, active_model="stock.picking"
            )
            .create({})
        )
        wizard.product_return_moves.quantity = qty
        returned = cls.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = qty
        returned.move_ids.picked = True
        returned.button_validate()
        returned.date_done = done
        returned.move_ids.date = done
        return returned

    def _evaluation(self, scores=None, partner=None, start=Q1_START, end=Q1_END, **kw):
        """An evaluation scored by hand: ``scores`` {criterion key: score}."""
        evaluation = self.Evaluation.create(
            dict(
                {
                    "partner_id": (partner or self.supplier).id,
                    "date_start": start,
                    "date_end": end,
                },
                **kw,
            )
        )
        for key, score in (scores or {}).items():
            evaluation.line_ids.filtered(
                lambda line, k=key: line.criterion_id == self.crit[k]
            ).score = score
        return evaluation

    def _all(self, score):
        return dict.fromkeys(self.crit, score)


@tagged("post_install", "-at_install")
class TestSupplierScores(KamSupplierCommon):
    def test_score_mapping(self):
        self.assertEqual(on_time_score(100), 10)
        self.assertEqual(on_time_score(98), 10)
        self.assertEqual(on_time_score(74), 5.0)
        self.assertEqual(on_time_score(50), 0)
        self.assertEqual(on_time_score(10), 0)
        self.assertIsNone(on_time_score(None))
        self.assertEqual(return_score(0), 10)
        self.assertEqual(return_score(2.5), 7.5)
        self.assertEqual(return_score(12), 0)
        self.assertEqual(nonconformity_score(0), 10)
        self.assertEqual(nonconformity_score(2), 6)
        self.assertEqual(nonconformity_score(7), 0)

    def test_class_boundaries(self):
        self.assertEqual(supplier_class(80, 80, 60), "a")
        self.assertEqual(supplier_class(79.9, 80, 60), "b")
        self.assertEqual(supplier_class(60, 80, 60), "b")
        self.assertEqual(supplier_class(59.9, 80, 60), "c")
        # through evaluations: all 8 = 80 points = A, all 6 = 60 = B, just below = C
        self.assertEqual(self._evaluation(self._all(8)).supplier_class, "a")
        evaluation = self._evaluation(self._all(6), start=D(2025, 4, 1), end=D(2025, 6, 30))
        self.assertEqual(evaluation.total_score, 60)
        self.assertEqual(evaluation.supplier_class, "b")
        evaluation.line_ids.filtered(lambda line: line.criterion_id == self.crit["price"]).score = 5
        self.assertEqual(evaluation.total_score, 58.5)
        self.assertEqual(evaluation.supplier_class, "c")
        # other thresholds
        self.company.write({"kam_supplier_class_a_min": 85, "kam_supplier_class_b_min": 70})
        evaluation = self._evaluation(self._all(8), start=D(2025, 7, 1), end=D(2025, 9, 30))
        self.assertEqual(evaluation.supplier_class, "b")
        with self.assertRaises(ValidationError):
            self.company.kam_supplier_class_b_min = 90


@tagged("post_install", "-at_install")
class TestSupplierEvaluation(KamSupplierCommon):
    def test_lines_from_criteria_and_total(self):
        evaluation = self._evaluation(
            {"quality": 9, "delivery": 7, "price": 8, "communication": 6, "kam": 10}
        )
        self.assertEqual(evaluation.line_ids.criterion_id, self.criteria)
        self.assertEqual(evaluation.weight_total, 100)
        # 30 x 9 + 25 x 7 + 15 x 8 + 10 x 6 + 20 x 10 = 825 -> 82.5
        self.assertEqual(evaluation.total_score, 82.5)
        self.assertEqual(evaluation.supplier_class, "a")
        self.assertEqual(evaluation.user_id, self.env.user)

    def test_commercial_partner(self):
        evaluation = self._evaluation(partner=self.supplier_contact)
        self.assertEqual(evaluation.partner_id, self.supplier)

    def test_weights_must_add_up(self):
        self.crit["price"].weight = 20  # 105 %
        with self.assertRaisesRegex(UserError, "105"):
            self._evaluation()
        self.crit["price"].weight = 15
        evaluation = self._evaluation(self._all(7))
        evaluation.line_ids[0].weight = 20
        with self.assertRaisesRegex(ValidationError, "100 %"):
            evaluation.action_done()
        self.assertEqual(evaluation.state, "draft")

    def test_every_criterion_scored(self):
        evaluation = self._evaluation({"quality": 8, "delivery": 8})
        # no receipts: only the nonconformity criterion is measured (none -> 10)
        self.assertEqual(
            evaluation.line_ids.filtered("is_scored").criterion_id,
            self.crit["quality"] | self.crit["delivery"] | self.crit["kam"],
        )
        with self.assertRaisesRegex(UserError, "Price and conditions"):
            evaluation.action_done()
        evaluation.line_ids.filtered(lambda line: not line.is_scored).write({"score": 0})
        evaluation.action_done()
        self.assertEqual(evaluation.state, "done")

    def test_unique_period_and_no_delete_when_done(self):
        evaluation = self._evaluation(self._all(7))
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._evaluation()
        evaluation.action_done()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            evaluation.unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            evaluation.line_ids[0].score = 3
        draft = self._evaluation(start=D(2024, 1, 1), end=D(2024, 3, 31))
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_workflow_and_approval_rights(self):
        evaluation = self._evaluation(self._all(7)).with_user(self.buyer)
        evaluation.action_done()
        with self.assertRaises(AccessError):
            evaluation.action_approve()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.kam_officer).action_approve()
        evaluation.with_user(self.kam_manager).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approved_by_id, self.kam_manager)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.kam_officer).action_reset_draft()


@tagged("post_install", "-at_install")
class TestSupplierFigures(KamSupplierCommon):
    """Figures measured on known receipts, returns and cases (period Q1 2025, UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "UTC"
        cls.other_supplier = cls.env["res.partner"].create({"name": "Other", "is_company": True})
        # promised (date_planned), validated (date_done), quantity
        cls.r1 = cls._receive(cls.supplier, 10, DT(2025, 2, 5, 8), DT(2025, 2, 3, 10))  # early
        cls.r2 = cls._receive(cls.supplier, 10, DT(2025, 2, 5, 8), DT(2025, 2, 5, 23))  # same day
        cls.r3 = cls._receive(cls.supplier, 20, DT(2025, 2, 10, 8), DT(2025, 2, 12, 9))  # late
        # to a contact of the supplier: counts for the supplier
        cls.r4 = cls._receive(cls.supplier_contact, 10, DT(2025, 3, 1, 8), DT(2025, 3, 1, 12))
        # outside the period, and another supplier: not counted
        cls._receive(cls.supplier, 100, DT(2025, 3, 20, 8), DT(2025, 4, 2, 9))
        cls._receive(cls.other_supplier, 7, DT(2025, 2, 1, 8), DT(2025, 2, 20, 9))
        cls.ret = cls._return(cls.r3, 2, DT(2025, 3, 15, 9))
        Case = cls.env["kam.case"].with_context(tracking_disable=True)
        common = {"title": "Supplier NC", "source": "supplier"}
        Case.create(dict(common, partner_id=cls.supplier.id, date_found=D(2025, 2, 10)))
        Case.create(dict(common, partner_id=cls.supplier_contact.id, date_found=D(2025, 3, 20)))
        Case.create(dict(common, partner_id=cls.supplier.id, date_found=D(2025, 5, 1)))
        Case.create(
            dict(common, partner_id=cls.supplier.id, date_found=D(2025, 2, 1), source="customer")
        )

    def test_receipts_are_set_up(self):
        self.assertEqual(self.r1.state, "done")
        self.assertEqual(self.r1.date_deadline, DT(2025, 2, 5, 8))
        self.assertEqual(self.ret.state, "done")
        self.assertEqual(self.ret.move_ids.origin_returned_move_id, self.r3.move_ids)

    def test_figures_and_prefill(self):
        evaluation = self._evaluation({"price": 8, "communication": 7})
        self.assertEqual(evaluation.receipt_count, 4)
        self.assertEqual(evaluation.receipt_on_time_count, 3)
        self.assertEqual(evaluation.on_time_rate, 75.0)
        self.assertEqual(evaluation.received_qty, 50)
        self.assertEqual(evaluation.returned_qty, 2)
        self.assertEqual(evaluation.return_rate, 4.0)
        self.assertEqual(evaluation.nc_count, 2)
        self.assertTrue(evaluation.figures_date)
        score = {line.criterion_id: line.score for line in evaluation.line_ids}
        self.assertEqual(score[self.crit["delivery"]], 5.2)  # 75 %: (75 - 50) x 10 / 48
        self.assertEqual(score[self.crit["quality"]], 6.0)  # 4 % returned
        self.assertEqual(score[self.crit["kam"]], 6.0)  # 2 nonconformities
        # 30 x 6 + 25 x 5.2 + 15 x 8 + 10 x 7 + 20 x 6 = 620
        self.assertEqual(evaluation.total_score, 62.0)
        self.assertEqual(evaluation.supplier_class, "b")

    def test_given_scores_are_kept(self):
        evaluation = self.Evaluation.create(
            {
                "partner_id": self.supplier.id,
                "date_start": Q1_START,
                "date_end": Q1_END,
                "line_ids": [
                    Command.create({"criterion_id": c.id, "weight": c.weight, "score": 9})
                    for c in self.criteria
                ],
            }
        )
        self.assertEqual(evaluation.on_time_rate, 75.0)
        self.assertEqual(set(evaluation.line_ids.mapped("score")), {9})
        self.assertFalse(any(evaluation.line_ids.mapped("is_measured")))

    def test_time_zone_and_refresh(self):
        # in Amsterdam, r2 (23:00 UTC) is validated the day after its promise: late
        self.company.partner_id.tz = "Europe/Amsterdam"
        evaluation = self._evaluation()
        self.assertEqual(evaluation.receipt_on_time_count, 2)
        # a later nonconformity in the period shows after measuring again
        self.env["kam.case"].create(
            {
                "title": "Another",
                "source": "supplier",
                "partner_id": self.supplier.id,
                "date_found": D(2025, 3, 30),
            }
        )
        evaluation.action_refresh_figures()
        self.assertEqual(evaluation.nc_count, 3)
        kam_line = evaluation.line_ids.filtered(lambda line: line.criterion_id == self.crit["kam"])
        self.assertEqual(kam_line.score, 4.0)

    def test_other_company_sees_nothing(self):
        evaluation = self.Evaluation.with_company(self.company_2).create(
            {
                "partner_id": self.supplier.id,
                "date_start": D(2025, 1, 1),
                "date_end": D(2025, 3, 31),
            }
        )
        self.assertEqual(evaluation.company_id, self.company_2)
        self.assertEqual(evaluation.receipt_count, 0)
        self.assertEqual(evaluation.nc_count, 0)


@tagged("post_install", "-at_install")
class TestSupplierFieldsAccess(KamSupplierCommon):
    """A supplier's evaluation on the partner (status, score, class, cycle,
    certificates) is for purchasers and KAM officers, not for every employee."""

    SUPPLIER_FIELDS = (
        "kam_supplier_status",
        "kam_supplier_score",
        "kam_supplier_class",
        "kam_supplier_evaluation_date",
        "kam_supplier_evaluation_count",
        "kam_supplier_blocked",
        "kam_supplier_block_reason",
        "kam_evaluation_frequency",
        "kam_evaluation_next_date",
        "kam_supplier_certificate_ids",
    )

    def test_kam_user_does_not_see_supplier_scores(self):
        every_field = [f for f in self.env["res.partner"]._fields if f.startswith("kam_supplier")]
        self.assertLessEqual(set(every_field), set(self.SUPPLIER_FIELDS), "a new field: list it")
        partner = self.supplier.with_user(self.kam_user)
        visible = partner.fields_get()
        for name in self.SUPPLIER_FIELDS:
            with self.subTest(field=name):
                self.assertNotIn(name, visible)
                with self.assertRaises(AccessError):
                    partner.read([name])
        arch = partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("kam_supplier", arch)
        for user in (self.buyer, self.kam_officer):
            with self.subTest(user=user.login):
                values = self.supplier.with_user(user).read(list(self.SUPPLIER_FIELDS))[0]
                self.assertEqual(values["kam_supplier_status"], "not_evaluated")
