"""The field specification the Odoo 19 web client sends with ``web_search_read`` for the
first page of a list view, built from the view's arch as the web client builds it
(``web/static/src/model/relational_model/utils.js``: ``extractFieldsFromArchInfo``,
``addFieldDependencies``, ``getFieldsSpec``; ``views/fields/field.js``: ``parseFieldNode``).

One definition for the tests and the benchmark (``bench/bench_cases.py``,
``bench/bench_oca.py``): the spec follows the view, so a column added to the list is
measured and tested the day it is added.

What the web client does, and this module with it:

- every ``<field>`` of the list is fetched, including ``optional="hide"`` columns (the
  list's active fields do not depend on the optional columns shown); a node the user
  may not see (``groups``) is already gone from the arch ``get_views`` returns;
- a many2one gets ``{"fields": {"display_name": {}}}``, or ``{"fields": {}}`` when it is
  always invisible (``invisible``/``column_invisible`` = ``1``/``True``);
- an x2many gets ``{"fields": <the widget's related fields>}`` (``many2many_tags``:
  ``display_name`` and the ``color_field`` option; no widget or ``list_activity``: none);
- a widget's ``fieldDependencies`` are added as visible, read-only fields
  (``list_activity``: the six activity fields of ``mail.activity.mixin``);
- a relational field's context is sent when it is not empty (the node's literal
  ``context``, else the field's own).

Widgets not listed below add nothing, as most of the web client's widgets do; inline
sub-views of x2many columns are not supported (a list view of this addon has none).
"""

import ast

from lxml import etree

# fieldDependencies of the web client's widgets, as (name, type)
# mail/static/src/views/web/fields/list_activity/list_activity.js
_LIST_ACTIVITY = [
    ("activity_exception_decoration", "selection"),
    ("activity_exception_icon", "char"),
    ("activity_state", "selection"),
    ("activity_summary", "char"),
    ("activity_type_icon", "char"),
    ("activity_type_id", "many2one"),
]
WIDGET_DEPENDENCIES = {
    "list_activity": _LIST_ACTIVITY,
    # mail/static/src/views/web/fields/activity_exception/activity_exception.js
    "activity_exception": [("activity_exception_icon", "char")],
}


def _many2many_tags_related(options):
    # web/static/src/views/fields/many2many_tags/many2many_tags_field.js: relatedFields
    related = ["display_name"]
    if options.get("color_field"):
        related.append(options["color_field"])
    return related


WIDGET_RELATED = {
    "many2many_tags": _many2many_tags_related,
    "many2many_tags_avatar": lambda options: ["display_name"],
    "many2many_avatar_user": lambda options: ["display_name"],
}


def _always(expr):
    return (expr or "").strip() in ("1", "True")


def _literal(text, what):
    try:
        return ast.literal_eval(text) if text else {}
    except (ValueError, SyntaxError) as error:
        raise NotImplementedError(f"{what}: only a literal is supported, not {text!r}") from error


def list_spec(model, view_id=None):
    """The ``specification`` of ``web_search_read`` for the list view ``view_id`` (the
    model's default list view if None) of ``model``, as the web client asks it for the
    user of ``model.env``."""
    views = model.get_views([(view_id, "list")])
    arch = etree.fromstring(views["views"]["list"]["arch"])
    active = {}  # name -> {"invisible": bool, "node": element or None}

    def add(name, invisible, node=None):
        if name in active:
            # patchActiveFields: invisible AND invisible; a node keeps its widget
            active[name]["invisible"] = active[name]["invisible"] and invisible
            if active[name]["node"] is None:
                active[name]["node"] = node
        else:
            active[name] = {"invisible": invisible, "node": node}

    for node in arch.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        field = model._fields[name]
        if field.type in ("one2many", "many2many") and len(node):
            raise NotImplementedError(f"{name}: inline sub-views are not supported")
        invisible = _always(node.get("invisible")) or _always(node.get("column_invisible"))
        add(name, invisible, node)
        for dep_name, _type in WIDGET_DEPENDENCIES.get(node.get("widget"), []):
            add(dep_name, False)

    spec = {}
    for name, info in active.items():
        field, node = model._fields[name], info["node"]
        entry = spec[name] = {}
        if field.type not in ("many2one", "one2many", "many2many"):
            continue
        if field.type == "many2one":
            entry["fields"] = {}
            if info["invisible"]:
                continue
            entry["fields"]["display_name"] = {}
        elif info["invisible"]:
            continue
        else:
            options = _literal(node.get("options") if node is not None else "", f"{name} options")
            related = WIDGET_RELATED.get(node.get("widget") if node is not None else None)
            entry["fields"] = {fname: {} for fname in (related(options) if related else [])}
        context = _literal(node.get("context") if node is not None else "", f"{name} context")
        context = context or (field.context if isinstance(field.context, dict) else {})
        if context:
            entry["context"] = context
    return spec
