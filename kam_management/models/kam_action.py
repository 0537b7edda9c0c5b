from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date

from ..tools import xlsx
from ..tools.actions import open_record_action, readable_links
from ..tools.batches import company_check_representatives, in_chunks
from ..tools.core_shortcuts import (
    insert_activities,
    insert_followers,
    log_notes,
    trigger_soon,
    xmlid_to_res_id,
)
from ..tools.registry import models_inheriting

ACTION_STATES = [
    ("open", "Open"),
    ("done", "Done"),
    ("verified", "Verified effective"),
    ("not_effective", "Not effective"),
]
OFFICER = "kam_management.group_kam_officer"
# state changes: (from, to) -> the group that may make it (None: whoever may
# write the action: its owner, the reporter of its case, officers)
TRANSITIONS = {
    ("open", "done"): None,
    ("done", "open"): None,
    ("done", "verified"): OFFICER,
    ("done", "not_effective"): OFFICER,
    # a later judgement (the effect did not last, or it did after all)
    ("verified", "not_effective"): OFFICER,
    ("not_effective", "verified"): OFFICER,
    ("verified", "open"): OFFICER,
    ("not_effective", "open"): OFFICER,
}


class _SummaryTexts:
    """The text of a reminder per language and due date, made once per cursor
    (the job's chunks share it: 10,000 overdue actions have some hundreds of
    deadlines; formatting a date and looking up the translation per activity was a
    sixth of the overdue job)."""

    def __init__(self, text):
        self.text = text
        self.texts = {}

    @classmethod
    def of(cls, env, key, text):
        """The texts of ``key`` for this cursor (``cr.cache``: the job's run, a request)."""
        cache = env.cr.cache.setdefault("kam_action_summary_texts", {})
        if key not in cache:
            cache[key] = cls(text)
        return cache[key]

    def __call__(self, env, date):
        key = (env.lang, date)
        if key not in self.texts:
            self.texts[key] = self.text(env, format_date(env, date))
        return self.texts[key]


