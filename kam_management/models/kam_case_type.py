from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from .kam_case_stage import CASE_TYPES


class KamCaseType(models.Model):
    """A kind of case (nonconformity, complaint, incident, improvement
    suggestion) and how it is handled: its reference sequence, its stages, whether
    closing needs a root cause, its answer term and whether closing asks the
    customer. Shared by every company of the database, like the stages.

    ``kam.case.case_type`` holds the type's code; ``kam.case.type_id`` is derived
    from it."""

    _name = "kam.case.type"
    _description = "KAM case type"
    _order = "sequence, id"

    code = fields.Selection(CASE_TYPES, required=True, readonly=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Reference sequence",
        required=True,
        ondelete="restrict",
        help="Numbers the cases of this type (AFW/2026/0001...).",
    )
    prefix = fields.Char(
        related="sequence_id.prefix",
        readonly=False,
        string="Reference prefix",
        help="The fixed start of the references, e.g. AFW/%(range_year)s/ for AFW/2026/0001.",
    )
    stage_ids = fields.Many2many(
        "kam.case.stage",
        "kam_case_stage_type_rel",
        "type_id",
        "stage_id",
        string="Stages",
        help="The stages cases of this type go through; the first open stage is where they start.",
    )
    root_cause_required = fields.Boolean(
        string="Root cause required to close",
        default=True,
        help="A case of this type is closed only when the cause analysis marks a root cause, "
        "unless triage decided that no action is needed.",
    )
    answer_days = fields.Integer(
        string="Answer within (working days)",
        help="The expected answer date is the date received plus this many working days "
        "(0: no answer term).",
    )
    close_asks_customer = fields.Boolean(
        string="Closing asks the customer",
        help="A case of this type with a customer is closed only when the customer says they "
        "are satisfied (or did not answer in time).",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "There is already a case type with this code.")
    _answer_days_check = models.Constraint(
        "CHECK(answer_days >= 0)", "The answer term cannot be negative."
    )

    @api.model
    @tools.ormcache()
    def _pipeline(self):
        """{code: how cases of that type are handled}, read once per registry
        (types and stages rarely change; any change clears it), so creating a
        case reads no type or stage: the type's id, its sequence, its first open
        stage, its stages, its answer term."""
        types = self.sudo().with_context(active_test=False).search([])
        return {
            case_type.code: {
                "type_id": case_type.id,
                "sequence_id": case_type.sequence_id.id,
                "first_stage_id": case_type._first_open_stage().id,
                "stage_ids": frozenset(case_type.stage_ids.ids),
                "answer_days": case_type.answer_days,
            }
            for case_type in types
        }

    @api.model
    def _of(self, code):
        """The case type with this code (no query once the registry knows the types)."""
        return self.browse(self._pipeline().get(code, {}).get("type_id"))

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        self.env.registry.clear_cache()
        return types

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if (
            self.env["kam.case"]
            .with_context(active_test=False)
            .search_count([("case_type", "in", self.mapped("code"))], limit=1)
        ):
            raise UserError(
                self.env._("A case type that cases use cannot be deleted; archive it instead.")
            )

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def _stage(self, state, last=False):
        """The first (or last) active stage of this type with ``state``."""
        self.ensure_one()
        stages = self.stage_ids.filtered(lambda s: s.state == state and s.active).sorted()
        return stages[-1:] if last else stages[:1]

    def _first_open_stage(self):
        self.ensure_one()
        return self.stage_ids.filtered(lambda s: not s.is_closed and s.active).sorted()[:1]
