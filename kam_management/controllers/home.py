from odoo import http
from odoo.http import request

from odoo.addons.auth_signup.controllers.main import AuthSignupHome


class KamHome(AuthSignupHome):
    """After signing in, the customer portal speaks the user's language.

    Before signing in the session follows the browser's preferred language, and
    the portal kept it afterwards (the session's language, then Odoo's
    ``frontend_lang`` cookie win over the user's own): a Dutch customer with an
    English browser got an English portal. Signing in now gives the session and
    the cookie the user's language; choosing another language on a page still
    overrides it."""

    @http.route()
    def web_login(self, *args, **kw):
        response = super().web_login(*args, **kw)
        uid = request.session.uid
        if uid and request.httprequest.method == "POST" and 300 <= response.status_code < 400:
            lang = request.env["res.users"].sudo().browse(uid).lang
            if lang in request.env["res.lang"]._get_frontend():
                # the session's language still is the browser's from before signing in
                request.session.context = dict(request.session.context or {}, lang=lang)
                response.set_cookie("frontend_lang", lang)
        return response
