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

Uploads are judged by their bytes, never by the browser's content type or the
file name: only the types of :data:`UPLOAD_TYPES` are accepted (photos, PDF,
office documents, plain text without markup); a photo is decoded and saved
again without its metadata (EXIF: GPS position, camera, author; comments), and
the file name gets the extension of the type found.
"""

import base64
import dataclasses
import datetime
import io
import os
import re
import warnings
import zipfile

from PIL import Image, ImageOps

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
UPLOAD_MAX_PIXELS = 40_000_000  # a photo of 40 megapixels; more is refused, not decoded
# a raw value this much longer than allowed is refused before it is parsed
RAW_FACTOR = 4

# the uploads accepted, as found in their bytes: {mimetype: extension}
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
OFFICE_TYPES = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OPENDOCUMENT_TYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
)
UPLOAD_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    OFFICE_TYPES["word/document.xml"]: ".docx",
    OFFICE_TYPES["xl/workbook.xml"]: ".xlsx",
    OPENDOCUMENT_TYPES[0]: ".odt",
    OPENDOCUMENT_TYPES[1]: ".ods",
    "text/plain": ".txt",
}
# shown inline by the browser; every other upload is served as a download
INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")

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


def escape_like(value):
    """``value`` for a ``like``/``=ilike`` comparison that matches it literally:
    the wildcards ``%`` and ``_`` and the escape character ``\\`` escaped. Every
    lookup of a record by what a visitor typed goes through it."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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


def _open_image(raw):
    """``PIL.Image.open`` of the bytes ``raw``; an image too large to decode safely
    raises (Pillow's decompression bomb warning becomes an error, never a log line)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw))
        except Image.DecompressionBombWarning as error:
            raise Image.DecompressionBombError(str(error)) from error
    if image.width * image.height > UPLOAD_MAX_PIXELS:
        image.close()
        raise Image.DecompressionBombError("too many pixels")
    return image


def sniff_upload(raw):
    """The mimetype of the bytes ``raw`` if it is one of :data:`UPLOAD_TYPES`, else None."""
    if raw.startswith(b"%PDF-"):
        return "application/pdf"
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    declared = archive.read("mimetype").decode("ascii", "replace").strip()
                    return declared if declared in OPENDOCUMENT_TYPES else None
                if "[Content_Types].xml" in names:
                    return next((t for n, t in OFFICE_TYPES.items() if n in names), None)
        except (zipfile.BadZipFile, ValueError, OSError, KeyError):
            return None
        return None
    try:
        with _open_image(raw) as image:
            return IMAGE_TYPES.get(image.format)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        text = raw.decode(errors="replace")
    if "\ufffd" in text:
        return None  # not UTF-8: binary
    if _CONTROL.search(text) or re.search(r"<\s*[a-zA-Z!?/]", text):
        return None  # markup (HTML, SVG, XML) or binary: not plain text
    return "text/plain"


def strip_image(raw):
    """The photo ``raw`` decoded and saved again in its format without any
    metadata (EXIF, XMP, comments); turned upright first, as its EXIF said.
    Raises ``ValueError`` when it cannot be decoded or is too large."""
    try:
        with _open_image(raw) as image:
            image_format = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = upright.copy()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(str(error)) from error
    # only what drawing the picture needs: no exif, xmp, comment, icc, dpi...
    clean.info = {
        key: value
        for key, value in upright.info.items()
        if key in ("transparency", "duration", "loop")
    }
    output = io.BytesIO()
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
    clean.save(output, format=image_format, **options)
    return output.getvalue()


def _upload_name(filename, mimetype):
    """The file's name without markup, with the extension of the type found."""
    name = strip_html(filename or "")[:LINE_MAX_LENGTH] or "attachment"
    return os.path.splitext(name)[0][: LINE_MAX_LENGTH - 5] + UPLOAD_TYPES[mimetype]


def _files(env, field, uploads, choices=None):
    """The uploaded files as ``[{name, raw, mimetype}]``; empty file inputs are
    ignored. The type is found in the bytes (:func:`sniff_upload`), photos lose
    their metadata (:func:`strip_image`)."""
    uploads = [f for f in uploads or [] if getattr(f, "filename", None)]
    if len(uploads) > field.limit:
        return [], env._("You can send at most %(max)s files.", max=field.limit)
    result = []
    for upload in uploads:
        raw = upload.read(UPLOAD_MAX_BYTES + 1)
        shown_name = strip_html(upload.filename)[:80]
        if len(raw) > UPLOAD_MAX_BYTES:
            return [], env._(
                "%(name)s is too large: a file can be at most %(max)s MB.",
                name=shown_name,
                max=UPLOAD_MAX_MB,
            )
        if not raw:
            continue
        mimetype = sniff_upload(raw)
        if mimetype in IMAGE_TYPES.values():
            try:
                raw = strip_image(raw)
            except ValueError:
                mimetype = None
        if not mimetype:
            return [], env._(
                "%(name)s cannot be sent: we accept photos (JPEG, PNG, GIF, WebP), PDF files, "
                "Word, Excel and OpenDocument files and plain text.",
                name=shown_name,
            )
        result.append(
            {"name": _upload_name(upload.filename, mimetype), "raw": raw, "mimetype": mimetype}
        )
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
            name = f"attachment-{index}{UPLOAD_TYPES.get(upload['mimetype'], '')}"
        values.append(
            {
                "name": name,
                "datas": base64.b64encode(upload["raw"]),
                "mimetype": upload["mimetype"],
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
