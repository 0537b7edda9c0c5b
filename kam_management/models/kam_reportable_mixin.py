from odoo import models
from odoo.tools import clean_context

from ..tools.access import KAM_USER, check_groups


class KamReportableMixin(models.AbstractModel):
    """A document a case can be reported from (*Action → Report a case*): a sale
    order, a purchase order, a receipt or delivery, an employee, a product.

    A model opts in by inheriting this mixin (and binding the server action
    "Report a case" to its form); ``_kam_case_defaults()`` says how a case about
    the document is prefilled (partner, source, department...), extended with
    ``super()``. The case points back at the document (``res_model``/``res_id``)."""

    _name = "kam.reportable.mixin"
    _description = "KAM: a document cases can be reported from"

    def _kam_case_defaults(self):
        """The values of a new case about this document."""
        self.ensure_one()
        values = {
            "res_model": self._name,
            "res_id": self.id,
            "title": self.env._("About %(document)s", document=self.display_name),
        }
        if "company_id" in self._fields and self.company_id:
            values["company_id"] = self.company_id.id
        return values

    def action_kam_report_case(self):
        """Window action: a new case form prefilled from the first document."""
        check_groups(self, KAM_USER)
        context = {
            key: value
            for key, value in clean_context(self.env.context).items()
            if key not in ("active_id", "active_ids", "active_model")
        }
        if self:
            defaults = self[:1]._kam_case_defaults()
            context.update({f"default_{key}": value for key, value in defaults.items()})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report a case"),
            "res_model": "kam.case",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }
