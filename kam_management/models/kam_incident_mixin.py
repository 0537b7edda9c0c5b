from odoo import api, fields, models

from ..tools.access import KAM_USER, check_groups


class KamIncidentMixin(models.AbstractModel):
    """Incident count and "Incidents" smart button for the HR records incidents
    are about (employee, department)."""

    _name = "kam.incident.mixin"
    _description = "KAM incidents of an HR record"

    kam_incident_count = fields.Integer(
        string="Incidents",
        compute="_compute_kam_incident_count",
        groups="kam_management.group_kam_user",
    )

    def _kam_incident_field(self):
        """The field of kam.case that points at this model."""
        raise NotImplementedError

    def _kam_incident_defaults(self):
        """Default values of an incident registered from this record."""
        self.ensure_one()
        return {self._kam_incident_field(): self.id}

    @api.depends_context("uid")
    def _compute_kam_incident_count(self):
        """Incidents as far as the user may see them: one grouped count for all records."""
        field = self._kam_incident_field()
        counts = dict(
            self.env["kam.case"]._read_group(
                [("case_type", "=", "incident"), (field, "in", self.ids)], [field], ["__count"]
            )
        )
        for record in self:
            record.kam_incident_count = counts.get(record, 0)

    @api.readonly
    def action_kam_view_incidents(self):
        check_groups(self, KAM_USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_case_action_incident"
        )
        action["domain"] = [
            ("case_type", "=", "incident"),
            (self._kam_incident_field(), "in", self.ids),
        ]
        action["context"] = {
            "default_case_type": "incident",
            **{f"default_{key}": value for key, value in self._kam_incident_defaults().items()},
        }
        return action
