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
queries grow by a constant number per chunk, not per record. A chunk's stored
columns come from one SQL query as the user may read them (many2one names,
selection labels and dates converted once per distinct value), a many2many
from its relation table, counts and overdue flags per chunk (``values``,
``by_search``); each column's ``reader`` (record by record through the ORM)
defines its cells and reads the other columns (``_chunk_loader``).
"""

import dataclasses
import datetime as dt
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence

import xlsxwriter
from xlsxwriter.utility import datetime_to_excel_datetime

from odoo import fields as odoo_fields
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext
from odoo.tools.misc import format_datetime, get_lang

# records read per chunk (one query per chunk and per related model)
CHUNK_SIZE = 1000
# at most this many values converted once and kept (many2many names...)
MEMO_SIZE = 10000
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
    string is the default label. A column of a field (``field``, ``sudo``,
    ``convert``) is read by the writer per chunk from one SQL query of the
    chunk's stored fields where it can (see ``_chunk_loader``); ``reader`` is
    what it shows, record by record, and what the writer uses otherwise.
    """

    kind: str
    reader: Callable
    fields: tuple = ()
    field: str | None = None
    label: str | None = None
    width: int | None = None
    sudo: bool = False
    # (model, path) -> value -> shown value, for a column of a field
    convert: Callable | None = None
    # False: always record by record (many2many: the relation is read by the ORM)
    batch: bool = False
    # records (a chunk) -> {id: value} for every record: the values of a computed
    # field for a whole chunk at once, equal to what ``reader`` gives
    values: Callable | None = None
    # a many2many column: its names read as superuser (True) or as the user (False)
    many2many_sudo: bool | None = None

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


def _field_column(kind, path, label, width, sudo, convert=None, batch=True, values=None):
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
        sudo=sudo,
        convert=convert,
        batch=batch,
        values=values,
    )


def char(field, label=None, width=None, sudo=False):
    """Text (char, text, or any value shown as text)."""
    return _field_column("char", field, label, width, sudo)


def integer(field, label=None, width=None, sudo=False, values=None):
    """A whole number; ``values``: records -> {id: value} of every record, for a
    computed field that is cheaper to compute for a chunk at once (counts)."""
    return _field_column("integer", field, label, width, sudo, values=values)


def number(field, label=None, width=None, sudo=False):
    """A float, written with two decimals."""
    return _field_column("number", field, label, width, sudo)


def boolean(field, label=None, width=None, sudo=False, by_search=False):
    """Yes / No, translated. ``by_search``: a computed field with a search
    method that agrees with its compute (overdue...) is read per chunk with one
    search instead of being computed record by record."""
    values = _found_by_search(field) if by_search else None
    return _field_column("boolean", field, label, width, sudo, values=values)


def _found_by_search(field):
    def values(records):
        query = records.with_context(active_test=False)._search(
            [("id", "in", records.ids), (field, "=", True)]
        )
        found = set(query)
        return {record_id: record_id in found for record_id in records.ids}

    return values


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
        # the same few combinations of tags come back row after row
        joined = {}

        def names(records):
            key = records._ids
            if key not in joined:
                if len(joined) >= MEMO_SIZE:
                    joined.clear()
                related = records.sudo() if sudo else records
                joined[key] = ", ".join(related.mapped("display_name"))
            return joined[key]

        return names

    column = _field_column("char", field, label, width, False, convert, batch=False)
    return dataclasses.replace(column, many2many_sudo=sudo)


def _plain_text(_model, _path):
    return lambda value: html2plaintext(value).strip() if value else None


def html(field, label=None, width=None, sudo=False):
    """The plain text of an HTML field (paragraphs and lists on their own lines)."""
    return _field_column("char", field, label, width, sudo, _plain_text)


def _selection_label(model, path):
    labels = dict(_resolve(model, path)._description_selection(model.env))
    return lambda value: labels.get(value) if value else None


def selection(field, label=None, width=None, sudo=False):
    """The translated label of a selection value."""
    return _field_column("char", field, label, width, sudo, _selection_label)


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


def _empty(value):
    return value is None or value is False or value == ""