class KamAction(models.Model):
    """A correction, corrective, preventive or improvement action.

    Its source is one stored many2one per source model (``case_id`` here,
    ``risk_id`` in kam_risk.py; every model that inherits ``kam.action.source``
    declares its own); the displayed source is derived from them, so an action
    moved to another case can never show the old one.

    Workflow (kam.workflow.mixin): open -> done -> verified effective / not
    effective; only officers judge effectiveness or reopen a judged action; who
    did it and when is set by the workflow itself; judged actions are read-only
    for everyone but officers."""

    _name = "kam.action"
    _description = "KAM action"
    _inherit = [
        "kam.workflow.mixin",
        "kam.periodic.duty",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "kam.page.mixin",
    ]
    _order = "deadline, id"
    _check_company_auto = True
    # overdue: the owner is reminded the day after the deadline, escalated later
    _kam_duty_date_field = "deadline"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_overdue"
    _kam_duty_escalation_activity = "kam_management.mail_activity_kam_escalation"

    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = ("done_date", "verified_by_id", "verified_date", "owner_notice_due")
    _kam_locked_writable_fields = ("active", "color")

    name = fields.Char(string="Action", required=True, tracking=True)
    description = fields.Html()
    kind = fields.Selection(
        [
            ("correction", "Correction"),
            ("corrective", "Corrective action"),
            ("preventive", "Preventive action"),
            ("improvement", "Improvement"),
        ],
        required=True,
        default="corrective",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    deadline = fields.Date(required=True, tracking=True, index=True)
    state = fields.Selection(
        ACTION_STATES, required=True, default="open", tracking=True, index=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # the core source: a case (other sources add their many2one in their own file)
    case_id = fields.Many2one(
        "kam.case", index="btree_not_null", ondelete="cascade", check_company=True, tracking=True
    )
    case_type = fields.Selection(related="case_id.case_type", store=True, precompute=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0", tracking=True
    )
    source_ref = fields.Reference(
        selection="_selection_source_models", string="Source record", compute="_compute_source"
    )
    source_name = fields.Char(string="Source", compute="_compute_source")
    source_can_open = fields.Boolean(
        string="Can open the source", compute="_compute_source_can_open"
    )
    done_date = fields.Date(readonly=True, copy=False)
    # effectiveness check (ISO 9001 10.2.1 d)
    effectiveness_date = fields.Date(
        string="Check effectiveness on", tracking=True, help="When to check the effect."
    )
    effectiveness_result = fields.Text(string="Effectiveness result", copy=False)
    verified_by_id = fields.Many2one("res.users", string="Verified by", readonly=True, copy=False)
    verified_date = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    color = fields.Integer()
    active = fields.Boolean(default=True)
    # the owner is still to be told (after the commit, in batch: _cron_kam_owner_notices)
    owner_notice_due = fields.Boolean(string="Owner to be notified", readonly=True, copy=False)

    _state_deadline_idx = models.Index("(state, deadline)")
    _user_state_idx = models.Index("(user_id, state)")
    _owner_notice_idx = models.Index("(id) WHERE owner_notice_due IS TRUE")

    # ------------------------------------------------------------------ sources
    @api.model
    @tools.ormcache()
    def _kam_source_fields(self):
        """The many2one fields of kam.action that point at an action source."""
        sources = set(models_inheriting(self.env, "kam.action.source"))
        return tuple(
            name
            for name, field in self._fields.items()
            if field.type == "many2one" and field.store and field.comodel_name in sources
        )

    @api.model
    def _selection_source_models(self):
        return list(self._kam_source_models_labels())

    @api.model
    @tools.ormcache("self.env.lang")
    def _kam_source_models_labels(self):
        """(model, label) of every action source, per language: ``source_ref``
        checks each value it is given against this selection, once per action
        (the action list in Excel computed it 61,000 times)."""
        models_ = {self._fields[name].comodel_name for name in self._kam_source_fields()}
        return tuple(
            (model, self.env["ir.model"]._get(model).name or model) for model in sorted(models_)
        )

    def _kam_source(self):
        """The record this action comes from (or an empty recordset)."""
        self.ensure_one()
        for name in self._kam_source_fields():
            if self[name]:
                return self[name]
        return None

    @api.depends(lambda self: self._kam_source_fields())
    def _compute_source(self):
        # as superuser, one read per source model: an owner may lack the rights on
        # the source, but must see where the action comes from (opening it follows
        # their own rights)
        names = {
            (source._name, source.id): source.display_name
            for name in self._kam_source_fields()
            for source in self[name].sudo()
        }
        for action in self:
            source = action._kam_source()
            action.source_ref = source or False
            action.source_name = names.get((source._name, source.id)) if source else False

    @api.depends(lambda self: self._kam_source_fields())
    @api.depends_context("uid")
    def _compute_source_can_open(self):
        sources = {action: action._kam_source() for action in self}
        readable = readable_links(
            self.env, [(source._name, source.id) for source in sources.values() if source]
        )
        for action, source in sources.items():
            action.source_can_open = bool(source) and (source._name, source.id) in readable

    @api.constrains(lambda self: self._kam_source_fields())
    def _check_one_source(self):
        for action in self:
            if sum(1 for name in self._kam_source_fields() if action[name]) > 1:
                raise ValidationError(
                    self.env._("Action %(action)s can have only one source.", action=action.name)
                )

    @api.constrains(lambda self: ["deadline", *self._kam_source_fields()])
    def _check_deadline(self):
        for action in self:
            source = action._kam_source()
            earliest = source._kam_action_min_deadline() if source else False
            if earliest and action.deadline and action.deadline < earliest:
                raise ValidationError(
                    self.env._(
                        "The deadline of action %(action)s cannot be before %(date)s (%(origin)s).",
                        action=action.name,
                        date=earliest,
                        origin=source.display_name,
                    )
                )

    # ------------------------------------------------------------------ computes
    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue actions."))
        domain = Domain(
            [("state", "=", "open"), ("deadline", "<", fields.Date.context_today(self))]
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        # notifications go to the mail queue, never inline; the owner's one notice is
        # the to-do activity's (not also Odoo's "assigned to you" of the tracked owner)
        self = self.with_context(mail_notify_force_send=False, mail_auto_subscribe_no_notify=True)
        # an action belongs to the company of its source: one read per source model
        for name in self._kam_source_fields():
            ids = {v[name] for v in vals_list if v.get(name) and not v.get("company_id")}
            if not ids:
                continue
            company_of = self.env[self._fields[name].comodel_name]._kam_action_company_of(ids)
            for vals in vals_list:
                if vals.get(name) in company_of and not vals.get("company_id"):
                    vals["company_id"] = company_of[vals[name]]
        if not self.env.su and any(vals.get("state", "open") != "open" for vals in vals_list):
            if not self.env.user.has_group(OFFICER):
                raise AccessError(
                    self.env._("New actions start open; only officers may import others.")
                )
        # creator and owner follow in one batched insert per owner instead of
        # mail.thread's per-record auto-subscription (three queries per action)
        actions = super(
            KamAction,
            self.with_context(
                mail_create_nosubscribe=True, mail_create_nolog=True, kam_batch_subscribe=True
            ),
        ).create(vals_list)
        actions = actions.with_env(self.env)
        ctx = self.env.context
        subscribed = not ctx.get("tracking_disable") and not ctx.get("mail_create_nosubscribe")
        if subscribed:
            by_owner = actions.grouped("user_id")
            # the users' partners in one narrow read (not two reads of the whole user row)
            users = (self.env.user | self.env["res.users"].union(*by_owner)).sudo()
            users.fetch(["partner_id", "active", "share"])
            user = users.browse(self.env.uid)
            author = self.env["res.partner"]
            if user.active and not user.share:
                author = user.partner_id
            for owner, owned in by_owner.items():
                insert_followers(owned, author | users.browse(owner.ids).partner_id)
        if not ctx.get("tracking_disable") and not ctx.get("mail_create_nolog"):
            log_notes(actions, lambda action: action._kam_in_system_lang()._kam_creation_note())
        # the owners follow already when subscribed above
        actions._schedule_owner_activity(owners_follow=subscribed)
        if any(vals.get("owner_notice_due") for vals in vals_list):
            self._kam_trigger_owner_notices()
        return actions

    def _check_company(self, fnames=None):
        # checked once per distinct company and linked records (tools/batches.py)
        if len(self) < 2:
            return super()._check_company(fnames)
        representatives, fnames = company_check_representatives(self, fnames)
        return super(KamAction, representatives)._check_company(fnames)

    def _kam_create_values(self, vals_list):
        # the owner of a new open action is told once, after the commit (not the creator)
        if not self.env.context.get("mail_activity_quick_update"):
            for vals in vals_list:
                owner = vals.get("user_id") or self.env.uid
                if vals.get("state", "open") == "open" and owner != self.env.uid:
                    vals["owner_notice_due"] = True
        return super()._kam_create_values(vals_list)

    def _kam_creation_note(self):
        return self.env._("Action created")

    def _schedule_owner_activity(self, owners_follow=False):
        """One to-do activity for each new action's owner, created in one batch
        without a notice of its own: the owner is told once, after the commit
        (``owner_notice_due``, ``_cron_kam_owner_notices``). ``owners_follow``:
        the owners follow the actions already (not subscribed again)."""
        activity_type_id = xmlid_to_res_id(self.env, "kam_management.mail_activity_kam_action")
        model_id = self.env["ir.model"]._get_id(self._name)
        # one INSERT for the batch (tools/core_shortcuts.py): mail.activity.create's
        # Python per activity was a third of a bulk import of actions
        activities = insert_activities(
            self.env,
            [
                {
                    "res_model_id": model_id,
                    "res_model": self._name,
                    "res_id": action.id,
                    "activity_type_id": activity_type_id,
                    "user_id": action.user_id.id,
                    "date_deadline": action.deadline,
                    "res_name": action.display_name,
                    "automated": True,
                }
                for action in self
                if action.state == "open"
            ],
            subscribed=owners_follow,
        )
        return activities

    def _kam_trigger_owner_notices(self):
        """Tell the owners after this transaction commits (the job runs then)."""
        trigger_soon(
            self.env["ir.cron"].browse(
                xmlid_to_res_id(self.env, "kam_management.ir_cron_kam_action_owner_notices")
            )
        )

    @api.model
    def _cron_kam_owner_notices(self, batch_size=1000):
        """The job: every owner still to be told about open actions gets one notice
        per chunk, whoever made them: Odoo's activity notification for a single
        action, one mail listing them for several (an import, a batch of actions
        for the same colleague). A fixed number of queries per owner and chunk."""
        Action = self.sudo().with_context(mail_notify_force_send=False)
        activity_type = self.env.ref("kam_management.mail_activity_kam_action")
        for actions in in_chunks(Action, [("owner_notice_due", "=", True)], batch_size):
            activities = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", actions.ids),
                        ("activity_type_id", "=", activity_type.id),
                    ]
                )
            )
            owner_of = {action.id: action.user_id for action in actions if action.state == "open"}
            current = activities.filtered(lambda a, o=owner_of: a.user_id == o.get(a.res_id))
            actions._kam_notify_owners(current)
            actions._kam_workflow_write().with_context(
                tracking_disable=True, mail_notrack=True
            ).write({"owner_notice_due": False})

    def _kam_notify_owners(self, activities):
        """One notice per owner of the to-do ``activities``."""
        for user, owned in activities.grouped("user_id").items():
            if len(owned) == 1:
                owned.action_notify()
                continue
            lang_env = self.with_context(lang=user.lang or self.env.lang).env
            actions = lang_env[self._name].browse(owned.mapped("res_id"))
            date_format = lang_env["res.lang"]._get_data(code=lang_env.lang).date_format
            rows = Markup("").join(
                Markup("<li><a href='/odoo/%s/%s'>%s</a> (%s)</li>")
                % (self._name, action.id, action.name, action.deadline.strftime(date_format))
                for action in actions
            )
            lang_env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=lang_env._("%(count)s KAM actions assigned to you", count=len(actions)),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (lang_env._("These actions were assigned to you:"), rows),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("kam_batch_subscribe"):
            return True  # done for the whole batch in create()
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    def write(self, vals):
        # reassignments notify through the mail queue, never inline
        before = {action: action.state for action in self} if "state" in vals else {}
        # a new owner is told once: the to-do activity moves to them and the owner
        # notice job tells them, not also Odoo's "assigned to you" of the tracked owner
        quiet = self.with_context(
            mail_notify_force_send=False, mail_auto_subscribe_no_notify="user_id" in vals
        )
        res = super(KamAction, quiet).write(vals)
        if vals.get("user_id"):
            self._kam_move_owner_activity()
        if before:
            self._kam_after_state_change(before)
        return res

    def _kam_move_owner_activity(self):
        """The open to-do activities of ``self`` go to the action's (new) owner."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("kam_management.mail_activity_kam_action").id,
                    ),
                ]
            )
        )
        owner_of = {action.id: action.user_id for action in self}
        moving = activities.filtered(lambda a: a.user_id != owner_of[a.res_id])
        quick = moving.with_context(mail_notify_force_send=False, mail_activity_quick_update=True)
        for user, owned in quick.grouped(lambda a: owner_of[a.res_id]).items():
            owned.write({"user_id": user.id})
        self.browse(moving.mapped("res_id"))._kam_owner_notice_due()

    def _kam_owner_notice_due(self):
        """The owners of ``self`` (open actions) are to be told, unless they act now."""
        if self.env.context.get("mail_activity_quick_update"):
            return
        due = self.filtered(lambda a: a.state == "open" and a.user_id != self.env.user)
        if due:
            due._kam_workflow_write().with_context(tracking_disable=True, mail_notrack=True).write(
                {"owner_notice_due": True}
            )
            self._kam_trigger_owner_notices()

    # ------------------------------------------------------------------ workflow rules
    def _kam_is_locked(self):
        # judged actions are closed; officers may still correct or reopen them
        if self.env.user.has_group(OFFICER):
            return self.browse()
        return self.filtered(lambda a: a.state in ("verified", "not_effective"))

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "The effectiveness of action %(action)s has been judged: only KAM officers can "
                "change it.",
                action=", ".join(self.mapped("name")[:5]),
            )
        )

    def _kam_check_unlink(self):
        if any(action.state != "open" for action in self):
            raise UserError(
                self.env._("Done or verified actions cannot be deleted; archive them instead.")
            )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM officers can judge the effectiveness of actions.")

    def _kam_check_state_change(self, old, new, vals):
        if new in ("verified", "not_effective"):
            result = vals.get("effectiveness_result", self.effectiveness_result)
            if not (result or "").strip():
                raise UserError(
                    self.env._(
                        "Record the result of the effectiveness check of action %(action)s first.",
                        action=self.name,
                    )
                )

    def _kam_state_values(self, new):
        today = fields.Date.context_today(self)
        if new == "open":
            return {"done_date": False, "verified_by_id": False, "verified_date": False}
        if new == "done":
            return {"done_date": today, "verified_by_id": False, "verified_date": False}
        return {"verified_by_id": self.env.uid, "verified_date": today}

    def _kam_after_state_change(self, before):
        """What follows a state change, whichever path made it."""
        done = self.filtered(lambda a: a.state == "done" and before[a] == "open")
        if done:
            # the "done" note in the company's language (kam.system.text.mixin)
            done.activity_feedback(["kam_management.mail_activity_kam_action"])
        reopened = self.filtered(lambda a: a.state == "open" and before[a] != "open")
        if reopened:
            reopened._schedule_owner_activity()
            reopened._kam_owner_notice_due()
        failed = self.filtered(lambda a: a.state == "not_effective" and before[a] != a.state)
        for name in self._kam_source_fields():
            for source, actions in failed.filtered(name).grouped(name).items():
                source._kam_actions_not_effective(actions)

    # ------------------------------------------------------------------ buttons
    def action_done(self):
        return self._kam_move(
            "open", "done", self.env._("Only open actions can be marked as done.")
        )

    def action_verify(self):
        """Effective: the cause is gone."""
        self._kam_check_verifiable()
        self.write({"state": "verified"})
        return True

    def action_not_effective(self):
        """Not effective: the source goes back to work (ISO 9001 10.2.1 d)."""
        self._kam_check_verifiable()
        self.write({"state": "not_effective"})
        return True

    def _kam_check_verifiable(self):
        for action in self:
            if action.state == "open":
                raise UserError(
                    self.env._(
                        "Action %(action)s must be done before its effectiveness is judged.",
                        action=action.name,
                    )
                )

    def action_reset(self):
        self.write({"state": "open"})
        return True

    def action_open_source(self):
        self.ensure_one()
        source = self._kam_source()
        return open_record_action(source._name, source.id, env=self.env) if source else False

    def _kam_escalation_user(self):
        """Who gets this overdue action escalated: the source's responsible."""
        self.ensure_one()
        source = self._kam_source()
        return source._kam_action_escalation_user() if source else self.env["res.users"]

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("state", "=", "open")]

    @api.model
    def _kam_duty_remind_days(self, company):
        return -1

    @api.model
    def _kam_duty_escalation_days(self, company):
        return company.kam_escalation_days

    def _kam_duty_reminder_values(self, today):
        since = _SummaryTexts.of(
            self.env,
            "overdue",
            lambda env, date: env._("Overdue since %(date)s", date=date),
        )
        return {
            action: {
                "user_id": action.user_id.id,
                "date_deadline": today,
                "summary": lambda env, action=action: since(env, action.deadline),
            }
            for action in self
        }

    def _kam_duty_escalation_values(self, today):
        since = _SummaryTexts.of(
            self.env,
            "escalated",
            lambda env, date: env._("Escalated: overdue since %(date)s", date=date),
        )
        values = {}
        for action in self:
            user = action._kam_escalation_user()
            if user:
                values[action] = {
                    "user_id": user.id,
                    "date_deadline": today,
                    "summary": lambda env, action=action: since(env, action.deadline),
                }
        return values

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_action_register_columns(self):
        """Columns of the action list (also the measures of the plan van aanpak)."""
        return [
            xlsx.char("name", width=40),
            xlsx.selection("kind", width=20),
            # as superuser, like a many2one: an owner may not read the case of their action
            xlsx.char("source_name", sudo=True),
            xlsx.many2one("user_id", width=24),
            xlsx.date("deadline"),
            xlsx.selection("state", self.env._("Status"), width=18),
            xlsx.date("done_date", self.env._("Done on")),
            xlsx.date("effectiveness_date", width=14),
            xlsx.many2one("verified_by_id", width=24),
            xlsx.date("verified_date", self.env._("Verified on")),
            xlsx.boolean("is_overdue", self.env._("Overdue"), by_search=True),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "action",
                self.env._("Action list"),
                columns=self._kam_action_register_columns,
                order="deadline, id",
            ),
        ]
