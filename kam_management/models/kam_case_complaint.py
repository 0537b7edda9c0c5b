import re
from datetime import timedelta

from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import clean_context, email_normalize

from odoo.addons.rating.models.rating_data import RATING_NEUTRAL_VALUE

from ..tools import xlsx
from ..tools.mail import note_not_mailed, without_sender

# working days for the answer deadline of complaints
WORKDAYS = (MO, TU, WE, TH, FR)
ORDER_REFERENCE = re.compile(r"\b([A-Z]{1,4}\d{3,})\b")


def add_working_days(start, days):
    """``start`` plus ``days`` working days (Monday to Friday)."""
    if days <= 0:
        return start
    following = rrule(DAILY, dtstart=start + timedelta(days=1), byweekday=WORKDAYS, count=days)
    return list(following)[-1].date()


class KamCase(models.Model):
    """The complaint part of a case: intake channel, customer, order, category,
    answer deadline, justification and the customer's acknowledgement."""

    _name = "kam.case"
    _inherit = ["kam.case", "portal.mixin", "kam.periodic.duty"]
    # the satisfaction loop and the acknowledgement are recorded by the workflow
    _kam_derived_fields = (
        "is_closed",
        "closed_date",
        "closed_by_id",
        "acknowledged_date",
        "satisfaction",
        "satisfaction_asked_date",
        "satisfaction_date",
    )
    # a late answer: the responsible officer is reminded once, the day after
    _kam_duty_date_field = "answer_deadline"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_answer_overdue"

    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("web", "Web form"),
            ("portal", "Customer portal"),
            ("in_person", "In person"),
            ("other", "Other"),
        ],
        tracking=True,
    )
    date_received = fields.Date(string="Received on", default=fields.Date.context_today)
    complaint_category_id = fields.Many2one(
        "kam.complaint.category", string="Complaint category", tracking=True
    )
    contact_id = fields.Many2one("res.partner", help="The person who made the complaint.")
    sale_order_id = fields.Many2one(
        "sale.order", string="Sale order", index="btree_not_null", check_company=True
    )
    sale_line_ids = fields.Many2many(
        "sale.order.line",
        string="Order lines",
        domain="[('order_id', '=', sale_order_id)]",
    )
    product_id = fields.Many2one("product.product", index="btree_not_null")
    claimed_impact = fields.Text(
        string="Claimed impact", help="What the customer says the problem cost or caused."
    )
    justification = fields.Selection(
        [("justified", "Justified"), ("not_justified", "Not justified")],
        string="Assessment",
        tracking=True,
    )
    justification_reason = fields.Text(string="Reason of the assessment")
    answer_deadline = fields.Date(
        string="Answer expected by",
        compute="_compute_answer_deadline",
        store=True,
        readonly=False,
        precompute=True,
        help="Date received plus the company's answer term in working days.",
    )
    acknowledged_date = fields.Datetime(string="Acknowledged on", readonly=True, copy=False)
    satisfaction = fields.Selection(
        [
            ("asked", "Asked"),
            ("satisfied", "Satisfied"),
            ("not_satisfied", "Not satisfied"),
            ("no_answer", "No answer"),
        ],
        string="Customer satisfaction",
        readonly=True,
        copy=False,
        tracking=True,
    )
    satisfaction_asked_date = fields.Datetime(
        string="Satisfaction asked on", readonly=True, copy=False
    )
    satisfaction_date = fields.Datetime(string="Satisfaction given on", readonly=True, copy=False)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/complaints/{case.id}"
        return res

    @api.depends("date_received", "case_type")
    def _compute_answer_deadline(self):
        pipeline = self.env["kam.case.type"]._pipeline()
        for case in self:
            days = pipeline.get(case.case_type, {}).get("answer_days")
            if days and case.date_received:
                case.answer_deadline = add_working_days(case.date_received, days)
            else:
                case.answer_deadline = False

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if order:
            self.partner_id = order.partner_id.commercial_partner_id
            self.contact_id = order.partner_id
            self.res_model, self.res_id = "sale.order", order.id

    @api.model_create_multi
    def create(self, vals_list):
        pipeline = self.env["kam.case.type"]._pipeline()
        for vals in vals_list:
            case_type = vals.get("case_type") or self.env.context.get("default_case_type")
            days = pipeline.get(case_type, {}).get("answer_days")
            if days and not vals.get("deadline"):
                # the answer is what is due: late answers show (and escalate) as overdue
                received = fields.Date.to_date(
                    vals.get("date_received")
                ) or fields.Date.context_today(self)
                # a case with an answer term is found when it is received
                vals.setdefault("date_found", received)
                found = fields.Date.to_date(vals["date_found"]) or received
                vals["deadline"] = max(add_working_days(received, days), found)
        cases = super().create(vals_list)
        complaints = cases.filtered(lambda c: c.case_type == "complaint" and c.partner_id)
        if complaints and not self.env.context.get("kam_no_acknowledgement"):
            complaints._send_acknowledgement()
        return cases

    @api.model
    def _order_link_values(self, order):
        """Values that link a new complaint to sale order ``order`` (and its company)."""
        if not order:
            return {}
        return {
            "sale_order_id": order.id,
            "company_id": order.company_id.id,
            "res_model": "sale.order",
            "res_id": order.id,
        }

    def _send_acknowledgement(self):
        """The acknowledgement mail (reference, expected answer date) in the
        customer's language, through the mail queue."""
        template = self.env.ref("kam_management.mail_template_complaint_acknowledgement")
        # no default_* keys of the form (default_res_id...) in the message's context
        cases = self.with_context(clean_context(self.env.context), mail_notify_force_send=False)
        # a company without an e-mail address: no mail that could never leave
        unsent = without_sender(cases, self.env.user)
        note_not_mailed(unsent, lambda env: env._("The acknowledgement to the customer"))
        for case in cases - unsent:
            case.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=(case.contact_id or case.partner_id).ids,
            )
        (self - unsent)._kam_workflow_write().write({"acknowledged_date": fields.Datetime.now()})

    # ------------------------------------------------------------------ satisfaction
    def _customer_partner(self):
        self.ensure_one()
        return self.contact_id or self.partner_id

    def _check_can_close(self):
        """A complaint is closed only when the customer is satisfied, or did not
        answer within the waiting period (ISO 9001 complaint procedure)."""
        res = super()._check_can_close()
        pending = self.env.context.get("kam_closing_values") or {}
        for case in self:
            satisfaction = pending.get("satisfaction", case.satisfaction)
            if case.close_asks_customer and satisfaction not in ("satisfied", "no_answer"):
                raise UserError(
                    self.env._(
                        "Complaint %(case)s can only be closed when the customer is satisfied: "
                        "ask the customer first.",
                        case=case.name,
                    )
                )
        return res

    def _kam_close_directly(self):
        return super()._kam_close_directly() or self.satisfaction in ("satisfied", "no_answer")

    def action_request_satisfaction(self):
        """Propose to close: the customer gets a mail with one-click answers
        (satisfied / not satisfied); the complaint waits for the customer."""
        if not self.env.user.has_group("kam_management.group_kam_officer"):
            raise AccessError(self.env._("Only KAM officers can close cases."))
        template = self.env.ref("kam_management.mail_template_complaint_satisfaction")
        if unsent := without_sender(self, self.env.user):
            raise UserError(
                self.env._(
                    "The customer cannot be asked by mail: %(company)s has no e-mail address "
                    "(Settings > Companies).",
                    company=unsent.company_id[:1].name,
                )
            )
        for case in self:
            waiting = case.type_id._stage("waiting")
            if not case.close_asks_customer or not waiting:
                raise UserError(
                    self.env._("Complaint %(case)s has no customer to ask.", case=case.name)
                )
            # everything else that closing requires must already be in order
            case._check_closing_rules()
            case._kam_workflow_write().write(
                {
                    "stage_id": waiting.id,
                    "satisfaction": "asked",
                    "satisfaction_asked_date": fields.Datetime.now(),
                    "satisfaction_date": False,
                }
            )
            case.with_context(clean_context(self.env.context)).rating_send_request(
                template, lang=case._customer_partner().lang, force_send=False
            )
        return True

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        for case in self.filtered("close_asks_customer"):
            if rate >= RATING_NEUTRAL_VALUE:
                case._close_satisfied()
            else:
                case._reopen_not_satisfied()
        return rating

    def _close_satisfied(self):
        self._kam_workflow_write().write(
            {"satisfaction": "satisfied", "satisfaction_date": fields.Datetime.now()}
        )
        try:
            with self.env.cr.savepoint():
                self.sudo().action_close()
        except UserError as error:
            # something changed since the question (e.g. a new open action)
            self._schedule_officer_activity(
                self.env._("Customer satisfied, but the complaint cannot be closed yet"),
                str(error),
            )

    def _reopen_not_satisfied(self):
        for case in self.sudo():
            case.write(
                {
                    "stage_id": case.type_id._stage("progress").id,
                    "satisfaction": "not_satisfied",
                    "satisfaction_date": fields.Datetime.now(),
                    "reopen_reason": self.env._("The customer is not satisfied."),
                }
            )
        self._schedule_officer_activity(
            self.env._("Customer not satisfied: complaint reopened"),
            self.env._("The customer answered that they are not satisfied."),
        )

    def _schedule_officer_activity(self, summary, note):
        for case in self.sudo():
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=note,
                user_id=(case.user_id or case.create_uid).id,
            )

    def action_close_without_answer(self):
        """After the waiting period the officer may close without an answer;
        that is recorded as "no answer"."""
        if not self.env.user.has_group("kam_management.group_kam_officer"):
            raise AccessError(self.env._("Only KAM officers can close cases."))
        now = fields.Datetime.now()
        for case in self:
            wait = timedelta(days=case.company_id.kam_complaint_satisfaction_wait_days)
            asked = case.satisfaction_asked_date
            if case.satisfaction != "asked" or not asked or asked + wait > now:
                raise UserError(
                    self.env._(
                        "Complaint %(case)s: the customer has %(days)s days to answer; you can "
                        "close without an answer after %(date)s.",
                        case=case.name,
                        days=case.company_id.kam_complaint_satisfaction_wait_days,
                        date=fields.Datetime.to_string(asked + wait) if asked else "-",
                    )
                )
        self._kam_workflow_write().write({"satisfaction": "no_answer"})
        return self.action_close()

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("case_type", "=", "complaint"), ("is_closed", "=", False)]

    @api.model
    def _kam_duty_remind_days(self, company):
        return -1

    def _kam_duty_reminder_values(self, today):
        return {
            case: {
                "user_id": (case.user_id or case.create_uid).id,
                "date_deadline": today,
                "summary": self.env._("Answer overdue since %(date)s", date=case.answer_deadline),
            }
            for case in self
        }

    # ------------------------------------------------------------------ e-mail intake
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the complaints alias: the sender becomes (or is matched to)
        the contact, a sale order named in the subject or body is linked."""
        values = dict(custom_values or {})
        values.setdefault("case_type", "complaint")
        values.setdefault("channel", "email")
        values.setdefault("title", msg_dict.get("subject") or self.env._("Complaint by e-mail"))
        email = email_normalize(msg_dict.get("email_from") or "")
        if email:
            contact = self.env["res.partner"].search([("email_normalized", "=", email)], limit=1)
            if not contact:
                contact = self.env["res.partner"].create(
                    {"name": msg_dict.get("email_from") or email, "email": email}
                )
            values.setdefault("contact_id", contact.id)
            values.setdefault("partner_id", contact.commercial_partner_id.id)
        text = f"{msg_dict.get('subject') or ''} {msg_dict.get('body') or ''}"
        references = set(ORDER_REFERENCE.findall(text))
        if references:
            order = (
                self.env["sale.order"].sudo().search([("name", "in", list(references))], limit=1)
            )
            if order:
                values.setdefault("sale_order_id", order.id)
                values.setdefault("res_model", "sale.order")
                values.setdefault("res_id", order.id)
                values.setdefault("partner_id", order.partner_id.commercial_partner_id.id)
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("source", "customer")
        return super().message_new(msg_dict, custom_values=values)

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_complaint_register_columns(self):
        """Columns of the complaint register: the complaint, the customer, the
        assessment, the analysis and the follow-up."""

        def root_causes(case):
            return ", ".join(case.cause_ids.filtered("is_root_cause").mapped("name"))

        def handling_days(case):
            """Calendar days from receipt (or finding) to closing; None while open."""
            start = case.date_received or case.date_found
            if not case.closed_date or not start:
                return None
            return (case.closed_date.date() - start).days

        return [
            xlsx.char("name", width=16),
            xlsx.char("title", width=40),
            xlsx.date("date_received"),
            xlsx.selection("channel", width=16),
            xlsx.many2one("complaint_category_id", self.env._("Category"), width=22),
            xlsx.many2one("partner_id", self.env._("Customer")),
            xlsx.many2one("contact_id", width=24),
            xlsx.many2one("sale_order_id", width=14),
            xlsx.many2one("product_id"),
            xlsx.char("claimed_impact"),
            xlsx.selection("justification", width=16),
            xlsx.char("justification_reason"),
            xlsx.date("answer_deadline", width=14),
            xlsx.datetime("acknowledged_date"),
            xlsx.many2one("stage_id"),
            xlsx.many2one("user_id", width=24),
            xlsx.selection("root_cause_category", width=20),
            xlsx.value(self.env._("Root causes"), root_causes, fields=["cause_ids"]),
            xlsx.integer("open_action_count", self.env._("Open actions"), width=13),
            xlsx.datetime("closed_date", self.env._("Closed on")),
            xlsx.value(
                self.env._("Handling time (days)"),
                handling_days,
                kind="integer",
                width=14,
                fields=["date_received", "date_found", "closed_date"],
            ),
            xlsx.selection("satisfaction", width=18),
            xlsx.boolean("is_overdue", self.env._("Overdue")),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "complaint",
                self.env._("Complaint register"),
                columns=self._kam_complaint_register_columns,
                domain=[("case_type", "=", "complaint")],
                order="date_received desc, id desc",
            ),
        ]
