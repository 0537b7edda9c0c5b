from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, sql

from ..tools import xlsx
from ..tools.access import KAM_OFFICER, check_groups
from ..tools.actions import linked_names, open_record_action, readable_links
from ..tools.batches import assign_computed, company_check_representatives
from ..tools.core_shortcuts import insert_followers, log_notes, next_references
from ..tools.ishikawa import render_svg
from .kam_case_stage import CASE_TYPES
from .kam_cause import CAUSE_CATEGORIES

OFFICER = "kam_management.group_kam_officer"


class KamCase(models.Model):
    """One complaint, nonconformity, incident or improvement suggestion.

    All types share the follow-up pipeline intake -> triage -> analysis ->
    actions -> verification -> closure; type-specific fields live on their own
    form pages, and how a type is handled (reference, stages, rules) is data:
    ``kam.case.type``.

    Workflow (kam.workflow.mixin): ``is_closed`` follows the stage; only
    officers close, and only when the closing rules hold; a closed case is
    read-only except for an officer's reopen with a reason."""

    _name = "kam.case"
    _description = "KAM case"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.clause.link.mixin",
        "kam.register.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "kam.activity.mixin",  # mail.activity.mixin, its fields computed per page
        "kam.page.mixin",  # list pages read in fewer steps
    ]
    _order = "date_found desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]
    _kam_action_field = "case_id"
    _kam_derived_fields = ("is_closed", "closed_date", "closed_by_id")
    _kam_lock_expression = "is_closed"
    _kam_locked_writable_fields = ("color",)
    _clause_evidence_date_field = "date_found"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    title = fields.Char(required=True, tracking=True)
    description = fields.Html()
    case_type = fields.Selection(
        CASE_TYPES,
        string="Type",
        required=True,
        default="nonconformity",
        tracking=True,
        index=True,
    )
    type_id = fields.Many2one(
        "kam.case.type", string="Case type", compute="_compute_type_id", compute_sudo=True
    )
    stage_id = fields.Many2one(
        "kam.case.stage",
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="[('type_ids.code', '=', case_type)]",
        default=lambda self: self._default_stage(),
    )
    # follows the stage; precomputed, so a new case costs no extra UPDATE
    is_closed = fields.Boolean(
        string="Closed", related="stage_id.is_closed", store=True, precompute=True, index=True
    )
    date_found = fields.Date(
        string="Date found", required=True, default=fields.Date.context_today, tracking=True
    )
    # the month the dashboards and the pivot group on (``date_found:month``, see
    # _read_group_groupby): derived from the date, never entered
    date_found_month = fields.Date(
        string="Month found",
        compute="_compute_date_found_month",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
    )
    deadline = fields.Date(tracking=True, index=True)
    reported_by_id = fields.Many2one(
        "res.users", string="Reported by", default=lambda self: self.env.user, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="The KAM officer who follows this case up.",
    )
    department_id = fields.Many2one("hr.department", check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")
    severity = fields.Selection(
        [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")],
        default="minor",
        tracking=True,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0", index=True
    )
    source = fields.Selection(
        [
            ("internal", "Internal"),
            ("audit", "Audit"),
            ("supplier", "Supplier"),
            ("customer", "Customer"),
            ("authority", "Authority"),
            ("other", "Other"),
        ],
        default="internal",
        tracking=True,
    )
    partner_id = fields.Many2one("res.partner", index="btree_not_null")
    # the Odoo record the case is about (generic link, as on a chatter attachment)
    res_model = fields.Char(string="Related document model", index=True)
    res_id = fields.Many2oneReference(string="Related document ID", model_field="res_model")
    res_name = fields.Char(string="Related document", compute="_compute_res_name")
    res_can_open = fields.Boolean(
        string="Can open the related document", compute="_compute_res_can_open"
    )
    # analysis
    correction = fields.Html(
        help="The immediate correction: what was done at once to contain the effect."
    )
    correction_date = fields.Date()
    extent_analysis = fields.Html(
        string="Extent analysis", help="Where else can this occur, or has it already occurred?"
    )
    cause_ids = fields.One2many("kam.cause", "case_id", string="Causes")
    fishbone_cause_ids = fields.One2many(
        "kam.cause",
        "case_id",
        string="Cause lines",
        domain=[("method", "=", "fishbone")],
        context={"default_method": "fishbone"},
    )
    why_ids = fields.One2many(
        "kam.cause",
        "case_id",
        string="5-why steps",
        domain=[("method", "=", "why")],
        context={"default_method": "why"},
    )
    has_root_cause = fields.Boolean(compute="_compute_cause_stats", store=True)
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES,
        compute="_compute_cause_stats",
        store=True,
        string="Root cause category",
    )
    ishikawa_svg = fields.Text(string="Ishikawa diagram", compute="_compute_ishikawa_svg")
    # actions (kam.action.source gives the counts and the smart button)
    action_ids = fields.One2many("kam.action", "case_id", string="Actions")
    # triage and closure
    no_action_needed = fields.Boolean(
        string="No corrective action needed", tracking=True, copy=False
    )
    no_action_reason = fields.Text(string="Justification", copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False, index=True)
    closed_by_id = fields.Many2one("res.users", string="Closed by", readonly=True, copy=False)
    reopen_reason = fields.Text(
        string="Reason for reopening",
        copy=False,
        help="Why the case was reopened the last time (an officer gives it when reopening).",
    )
    close_asks_customer = fields.Boolean(
        string="Closing asks the customer",
        compute="_compute_close_asks_customer",
        help="Closing this case asks the customer whether they are satisfied.",
    )
    can_close = fields.Boolean(
        string="Can be closed now",
        compute="_compute_can_close",
        help="The case can be closed at once (its type does not ask the customer first, or the "
        "customer answered).",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    color = fields.Integer()
    active = fields.Boolean(default=True, tracking=True)

    _deadline_after_found = models.Constraint(
        "CHECK(deadline IS NULL OR deadline >= date_found)",
        "The deadline cannot be before the date the case was found.",
    )
    # what the default list, the kanban and the dashboards sort and group on
    _type_stage_date_idx = models.Index("(case_type, stage_id, date_found)")
    _company_date_idx = models.Index("(company_id, date_found DESC, id DESC)")
    _date_idx = models.Index("(date_found DESC, id DESC)")
    # the list's count (up to 10,001) of the active cases of the user's companies, from the
    # index alone (index-only scan)
    _company_active_idx = models.Index("(company_id) WHERE active IS TRUE")
    # the grouped count type x stage x month of the dashboards and the pivot, read from
    # the index alone (index-only scan: no wide case rows); company for the record rule
    _type_stage_month_idx = models.Index(
        "(case_type, stage_id, date_found_month) INCLUDE (company_id) WHERE active IS TRUE"
    )

    # ------------------------------------------------------------------ defaults
    def _default_stage(self):
        case_type = self.env.context.get("default_case_type", "nonconformity")
        pipeline = self.env["kam.case.type"]._pipeline().get(case_type, {})
        return self.env["kam.case.stage"].browse(pipeline.get("first_stage_id"))

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        case_type = self.env.context.get("default_case_type")
        stage_domain = [("type_ids.code", "=", case_type)] if case_type else []
        return stages.search(stage_domain, order=stages._order)

    # ------------------------------------------------------------------ computes
    @api.depends("case_type")
    def _compute_type_id(self):
        Type = self.env["kam.case.type"]
        for case in self:
            case.type_id = Type._of(case.case_type)

    @api.depends("case_type", "partner_id")
    def _compute_close_asks_customer(self):
        for case in self:
            case.close_asks_customer = bool(
                case.type_id.close_asks_customer and case._customer_partner()
            )

    @api.depends("is_closed", "case_type", "partner_id")
    def _compute_can_close(self):
        for case in self:
            case.can_close = not case.is_closed and case._kam_close_directly()

    def _kam_close_directly(self):
        """Whether closing needs no further step (the complaint part adds: the
        customer answered)."""
        self.ensure_one()
        return not self.close_asks_customer

    def _customer_partner(self):
        """The customer to ask when closing (the complaint part adds the contact)."""
        self.ensure_one()
        return self.partner_id

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        names = linked_names(self)
        for case in self:
            case.res_name = names.get((case.res_model, case.res_id), False)

    @api.depends("res_model", "res_id")
    @api.depends_context("uid")
    def _compute_res_can_open(self):
        readable = readable_links(self.env, [(case.res_model, case.res_id) for case in self])
        for case in self:
            case.res_can_open = (case.res_model, case.res_id) in readable

    @api.depends("cause_ids.is_root_cause", "cause_ids.category")
    def _compute_cause_stats(self):
        for case in self:
            roots = case.cause_ids.filtered("is_root_cause")
            case.has_root_cause = bool(roots)
            case.root_cause_category = next((c.category for c in roots if c.category), False)

    @api.depends("title", "cause_ids.category", "cause_ids.name", "cause_ids.is_root_cause")
    def _compute_ishikawa_svg(self):
        """The fishbone drawn from the cause lines: one SVG for the form and the PDF."""
        categories = self.env["kam.cause"]._fields["category"]._description_selection(self.env)

        def same(text):
            return " ".join((text or "").casefold().split()).rstrip(".!?")

        for case in self:
            # the 4M/6M lines first, then 5-why steps with a category; a cause that
            # both name is drawn once (a root cause if either marks it so)
            causes = case.cause_ids.sorted(lambda c: (c.method != "fishbone", c.sequence, c.id))
            drawn = {key: {} for key, _label in categories}
            for cause in causes.filtered("category"):
                on_bone = drawn.setdefault(cause.category, {})
                known = on_bone.get(same(cause.name))
                if known:
                    known["root"] = known["root"] or cause.is_root_cause
                else:
                    on_bone[same(cause.name)] = {"name": cause.name, "root": cause.is_root_cause}
            bones = [
                {"key": key, "label": label, "causes": list(drawn[key].values())}
                for key, label in categories
            ]
            case.ishikawa_svg = render_svg(
                case.title or "",
                bones,
                more_text=self.env._("+%(count)s more"),
                root_text=self.env._("Root cause"),
            )

    def _ishikawa_svg_markup(self):
        """The diagram for QWeb (our own escaped SVG, see tools/ishikawa.py)."""
        self.ensure_one()
        return Markup(self.ishikawa_svg or "")

    @api.depends("date_found")
    def _compute_date_found_month(self):
        assign_computed(
            self,
            lambda case: {"date_found_month": case.date_found and case.date_found.replace(day=1)},
        )

    def _auto_init(self):
        self._kam_init_month_column()
        return super()._auto_init()

    def _kam_init_month_column(self):
        """A database with cases gets the month in one UPDATE, not a recompute per case."""
        cr = self.env.cr
        if sql.table_exists(cr, self._table) and not sql.column_exists(
            cr, self._table, "date_found_month"
        ):
            sql.create_column(cr, self._table, "date_found_month", "date")
            cr.execute(
                SQL(
                    "UPDATE %s SET date_found_month = date_trunc('month', date_found)::date",
                    SQL.identifier(self._table),
                )
            )

    def _read_group_groupby(self, alias, groupby_spec, query):
        """``date_found:month`` groups on the stored month: the same value as the ORM's
        ``date_trunc('month', date_found)``, without computing it for every row, and
        served by the covering index (record rules are applied by the query as
        always)."""
        if groupby_spec == "date_found:month":
            self._check_field_access(self._fields["date_found"], "read")
            return self._field_to_sql(alias, "date_found_month", query)
        return super()._read_group_groupby(alias, groupby_spec, query)

    @api.depends("deadline", "is_closed")
    def _compute_is_overdue(self):
        # two assignments for the whole page instead of one per row
        today = fields.Date.context_today(self)
        assign_computed(
            self,
            lambda case: {
                "is_overdue": bool(case.deadline and case.deadline < today and not case.is_closed)
            },
        )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue cases."))
        domain = Domain(
            [
                ("deadline", "<", fields.Date.context_today(self)),
                ("is_closed", "=", False),
            ]
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        pipeline = self.env["kam.case.type"]._pipeline()
        today = fields.Date.context_today(self)
        to_number = {}
        for vals in vals_list:
            case_type = vals.get("case_type") or self.env.context.get(
                "default_case_type", "nonconformity"
            )
            vals["case_type"] = case_type
            if not vals.get("name") or vals["name"] == "/":
                date = fields.Date.to_date(vals.get("date_found")) or today
                to_number.setdefault((case_type, date.year), []).append((vals, date))
            if not vals.get("stage_id"):
                vals["stage_id"] = pipeline.get(case_type, {}).get("first_stage_id")
            if not any(vals.get(f) for f in ("cause_ids", "fishbone_cause_ids", "why_ids")):
                # known without computing: saves an UPDATE per new case
                vals.update(has_root_cause=False, root_cause_category=False)
        for (case_type, _year), items in to_number.items():
            sequence = self.env["ir.sequence"].browse(
                pipeline.get(case_type, {}).get("sequence_id")
            )
            if not sequence:
                raise UserError(
                    self.env._("The case type %(type)s has no reference sequence.", type=case_type)
                )
            references = next_references(sequence, items[0][1], len(items))
            for (vals, _date), reference in zip(items, references, strict=True):
                vals["name"] = reference
        # mail: notifications are queued, never sent inline; creator and responsible
        # are subscribed in one batch (_subscribe_on_create) instead of mail.thread's
        # per-record auto-subscription, and without a separate assignment e-mail
        # (rendering it was half the cost of a case); later reassignments notify
        cases = super(
            KamCase,
            self.with_context(
                mail_notify_force_send=False,
                mail_create_nosubscribe=True,
                mail_create_nolog=True,
                kam_batch_subscribe=True,
            ),
        ).create(vals_list)
        cases = cases.with_env(self.env)
        # the caller's own switches still apply (imports, bulk creation)
        ctx = self.env.context
        if not ctx.get("tracking_disable"):
            if not ctx.get("mail_create_nosubscribe"):
                cases._subscribe_on_create()
            if not ctx.get("mail_create_nolog"):
                log_notes(
                    cases,
                    lambda case: case._kam_system_env()._(
                        "Case %(reference)s created", reference=case.name
                    ),
                )
        closed = cases.filtered("is_closed")
        if closed:
            # created closed (history, imports): the closing rules hold all the same
            if not self.env.su and not self.env.user.has_group(OFFICER):
                raise AccessError(self.env._("Only KAM officers can close cases."))
            closed._check_can_close()
        return cases

    def _check_company(self, fnames=None):
        # checked once per distinct company and linked records (tools/batches.py)
        if len(self) < 2:
            return super()._check_company(fnames)
        representatives, fnames = company_check_representatives(self, fnames)
        return super(KamCase, representatives)._check_company(fnames)

    def _kam_create_values(self, vals_list):
        """A case created in a closing stage is closed now, by the creator (unless
        an import as superuser gives the historic values)."""
        Stage = self.env["kam.case.stage"].sudo()
        closed_ids = Stage._kam_closed_ids()
        # what a new case reads of its stage (is_closed follows it), not the whole row
        Stage.browse({v["stage_id"] for v in vals_list if v.get("stage_id")}).fetch(["is_closed"])
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("stage_id") in closed_ids:
                vals.setdefault("closed_date", now)
                vals.setdefault("closed_by_id", self.env.uid)
        return vals_list

    def _subscribe_on_create(self):
        """Creator and responsible officer follow the new cases: one follower
        insert per distinct responsible, not two per case."""
        by_responsible = self.grouped("user_id")
        # the users' partners in one narrow read (not two reads of the whole user row)
        users = (self.env.user | self.env["res.users"].union(*by_responsible)).sudo()
        users.fetch(["partner_id", "active", "share"])
        user = users.browse(self.env.uid)
        author = user.partner_id if user.active and not user.share else None
        for responsible, cases in by_responsible.items():
            partners = users.browse(responsible.ids).partner_id
            insert_followers(cases, (author or self.env["res.partner"]) | partners)

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("kam_batch_subscribe"):
            return True  # done for the whole batch by _subscribe_on_create
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    def write(self, vals):
        reopening = self._kam_reopening(vals)
        res = super(KamCase, self.with_context(mail_notify_force_send=False)).write(vals)
        if reopening:
            for case in reopening:
                system = case._kam_system_env()
                reason = vals.get("reopen_reason") or system._("Case reopened.")
                case.message_post(
                    body=system._("Reopened: %(reason)s", reason=reason),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
        return res

    @api.constrains("case_type", "stage_id")
    def _check_stage_type(self):
        pipeline = self.env["kam.case.type"]._pipeline()
        for case in self:
            stage_ids = pipeline.get(case.case_type, {}).get("stage_ids", ())
            if case.stage_id and case.stage_id.id not in stage_ids:
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s is not used for cases of type %(type)s.",
                        stage=case.stage_id.name,
                        type=dict(CASE_TYPES)[case.case_type],
                    )
                )

    # ------------------------------------------------------------------ workflow rules
    def _kam_new_stage(self, vals):
        return self.env["kam.case.stage"].browse(vals["stage_id"]) if vals.get("stage_id") else None

    def _kam_reopening(self, vals):
        """The closed cases of self that ``vals`` reopens."""
        stage = self._kam_new_stage(vals)
        if stage is None or stage.is_closed:
            return self.browse()
        return self.filtered("is_closed")

    def _kam_is_locked(self):
        return self.filtered("is_closed")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Case %(case)s is closed and can no longer be changed. A KAM officer can reopen "
                "it, giving the reason.",
                case=", ".join(self.mapped("name")[:5]),
            )
        )

    def _kam_unlocks(self, vals):
        """Only an officer archives or reopens a closed case; a reopen needs a reason."""
        if set(vals) <= {"active"}:
            if not self.env.user.has_group(OFFICER):
                raise AccessError(self.env._("Only KAM officers can archive closed cases."))
            return True
        stage = self._kam_new_stage(vals)
        if stage is None or stage.is_closed:
            return False
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers can reopen closed cases."))
        if not (vals.get("reopen_reason") or "").strip():
            raise UserError(
                self.env._(
                    "Case %(case)s: give the reason for reopening it.",
                    case=", ".join(self.mapped("name")[:5]),
                )
            )
        return True

    def _kam_check_unlink(self):
        if any(case.is_closed or case.closed_date for case in self):
            raise UserError(self.env._("Closed cases cannot be deleted; archive them instead."))

    def _kam_check_transition(self, vals):
        stage = self._kam_new_stage(vals)
        if stage is None or not stage.is_closed:
            return
        closing = self.filtered(lambda c: not c.is_closed)
        if not closing:
            return
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers can close cases."))
        # the rules see the values written together with the closing stage
        closing.with_context(kam_closing_values=vals)._check_can_close()

    def _kam_workflow_values(self, vals):
        stage = self._kam_new_stage(vals)
        if stage is None:
            return vals
        vals = dict(vals)
        if stage.is_closed:
            if any(not case.is_closed for case in self):
                vals.setdefault("closed_date", fields.Datetime.now())
                vals.setdefault("closed_by_id", self.env.uid)
        else:
            vals.update(closed_date=False, closed_by_id=False)
        return vals

    def _root_cause_required(self):
        self.ensure_one()
        return self.type_id.root_cause_required

    def _check_can_close(self):
        """Everything that closing requires; types may add their own rules."""
        self._check_closing_rules()

    def _check_closing_rules(self):
        """Closure rules (ISO 9001 10.2): no open actions, and a root cause where
        the type requires one, unless triage decided no action is needed."""
        pending = self.env.context.get("kam_closing_values") or {}
        for case in self:
            if pending.get("no_action_needed", case.no_action_needed):
                reason = pending.get("no_action_reason", case.no_action_reason)
                if not (reason or "").strip():
                    raise UserError(
                        self.env._(
                            "Case %(case)s: record why no corrective action is needed before "
                            "closing it.",
                            case=case.name,
                        )
                    )
                continue
            open_actions = case.action_ids.filtered(lambda a: a.state == "open")
            if open_actions:
                raise UserError(
                    self.env._(
                        "Case %(case)s cannot be closed while %(count)s action(s) are still "
                        "open: %(actions)s.",
                        case=case.name,
                        count=len(open_actions),
                        actions=", ".join(open_actions.mapped("name")),
                    )
                )
            if case._root_cause_required() and not case.has_root_cause:
                raise UserError(
                    self.env._(
                        "Case %(case)s cannot be closed without a root cause: mark the root "
                        "cause in the cause analysis, or decide that no action is needed.",
                        case=case.name,
                    )
                )

    # ------------------------------------------------------------------ action source
    _kam_action_min_deadline_fields = ("date_found",)

    def _kam_action_min_deadline(self):
        return self.date_found

    def _kam_actions_not_effective(self, actions):
        """An action that was not effective sends its case back to work."""
        for case in self.filtered("is_closed"):
            case._kam_reopen(
                reason=case._kam_system_env()._(
                    "Action %(action)s was not effective.",
                    action=", ".join(actions.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ buttons
    def action_close(self):
        for case_type, cases in (
            self.filtered(lambda c: not c.is_closed).grouped("case_type").items()
        ):
            stage = self.env["kam.case.type"]._of(case_type)._stage("closed")
            if not stage:
                raise UserError(self.env._("There is no closing stage for this type of case."))
            cases.write({"stage_id": stage.id})
        return True

    def action_close_no_action(self):
        """Triage (ISO 9001 10.2.1 b): close without corrective action, justified."""
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers can decide that no action is needed."))
        for case in self:
            if not (case.no_action_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Case %(case)s: record why no corrective action is needed before "
                        "closing it.",
                        case=case.name,
                    )
                )
        self.write({"no_action_needed": True})
        return self.action_close()

    def action_reopen(self, reason=None):
        """Reopen closed cases (officers, with a reason): back to the last stage in
        progress of their type."""
        check_groups(self, KAM_OFFICER)
        return self._kam_reopen(reason)

    def _kam_reopen(self, reason):
        """Reopen closed cases with ``reason``; also when the system reopens them
        (an action that was not effective)."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the case."))
        for case in self.filtered("is_closed"):
            stage = case.type_id._stage("progress", last=True) or case.type_id._first_open_stage()
            case.write({"stage_id": stage.id, "reopen_reason": reason, "no_action_needed": False})
        return True

    def action_open_reopen_wizard(self):
        check_groups(self, KAM_OFFICER)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen case"),
            "res_model": "kam.case.reopen",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _kam_action_view_context(self):
        context = super()._kam_action_view_context()
        context["kam_xlsx_register"] = "action"
        return context

    def action_open_related(self):
        self.ensure_one()
        return open_record_action(self.res_model, self.res_id, env=self.env)

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_case_register_columns(self):
        """Columns of the case registers (nonconformities, all cases)."""
        return [
            xlsx.char("name", width=16),
            xlsx.char("title", width=40),
            xlsx.date("date_found"),
            xlsx.date("deadline"),
            xlsx.many2one("stage_id"),
            xlsx.selection("case_type", width=16),
            xlsx.selection("severity", width=12),
            xlsx.many2one("user_id", width=24),
            xlsx.many2one("department_id", width=24),
            xlsx.many2many("theme_ids"),
            xlsx.selection("source", width=14),
            xlsx.selection("root_cause_category", width=20),
            xlsx.integer(
                "open_action_count",
                self.env._("Open actions"),
                width=13,
                values=self._kam_open_action_counts,
            ),
            xlsx.datetime("closed_date", self.env._("Closed on")),
            xlsx.boolean("is_overdue", self.env._("Overdue"), by_search=True),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "nonconformity",
                self.env._("Nonconformity register"),
                columns=self._kam_case_register_columns,
                domain=[("case_type", "=", "nonconformity")],
                order="date_found desc, id desc",
            ),
            xlsx.Register(
                "case",
                self.env._("Case register"),
                columns=self._kam_case_register_columns,
                order="date_found desc, id desc",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Cases")

    @api.model
    def _clause_evidence_problem_domain(self):
        """An open case needs attention when it is overdue, or when it is a major
        or critical finding of an audit."""
        return Domain("is_closed", "=", False) & (
            Domain("deadline", "<", fields.Date.context_today(self))
            | (Domain("source", "=", "audit") & Domain("severity", "in", ("major", "critical")))
        )
