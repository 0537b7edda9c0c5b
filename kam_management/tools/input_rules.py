"""The one source of input rules for the forms where people type in a case.

Four entry points use it: the public complaint form (``/kam/complaint``), the
portal complaint form (``/my/complaints/new``), the safe-reporting page
(``/kam/report/<company>/<token>``) and the back-office quick report wizard.
Every limit is declared once below, and every form once as a tuple of
:class:`Field` declarations (name, label, kind, limit, required, single or
multi-line). :func:`validate` applies a form's rules with an ``env`` (no
dependency on ``odoo.http.request``): it returns the cleaned values and
``{field name: translated message}``; nothing may be saved while there are
messages. The controllers show the form again with the messages (status 400);
the wizard raises them as one ``UserError``.

Text comes back as the user typed it: nothing is stripped or decoded (a
``<script`` or ``a<b`` is text, never a reason to lose what follows), only
control characters (NUL...) are removed and line ends and spaces tidied. It is
stored as text and escaped wherever it is shown (``plaintext2html`` for an HTML
field, QWeb's ``t-out`` on the pages): no markup of the user ever becomes live.
"""

import base64
import dataclasses
import datetime
import mimetypes
import re

from odoo import SUPERUSER_ID, fields
from odoo.tools.mail import email_normalize, email_split
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# ---------------------------------------------------------------- the limits
LINE_MAX_LENGTH = 200  # one line: a title or subject, a place, a company name
TEXT_MAX_LENGTH = 5000  # several lines: a description
NAME_MAX_LENGTH = 100  # a person's name
PHONE_MAX_LENGTH = 50  # a phone number, an order reference
EMAIL_MAX_LENGTH = 254  # RFC 5321
DATETIME_MAX_LENGTH = 32  # "2026-03-02T14:30:00" and a little room
UPLOAD_MAX_COUNT = 3  # files per form
UPLOAD_MAX_MB = 5  # per file
UPLOAD_MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024
# a raw value this much longer than allowed is refused before it is parsed
RAW_FACTOR = 4

# ---------------------------------------------------------------- field kinds
TEXT = "text"
EMAIL = "email"
CHOICE = "choice"
DATETIME = "datetime"
FILES = "files"


@dataclasses.dataclass(frozen=True, eq=False)
class Field:
    """The rule of one form field.

    ``limit`` is the number of characters for text and e-mail, the number of
    files for files. A choice takes its values from ``selection`` (a
    ``(model, field)`` selection field) or from the ``choices`` given to
    :func:`validate` (``{value sent: value returned}``); ``invalid`` is its
    message for a value outside them. ``default`` replaces an empty value."""

    name: str
    label: object  # a lazy translation (_lt)
    kind: str = TEXT
    limit: int = 0
    required: bool = False
    multiline: bool = False
    selection: tuple = ()
    invalid: object = None
    default: object = None

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


class Form:
    """The fields of one form, by name, in order."""

    def __init__(self, name, form_fields):
        self.name = name
        self.fields = {field.name: field for field in form_fields}

    def __getitem__(self, name):
        return self.fields[name]

    def __iter__(self):
        return iter(self.fields.values())

    def limits(self):
        """``{field name: limit}``, for the ``maxlength`` of the inputs on the page."""
        limits = {field.name: field.limit for field in self if field.limit}
        limits["file_mb"] = UPLOAD_MAX_MB
        return limits

    def data(self, post, files=None):
        """The raw values of the form from a request: ``post`` (form fields) and
        ``files`` (werkzeug's ``MultiDict`` of uploads)."""
        data = {}
        for field in self:
            if field.kind == FILES:
                data[field.name] = files.getlist(field.name) if files else []
            else:
                data[field.name] = post.get(field.name)
        return data

    def redisplay(self, post):
        """What the user typed, to show the form again (no files)."""
        return {
            field.name: post.get(field.name) if isinstance(post.get(field.name), str) else ""
            for field in self
            if field.kind != FILES
        }


