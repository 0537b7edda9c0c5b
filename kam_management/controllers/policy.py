import base64

from odoo import http
from odoo.http import content_disposition, request


class KamPolicyPage(http.Controller):
    """The KAM policy for interested parties (ISO 9001 5.2.2 c, ISO 14001 5.2,
    ISO 45001 5.2): a public page per company, in the company's language, with
    the policies in force that are published on the portal for everyone. Nothing
    else is read; a company without a published policy answers 404."""

    def _company_policies(self, company_id):
        company = request.env["res.company"].sudo().browse(company_id).exists()
        if not company:
            return company, request.env["kam.document"]
        lang = company.partner_id.lang
        if lang and request.env["res.lang"]._get_data(code=lang):
            request.update_context(lang=lang)
        return company, request.env["kam.document"]._kam_public_policies(company)

    @http.route(
        "/kam/policy/<int:company_id>", type="http", auth="public", methods=["GET"], sitemap=False
    )
    def kam_policy(self, company_id, **kw):
        company, policies = self._company_policies(company_id)
        if not policies:
            raise request.not_found()
        return request.render(
            "kam_management.kam_policy_page", {"company": company, "policies": policies}
        )

    @http.route(
        "/kam/policy/<int:company_id>/<int:document_id>/file",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def kam_policy_file(self, company_id, document_id, **kw):
        _company, policies = self._company_policies(company_id)
        policy = policies.filtered(lambda p: p.id == document_id)
        version = policy.current_version_id
        if not version or version.content_type != "file" or not version.file:
            raise request.not_found()
        return request.make_response(
            base64.b64decode(version.file),
            headers=[
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", content_disposition(version.file_name or "policy.pdf")),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
