import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.float_utils import float_compare

from ..tools import xlsx
from ..tools.activities import schedule_once
from ..tools.supplier_scores import score_for, supplier_class

_logger = logging.getLogger(__name__)

# evaluation frequency of a supplier -> months between evaluations
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
EVALUATION_DAYS = 14  # deadline of the evaluator's activity

EVALUATION_STATES = [("draft", "Draft"), ("done", "Done"), ("approved", "Approved")]
MANAGER = "kam_management.group_kam_manager"
# state changes: (from, to) -> the group that may make it (None: whoever may write
# the evaluation: the evaluator, purchase users, KAM users)
TRANSITIONS = {
    ("draft", "done"): None,
    ("done", "draft"): None,
    ("done", "approved"): MANAGER,
    ("approved", "draft"): MANAGER,
}
SUPPLIER_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
FIGURE_FIELDS = (
    "receipt_count",
    "receipt_on_time_count",
    "on_time_rate",
    "received_qty",
    "returned_qty",
    "return_rate",
    "nc_count",
)

# One row per evaluation to measure: (key, supplier, company, period, time zone).
_EVALUATIONS_CTE = """
    WITH ev AS (
        SELECT *
          FROM unnest(%(keys)s::int[], %(partners)s::int[], %(companies)s::int[],
                      %(starts)s::date[], %(ends)s::date[], %(tzs)s::varchar[])
            AS ev(key, partner_id, company_id, date_start, date_end, tz)
    ), ev_utc AS (
        SELECT ev.*,
               (ev.date_start::timestamp AT TIME ZONE ev.tz) AT TIME ZONE 'UTC' AS utc_start,
               ((ev.date_end + 1)::timestamp AT TIME ZONE ev.tz) AT TIME ZONE 'UTC' AS utc_end
          FROM ev
    )
"""

# Done receipts of the supplier (not returns) validated in the period; on time
# when validated on or before the promised day (date_deadline: the earliest
# date_planned of its purchase order lines; else the scheduled date).
_RECEIPTS_SQL = (
    _EVALUATIONS_CTE
    + """
    SELECT ev.key,
           count(DISTINCT p.id),
           count(DISTINCT p.id) FILTER (
               WHERE (p.date_done AT TIME ZONE 'UTC' AT TIME ZONE ev.tz)::date
                  <= (COALESCE(p.date_deadline, p.scheduled_date)
                      AT TIME ZONE 'UTC' AT TIME ZONE ev.tz)::date),
           COALESCE(sum(m.quantity), 0)
      FROM ev_utc ev
      JOIN res_partner rp ON rp.commercial_partner_id = ev.partner_id
      JOIN stock_picking p ON p.partner_id = rp.id AND p.company_id = ev.company_id
      JOIN stock_picking_type t ON t.id = p.picking_type_id
      LEFT JOIN stock_move m ON m.picking_id = p.id AND m.state = 'done'
     WHERE t.code = 'incoming'
       AND p.state = 'done'
       AND p.return_id IS NULL
       AND p.date_done >= ev.utc_start AND p.date_done < ev.utc_end
     GROUP BY ev.key
"""
)

# Quantities returned to the supplier in the period: done moves that return a
# move of one of the supplier's receipts.
_RETURNS_SQL = (
    _EVALUATIONS_CTE
    + """
    SELECT ev.key, COALESCE(sum(r.quantity), 0)
      FROM ev_utc ev
      JOIN res_partner rp ON rp.commercial_partner_id = ev.partner_id
      JOIN stock_picking p ON p.partner_id = rp.id AND p.company_id = ev.company_id
      JOIN stock_picking_type t ON t.id = p.picking_type_id
      JOIN stock_move m ON m.picking_id = p.id
      JOIN stock_move r ON r.origin_returned_move_id = m.id
     WHERE t.code = 'incoming'
       AND r.state = 'done'
       AND r.date >= ev.utc_start AND r.date < ev.utc_end
     GROUP BY ev.key
"""
)

# Suppliers with a confirmed purchase order in their period, with the buyer
# of the latest one.
_BUYERS_SQL = """
    WITH ev AS (
        SELECT *
          FROM unnest(%(partners)s::int[], %(starts)s::date[], %(ends)s::date[])
            AS ev(partner_id, date_start, date_end)
    )
    SELECT DISTINCT ON (ev.partner_id) ev.partner_id, po.user_id
      FROM ev
      JOIN res_partner rp ON rp.commercial_partner_id = ev.partner_id
      JOIN purchase_order po ON po.partner_id = rp.id
     WHERE po.company_id = %(company)s
       AND po.state = 'purchase'
       AND po.date_approve >= (ev.date_start::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
       AND po.date_approve < ((ev.date_end + 1)::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
     ORDER BY ev.partner_id, po.date_approve DESC, po.id DESC
"""

