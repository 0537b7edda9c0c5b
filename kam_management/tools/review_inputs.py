"""What a model contributes to the management review (``kam.review.input.mixin``).

A contribution is made of figures (a label, the value of the review period and of
the period before) and short tables, for one topic of the review (a
``kam.review.topic``, by code: ``customer``, ``incidents``...). The review
freezes them when it is prepared: figures become ``kam.review.figure`` records,
tables and remarks JSON on the section.

What is frozen is language-neutral: a label is kept as the lazy translation's
source text and module (``_lt("Complaints received")``), a selection value as
its value, the name of a configuration record (a category, a department) as
a reference with the name it had, a date as a date; the texts are made when the
review is shown or printed, in the reader's language (Dutch or English minutes from the same
snapshot, also for a language installed later). Other names (customers,
people, titles) are kept as they were.

    from odoo.tools.translate import LazyTranslate
    from ..tools.review_inputs import Contribution, Figure, Table

    _lt = LazyTranslate(__name__)

    def _kam_review_inputs(self, review, periods):
        current, previous = ...  # one grouped query for both periods
        return [Contribution("customer", figures=[
            Figure("complaints", _lt("Complaints received"), current, previous,
                   unit="count", better="lower"),
        ])]
"""

import datetime
from dataclasses import dataclass, field

from markupsafe import Markup

from odoo.tools.misc import format_date, formatLang
from odoo.tools.translate import LazyGettext

from .core_shortcuts import lazy_parts, lazy_translation

UNITS = [
    ("count", "Number"),
    ("percent", "Percentage"),
    ("days", "Days"),
    ("rate", "Rate"),
    ("number", "Number (decimals)"),
    ("hours", "Hours"),
]


@dataclass
class Figure:
    """One figure: ``value`` of the review period, ``previous`` of the period
    before (None: not measured). ``better``: "higher", "lower" or None."""

    key: str
    label: object
    value: float | None
    previous: float | None = None
    unit: str = "count"
    better: str | None = None


@dataclass
class Table:
    """A short table (at most ``limit`` rows are kept). Cells are text, numbers,
    dates, lazy translations, ``Selection`` labels or ``Status`` marks."""

    key: str
    title: object
    columns: list
    rows: list
    limit: int = 15


@dataclass
class Contribution:
    """What one model adds to one topic of the review; ``note`` explains an
    empty or partial topic; ``sequence`` orders the contributions of several
    models to one topic."""

    topic: str
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    note: object = None
    sequence: int = 10


@dataclass(frozen=True)
class Selection:
    """The label of a selection value, translated when it is shown."""

    model: str
    field: str
    value: str


@dataclass(frozen=True)
class Name:
    """The translatable name of a configuration record (a complaint category, a
    department): shown in the reader's language while the record exists, else
    as it was when frozen. ``Name.of(record)``."""

    model: str
    res_id: int
    field: str
    value: str

    @classmethod
    def of(cls, record, field="name"):
        return cls(record._name, record.id, field, record[field] or "")


@dataclass(frozen=True)
class Status:
    """A traffic light: green, amber, red or none."""

    value: str


# ---------------------------------------------------------------------- freezing
def encode(value):
    """A cell or label as JSON data that can be shown in any language later."""
    if value is None or value is False:
        return {"t": "none"}
    if isinstance(value, LazyGettext):
        source, module, args = lazy_parts(value)
        return {"t": "lt", "s": source, "m": module, "a": args}
    if isinstance(value, Selection):
        return {"t": "sel", "model": value.model, "field": value.field, "v": value.value}
    if isinstance(value, Name):
        return {
            "t": "name",
            "model": value.model,
            "id": value.res_id,
            "f": value.field,
            "v": value.value,
        }
    if isinstance(value, Status):
        return {"t": "status", "v": value.value}
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, bool):
        return {"t": "text", "v": str(value)}
    if isinstance(value, int | float):
        return {"t": "num", "v": value}
    return {"t": "text", "v": str(value)}


def encode_table(table):
    return {
        "key": table.key,
        "title": encode(table.title),
        "columns": [encode(column) for column in table.columns],
        "rows": [[encode(cell) for cell in row] for row in table.rows[: table.limit]],
        "more": max(len(table.rows) - table.limit, 0),
    }