def _cell_value(kind, env):
    """value -> what the cell of a column of ``kind`` holds, None for a blank
    cell: the text, the number, the Excel serial number of a date (written with
    the date format, as ``write_datetime`` does), Yes / No."""
    if kind == "boolean":
        yes, no = env._("Yes"), env._("No")
        return lambda value: yes if value else no
    if kind == "char":
        return lambda value: None if _empty(value) else str(value)
    if kind == "date":

        def date_cell(value):
            if _empty(value):
                return None
            if not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            return datetime_to_excel_datetime(value, False, True)

        return date_cell
    if kind == "datetime":
        tz = env.tz

        def datetime_cell(value):
            if _empty(value):
                return None
            # stored in UTC: show the user's local time
            local = value.replace(tzinfo=dt.timezone.utc).astimezone(tz)
            return datetime_to_excel_datetime(local.replace(tzinfo=None), False, True)

        return datetime_cell
    return lambda value: None if _empty(value) else value


def _cell_writer(sheet, kind, styles):
    """(typed write method, format) of the cells of a column of ``kind``, chosen
    once per column (no generic ``write()`` per cell). xlsxwriter's typed
    writers without their decorator (``_write_string``: the same method less
    the parsing of "A1" cell names, which cost a tenth of the writing of a
    large register; pinned by ``test_xlsx_batch.TestXlsxBatch.test_typed_writers``)."""
    if kind in ("char", "boolean"):
        return sheet._write_string, None
    if kind == "integer":
        return sheet._write_number, None
    return sheet._write_number, styles[kind]


# field types read by SQL (stored in a column of the model's table) and what a
# database value becomes as the ORM reads it (NULL: the field's null value)
SQL_TYPES = {
    "char": None,
    "text": None,
    "html": None,
    "selection": None,
    "date": None,
    "datetime": None,
    "many2one": None,
    "integer": lambda raw: 0 if raw is None else raw,
    "float": lambda raw: 0.0 if raw is None else float(raw),
    "monetary": lambda raw: 0.0 if raw is None else float(raw),
    "boolean": bool,
}
# the field types a column shows from the raw value, per kind or conversion
RAW_TYPES = {
    "char": ("char", "text", "html", "selection"),
    "integer": ("integer",),
    "number": ("float", "monetary", "integer"),
    "date": ("date", "datetime"),
    "datetime": ("datetime",),
    "boolean": ("boolean",),
    _selection_label: ("selection",),
    _plain_text: ("char", "text", "html"),
}
# field types whose few distinct values are converted once (selection labels, dates)
MEMO_TYPES = ("selection", "date", "boolean", "integer")


def _sql_field(model, name):
    """The field ``name`` of ``model`` if its value is one column of the model's
    table that SQL returns as the ORM would read it, else None."""
    field = model._fields.get(name)
    if (
        field is not None
        and field.store
        and field.column_type
        and not field.company_dependent
        and field.type in SQL_TYPES
    ):
        return field
    return None


def _record_loader(column, model, cell):
    """(chunk, rows) -> the cells of the column, read record by record (the
    column's ``reader``) from the chunk the ORM fetched."""
    read = column.reader(model)
    return lambda chunk, _rows: [cell(read(record)) for record in chunk]


def _values_loader(column, cell):
    """The cells of a column whose ``values`` compute a whole chunk at once."""

    def load(chunk, _rows):
        values = column.values(chunk)
        return [cell(values[record_id]) for record_id in chunk.ids]

    return load