# ---------------------------------------------------------------- the fields, once
COMPLAINT_TITLE = Field("title", _lt("Subject"), limit=LINE_MAX_LENGTH, required=True)
INCIDENT_TITLE = Field("title", _lt("What happened?"), limit=LINE_MAX_LENGTH, required=True)
DESCRIPTION = Field(
    "description", _lt("Description"), limit=TEXT_MAX_LENGTH, required=True, multiline=True
)
ATTACHMENTS = Field("attachments", _lt("Photos or documents"), FILES, UPLOAD_MAX_COUNT)
PERSON_NAME = Field("name", _lt("Your name"), limit=NAME_MAX_LENGTH)
PERSON_EMAIL = Field("email", _lt("Your e-mail"), EMAIL, EMAIL_MAX_LENGTH)
INCIDENT_KIND = Field(
    "incident_kind",
    _lt("Kind"),
    CHOICE,
    required=True,
    selection=("kam.case", "incident_kind"),
    invalid=_lt("Please choose the kind of incident from the list."),
    default="unsafe",
)
LOCATION = Field("location", _lt("Where?"), limit=LINE_MAX_LENGTH)
WHEN = Field("when", _lt("When?"), DATETIME, DATETIME_MAX_LENGTH)
CHOICE_INVALID = _lt("Please choose a value from the list.")

# ---------------------------------------------------------------- the forms, once
PUBLIC_COMPLAINT = Form(
    "complaint",
    (
        PERSON_NAME.replace(label=_lt("Name"), required=True),
        Field("company_name", _lt("Company"), limit=LINE_MAX_LENGTH),
        PERSON_EMAIL.replace(label=_lt("E-mail address"), required=True),
        Field("phone", _lt("Phone"), limit=PHONE_MAX_LENGTH),
        Field("order_reference", _lt("Order reference"), limit=PHONE_MAX_LENGTH),
        COMPLAINT_TITLE,
        DESCRIPTION,
        ATTACHMENTS,
    ),
)
PORTAL_COMPLAINT = Form(
    "portal_complaint",
    (
        COMPLAINT_TITLE,
        DESCRIPTION,
        Field(
            "sale_order_id",
            _lt("Order"),
            CHOICE,
            invalid=_lt("The selected order is not one of your confirmed orders."),
        ),
        ATTACHMENTS,
    ),
)
SAFE_REPORT = Form(
    "incident",
    (INCIDENT_TITLE, INCIDENT_KIND, LOCATION, WHEN, DESCRIPTION, PERSON_NAME, PERSON_EMAIL)
    + (ATTACHMENTS,),
)
# the back office: the same rules, no contact fields, no files, details optional
QUICK_REPORT = Form(
    "incident_quick",
    (
        INCIDENT_TITLE,
        INCIDENT_KIND,
        LOCATION,
        WHEN,
        DESCRIPTION.replace(label=_lt("Details"), required=False),
    ),
)

# ---------------------------------------------------------------- cleaning
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# a date outside these years is a typing error (and year 1 cannot be shifted to UTC)
DATETIME_MIN = datetime.datetime(1900, 1, 1)
DATETIME_MAX = datetime.datetime(2999, 12, 31, 23, 59, 59)


def plain_text(value):
    """``value`` as text: exactly what was typed, without control characters,
    with one kind of line end, tidy spaces on each line and at most one empty
    line in a row. Markup is not removed (it is text, escaped where shown)."""
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# the former name (a file name is cleaned the same way)
strip_html = plain_text


def required_message(env, field):
    return env._("Please fill in the field “%(field)s”.", field=env._(field.label))


def too_long_message(env, field):
    return env._(
        "The field “%(field)s” can be at most %(max)s characters long.",
        field=env._(field.label),
        max=field.limit,
    )


# each kind: (env, field, raw value, choices) -> (clean value, message or None)
def _text(env, field, value, choices=None):
    """Plain text."""
    value = value if isinstance(value, str) else ""
    if len(value) > field.limit * RAW_FACTOR:
        return "", too_long_message(env, field)
    text = plain_text(value)
    if not field.multiline:
        text = " ".join(text.split())
    if not text:
        return "", required_message(env, field) if field.required else None
    if len(text) > field.limit:
        return "", too_long_message(env, field)
    return text, None


def _email(env, field, value, choices=None):
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        return "", required_message(env, field) if field.required else None
    addresses = (
        email_split(value) if len(value) <= field.limit and not _CONTROL.search(value) else []
    )
    normalized = email_normalize(addresses[0]) if len(addresses) == 1 else False
    if not normalized:
        return "", env._(
            "%(value)s is not a valid e-mail address.", value=_CONTROL.sub("", value[:80])
        )
    return normalized, None


