from odoo import api, fields, models, tools
from odoo.modules import module

from ..tools.access import KAM_OFFICER, KAM_USER, PURCHASE_USER, check_groups

SUPPLIER_STATUSES = [
    ("approved", "Approved"),
    ("conditional", "Conditionally approved"),
    ("blocked", "Blocked"),
    ("not_evaluated", "Not evaluated"),
]
# class of the latest approved evaluation -> supplier status
CLASS_STATUS = {"a": "approved", "b": "conditional", "c": "blocked"}
# who sees a supplier's evaluation on the partner: purchasers and the KAM
# coordinators, not every employee with the KAM user role
SUPPLIER_READERS = "purchase.group_purchase_user,kam_management.group_kam_officer"
FREQUENCIES = [
    ("none", "None"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-yearly"),
    ("yearly", "Yearly"),
]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "kam.complaint.mixin", "kam.periodic.duty"]
    # the supplier evaluation cycle: the job creates the due evaluations itself and
    # moves the (per company) next date on, so no reminder state is stored
    _kam_duty_date_field = "kam_evaluation_next_date"
    _kam_duty_due_when_empty = True

    kam_duty_state = fields.Selection(store=False, precompute=False)

    # supplier evaluation, per company
    kam_evaluation_frequency = fields.Selection(
        FREQUENCIES,
        string="Evaluation frequency",
        company_dependent=True,
        help="How often this supplier is evaluated. The daily job creates a draft evaluation "
        "when the next evaluation date is reached and the supplier had confirmed purchase "
        "orders in the period.",
        groups=SUPPLIER_READERS,
    )
    kam_evaluation_next_date = fields.Date(
        string="Next evaluation",
        company_dependent=True,
        help="Due date of the next evaluation; its period ends the day before. Empty: due now.",
        groups=SUPPLIER_READERS,
    )
    kam_supplier_blocked = fields.Boolean(
        string="Blocked (manual)",
        company_dependent=True,
        help="Block this supplier whatever its evaluations say.",
        groups=SUPPLIER_READERS,
    )
    kam_supplier_block_reason = fields.Char(
        string="Reason for blocking", company_dependent=True, groups=SUPPLIER_READERS
    )
    kam_supplier_status = fields.Selection(
        SUPPLIER_STATUSES,
        string="Supplier status",
        compute="_compute_kam_supplier_status",
        help="From the class of the latest approved evaluation (A approved, B conditionally "
        "approved, C blocked), or blocked by hand.",
        groups=SUPPLIER_READERS,
    )
    kam_supplier_score = fields.Float(
        string="Latest score",
        compute="_compute_kam_supplier_status",
        digits=(5, 1),
        groups=SUPPLIER_READERS,
    )
    kam_supplier_class = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")],
        string="Latest class",
        compute="_compute_kam_supplier_status",
        groups=SUPPLIER_READERS,
    )
    kam_supplier_evaluation_date = fields.Date(
        string="Evaluated up to",
        compute="_compute_kam_supplier_status",
        groups=SUPPLIER_READERS,
    )
    kam_supplier_evaluation_count = fields.Integer(
        string="Evaluations",
        compute="_compute_kam_supplier_status",
        groups=SUPPLIER_READERS,
    )
    kam_supplier_certificate_ids = fields.One2many(
        "kam.supplier.certificate",
        "partner_id",
        string="Certificates",
        groups=SUPPLIER_READERS,
    )

    # ------------------------------------------------------------------ complaints
    def _kam_complaint_field(self):
        return "partner_id"

    def _kam_complaint_domain(self):
        # complaints of the company and of its contacts
        return [
            ("case_type", "=", "complaint"),
            ("partner_id", "in", self.commercial_partner_id.ids),
        ]

    def _compute_kam_complaint_count(self):
        counts = dict(
            self.env["kam.case"]._read_group(
                self._kam_complaint_domain(), ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_complaint_count = counts.get(partner.commercial_partner_id, 0)

    def _kam_complaint_defaults(self):
        return {"partner_id": self.commercial_partner_id.id, "contact_id": self.id}

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [
            ("kam_evaluation_frequency", "in", [key for key, _l in FREQUENCIES if key != "none"])
        ]

    @api.model
    def _kam_duty_companies(self, companies):
        return companies.filtered(self.env["kam.supplier.evaluation"]._cycle_ready)

    def _kam_duty_perform(self, company, today):
        """Draft evaluations with their evaluator's activity; the next dates move on."""
        return self.env["kam.supplier.evaluation"]._create_due_chunk(self, company, today)

    # ------------------------------------------------------------------ supplier evaluation
    def _kam_supplier_status_of(self, company):
        """{commercial partner id: (status, latest approved evaluation or None)} in
        ``company``, for the commercial partners of ``self``: two queries."""
        commercial = self.commercial_partner_id.with_company(company)
        Evaluation = self.env["kam.supplier.evaluation"].sudo()
        latest = {}
        for evaluation in Evaluation.search(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", company.id),
                ("state", "=", "approved"),
            ],
            order="date_end desc, id desc",
        ):
            latest.setdefault(evaluation.partner_id.id, evaluation)
        result = {}
        for partner in commercial.sudo():
            evaluation = latest.get(partner.id)
            if partner.kam_supplier_blocked:
                status = "blocked"
            elif evaluation:
                status = CLASS_STATUS[evaluation.supplier_class]
            else:
                status = "not_evaluated"
            result[partner.id] = (status, evaluation)
        return result

    @api.depends_context("company")
    @api.depends("kam_supplier_blocked")
    def _compute_kam_supplier_status(self):
        statuses = self._kam_supplier_status_of(self.env.company)
        counts = dict(
            self.env["kam.supplier.evaluation"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            commercial = partner.commercial_partner_id
            status, evaluation = statuses.get(commercial.id, ("not_evaluated", None))
            partner.kam_supplier_status = status
            partner.kam_supplier_score = evaluation.total_score if evaluation else 0.0
            partner.kam_supplier_class = evaluation.supplier_class if evaluation else False
            partner.kam_supplier_evaluation_date = evaluation.date_end if evaluation else False
            partner.kam_supplier_evaluation_count = counts.get(commercial, 0)

    @api.readonly
    def action_kam_supplier_evaluations(self):
        """The supplier's evaluations over time (graph), list and form."""
        check_groups(self, KAM_USER, PURCHASE_USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_supplier_evaluation_action_history"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        action["display_name"] = self.env._("Evaluations of %(supplier)s", supplier=partner.name)
        return action

    # ---- customer satisfaction (ISO 9001 9.1.2)
    kam_survey_opt_out = fields.Boolean(
        string="No satisfaction surveys",
        tracking=True,
        help="This contact (or, on a company, every contact of it) is never invited to a "
        "customer satisfaction campaign.",
    )
    kam_survey_answer_count = fields.Integer(
        string="Satisfaction answers",
        compute="_compute_kam_survey_answer_count",
        groups="kam_management.group_kam_officer",
    )

    def _compute_kam_survey_answer_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [
                    ("kam_customer_id", "in", self.commercial_partner_id.ids),
                    ("state", "=", "done"),
                ],
                ["kam_customer_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kam_survey_answer_count = counts.get(partner.commercial_partner_id, 0)

    @api.readonly
    def action_kam_survey_answers(self):
        """The customer's answers to satisfaction campaigns (officers)."""
        check_groups(self, KAM_OFFICER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_satisfaction_answer_action"
        )
        action["domain"] = [("kam_customer_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    def _kam_survey_opt_out_once(self, note):
        """Opt this contact out of the satisfaction surveys with ``note`` in its
        chatter, once: True if this call did it, False if it was done already.

        The public link may be confirmed twice at once (a double click, a mail
        scanner): in the request's own transaction (REPEATABLE READ, its
        snapshot taken long before) both would write, and the second fail on a
        serialization error (an ERROR in the log, then a retry). So the row is
        locked in a short transaction of its own, READ COMMITTED: the second
        waits for the first and then sees the contact opted out."""
        self.ensure_one()
        if module.current_test:
            # Odoo's test runner: every request shares the test's transaction
            return self._kam_survey_opt_out_locked(note)
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return self.with_env(self.env(cr=cr))._kam_survey_opt_out_locked(note)

    def _kam_survey_opt_out_locked(self, note):
        self.env.cr.execute(
            "SELECT kam_survey_opt_out FROM res_partner WHERE id = %s FOR UPDATE", [self.id]
        )
        row = self.env.cr.fetchone()
        if not row or row[0]:
            return False
        self.invalidate_recordset(["kam_survey_opt_out"])
        self.kam_survey_opt_out = True
        self.message_post(body=note, message_type="comment", subtype_xmlid="mail.mt_note")
        return True

    # ------------------------------------------------------------------ company language
    @api.model
    @tools.ormcache("company_id")
    def _kam_company_partner_lang(self, company_id):
        """The language code of the company's partner (``company_lang``): read once
        per registry, so writing a system text (a creation note) reads no partner.
        Cleared when the language of a company's partner or a company's partner
        changes."""
        company = self.env["res.company"].sudo().browse(company_id)
        return company.partner_id.lang or False

    def write(self, vals):
        res = super().write(vals)
        if "lang" in vals and (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("partner_id", "in", self.ids)], limit=1)
        ):
            self.env.registry.clear_cache()  # _kam_company_partner_lang
        return res
