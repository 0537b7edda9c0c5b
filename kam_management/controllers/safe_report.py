from urllib.parse import urlencode

import pytz

from odoo import http
from odoo.http import request
from odoo.tools import consteq

from ..tools import input_rules
from ..tools.core_shortcuts import hide_client_address

RULES = input_rules.SAFE_REPORT
# the page promises that no IP address is kept: not even in the access log
hide_client_address("/kam/report/")


class KamSafeReport(http.Controller):
    """Veilig melden: the public page of a company where anyone reports an
    incident without logging in, optionally anonymously (ISO 45001 5.4).

    The address holds the company id and a secret token (KAM settings). Input
    goes through the shared public-form toolkit: HTML stripped, size limits,
    CSRF (Odoo's own check on POST), rate limiting on salted hashes; nothing is
    saved unless everything is valid. An anonymous report stores no name,
    e-mail or IP address and no chatter author (see kam.case._kam_create_safe_report)."""

    def _company(self, company_id, token):
        company_id = input_rules.record_id(company_id)
        company = company_id and request.env["res.company"].sudo().browse(company_id).exists()
        if not company or not company.kam_report_token or not token:
            return None
        if not consteq(company.kam_report_token, token):
            return None
        return company

    def _render_form(self, company, token, errors=None, form=None, status=200):
        values = {
            "company": company,
            "action_url": f"/kam/report/{company.id}/{token}",
            "kinds": [
                (key, label)
                for key, label in request.env["kam.case"]
                ._fields["incident_kind"]
                ._description_selection(request.env)
            ],
            "errors": errors or {},
            "form": form or {},
            "limits": RULES.limits(),
        }
        return request.render("kam_management.safe_report_page", values, status=status)

    @http.route(
        "/kam/report/<int:company_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def kam_safe_report(self, company_id, token, **post):
        company = self._company(company_id, token)
        if not company:
            raise request.not_found()
        if request.httprequest.method != "POST":
            return self._render_form(company, token)
        env = request.env
        anonymous = post.get("anonymous") == "1"
        data = RULES.data(post, request.httprequest.files)
        if anonymous:
            # an anonymous report keeps no name or e-mail address: not even read
            data.update(name="", email="")
        values, errors = input_rules.validate(env, RULES, data)
        email = values["email"]
        # every attempt counts, valid or not (a flood of bad posts is a flood too)
        allowed = (
            env["kam.public.submission"]
            .sudo()
            ._register_attempt(RULES.name, ip=request.httprequest.remote_addr, email=email or None)
        )
        if not allowed or errors:
            form = RULES.redisplay(post)
            form["anonymous"] = "1" if anonymous else "0"
            if anonymous:
                form.update(name="", email="")
            if not allowed:
                errors = {
                    "form": env._(
                        "Too many reports were sent from here in a short time. Please try again "
                        "in an hour, or tell your supervisor or the KAM coordinator."
                    )
                }
            status = 429 if not allowed else 400
            return self._render_form(company, token, errors=errors, form=form, status=status)
        moment = values["when"]
        if moment:
            # the browser sends local time: store it in UTC (the company's time zone)
            moment = self._to_utc(moment, company)
        case = env["kam.case"]._kam_create_safe_report(
            {
                "title": values["title"],
                "description": values["description"],
                "location": values["location"],
                "incident_kind": values["incident_kind"],
                "incident_datetime": moment,
                "company_id": company.id,
                "reporter_name": values["name"],
                "reporter_email": email,
            },
            anonymous=anonymous,
        )
        input_rules.save_uploads(case, values["attachments"], anonymous=anonymous)
        return request.render(
            "kam_management.safe_report_thanks",
            {
                "company": company,
                "anonymous": anonymous,
                "reference": case.sudo().name,
                "action_url": f"/kam/report/{company.id}/{token}",
            },
        )

    def _to_utc(self, moment, company):
        tz_name = company.partner_id.tz or request.env.context.get("tz") or "Europe/Amsterdam"
        try:
            local = pytz.timezone(tz_name).localize(moment)
        except pytz.UnknownTimeZoneError:
            return moment
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @http.route(
        "/kam/report/<int:company_id>/<string:token>/poster",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def kam_safe_report_poster(self, company_id, token):
        """A printable page with the QR code of the report page."""
        company = self._company(company_id, token)
        if not company:
            raise request.not_found()
        report_url = company._kam_report_url()
        query = urlencode({"barcode_type": "QR", "value": report_url, "width": 320, "height": 320})
        return request.render(
            "kam_management.safe_report_poster",
            {"company": company, "report_url": report_url, "qr_src": f"/report/barcode/?{query}"},
        )
