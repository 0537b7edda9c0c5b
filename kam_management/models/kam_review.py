import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools.periods import Period, period_label
from ..tools.recurrence import FREQUENCIES
from ..tools.registry import models_inheriting
from ..tools.review_inputs import Contribution, Figure, Selection, Table, encode, encode_table
from .kam_action_source import source_field

_lt = LazyTranslate(__name__)

OFFICER = "kam_management.group_kam_officer"
MANAGER = "kam_management.group_kam_manager"
REVIEW_STATES = [
    ("draft", "Draft"),
    ("prepared", "Prepared"),
    ("approved", "Approved"),
]
# officers prepare (the snapshot is taken) and may start again; managers approve
TRANSITIONS = {
    ("draft", "prepared"): OFFICER,
    ("prepared", "draft"): OFFICER,
    ("prepared", "approved"): MANAGER,
}
# what the snapshot depends on: fixed once the review is prepared
SNAPSHOT_FIELDS = ("date_from", "date_to", "standard_ids", "company_id", "previous_id")


class KamReview(models.Model):
    """The management review (directiebeoordeling; ISO 9001 9.3, ISO 14001 9.3,
    ISO 45001 9.3).

    The KAM coordinator prepares it: preparing gathers the inputs of the period
    from every model that inherits ``kam.review.input.mixin`` and freezes them as
    a snapshot (one section per topic with figures, the figures of the period
    before and short tables; they do not change afterwards). Management records
    a conclusion per topic, an overall conclusion and decisions (ISO 9001 9.3.3),
    and a KAM manager approves it: its decisions become actions and the review
    is read-only from then on. The next review is due one cycle later: the
    coordinator is reminded (a periodic duty)."""

    _name = "kam.review"
    _description = "KAM management review"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.periodic.duty",
        "kam.clause.link.mixin",
        "kam.review.input.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]

    _order = "date_to desc, id desc"
    _check_company_auto = True
    _kam_action_field = "review_id"
    _kam_state_field = "state"
    _kam_transitions = TRANSITIONS
    _kam_derived_fields = (
        "prepared_by_id",
        "prepared_date",
        "approved_by_id",
        "approved_date",
        "compare_from",
        "compare_to",
    )
    _kam_locked_writable_fields = ("active", "next_review_date", "review_frequency")
    _kam_lock_expression = "state == 'approved'"
    # the coordinator is reminded before the next review is due
    _kam_duty_date_field = "next_review_date"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_review"
    _clause_evidence_date_field = "date"

    name = fields.Char(
        string="Review",
        required=True,
        tracking=True,
        default=lambda self: self.env._(
            "Management review %(year)s", year=fields.Date.context_today(self).year - 1
        ),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="Period from",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(
            year=fields.Date.context_today(self).year - 1, month=1, day=1
        ),
    )
    date_to = fields.Date(
        string="Period to",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(
            year=fields.Date.context_today(self).year - 1, month=12, day=31
        ),
    )
    compare_from = fields.Date(string="Compared with period from", readonly=True, copy=False)
    compare_to = fields.Date(string="Compared with period to", readonly=True, copy=False)
    compare_label = fields.Char(string="Compared with", compute="_compute_compare_label")
    date = fields.Date(string="Meeting date", tracking=True)
    chair_id = fields.Many2one("res.users", tracking=True, domain="[('share', '=', False)]")
    attendee_ids = fields.Many2many(
        "res.users",
        "kam_review_attendee_rel",
        "review_id",
        "user_id",
        string="Attendees",
        domain="[('share', '=', False)]",
    )
    other_attendees = fields.Char(
        string="Also present", help="Attendees without a user: works council, advisers..."
    )
    standard_ids = fields.Many2many(
        "kam.standard",
        "kam_review_standard_rel",
        "review_id",
        "standard_id",
        string="Standards covered",
        default=lambda self: self.env.company.kam_standard_ids,
        help="One review can cover several standards at once (a combined review).",
    )
    state = fields.Selection(
        REVIEW_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    prepared_by_id = fields.Many2one("res.users", string="Prepared by", readonly=True, copy=False)
    prepared_date = fields.Datetime(string="Inputs frozen on", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Date(string="Approved on", readonly=True, copy=False)
    previous_id = fields.Many2one(
        "kam.review",
        string="Previous review",
        compute="_compute_previous",
        store=True,
        readonly=False,
        check_company=True,
        index="btree_not_null",
        domain="[('id', '!=', id), ('company_id', '=', company_id)]",
    )
    next_ids = fields.One2many("kam.review", "previous_id", string="Next reviews")
    superseded = fields.Boolean(
        compute="_compute_superseded",
        store=True,
        help="A later review follows this one: the reminder for the next review is done.",
    )
    section_ids = fields.One2many("kam.review.section", "review_id", string="Inputs")
    figure_ids = fields.One2many("kam.review.figure", "review_id", string="Figures")
    decision_ids = fields.One2many("kam.review.decision", "review_id", string="Decisions")
    decision_count = fields.Integer(string="Number of decisions", compute="_compute_counts")
    figure_count = fields.Integer(string="Number of figures", compute="_compute_counts")
    conclusion = fields.Html(
        string="Overall conclusion",
        help="The suitability, adequacy and effectiveness of the management system and its "
        "alignment with the strategic direction (ISO 9001 9.3.3, ISO 14001 9.3).",
    )
    minutes_lang = fields.Selection(
        "_selection_lang",
        string="Language of the minutes",
        default=lambda self: self.env.company.partner_id.lang or self.env.lang,
    )
    review_frequency = fields.Selection(
        FREQUENCIES,
        string="Review every",
        default="yearly",
        help="The next review is due this long after the meeting of this one.",
    )
    next_review_date = fields.Date(
        string="Next review due",
        copy=False,
        tracking=True,
        help="Set when the review is approved; the KAM coordinator is reminded before it.",
    )
    missing = fields.Text(string="Still to do", compute="_compute_missing")
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Management review created")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for review in self:
            if review.date_to < review.date_from:
                raise ValidationError(
                    self.env._(
                        "The period of management review %(review)s ends (%(end)s) before it "
                        "starts (%(start)s).",
                        review=review.name,
                        start=review.date_from,
                        end=review.date_to,
                    )
                )

    # ------------------------------------------------------------------ computes
    @api.model
    def _selection_lang(self):
        return self.env["res.lang"].get_installed()

    @api.depends("company_id", "date_from")
    def _compute_previous(self):
        for review in self:
            if review.state != "draft" or not review.date_from:
                continue
            review.previous_id = self.search(
                [
                    ("company_id", "=", review.company_id.id),
                    ("state", "!=", "draft"),
                    ("date_to", "<", review.date_from),
                    ("id", "!=", review._origin.id or 0),
                ],
                order="date_to desc, id desc",
                limit=1,
            )

    @api.depends("compare_from", "compare_to")
    @api.depends_context("lang")
    def _compute_compare_label(self):
        for review in self:
            if review.compare_from and review.compare_to:
                review.compare_label = period_label(
                    self.env, Period(review.compare_from, review.compare_to), None
                )
            else:
                review.compare_label = False

    @api.depends("next_ids")
    def _compute_superseded(self):
        for review in self:
            review.superseded = bool(review.next_ids)

    def _compute_counts(self):
        for model, field in (
            ("kam.review.decision", "decision_count"),
            ("kam.review.figure", "figure_count"),
        ):
            counts = dict(
                self.env[model]._read_group(
                    [("review_id", "in", self.ids)], ["review_id"], ["__count"]
                )
            )
            for review in self:
                review[field] = counts.get(review, 0)

    @api.depends(
        "state", "date", "chair_id", "attendee_ids", "conclusion", "section_ids.conclusion"
    )
    def _compute_missing(self):
        for review in self:
            missing = review._kam_missing() if review.state == "prepared" else []
            review.missing = "; ".join(missing) or False

    def _kam_missing(self):
        """What the review still lacks before it can be approved (texts)."""
        self.ensure_one()
        missing = []
        for name in ("date", "chair_id", "attendee_ids"):
            if not self[name]:
                missing.append(self._fields[name]._description_string(self.env))
        if not self.conclusion or not self.conclusion.striptags().strip():
            missing.append(self._fields["conclusion"]._description_string(self.env))
        open_topics = self.section_ids.filtered(
            lambda s: not s.conclusion or not s.conclusion.striptags().strip()
        )
        if open_topics:
            names = open_topics.topic_id.mapped("name")
            if len(names) > 3:
                missing.append(
                    self.env._(
                        "a conclusion on %(count)s inputs (%(first)s ...)",
                        count=len(names),
                        first=", ".join(names[:2]),
                    )
                )
            else:
                missing.append(self.env._("a conclusion on: %(topics)s", topics=", ".join(names)))
        return missing

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda r: r.state == "approved")

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "Management review %(review)s is approved and can no longer be changed.",
                review=", ".join(self.mapped("name")[:3]),
            )
        )

    def _kam_transition_refused(self, old, new):
        if new == "approved":
            return self.env._("Only KAM managers approve the management review.")
        return self.env._("Only KAM officers prepare the management review.")

    def _kam_check_state_change(self, old, new, vals):
        if new == "approved":
            missing = self._kam_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "Management review %(review)s is not complete yet. Still missing: "
                        "%(missing)s.",
                        review=self.name,
                        missing="; ".join(missing),
                    )
                )

    def _kam_state_values(self, new):
        now = fields.Datetime.now()
        if new == "prepared":
            return {"prepared_by_id": self.env.uid, "prepared_date": now}
        if new == "approved":
            return {
                "approved_by_id": self.env.uid,
                "approved_date": fields.Date.context_today(self),
            }
        if new == "draft":
            return {
                "prepared_by_id": False,
                "prepared_date": False,
                "compare_from": False,
                "compare_to": False,
            }
        return {}

    def write(self, vals):
        if set(SNAPSHOT_FIELDS) & set(vals) and vals.get("state") != "draft":
            if any(review.state != "draft" for review in self):
                raise UserError(
                    self.env._(
                        "The inputs of this review are frozen: set it back to draft to change "
                        "its period, company, standards or previous review."
                    )
                )
        before = {review: review.state for review in self} if "state" in vals else {}
        res = super().write(vals)
        if before:
            self._kam_after_state_change(before)
        return res

    def _kam_after_state_change(self, before):
        prepared = self.filtered(lambda r: r.state == "prepared" and before[r] == "draft")
        if prepared:
            prepared._kam_build_snapshot()
        drafts = self.filtered(lambda r: r.state == "draft" and before[r] == "prepared")
        if drafts:
            drafts.sudo().section_ids.unlink()
            drafts.sudo().figure_ids.unlink()
        approved = self.filtered(lambda r: r.state == "approved" and before[r] == "prepared")
        if approved:
            approved._kam_on_approve()

    def _kam_on_approve(self):
        """The decisions become actions; the next review is planned."""
        self.decision_ids._kam_create_actions()
        for review in self:
            start = review.date or review.approved_date
            review._kam_workflow_write().write(
                {
                    "next_review_date": self._kam_duty_next_date(
                        review.review_frequency or "yearly", start
                    )
                }
            )
        self.activity_feedback(["kam_management.mail_activity_kam_review"])
        self.previous_id.activity_feedback(["kam_management.mail_activity_kam_review"])

    # ------------------------------------------------------------------ snapshot
    def _kam_topics(self):
        """The topics of this review: those of the themes of the standards it covers."""
        self.ensure_one()
        themes = set(self.standard_ids.mapped("theme")) - {"other"}
        topics = self.env["kam.review.topic"].search([])
        if not themes:
            return topics
        return topics.filtered(
            lambda t: not t.theme_ids or themes & set(t.theme_ids.mapped("code"))
        )

    def _kam_gather(self):
        """{topic code: [Contribution]} of every model that inherits the input mixin."""
        self.ensure_one()
        current = Period(self.date_from, self.date_to)
        periods = (current, current.previous())
        gathered = {}
        for model_name in models_inheriting(self.env, "kam.review.input.mixin"):
            Model = self.env[model_name].sudo().with_company(self.company_id)
            for contribution in Model._kam_review_inputs(self.sudo(), periods):
                gathered.setdefault(contribution.topic, []).append(contribution)
        for contributions in gathered.values():
            contributions.sort(key=lambda c: c.sequence)
        return gathered, periods

    def _kam_build_snapshot(self):
        """Freeze the inputs: one section per topic with its figures (and those of
        the period before), tables and remarks, kept language-neutral."""
        Section = self.env["kam.review.section"].sudo()
        Figure_ = self.env["kam.review.figure"].sudo()
        for review in self:
            gathered, periods = review._kam_gather()
            review._kam_workflow_write().write(
                {"compare_from": periods[1].start, "compare_to": periods[1].end}
            )
            topics = review._kam_topics()
            sections = Section.create(
                [
                    dict(
                        {"review_id": review.id, "topic_id": topic.id, "sequence": topic.sequence},
                        **self._kam_section_data(gathered.get(topic.code, [])),
                    )
                    for topic in topics
                ]
            )
            figure_vals = []
            for section, topic in zip(sections, topics, strict=True):
                for contribution in gathered.get(topic.code, []):
                    for figure in contribution.figures:
                        figure_vals.append(
                            {
                                "review_id": review.id,
                                "section_id": section.id,
                                "sequence": len(figure_vals),
                                "key": figure.key,
                                "label_data": encode(figure.label),
                                "value": figure.value or 0.0,
                                "value_set": figure.value is not None,
                                "previous": figure.previous or 0.0,
                                "previous_set": figure.previous is not None,
                                "unit": figure.unit,
                                "better": figure.better,
                            }
                        )
            Figure_.create(figure_vals)

    @api.model
    def _kam_section_data(self, contributions):
        notes = [encode(c.note) for c in contributions if c.note]
        if not contributions:
            notes.append(
                encode(
                    _lt(
                        "No figures from the system for this topic: record the management's "
                        "findings in the conclusion."
                    )
                )
            )
        return {
            "tables": [encode_table(table) for c in contributions for table in c.tables] or False,
            "notes": notes or False,
        }

    # ------------------------------------------------------------------ buttons
    def action_prepare(self):
        self.write({"state": "prepared"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def action_approve(self):
        self.write({"state": "approved"})
        return True

    def action_view_figures(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_review_figure_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"kam_xlsx_register": "review_annex", "search_default_group_section": 1}
        return action

    def action_export_annex(self):
        """The annex of the minutes: the input figures as an Excel file."""
        self.check_access("read")
        self.ensure_one()
        domain = json.dumps([["review_id", "=", self.id]])
        return {
            "type": "ir.actions.act_url",
            "url": f"/kam/xlsx/review_annex?domain={domain}",
            "target": "download",
        }

    def action_print_minutes(self):
        self.check_access("read")
        self.ensure_one()
        return self.env.ref("kam_management.action_report_kam_review").report_action(self)

    def _kam_minutes_filename(self):
        return self.with_context(lang=self.minutes_lang or self.env.lang).env._(
            "Minutes %(review)s", review=self.name
        )

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("state", "=", "approved"), ("superseded", "=", False)]

    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_review_remind_days

    def _kam_duty_reminder_values(self, today):
        values = {}
        for review in self:
            user = review.company_id.kam_review_user_id or review.prepared_by_id
            if not user:
                continue
            env = review.with_context(lang=user.lang or self.env.lang).env
            values[review] = {
                "user_id": user.id,
                "date_deadline": review.next_review_date,
                "summary": env._(
                    "Prepare the next management review (due %(date)s)",
                    date=review.next_review_date,
                ),
            }
        return values

    # ------------------------------------------------------------------ review input
    @api.model
    def _kam_review_inputs(self, review, periods):
        """a) The status of the actions decided in the previous review."""
        previous = review.previous_id
        if not previous:
            return [
                Contribution(
                    "previous_decisions",
                    note=_lt("This is the first management review in the system."),
                )
            ]
        decisions = previous.decision_ids
        actions = decisions.action_id
        today = fields.Date.context_today(self)
        done = actions.filtered(lambda a: a.state in ("done", "verified", "not_effective"))
        figures = [
            Figure("decisions", _lt("Decisions of the previous review"), len(decisions), None),
            Figure(
                "done",
                _lt("Carried out"),
                len(done),
                None,
                better="higher",
            ),
            Figure(
                "effective",
                _lt("Verified effective"),
                len(actions.filtered(lambda a: a.state == "verified")),
                None,
                better="higher",
            ),
            Figure(
                "open",
                _lt("Still open"),
                len(actions.filtered(lambda a: a.state == "open")),
                None,
                better="lower",
            ),
            Figure(
                "overdue",
                _lt("Still open and overdue"),
                len(actions.filtered(lambda a: a.state == "open" and a.deadline < today)),
                None,
                better="lower",
            ),
        ]
        rows = [
            [
                decision.name,
                decision.user_id.name or "",
                decision.deadline or "",
                Selection("kam.action", "state", decision.action_id.state)
                if decision.action_id
                else "",
                decision.action_id.done_date or "",
            ]
            for decision in decisions
        ]
        table = Table(
            "previous_decisions",
            previous.name,
            [_lt("Decision"), _lt("Owner"), _lt("Deadline"), _lt("Status"), _lt("Done on")],
            rows,
            limit=20,
        )
        return [Contribution("previous_decisions", figures=figures, tables=[table])]


class KamAction(models.Model):
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    review_id = source_field("kam.review", "Management review", tracking=False)
