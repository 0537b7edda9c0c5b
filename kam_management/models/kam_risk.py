from odoo import api, fields, models

from ..tools.activities import schedule_once
from ..tools.batches import in_chunks


class KamRisk(models.Model):
    """A hazard of the RI&E (risk inventory and evaluation, Arbowet art. 5),
    assessed with Kinney & Wiruth: R = W (probability) x B (exposure) x E
    (effect), classified by the company's method. Its measures are
    ``kam.action`` records: together they are the plan van aanpak. Its
    standard clauses (ISO 45001 6.1.2 hazard identification and risk
    assessment, 8.1.2 eliminating hazards) make the RI&E evidence per clause."""

    _name = "kam.risk"
    _description = "KAM hazard (RI&E)"
    _inherit = ["kam.action.source", "kam.clause.link.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "score desc, id"
    _check_company_auto = True
    _kam_action_field = "risk_id"
    _kam_action_window = "kam_management.kam_action_action_plan"

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

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_review_reminder(self, batch_size=500):
        """Daily: the owner of a hazard due for review gets one activity (never
        a second while it is open)."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("kam_management.mail_activity_kam_risk_review")

        def values_of(risk):
            if not risk.user_id:
                return None
            return {
                "user_id": risk.user_id.id,
                "date_deadline": risk.review_date,
                "summary": self.env._("Review the hazard and its measures"),
            }

        domain = [("review_date", "!=", False), ("review_date", "<=", today)]
        for risks in in_chunks(self.sudo(), domain, batch_size):
            schedule_once(risks, activity_type, values_of)
        return True


class KamAction(models.Model):
    """A measure of the plan van aanpak: an action whose source is a hazard."""

    _inherit = "kam.action"

    risk_id = fields.Many2one(
        "kam.risk",
        string="Hazard",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
