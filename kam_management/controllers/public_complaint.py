from odoo import http
from odoo.http import request
from odoo.tools.mail import plaintext2html

from ..tools import input_rules
from ..tools.languages import company_lang

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

    def _kam_contact(self, company, values):
        """``(contact, claimed)``: for an unknown e-mail address a new contact in
        the language of the page the customer filled in; for a known one no
        contact, and the existing contact as ``claimed``. A public submission
        never attaches itself to an existing customer: the owner of the address
        confirms it first (``kam.case._kam_request_claim``)."""
        Partner = request.env["res.partner"].sudo()
        existing = Partner.search(
            [("email_normalized", "=", values["email"])], order="parent_id, id", limit=1
        )
        if existing:
            return Partner, existing
        contact = (
            request.env["kam.case"]
            .sudo()
            ._kam_intake_contact(
                values["email"],
                name=values["name"],
                company=company,
                lang=request.env.lang,
                phone=values["phone"] or False,
                company_name=values["company_name"] or False,
            )
        )
        return contact, Partner

    def _kam_case_values(self, company, values, contact, claimed):
        Case = request.env["kam.case"].sudo()
        # notes for the officer in the company's language
        system = request.env(context=dict(request.env.context, lang=company_lang(company)))
        description = values["description"]
        if claimed:
            # linked (with the order, when it is theirs) once the contact confirms
            intake = {}
            if values["order_reference"]:
                description += "\n\n" + system._(
                    "Order reference given: %(reference)s", reference=values["order_reference"]
                )
            description += "\n" + system._(
                "Sent by %(name)s <%(email)s>: not confirmed yet by the contact with this "
                "e-mail address.",
                name=values["name"],
                email=values["email"],
            )
            if values["company_name"]:
                description += "\n" + system._(
                    "Company: %(company)s", company=values["company_name"]
                )
        else:
            # a new contact has no orders: a reference is only noted
            intake, note = Case._kam_intake_values(
                contact, [values["order_reference"]], company=company
            )
            if note:
                description += "\n\n" + note
        if values["phone"] and values["phone"] != contact.phone:
            description += "\n" + system._("Phone: %(phone)s", phone=values["phone"])
        vals = {
            "case_type": "complaint",
            "channel": "web",
            "source": "customer",
            "company_id": company.id,
            "title": values["title"],
            "description": plaintext2html(description),
        }
        vals.update(intake)
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
        contact, claimed = self._kam_contact(company, values)
        case = (
            env["kam.case"].sudo().create(self._kam_case_values(company, values, contact, claimed))
        )
        if claimed:
            case._kam_request_claim(claimed, values["order_reference"])
        if files:
            attachments = input_rules.save_uploads(case, files)
            case.message_post(
                body=case._kam_system_env()._("Attachments sent with the complaint."),
                attachment_ids=attachments.ids,
                author_id=contact.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return request.render("kam_management.public_complaint_thanks", {"complaint": case})

    @http.route(
        "/kam/complaint/confirm/<int:case_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        # no language prefix or canonical-address redirect: Odoo compares the
        # address decoded twice with the one it builds, so a token with a "%"
        # (e.g. %253C%25) was redirected to itself for ever (found by fuzzing)
        multilang=False,
        sitemap=False,
    )
    def public_complaint_confirm(self, case_id, token, **post):
        """The link mailed to a known address: GET shows the question (a mail
        scanner that follows links confirms nothing), POST confirms."""
        case = request.env["kam.case"].sudo().browse(case_id).exists()
        if not case or not case._kam_check_claim_token(token):
            raise request.not_found()
        confirmed = request.httprequest.method == "POST"
        if confirmed:
            case._kam_confirm_claim()
        return request.render(
            "kam_management.public_complaint_claim",
            {
                "complaint": case,
                "confirmed": confirmed,
                "action_url": f"/kam/complaint/confirm/{case.id}/{token}",
            },
        )
