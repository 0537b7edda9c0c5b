from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.mail import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..tools import input_rules

RULES = input_rules.PORTAL_COMPLAINT
HISTORY_KEY = "my_complaints_history"


class KamComplaintPortal(CustomerPortal):
    """Customer portal for complaints: the customer's complaints (list and
    detail with chatter) and a form to file a new one.

    Portal users have no access rights on ``kam.case``: everything is read and
    written with ``sudo()`` after checking that the complaint belongs to the
    user's commercial partner (or that a valid access token is given)."""

    # ------------------------------------------------------------------ helpers
    def _kam_commercial_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _kam_complaint_domain(self):
        """The complaints of the logged-in user's company (commercial partner)."""
        return [
            ("case_type", "=", "complaint"),
            ("partner_id", "child_of", self._kam_commercial_partner().id),
        ]

    def _kam_complaint_check_access(self, case_id, access_token=None):
        """The complaint ``case_id``, sudoed, if the current user may see it:
        it belongs to the user's commercial partner, or ``access_token`` is
        valid. Raises AccessError / MissingError otherwise; never returns a
        case that is not a complaint."""
        user = request.env.user
        cases_sudo = request.env["kam.case"].sudo()
        if not user._is_public():
            own = cases_sudo.search([("id", "=", case_id), *self._kam_complaint_domain()], limit=1)
            if own:
                return own
        case_sudo = self._document_check_access("kam.case", case_id, access_token=access_token)
        if case_sudo.case_type != "complaint":
            raise AccessError(request.env._("This document is not a complaint."))
        return case_sudo

    def _kam_portal_orders(self):
        """The confirmed sale orders of the user's commercial partner (sudoed)."""
        return (
            request.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self._kam_commercial_partner().id),
                    ("state", "=", "sale"),
                ],
                order="date_order desc, id desc",
            )
        )

    # ------------------------------------------------------------------ home
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            values["complaint_count"] = (
                request.env["kam.case"].sudo().search_count(self._kam_complaint_domain())
                if not request.env.user._is_public()
                else 0
            )
        return values

    # ------------------------------------------------------------------ list
    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_complaints(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        Case = request.env["kam.case"].sudo()
        domain = self._kam_complaint_domain()
        pager = portal_pager(
            url="/my/complaints",
            total=Case.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = Case.search(
            domain,
            order="date_received desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session[HISTORY_KEY] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints,
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
            }
        )
        return request.render("kam_management.portal_my_complaints", values)

    # ------------------------------------------------------------------ detail
    @http.route(
        ["/my/complaints/<int:case_id>"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_my_complaint(
        self, case_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            case_sudo = self._kam_complaint_check_access(case_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=case_sudo,
                report_type=report_type,
                report_ref="kam_management.action_report_kam_complaint",
                download=download,
            )
        values = self._prepare_portal_layout_values()
        values.update({"complaint": case_sudo, "page_name": "complaint"})
        values = self._get_page_view_values(
            case_sudo, access_token, values, HISTORY_KEY, False, **kw
        )
        if not access_token:
            # the owner came without token: the portal chatter still needs one
            values["token"] = case_sudo._portal_ensure_token()
        return request.render("kam_management.portal_my_complaint", values)

    # ------------------------------------------------------------------ new
    def _kam_complaint_form_values(self, **values):
        layout = self._prepare_portal_layout_values()
        layout.update(
            {
                "page_name": "complaint_new",
                "orders": self._kam_portal_orders(),
                "limits": RULES.limits(),
                "errors": {},
                "form": {},
            }
        )
        layout.update(values)
        return layout

    def _kam_validate_complaint(self, post):
        """(values to create, uploaded files, {field: error message}) under the
        shared input rules; the order must be one of the user's confirmed orders."""
        env = request.env
        orders = {str(order.id): order for order in self._kam_portal_orders()}
        values, errors = input_rules.validate(
            env,
            RULES,
            RULES.data(post, request.httprequest.files),
            choices={"sale_order_id": orders},
        )
        if errors:
            return None, [], errors
        user_partner = env.user.partner_id
        vals = {
            "case_type": "complaint",
            "channel": "portal",
            "source": "customer",
            "title": values["title"],
            "description": plaintext2html(values["description"]),
            "partner_id": user_partner.commercial_partner_id.id,
            "contact_id": user_partner.id,
        }
        order = values["sale_order_id"] or env["sale.order"]
        vals.update(env["kam.case"].sudo()._order_link_values(order))
        return vals, values["attachments"], {}

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_new_complaint(self, **post):
        if request.httprequest.method != "POST":
            return request.render(
                "kam_management.portal_new_complaint", self._kam_complaint_form_values()
            )
        vals, files, errors = self._kam_validate_complaint(post)
        if errors:
            return request.render(
                "kam_management.portal_new_complaint",
                self._kam_complaint_form_values(errors=errors, form=RULES.redisplay(post)),
                status=400,
            )
        env = request.env
        case_sudo = env["kam.case"].sudo().create(vals)
        if files:
            attachments_sudo = input_rules.save_uploads(case_sudo, files)
            # shown in the portal chatter, next to the complaint
            case_sudo.message_post(
                body=case_sudo._kam_system_env()._("Attachments sent with the complaint."),
                attachment_ids=attachments_sudo.ids,
                author_id=env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(case_sudo.access_url)
