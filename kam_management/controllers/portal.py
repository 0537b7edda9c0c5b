import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools.mail import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 5000
ATTACHMENT_MAX_SIZE = 5 * 1024 * 1024  # 5 MB
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
    def portal_my_complaint(self, case_id, access_token=None, **kw):
        try:
            case_sudo = self._kam_complaint_check_access(case_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
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
                "title_max_length": TITLE_MAX_LENGTH,
                "description_max_length": DESCRIPTION_MAX_LENGTH,
                "error": False,
                "form": {},
            }
        )
        layout.update(values)
        return layout

    def _kam_validate_complaint(self, post):
        """(values to create, attachment (name, data) or None, error message)."""
        env = request.env
        title = (post.get("title") or "").strip()
        description = (post.get("description") or "").strip()
        if not title:
            return None, None, env._("Please give your complaint a title.")
        if len(title) > TITLE_MAX_LENGTH:
            return (
                None,
                None,
                env._("The title can be at most %(max)s characters long.", max=TITLE_MAX_LENGTH),
            )
        if not description:
            return None, None, env._("Please describe your complaint.")
        if len(description) > DESCRIPTION_MAX_LENGTH:
            return (
                None,
                None,
                env._(
                    "The description can be at most %(max)s characters long.",
                    max=DESCRIPTION_MAX_LENGTH,
                ),
            )
        order = request.env["sale.order"]
        order_ref = (post.get("sale_order_id") or "").strip()
        if order_ref:
            order = self._kam_portal_orders().filtered(
                lambda o: order_ref.isdigit() and o.id == int(order_ref)
            )
            if not order:
                return None, None, env._("The selected order is not one of your confirmed orders.")
        attachment = None
        upload = post.get("attachment")
        if upload and getattr(upload, "filename", None):
            data = upload.read(ATTACHMENT_MAX_SIZE + 1)
            if len(data) > ATTACHMENT_MAX_SIZE:
                return None, None, env._("The attachment can be at most 5 MB.")
            if data:
                attachment = (upload.filename, data, upload.mimetype)
        user_partner = request.env.user.partner_id
        vals = {
            "case_type": "complaint",
            "channel": "portal",
            "source": "customer",
            "title": title,
            "description": plaintext2html(description),
            "partner_id": user_partner.commercial_partner_id.id,
            "contact_id": user_partner.id,
        }
        vals.update(request.env["kam.case"].sudo()._order_link_values(order))
        return vals, attachment, None

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
        vals, attachment, error = self._kam_validate_complaint(post)
        if error:
            form = {key: post.get(key) or "" for key in ("title", "description", "sale_order_id")}
            return request.render(
                "kam_management.portal_new_complaint",
                self._kam_complaint_form_values(error=error, form=form),
            )
        case_sudo = request.env["kam.case"].sudo().create(vals)
        if attachment:
            name, data, mimetype = attachment
            attachment_sudo = (
                request.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": name,
                        "datas": base64.b64encode(data),
                        "mimetype": mimetype,
                        "res_model": "kam.case",
                        "res_id": case_sudo.id,
                    }
                )
            )
            # shown in the portal chatter, next to the complaint
            case_sudo.message_post(
                body=request.env._("Attachment sent with the complaint."),
                attachment_ids=attachment_sudo.ids,
                author_id=request.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(case_sudo.access_url)
