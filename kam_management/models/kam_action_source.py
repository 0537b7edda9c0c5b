from odoo import api, fields, models

from ..tools.actions import action_counts


def source_field(comodel, string=None, tracking=True, **kwargs):
    """The many2one on ``kam.action`` that points at an adopter (its
    ``_kam_action_field``), declared in the adopter's own file: indexed where
    set, deleted with its source, of the same company, tracked (unless
    ``tracking=False``)."""
    if string is not None:
        kwargs["string"] = string
    if tracking:
        kwargs["tracking"] = tracking
    return fields.Many2one(
        comodel, index="btree_not_null", ondelete="cascade", check_company=True, **kwargs
    )


class KamActionSource(models.AbstractModel):
    """Makes a model a source of ``kam.action`` records (a case, a hazard of the
    RI&E; later an audit, a review, an objective...).

    To adopt it, a model inherits this mixin, sets ``_kam_action_field`` to the
    name of a stored many2one on ``kam.action`` that points back at it, and
    declares that many2one in its own file (``class KamAction: _inherit =
    "kam.action"`` with ``x_id = source_field(model, string)``). It then gets
    the action counts, the smart button, the defaults of a new action (its
    company) and ``_kam_new_action()``; ``kam.action`` finds its sources
    through the registry, so nothing central is edited. Hooks let the source
    say how early a deadline may be, who gets escalations and what happens when
    one of its actions proves not effective."""

    _name = "kam.action.source"
    _description = "KAM source of actions"

    # the many2one on kam.action that points at this model (set by the adopter)
    _kam_action_field = None
    # the window action that lists this source's actions (an XML id)
    _kam_action_window = "kam_management.kam_action_action"

    action_count = fields.Integer(string="Number of actions", compute="_compute_action_counts")
    open_action_count = fields.Integer(string="Open actions", compute="_compute_action_counts")

    def _compute_action_counts(self):
        total, open_ = action_counts(self.env, self._kam_action_field, self)
        for record in self:
            record.action_count = total.get(record, 0)
            record.open_action_count = open_.get(record, 0)

    @api.model
    def _kam_open_action_counts(self, records):
        """{id: open actions} of ``records`` (a chunk of an Excel register,
        ``xlsx.integer("open_action_count", values=...)``): the same grouped
        query as ``open_action_count``, without computing the field record by
        record."""
        _total, open_ = action_counts(self.env, self._kam_action_field, records)
        return {record.id: open_.get(record, 0) for record in records}

    # ------------------------------------------------------------------ hooks
    def _kam_action_defaults(self):
        """Default values of a new action of this source (one record)."""
        self.ensure_one()
        values = {self._kam_action_field: self.id}
        if "company_id" in self._fields and self.company_id:
            values["company_id"] = self.company_id.id
        return values

    # the fields _kam_action_min_deadline() reads: read with the company when an
    # action is created (_kam_action_company_of), not as a whole row afterwards
    _kam_action_min_deadline_fields = ()

    def _kam_action_min_deadline(self):
        """The earliest deadline an action of this source may have (or False)."""
        self.ensure_one()
        return False

    def _kam_action_escalation_user(self):
        """Who gets an overdue action of this source escalated (or an empty recordset)."""
        self.ensure_one()
        return self.user_id if "user_id" in self._fields else self.env["res.users"]

    def _kam_actions_not_effective(self, actions):
        """Some of this source's actions were judged not effective."""

    # ------------------------------------------------------------------ buttons
    @api.readonly
    def action_view_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(self._kam_action_window)
        action["domain"] = [(self._kam_action_field, "=", self.id)]
        action["context"] = dict(
            {f"default_{key}": value for key, value in self._kam_action_defaults().items()},
            **self._kam_action_view_context(),
        )
        return action

    def _kam_new_action(self, **defaults):
        """The form of a new action of this source (one record): its defaults
        (``_kam_action_defaults``), then ``defaults`` (field: value)."""
        values = dict(self._kam_action_defaults(), **defaults)
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {f"default_{key}": value for key, value in values.items()},
        }

    def _kam_action_view_context(self):
        """Extra context of the list of this source's actions (register, defaults)."""
        return {"kam_xlsx_register": "action"}

    @api.model
    def _kam_action_company_of(self, ids):
        """{id: company id} of some records of this source (one read, as superuser)."""
        if "company_id" not in self._fields:
            return {}
        records = self.sudo().browse(ids)
        # only the columns a new action takes from its source (its company, the
        # source's fields that kam.action relates to), not the whole row
        Action = self.env["kam.action"]
        related = {
            field.related.split(".")[1]
            for field in Action._fields.values()
            if field.related
            and field.related.count(".") == 1
            and Action._fields[field.related.split(".")[0]].comodel_name == self._name
        }
        related.update(self._kam_action_min_deadline_fields)
        records.fetch(["company_id", *sorted(related & set(self._fields))])
        return {record.id: record.company_id.id for record in records}
