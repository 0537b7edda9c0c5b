from odoo import api, fields, models, tools
from odoo.exceptions import UserError

CASE_TYPES = [
    ("nonconformity", "Nonconformity"),
    ("complaint", "Complaint"),
    ("incident", "Incident"),
    ("improvement", "Improvement suggestion"),
]
# what a stage means for the workflow, whatever its name
STAGE_STATES = [
    ("new", "New"),
    ("progress", "In progress"),
    ("waiting", "Waiting"),
    ("closed", "Closed"),
]


class KamCaseStage(models.Model):
    """A stage of the case pipeline, shared by the case types that list it.

    Its ``state`` says what the stage means (new, in progress, waiting for
    someone, closed), so code moves cases by meaning (``type._stage("waiting")``)
    and never by the stage's XML id or name."""

    _name = "kam.case.stage"
    _description = "KAM case stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in kanban")
    state = fields.Selection(
        STAGE_STATES,
        string="Meaning",
        required=True,
        default="progress",
        help="What the stage means for the workflow. Cases in a closed stage are closed: "
        "their follow-up is complete.",
    )
    is_closed = fields.Boolean(
        string="Closing stage", compute="_compute_is_closed", store=True, index=True
    )
    type_ids = fields.Many2many(
        "kam.case.type",
        "kam_case_stage_type_rel",
        "stage_id",
        "type_id",
        string="Case types",
        help="The case types that use this stage.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        self.env.registry.clear_cache()  # kam.case.type._pipeline
        return stages

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.depends("state")
    def _compute_is_closed(self):
        for stage in self:
            stage.is_closed = stage.state == "closed"

    def write(self, vals):
        if "state" in vals:
            changed = self.filtered(lambda s: (s.state == "closed") != (vals["state"] == "closed"))
            if changed and self.env["kam.case"].with_context(active_test=False).search_count(
                [("stage_id", "in", changed.ids)], limit=1
            ):
                # closing happens case by case, by the closing rules, never wholesale
                raise UserError(
                    self.env._(
                        "Stage %(stage)s holds cases: move them to another stage before making it "
                        "a closing stage or an open one.",
                        stage=", ".join(changed.mapped("name")),
                    )
                )
        res = super().write(vals)
        self.env.registry.clear_cache()  # kam.case.type._pipeline
        return res

    @api.model
    @tools.ormcache()
    def _kam_closed_ids(self):
        """Ids of the closing stages (archived ones too), read once per registry
        (every change of a stage clears it): creating a case reads no stage."""
        return frozenset(
            self.sudo().with_context(active_test=False).search([("is_closed", "=", True)]).ids
        )

    def _for_type(self, case_type):
        """Stages of one case type (its code), in order: a filtered recordset."""
        return self.filtered(lambda s: case_type in s.type_ids.mapped("code"))