def _many2many_loader(column, model, field, cell):
    """The cells of a many2many column: the pairs of the chunk from the relation
    table in one query, the related records the user may read (and the active
    ones, and those of the field's domain) in one search in their order, as the
    ORM reads the field; their names computed once (at most ``MEMO_SIZE``)."""
    comodel = model.env[field.comodel_name].with_context(**field.context)
    active_test = comodel._active_name and comodel.env.context.get("active_test", True)
    comodel = comodel.with_context(active_test=active_test)
    relation = SQL.identifier(field.relation)
    column1, column2 = SQL.identifier(field.column1), SQL.identifier(field.column2)
    names, joined = {}, {}

    def load(chunk, _rows):
        env = chunk.env
        pairs = defaultdict(list)
        for id1, id2 in env.execute_query(
            SQL(
                "SELECT %s, %s FROM %s WHERE %s = ANY(%s)",
                column1,
                column2,
                relation,
                column1,
                chunk.ids,
            )
        ):
            pairs[id1].append(id2)
        related = {id2 for ids in pairs.values() for id2 in ids}
        rank = {}
        if related:
            domain = Domain("id", "in", list(related)) & field.get_comodel_domain(model)
            rank = {id2: i for i, id2 in enumerate(comodel._search(domain, order=comodel._order))}
        unnamed = [id2 for id2 in rank if id2 not in names]
        if unnamed:
            if len(names) + len(unnamed) > MEMO_SIZE:
                names.clear()
                joined.clear()
                unnamed = list(rank)
            records = comodel.browse(unnamed)
            for record in records.sudo() if column.many2many_sudo else records:
                names[record.id] = record.display_name
        cells = []
        for record_id in chunk.ids:
            ids = tuple(sorted((i for i in pairs.get(record_id, ()) if i in rank), key=rank.get))
            if ids not in joined:
                if len(joined) >= MEMO_SIZE:
                    joined.clear()
                joined[ids] = cell(", ".join(names[i] for i in ids))
            cells.append(joined[ids])
        return cells

    return load


def _related_loader(column, model, field, cell):
    """The cells of a column of a many2one (or of a path through it): the value
    of each distinct related record computed once, as the column's ``reader``
    would (the related records read as superuser), then looked up by the id the
    SQL query returned. Kept from chunk to chunk (at most ``MEMO_SIZE``): the
    same stages, people and departments come back in every chunk."""
    rest = column.field.split(".")[1:]
    comodel = model.env[field.comodel_name]
    if column.sudo:
        comodel = comodel.sudo()
    transform = column.convert(model, column.field) if column.convert else None

    def value_of(related):
        value = related
        if rest:
            value = value.sudo()
            for name in rest:
                value = value[name]
        return cell(transform(value) if transform else value)

    cells = {}

    def load(_chunk, rows):
        ids = rows[field.name]
        missing = {i for i in ids if i not in cells}
        if missing:
            if len(cells) + len(missing) > MEMO_SIZE:
                cells.clear()
                missing = set(ids)
            if None in missing:
                cells[None] = value_of(comodel.browse())
                missing.discard(None)
            for related in comodel.browse(missing):
                cells[related.id] = value_of(related)
        return [cells[i] for i in ids]

    return load


def _scalar_loader(column, model, field, cell):
    """The cells of a column of a stored field from the values the SQL query
    returned: converted as the ORM reads them, then as the column shows them;
    the few distinct values of selections and dates converted once."""
    to_value = SQL_TYPES[field.type]
    transform = column.convert(model, column.field) if column.convert else None
    if to_value is None and transform is None and column.kind == "char":
        return lambda _chunk, rows: [raw or None for raw in rows[field.name]]

    def convert(raw):
        value = to_value(raw) if to_value else raw
        return cell(transform(value) if transform else value)

    if field.type not in MEMO_TYPES:
        return lambda _chunk, rows: [convert(raw) for raw in rows[field.name]]
    memo = {}

    def cached(raw):
        try:
            return memo[raw]
        except KeyError:
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[raw] = result = convert(raw)
            return result

    return lambda _chunk, rows: [cached(raw) for raw in rows[field.name]]


def _chunk_loader(column, model, cell, batch):
    """(loader, field read by the chunk's SQL query or None, fields the ORM
    fetches for it) of ``column``.

    A column of a stored field (or of a path through a stored many2one) reads
    the chunk's values from one SQL query per chunk (``_fetch_rows``), a
    many2many its relation table, a column with ``values`` computes the chunk
    at once: the ORM per cell was a third of the time of a large register.
    Their cells are what the column's ``reader`` gives record by record (a test
    compares both on every register); other columns (``value``, computed
    fields...) use the reader on the chunk the ORM fetched."""
    if batch and column.values:
        return _values_loader(column, cell), None, ()
    if batch and column.many2many_sudo is not None:
        field = model._fields[column.field]
        if field.type == "many2many" and field.store and not field.bypass_search_access:
            return _many2many_loader(column, model, field, cell), None, ()
    if batch and column.batch and column.field:
        names = column.field.split(".")
        field = _sql_field(model, names[0])
        if field is not None and field.type == "many2one":
            return _related_loader(column, model, field, cell), field.name, ()
        if field is not None and len(names) == 1:
            raw_types = RAW_TYPES.get(column.convert or column.kind, ())
            if field.type in raw_types:
                return _scalar_loader(column, model, field, cell), field.name, ()
    return _record_loader(column, model, cell), None, column.fields


