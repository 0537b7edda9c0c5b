#!/usr/bin/env python3
"""Benchmark of a customer satisfaction campaign (kam.satisfaction.campaign) on a
database where the addon is installed. Prints figures; asserts nothing. See
bench/README.md.

    .venv/bin/python bench/bench_satisfaction.py --db kam_bench_sat [--customers 20000]

Data: --customers customers (companies with an e-mail address, spread over five
industries), each with one done delivery in the last quarter. One real delivery
is validated through the ORM; the others are cloned from it with SQL (data
generation, not measured).

Steps:
  1. selection: action_select_customers() (the customers with deliveries in the
     period, exclusions, one invitation per customer), one transaction
  2. invitations: action_send_invitations() (the first chunk) and the job that
     sends the rest (_cron_send_invitations), in chunks of 500: one mail each,
     rendered in the customer's language and queued
  3. the one reminder (the periodic duty on the reminder date) to the customers
     who have not answered (70 %; 30 % answered, answers cloned with SQL)
  4. the results: the campaign's figures and the figures per segment
     (kam.satisfaction.report), as the KAM officer
"""

import datetime
import statistics
import sys
import time

import benchlib
from benchlib import out, record


class Bench(benchlib.Bench):
    def make_data(self):
        args, env, rnd = self.args, self.env, self.rnd
        out(f"[data] {args.customers} customers with a delivery in the last quarter")
        t0 = time.perf_counter()
        self.company.partner_id.tz = "Europe/Amsterdam"
        industries = env["res.partner.industry"].search([], limit=5)
        self.officer = env["res.users"].create(
            {
                "name": "Bench KAM officer",
                "login": "bench_kam_officer",
                "email": "officer@bench.example.com",
                "group_ids": [(4, env.ref("kam_management.group_kam_officer").id)],
            }
        )
        Partner = env["res.partner"].with_context(tracking_disable=True)
        customers = Partner.browse()
        for start in range(0, args.customers, 1000):
            customers |= Partner.create(
                [
                    {
                        "name": f"Bench customer {i:05d}",
                        "is_company": True,
                        "email": f"customer{i:05d}@bench.example.com",
                        "industry_id": industries[i % len(industries)].id,
                        "lang": "en_US",
                    }
                    for i in range(start, min(start + 1000, args.customers))
                ]
            )
        product = env["product.product"].create({"name": "Bench bracket", "type": "consu"})
        picking_type = env.ref("stock.picking_type_out")
        customer_location = env.ref("stock.stock_location_customers")
        picking = env["stock.picking"].create(
            {
                "partner_id": customers[0].id,
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": customer_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": picking_type.default_location_src_id.id,
                            "location_dest_id": customer_location.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.commit()
        self.period = self._last_quarter()
        start, end = self.period
        span = (end - start).days
        rows = [
            {
                "name": f"BENCH/OUT/{i:06d}",
                "partner_id": customer.id,
                "date_done": datetime.datetime.combine(
                    start + datetime.timedelta(days=rnd.randint(0, span)), datetime.time(12)
                ),
                "state": "done",
            }
            for i, customer in enumerate(customers[1:])
        ]
        self._clone("stock_picking", picking.id, rows, rows[0].keys())
        picking.date_done = datetime.datetime.combine(start, datetime.time(12))
        self.commit()
        self.cr.execute("ANALYZE stock_picking; ANALYZE res_partner")
        out(f"[data] done in {time.perf_counter() - t0:.1f} s")

    def _last_quarter(self):
        first = self.today.replace(day=1, month=((self.today.month - 1) // 3) * 3 + 1)
        end = first - datetime.timedelta(days=1)
        start = end.replace(day=1, month=((end.month - 1) // 3) * 3 + 1)
        return start, end

    # ------------------------------------------------------------ steps
    def step_selection(self):
        start, end = self.period
        Campaign = self.env["kam.satisfaction.campaign"].with_user(self.officer)
        self.campaign = Campaign.create(
            {
                "name": "Bench campaign",
                "date_from": start,
                "date_to": end,
                "answer_days": 21,
                "reminder_days": 7,
            }
        )
        self.commit()
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        self.campaign.action_select_customers()
        self.commit()
        elapsed = time.perf_counter() - t0
        selected = len(self.campaign.user_input_ids)
        record("selection", "customers selected", selected, "")
        record("selection", "time", elapsed, "s", f"({selected / elapsed:,.0f} customers/s)")
        record("selection", "queries", self.queries() - q0, "")

    def step_invitations(self):
        campaign = self.campaign
        q0, t0 = self.queries(), time.perf_counter()
        campaign.action_send_invitations()
        self.commit()
        first = time.perf_counter() - t0
        record(
            "invitations", "first chunk (the button)", first, "s", f"{self.queries() - q0} queries"
        )
        chunk_times = []
        Campaign = self.env["kam.satisfaction.campaign"]
        q1 = self.queries()
        t1 = time.perf_counter()
        while campaign.state == "sending":
            tc = time.perf_counter()
            campaign.sudo()._kam_send_pending(max_chunks=1)
            self.commit()
            chunk_times.append(time.perf_counter() - tc)
            campaign.invalidate_recordset()
        Campaign.invalidate_model()
        rest = time.perf_counter() - t1
        total = first + rest
        mails = self.env["mail.mail"].search_count([])
        invited = campaign.invited_count
        record("invitations", "invited", invited, "", f"{mails} mails queued")
        record("invitations", "total time", total, "s", f"({invited / total:,.0f} invitations/s)")
        record(
            "invitations",
            "per chunk of 500",
            statistics.median(chunk_times) if chunk_times else first,
            "s (median)",
            f"{(self.queries() - q1) / max(len(chunk_times), 1):,.0f} queries/chunk",
        )

    def step_reminder(self):
        campaign = self.campaign
        answers = campaign.user_input_ids
        answered = answers[: len(answers) * 3 // 10]
        survey = campaign.survey_id
        nps, csat = survey.kam_nps_question_id, survey.kam_csat_question_ids[:1]
        self.cr.execute(
            "UPDATE survey_user_input SET state = 'done', end_datetime = now() WHERE id = ANY(%s)",
            [answered.ids],
        )
        rnd = self.rnd
        values = []
        for answer_id in answered.ids:
            values.append((answer_id, survey.id, nps.id, "scale", rnd.randint(0, 10)))
            values.append((answer_id, survey.id, csat.id, "scale", rnd.randint(1, 5)))
        for start in range(0, len(values), 5000):
            chunk = values[start : start + 5000]
            self.cr.execute(
                "INSERT INTO survey_user_input_line "  # noqa: S608
                "(user_input_id, survey_id, question_id, answer_type, value_scale, skipped, "
                "create_date, write_date) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, false, now(), now())"] * len(chunk)),
                [v for row in chunk for v in row],
            )
        self.cr.execute(
            "UPDATE kam_satisfaction_campaign SET reminder_date = %s WHERE id = %s",
            [self.today, campaign.id],
        )
        self.commit()
        self.env.invalidate_all()
        q0, t0 = self.queries(), time.perf_counter()
        due = self.env["kam.satisfaction.campaign"]._kam_duty_run()
        self.commit()
        elapsed = time.perf_counter() - t0
        reminded = self.env["survey.user_input"].search_count(
            [("kam_campaign_id", "=", campaign.id), ("kam_reminded_date", "!=", False)]
        )
        record("reminder", "customers reminded", reminded, "", f"campaigns due: {len(due)}")
        record("reminder", "time", elapsed, "s", f"{self.queries() - q0} queries")
        q1, t1 = self.queries(), time.perf_counter()
        self.env["kam.satisfaction.campaign"]._kam_duty_run()
        record(
            "reminder", "re-run", time.perf_counter() - t1, "s", f"{self.queries() - q1} queries"
        )

    def step_results(self):
        campaign = self.campaign.with_user(self.officer)
        times, queries = [], []
        for _run in range(self.args.runs):
            self.env.invalidate_all()
            q0, t0 = self.queries(), time.perf_counter()
            figures = (campaign.invited_count, campaign.response_rate, campaign.nps, campaign.csat)
            times.append(time.perf_counter() - t0)
            queries.append(self.queries() - q0)
        record(
            "results",
            "campaign figures",
            statistics.median(times) * 1000,
            "ms (median)",
            f"{queries[-1]} queries; invited {figures[0]}, response {figures[1]:.1f} %, "
            f"NPS {figures[2]:.1f}, CSAT {figures[3]:.1f} %",
        )
        Report = self.env["kam.satisfaction.report"].with_user(self.officer)
        times = []
        for _run in range(self.args.runs):
            self.env.invalidate_all()
            t0 = time.perf_counter()
            Report._read_group(
                [("campaign_id", "=", campaign.id)],
                ["segment_id"],
                ["invited:sum", "response_rate:avg", "nps:avg", "csat:avg"],
            )
            times.append(time.perf_counter() - t0)
        record("results", "figures per segment", statistics.median(times) * 1000, "ms (median)")

    def steps(self):
        return [
            self.make_data,
            self.step_selection,
            self.step_invitations,
            self.step_reminder,
            self.step_results,
        ]


def main():
    return benchlib.main(
        __doc__,
        Bench,
        [
            ("--customers", int, 20000),
            ("--runs", int, 5),
        ],
        seed=13,
    )


if __name__ == "__main__":
    sys.exit(main())
