import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, sql

from ..tools.activities import in_assignee_language
from ..tools.batches import in_chunks
from ..tools.core_shortcuts import insert_activities
from ..tools.recurrence import next_due
from ..tools.registry import models_inheriting

_logger = logging.getLogger(__name__)

# the advisory lock of the job (one run at a time per database)
DUTY_LOCK = "kam_management.periodic_duties"

DUTY_STATES = [
    ("pending", "Not reminded"),
    ("reminded", "Reminded"),
    ("escalated", "Escalated"),
]


class KamPeriodicDuty(models.AbstractModel):
    """A dated duty on a record: something is due on a date (a deadline, a review
    date, an expiry date, the next evaluation), its owner is reminded once, and
    maybe someone else is told when it stays overdue.

    A model opts in by inheriting this mixin, naming its due date field and
    implementing a few hooks; the one daily job ("KAM: periodic duties and
    reminders") finds every such model through the registry and performs their
    duties, in chunks and idempotently.

    Adopter API (class attributes and hooks; ``company`` is the company being
    processed, also ``self.env.company`` while the job runs):

    - ``_kam_duty_date_field``: name of the due date field (a ``fields.Date``).
    - ``_kam_duty_due_when_empty``: an empty due date means "due now".
    - ``_kam_duty_domain()``: the records that have the duty at all (e.g. open ones).
    - ``_kam_duty_remind_days(company)``: days before the due date (negative: after)
      the reminder is due.
    - ``_kam_duty_reminder_activity``: XML id of the reminder's activity type;
      ``_kam_duty_reminder_values(today)``: on the chunk of records whose reminder is
      due, ``{record: {"user_id", "date_deadline", "summary"}}`` (the summary in
      the assignee's language: ``lambda env: env._(...)``); a record left out
      (or mapped to None) is skipped this time and stays due.
    - optional escalation: ``_kam_duty_escalation_days(company)`` (None: none; else
      days after the due date, never before the reminder is due),
      ``_kam_duty_escalation_activity`` and ``_kam_duty_escalation_values(today)``.
    - ``_kam_duty_perform(company, today)``: what is done for a chunk of due records;
      the default gives the reminder and escalation activities. A recurring duty that
      is carried out by the job itself overrides it and moves the due date on (see
      ``_kam_duty_next_date``); it needs no reminder state.

    The one rule for "remind once": ``kam_duty_state`` records per record that the
    reminder (and the escalation) for the current due date was given. It is never
    given a second time, also not after the activity is done or deleted; a new due
    date (the date field changes, also through a recompute) resets it to pending.
    The job's query selects only the records that still need work."""

    _name = "kam.periodic.duty"
    _description = "KAM periodic duty"

    _kam_duty_date_field = None
    _kam_duty_due_when_empty = False
    _kam_duty_reminder_activity = None
    _kam_duty_escalation_activity = None

    kam_duty_state = fields.Selection(
        DUTY_STATES,
        string="Reminder",
        compute="_compute_kam_duty_state",
        store=True,
        precompute=True,
        copy=False,
        help="Whether the reminder (and the escalation) for the current due date was given. "
        "A new due date makes the record due again.",
    )

    @api.depends(lambda self: [self._kam_duty_date_field] if self._kam_duty_date_field else [])
    def _compute_kam_duty_state(self):
        # a new due date (or a new record): the reminder for it is still to come
        self.kam_duty_state = "pending"

    def _auto_init(self):
        self._kam_duty_init_column()
        return super()._auto_init()

    def _kam_duty_init_column(self):
        """A new state column (installing the mixin on a model with data) is filled in
        SQL instead of recomputing every row: a record with an open reminder
        (escalation) activity counts as reminded (escalated), as the rule before."""
        cr = self.env.cr
        if not (
            self._auto
            and self._kam_duty_date_field
            and self._fields["kam_duty_state"].store
            and sql.table_exists(cr, self._table)
            and not sql.column_exists(cr, self._table, "kam_duty_state")
        ):
            return
        table = SQL.identifier(self._table)
        sql.create_column(cr, self._table, "kam_duty_state", "varchar")
        cr.execute(SQL("UPDATE %s SET kam_duty_state = 'pending'", table))
        for state, xmlid in (
            ("reminded", self._kam_duty_reminder_activity),
            ("escalated", self._kam_duty_escalation_activity),
        ):
            activity_type = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
            if activity_type:
                cr.execute(
                    SQL(
                        """UPDATE %s t SET kam_duty_state = %s FROM mail_activity a
                            WHERE a.res_model = %s AND a.res_id = t.id
                              AND a.activity_type_id = %s""",
                        table,
                        state,
                        self._name,
                        activity_type.id,
                    )
                )
        self._kam_duty_init_state()

    def _kam_duty_init_state(self):
        """Hook: set the state of existing rows from an older rule (SQL, at install)."""

    # ------------------------------------------------------------------ hooks
    def _kam_duty_domain(self):
        """The records that have the duty at all."""
        return []

    @api.model
    def _kam_duty_remind_days(self, company):
        """Days before the due date (negative: after it) that the reminder is due."""
        return 0

    def _kam_duty_reminder_values(self, today):
        """{record: activity values} for the records of ``self`` whose reminder is due."""
        return {}

    @api.model
    def _kam_duty_escalation_days(self, company):
        """Days after the due date that the escalation is due; None: no escalation."""
        return None

    def _kam_duty_escalation_values(self, today):
        """{record: activity values} for the records of ``self`` to escalate."""
        return {}

    @api.model
    def _kam_duty_companies(self, companies):
        """The companies (of ``companies``) whose duties of this model are performed."""
        return companies

    @api.model
    def _kam_duty_next_date(self, frequency, start, after=None):
        """Due every ``frequency`` (see ``tools.recurrence.RULES``: monthly, quarterly,
        half_yearly, yearly...) from ``start``: the first date of that series after
        ``after`` (default: one step on from ``start``). Month ends and 29 February
        fall on the last day of a shorter month."""
        return next_due(frequency, start, after)

    # ------------------------------------------------------------------ the job
    @api.model
    def _cron_kam_duties(self, batch_size=500):
        """The daily job: the due duties of every model that inherits this mixin.

        One run at a time per database: Odoo's scheduler runs a job once at a
        time, but a run may also start outside it (a second server's "Run
        manually", a script). A run that starts while another works returns at
        once (False) instead of doing the same duties a second time. The lock is
        taken before the run reads anything: run by the scheduler (committed per
        chunk) it is held until the last chunk is committed; otherwise until
        the caller's transaction ends."""
        cr = self.env.cr
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        lock = "pg_try_advisory_lock" if in_cron else "pg_try_advisory_xact_lock"
        cr.execute(SQL("SELECT %s(hashtext(%s))", SQL(lock), DUTY_LOCK))
        if not cr.fetchone()[0]:
            _logger.info("KAM periodic duties: another run is working, this one stops")
            return False
        try:
            for model_name in self._kam_duty_models():
                self.env[model_name]._kam_duty_run(batch_size=batch_size)
        except Exception:
            if in_cron:
                cr.rollback()  # the lock is released below, not left in the pool
            raise
        finally:
            if in_cron:
                cr.execute(SQL("SELECT pg_advisory_unlock(hashtext(%s))", DUTY_LOCK))
        return True

    @api.model
    def _kam_duty_models(self):
        """Every (concrete) model that inherits this mixin, from the registry."""
        return models_inheriting(self.env, "kam.periodic.duty")

    @api.model
    def _kam_duty_run(self, batch_size=500, companies=None):
        """Perform the due duties of this model, per company (``companies``: all by
        default), in chunks of ``batch_size`` (committed per chunk when run by the
        scheduler). Returns the records whose duty was due."""
        today = fields.Date.context_today(self)
        model = self.sudo()
        if companies is None:
            companies = self.env["res.company"].sudo().search([])
        if not model._kam_duty_per_company():
            companies = companies[:1] or self.env.company
        due_ids = []
        for company in model._kam_duty_companies(companies):
            in_company = model.with_company(company)
            domain = in_company._kam_duty_due_domain(company, today)
            for records in in_chunks(in_company, domain, batch_size):
                records._kam_duty_perform(company, today)
                due_ids += records.ids
        return self.browse(due_ids)

    # ------------------------------------------------------------------ internals
    @api.model
    def _kam_duty_date_is_company_dependent(self):
        return self._fields[self._kam_duty_date_field].company_dependent

    @api.model
    def _kam_duty_per_company(self):
        return self._kam_duty_date_is_company_dependent() or "company_id" in self._fields

    @api.model
    def _kam_duty_keeps_state(self):
        # a duty whose due date differs per company moves its date on when performed
        return self._fields["kam_duty_state"].store

    @api.model
    def _kam_duty_limits(self, company, today):
        """(last due date whose reminder is due, same for the escalation or None)"""
        remind = today + timedelta(days=self._kam_duty_remind_days(company))
        days = self._kam_duty_escalation_days(company)
        escalate = None if days is None else min(remind, today - timedelta(days=days))
        return remind, escalate

    def _kam_duty_due(self, limit):
        """The records of ``self`` whose due date is on or before ``limit``."""
        name, empty = self._kam_duty_date_field, self._kam_duty_due_when_empty
        return self.filtered(lambda r: (r[name] and r[name] <= limit) or (empty and not r[name]))

    @api.model
    def _kam_duty_due_domain(self, company, today):
        name = self._kam_duty_date_field
        remind, escalate = self._kam_duty_limits(company, today)
        due = Domain(name, "<=", remind)
        if self._kam_duty_due_when_empty:
            due |= Domain(name, "=", False)
        if self._kam_duty_keeps_state():
            # the reminder is still to come, or the escalation (due no later than it)
            todo = Domain("kam_duty_state", "=", "pending")
            if escalate is not None:
                todo |= Domain("kam_duty_state", "=", "reminded") & Domain(name, "<=", escalate)
            due &= todo
        domain = Domain(self._kam_duty_domain()) & due
        if "company_id" in self._fields and not self._kam_duty_date_is_company_dependent():
            domain &= Domain("company_id", "in", [company.id, False])
        return domain

    def _kam_duty_perform(self, company, today):
        """Give the due reminders and escalations of the records of ``self`` (one
        chunk): one activity each, once per due date. A fixed number of queries per
        chunk: the hooks' reads, one create of the activities, the state writes."""
        if not self._kam_duty_keeps_state():
            raise NotImplementedError(
                f"{self._name}: a due date per company needs a _kam_duty_perform() that "
                "moves the date on."
            )
        remind_limit, escalate_limit = self._kam_duty_limits(company, today)
        pending = self.filtered(lambda r: r.kam_duty_state == "pending")._kam_duty_due(remind_limit)
        reminders = pending._kam_duty_reminder_values(today) if pending else {}
        reminded = pending.filtered(lambda r: reminders.get(r))
        escalations, escalated = {}, self.browse()
        if escalate_limit is not None:
            late = self.filtered(lambda r: r.kam_duty_state != "escalated")._kam_duty_due(
                escalate_limit
            )
            escalations = late._kam_duty_escalation_values(today) if late else {}
            escalated = late.filtered(lambda r: escalations.get(r))
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for records, xmlid, values in (
            (reminded, self._kam_duty_reminder_activity, reminders),
            (escalated, self._kam_duty_escalation_activity, escalations),
        ):
            if not records:
                continue
            activity_type = self.env.ref(xmlid)
            vals_list += [
                dict(
                    values[record],
                    res_model_id=model_id,
                    res_id=record.id,
                    res_name=record.display_name,
                    activity_type_id=activity_type.id,
                    automated=True,
                )
                for record in records
            ]
        # one INSERT for the chunk (what mail.activity.create would do, without its
        # per-activity work in Python: tools/core_shortcuts.py)
        activities = insert_activities(self.env, in_assignee_language(self.env, vals_list))
        quiet = self.with_context(tracking_disable=True, mail_notrack=True)
        for records, state in ((reminded - escalated, "reminded"), (escalated, "escalated")):
            if records:
                records.with_env(quiet.env).write({"kam_duty_state": state})
        return activities