def _choice(env, field, value, choices):
    if choices is None and field.selection:
        model, name = field.selection
        choices = {key: key for key in env[model]._fields[name].get_values(env)}
    value = (value if isinstance(value, str) else "").strip() or field.default
    if not value:
        return None, required_message(env, field) if field.required else None
    if value not in (choices or {}):
        return None, env._(field.invalid or CHOICE_INVALID)
    return choices[value], None


def _datetime(env, field, value, choices=None):
    if isinstance(value, str):
        value = _CONTROL.sub("", value).strip().replace("T", " ")
    if not value:
        return False, required_message(env, field) if field.required else None
    try:
        if isinstance(value, str):
            if len(value) > field.limit:
                raise ValueError(value)
            value = fields.Datetime.to_datetime(value)
        if not isinstance(value, datetime.datetime):
            # a file, or anything else that is not a date and time
            raise ValueError(value)
        if not DATETIME_MIN <= value <= DATETIME_MAX:
            raise ValueError(value)
    except (ValueError, OverflowError):
        return False, env._(
            "The field “%(field)s” does not hold a valid date and time.",
            field=env._(field.label),
        )
    return value, None


def _files(env, field, uploads, choices=None):
    """The uploaded files as ``[{name, raw, mimetype}]``; empty file inputs are ignored."""
    uploads = [f for f in uploads or [] if getattr(f, "filename", None)]
    if len(uploads) > field.limit:
        return [], env._("You can send at most %(max)s files.", max=field.limit)
    result = []
    for upload in uploads:
        raw = upload.read(UPLOAD_MAX_BYTES + 1)
        if len(raw) > UPLOAD_MAX_BYTES:
            return [], env._(
                "%(name)s is too large: a file can be at most %(max)s MB.",
                name=strip_html(upload.filename)[:80],
                max=UPLOAD_MAX_MB,
            )
        if raw:
            name = strip_html(upload.filename)[:LINE_MAX_LENGTH] or "attachment"
            result.append({"name": name, "raw": raw, "mimetype": upload.mimetype})
    if field.required and not result:
        return [], required_message(env, field)
    return result, None


def save_uploads(record, files, anonymous=False):
    """Attach the validated uploads ``files`` (``[{name, raw, mimetype}]``) to
    ``record`` as the superuser, written at once (a later flush would stamp the
    visitor's uid). An anonymous upload loses its original name, which may hold a
    person's name or a device: ``attachment-1.jpg``..."""
    if not files:
        return record.env["ir.attachment"]
    Attachment = record.env["ir.attachment"].with_user(SUPERUSER_ID)
    values = []
    for index, upload in enumerate(files, start=1):
        name = upload["name"]
        if anonymous:
            extension = mimetypes.guess_extension(upload.get("mimetype") or "") or ""
            name = f"attachment-{index}{extension}"
        values.append(
            {
                "name": name,
                "datas": base64.b64encode(upload["raw"]),
                "mimetype": upload.get("mimetype"),
                "res_model": record._name,
                "res_id": record.id,
            }
        )
    attachments = Attachment.create(values)
    Attachment.env.flush_all()
    return attachments.with_env(record.env)


def record_id(value):
    """The database id in ``value`` (a request parameter or a route's int), or
    None when it is not one: digits only, within PostgreSQL's integer range
    (a larger number would make the query fail)."""
    if isinstance(value, str):
        value = int(value) if re.fullmatch(r"[0-9]{1,10}", value) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 < value <= 2**31 - 1 else None


_CLEANERS = {TEXT: _text, EMAIL: _email, CHOICE: _choice, DATETIME: _datetime, FILES: _files}


def validate(env, form, data, choices=None):
    """Apply the rules of ``form`` to ``data`` (``{field name: raw value}``; a
    files field holds a list of uploads). Returns ``(values, errors)``: the
    cleaned value of every field of the form and ``{field name: translated
    message}``. ``choices`` gives the allowed values of choice fields that
    depend on the user: ``{field name: {value sent: value returned}}``."""
    choices = choices or {}
    values, errors = {}, {}
    for field in form:
        clean = _CLEANERS[field.kind]
        value, message = clean(env, field, data.get(field.name), choices.get(field.name))
        values[field.name] = value
        if message:
            errors[field.name] = message
    return values, errors
