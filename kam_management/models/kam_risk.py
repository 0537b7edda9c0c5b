from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools import xlsx
from ..tools.recurrence import FREQUENCIES

# written only by KAM officers, also outside the "Reviewed" button
REVIEW_FIELDS = ("review_frequency", "last_review_date", "reviewed_by_id")


class KamRisk(models.Model):
    """A hazard of the RI&E (risk inventory and evaluation, Arbowet art. 5),
    assessed with Kinney & Wiruth: R = W (probability) x B (exposure) x E
    (effect), classified by the company's method. Its measures are
    ``kam.action`` records: together they are the plan van aanpak. Its
    standard clauses (ISO 45001 6.1.2 hazard identification and risk
    assessment, 8.1.2 eliminating hazards) make the RI&E evidence per clause."""

    _name = "kam.risk"
    _description = "KAM hazard (RI&E)"
    _inherit = [
        "kam.action.source",
        "kam.clause.link.mixin",
        "kam.periodic.duty",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "score desc, id"
    _check_company_auto = True
    _kam_action_field = "risk_id"
    _kam_action_window = "kam_management.kam_action_action_plan"
    # the owner is reminded once when the review date is reached
    _kam_duty_date_field = "review_date"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_risk_review"

    name = fields.Char(string="Hazard", required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one("hr.department", check_company=True, tracking=True)
    job_id = fields.Many2one("hr.job", string="Function", check_company=True)
    workplace = fields.Char(help="Workplace, machine or area.")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
        help="Who keeps this hazard and its measures up to date.",
    )
    probability_id = fields.Many2one(
        "kam.risk.factor",
        string="Probability (W)",
        required=True,
        domain="[('axis', '=', 'probability')]",
        tracking=True,
    )
    exposure_id = fields.Many2one(
        "kam.risk.factor",
        string="Exposure (B)",
        required=True,
        domain="[('axis', '=', 'exposure')]",
        tracking=True,
    )
    effect_id = fields.Many2one(
        "kam.risk.factor",
        string="Effect (E)",
        required=True,
        domain="[('axis', '=', 'effect')]",
        tracking=True,
    )
    # the bare values, for compact lists
    probability = fields.Float(related="probability_id.value", string="W")
    exposure = fields.Float(related="exposure_id.value", string="B")
    effect = fields.Float(related="effect_id.value", string="E")
    score = fields.Float(
        string="Risk score (R)",
        compute="_compute_score",
        store=True,
        digits=(16, 2),
        aggregator="max",
        help="R = W x B x E",
    )
    method_id = fields.Many2one(
        "kam.risk.method",
        compute="_compute_method",
        store=True,
        readonly=False,
        ondelete="restrict",
    )
    class_id = fields.Many2one(
        "kam.risk.class",
        string="Risk class",
        compute="_compute_class",
        store=True,
        index=True,
        tracking=True,
    )
    class_color = fields.Integer(related="class_id.color")
    review_date = fields.Date(string="Review on", tracking=True, index=True)
    review_frequency = fields.Selection(
        FREQUENCIES,
        string="Review every",
        default="yearly",
        tracking=True,
        help="How often the hazard is reviewed: Reviewed moves the review date on by this. "
        "Empty: no next review is planned.",
    )
    last_review_date = fields.Date(
        string="Last reviewed on", readonly=True, copy=False, tracking=True
    )
    reviewed_by_id = fields.Many2one(
        "res.users", string="Last reviewed by", readonly=True, copy=False
    )
    action_ids = fields.One2many("kam.action", "risk_id", string="Measures")
    incident_count = fields.Integer(compute="_compute_incident_count")
    active = fields.Boolean(default=True)

    _axes_idx = models.Index("(company_id, score DESC)")

    @api.depends("probability_id.value", "exposure_id.value", "effect_id.value")
    def _compute_score(self):
        for risk in self:
            risk.score = risk.probability_id.value * risk.exposure_id.value * risk.effect_id.value

    @api.depends("company_id.kam_risk_method_id")
    def _compute_method(self):
        default = self.env["kam.risk.method"]._default_method()
        for risk in self:
            risk.method_id = risk.company_id.kam_risk_method_id or default

    @api.depends(
        "score", "method_id.bound_rule", "method_id.class_ids.lower_bound", "method_id.class_ids"
    )
    def _compute_class(self):
        for risk in self:
            risk.class_id = risk.method_id._classify(risk.score) if risk.method_id else False

    def _compute_incident_count(self):
        incidents = dict(
            self.env["kam.case"]._read_group(
                [("risk_id", "in", self.ids)], ["risk_id"], ["__count"]
            )
        )
        for risk in self:
            risk.incident_count = incidents.get(risk, 0)

    def write(self, vals):
        if any(name in vals for name in REVIEW_FIELDS):
            self._check_reviewer()
        return super().write(vals)

    def _check_reviewer(self):
        if not self.env.su and not self.env.user.has_group("kam_management.group_kam_officer"):
            raise AccessError(self.env._("Only KAM officers can record the review of a hazard."))

    # ------------------------------------------------------------------ buttons
    def _kam_action_defaults(self):
        return dict(super()._kam_action_defaults(), kind="preventive")

    def _kam_action_view_context(self):
        return dict(super()._kam_action_view_context(), kam_xlsx_register="action_plan")

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_incident"
        )
        action["domain"] = [("case_type", "=", "incident"), ("risk_id", "=", self.id)]
        action["context"] = {"default_case_type": "incident", "default_risk_id": self.id}
        return action

    def action_reviewed(self):
        """Record the review and move the review date on by the frequency: the next
        date of the series after today and after the current review date, so an
        early review does not make the same date due again."""
        self._check_reviewer()
        today = fields.Date.context_today(self)
        for risk in self:
            start = risk.review_date or today
            risk.write(
                {
                    "last_review_date": today,
                    "reviewed_by_id": self.env.uid,
                    "review_date": risk.review_frequency
                    and self._kam_duty_next_date(risk.review_frequency, start, max(start, today)),
                }
            )
        self.activity_feedback(["kam_management.mail_activity_kam_risk_review"])
        return True

    def _kam_creation_note(self):
        return self.env._("Hazard created")

    # ------------------------------------------------------------------ periodic duty
    def _kam_duty_reminder_values(self, today):
        return {
            risk: {
                "user_id": risk.user_id.id,
                "date_deadline": risk.review_date,
                "summary": lambda env: env._("Review the hazard and its measures"),
            }
            for risk in self
            if risk.user_id
        }


class KamAction(models.Model):
    """A measure of the plan van aanpak: an action whose source is a hazard."""

    # each source declares its many2one in its own file (README, action sources)
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    risk_id = fields.Many2one(
        "kam.risk",
        string="Hazard",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_action_plan_register_columns(self):
        """The plan van aanpak of the RI&E: the hazard, then its measure as in the
        action list (the hazard is the source; the priority follows the kind)."""
        measures = self._kam_action_register_columns()
        measures = [
            measures[0].relabel(self.env._("Measure")),
            measures[1],
            xlsx.selection("priority", width=10),
        ] + [column for column in measures[2:] if column.field != "source_name"]
        return [
            xlsx.many2one("risk_id", width=34),
            xlsx.many2one("risk_id.department_id", width=20),
            xlsx.number("risk_id.score", width=12),
            xlsx.many2one("risk_id.class_id", width=20),
            *measures,
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "action_plan",
                self.env._("Plan van aanpak (RI&E)"),
                columns=self._kam_action_plan_register_columns,
                domain=[("risk_id", "!=", False)],
                order="priority desc, deadline, id",
                filename="plan_van_aanpak",
            ),
        ]
