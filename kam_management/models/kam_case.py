from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import xlsx
from ..tools.actions import action_counts, linked_names, open_record_action
from ..tools.ishikawa import render_svg
from .kam_case_stage import CASE_TYPES
from .kam_cause import CAUSE_CATEGORIES

SEQUENCE_CODES = {case_type: f"kam.case.{case_type}" for case_type, _label in CASE_TYPES}

# models a case can be reported from ("Report a case"), with how to prefill it
REPORTABLE_MODELS = (
    "sale.order",
    "purchase.order",
    "stock.picking",
    "hr.employee",
    "product.template",
    "product.product",
)


class KamCase(models.Model):
    """One complaint, nonconformity, incident or improvement suggestion.

    All types share the follow-up pipeline intake -> triage -> analysis ->
    actions -> verification -> closure; type-specific fields live on their own
    form pages."""

    _name = "kam.case"
    _description = "KAM case"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.register.mixin"]
    _order = "date_found desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]

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
    stage_id = fields.Many2one(
        "kam.case.stage",
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="[('case_types', 'ilike', case_type)]",
        default=lambda self: self._default_stage(),
    )
    # kept in step with the stage by create/write (and kam.case.stage.write): a
    # stored related field would cost an extra UPDATE for every new case
    is_closed = fields.Boolean(string="Closed", readonly=True, copy=False, index=True)
    date_found = fields.Date(
        string="Date found", required=True, default=fields.Date.context_today, tracking=True
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
    clause_ids = fields.Many2many("kam.standard.clause", string="Standard clauses")
    partner_id = fields.Many2one("res.partner", index="btree_not_null")
    # the Odoo record the case is about (generic link, as on a chatter attachment)
    res_model = fields.Char(string="Related document model", index=True)
    res_id = fields.Many2oneReference(string="Related document ID", model_field="res_model")
    res_name = fields.Char(string="Related document", compute="_compute_res_name")
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
    # actions
    action_ids = fields.One2many("kam.action", "case_id", string="Actions")
    action_count = fields.Integer(compute="_compute_action_stats")
    open_action_count = fields.Integer(compute="_compute_action_stats")
    # triage and closure
    no_action_needed = fields.Boolean(
        string="No corrective action needed", tracking=True, copy=False
    )
    no_action_reason = fields.Text(string="Justification", copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False, index=True)
    closed_by_id = fields.Many2one("res.users", string="Closed by", readonly=True, copy=False)
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

    # ------------------------------------------------------------------ defaults
    def _default_stage(self):
        case_type = self.env.context.get("default_case_type", "nonconformity")
        return self._first_stage(case_type)

    def _first_stage(self, case_type, closed=False):
        return self.env["kam.case.stage"].search(
            [("case_types", "ilike", case_type), ("is_closed", "=", closed)],
            order="sequence, id",
            limit=1,
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        case_type = self.env.context.get("default_case_type")
        stage_domain = [("case_types", "ilike", case_type)] if case_type else []
        return stages.search(stage_domain, order=stages._order)

    # ------------------------------------------------------------------ computes
    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        names = linked_names(self)
        for case in self:
            case.res_name = names.get((case.res_model, case.res_id), False)

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
        for case in self:
            bones = [
                {
                    "key": key,
                    "label": label,
                    "causes": [
                        {"name": c.name, "root": c.is_root_cause}
                        for c in case.cause_ids.sorted("sequence")
                        if c.category == key
                    ],
                }
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

    def _compute_action_stats(self):
        total, open_ = action_counts(self.env, "case_id", self)
        for case in self:
            case.action_count = total.get(case, 0)
            case.open_action_count = open_.get(case, 0)

    @api.depends("deadline", "is_closed")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.is_overdue = bool(case.deadline and case.deadline < today and not case.is_closed)

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
        stages = self.env["kam.case.stage"].search_fetch(
            [], ["case_types", "is_closed"], order="sequence, id"
        )
        open_stages = stages.filtered(lambda s: not s.is_closed)
        closed_stage_ids = set(stages.filtered("is_closed").ids)
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
                vals["stage_id"] = open_stages._for_type(case_type)[:1].id
            vals["is_closed"] = vals["stage_id"] in closed_stage_ids
            if not any(vals.get(f) for f in ("cause_ids", "fishbone_cause_ids", "why_ids")):
                # known without computing: saves an UPDATE per new case
                vals.update(has_root_cause=False, root_cause_category=False)
        for (case_type, _year), items in to_number.items():
            references = self._next_references(case_type, items[0][1], len(items))
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
                cases._log_creation()
        if any(vals["is_closed"] for vals in vals_list):
            cases.filtered("is_closed")._check_can_close()
        return cases

    def _subscribe_on_create(self):
        """Creator and responsible officer follow the new cases: one follower
        insert per distinct responsible, not two per case."""
        author = (
            self.env.user.partner_id if self.env.user.active and not self.env.user.share else None
        )
        for responsible, cases in self.grouped("user_id").items():
            partners = (author or self.env["res.partner"]) | responsible.partner_id
            if partners:
                self.env["mail.followers"]._insert_followers(
                    self._name,
                    cases.ids,
                    partners.ids,
                    subtypes=None,
                    customer_ids=[],
                    check_existing=False,
                )

    def _log_creation(self):
        """The chatter's "created" note, for the whole batch at once. As
        mail.thread's own log, minus the reply-to lookup (catchall alias,
        company): an internal note is never mailed, and that lookup was the
        most expensive part of creating one case in a fresh request."""
        author_id = self.env.user.partner_id.id
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        self.sudo()._message_create(
            [
                {
                    "author_id": author_id,
                    "email_from": False,  # shown through author_id; a note is never mailed
                    "reply_to": False,
                    "model": self._name,
                    "res_id": case.id,
                    "message_type": "notification",
                    "is_internal": True,
                    "subtype_id": subtype_id,
                    "email_add_signature": False,
                    "body": escape(self.env._("Case %(reference)s created", reference=case.name)),
                }
                for case in self
            ]
        )

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("kam_batch_subscribe"):
            return True  # done for the whole batch by _subscribe_on_create
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    @api.model
    def _next_references(self, case_type, date, count):
        """``count`` references of one type and year: one sequence number query
        for the whole batch instead of one per case, and plain SQL for the
        year's date range (this runs on every new case)."""
        code = SEQUENCE_CODES[case_type]
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search_fetch(
                [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
                ["implementation", "use_date_range", "prefix", "suffix", "padding"],
                order="company_id",
                limit=1,
            )
        )
        if not sequence or sequence.implementation != "standard":
            next_by_code = self.env["ir.sequence"].sudo().next_by_code
            return [next_by_code(code, sequence_date=date) or "/" for _i in range(count)]
        range_start = False
        pg_sequence = f"ir_sequence_{sequence.id:03d}"
        if sequence.use_date_range:
            query = SQL(
                "SELECT id, date_from FROM ir_sequence_date_range"
                " WHERE sequence_id = %s AND date_from <= %s AND date_to >= %s LIMIT 1",
                sequence.id,
                date,
                date,
            )
            self.env.cr.execute(query)
            row = self.env.cr.fetchone()
            if not row:  # first number of the year: let Odoo create the date range
                date_range = sequence._get_current_sequence(date)
                row = (date_range.id, date_range.date_from)
            range_id, range_start = row
            pg_sequence = f"ir_sequence_{sequence.id:03d}_{range_id:03d}"
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", pg_sequence, count)
        )
        numbers = [row[0] for row in self.env.cr.fetchall()]
        prefix, suffix = sequence._get_prefix_suffix(date=date, date_range=range_start)
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for number in numbers]

    def write(self, vals):
        self = self.with_context(mail_notify_force_send=False)
        if "stage_id" in vals:
            stage = self.env["kam.case.stage"].browse(vals["stage_id"])
            if stage.is_closed:
                closing = self.filtered(lambda c: not c.is_closed)
                if (
                    closing
                    and not self.env.su
                    and not self.env.user.has_group("kam_management.group_kam_officer")
                ):
                    raise AccessError(self.env._("Only KAM officers can close cases."))
                closing._check_can_close()
                vals = dict(vals, is_closed=True)
                vals.setdefault("closed_date", fields.Datetime.now())
                vals.setdefault("closed_by_id", self.env.uid)
            elif stage:
                vals = dict(vals, is_closed=False, closed_date=False, closed_by_id=False)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(case.is_closed or case.closed_date for case in self):
            raise UserError(self.env._("Closed cases cannot be deleted; archive them instead."))

    @api.constrains("case_type", "stage_id")
    def _check_stage_type(self):
        for case in self:
            if case.stage_id and case.case_type not in case.stage_id.case_types.split(","):
                raise ValidationError(
                    self.env._(
                        "Stage %(stage)s is not used for cases of type %(type)s.",
                        stage=case.stage_id.name,
                        type=dict(CASE_TYPES)[case.case_type],
                    )
                )

    # ------------------------------------------------------------------ rules
    def _root_cause_required(self):
        self.ensure_one()
        company = self.company_id
        return bool(company[f"kam_root_cause_{self.case_type}"])

    def _check_can_close(self):
        """Everything that closing requires; types may add their own rules."""
        self._check_closing_rules()

    def _check_closing_rules(self):
        """Closure rules (ISO 9001 10.2): no open actions, and a root cause where
        the type requires one, unless triage decided no action is needed."""
        for case in self:
            if case.no_action_needed:
                if not (case.no_action_reason or "").strip():
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

    # ------------------------------------------------------------------ buttons
    def action_close(self):
        for case_type in set(self.mapped("case_type")):
            cases = self.filtered(lambda c, t=case_type: c.case_type == t and not c.is_closed)
            stage = self._first_stage(case_type, closed=True)
            if not stage:
                raise UserError(self.env._("There is no closing stage for this type of case."))
            cases.write({"stage_id": stage.id})
        return True

    def action_close_no_action(self):
        """Triage (ISO 9001 10.2.1 b): close without corrective action, justified."""
        if not self.env.user.has_group("kam_management.group_kam_officer"):
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
        for case in self.filtered("is_closed"):
            stage = self.env["kam.case.stage"].search(
                [("case_types", "ilike", case.case_type), ("is_closed", "=", False)],
                order="sequence desc, id desc",
                limit=1,
            )
            case.write({"stage_id": stage.id, "no_action_needed": False})
            case.message_post(
                body=reason or self.env._("Case reopened."),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("kam_management.kam_action_action")
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {
            "default_case_id": self.id,
            "default_res_model": self._name,
            "default_res_id": self.id,
            "kam_xlsx_register": "action",
        }
        return action

    def action_open_related(self):
        self.ensure_one()
        return open_record_action(self.res_model, self.res_id)

    # ------------------------------------------------------------------ report from anywhere
    @api.model
    def _prefill_from_record(self, record):
        """Default values for a case about ``record`` (sale order, receipt, employee...)."""
        record.ensure_one()
        values = {
            "default_res_model": record._name,
            "default_res_id": record.id,
            "default_title": self.env._("About %(document)s", document=record.display_name),
        }
        if "company_id" in record._fields and record.company_id:
            values["default_company_id"] = record.company_id.id
        if record._name == "sale.order":
            values.update(default_partner_id=record.partner_id.id, default_source="customer")
        elif record._name == "purchase.order":
            values.update(default_partner_id=record.partner_id.id, default_source="supplier")
        elif record._name == "stock.picking":
            values["default_partner_id"] = record.partner_id.id
            values["default_source"] = (
                "supplier" if record.picking_type_code == "incoming" else "customer"
            )
        elif record._name == "hr.employee":
            values["default_department_id"] = record.department_id.id
        return values

    @api.model
    def action_report_from_record(self, records):
        """Window action: a new case form prefilled from one document."""
        records = records[:1]
        context = dict(self.env.context)
        for key in list(context):
            if key.startswith("default_") or key in ("active_id", "active_ids", "active_model"):
                context.pop(key)
        if records:
            context.update(self._prefill_from_record(records))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report a case"),
            "res_model": "kam.case",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

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
            xlsx.integer("open_action_count", self.env._("Open actions"), width=13),
            xlsx.datetime("closed_date", self.env._("Closed on")),
            xlsx.boolean("is_overdue", self.env._("Overdue")),
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
