import datetime

from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.review_inputs import Contribution, Figure, Table

_lt = LazyTranslate(__name__)


class KamRoleAssignment(models.Model):
    """KAM roles in the management review: d) the adequacy of resources (the
    employees, the required roles filled with a valid certificate, certificates
    that expire)."""

    _name = "kam.role.assignment"
    _inherit = ["kam.role.assignment", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        company = review.company_id
        current = periods[0]
        roles = self.env["kam.role"].sudo().search([("company_id", "in", [company.id, False])])
        assignments = self.sudo().search(
            [("company_id", "=", company.id), ("role_id", "in", roles.ids)]
        )
        end = current.end
        year_later = end + datetime.timedelta(days=365)

        def valid(assignment, day):
            return not assignment.expiry_date or assignment.expiry_date >= day

        unfilled = self.env["kam.role"].sudo()._unfilled_required(company)
        expiring = assignments.filtered(
            lambda a: a.expiry_date and end <= a.expiry_date <= year_later
        )
        employees = self.env["hr.employee"].sudo().search_count([("company_id", "=", company.id)])
        figures = [
            Figure("employees", _lt("Employees"), employees, None, unit="count"),
            Figure(
                "unfilled",
                _lt("Required KAM roles without a valid holder"),
                len(unfilled),
                None,
                better="lower",
            ),
            Figure(
                "expired",
                _lt("Role certificates expired at the end of the period"),
                len(assignments.filtered(lambda a: not valid(a, end))),
                None,
                better="lower",
            ),
            Figure(
                "expiring",
                _lt("Role certificates expiring within a year after the period"),
                len(expiring),
                None,
            ),
        ]
        rows = []
        for role in roles:
            held = assignments.filtered(lambda a, role=role: a.role_id == role)
            rows.append(
                [
                    role.name,
                    len(held),
                    len(held.filtered(lambda a: valid(a, end))),
                    self.env._("yes") if role.required else "",
                ]
            )
        table = Table(
            "roles",
            _lt("KAM roles"),
            [_lt("Role"), _lt("Holders"), _lt("With a valid certificate"), _lt("Required")],
            rows,
            limit=20,
        )
        return [Contribution("resources", figures=figures, tables=[table] if rows else [])]
