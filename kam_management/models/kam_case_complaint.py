import functools
import re
from datetime import timedelta

from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import clean_context, email_normalize, format_date, html2plaintext
from odoo.tools.mail import parse_contact_from_email

from odoo.addons.rating.models.rating_data import RATING_NEUTRAL_VALUE

from ..tools import languages, xlsx
from ..tools.activities import in_assignee_language
from ..tools.batches import assign_computed, in_chunks
from ..tools.core_shortcuts import trigger_soon
from ..tools.input_rules import escape_like
from ..tools.mail import note_not_mailed, without_sender

# working days for the answer deadline of complaints
WORKDAYS = (MO, TU, WE, TH, FR)
ORDER_REFERENCE = re.compile(r"\b([A-Z]{1,4}\d{3,})\b")
COMPLAINT_CHANNELS = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("web", "Web form"),
    ("portal", "Customer portal"),
    ("in_person", "In person"),
    ("other", "Other"),
]


@functools.lru_cache(maxsize=4096)
def add_working_days(start, days):
    """``start`` plus ``days`` working days (Monday to Friday). Cached: an import of
    complaints asks it for the same few dates over and over."""
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
        "acknowledgement_due",
        "satisfaction",
        "satisfaction_asked_date",
        "satisfaction_date",
    )
    # a late answer: the responsible officer is reminded once, the day after
    _kam_duty_date_field = "answer_deadline"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_answer_overdue"

    channel = fields.Selection(COMPLAINT_CHANNELS, tracking=True)
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
    # to be sent by the acknowledgement job right after the commit (in batch)
    acknowledgement_due = fields.Boolean(
        string="Acknowledgement to be sent", readonly=True, copy=False
    )
    # asked for explicitly (an import column, an API call): imports and historic
    # complaints are never acknowledged otherwise
    send_acknowledgement = fields.Boolean(
        string="Send acknowledgement",
        compute="_compute_send_acknowledgement",
        inverse="_inverse_send_acknowledgement",
        help="Imported complaints, and complaints whose answer date has already passed when "
        "they are entered, never mail the customer. Set this (e.g. a column of the import "
        "file) to send the acknowledgement to the customer anyway; it is sent once.",
    )
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

    @api.depends("case_type")
    def _compute_access_url(self):
        """Only complaints have a page in the customer portal."""
        res = super()._compute_access_url()
        for case in self.filtered(lambda c: c.case_type == "complaint"):
            case.access_url = f"/my/complaints/{case.id}"
        return res

    def _get_report_base_filename(self):
        """The file name of the complaint report in the portal."""
        self.ensure_one()
        return f"{self.name} {self.title}"

    @api.depends("date_received", "case_type")
    def _compute_answer_deadline(self):
        pipeline = self.env["kam.case.type"]._pipeline()

        def deadline(case):
            days = pipeline.get(case.case_type, {}).get("answer_days")
            return {
                "answer_deadline": days
                and case.date_received
                and add_working_days(case.date_received, days)
            }

        assign_computed(self, deadline)

    @api.onchange("date_received")
    def _onchange_date_received(self):
        # a case with an answer term is found when it is received
        if self.date_received and self.type_id.answer_days:
            self.date_found = self.date_received

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if order:
            self.partner_id = order.partner_id.commercial_partner_id
            self.contact_id = order.partner_id
            self.res_model, self.res_id = "sale.order", order.id

    @api.model
    def _kam_received_values(self, case_type, received, deadline=None):
        """What follows from the date a case with an answer term (a complaint) was
        received: it was found that day (so its reference has that year) and its
        answer is due ``answer term`` working days later. {} for other types."""
        days = self.env["kam.case.type"]._pipeline().get(case_type, {}).get("answer_days")
        if not days or not received:
            return {}
        values = {"date_found": received}
        # the answer is what is due: late answers show (and escalate) as overdue
        values["deadline"] = deadline or add_working_days(received, days)
        return values

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            case_type = vals.get("case_type") or self.env.context.get("default_case_type")
            received = fields.Date.to_date(
                vals.get("date_received")
                or self.env.context.get("default_date_received")
                or fields.Date.context_today(self)
            )
            vals.update(self._kam_received_values(case_type, received, vals.get("deadline")))
        # an explicit value (import column, API) is applied by the field's inverse
        explicit = ["send_acknowledgement" in vals for vals in vals_list]
        cases = super().create(vals_list)
        if not self.env.context.get("kam_no_acknowledgement") and not all(explicit):
            cases.browse(
                [case.id for case, asked in zip(cases, explicit, strict=True) if not asked]
            )._kam_acknowledgement_due()._kam_queue_acknowledgement()
        return cases

    def _kam_acknowledgement_due(self):
        """The new complaints of ``self`` whose customer gets the acknowledgement
        without being asked: not imported, not historic (the answer date already
        passed or the complaint is closed when it is entered)."""
        if self.env.context.get("import_file"):
            return self.browse()
        today = fields.Date.context_today(self)
        return self._kam_acknowledgeable().filtered(
            lambda c: not c.is_closed and not (c.answer_deadline and c.answer_deadline < today)
        )

    def _kam_acknowledgeable(self):
        """The complaints of ``self`` with a customer that were not acknowledged yet."""
        return self.filtered(
            lambda c: (
                c.case_type == "complaint"
                and c.partner_id
                and not c.acknowledged_date
                and not c.acknowledgement_due
            )
        )

    def _kam_queue_acknowledgement(self):
        """The acknowledgements of ``self`` are sent by the acknowledgement job,
        which runs right after this transaction commits."""
        if not self:
            return
        self._kam_workflow_write().with_context(tracking_disable=True).write(
            {"acknowledgement_due": True}
        )
        trigger_soon(self.env.ref("kam_management.ir_cron_kam_complaint_acknowledgements"))

    @api.model
    def _cron_kam_acknowledgements(self, batch_size=200):
        """The job: the acknowledgements still to be sent, rendered per chunk (one
        render per language) into the mail queue, which it then runs."""
        Case = self.sudo().with_context(mail_notify_force_send=False)
        for complaints in in_chunks(Case, [("acknowledgement_due", "=", True)], batch_size):
            complaints._send_acknowledgement()

    @api.depends("acknowledged_date", "acknowledgement_due")
    def _compute_send_acknowledgement(self):
        for case in self:
            case.send_acknowledgement = bool(case.acknowledged_date or case.acknowledgement_due)

    def _inverse_send_acknowledgement(self):
        if not self.env.context.get("kam_no_acknowledgement"):
            asked = self.filtered("send_acknowledgement")._kam_acknowledgeable()
            asked._kam_queue_acknowledgement()

    def write(self, vals):
        if vals.get("date_received"):
            received = fields.Date.to_date(vals["date_received"])
            for case_type, cases in self.grouped("case_type").items():
                follow = self._kam_received_values(case_type, received, vals.get("deadline"))
                if follow:
                    super(KamCase, cases).write(dict(vals, **follow))
                    self -= cases
            if not self:
                return True
        return super().write(vals)

    @api.model
    def action_kam_open_complaint_register(self, defaults=None):
        """The *Register complaint* dialog (``kam.complaint.register``), prefilled
        with ``defaults`` (field: value) or, from a list of complaints opened on a
        document, with the values that list was opened with."""
        self.env["kam.complaint.register"].check_access("create")
        if defaults is None:
            defaults = self.env.context.get("kam_complaint_register_defaults") or {}
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register complaint"),
            "res_model": "kam.complaint.register",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {f"default_{key}": value for key, value in defaults.items()},
        }

    def action_kam_register_complaint_list(self):
        """*Register complaint* above a list of complaints: the register dialog."""
        return self.action_kam_open_complaint_register()

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
        """The acknowledgement mail (reference, expected answer date) in each
        customer's language, one per complaint, from the company: rendered in
        batch (per language) into the mail queue, which runs right after the
        commit. The mail shows in the complaint's chatter and on its portal page."""
        # once per complaint, whatever path (create, a later customer) asks for it
        self = self.filtered(lambda case: not case.acknowledged_date)
        if not self:
            return
        # a company without an e-mail address: no mail that could never leave
        unsent = without_sender(self, self.env.user)
        if unsent:
            note_not_mailed(unsent, lambda env: env._("The acknowledgement to the customer"))
            unsent._kam_workflow_write().with_context(tracking_disable=True).write(
                {"acknowledgement_due": False}
            )
            self -= unsent
            if not self:
                return
        template = self.env.ref("kam_management.mail_template_complaint_acknowledgement")
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        # no default_* keys of the form (default_res_id...) in the mails' context
        template = template.sudo().with_context(clean_context(self.env.context))
        for company, complaints in self.grouped("company_id").items():
            template.send_mail_batch(
                complaints.ids,
                force_send=False,
                email_values={"author_id": company.partner_id.id, "subtype_id": subtype_id},
            )
        self._kam_workflow_write().with_context(tracking_disable=True).write(
            {"acknowledged_date": fields.Datetime.now(), "acknowledgement_due": False}
        )
        trigger_soon(self.env.ref("mail.ir_cron_mail_scheduler_action"))

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
                self.sudo()._kam_in_system_lang().action_close()
        except UserError as error:
            # something changed since the question (e.g. a new open action)
            self._schedule_officer_activity(
                lambda env: env._("Customer satisfied, but the complaint cannot be closed yet"),
                str(error),
            )

    def _reopen_not_satisfied(self):
        for case in self.sudo():
            case.write(
                {
                    "stage_id": case.type_id._stage("progress").id,
                    "satisfaction": "not_satisfied",
                    "satisfaction_date": fields.Datetime.now(),
                    "reopen_reason": case._kam_system_env()._("The customer is not satisfied."),
                }
            )
        self._schedule_officer_activity(
            lambda env: env._("Customer not satisfied: complaint reopened"),
            lambda env: env._("The customer answered that they are not satisfied."),
        )

    def _schedule_officer_activity(self, summary, note):
        """A to-do for the responsible officer; ``summary`` and ``note`` are texts or
        ``lambda env: env._(...)`` (then written in the officer's language)."""
        for case in self.sudo():
            user = case.user_id or case.create_uid
            (values,) = in_assignee_language(
                self.env, [{"user_id": user.id, "summary": summary, "note": note}]
            )
            case.activity_schedule("mail.mail_activity_data_todo", **values)

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
                "summary": lambda env, case=case: env._(
                    "Answer overdue since %(date)s", date=format_date(env, case.answer_deadline)
                ),
            }
            for case in self
        }

    # ------------------------------------------------------------------ intake
    @api.model
    def _kam_intake_contact(self, email, name=None, company=None, text=None, lang=None, **extra):
        """The contact with e-mail address ``email``, or a new one for a complaint
        from outside (mail, public form): named ``name`` (else the address), in
        language ``lang``, else the language ``text`` is written in, else the
        language of ``company``: never the language of whoever processes it."""
        Partner = self.env["res.partner"].sudo()
        email = email_normalize(email or "")
        if not email:
            return Partner
        contact = Partner.search([("email_normalized", "=", email)], order="parent_id, id", limit=1)
        if contact:
            return contact
        lang = (
            (lang if lang in languages.active_langs(self.env) else False)
            or languages.detect(self.env, text)
            or languages.company_lang(company or self.env.company)
        )
        name = (name or "").strip() or email
        return Partner.create(dict(extra, name=name, email=email, lang=lang))

    @api.model
    def _kam_intake_order(self, references, contact):
        """The sale order named by one of ``references`` that belongs to the
        contact's own company (commercial partner), or an empty recordset. An
        order of another customer is never linked to the complaint."""
        Order = self.env["sale.order"].sudo()
        references = [ref.strip() for ref in references if ref and ref.strip()]
        if not references or not contact:
            return Order
        domain = Domain.OR(Domain("name", "=ilike", escape_like(ref)) for ref in references)
        return Order.search(
            domain & Domain("partner_id", "child_of", contact.commercial_partner_id.id),
            order="date_order desc, id desc",
            limit=1,
        )

    @api.model
    def _kam_intake_values(self, contact, references, company=None):
        """Customer, contact and order values of a complaint from outside, and the
        note for the officer (in the company's language) when the customer named
        an order that is not theirs: (values, note or False)."""
        values = {}
        if contact:
            values.update(contact_id=contact.id, partner_id=contact.commercial_partner_id.id)
        order = self._kam_intake_order(references, contact)
        values.update(self._order_link_values(order))
        note = False
        given = [ref for ref in references if ref and ref.strip()]
        if given and not order:
            system = self.with_context(lang=languages.company_lang(company or self.env.company))
            note = system.env._(
                "Order reference given: %(reference)s (not linked: not an order of this customer).",
                reference=", ".join(sorted(set(given))),
            )
        return values, note

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the complaints alias: the sender becomes (or is matched to)
        the contact; an order of the sender's own company named in the subject or
        body is linked (another one only noted for the officer); the complaint
        gets its reference from its type, never the mail's subject."""
        values = dict(custom_values or {})
        values.setdefault("case_type", "complaint")
        values.setdefault("channel", "email")
        values.setdefault("source", "customer")
        subject = (msg_dict.get("subject") or "").strip()
        values.setdefault("title", subject or self.env._("Complaint by e-mail"))
        # mail.thread would put the subject into the reference
        values["name"] = "/"
        body = msg_dict.get("body") or ""
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        contact = self._kam_intake_contact(
            email, name=name, company=company, text=f"{subject}\n{html2plaintext(body)}"
        )
        references = ORDER_REFERENCE.findall(f"{subject} {html2plaintext(body)}")
        intake, note = self._kam_intake_values(contact, references, company=company)
        for key, value in intake.items():
            values.setdefault(key, value)
        if note:
            body = Markup("%s<p><em>%s</em></p>") % (Markup(body), note)
        values.setdefault("description", body)
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
            xlsx.integer(
                "open_action_count",
                self.env._("Open actions"),
                width=13,
                values=self._kam_open_action_counts,
            ),
            xlsx.datetime("closed_date", self.env._("Closed on")),
            xlsx.value(
                self.env._("Handling time (days)"),
                handling_days,
                kind="integer",
                width=14,
                fields=["date_received", "date_found", "closed_date"],
            ),
            xlsx.selection("satisfaction", width=18),
            xlsx.boolean("is_overdue", self.env._("Overdue"), by_search=True),
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
