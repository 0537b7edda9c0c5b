from odoo import http
from odoo.http import request
from odoo.tools.mail import plaintext2html

from ..tools import input_rules

RULES = input_rules.PUBLIC_COMPLAINT


class KamPublicComplaint(http.Controller):
    """The login-free complaint form (``/kam/complaint``).

    Anyone may file a complaint without an account. The input rules: CSRF
    token, server-side validation with limits on text and files, HTML stripped,
    at most N attempts per hour per IP and per e-mail address. A rejected
    form is shown again with the message and the input; nothing is saved."""

    def _kam_company(self, company_id):
        """The company of ``company_id`` (a request parameter: anything may come
        in), else the website's."""
        company = request.env["res.company"].sudo()
        company_id = input_rules.record_id(company_id)
        if company_id:
            company = company.browse(company_id).exists()
        return company or request.env.company.sudo()

    def _kam_render(self, company, form=None, errors=None, status=200):
        values = {
            "company": company,
            "form": form or {},
            "errors": errors or {},
            "limits": RULES.limits(),
        }
        return request.render("kam_management.public_complaint_form", values, status=status)

    def _kam_contact(self, values):
        """The contact with this e-mail address, or a new one."""
        Partner = request.env["res.partner"].sudo()
        contact = Partner.search(
            [("email_normalized", "=", values["email"])], order="parent_id, id", limit=1
        )
        if not contact:
            contact = Partner.create(
                {
                    "name": values["name"],
                    "email": values["email"],
                    "phone": values["phone"] or False,
                    "company_name": values["company_name"] or False,
                    "lang": request.env.lang,
                }
            )
        return contact

    def _kam_case_values(self, company, values, contact):
        description = values["description"]
        order = request.env["sale.order"]
        if values["order_reference"]:
            order = (
                request.env["sale.order"]
                .sudo()
                .search(
                    [
                        ("name", "=ilike", values["order_reference"]),
                        ("partner_id", "child_of", contact.commercial_partner_id.id),
                    ],
                    limit=1,
                )
            )
            if not order:
                # kept for the officer, never linked to someone else's order
                description += "\n\n" + request.env._(
                    "Order reference given: %(reference)s", reference=values["order_reference"]
                )
        if values["phone"] and values["phone"] != contact.phone:
            description += "\n" + request.env._("Phone: %(phone)s", phone=values["phone"])
        vals = {
            "case_type": "complaint",
            "channel": "web",
            "source": "customer",
            "company_id": company.id,
            "title": values["title"],
            "description": plaintext2html(description),
            "partner_id": contact.commercial_partner_id.id,
            "contact_id": contact.id,
        }
        vals.update(request.env["kam.case"].sudo()._order_link_values(order))
        return vals

    @http.route(
        "/kam/complaint", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def public_complaint_form(self, company=None, **kw):
        return self._kam_render(self._kam_company(company))

    @http.route(
        "/kam/complaint", type="http", auth="public", methods=["POST"], website=True, sitemap=False
    )
    def public_complaint_submit(self, company=None, **post):
        env = request.env
        company = self._kam_company(company)
        form = RULES.redisplay(post)
        if post.get("website_url"):
            # the honeypot field is hidden from people: a robot filled it in
            return request.render("kam_management.public_complaint_thanks", {"complaint": False})
        values, errors = input_rules.validate(
            env, RULES, RULES.data(post, request.httprequest.files)
        )
        files = values["attachments"]
        allowed = (
            env["kam.public.submission"]
            .sudo()
            ._register_attempt(
                RULES.name, ip=request.httprequest.remote_addr, email=values["email"] or None
            )
        )
        if not allowed:
            errors = {
                "form": env._(
                    "We received too many submissions from you in a short time. "
                    "Please try again in an hour, or call or e-mail us."
                )
            }
            return self._kam_render(company, form, errors, status=429)
        if errors:
            return self._kam_render(company, form, errors, status=400)
        contact = self._kam_contact(values)
        case = env["kam.case"].sudo().create(self._kam_case_values(company, values, contact))
        if files:
            attachments = input_rules.save_uploads(case, files)
            case.message_post(
                body=env._("Attachments sent with the complaint."),
                attachment_ids=attachments.ids,
                author_id=contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return request.render("kam_management.public_complaint_thanks", {"complaint": case})