# Supplier nonconformities: cases about the supplier with source "supplier"
# found in the period.
_NONCONFORMITIES_SQL = (
    _EVALUATIONS_CTE
    + """
    SELECT ev.key, count(c.id)
      FROM ev
      JOIN res_partner rp ON rp.commercial_partner_id = ev.partner_id
      JOIN kam_case c ON c.partner_id = rp.id AND c.company_id = ev.company_id
     WHERE c.source = 'supplier'
       AND c.active
       AND c.date_found BETWEEN ev.date_start AND ev.date_end
     GROUP BY ev.key
"""
)


class KamSupplierEvaluation(models.Model):
    """The evaluation of one supplier over one period (ISO 9001 8.4.1).

    Criteria lines carry a weight (%) and a score from 0 to 10; the total is
    sum(weight x score / 10), from 0 to 100, and gives class A, B or C by the
    company's thresholds. Figures measured in Odoo (on-time deliveries,
    returns, supplier nonconformities) are stored on the evaluation when it is
    created (and on request while it is a draft) and prefill the scores of the
    criteria that measure them."""

    _name = "kam.supplier.evaluation"
    _description = "Supplier evaluation"
    _inherit = [
        "kam.workflow.mixin",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_end desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id"]
    _kam_state_field = "state"
    _kam_lock_expression = "state != 'draft'"
    _kam_transitions = TRANSITIONS
    # set by the workflow and by the measurement, never typed in
    _kam_derived_fields = (
        "done_date",
        "approved_by_id",
        "approved_date",
        *FIGURE_FIELDS,
        "figures_date",
    )

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(string="Period from", required=True, tracking=True)
    date_end = fields.Date(string="Period to", required=True, tracking=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Evaluator",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    line_ids = fields.One2many(
        "kam.supplier.evaluation.line", "evaluation_id", string="Criteria", copy=True
    )
    weight_total = fields.Float(string="Total weight (%)", compute="_compute_scores", store=True)
    total_score = fields.Float(
        string="Score", compute="_compute_scores", store=True, digits=(5, 1), aggregator="avg"
    )
    supplier_class = fields.Selection(
        SUPPLIER_CLASSES,
        string="Class",
        compute="_compute_supplier_class",
        store=True,
        help="A, B or C by the total score and the company's thresholds (KAM settings). "
        "The class of an evaluation does not change when the thresholds change later.",
    )
    remarks = fields.Html()
    state = fields.Selection(
        EVALUATION_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    done_date = fields.Date(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Date(string="Approved on", readonly=True, copy=False)

    # measured figures of the period
    receipt_count = fields.Integer(string="Receipts", readonly=True, copy=False)
    receipt_on_time_count = fields.Integer(string="Receipts on time", readonly=True, copy=False)
    on_time_rate = fields.Float(
        string="On-time delivery (%)", readonly=True, copy=False, digits=(5, 1)
    )
    received_qty = fields.Float(string="Quantity received", readonly=True, copy=False)
    returned_qty = fields.Float(string="Quantity returned", readonly=True, copy=False)
    return_rate = fields.Float(string="Return rate (%)", readonly=True, copy=False, digits=(5, 2))
    nc_count = fields.Integer(string="Supplier nonconformities", readonly=True, copy=False)
    figures_date = fields.Datetime(string="Figures measured on", readonly=True, copy=False)

    _period_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id, date_start, date_end)",
        "This supplier already has an evaluation for this period.",
    )
    _period_check = models.Constraint(
        "CHECK(date_end >= date_start)",
        "The end of the evaluation period cannot be before its start.",
    )
    _partner_date_idx = models.Index("(partner_id, company_id, state, date_end)")

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id", "date_start", "date_end")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "%(supplier)s, %(start)s - %(end)s",
                supplier=evaluation.partner_id.display_name or "",
                start=evaluation.date_start or "",
                end=evaluation.date_end or "",
            )

    @api.depends("line_ids.weight", "line_ids.score")
    def _compute_scores(self):
        for evaluation in self:
            lines = evaluation.line_ids
            evaluation.weight_total = sum(lines.mapped("weight"))
            evaluation.total_score = round(sum(lines.mapped("contribution")), 1)

    @api.depends("total_score", "company_id")
    def _compute_supplier_class(self):
        for evaluation in self:
            company = evaluation.company_id or self.env.company
            evaluation.supplier_class = supplier_class(
                evaluation.total_score,
                company.kam_supplier_class_a_min,
                company.kam_supplier_class_b_min,
            )

    # ------------------------------------------------------------------ figures
    @api.model
    def _measure_figures(self, rows):
        """Measured figures of many evaluations in three queries.

        :param rows: list of (key, supplier id, company, date_start, date_end)
        :return: {key: {"receipt_count", "receipt_on_time_count", "on_time_rate",
                 "received_qty", "returned_qty", "return_rate", "nc_count"}}
        """
        result = {
            row[0]: {
                "receipt_count": 0,
                "receipt_on_time_count": 0,
                "on_time_rate": 0.0,
                "received_qty": 0.0,
                "returned_qty": 0.0,
                "return_rate": 0.0,
                "nc_count": 0,
            }
            for row in rows
        }
        if not rows:
            return result
        for model in ("stock.picking", "stock.move", "kam.case", "res.partner"):
            self.env[model].flush_model()
        params = {
            "keys": [row[0] for row in rows],
            "partners": [row[1] for row in rows],
            "companies": [row[2].id for row in rows],
            "starts": [row[3] for row in rows],
            "ends": [row[4] for row in rows],
            "tzs": [row[2].partner_id.tz or "UTC" for row in rows],
        }
        cr = self.env.cr
        cr.execute(_RECEIPTS_SQL, params)
        for key, count, on_time, qty in cr.fetchall():
            result[key].update(
                receipt_count=count,
                receipt_on_time_count=on_time,
                on_time_rate=round(100.0 * on_time / count, 1) if count else 0.0,
                received_qty=qty,
            )
        cr.execute(_RETURNS_SQL, params)
        for key, qty in cr.fetchall():
            figures = result[key]
            figures["returned_qty"] = qty
            if figures["received_qty"]:
                figures["return_rate"] = round(100.0 * qty / figures["received_qty"], 2)
        cr.execute(_NONCONFORMITIES_SQL, params)
        for key, count in cr.fetchall():
            result[key]["nc_count"] = count
        return result

    # ------------------------------------------------------------------ ORM
    def _kam_creation_note(self):
        return self.env._("Supplier evaluation created")

    @api.model_create_multi
    def create(self, vals_list):
        """Measure the period's figures for the whole batch (three queries), take
        the lines from the active criteria when none are given, and prefill the
        scores of the measured criteria."""
        if not self._kam_trusted():
            for vals in vals_list:
                self._kam_check_derived(vals)
        default_company = self.env.company
        # the commercial partners of the whole batch in one read
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        commercial_of = {partner.id: partner.commercial_partner_id.id for partner in partners}
        companies = self.env["res.company"].browse(
            {vals.get("company_id") or default_company.id for vals in vals_list}
        )
        criteria_of = {}
        rows = []
        for index, vals in enumerate(vals_list):
            company = companies.browse(vals.get("company_id") or default_company.id)
            vals.setdefault("company_id", company.id)
            if vals.get("partner_id"):
                vals["partner_id"] = commercial_of[vals["partner_id"]]
            if not vals.get("line_ids"):
                if company not in criteria_of:
                    criteria_of[company] = self.env["kam.supplier.criterion"]._check_weights(
                        company
                    )
                vals["line_ids"] = [
                    Command.create({"criterion_id": criterion.id, "weight": criterion.weight})
                    for criterion in criteria_of[company]
                ]
            if vals.get("partner_id") and vals.get("date_start") and vals.get("date_end"):
                rows.append(
                    (index, vals["partner_id"], company, vals["date_start"], vals["date_end"])
                )
        figures_of = self._measure_figures(rows)
        now = fields.Datetime.now()
        measures = self._line_measures(vals_list)
        for index, vals in enumerate(vals_list):
            figures = figures_of.get(index)
            if not figures:
                continue
            vals.update(figures, figures_date=now)
            for command in vals["line_ids"]:
                if command[0] != Command.CREATE:
                    continue
                line_vals = command[2]
                if line_vals.get("is_scored") or "score" in line_vals:
                    continue  # scored by hand
                score = score_for(measures.get(line_vals.get("criterion_id")), figures)
                if score is not None:
                    line_vals.update(score=score, is_scored=True, is_measured=True)
        # the figures are measured here, not typed in (the workflow mixin checks the rest)
        return (
            super(KamSupplierEvaluation, self._kam_workflow_write())
            .create(vals_list)
            .with_env(self.env)
        )

    def _line_measures(self, vals_list):
        """{criterion id: measure} of the criteria of the new lines (one read)."""
        ids = {
            command[2].get("criterion_id")
            for vals in vals_list
            for command in vals.get("line_ids") or []
            if command[0] == Command.CREATE and command[2].get("criterion_id")
        }
        criteria = self.env["kam.supplier.criterion"].with_context(active_test=False).browse(ids)
        return {criterion.id: criterion.measure for criterion in criteria}

    # ------------------------------------------------------------------ workflow
    def action_refresh_figures(self):
        """Measure the figures again and prefill the measured criteria (drafts only)."""
        if any(evaluation.state != "draft" for evaluation in self):
            raise UserError(self.env._("Only the figures of draft evaluations can be measured."))
        figures_of = self._measure_figures(
            [(e.id, e.partner_id.id, e.company_id, e.date_start, e.date_end) for e in self]
        )
        now = fields.Datetime.now()
        for evaluation in self:
            figures = figures_of[evaluation.id]
            evaluation._kam_workflow_write().write(dict(figures, figures_date=now))
            for line in evaluation.line_ids:
                score = score_for(line.measure, figures)
                if score is not None:
                    line.write({"score": score, "is_measured": True})
        return True

    def _check_complete(self):
        for evaluation in self:
            if float_compare(evaluation.weight_total, 100.0, precision_digits=1):
                raise ValidationError(
                    self.env._(
                        "The weights of the criteria of the evaluation of %(supplier)s add up to "
                        "%(total)s %%; they must add up to 100 %%.",
                        supplier=evaluation.partner_id.display_name,
                        total=round(evaluation.weight_total, 1),
                    )
                )
            unscored = evaluation.line_ids.filtered(lambda line: not line.is_scored)
            if unscored:
                raise UserError(
                    self.env._(
                        "Score every criterion of the evaluation of %(supplier)s first: "
                        "%(criteria)s.",
                        supplier=evaluation.partner_id.display_name,
                        criteria=", ".join(unscored.mapped("criterion_id.name")),
                    )
                )

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        return self.filtered(lambda e: e.state != "draft")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "The evaluation of %(supplier)s is %(state)s and can no longer be changed; set it "
                "back to draft first.",
                supplier=", ".join(self.mapped("partner_id.display_name")[:5]),
                state=dict(self._fields["state"]._description_selection(self.env))[self[:1].state],
            )
        )

    def _kam_unlocks(self, vals):
        # a state change (checked by _kam_check_transition) is all a locked evaluation takes
        return set(vals) <= {"state"}

    def _kam_check_unlink(self):
        if any(evaluation.state != "draft" for evaluation in self):
            raise UserError(
                self.env._(
                    "Done or approved supplier evaluations cannot be deleted: they are the "
                    "record of the supplier's evaluation (ISO 9001 8.4.1)."
                )
            )

    def _kam_transition_refused(self, old, new):
        if new == "approved":
            return self.env._("Only KAM managers can approve supplier evaluations.")
        return self.env._("Only KAM managers can reopen an approved supplier evaluation.")

    def _kam_check_state_change(self, old, new, vals):
        if new in ("done", "approved"):
            self._check_complete()

    def _kam_state_values(self, new):
        today = fields.Date.context_today(self)
        if new == "draft":
            return {"done_date": False, "approved_by_id": False, "approved_date": False}
        if new == "done":
            return {"done_date": today, "approved_by_id": False, "approved_date": False}
        return {"approved_by_id": self.env.uid, "approved_date": today}

    def write(self, vals):
        done_before = self.filtered(lambda e: e.state == "draft") if "state" in vals else None
        res = super().write(vals)
        if done_before:
            done_before.filtered(lambda e: e.state == "done").activity_feedback(
                ["kam_management.mail_activity_kam_supplier_evaluation"]
            )
        return res

    # ------------------------------------------------------------------ buttons
    def action_done(self):
        return self._kam_move(
            "draft", "done", self.env._("Only draft evaluations can be marked as done.")
        )

    def action_approve(self):
        return self._kam_move(
            "done", "approved", self.env._("Only done evaluations can be approved.")
        )

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def action_send_letter(self):
        """Open the mail composer with the result letter to the supplier."""
        self.check_access("read")
        self.ensure_one()
        template = self.env.ref("kam_management.mail_template_kam_supplier_evaluation")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    # ------------------------------------------------------------------ periodic duty
    @api.model
    def _cycle_ready(self, company):
        """Whether the evaluations of ``company`` can start (criteria weights add up)."""
        try:
            self.env["kam.supplier.criterion"]._check_weights(company)
        except UserError as error:
            _logger.info("No supplier evaluations created for %s: %s", company.name, error)
            return False
        return True

    def _create_due_chunk(self, partners, company, today):
        """Draft evaluations of ``company``'s suppliers in ``partners`` (due: next
        evaluation date reached or not set) that have confirmed purchase orders in
        their period.

        The period ends the day before the due date and spans the supplier's
        frequency; the next date moves on by the frequency, also for suppliers
        without purchases. Idempotent (one evaluation per supplier, period and
        company) and batched: a fixed number of queries per chunk of suppliers."""
        periods = {}
        for partner in partners:
            months = FREQUENCY_MONTHS[partner.kam_evaluation_frequency]
            due = partner.kam_evaluation_next_date or today
            periods[partner.id] = (
                due - relativedelta(months=months),
                due - relativedelta(days=1),
                partner._kam_duty_next_date(partner.kam_evaluation_frequency, due),
            )
        self.env["purchase.order"].flush_model(
            ["partner_id", "company_id", "state", "user_id", "date_approve"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            _BUYERS_SQL,
            {
                "partners": partners.ids,
                "starts": [periods[pid][0] for pid in partners.ids],
                "ends": [periods[pid][1] for pid in partners.ids],
                "company": company.id,
                "tz": company.partner_id.tz or "UTC",
            },
        )
        buyers = dict(self.env.cr.fetchall())
        existing = {
            (e.partner_id.id, e.date_start, e.date_end)
            for e in self.with_context(active_test=False).search(
                [("partner_id", "in", list(buyers)), ("company_id", "=", company.id)]
            )
        }
        default_user = company.kam_supplier_evaluator_id
        vals_list = []
        for partner in partners:
            start, end, _next = periods[partner.id]
            if partner.id not in buyers or (partner.id, start, end) in existing:
                continue
            user_id = buyers[partner.id] or partner.buyer_id.id or default_user.id
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_start": start,
                    "date_end": end,
                    "user_id": user_id or False,
                }
            )
        evaluations = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        ).create(vals_list)
        deadline = today + relativedelta(days=EVALUATION_DAYS)
        schedule_once(
            evaluations,
            self.env.ref("kam_management.mail_activity_kam_supplier_evaluation"),
            lambda evaluation: (
                {
                    "user_id": evaluation.user_id.id,
                    "date_deadline": deadline,
                    "summary": lambda env: env._("Evaluate this supplier"),
                }
                if evaluation.user_id
                else None
            ),
        )
        next_dates = defaultdict(list)
        for partner in partners:
            next_dates[periods[partner.id][2]].append(partner.id)
        for next_date, ids in next_dates.items():
            partners.browse(ids).write({"kam_evaluation_next_date": next_date})
        return evaluations

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_supplier_evaluation_register_columns(self):
        """Columns of the supplier evaluation register: one score column per criterion."""
        criteria = self.env["kam.supplier.criterion"].with_context(active_test=False).search([])

        def score_of(criterion):
            def score(evaluation):
                for line in evaluation.line_ids:
                    if line.criterion_id == criterion and line.is_scored:
                        return line.score
                return None

            return score

        scores = [
            xlsx.value(
                self.env._("Score: %(criterion)s", criterion=criterion.name),
                score_of(criterion),
                kind="number",
                width=14,
                fields=["line_ids"],
            )
            for criterion in criteria
        ]
        return [
            xlsx.many2one("partner_id", width=30),
            xlsx.date("date_start"),
            xlsx.date("date_end"),
            xlsx.many2one("user_id", width=24),
            xlsx.selection("state", self.env._("Status"), width=14),
            xlsx.number("total_score"),
            xlsx.selection("supplier_class", width=8),
            xlsx.integer("receipt_count"),
            xlsx.integer("receipt_on_time_count"),
            xlsx.number("on_time_rate"),
            xlsx.number("received_qty"),
            xlsx.number("returned_qty"),
            xlsx.number("return_rate"),
            xlsx.integer("nc_count", width=14),
            *scores,
            xlsx.many2one("approved_by_id", width=24),
            xlsx.date("approved_date"),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "supplier_evaluation",
                self.env._("Supplier evaluations"),
                columns=self._kam_supplier_evaluation_register_columns,
                order="date_end desc, id desc",
                filename="supplier_evaluations",
            ),
        ]
