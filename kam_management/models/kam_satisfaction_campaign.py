import datetime
import random

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, email_normalize

from ..tools import xlsx
from ..tools.batches import in_chunks
from ..tools.core_shortcuts import trigger_soon

OFFICER = "kam_management.group_kam_officer"
MANAGER = "kam_management.group_kam_manager"
CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("selected", "Customers selected"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("closed", "Closed"),
]
TRANSITIONS = {
    ("draft", "selected"): OFFICER,
    ("selected", "draft"): OFFICER,
    ("selected", "sending"): OFFICER,
    ("sending", "sent"): OFFICER,
    ("sent", "closed"): OFFICER,
    ("closed", "sent"): MANAGER,
}
# months per campaign period (the company's satisfaction frequency)
PERIOD_MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12}
BATCH_SIZE = 500

# The customers with a delivery in the period: done outgoing pickings of the
# company validated in the period (company time zone); one row per customer
# (commercial partner) with the contact of its latest delivery.
_DELIVERED_SQL = """
    SELECT DISTINCT ON (cp.id) cp.id, rp.id
      FROM stock_picking p
      JOIN stock_picking_type t ON t.id = p.picking_type_id
      JOIN res_partner rp ON rp.id = p.partner_id
      JOIN res_partner cp ON cp.id = rp.commercial_partner_id
     WHERE t.code = 'outgoing'
       AND p.state = 'done'
       AND p.company_id = %(company)s
       AND p.date_done >= (%(start)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
       AND p.date_done < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
       AND cp.active
       AND cp.id NOT IN (SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)
     ORDER BY cp.id, p.date_done DESC, p.id DESC
"""


