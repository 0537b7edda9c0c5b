import base64

from odoo import http
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class KamDocumentPortal(CustomerPortal):
    """Controlled documents on the portal (My documents): portal contacts read
    the effective version of the documents published for them (all portal
    contacts, or those of chosen companies), nothing else.

    Portal users have no rights on ``kam.*`` models: the documents are read
    with ``sudo()`` within the domain below, checked before anything is read;
    anything else answers 404."""

    def _kam_document_domain(self):
        user = request.env.user
        commercial = user.partner_id.commercial_partner_id
        return [
            ("portal_published", "=", True),
            ("state", "=", "effective"),
            ("company_id", "in", user.company_ids.ids),
            "|",
            ("portal_partner_ids", "=", False),
            ("portal_partner_ids", "in", commercial.ids),
        ]

    def _kam_document_check_access(self, document_id):
        """The published document ``document_id`` (sudoed) if the user may read it,
        else an empty recordset."""
        if request.env.user._is_public():
            return request.env["kam.document"]
        return (
            request.env["kam.document"]
            .sudo()
            .search([("id", "=", document_id), *self._kam_document_domain()], limit=1)
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kam_document_count" in counters:
            values["kam_document_count"] = (
                request.env["kam.document"].sudo().search_count(self._kam_document_domain())
                if not request.env.user._is_public()
                else 0
            )
        return values

    @http.route(
        ["/my/documents", "/my/documents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_documents(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        Document = request.env["kam.document"].sudo()
        domain = self._kam_document_domain()
        pager = portal_pager(
            url="/my/documents",
            total=Document.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        documents = Document.search(
            domain, order="code, id", limit=self._items_per_page, offset=pager["offset"]
        )
        values.update(
            {
                "documents": documents,
                "page_name": "kam_document",
                "pager": pager,
                "default_url": "/my/documents",
            }
        )
        return request.render("kam_management.portal_my_documents", values)

    @http.route(
        ["/my/documents/<int:document_id>"], type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_my_document(self, document_id, **kw):
        document = self._kam_document_check_access(document_id)
        if not document:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "document": document,
                "version": document.current_version_id,
                "page_name": "kam_document",
            }
        )
        return request.render("kam_management.portal_my_document", values)

    @http.route(
        ["/my/documents/<int:document_id>/file"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_my_document_file(self, document_id, **kw):
        document = self._kam_document_check_access(document_id)
        version = document.current_version_id
        if not version or version.content_type != "file" or not version.file:
            raise request.not_found()
        content = base64.b64decode(version.file)
        name = version.file_name or f"{document.code}.bin"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", content_disposition(name)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
