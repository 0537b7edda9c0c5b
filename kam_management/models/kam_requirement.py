import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import xlsx
from ..tools.actions import check_deletable_with_actions
from ..tools.recurrence import FREQUENCIES
from .kam_action_source import source_field

OFFICER = "kam_management.group_kam_officer"
REQUIREMENT_KINDS = [
    ("law", "Law or regulation"),
    ("permit", "Permit"),
    ("standard", "Standard"),
    ("customer", "Customer requirement"),
    ("party", "Interested-party requirement"),
    ("other", "Other commitment"),
]
REQUIREMENT_STATES = [("in_force", "In force"), ("repealed", "Repealed")]
# results of an evaluation of compliance, and the status of a requirement
RESULTS = [
    ("compliant", "Compliant"),
    ("partly", "Partly compliant"),
    ("not_compliant", "Not compliant"),
    ("not_applicable", "Not applicable"),
]
COMPLIANCE_STATUSES = [*RESULTS, ("none", "Not evaluated")]
# the identifier of a regulation in the Basiswettenbestand (wetten.overheid.nl):
# BWBR for national regulations, BWBV for treaties, then seven digits
BWB_ID = re.compile(r"BWB[RV]\d{7}")
BWB_URL = "https://wetten.overheid.nl/%s"


class KamRequirement(models.Model):
    """A compliance obligation (ISO 14001 / 45001 6.1.3): a law or regulation
    (with its BWB-ID on wetten.overheid.nl and the articles that apply), a
    permit, a standard, a customer's or another interested party's requirement.
    It records why it applies, how the company complies, who is responsible,
    the clauses and the RI&E hazards, environmental aspects and risks it
    concerns.

    Compliance is evaluated every so often (ISO 14001 / 45001 9.1.2): the next
    evaluation date is a periodic duty; the daily job reminds the responsible
    and prepares the evaluation (``kam.requirement.evaluation``); the result
    of the latest completed evaluation is the requirement's status. Changes
    (``kam.requirement.change``) are logged per requirement. A repealed
    requirement stays in the register, read-only, and is no longer evaluated.
    Actions (``kam.action``, source: the requirement) come from evaluations
    and changes."""

    _name = "kam.requirement"
    _description = "Legal or other requirement"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.clause.link.mixin",
        "kam.register.mixin",
        "kam.periodic.duty",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "kind_sequence, name, id"
    _check_company_auto = True
    _rec_names_search = ["name", "short_name", "bwb_id", "permit_number"]
    _kam_action_field = "requirement_id"
    # the responsible is reminded before the next evaluation; the job prepares it
    _kam_duty_date_field = "next_evaluation_date"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_compliance_evaluation"
    # in force -> repealed and back (a mistake): officers
    _kam_state_field = "state"
    _kam_transitions = {("in_force", "repealed"): OFFICER, ("repealed", "in_force"): OFFICER}
    _kam_locked_writable_fields = ("active", "state", "replaced_by_id", "date_repealed")
    _kam_lock_expression = "state == 'repealed'"

    name = fields.Char(string="Title", required=True, tracking=True)
    short_name = fields.Char(
        string="Short name", help="How people call it: Arbowet, Bal, omgevingsvergunning."
    )
    kind = fields.Selection(REQUIREMENT_KINDS, required=True, default="law", tracking=True)
    # laws first, then permits, standards, customers...: the order of REQUIREMENT_KINDS
    kind_sequence = fields.Integer(
        string="Order of the kind", compute="_compute_kind_sequence", store=True
    )
    bwb_id = fields.Char(
        string="BWB-ID",
        tracking=True,
        help="The identifier of the regulation on wetten.overheid.nl, e.g. BWBR0010346 for "
        "the Arbowet.",
    )
    article = fields.Char(
        string="Articles", tracking=True, help="The articles or chapters that apply to us."
    )
    source_url = fields.Char(
        string="Other link", help="A link to the text when there is no BWB-ID (permit, standard)."
    )
    url = fields.Char(
        string="Link",
        compute="_compute_url",
        help="wetten.overheid.nl for a BWB-ID, else the other link.",
    )
    issuer_id = fields.Many2one(
        "res.partner",
        string="Authority or party",
        help="The authority that issues or supervises it, or the customer, standards body or "
        "party that sets the requirement.",
    )
    permit_number = fields.Char(string="Reference", help="Permit number or decision reference.")
    date_issued = fields.Date(string="Issued on")
    valid_until = fields.Date(
        string="Valid until", help="Permits and certificates with an end date."
    )
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")
    applicability = fields.Text(help="Why and where it applies: activities, sites, people.")
    compliance_method = fields.Html(
        string="How we comply", help="Procedures, installations, measurements, reports."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        REQUIREMENT_STATES, string="Status", required=True, default="in_force", tracking=True
    )
    date_repealed = fields.Date(string="Repealed on", tracking=True)
    replaced_by_id = fields.Many2one(
        "kam.requirement", string="Replaced by", check_company=True, tracking=True
    )
    # related registers
    aspect_ids = fields.Many2many(
        "kam.aspect",
        "kam_aspect_requirement_rel",
        "requirement_id",
        "aspect_id",
        string="Environmental aspects",
        check_company=True,
    )
    hazard_ids = fields.Many2many(
        "kam.risk",
        "kam_requirement_risk_rel",
        "requirement_id",
        "risk_id",
        string="RI&E hazards",
        check_company=True,
    )
    risk_opportunity_ids = fields.Many2many(
        "kam.risk.opportunity",
        "kam_requirement_risk_opportunity_rel",
        "requirement_id",
        "risk_opportunity_id",
        string="Risks and opportunities",
        check_company=True,
    )
    need_ids = fields.One2many(
        "kam.interested.party.need",
        "requirement_id",
        string="Needs of interested parties",
        help="The needs and expectations of interested parties that this obligation comes from.",
    )
    # evaluation of compliance (9.1.2)
    evaluation_frequency = fields.Selection(
        FREQUENCIES,
        string="Evaluation frequency",
        default="yearly",
        tracking=True,
        help="How often compliance is evaluated; a completed evaluation moves the next "
        "evaluation date on by this.",
    )
    next_evaluation_date = fields.Date(string="Next evaluation", tracking=True, index=True)
    evaluation_ids = fields.One2many(
        "kam.requirement.evaluation", "requirement_id", string="Evaluations"
    )
    last_evaluation_id = fields.Many2one(
        "kam.requirement.evaluation",
        string="Latest evaluation",
        compute="_compute_last_evaluation",
        store=True,
        index="btree_not_null",
    )
    last_evaluation_date = fields.Date(
        string="Last evaluated on", related="last_evaluation_id.date", store=True
    )
    compliance_status = fields.Selection(
        COMPLIANCE_STATUSES,
        string="Compliance",
        compute="_compute_compliance_status",
        store=True,
        index=True,
        tracking=True,
        help="The result of the latest completed evaluation.",
    )
    evaluation_count = fields.Integer(string="Number of evaluations", compute="_compute_counts")
    change_ids = fields.One2many("kam.requirement.change", "requirement_id", string="Changes")
    change_count = fields.Integer(string="Number of changes", compute="_compute_counts")
    action_ids = fields.One2many("kam.action", "requirement_id", string="Actions")
    active = fields.Boolean(default=True)

    _state_idx = models.Index("(company_id, state, compliance_status)")

    # ------------------------------------------------------------------ computes
    def _kam_creation_note(self):
        return self.env._("Requirement created")

    @api.depends("kind")
    def _compute_kind_sequence(self):
        order = [key for key, _label in REQUIREMENT_KINDS]
        for requirement in self:
            requirement.kind_sequence = order.index(requirement.kind) if requirement.kind else 0

    @api.depends("bwb_id", "source_url")
    def _compute_url(self):
        for requirement in self:
            requirement.url = (
                BWB_URL % requirement.bwb_id if requirement.bwb_id else requirement.source_url
            )

    @api.depends("evaluation_ids.state", "evaluation_ids.date")
    def _compute_last_evaluation(self):
        done = self.env["kam.requirement.evaluation"].search(
            [("requirement_id", "in", self.ids), ("state", "=", "done")],
            order="requirement_id, date desc, id desc",
        )
        latest = {}
        for evaluation in done:
            latest.setdefault(evaluation.requirement_id.id, evaluation)
        for requirement in self:
            requirement.last_evaluation_id = latest.get(requirement.id, False)

    @api.depends("last_evaluation_id.result")
    def _compute_compliance_status(self):
        for requirement in self:
            requirement.compliance_status = requirement.last_evaluation_id.result or "none"

    def _compute_counts(self):
        evaluations = dict(
            self.env["kam.requirement.evaluation"]._read_group(
                [("requirement_id", "in", self.ids)], ["requirement_id"], ["__count"]
            )
        )
        changes = dict(
            self.env["kam.requirement.change"]._read_group(
                [("requirement_id", "in", self.ids)], ["requirement_id"], ["__count"]
            )
        )
        for requirement in self:
            requirement.evaluation_count = evaluations.get(requirement, 0)
            requirement.change_count = changes.get(requirement, 0)

    @api.depends("name", "short_name")
    def _compute_display_name(self):
        for requirement in self:
            requirement.display_name = requirement.short_name or requirement.name

    # ------------------------------------------------------------------ input rules
    @api.model
    def _normalise_bwb_id(self, value):
        return re.sub(r"\s+", "", value).upper() if value else value

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("bwb_id"):
                vals["bwb_id"] = self._normalise_bwb_id(vals["bwb_id"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("bwb_id"):
            vals = dict(vals, bwb_id=self._normalise_bwb_id(vals["bwb_id"]))
        return super().write(vals)

    @api.constrains("bwb_id")
    def _check_bwb_id(self):
        for requirement in self:
            if requirement.bwb_id and not BWB_ID.fullmatch(requirement.bwb_id):
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a BWB-ID. A BWB-ID is BWBR (or BWBV for a treaty) "
                        "followed by seven digits, e.g. BWBR0010346 for the Arbowet; you find "
                        "it in the address of the regulation on wetten.overheid.nl.",
                        value=requirement.bwb_id,
                    )
                )

    @api.constrains("date_issued", "valid_until")
    def _check_validity(self):
        for requirement in self:
            if (
                requirement.date_issued
                and requirement.valid_until
                and requirement.valid_until < requirement.date_issued
            ):
                raise ValidationError(
                    self.env._(
                        "%(requirement)s: valid until %(until)s is before its issue date "
                        "%(issued)s.",
                        requirement=requirement.display_name,
                        until=requirement.valid_until,
                        issued=requirement.date_issued,
                    )
                )

    @api.constrains("replaced_by_id")
    def _check_replaced_by(self):
        for requirement in self:
            if requirement.replaced_by_id == requirement:
                raise ValidationError(
                    self.env._(
                        "%(requirement)s cannot replace itself.",
                        requirement=requirement.display_name,
                    )
                )

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda r: r.state == "repealed")

    def _kam_unlocks(self, vals):
        return vals.get("state") == "in_force"

    def _kam_locked_error(self):
        return UserError(
            self.env._(
                "%(requirement)s has been repealed and can no longer be changed; put it back in "
                "force first.",
                requirement=", ".join(self.mapped("display_name")[:5]),
            )
        )

    def _kam_transition_refused(self, old, new):
        return self.env._("Only KAM officers can repeal a requirement or put it back in force.")

    def _kam_check_state_change(self, old, new, vals):
        if new == "repealed" and not vals.get("date_repealed", self.date_repealed):
            raise UserError(
                self.env._(
                    "Record the date on which %(requirement)s was repealed.",
                    requirement=self.display_name,
                )
            )

    def _kam_state_values(self, new):
        # a repealed requirement is no longer evaluated
        return {"next_evaluation_date": False} if new == "repealed" else {}

    def _kam_check_unlink(self):
        kept = self.filtered(
            lambda r: (
                r.state == "repealed"
                or r.change_ids
                or r.need_ids
                or r.evaluation_ids.filtered(lambda e: e.state == "done")
            )
        )
        if kept:
            raise UserError(
                self.env._(
                    "%(requirement)s is repealed, has completed evaluations or logged changes, or "
                    "comes from the needs of interested parties: it is kept as evidence. Archive "
                    "it instead.",
                    requirement=", ".join(kept.mapped("display_name")[:5]),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_actions(self):
        check_deletable_with_actions(self)

    def unlink(self):
        # draft evaluations go with their requirement; completed ones never (see above)
        self._kam_check_unlink()
        self.evaluation_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------------ buttons
    def action_repeal(self):
        """Repealed: the requirement stays in the register and is no longer evaluated.
        The date defaults to today; correct it afterwards if the text says otherwise."""
        today = fields.Date.context_today(self)
        for requirement in self:
            requirement.write(
                {"state": "repealed", "date_repealed": requirement.date_repealed or today}
            )
        return True

    def action_reinstate(self):
        self.write({"state": "in_force"})
        return True

    def action_evaluate(self):
        """Open the draft evaluation of this requirement, or a new one."""
        self.ensure_one()
        draft = self.evaluation_ids.filtered(lambda e: e.state == "draft")[:1]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_requirement_evaluation_action"
        )
        action.update(
            views=[(False, "form")],
            view_mode="form",
            res_id=draft.id or False,
            context={
                "default_requirement_id": self.id,
                "default_user_id": (self.user_id or self.env.user).id,
            },
        )
        return action

    @api.readonly
    def action_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_requirement_evaluation_action"
        )
        action["domain"] = [("requirement_id", "=", self.id)]
        action["context"] = {
            "default_requirement_id": self.id,
            "default_user_id": (self.user_id or self.env.user).id,
        }
        return action

    @api.readonly
    def action_view_changes(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_requirement_change_action"
        )
        action["domain"] = [("requirement_id", "=", self.id)]
        action["context"] = {"default_requirement_id": self.id}
        return action

    def action_open_url(self):
        self.ensure_one()
        if not self.url:
            return False
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_domain(self):
        return [("state", "=", "in_force")]

    @api.model
    def _kam_duty_remind_days(self, company):
        return company.kam_compliance_reminder_days

    def _kam_duty_reminder_values(self, today):
        return {
            requirement: {
                "user_id": requirement.user_id.id,
                "date_deadline": requirement.next_evaluation_date,
                "summary": lambda env: env._("Evaluate compliance"),
            }
            for requirement in self
            if requirement.user_id
        }

    def _kam_duty_perform(self, company, today):
        """The reminders, and a draft evaluation for each requirement reminded that
        has none yet (planned on the due date, for the responsible): one search and
        one create per chunk."""
        activities = super()._kam_duty_perform(company, today)
        reminded = self.browse(activities.mapped("res_id"))
        with_draft = set(
            self.env["kam.requirement.evaluation"]
            .search([("requirement_id", "in", reminded.ids), ("state", "=", "draft")])
            .mapped("requirement_id")
            .ids
        )
        # prepared by the job: the responsible is told by the reminder, so no creation
        # note, followers or "assigned to you" mail per evaluation
        self.env["kam.requirement.evaluation"].with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_auto_subscribe_no_notify=True,
        ).create(
            [
                {
                    "requirement_id": requirement.id,
                    "date": requirement.next_evaluation_date,
                    "user_id": requirement.user_id.id,
                }
                for requirement in reminded
                if requirement.id not in with_draft
            ]
        )
        return activities

    def _kam_evaluated(self, evaluations):
        """Completed ``evaluations`` of these requirements move the next evaluation
        date on by the frequency (from the due date, to after the evaluation) and
        close the reminder. One write per resulting date, not per requirement."""
        last_day = {}
        for evaluation in evaluations:
            day = last_day.get(evaluation.requirement_id)
            last_day[evaluation.requirement_id] = (
                max(day, evaluation.date) if day else evaluation.date
            )
        by_date = defaultdict(lambda: self.browse())
        for requirement in self.filtered(lambda r: r.state == "in_force"):
            day = last_day[requirement]
            start = requirement.next_evaluation_date or day
            next_date = requirement.evaluation_frequency and self._kam_duty_next_date(
                requirement.evaluation_frequency, start, max(start, day)
            )
            by_date[next_date] |= requirement
        for next_date, requirements in by_date.items():
            requirements.write({"next_evaluation_date": next_date})
        self.activity_feedback([self._kam_duty_reminder_activity])

    # ------------------------------------------------------------------ register
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "requirement",
                self.env._("Register of legal and other requirements"),
                columns=[
                    xlsx.selection("kind", width=20),
                    xlsx.char("name", width=40),
                    xlsx.char("short_name", width=16),
                    xlsx.char("bwb_id", width=14),
                    xlsx.char("article", width=24),
                    xlsx.char("url", width=36),
                    xlsx.many2one("issuer_id", width=24),
                    xlsx.char("permit_number", width=16),
                    xlsx.date("valid_until"),
                    xlsx.many2many("theme_ids", width=20, sudo=True),
                    xlsx.char("applicability", width=40),
                    xlsx.html("compliance_method", width=50),
                    xlsx.many2one("user_id", width=22),
                    xlsx.selection("state", width=12),
                    xlsx.date("date_repealed"),
                    xlsx.selection("compliance_status", width=18),
                    xlsx.date("last_evaluation_date"),
                    xlsx.selection("evaluation_frequency", width=16),
                    xlsx.date("next_evaluation_date"),
                    xlsx.integer(
                        "open_action_count",
                        self.env._("Open actions"),
                        width=10,
                        values=self._kam_open_action_counts,
                    ),
                ],
                order="kind_sequence, name, id",
                filename="wettelijke_eisen",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Requirements")

    @api.model
    def _clause_evidence_problem_domain(self):
        """A requirement in force needs attention when its evaluation of compliance is
        overdue or it was found (partly) not complied with."""
        return [
            ("state", "=", "in_force"),
            "|",
            ("next_evaluation_date", "<", fields.Date.context_today(self)),
            ("compliance_status", "in", ("not_compliant", "partly")),
        ]


class KamAction(models.Model):
    """An action whose source is a compliance obligation: from an evaluation that
    found it not (fully) complied with, or from a change in the requirement."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    requirement_id = source_field("kam.requirement")
    requirement_evaluation_id = fields.Many2one(
        "kam.requirement.evaluation",
        string="From evaluation",
        index="btree_not_null",
        ondelete="set null",
    )
    requirement_change_id = fields.Many2one(
        "kam.requirement.change",
        string="From change",
        index="btree_not_null",
        ondelete="set null",
    )

    @api.constrains("requirement_id", "requirement_evaluation_id", "requirement_change_id")
    def _check_requirement_origin(self):
        for action in self:
            for origin in (action.requirement_evaluation_id, action.requirement_change_id):
                if origin and origin.requirement_id != action.requirement_id:
                    raise ValidationError(
                        self.env._(
                            "Action %(action)s comes from %(origin)s, so its source must be "
                            "requirement %(requirement)s.",
                            action=action.name,
                            origin=origin.display_name,
                            requirement=origin.requirement_id.display_name,
                        )
                    )
