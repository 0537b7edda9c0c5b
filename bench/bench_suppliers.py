#!/usr/bin/env python3
"""Benchmark of the supplier evaluation (kam.supplier.evaluation) on a database
where the addon is installed. Prints figures; asserts nothing. See bench/README.md.

    .venv/bin/python bench/bench_suppliers.py --db kam_bench_sup [--suppliers 1000 --lines 50000]

Data: --suppliers suppliers with a quarterly evaluation cycle, --lines purchase
order lines (--lines-per-order per confirmed order, confirmed in the last three
months), one done receipt per order (one done move per line; ~15 % validated
after the promised date), returns of ~2 % of the received moves and ~0.5
supplier nonconformities per supplier. One real order is confirmed, received and
partly returned through the ORM; the rest are cloned from it with SQL
(data generation, not measured).

Steps:
  1. the daily job's work for the company: the supplier cycle, the periodic duty of
     res.partner (res.partner._kam_duty_run(companies=company): drafts with
     measured figures, prefilled scores, one activity per evaluation), one
     transaction; then an idempotent re-run over the same due suppliers
  2. _measure_figures() alone for all suppliers
  3. XLSX register of the evaluations
"""

import datetime
import sys
import time

import benchlib
from benchlib import out, record


class Bench(benchlib.Bench):
    # ------------------------------------------------------------ data

    def make_data(self):
        args, env, rnd = self.args, self.env, self.rnd
        out(f"[data] {args.suppliers} suppliers, {args.lines} order lines")
        t0 = time.perf_counter()
        self.company.partner_id.tz = "Europe/Amsterdam"
        buyers = env["res.users"].create(
            [
                {
                    "name": f"Bench buyer {i}",
                    "login": f"bench_buyer_{i}",
                    "group_ids": [(4, env.ref("purchase.group_purchase_user").id)],
                }
                for i in range(5)
            ]
        )
        products = env["product.product"].create(
            [{"name": f"Bench part {i}", "type": "consu", "is_storable": True} for i in range(20)]
        )
        suppliers = env["res.partner"].create(
            [{"name": f"Bench supplier {i:04d}", "is_company": True} for i in range(args.suppliers)]
        )
        suppliers.write({"kam_evaluation_frequency": "quarterly"})
        # one real order, receipt and return as the template rows
        order = env["purchase.order"].create(
            {
                "partner_id": suppliers[0].id,
                "user_id": buyers[0].id,
                "order_line": [
                    (0, 0, {"product_id": products[0].id, "product_qty": 10, "price_unit": 3})
                ],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids
        receipt.move_ids.quantity = 10
        receipt.move_ids.picked = True
        receipt.button_validate()
        wizard = (
            env["stock.return.picking"]
            .with_context(
                active_ids=receipt.ids, active_id=receipt.id, active_model="stock.picking"
            )
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        returned = env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.quantity = 1
        returned.move_ids.picked = True
        returned.button_validate()
        self.commit()

        per_order = args.lines_per_order
        n_orders = args.lines // per_order
        now = datetime.datetime.now().replace(microsecond=0)
        orders, pickings = [], []
        for i in range(n_orders):
            approved = now - datetime.timedelta(days=rnd.uniform(2, 88))
            planned = approved + datetime.timedelta(days=rnd.randint(5, 20))
            late = rnd.random() < 0.15
            done = planned + datetime.timedelta(
                days=rnd.randint(1, 6) if late else -rnd.randint(0, 3)
            )
            done = min(done, now - datetime.timedelta(hours=1))
            partner = suppliers[i % len(suppliers)].id
            orders.append(
                {
                    "name": f"BENCH/PO/{i:06d}",
                    "partner_id": partner,
                    "user_id": buyers[i % len(buyers)].id,
                    "date_approve": approved,
                    "date_order": approved,
                    "date_planned": planned,
                    "state": "purchase",
                }
            )
            pickings.append(
                {
                    "name": f"BENCH/IN/{i:06d}",
                    "partner_id": partner,
                    "origin": f"BENCH/PO/{i:06d}",
                    "scheduled_date": planned,
                    "date_deadline": planned,
                    "date_done": done,
                    "state": "done",
                }
            )
        order_ids = self._clone("purchase_order", order.id, orders, orders[0].keys())
        picking_ids = self._clone("stock_picking", receipt.id, pickings, pickings[0].keys())
        lines, moves = [], []
        for i, (order_id, picking) in enumerate(zip(order_ids, pickings, strict=True)):
            for j in range(per_order):
                qty = rnd.randint(1, 50)
                lines.append(
                    {
                        "order_id": order_id,
                        "partner_id": picking["partner_id"],
                        "product_id": products[(i + j) % len(products)].id,
                        "product_qty": qty,
                        "product_uom_qty": qty,
                        "qty_received": qty,
                        "date_planned": picking["date_deadline"],
                    }
                )
        line_ids = self._clone("purchase_order_line", order.order_line.id, lines, lines[0].keys())
        for k, (line_id, line) in enumerate(zip(line_ids, lines, strict=True)):
            picking_index = k // per_order
            moves.append(
                {
                    "picking_id": picking_ids[picking_index],
                    "purchase_line_id": line_id,
                    "partner_id": line["partner_id"],
                    "product_id": line["product_id"],
                    "product_uom_qty": line["product_qty"],
                    "product_qty": line["product_qty"],
                    "quantity": line["product_qty"],
                    "date": pickings[picking_index]["date_done"],
                    "date_deadline": line["date_planned"],
                    "state": "done",
                }
            )
        move_ids = self._clone("stock_move", receipt.move_ids.id, moves, moves[0].keys())
        # returns of ~2 % of the received moves, a few days after the receipt
        returns = [
            {
                "origin_returned_move_id": move_id,
                "product_id": move["product_id"],
                "quantity": max(1, move["quantity"] // 5),
                "product_uom_qty": max(1, move["quantity"] // 5),
                "date": min(move["date"] + datetime.timedelta(days=3), now),
                "state": "done",
                "picking_id": returned.id,
            }
            for move_id, move in zip(move_ids, moves, strict=True)
            if rnd.random() < 0.02
        ]
        self._clone("stock_move", returned.move_ids.id, returns, returns[0].keys())
        env.invalidate_all()
        # supplier nonconformities
        env["kam.case"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    "title": f"Bench supplier NC {i}",
                    "source": "supplier",
                    "partner_id": suppliers[rnd.randrange(len(suppliers))].id,
                    "date_found": self.today - datetime.timedelta(days=rnd.randint(1, 85)),
                }
                for i in range(args.suppliers // 2)
            ]
        )
        self.commit()
        self.cr.execute("ANALYZE")
        self.commit()
        record(
            "data",
            "orders / lines / receipts / return moves",
            f"{len(order_ids)} / {len(line_ids)} / {len(picking_ids)} / {len(returns)}",
            "",
            f"({time.perf_counter() - t0:.0f} s, not measured)",
        )
        self.suppliers = suppliers

    # ------------------------------------------------------------ steps
    def cycle(self):
        Evaluation = self.env["kam.supplier.evaluation"]
        Partner = self.env["res.partner"]
        last_id = Evaluation.search([], order="id desc", limit=1).id or 0
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        Partner._kam_duty_run(companies=self.company)
        self.env.flush_all()
        seconds = time.perf_counter() - t0
        queries = self.queries() - q0
        self.commit()
        created = Evaluation.search([("id", ">", last_id)])
        count = len(created)
        record("cycle", "evaluations created", count, "")
        record("cycle", "time", seconds, "s")
        record("cycle", "throughput", count / seconds, "evaluations/s")
        record("cycle", "queries", queries, "", f"({queries / max(count, 1):.2f} per evaluation)")
        with_receipts = created.filtered("receipt_count")
        measured = max(len(with_receipts), 1)
        on_time = sum(with_receipts.mapped("on_time_rate")) / measured
        return_rate = sum(with_receipts.mapped("return_rate")) / measured
        record(
            "cycle",
            "with receipts / mean on-time / mean return rate / NCs",
            f"{len(with_receipts)} / {on_time:.1f} % / {return_rate:.2f} % / "
            f"{sum(created.mapped('nc_count'))}",
            "",
        )
        record("cycle", "activities", len(created.activity_ids), "")
        # due again for the same period: nothing new
        self.suppliers.write({"kam_evaluation_next_date": False})
        self.env.invalidate_all()
        last_id = Evaluation.search([], order="id desc", limit=1).id or 0
        q0, t0 = self.queries(), time.perf_counter()
        Partner._kam_duty_run(companies=self.company)
        self.env.flush_all()
        seconds, queries = time.perf_counter() - t0, self.queries() - q0
        again = Evaluation.search([("id", ">", last_id)])
        record(
            "re-run",
            "time / queries / created",
            f"{seconds:.2f} s / {queries} / {len(again)}",
            "",
        )
        self.commit()
        self.evaluations = created

    def figures(self):
        Evaluation = self.env["kam.supplier.evaluation"]
        end = self.today - datetime.timedelta(days=1)
        start = end - datetime.timedelta(days=90)
        rows = [(s.id, s.id, self.company, start, end) for s in self.suppliers]
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        Evaluation._measure_figures(rows)
        seconds = time.perf_counter() - t0
        record(
            "figures",
            "measure all suppliers",
            seconds * 1000,
            "ms",
            f"{self.queries() - q0} queries",
        )

    def export(self):
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        _name, content = self.env["kam.supplier.evaluation"]._kam_register_export(
            "supplier_evaluation"
        )
        record(
            "export",
            "XLSX register",
            time.perf_counter() - t0,
            "s",
            f"{self.queries() - q0} queries, {len(content) // 1024} KiB",
        )

    def steps(self):
        return [self.make_data, self.cycle, self.figures, self.export]


def main():
    return benchlib.main(
        __doc__,
        Bench,
        [
            ("--suppliers", int, 1000),
            ("--lines", int, 50_000),
            ("--lines-per-order", int, 5),
        ],
        seed=42,
    )


if __name__ == "__main__":
    sys.exit(main())
