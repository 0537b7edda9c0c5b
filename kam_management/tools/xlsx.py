"""Excel registers: the generic, model-agnostic part.

A model declares its registers (``Register``: name, title, columns, base domain,
order) beside its own fields, with the column helpers below; ``write_register``
writes one of them. See ``models/kam_register_mixin.py`` for how a model
declares registers and how the download route finds them.

    xlsx.Register(
        "nonconformity",
        self.env._("Nonconformity register"),
        columns=self._kam_case_register_columns,
        domain=[("case_type", "=", "nonconformity")],
        order="date_found desc, id desc",
    )

A column is made by a helper named after what the cell shows: ``char``,
``html``, ``many2one``, ``many2many``, ``selection``, ``date``, ``datetime``, ``integer``,
``number``, ``boolean`` take a field (or a path such as ``"risk_id.score"``: the
related records are read as superuser, like the list view shows a many2one);
``value`` takes a label and a function of the record. The label defaults to
the field's translated string.

The writer streams: xlsxwriter's ``constant_memory`` mode writes each row to a
temporary file as soon as it is complete, and the records are read in chunks
of ``CHUNK_SIZE`` with only the fields the columns need, the record cache
emptied between chunks. Memory stays flat however many rows the register has;
queries grow by a constant number per chunk, not per record.
"""

import dataclasses
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Sequence

import xlsxwriter

from odoo import fields as odoo_fields
from odoo.tools import html2plaintext
from odoo.tools.misc import format_datetime, get_lang

# records read per chunk (one query per chunk and per related model)
CHUNK_SIZE = 1000
# the first rows of a sheet: title, generated on, blank line, header (0-based)
HEADER_ROW = 3
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# strftime directives of res.lang date/time formats and their Excel number format
STRFTIME_TO_EXCEL = {
    "%d": "dd",
    "%e": "d",
    "%m": "mm",
    "%Y": "yyyy",
    "%y": "yy",
    "%b": "mmm",
    "%B": "mmmm",
    "%a": "ddd",
    "%A": "dddd",
    "%H": "hh",
    "%I": "hh",
    "%M": "mm",
    "%S": "ss",
    "%p": "AM/PM",
    "%%": "%",
}
KINDS = ("char", "date", "datetime", "integer", "number", "boolean")
DEFAULT_WIDTHS = {
    "char": 30,
    "date": 12,
    "datetime": 18,
    "integer": 10,
    "number": 12,
    "boolean": 10,
}


