from odoo import fields, models

PARTY_CATEGORIES = [
    ("customers", "Customers"),
    ("employees", "Employees"),
    ("owners", "Owners and management"),
    ("suppliers", "Suppliers and subcontractors"),
    ("authorities", "Authorities and regulators"),
    ("neighbours", "Neighbours and local community"),
    ("certification", "Certification body"),
    ("finance", "Banks and insurers"),
    ("associations", "Trade associations and unions"),
    ("other", "Other"),
]


class KamInterestedParty(models.Model):
    """An interested party (ISO 9001 / 14001 / 45001 4.2) with its needs and
    expectations (``kam.interested.party.need``): which are relevant, and which
    become compliance obligations (a ``kam.requirement``). Reviewed every so
    often."""

    _name = "kam.interested.party"
    _description = "Interested party"
    _inherit = ["kam.review.mixin", "kam.system.text.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "kind, category, name, id"
    _check_company_auto = True
    _kam_duty_reminder_activity = "kam_management.mail_activity_kam_party_review"

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Contact", help="The organisation or person, if there is one."
    )
    kind = fields.Selection(
        [("external", "External"), ("internal", "Internal")],
        required=True,
        default="external",
        tracking=True,
    )
    category = fields.Selection(PARTY_CATEGORIES, required=True, default="other", tracking=True)
    relevance = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        string="Influence",
        default="medium",
        tracking=True,
        help="How much the party's needs affect the management system and its results.",
    )
    need_ids = fields.One2many(
        "kam.interested.party.need", "party_id", string="Needs and expectations", copy=True
    )
    need_count = fields.Integer(string="Number of needs", compute="_compute_need_counts")
    obligation_count = fields.Integer(
        string="Compliance obligations", compute="_compute_need_counts"
    )
    issue_ids = fields.Many2many(
        "kam.context.issue",
        "kam_context_issue_party_rel",
        "party_id",
        "issue_id",
        string="Context issues",
        check_company=True,
    )
    description = fields.Html(string="Notes")
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
        return self.env._("Interested party created")

    def _compute_need_counts(self):
        groups = self.env["kam.interested.party.need"]._read_group(
            [("party_id", "in", self.ids)], ["party_id", "is_obligation"], ["__count"]
        )
        needs, obligations = {}, {}
        for party, is_obligation, count in groups:
            needs[party] = needs.get(party, 0) + count
            if is_obligation:
                obligations[party] = obligations.get(party, 0) + count
        for party in self:
            party.need_count = needs.get(party, 0)
            party.obligation_count = obligations.get(party, 0)

    def _kam_review_refused(self):
        return self.env._("Only KAM officers can record the review of an interested party.")

    def _kam_review_summary(self):
        return self.env._("Review the interested party and its needs")
