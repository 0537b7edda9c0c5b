from odoo import api, fields, models

from ..tools import xlsx
from .kam_action_source import source_field
from .kam_risk_assessment_mixin import factor_field


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
        "kam.risk.assessment.mixin",
        "kam.review.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "score desc, id"
    _check_company_auto = True
    _kam_action_field = "risk_id"
    _kam_action_window = "kam_management.kam_action_action_plan"
    # scored by the risk-method engine with the company's RI&E method
    _kam_risk_usage = "rie"
    _kam_risk_factor_fields = ("probability_id", "exposure_id", "effect_id")
    _kam_risk_company_method_field = "kam_risk_method_id"
    # the owner is reminded once when the review date is reached (kam.review.mixin)
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
    probability_id = factor_field("probability", "Probability (W)")
    exposure_id = factor_field("exposure", "Exposure (B)")
    effect_id = factor_field("effect", "Effect (E)")
    # the bare values, for compact lists
    probability = fields.Float(related="probability_id.value", string="W")
    exposure = fields.Float(related="exposure_id.value", string="B")
    effect = fields.Float(related="effect_id.value", string="E")
    score = fields.Float(string="Risk score (R)", help="R = W x B x E")
    class_id = fields.Many2one(string="Risk class")
    action_ids = fields.One2many("kam.action", "risk_id", string="Measures")
    incident_count = fields.Integer(compute="_compute_incident_count")
    active = fields.Boolean(default=True)

    _axes_idx = models.Index("(company_id, score DESC)")

    def _compute_incident_count(self):
        incidents = dict(
            self.env["kam.case"]._read_group(
                [("risk_id", "in", self.ids)], ["risk_id"], ["__count"]
            )
        )
        for risk in self:
            risk.incident_count = incidents.get(risk, 0)

    def _kam_review_refused(self):
        return self.env._("Only KAM officers can record the review of a hazard.")

    def _kam_review_summary(self):
        return self.env._("Review the hazard and its measures")

    # ------------------------------------------------------------------ buttons
    def _kam_action_defaults(self):
        return dict(super()._kam_action_defaults(), kind="preventive")

    def _kam_action_view_context(self):
        return dict(super()._kam_action_view_context(), kam_xlsx_register="action_plan")

    @api.readonly
    def action_view_incidents(self):
        self.check_access("read")
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_incident"
        )
        action["domain"] = [("case_type", "=", "incident"), ("risk_id", "=", self.id)]
        action["context"] = {"default_case_type": "incident", "default_risk_id": self.id}
        return action

    def _kam_creation_note(self):
        return self.env._("Hazard created")

    # ------------------------------------------------------------------ compliance monitor
    @api.model
    def _clause_evidence_label(self):
        return self.env._("RI&E hazards")

    @api.model
    def _clause_evidence_problem_domain(self):
        """A hazard needs attention when its review is overdue."""
        return [("review_date", "<", fields.Date.context_today(self))]


class KamAction(models.Model):
    """A measure of the plan van aanpak: an action whose source is a hazard."""

    # each source declares its many2one in its own file (README, action sources)
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    risk_id = source_field("kam.risk", "Hazard")

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
