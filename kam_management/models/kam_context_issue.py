from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import xlsx

ISSUE_CATEGORIES = [
    # external
    ("political", "Political and legal"),
    ("economic", "Economic and market"),
    ("social", "Social and labour market"),
    ("technological", "Technological"),
    ("environmental", "Environmental conditions and climate"),
    # internal
    ("organisation", "Organisation and governance"),
    ("people", "People, knowledge and culture"),
    ("processes", "Processes, products and infrastructure"),
    ("finance", "Financial"),
]
EXTERNAL = ("political", "economic", "social", "technological", "environmental")


class KamContextIssue(models.Model):
    """An internal or external issue that affects what the management system
    can achieve (ISO 9001 / 14001 / 45001 4.1), including climate change (the
    2024 amendment: decide whether it is relevant). Each issue says how the
    company deals with it and which interested parties and risks or
    opportunities it brings; it is reviewed every so often."""

    _name = "kam.context.issue"
    _description = "Context issue"
    _inherit = [
        "kam.clause.link.mixin",
        "kam.register.mixin",
        "kam.review.mixin",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "kind, category, id"
    _check_company_auto = True
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_context_review"

    name = fields.Char(string="Issue", required=True, tracking=True)
    kind = fields.Selection(
        [("external", "External"), ("internal", "Internal")],
        required=True,
        default="external",
        tracking=True,
    )
    category = fields.Selection(ISSUE_CATEGORIES, required=True, tracking=True)
    effect = fields.Selection(
        [("positive", "Positive"), ("negative", "Negative"), ("both", "Both")],
        string="Effect on us",
        required=True,
        default="negative",
    )
    climate_related = fields.Boolean(
        string="Climate change",
        tracking=True,
        help="The issue concerns climate change: its effects on the company, or the company's "
        "effect on the climate.",
    )
    description = fields.Html()
    response = fields.Html(string="How we deal with it")
    theme_ids = fields.Many2many("kam.theme", string="KAM themes")
    party_ids = fields.Many2many(
        "kam.interested.party",
        "kam_context_issue_party_rel",
        "issue_id",
        "party_id",
        string="Interested parties",
        check_company=True,
    )
    risk_opportunity_ids = fields.One2many(
        "kam.risk.opportunity", "issue_id", string="Risks and opportunities"
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
    active = fields.Boolean(default=True)

    def _kam_creation_note(self):
        return self.env._("Context issue created")

    @api.constrains("kind", "category")
    def _check_category(self):
        categories = dict(self._fields["category"]._description_selection(self.env))
        for issue in self:
            if (issue.category in EXTERNAL) == (issue.kind == "external"):
                continue
            if issue.kind == "external":
                message = self.env._(
                    "Issue %(issue)s is external, but %(category)s is a category of internal "
                    "issues.",
                    issue=issue.name,
                    category=categories.get(issue.category),
                )
            else:
                message = self.env._(
                    "Issue %(issue)s is internal, but %(category)s is a category of external "
                    "issues.",
                    issue=issue.name,
                    category=categories.get(issue.category),
                )
            raise ValidationError(message)

    @api.onchange("kind")
    def _onchange_kind(self):
        if self.category and (self.category in EXTERNAL) != (self.kind == "external"):
            self.category = False

    def _kam_review_refused(self):
        return self.env._("Only KAM officers can record the review of the context.")

    def _kam_review_summary(self):
        return self.env._("Review the context issue")

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "context",
                self.env._("Context of the organisation"),
                columns=[
                    xlsx.selection("kind", width=10),
                    xlsx.selection("category", width=28),
                    xlsx.char("name", width=40),
                    xlsx.selection("effect", width=10),
                    xlsx.boolean("climate_related", width=12),
                    xlsx.html("description", width=50),
                    xlsx.html("response", width=50),
                    xlsx.many2many("party_ids", width=30),
                    xlsx.many2many("risk_opportunity_ids", width=40),
                    xlsx.many2one("user_id", width=22),
                    xlsx.date("review_date"),
                    xlsx.date("last_review_date"),
                ],
                order="kind, category, id",
                filename="context",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Context issues")

    @api.model
    def _clause_evidence_problem_domain(self):
        """Needs attention when its review is overdue."""
        return [("review_date", "<", fields.Date.context_today(self))]
