import json

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# a list view's filter is small; a larger or deeper one is not a filter but an attack
DOMAIN_MAX_LENGTH = 20000
DOMAIN_MAX_DEPTH = 20
DOMAIN_MAX_ITEMS = 1000


def _domain_shape(value, depth=0):
    """(deepest nesting, number of lists and values) of the parsed JSON ``value``;
    stops counting once past the limits."""
    if not isinstance(value, list) or depth > DOMAIN_MAX_DEPTH:
        return depth, 1
    deepest, items = depth, 1
    for item in value:
        item_depth, item_items = _domain_shape(item, depth + 1)
        deepest, items = max(deepest, item_depth), items + item_items
        if deepest > DOMAIN_MAX_DEPTH or items > DOMAIN_MAX_ITEMS:
            break
    return deepest, items


class KamXlsxController(http.Controller):
    def _error(self, message, status):
        return request.make_response(
            message, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
        )

    @http.route(
        "/kam/xlsx/<string:register>", type="http", auth="user", methods=["GET"], readonly=True
    )
    def kam_xlsx_export(self, register, domain=None, model=None, **kwargs):
        """The register as an Excel file, with the filters of the list view.

        The register is found by name among the registers of the models that
        inherit ``kam.register.mixin``. ``domain``: JSON domain of the list view;
        ``model``: the list view's model (optional; a check that the domain is
        meant for this register)."""
        env = request.env
        model_name = env["kam.register.mixin"]._kam_register_model(register)
        if not model_name:
            return self._error(env._("There is no register %(register)s.", register=register), 404)
        if model and model != model_name:
            # the context key may be inherited by an action opened from a button
            return self._error(
                env._(
                    "The register %(register)s cannot export the records of this list.",
                    register=register,
                ),
                400,
            )
        filters = []
        if domain:
            filters = None
            if isinstance(domain, str) and len(domain) <= DOMAIN_MAX_LENGTH:
                try:
                    filters = json.loads(domain)
                except (ValueError, RecursionError):
                    filters = None
            if not isinstance(filters, list):
                return self._error(
                    env._("The filter of the export must be a JSON list (a domain)."), 400
                )
            depth, items = _domain_shape(filters)
            if depth > DOMAIN_MAX_DEPTH or items > DOMAIN_MAX_ITEMS:
                return self._error(env._("The filter of the export is too large."), 400)
        try:
            filename, content = env[model_name]._kam_register_export(register, filters)
        except AccessError as error:
            return self._error(str(error), 403)
        except UserError as error:
            return self._error(str(error), 400)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