# ---------------------------------------------------------------------- columns
@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a register.

    ``reader(model)`` returns the function record -> cell value, bound to the
    environment of the export (selection labels in the user's language...);
    ``fields`` are the fields of the register's model that it reads, fetched
    per chunk; ``field`` is the field (path) the column shows, if any: its
    string is the default label.
    """

    kind: str
    reader: Callable
    fields: tuple = ()
    field: str | None = None
    label: str | None = None
    width: int | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown column kind {self.kind!r}")
        if not self.label and not self.field:
            raise ValueError("A column needs a label or a field")

    def header(self, model):
        """The column's label: given, or the translated string of its field."""
        if self.label:
            return self.label
        return _resolve(model, self.field)._description_string(model.env)

    def relabel(self, label):
        """The same column under another label."""
        return dataclasses.replace(self, label=label)


def _resolve(model, path):
    """The field at the end of ``path`` ("risk_id.department_id"), from ``model``."""
    names = path.split(".")
    for name in names[:-1]:
        model = model.env[model._fields[name].comodel_name]
    return model._fields[names[-1]]


def _path_getter(path, sudo=False):
    """record -> value at ``path``; records after the first step are read as
    superuser (the visibility of a related record depends on the access to
    the exported record, as in the list view)."""
    names = path.split(".")
    first, rest = names[0], names[1:]

    def get(record):
        value = (record.sudo() if sudo else record)[first]
        if rest:
            value = value.sudo()
            for name in rest:
                value = value[name]
        return value

    return get


def _field_column(kind, path, label, width, sudo, convert=None):
    """A column showing a field (path) of the record, optionally converted."""

    def reader(model):
        get = _path_getter(path, sudo)
        if convert is None:
            return get
        transform = convert(model, path)
        return lambda record: transform(get(record))

    return Column(
        kind=kind,
        reader=reader,
        fields=(path.split(".", 1)[0],),
        field=path,
        label=label,
        width=width,
    )


def char(field, label=None, width=None, sudo=False):
    """Text (char, text, or any value shown as text)."""
    return _field_column("char", field, label, width, sudo)


def integer(field, label=None, width=None, sudo=False):
    return _field_column("integer", field, label, width, sudo)


def number(field, label=None, width=None, sudo=False):
    """A float, written with two decimals."""
    return _field_column("number", field, label, width, sudo)


def boolean(field, label=None, width=None, sudo=False):
    """Yes / No, translated."""
    return _field_column("boolean", field, label, width, sudo)


def date(field, label=None, width=None, sudo=False):
    """A real Excel date in the user's date format."""
    return _field_column("date", field, label, width, sudo)


def datetime(field, label=None, width=None, sudo=False):
    """A real Excel date and time, in the user's time zone and formats."""
    return _field_column("datetime", field, label, width, sudo)


def _display_name(_model, _path):
    return lambda record: record.sudo().display_name if record else None


def many2one(field, label=None, width=None, sudo=False):
    """The display name of the related record, as the list view shows it: read
    as superuser, as its visibility depends on the access to the exported record."""
    return _field_column("char", field, label, width, sudo, _display_name)


def many2many(field, label=None, width=None, sudo=False):
    """The display names of the related records, comma separated; the relation
    is read with the user's rights, the names too unless ``sudo``."""

    def convert(_model, _path):
        def names(records):
            return ", ".join((records.sudo() if sudo else records).mapped("display_name"))

        return names

    return _field_column("char", field, label, width, False, convert)


def html(field, label=None, width=None, sudo=False):
    """The plain text of an HTML field (paragraphs and lists on their own lines)."""

    def convert(_model, _path):
        return lambda value: html2plaintext(value).strip() if value else None

    return _field_column("char", field, label, width, sudo, convert)


def selection(field, label=None, width=None, sudo=False):
    """The translated label of a selection value."""

    def convert(model, path):
        labels = dict(_resolve(model, path)._description_selection(model.env))
        return lambda value: labels.get(value) if value else None

    return _field_column("char", field, label, width, sudo, convert)


def value(label, getter, kind="char", width=None, fields=()):
    """A computed column: ``getter(record)`` gives the value; ``fields`` are the
    fields of the record it reads (fetched per chunk)."""
    return Column(
        kind=kind, reader=lambda _model: getter, fields=tuple(fields), label=label, width=width
    )


# ---------------------------------------------------------------------- registers
@dataclasses.dataclass(frozen=True)
class Register:
    """A register of a model: what the "Export to Excel" button writes.

    ``columns``: a list of columns, or a function returning them (called only
    when the register is written, for columns that depend on data).
    ``domain``: always applied, before the filters of the list.
    ``order``: the order of the rows (default: the model's order).
    ``filename``: stem of the file name (default ``<name>_register``).
    """

    name: str
    title: str
    columns: Sequence[Column] | Callable[[], Sequence[Column]]
    domain: Sequence = ()
    order: str | None = None
    filename: str | None = None

    def get_columns(self):
        return list(self.columns() if callable(self.columns) else self.columns)

    def file_name(self, day):
        return f"{self.filename or self.name + '_register'}_{day.isoformat()}.xlsx"


def index_registers(declared):
    """{name: (model name, register)} of ``declared`` = [(model name, register)...].

    Register names are the key of the download route (/kam/xlsx/<name>): two
    registers of the same name, on one model or on two, are a programming error."""
    index = {}
    for model_name, register in declared:
        if register.name in index:
            raise ValueError(
                f"Register {register.name!r} is declared twice: on {index[register.name][0]} "
                f"and on {model_name}"
            )
        index[register.name] = (model_name, register)
    return index


# ---------------------------------------------------------------------- writer
def excel_format(strftime_format):
    """Excel number format of a strftime format (res.lang), None if not convertible."""
    parts = re.split(r"(%.)", strftime_format or "")
    result = []
    for part in parts:
        if part.startswith("%") and len(part) == 2:
            if part not in STRFTIME_TO_EXCEL:
                return None
            result.append(STRFTIME_TO_EXCEL[part])
        elif re.fullmatch(r"[\s/.,:-]*", part):
            result.append(part)
        else:
            result.append(f'"{part}"')
    return "".join(result) or None


def sheet_name(title):
    """A valid Excel sheet name: no []:*?/\\, at most 31 characters."""
    name = SHEET_NAME_FORBIDDEN.sub("", title or "")[:31].strip().strip("'")
    return name or "Sheet1"


def _formats(workbook, env):
    lang = get_lang(env)
    date_format = excel_format(lang.date_format) or "yyyy-mm-dd"
    time_format = excel_format(lang.time_format) or "hh:mm"
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "subtitle": workbook.add_format({"italic": True, "font_color": "#666666"}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "date": workbook.add_format({"num_format": date_format, "align": "left"}),
        "datetime": workbook.add_format(
            {"num_format": f"{date_format} {time_format}", "align": "left"}
        ),
        "number": workbook.add_format({"num_format": "#,##0.00"}),
    }


def _cell_writer(sheet, kind, styles, env):
    """write(row, col, value) for the cells of one kind of column."""
    if kind == "boolean":
        yes, no = env._("Yes"), env._("No")
        return lambda row, col, value: sheet.write_string(row, col, yes if value else no)
    if kind == "date":

        def write_date(row, col, value):
            if not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            sheet.write_datetime(row, col, value, styles["date"])

        return write_date
    if kind == "datetime":
        tz = env.tz

        def write_datetime(row, col, value):
            # stored in UTC: show the user's local time
            local = value.replace(tzinfo=dt.timezone.utc).astimezone(tz)
            sheet.write_datetime(row, col, local.replace(tzinfo=None), styles["datetime"])

        return write_datetime
    if kind == "integer":
        return sheet.write_number
    if kind == "number":
        return lambda row, col, value: sheet.write_number(row, col, value, styles["number"])
    return lambda row, col, value: sheet.write_string(row, col, str(value))


def write_register(records, title, columns, chunk_size=CHUNK_SIZE):
    """The workbook (bytes) of one sheet: title, generated-on line, header and
    one row per record, in the order of ``records``.

    ``records`` are only ids here (a search result): the columns' fields are
    fetched chunk by chunk, with the access rights of ``records.env``; the
    record cache is emptied between chunks. Dates are real Excel dates, the
    header row is frozen and filterable, the page landscape and one page wide.
    """
    env = records.env
    model = records.browse()
    field_names = list(dict.fromkeys(name for column in columns for name in column.fields))
    # refused fields (health details...) fail before anything is written, also
    # without records
    for name in field_names:
        model._check_field_access(model._fields[name], "read")
    cells = []
    for column in columns:
        cells.append((column.header(model), column.kind, column.width, column.reader(model)))
    # what is pending must be in the database before the cache is emptied
    env.flush_all()

    # the file is assembled on disk: the rows of the sheet (constant_memory) and the
    # zip; only the finished file is read into memory
    with tempfile.TemporaryFile() as output:
        _write(records, title, cells, field_names, chunk_size, output)
        output.seek(0)
        return output.read()


def _write(records, title, cells, field_names, chunk_size, output):
    env = records.env
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(sheet_name(title))
    styles = _formats(workbook, env)
    writers = [_cell_writer(sheet, kind, styles, env) for _label, kind, _width, _read in cells]

    # constant_memory: rows must be written top to bottom, each once
    sheet.set_row(0, 20)
    sheet.write_string(0, 0, title, styles["title"])
    sheet.write_string(
        1,
        0,
        env._(
            "Generated on %(date)s by %(user)s, %(company)s: %(count)s records",
            date=format_datetime(env, odoo_fields.Datetime.now()),
            user=env.user.name,
            company=env.company.name,
            count=len(records),
        ),
        styles["subtitle"],
    )
    for col, (label, kind, width, _read) in enumerate(cells):
        sheet.set_column(col, col, width or DEFAULT_WIDTHS[kind])
        sheet.write_string(HEADER_ROW, col, label, styles["header"])

    row = HEADER_ROW
    for start in range(0, len(records), chunk_size):
        if start:
            env.invalidate_all()  # the previous chunk and what it read: memory stays flat
        chunk = records[start : start + chunk_size]
        chunk.fetch(field_names)
        for record in chunk:
            row += 1
            for col, (_label, kind, _width, read) in enumerate(cells):
                cell = read(record)
                if kind != "boolean" and (cell is None or cell is False or cell == ""):
                    continue
                writers[col](row, col, cell)

    if cells:
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        sheet.autofilter(HEADER_ROW, 0, row, len(cells) - 1)
    sheet.set_landscape()
    sheet.repeat_rows(HEADER_ROW)
    sheet.fit_to_pages(1, 0)
    workbook.close()
