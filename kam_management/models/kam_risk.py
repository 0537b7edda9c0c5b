from odoo import api, fields, models

from ..tools import xlsx
from ..tools.actions import action_counts
from ..tools.activities import schedule_once
from ..tools.batches import in_chunks


class KamRisk(models.Model):
    """A hazard of the RI&E (risk inventory and evaluation, Arbowet art. 5),
    assessed with Kinney & Wiruth: R = W (probability) x B (exposure) x E
    (effect), classified by the company's method. Its measures are
    ``kam.action`` records: together they are the plan van aanpak."""

    _name = "kam.risk"
    _description = "KAM hazard (RI&E)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "score desc, id"
    _check_company_auto = True

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
    action_count = fields.Integer(compute="_compute_counts")
    open_action_count = fields.Integer(compute="_compute_counts")
    incident_count = fields.Integer(compute="_compute_counts")
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

    def _compute_counts(self):
        total, open_ = action_counts(self.env, "risk_id", self)
        incidents = dict(
            self.env["kam.case"]._read_group(
                [("risk_id", "in", self.ids)], ["risk_id"], ["__count"]
            )
        )
        for risk in self:
            risk.action_count = total.get(risk, 0)
            risk.open_action_count = open_.get(risk, 0)
            risk.incident_count = incidents.get(risk, 0)

    # ------------------------------------------------------------------ buttons
    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_action_action_plan"
        )
        action["domain"] = [("risk_id", "=", self.id)]
        action["context"] = {
            "default_risk_id": self.id,
            "default_res_model": self._name,
            "default_res_id": self.id,
            "default_kind": "preventive",
            "kam_xlsx_register": "action_plan",
        }
        return action

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


# ---- registers (Excel, tools/xlsx.py)
class KamAction(models.Model):
    _inherit = "kam.action"

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
