"""What a model contributes to the management review (``kam.review.input.mixin``).

A contribution is made of figures (a label, the value of the review period and of
the period before) and short tables, for one topic of the review (a
``kam.review.topic``, by code: ``customer``, ``incidents``...). The review
freezes them when it is prepared: figures become ``kam.review.figure`` records,
tables HTML in every installed language.

Labels are lazy translations (``_lt``) or plain text (names of records): the
review stores them in every installed language at once, so the minutes can be
printed in Dutch and in English from the same snapshot.

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

UNITS = [
    ("count", "Number"),
    ("percent", "Percentage"),
    ("days", "Days"),
    ("rate", "Rate"),
    ("number", "Number (decimals)"),
    ("hours", "Hours"),
]
STATUS_COLOURS = {"green": "#28a745", "amber": "#f0ad4e", "red": "#dc3545", "none": "#adb5bd"}


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
    """The label of a selection value, translated when it is written."""

    model: str
    field: str
    value: str


@dataclass(frozen=True)
class Status:
    """A traffic light: green, amber, red or none."""

    value: str


def text(env, value):
    """``value`` (a cell, a label) as text in the language of ``env``."""
    if value is None or value is False:
        return ""
    if isinstance(value, LazyGettext):
        return env._(value)
    if isinstance(value, Selection):
        selection = env[value.model]._fields[value.field]._description_selection(env)
        return dict(selection).get(value.value, value.value or "")
    if isinstance(value, Status):
        return dict(env["kam.indicator.value"]._fields["status"]._description_selection(env)).get(
            value.value, ""
        )
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return format_date(env, value)
    if isinstance(value, float):
        return format_number(env, value)
    return str(value)


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


def table_html(env, table):
    """The table as HTML in the language of ``env`` (escaped)."""
    head = Markup("").join(Markup("<th>%s</th>") % text(env, column) for column in table.columns)
    body = Markup("")
    for row in table.rows[: table.limit]:
        cells = Markup("")
        for cell in row:
            if isinstance(cell, Status):
                colour = STATUS_COLOURS.get(cell.value, STATUS_COLOURS["none"])
                cells += Markup(
                    '<td><span style="display:inline-block;width:0.8em;height:0.8em;'
                    'border-radius:50%%;background:%s"></span> %s</td>'
                ) % (colour, text(env, cell))
            elif isinstance(cell, int | float) and not isinstance(cell, bool):
                cells += Markup('<td style="text-align:right">%s</td>') % text(env, cell)
            else:
                cells += Markup("<td>%s</td>") % text(env, cell)
        body += Markup("<tr>%s</tr>") % cells
    more = len(table.rows) - table.limit
    footer = Markup("")
    if more > 0:
        footer = Markup('<tr><td colspan="%s"><i>%s</i></td></tr>') % (
            len(table.columns),
            env._("... and %(count)s more", count=more),
        )
    title = Markup("<p><b>%s</b></p>") % text(env, table.title) if table.title else Markup("")
    return title + Markup(
        '<table class="table table-sm o_kam_review_table"><thead><tr>%s</tr></thead>'
        "<tbody>%s%s</tbody></table>"
    ) % (head, body, footer)


