from odoo import fields, http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request
from odoo.tools import consteq

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KamEvidenceRoom(http.Controller):
    """The evidence room of one external audit: /kam/evidence/<room>/<token>.

    The token is checked (in constant time) before anything of the room is read
    or shown; a wrong token or an unknown room answers 404, a room that is not
    open (yet or any more) 403. Only the items of this room are served, each read
    as the officer who opened it and in the room's company only. Every request
    with the right token is logged, and so is every refused one of an existing
    room."""

    def _visitor(self):
        httprequest = request.httprequest
        return {
            "ip": httprequest.remote_addr,
            "agent": httprequest.headers.get("User-Agent", ""),
        }

    def _room(self, room_id, token, what):
        """(room as superuser, None) if the token is right and the room open; else
        (None, the 404 or 403 response). A refusal is logged on an existing room:
        the responses are returned, not raised, so the log is kept."""
        room = request.env["kam.audit.evidence.room"].sudo().browse(room_id).exists()
        if not room or not token or not room.token:
            return None, self._not_found()
        if not consteq(room.token, token):
            room._kam_log(what=f"refused (wrong token): {what}", ok=False, **self._visitor())
            return None, self._not_found()
        # the page speaks the language of the company that opened the room
        lang = room.company_id.partner_id.lang
        if lang and lang in dict(request.env["res.lang"].get_installed()):
            request.update_context(lang=lang)
            room = room.with_context(lang=lang)
        if not room._kam_is_open(fields.Datetime.now()):
            room._kam_log(what=f"refused (closed): {what}", ok=False, **self._visitor())
            return None, self._closed(room)
        return room, None

    def _not_found(self):
        return request.make_response(
            request.env._("Not found."),
            headers=[("Content-Type", "text/plain; charset=utf-8")],
            status=404,
        )

    def _closed(self, room):
        return request.render("kam_management.evidence_room_closed", {"room": room}, status=403)

    @http.route(
        "/kam/evidence/<int:room_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def kam_evidence_room(self, room_id, token, **kwargs):
        room, refused = self._room(room_id, token, "index")
        if refused:
            return refused
        room._kam_log(what="index", **self._visitor())
        audit = room.audit_id
        return request.render(
            "kam_management.evidence_room_page",
            {
                "room": room,
                "audit": audit,
                "items": room.item_ids.sorted(lambda i: (i.sequence, i.id)),
                "base": f"/kam/evidence/{room.id}/{token}",
            },
        )

    @http.route(
        "/kam/evidence/<int:room_id>/<string:token>/<int:item_id>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
    )
    def kam_evidence_item(self, room_id, token, item_id, **kwargs):
        room, refused = self._room(room_id, token, f"item {item_id}")
        if refused:
            return refused
        item = room.item_ids.filtered(lambda i: i.id == item_id)
        if not item:
            room._kam_log(
                what=f"refused (not in this room): item {item_id}", ok=False, **self._visitor()
            )
            return self._not_found()
        try:
            response = getattr(self, f"_serve_{item.kind}")(room, item, token)
        except (AccessError, UserError):
            room._kam_log(
                item=item,
                what=f"refused (no access): {item.display_name}",
                ok=False,
                **self._visitor(),
            )
            return request.make_response(
                request.env._("This item cannot be shown."),
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=403,
            )
        room._kam_log(item=item, what=item.display_name, **self._visitor())
        return response

    # ------------------------------------------------------------------ items
    def _download(self, content, filename, mimetype):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Disposition", content_disposition(filename)),
                ("X-Content-Type-Options", "nosniff"),
                ("Cache-Control", "no-store"),
            ],
        )

    def _serve_attachment(self, room, item, token):
        attachment = (
            request.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", item._name),
                    ("res_field", "=", "attachment"),
                    ("res_id", "=", item.id),
                ],
                limit=1,
            )
        )
        if not attachment:
            return self._not_found()
        name = item.attachment_name or attachment.name or "document"
        return self._download(
            attachment.raw, name, attachment.mimetype or "application/octet-stream"
        )

    def _serve_register(self, room, item, token):
        env = room._kam_reader()
        model_name = env["kam.register.mixin"]._kam_register_model(item.register)
        if not model_name:
            return self._not_found()
        Model = env[model_name]
        domain = []
        if "company_id" in Model._fields:
            domain = [("company_id", "=", room.company_id.id)]
        filename, content = Model._kam_register_export(item.register, domain)
        return self._download(content, filename, XLSX_MIMETYPE)

    def _serve_audit_report(self, room, item, token):
        env = room._kam_reader()
        audit = env["kam.audit"].browse(item.report_audit_id.id)
        if audit.sudo().company_id != room.company_id:
            raise AccessError(request.env._("Another company's audit."))
        audit.check_access("read")
        pdf, _type = env["ir.actions.report"]._render_qweb_pdf(
            "kam_management.action_report_kam_audit", audit.ids
        )
        return self._download(pdf, f"{audit.name.replace('/', '-')}.pdf", "application/pdf")

    def _serve_case_statistics(self, room, item, token):
        return request.render(
            "kam_management.evidence_room_statistics",
            {
                "room": room,
                "rows": room._kam_case_statistics(),
                "base": f"/kam/evidence/{room.id}/{token}",
            },
        )
