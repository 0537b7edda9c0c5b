import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

# survey answer tokens are UUIDs
TOKEN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class KamSatisfaction(http.Controller):
    """The link in every satisfaction invitation to stop receiving them
    (``/kam/satisfaction/optout/<token>``): the page asks for confirmation, the
    confirmation (a POST with Odoo's CSRF token) marks the contact as opted out.
    The token (the answer's access token) is checked before anything is read; an
    unknown or malformed token is a 404."""

    def _kam_answer(self, token):
        if not TOKEN.match(token or ""):
            raise NotFound()
        answer = (
            request.env["survey.user_input"]
            .sudo()
            .search([("access_token", "=", token), ("kam_campaign_id", "!=", False)], limit=1)
        )
        if not answer or not answer.partner_id:
            raise NotFound()
        return answer

    @http.route(
        "/kam/satisfaction/optout/<string:token>",
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
    def kam_satisfaction_optout(self, token, **post):
        answer = self._kam_answer(token)
        partner = answer.partner_id
        values = {
            "token": token,
            "company": answer.kam_campaign_id.company_id,
            "done": partner.kam_survey_opt_out,
        }
        if request.httprequest.method == "POST" and not partner.kam_survey_opt_out:
            company = answer.kam_campaign_id.company_id
            lang_env = partner.with_context(lang=company.partner_id.lang or request.env.lang).env
            # once, also when the link is confirmed twice at the same moment
            partner._kam_survey_opt_out_once(
                lang_env._("Unsubscribed from customer satisfaction surveys (link in the e-mail).")
            )
            values["done"] = True
        return request.render("kam_management.satisfaction_optout_page", values)
