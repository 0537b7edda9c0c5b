from odoo import api, fields, models

from ..tools import xlsx
from ..tools.actions import check_deletable_with_actions
from .kam_action_source import source_field
from .kam_risk_assessment_mixin import factor_axes, factor_field, method_usage

CONDITIONS = [
    ("normal", "Normal"),
    ("abnormal", "Abnormal"),
    ("emergency", "Emergency"),
]
LIFECYCLE_STAGES = [
    ("raw_materials", "Raw materials and purchasing"),
    ("design", "Design and development"),
    ("production", "Own operations"),
    ("transport", "Transport and delivery"),
    ("use", "Use by the customer"),
    ("end_of_life", "End of life and waste treatment"),
]
IMPACT_CATEGORIES = [
    ("air", "Air"),
    ("water", "Water"),
    ("soil", "Soil"),
    ("waste", "Waste"),
    ("resources", "Energy and raw materials"),
    ("climate", "Climate (greenhouse gases)"),
    ("nuisance", "Noise, odour and nuisance"),
    ("nature", "Nature and biodiversity"),
]


class KamAspect(models.Model):
    """An environmental aspect (ISO 14001 6.1.2): an element of an activity,
    product or service that interacts with the environment, its impact, under
    normal, abnormal or emergency conditions, over the life cycle, controlled or
    only influenced by the company. Its significance comes from the risk-method
    engine (frequency x severity, classes of the company's aspect method) and,
    if the method says so, from the compliance obligations linked to it. Its
    controls are text, its measures ``kam.action`` records."""

    _name = "kam.aspect"
    _description = "Environmental aspect"
    _inherit = [
        "kam.action.source",
        "kam.clause.link.mixin",
        "kam.register.mixin",
        "kam.risk.assessment.mixin",
        "kam.review.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "is_significant desc, score desc, id"
    _check_company_auto = True
    _kam_action_field = "aspect_id"
    _kam_risk_usage = "aspect"
    _kam_risk_factor_fields = ("frequency_id", "severity_id")
    _kam_risk_company_method_field = "kam_aspect_method_id"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_aspect_review"

    name = fields.Char(string="Aspect", required=True, tracking=True)
    activity = fields.Char(
        string="Activity, product or service",
        required=True,
        tracking=True,
        help="Where the aspect comes from: e.g. welding, powder coating, the products we deliver.",
    )
    activity_kind = fields.Selection(
        [("activity", "Activity"), ("product", "Product"), ("service", "Service")],
        string="Kind",
        required=True,
        default="activity",
    )
    department_id = fields.Many2one("hr.department", check_company=True, tracking=True)
    impact = fields.Char(
        string="Environmental impact",
        required=True,
        tracking=True,
        help="The change to the environment: e.g. air pollution, depletion of raw materials.",
    )
    impact_category = fields.Selection(IMPACT_CATEGORIES, string="Impact on", index=True)
    impact_nature = fields.Selection(
        [("adverse", "Adverse"), ("beneficial", "Beneficial")],
        string="Nature of the impact",
        required=True,
        default="adverse",
    )
    condition = fields.Selection(
        CONDITIONS,
        required=True,
        default="normal",
        tracking=True,
        help="Normal operation, abnormal situations (start-up, maintenance, breakdowns) or "
        "emergencies (fire, spills).",
    )
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, string="Life-cycle stage", required=True, default="production"
    )
    control = fields.Selection(
        [("control", "Controlled"), ("influence", "Influenced")],
        string="Control or influence",
        required=True,
        default="control",
        help="Controlled: the company decides how it happens. Influenced: others decide "
        "(suppliers, customers, transporters), the company can influence them.",
    )
    frequency_id = factor_field("frequency", "Frequency (F)")
    severity_id = factor_field("severity", "Severity (S)")
    frequency = fields.Float(related="frequency_id.value", string="Freq.")
    severity = fields.Float(related="severity_id.value", string="Sev.")
    score = fields.Float(string="Score (F x S)")
    class_id = fields.Many2one(string="Significance class")
    is_significant = fields.Boolean(
        string="Significant",
        compute="_compute_is_significant",
        store=True,
        index=True,
        tracking=True,
        help="Significant by its class, or because a compliance obligation in force applies "
        "(when the company's method says so).",
    )
    requirement_ids = fields.Many2many(
        "kam.requirement",
        "kam_aspect_requirement_rel",
        "aspect_id",
        "requirement_id",
        string="Compliance obligations",
        check_company=True,
    )
    controls = fields.Html(
        string="Controls in place",
        help="Operational control: procedures, installations, instructions, monitoring.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    action_ids = fields.One2many("kam.action", "aspect_id", string="Measures")
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Environmental aspect created")

    @api.depends(
        "class_id.significant",
        "method_id.obligation_significant",
        "requirement_ids.state",
        "requirement_ids.active",
    )
    def _compute_is_significant(self):
        for aspect in self:
            aspect.is_significant = aspect.class_id.significant or bool(
                aspect.method_id.obligation_significant
                and aspect.requirement_ids.filtered(lambda r: r.state == "in_force")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_actions(self):
        check_deletable_with_actions(self)

    def _kam_review_refused(self):
        return self.env._("Only KAM officers can record the review of an environmental aspect.")

    def _kam_review_summary(self):
        return self.env._("Review the environmental aspect and its controls")

    def _kam_action_defaults(self):
        return dict(super()._kam_action_defaults(), kind="preventive")

    # ------------------------------------------------------------------ register
    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "aspect",
                self.env._("Environmental aspects register"),
                columns=[
                    xlsx.char("activity", width=28),
                    xlsx.selection("activity_kind", width=12),
                    xlsx.many2one("department_id", width=18),
                    xlsx.char("name", width=34),
                    xlsx.char("impact", width=30),
                    xlsx.selection("impact_category", width=20),
                    xlsx.selection("impact_nature", width=12),
                    xlsx.selection("condition", width=12),
                    xlsx.selection("lifecycle_stage", width=22),
                    xlsx.selection("control", width=14),
                    xlsx.number("frequency", self.env._("Frequency (F)"), width=10),
                    xlsx.number("severity", self.env._("Severity (S)"), width=10),
                    xlsx.number("score", width=10),
                    xlsx.many2one("class_id", width=18),
                    xlsx.boolean("is_significant", width=12),
                    xlsx.many2many("requirement_ids", width=40, sudo=True),
                    xlsx.html("controls", width=50),
                    xlsx.integer(
                        "open_action_count",
                        self.env._("Open measures"),
                        width=10,
                        values=self._kam_open_action_counts,
                    ),
                    xlsx.many2one("user_id", width=22),
                    xlsx.date("review_date"),
                    xlsx.date("last_review_date"),
                ],
                order="is_significant desc, score desc, id",
                filename="milieuaspecten",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Environmental aspects")

    @api.model
    def _clause_evidence_problem_domain(self):
        """Needs attention when its review is overdue."""
        return [("review_date", "<", fields.Date.context_today(self))]


class KamAction(models.Model):
    """A measure for an environmental aspect."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    aspect_id = source_field("kam.aspect", "Environmental aspect")


class KamRiskFactor(models.Model):
    """The scales of the environmental aspects: frequency and severity."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.risk.factor"  # pylint: disable=consider-merging-classes-inherited

    axis = factor_axes(("frequency", "Frequency (F)"), ("severity", "Severity (S)"))


class KamRiskMethod(models.Model):
    """Methods that classify the significance of environmental aspects."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.risk.method"  # pylint: disable=consider-merging-classes-inherited

    usage = method_usage("aspect", "Environmental aspects")
