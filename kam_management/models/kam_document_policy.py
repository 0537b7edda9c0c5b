from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import grouped_by_period, share, total
from ..tools.review_inputs import Contribution, Figure

_lt = LazyTranslate(__name__)


class KamDocument(models.Model):
    """The KAM policy (ISO 9001 5.2, ISO 14001 5.2, ISO 45001 5.2) is a controlled
    document of type *policy*: approved by KAM managers only (the document's
    approval rule for policies and manuals), published to every employee of the
    company with read acknowledgement (a new policy applies to the whole company
    and asks to be acknowledged unless the form says otherwise), and shown to
    interested parties on the portal and on the public policy page
    (``/kam/policy/<company>``) when it is published on the portal. In the
    management review it reports how far the policy has been read."""

    _name = "kam.document"
    _inherit = ["kam.document", "kam.review.input.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("doc_type") == "policy" and not (
                vals.get("department_ids") or vals.get("job_ids")
            ):
                vals.setdefault("applies_to_all", True)
        return super().create(vals_list)

    @api.model
    def _kam_public_policies(self, company):
        """The policies of ``company`` in force that interested parties may read:
        published on the portal for everyone (no chosen companies)."""
        return self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("doc_type", "=", "policy"),
                ("state", "=", "effective"),
                ("portal_published", "=", True),
                ("portal_partner_ids", "=", False),
            ],
            order="code, id",
        )

    @api.model
    def _kam_review_inputs(self, review, periods):
        """Leadership and culture: the policy in force and how far it has been read."""
        company = review.company_id
        policies = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("doc_type", "=", "policy"),
                ("state", "=", "effective"),
            ]
        )
        required = sum(policies.mapped("ack_required_count"))
        done = sum(policies.mapped("ack_done_count"))
        released = grouped_by_period(
            self.env["kam.document.version"].sudo(),
            [("company_id", "=", company.id), ("doc_type", "=", "policy")],
            "effective_date",
            list(periods),
            ["__count"],
        )
        figures = [
            Figure("policies", _lt("Policies in force"), len(policies), None),
            Figure(
                "policy_versions",
                _lt("New versions of the policy"),
                total(released, 0),
                total(released, 1),
            ),
            Figure(
                "policy_read",
                _lt("Employees who read and acknowledged the policy"),
                share(done, required),
                None,
                unit="percent",
                better="higher",
            ),
        ]
        return [Contribution("participation", figures=figures, sequence=30)]
