from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import xlsx
from ..tools.actions import check_deletable_with_actions
from .kam_action_source import source_field
from .kam_risk_assessment_mixin import factor_axes, factor_field, method_usage

TREATMENTS = [
    ("reduce", "Reduce"),
    ("avoid", "Avoid"),
    ("transfer", "Transfer or share"),
    ("accept", "Accept"),
    ("pursue", "Pursue"),
    ("monitor", "Monitor"),
]
RISK_TREATMENTS = ("reduce", "avoid", "transfer", "accept")
OPPORTUNITY_TREATMENTS = ("pursue", "monitor", "accept")


class KamRiskOpportunity(models.Model):
    """A risk or an opportunity of the management system (ISO 9001 / 14001 /
    45001 6.1), often from a context issue or an interested party: scored with
    the company's likelihood x impact method (the risk-method engine), with an
    owner, a treatment, actions (``kam.action``) and a review date."""

    _name = "kam.risk.opportunity"
    _description = "Risk or opportunity"
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
    _order = "score desc, id"
    _check_company_auto = True
    _kam_action_field = "risk_opportunity_id"
    _kam_risk_usage = "risk_opportunity"
    _kam_risk_factor_fields = ("likelihood_id", "impact_id")
    _kam_risk_company_method_field = "kam_opportunity_method_id"
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_risk_opportunity_review"

    name = fields.Char(required=True, tracking=True)
    kind = fields.Selection(
        [("risk", "Risk"), ("opportunity", "Opportunity")],
        required=True,
        default="risk",
        tracking=True,
        index=True,
    )
    description = fields.Html()
    issue_id = fields.Many2one(
        "kam.context.issue", string="Context issue", check_company=True, index="btree_not_null"
    )
    party_id = fields.Many2one(
        "kam.interested.party", string="Interested party", check_company=True
    )
    process = fields.Char(help="The process or department it concerns.")
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")
    likelihood_id = factor_field("likelihood")
    impact_id = factor_field(
        "impact", help="The consequence of a risk, or the benefit of an opportunity."
    )
    likelihood = fields.Float(related="likelihood_id.value", string="Lik.")
    impact = fields.Float(related="impact_id.value", string="Imp.")
    score = fields.Float(string="Score (L x I)")
    class_id = fields.Many2one(string="Level")
    needs_treatment = fields.Boolean(
        string="Needs treatment",
        compute="_compute_needs_treatment",
        store=True,
        help="Its level is marked significant in the company's method: it needs a treatment "
        "and actions.",
    )
    treatment = fields.Selection(TREATMENTS, tracking=True)
    treatment_plan = fields.Html(string="Treatment plan")
    requirement_ids = fields.Many2many(
        "kam.requirement",
        "kam_requirement_risk_opportunity_rel",
        "risk_opportunity_id",
        "requirement_id",
        string="Compliance obligations",
        check_company=True,
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
    action_ids = fields.One2many("kam.action", "risk_opportunity_id", string="Actions")
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Risk or opportunity created")

    @api.depends("class_id.significant")
    def _compute_needs_treatment(self):
        for record in self:
            record.needs_treatment = record.class_id.significant

    @api.constrains("kind", "treatment")
    def _check_treatment(self):
        labels = dict(self._fields["treatment"]._description_selection(self.env))
        for record in self:
            if not record.treatment:
                continue
            allowed = RISK_TREATMENTS if record.kind == "risk" else OPPORTUNITY_TREATMENTS
            if record.treatment not in allowed:
                raise ValidationError(
                    self.env._(
                        "%(treatment)s does not fit %(record)s (%(kind)s); choose one of "
                        "%(allowed)s.",
                        record=record.name,
                        treatment=labels[record.treatment],
                        kind=dict(self._fields["kind"]._description_selection(self.env))[
                            record.kind
                        ].lower(),
                        allowed=", ".join(labels[key] for key in allowed),
                    )
                )

    @api.onchange("kind")
    def _onchange_kind(self):
        allowed = RISK_TREATMENTS if self.kind == "risk" else OPPORTUNITY_TREATMENTS
        if self.treatment and self.treatment not in allowed:
            self.treatment = False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_actions(self):
        check_deletable_with_actions(self)

    def _kam_review_refused(self):
        return self.env._("Only KAM officers can record the review of a risk or opportunity.")

    def _kam_review_summary(self):
        return self.env._("Review the risk or opportunity and its treatment")

    def _kam_action_defaults(self):
        kind = "improvement" if self.kind == "opportunity" else "preventive"
        return dict(super()._kam_action_defaults(), kind=kind)

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "risk_opportunity",
                self.env._("Risks and opportunities"),
                columns=[
                    xlsx.selection("kind", width=12),
                    xlsx.char("name", width=40),
                    xlsx.many2one("issue_id", width=30),
                    xlsx.many2one("party_id", width=24),
                    xlsx.char("process", width=20),
                    xlsx.many2many("theme_ids", width=20, sudo=True),
                    xlsx.number("likelihood", self.env._("Likelihood"), width=10),
                    xlsx.number("impact", self.env._("Impact"), width=10),
                    xlsx.number("score", width=10),
                    xlsx.many2one("class_id", width=16),
                    xlsx.boolean("needs_treatment", width=12),
                    xlsx.selection("treatment", width=16),
                    xlsx.html("treatment_plan", width=50),
                    xlsx.integer(
                        "open_action_count",
                        self.env._("Open actions"),
                        width=10,
                        values=self._kam_open_action_counts,
                    ),
                    xlsx.many2one("user_id", width=22),
                    xlsx.date("review_date"),
                    xlsx.date("last_review_date"),
                ],
                order="score desc, id",
                filename="risicos_en_kansen",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Risks and opportunities")

    @api.model
    def _clause_evidence_problem_domain(self):
        """Needs attention when its review is overdue."""
        return [("review_date", "<", fields.Date.context_today(self))]


class KamAction(models.Model):
    """An action that treats a risk or pursues an opportunity."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    risk_opportunity_id = source_field("kam.risk.opportunity", "Risk or opportunity")


class KamRiskFactor(models.Model):
    """The scales of the risks and opportunities: likelihood and impact."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.risk.factor"  # pylint: disable=consider-merging-classes-inherited

    axis = factor_axes(("likelihood", "Likelihood (L)"), ("impact", "Impact (I)"))


class KamRiskMethod(models.Model):
    """Methods that classify risks and opportunities."""

    # declared in the adopter's own file (the action-source / engine pattern)
    _inherit = "kam.risk.method"  # pylint: disable=consider-merging-classes-inherited

    usage = method_usage("risk_opportunity", "Risks and opportunities")
