from odoo import api, models

OFFICER = "kam_management.group_kam_officer"


class KamInvestigationMixin(models.AbstractModel):
    """A document that KAM officers investigate (the sale order of a complaint,
    the purchase order or receipt of a supplier case) without holding the
    rights of its own app.

    They read it (read-only access rights) in a KAM form that shows what matters
    for a case: parties, dates, state and lines with their quantities. The app's
    own form also shows invoices, journal items and stock details, which they
    may not read ("Failed to read field sale.order.line.invoice_lines"). Users
    of the app keep its own form. An adopter (an inherited Odoo model) declares
    the KAM form and the app group:

    ``_kam_investigation_view``: XML id of the read-only form;
    ``_kam_investigation_app_group``: XML id of the app's user group."""

    _name = "kam.investigation.mixin"
    _description = "KAM: documents officers investigate"

    _kam_investigation_view = None
    _kam_investigation_app_group = None

    @api.model
    def _kam_investigates(self):
        """Whether the user reads these documents as a KAM officer, not as a user
        of their app."""
        user = self.env.user
        return (
            not self.env.su
            and bool(self._kam_investigation_view)
            and not user.has_group(self._kam_investigation_app_group)
            and user.has_group(OFFICER)
        )

    @api.model
    def get_views(self, views, options=None):
        if self._kam_investigates():
            form = self.env.ref(self._kam_investigation_view).id
            views = [(form if kind == "form" else view_id, kind) for view_id, kind in views]
        return super().get_views(views, options)