# ---------------------------------------------------------------------- showing
def names_of(env, cells):
    """The current names of the records behind the frozen name cells among
    ``cells``, read in one go per model and field (a review page shows up to 15
    rows a table): {(model, id, field): name}. Removed records are left out."""
    wanted = {}
    for cell in cells:
        if cell.get("t") == "name":
            wanted.setdefault((cell["model"], cell["f"]), set()).add(cell["id"])
    names = {}
    for (model_name, field_name), ids in wanted.items():
        model = env.get(model_name)
        if model is None or field_name not in model._fields:
            continue
        for record in model.browse(sorted(ids)).sudo().exists():
            names[model_name, record.id, field_name] = record[field_name]
    return names


def table_cells(table):
    """Every frozen cell and label of a table (``encode_table``)."""
    return [table["title"], *table["columns"], *(cell for row in table["rows"] for cell in row)]


def text(env, data, names=None):
    """The text of a frozen cell or label (``encode``) in the language of ``env``;
    ``names`` (``names_of``) gives the current names of the name cells."""
    kind = data.get("t")
    if kind == "lt":
        return env._(lazy_translation(data["s"], data["m"], data.get("a")))
    if kind == "sel":
        model = env.get(data["model"])
        if model is None or data["field"] not in model._fields:
            return data["v"] or ""
        selection = dict(model._fields[data["field"]]._description_selection(env))
        return selection.get(data["v"], data["v"] or "")
    if kind == "name":
        model = env.get(data["model"])
        if model is None or data["f"] not in model._fields:
            return data["v"]
        if names is None:
            names = names_of(env, [data])
        return names.get((data["model"], data["id"], data["f"])) or data["v"]
    if kind == "status":
        selection = env["kam.indicator.value"]._fields["status"]._description_selection(env)
        return dict(selection).get(data["v"], "")
    if kind == "date":
        return format_date(env, datetime.date.fromisoformat(data["v"]))
    if kind == "num":
        return format_number(env, data["v"])
    if kind == "text":
        return data["v"]
    return ""


def format_number(env, value, digits=1):
    """A number in the notation of the language of ``env`` (1.234,5 in Dutch)."""
    if float(value).is_integer():
        digits = 0
    return formatLang(env, value, digits=digits)


def format_figure(env, value, unit):
    """A figure's value with its unit, in the language of ``env``."""
    if value is None or value is False:
        return "–"
    digits = 0 if unit == "count" else 1 if unit in ("percent", "days", "hours") else 2
    shown = format_number(env, value, digits=digits)
    return f"{shown} %" if unit == "percent" else shown


def table_html(env, table, names=None):
    """A frozen table (``encode_table``) as HTML in the language of ``env``;
    ``names`` (``names_of``) may hold the names of several tables' name cells."""
    if names is None:
        names = names_of(env, table_cells(table))
    # a column of numbers is right-aligned, its header too
    numeric = [
        bool(table["rows"])
        and all(i < len(row) and row[i].get("t") in ("num", "none") for row in table["rows"])
        for i in range(len(table["columns"]))
    ]
    head = Markup("").join(
        Markup('<th class="text-end">%s</th>' if numeric[i] else "<th>%s</th>")
        % text(env, column, names)
        for i, column in enumerate(table["columns"])
    )
    body = Markup("")
    for row in table["rows"]:
        cells = Markup("")
        for cell in row:
            if cell.get("t") == "status":
                cells += Markup(
                    '<td><span class="o_kam_status o_kam_status_%s"></span> %s</td>'
                ) % (cell["v"], text(env, cell, names))
            elif cell.get("t") == "num":
                cells += Markup('<td class="text-end">%s</td>') % text(env, cell, names)
            else:
                cells += Markup("<td>%s</td>") % text(env, cell, names)
        body += Markup("<tr>%s</tr>") % cells
    if table.get("more"):
        body += Markup('<tr><td colspan="%s"><i>%s</i></td></tr>') % (
            len(table["columns"]),
            env._("... and %(count)s more", count=table["more"]),
        )
    title = text(env, table["title"], names)
    heading = Markup("<p><b>%s</b></p>") % title if title else Markup("")
    return heading + Markup(
        '<table class="table table-sm o_kam_review_table"><thead><tr>%s</tr></thead>'
        "<tbody>%s</tbody></table>"
    ) % (head, body)