def _fetch_rows(model, ids, names):
    """{field name: [value per id]} of the stored fields ``names`` of the
    records ``ids``, in one query: the record rules of the user apply (a record
    they may not read is refused as the ORM refuses it), translated fields in
    the user's language, as the ORM reads them."""
    query = model.with_context(active_test=False)._search([("id", "in", ids)], order="id")
    table = model._table
    columns = [model._field_to_sql(table, name, query) for name in names]
    found = {
        row[0]: row[1:]
        for row in model.env.execute_query(query.select(SQL.identifier(table, "id"), *columns))
    }
    if len(found) < len(ids):
        model.browse([i for i in ids if i not in found]).check_access("read")
        model.browse([i for i in ids if i not in found]).fetch(names)
    values = zip(*(found[i] for i in ids), strict=True)
    return dict(zip(names, values, strict=True))


def write_register(records, title, columns, chunk_size=CHUNK_SIZE, batch=True):
    """The workbook (bytes) of one sheet: title, generated-on line, header and
    one row per record, in the order of ``records``.

    ``records`` are only ids here (a search result): the columns' values are
    read chunk by chunk, with the access rights of ``records.env``; the record
    cache is emptied between chunks. Dates are real Excel dates, the header row
    is frozen and filterable, the page landscape and one page wide. ``batch``
    False reads every column record by record through its ``reader`` (the
    reference the tests compare the SQL reading with).
    """
    env = records.env
    model = records.browse()
    field_names = list(dict.fromkeys(name for column in columns for name in column.fields))
    # refused fields (health details...) fail before anything is written, also
    # without records
    for name in field_names:
        model._check_field_access(model._fields[name], "read")
    # what is pending must be in the database before the cache is emptied
    env.flush_all()

    # the file is assembled on disk: the rows of the sheet (constant_memory) and the
    # zip; only the finished file is read into memory
    with tempfile.TemporaryFile() as output:
        _write(records, title, columns, chunk_size, batch, output)
        output.seek(0)
        return output.read()


def _write(records, title, columns, chunk_size, batch, output):
    env = records.env
    model = records.browse()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "remove_timezone": True,
            # a text is a text: "=HYPERLINK(...)" or "+31 6..." typed into a case
            # stays what was typed (no formula, no link, no number)
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_name(title))
    styles = _formats(workbook, env)
    loaders, sql_fields, orm_fields, targets = [], [], [], []
    for col, column in enumerate(columns):
        load, sql_field, fetched = _chunk_loader(
            column, model, _cell_value(column.kind, env), batch
        )
        loaders.append(load)
        if sql_field:
            sql_fields.append(sql_field)
        orm_fields.extend(fetched)
        targets.append((col, *_cell_writer(sheet, column.kind, styles)))
    sql_fields = list(dict.fromkeys(sql_fields))
    orm_fields = list(dict.fromkeys(orm_fields))

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
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width or DEFAULT_WIDTHS[column.kind])
        sheet.write_string(HEADER_ROW, col, column.header(model), styles["header"])

    row = HEADER_ROW
    for start in range(0, len(records), chunk_size):
        if start:
            env.invalidate_all()  # the previous chunk and what it read: memory stays flat
        chunk = records[start : start + chunk_size]
        if orm_fields:
            chunk.fetch(orm_fields)
        rows = _fetch_rows(model, chunk.ids, sql_fields) if sql_fields else {}
        if not loaders:
            row += len(chunk)
        for cells in zip(*[load(chunk, rows) for load in loaders], strict=True):
            row += 1
            for (col, write, style), cell in zip(targets, cells, strict=True):
                if cell is not None:
                    write(row, col, cell, style)

    if columns:
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        sheet.autofilter(HEADER_ROW, 0, row, len(columns) - 1)
    sheet.set_landscape()
    sheet.repeat_rows(HEADER_ROW)
    sheet.fit_to_pages(1, 0)
    workbook.close()