def previous_period(today, frequency):
    """The last complete period (quarter, half year or year) before ``today``."""
    months = PERIOD_MONTHS.get(frequency, 6)
    start_month = ((today.month - 1) // months) * months + 1
    current = datetime.date(today.year, start_month, 1)
    start = current - relativedelta(months=months)
    return start, current - relativedelta(days=1)


class KamSatisfactionCampaign(models.Model):
    """One round of the customer satisfaction measurement (ISO 9001 9.1.2): the
    customers with a delivery in the period get the questionnaire.

    draft -> customers selected (a sample of the customers with a delivery in the
    period, none asked within the last N months, none that opted out) -> sending
    (invitations go out in chunks through the mail queue) -> sent (answers come
    in until the deadline; one reminder to who has not answered, a dated duty)
    -> closed. The results (response rate, NPS, CSAT, per segment) are figures of
    ``kam.satisfaction.report``."""

    _name = "kam.satisfaction.campaign"
    _description = "Customer satisfaction campaign"
    _inherit = [
        "kam.workflow.mixin",
        "kam.periodic.duty",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_to desc, id desc"
    _check_company_auto = True
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = (
        "date_sent",
        "date_closed",
        "candidate_count",
        "excluded_opt_out_count",
        "excluded_recent_count",
        "excluded_no_email_count",
    )
    _kam_lock_expression = "state == 'closed'"
    # the reminder to customers who have not answered: once, by the daily job
    _kam_duty_date_field = "reminder_date"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        help="Runs the campaign; its dissatisfied customers' cases are assigned to them.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Questionnaire",
        required=True,
        domain="[('survey_type', '=', 'kam_satisfaction')]",
        default=lambda self: self.env.company.kam_satisfaction_survey_id,
    )
    date_from = fields.Date(string="Deliveries from", required=True, tracking=True)
    date_to = fields.Date(string="Deliveries to", required=True, tracking=True, index=True)
    sample_mode = fields.Selection(
        [("all", "All customers"), ("percent", "A percentage"), ("number", "A number")],
        string="Sample",
        required=True,
        default="all",
    )
    sample_percent = fields.Float(string="Sample (%)", default=100.0)
    sample_size = fields.Integer(string="Sample size", default=100)
    exclude_months = fields.Integer(
        string="Not asked again within (months)",
        default=lambda self: self.env.company.kam_satisfaction_exclude_months,
        help="Customers invited by another campaign of the company within this many months "
        "before the selection are left out.",
    )
    answer_days = fields.Integer(
        string="Answer within (days)",
        default=lambda self: self.env.company.kam_satisfaction_answer_days,
        help="The deadline is this many days after the invitations go out.",
    )
    reminder_days = fields.Integer(
        string="Remind after (days)",
        default=lambda self: self.env.company.kam_satisfaction_reminder_days,
        help="Customers who have not answered get one reminder this many days after the "
        "invitation.",
    )
    deadline = fields.Date(tracking=True, help="The last day customers can answer.")
    reminder_date = fields.Date(
        string="Reminder on",
        compute="_compute_reminder_date",
        store=True,
        readonly=False,
        precompute=True,
    )
    state = fields.Selection(
        CAMPAIGN_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    date_sent = fields.Datetime(string="Sent on", readonly=True, copy=False)
    date_closed = fields.Date(string="Closed on", readonly=True, copy=False)
    user_input_ids = fields.One2many(
        "survey.user_input", "kam_campaign_id", string="Invitations", readonly=True
    )
    # the selection
    candidate_count = fields.Integer(string="Customers with deliveries", readonly=True, copy=False)
    excluded_opt_out_count = fields.Integer(string="Left out: opted out", readonly=True, copy=False)
    excluded_recent_count = fields.Integer(
        string="Left out: asked recently", readonly=True, copy=False
    )
    excluded_no_email_count = fields.Integer(
        string="Left out: no e-mail address", readonly=True, copy=False
    )
    # results (kam.satisfaction.report)
    invited_count = fields.Integer(string="Invited", compute="_compute_figures")
    selected_count = fields.Integer(string="Selected", compute="_compute_figures")
    response_count = fields.Integer(string="Answered", compute="_compute_figures")
    response_rate = fields.Float(string="Response rate (%)", compute="_compute_figures")
    nps = fields.Float(string="NPS", compute="_compute_figures", digits=(4, 1))
    promoter_count = fields.Integer(string="Promoters", compute="_compute_figures")
    passive_count = fields.Integer(string="Passives", compute="_compute_figures")
    detractor_count = fields.Integer(string="Detractors", compute="_compute_figures")
    csat = fields.Float(string="CSAT (%)", compute="_compute_figures", digits=(4, 1))
    case_count = fields.Integer(string="Follow-up cases", compute="_compute_figures")
    # complaint handling, beside the survey
    complaint_answer_count = fields.Integer(
        string="Complaints closed with an answer", compute="_compute_complaint_figures"
    )
    complaint_satisfied_rate = fields.Float(
        string="Complaint handling: satisfied (%)",
        compute="_compute_complaint_figures",
        help="Of the complaints whose customer answered the satisfaction question in the period: "
        "the share that was satisfied with the handling.",
    )
    active = fields.Boolean(default=True)

    _period_check = models.Constraint(
        "CHECK(date_to >= date_from)", "The period cannot end before it starts."
    )
    _sample_check = models.Constraint(
        "CHECK(sample_percent > 0 AND sample_percent <= 100 AND sample_size > 0)",
        "The sample is a percentage above 0 and at most 100, or a number above 0.",
    )

    def _kam_creation_note(self):
        return self.env._("Satisfaction campaign created")

    # ------------------------------------------------------------------ defaults
    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        if "date_from" in fields_list and not values.get("date_from"):
            start, end = previous_period(
                fields.Date.context_today(self), company.kam_satisfaction_frequency
            )
            values.setdefault("date_from", start)
            values.setdefault("date_to", end)
        if "name" in fields_list and not values.get("name") and values.get("date_from"):
            values["name"] = self._default_name(
                fields.Date.to_date(values["date_from"]), fields.Date.to_date(values["date_to"])
            )
        return values

    @api.model
    def _default_name(self, start, end):
        if start.day == 1 and start.month == 1 and end == datetime.date(start.year, 12, 31):
            period = str(start.year)
        elif start.year == end.year and start.day == 1 and end.month - start.month == 5:
            period = f"{start.year} H{1 if start.month == 1 else 2}"
        elif start.year == end.year and start.day == 1 and end.month - start.month == 2:
            period = f"{start.year} Q{(start.month - 1) // 3 + 1}"
        else:
            period = f"{start:%d-%m-%Y} - {end:%d-%m-%Y}"
        return self.env._("Customer satisfaction %(period)s", period=period)

    @api.depends("date_sent", "reminder_days")
    def _compute_reminder_date(self):
        for campaign in self:
            campaign.reminder_date = (
                campaign.date_sent.date() + relativedelta(days=campaign.reminder_days)
                if campaign.date_sent and campaign.reminder_days > 0
                else False
            )

    # ------------------------------------------------------------------ figures
    def _compute_figures(self):
        figures = {}
        if self.ids:
            groups = (
                self.env["kam.satisfaction.report"]
                .sudo()
                ._read_group(
                    [("campaign_id", "in", self.ids)],
                    ["campaign_id"],
                    [
                        "invited:sum",
                        "responded:sum",
                        "response_rate:avg",
                        "nps:avg",
                        "promoter:sum",
                        "passive:sum",
                        "detractor:sum",
                        "csat:avg",
                    ],
                )
            )
            figures = {group[0].id: group[1:] for group in groups}
        selected = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group([("kam_campaign_id", "in", self.ids)], ["kam_campaign_id"], ["__count"])
        )
        cases = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("kam_campaign_id", "in", self.ids), ("kam_case_id", "!=", False)],
                ["kam_campaign_id"],
                ["__count"],
            )
        )
        for campaign in self:
            invited, responded, rate, nps, promoters, passives, detractors, csat = figures.get(
                campaign.id, (0, 0, 0.0, 0.0, 0, 0, 0, 0.0)
            )
            campaign.invited_count = invited or 0
            campaign.selected_count = selected.get(campaign, 0)
            campaign.response_count = responded or 0
            campaign.response_rate = rate or 0.0
            campaign.nps = nps or 0.0
            campaign.promoter_count = promoters or 0
            campaign.passive_count = passives or 0
            campaign.detractor_count = detractors or 0
            campaign.csat = csat or 0.0
            campaign.case_count = cases.get(campaign, 0)

    def _compute_complaint_figures(self):
        Case = self.env["kam.case"].sudo()
        for campaign in self:
            start = datetime.datetime.combine(campaign.date_from, datetime.time.min)
            end = datetime.datetime.combine(campaign.date_to, datetime.time.max)
            counts = dict(
                Case._read_group(
                    [
                        ("case_type", "=", "complaint"),
                        ("company_id", "=", campaign.company_id.id),
                        ("satisfaction", "in", ("satisfied", "not_satisfied")),
                        ("satisfaction_date", ">=", start),
                        ("satisfaction_date", "<=", end),
                    ],
                    ["satisfaction"],
                    ["__count"],
                )
            )
            answered = sum(counts.values())
            campaign.complaint_answer_count = answered
            campaign.complaint_satisfied_rate = (
                100.0 * counts.get("satisfied", 0) / answered if answered else 0.0
            )

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda c: c.state == "closed")

    def _kam_unlocks(self, vals):
        """A closed campaign is reopened (by a manager: the transitions say who)."""
        return set(vals) <= {"state", "date_closed"} and vals.get("state") == "sent"

    def _kam_transition_refused(self, old, new):
        if (old, new) == ("closed", "sent"):
            return self.env._("Only KAM managers can reopen a closed satisfaction campaign.")
        return self.env._("Only KAM officers can run satisfaction campaigns.")

    def _kam_state_values(self, new):
        if new == "closed":
            return {"date_closed": fields.Date.context_today(self)}
        if new == "sent":
            return {"date_closed": False}
        return {}

    def _kam_check_unlink(self):
        if any(campaign.state not in ("draft", "selected") for campaign in self):
            raise UserError(
                self.env._(
                    "A campaign whose invitations went out cannot be deleted; archive it instead."
                )
            )

    @api.constrains("survey_id")
    def _check_survey(self):
        for campaign in self:
            survey = campaign.survey_id
            if survey.survey_type != "kam_satisfaction" or survey.access_mode != "token":
                raise ValidationError(
                    self.env._(
                        "%(survey)s is not a customer satisfaction questionnaire for invited "
                        "customers (type customer satisfaction, invited people only).",
                        survey=survey.display_name,
                    )
                )

    def _check_officer(self):
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers can run satisfaction campaigns."))

    # ------------------------------------------------------------------ selection
    def action_select_customers(self):
        """Select the customers to invite (draft -> customers selected)."""
        self._check_officer()
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(
                    self.env._(
                        "Customers are selected once, in a draft campaign (%(campaign)s).",
                        campaign=campaign.name,
                    )
                )
            campaign._kam_select()
        return True

    def _kam_candidates(self):
        """[(customer id, contact id)] of the customers with a delivery in the period."""
        self.ensure_one()
        self.env.flush_all()
        company = self.company_id
        self.env.cr.execute(
            SQL(
                _DELIVERED_SQL,
                company=company.id,
                start=self.date_from,
                end=self.date_to,
                tz=company.partner_id.tz or self.env.user.tz or "UTC",
            )
        )
        return self.env.cr.fetchall()

    def _kam_recently_invited(self, customer_ids):
        """The customers of ``customer_ids`` invited by a campaign of this company
        within the exclusion period."""
        if not customer_ids or self.exclude_months <= 0:
            return set()
        cutoff = fields.Datetime.now() - relativedelta(months=self.exclude_months)
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT kam_customer_id FROM survey_user_input
                    WHERE kam_customer_id = ANY(%s) AND kam_company_id = %s
                      AND kam_invited_date >= %s""",
                list(customer_ids),
                self.company_id.id,
                cutoff,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _kam_sample(self, rows):
        """The sample of ``rows`` (ordered by customer): all, a percentage or a
        number, drawn at random but the same for the same campaign."""
        if self.sample_mode == "all":
            return rows
        if self.sample_mode == "percent":
            size = round(len(rows) * self.sample_percent / 100.0)
        else:
            size = self.sample_size
        if size >= len(rows):
            return rows
        chosen = random.Random(self.id).sample(range(len(rows)), size)
        return [rows[index] for index in sorted(chosen)]

    def _kam_select(self):
        """Create one invitation (not yet sent) per selected customer."""
        self.ensure_one()
        candidates = self._kam_candidates()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        partner_ids = {cid for row in candidates for cid in row}
        partners = Partner.browse(partner_ids)
        partners.fetch(["email", "kam_survey_opt_out", "lang", "industry_id", "user_id", "name"])
        emails = {email_normalize(p.email) for p in partners if p.email} - {False}
        blacklisted = set()
        if emails:
            blacklisted = set(
                self.env["mail.blacklist"]
                .sudo()
                .search([("email", "in", list(emails))])
                .mapped("email")
            )
        recent = self._kam_recently_invited({customer for customer, _contact in candidates})
        opt_out = recent_count = no_email = 0
        rows = []
        for customer_id, contact_id in candidates:
            customer, contact = Partner.browse(customer_id), Partner.browse(contact_id)
            if customer.kam_survey_opt_out or contact.kam_survey_opt_out:
                opt_out += 1
                continue
            if customer_id in recent:
                recent_count += 1
                continue
            recipient = contact if contact.email else customer
            if not email_normalize(recipient.email or ""):
                no_email += 1
                continue
            if email_normalize(recipient.email) in blacklisted:
                opt_out += 1
                continue
            rows.append((customer, recipient))
        rows = self._kam_sample(rows)
        deadline = self._kam_answer_deadline()
        langs = self.env["res.lang"]._lang_get
        vals_list = [
            {
                "survey_id": self.survey_id.id,
                "kam_campaign_id": self.id,
                "kam_customer_id": customer.id,
                "kam_segment_id": customer.industry_id.id,
                "kam_user_id": customer.user_id.id,
                "partner_id": recipient.id,
                "email": recipient.email,
                "nickname": recipient.name,
                "lang_id": langs(recipient.lang or customer.lang or "").id,
                "deadline": deadline,
            }
            for customer, recipient in rows
        ]
        Answer = (
            self.env["survey.user_input"]
            .sudo()
            .with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
            )
        )
        for start in range(0, len(vals_list), BATCH_SIZE):
            Answer.create(vals_list[start : start + BATCH_SIZE])
        self._kam_workflow_write().write(
            {
                "state": "selected",
                "candidate_count": len(candidates),
                "excluded_opt_out_count": opt_out,
                "excluded_recent_count": recent_count,
                "excluded_no_email_count": no_email,
            }
        )
        return len(vals_list)

    def _kam_answer_deadline(self):
        """The last moment to answer (end of the deadline day), for the survey's token check."""
        deadline = self.deadline or (
            fields.Date.context_today(self) + relativedelta(days=self.answer_days or 21)
        )
        return datetime.datetime.combine(deadline, datetime.time(23, 59, 59))

    def action_reset_selection(self):
        """Back to draft: the selected, not yet invited customers are forgotten."""
        self._check_officer()
        for campaign in self.filtered(lambda c: c.state == "selected"):
            campaign.user_input_ids.filtered(lambda a: not a.kam_invited_date).sudo().unlink()
            campaign.write({"state": "draft"})
        return True

    # ------------------------------------------------------------------ invitations
    def action_send_invitations(self):
        """Send the invitations: the first chunk at once, the rest by the job."""
        self._check_officer()
        for campaign in self:
            if campaign.state != "selected":
                raise UserError(
                    self.env._(
                        "Select the customers of %(campaign)s before sending the invitations.",
                        campaign=campaign.name,
                    )
                )
            if not campaign.user_input_ids:
                raise UserError(
                    self.env._("%(campaign)s has no customers to invite.", campaign=campaign.name)
                )
            today = fields.Date.context_today(self)
            values = {"state": "sending"}
            if not campaign.deadline:
                values["deadline"] = today + relativedelta(days=campaign.answer_days or 21)
            campaign.write(values)
            campaign._kam_workflow_write().write({"date_sent": fields.Datetime.now()})
            campaign.user_input_ids.sudo().write({"deadline": campaign._kam_answer_deadline()})
            campaign._kam_send_pending(max_chunks=1)
        if self.filtered(lambda c: c.state == "sending"):
            trigger_soon(self.env.ref("kam_management.ir_cron_kam_satisfaction_invitations"))
        return True

    def _kam_send_pending(self, batch_size=BATCH_SIZE, max_chunks=None):
        """Send the invitations not yet sent, in chunks (committed per chunk when
        run by the scheduler); a campaign with none left is sent."""
        template = self.env.ref("kam_management.mail_template_kam_satisfaction_invitation")
        Answer = self.env["survey.user_input"].sudo()
        for campaign in self:
            domain = [("kam_campaign_id", "=", campaign.id), ("kam_invited_date", "=", False)]
            chunks = 0
            for answers in in_chunks(Answer, domain, batch_size):
                template.sudo().send_mail_batch(
                    answers.ids, email_layout_xmlid="mail.mail_notification_light"
                )
                answers.write({"kam_invited_date": fields.Datetime.now()})
                chunks += 1
                if max_chunks and chunks >= max_chunks:
                    break
            if not Answer.search_count(domain, limit=1):
                campaign.sudo()._kam_workflow_write().write({"state": "sent"})

    @api.model
    def _cron_send_invitations(self, batch_size=BATCH_SIZE):
        """The job that sends the rest of the invitations of the campaigns being sent."""
        self.sudo().search([("state", "=", "sending")])._kam_send_pending(batch_size=batch_size)
        return True

    # ------------------------------------------------------------------ the reminder (a dated duty)
    def _kam_duty_domain(self):
        return [("state", "=", "sent")]

    def _kam_duty_perform(self, company, today):
        """One reminder to every invited customer who has not answered yet (and
        whose deadline has not passed), then the duty is done for this date. A
        reminder date moved later by hand gives who was reminded before one more."""
        template = self.env.ref("kam_management.mail_template_kam_satisfaction_reminder")
        Answer = self.env["survey.user_input"].sudo()
        now = fields.Datetime.now()
        for campaign in self:
            if campaign.deadline and campaign.deadline < today:
                continue
            reminder_day = datetime.datetime.combine(campaign.reminder_date, datetime.time.min)
            domain = [
                ("kam_campaign_id", "=", campaign.id),
                ("kam_invited_date", "!=", False),
                ("state", "!=", "done"),
                "|",
                ("kam_reminded_date", "=", False),
                ("kam_reminded_date", "<", reminder_day),
            ]
            for answers in in_chunks(Answer, domain, BATCH_SIZE):
                template.sudo().send_mail_batch(
                    answers.ids, email_layout_xmlid="mail.mail_notification_light"
                )
                answers.write({"kam_reminded_date": now})
        self.with_context(tracking_disable=True).write({"kam_duty_state": "reminded"})
        return self.env["mail.activity"]

    # ------------------------------------------------------------------ closing
    def action_close(self):
        self._check_officer()
        self.filtered(lambda c: c.state == "sent").write({"state": "closed"})
        return True

    def action_reopen(self):
        self.filtered(lambda c: c.state == "closed").write({"state": "sent"})
        return True

    def _kam_satisfaction_clauses(self):
        """The customer satisfaction clause (ISO 9001 9.1.2) of the quality standards
        the company works by: the follow-up cases are evidence for it."""
        self.ensure_one()
        return (
            self.env["kam.standard.clause"]
            .sudo()
            .search(
                [
                    ("number", "=", "9.1.2"),
                    ("standard_id", "in", self.company_id.kam_standard_ids.ids),
                    ("standard_id.theme", "=", "quality"),
                ]
            )
        )

    # ------------------------------------------------------------------ buttons
    @api.readonly
    def action_view_answers(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_satisfaction_answer_action"
        )
        action["domain"] = [("kam_campaign_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.readonly
    def action_view_results(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_satisfaction_report_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_group_segment": 1}
        action["view_mode"] = "pivot,graph,list"
        return action

    @api.readonly
    def action_view_cases(self):
        self.ensure_one()
        cases = self.user_input_ids.sudo().kam_case_id
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_case_action_all")
        action["domain"] = [("id", "in", cases.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------ register
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "satisfaction_campaign",
                self.env._("Customer satisfaction campaigns"),
                columns=lambda: [
                    xlsx.char("name", width=30),
                    xlsx.date("date_from"),
                    xlsx.date("date_to"),
                    xlsx.datetime("date_sent"),
                    xlsx.date("deadline"),
                    xlsx.integer("invited_count"),
                    xlsx.integer("response_count"),
                    xlsx.number("response_rate"),
                    xlsx.number("nps"),
                    xlsx.number("csat"),
                    xlsx.integer("detractor_count"),
                    xlsx.integer("case_count"),
                    xlsx.number("complaint_satisfied_rate"),
                    xlsx.selection("state"),
                ],
                order="date_to desc, id desc",
            ),
        ]
