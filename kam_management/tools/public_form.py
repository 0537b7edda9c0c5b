"""Input rules shared by the login-free web forms (complaints, safe reporting).

Every function takes the raw value from the request and an ``errors`` dict;
a rejected value adds ``{field: translated message}`` to ``errors`` and the
caller saves nothing while ``errors`` is not empty. Text is returned as plain
text: tags are stripped (the contents of ``script`` and ``style`` elements are
dropped entirely), entities decoded, control characters removed.
"""

import html
import re

from odoo.http import request
from odoo.tools.mail import email_normalize, email_split

TEXT_MAX_LENGTH = 5000
LINE_MAX_LENGTH = 200
UPLOAD_MAX_COUNT = 3
UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # per file
# a raw value this much longer than allowed is refused before it is parsed
RAW_FACTOR = 4

_HIDDEN_ELEMENTS = re.compile(
    r"<\s*(script|style|iframe|object|embed|template)\b.*?(<\s*/\s*\1\s*>|\Z)", re.I | re.S
)
_COMMENTS = re.compile(r"<!--.*?(-->|\Z)", re.S)
_TAGS = re.compile(r"</?[a-zA-Z!/][^>]*>?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _env():
    return request.env


def strip_html(value):
    """Plain text of ``value``: no tags, no script contents, no control characters."""
    text = _HIDDEN_ELEMENTS.sub(" ", value)
    text = _COMMENTS.sub(" ", text)
    text = _TAGS.sub("", text)
    text = html.unescape(text)
    # a second pass: entities may have hidden tags (&lt;script&gt;...)
    text = _HIDDEN_ELEMENTS.sub(" ", text)
    text = _TAGS.sub("", text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean_text(
    value,
    max_length=TEXT_MAX_LENGTH,
    field="description",
    errors=None,
    required=False,
    multiline=True,
    label=None,
):
    """Cleaned plain text of ``value`` ('' when empty or rejected)."""
    env = _env()
    errors = errors if errors is not None else {}
    label = label or field
    value = value if isinstance(value, str) else ""
    if len(value) > max_length * RAW_FACTOR:
        errors[field] = env._(
            "The field “%(field)s” can be at most %(max)s characters long.",
            field=label,
            max=max_length,
        )
        return ""
    text = strip_html(value)
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        errors[field] = env._("Please fill in the field “%(field)s”.", field=label)
        return ""
    if len(text) > max_length:
        errors[field] = env._(
            "The field “%(field)s” can be at most %(max)s characters long.",
            field=label,
            max=max_length,
        )
        return ""
    return text


def clean_email(value, field="email", errors=None, required=False, label=None):
    """The normalized e-mail address in ``value`` ('' when empty or rejected)."""
    env = _env()
    errors = errors if errors is not None else {}
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        if required:
            errors[field] = env._("Please fill in the field “%(field)s”.", field=label or field)
        return ""
    addresses = email_split(value) if len(value) <= 254 else []
    normalized = email_normalize(addresses[0]) if len(addresses) == 1 else False
    if not normalized:
        errors[field] = env._("%(value)s is not a valid e-mail address.", value=value[:80])
        return ""
    return normalized


def read_uploads(
    files, field="attachments", errors=None, max_count=UPLOAD_MAX_COUNT, max_bytes=UPLOAD_MAX_BYTES
):
    """The uploaded files as ``[{name, raw, mimetype}]``; empty file inputs are ignored."""
    env = _env()
    errors = errors if errors is not None else {}
    uploads = [f for f in files or [] if getattr(f, "filename", None)]
    if len(uploads) > max_count:
        errors[field] = env._("You can send at most %(max)s files.", max=max_count)
        return []
    result = []
    for upload in uploads:
        raw = upload.read(max_bytes + 1)
        if len(raw) > max_bytes:
            errors[field] = env._(
                "%(name)s is too large: a file can be at most %(max)s MB.",
                name=strip_html(upload.filename)[:80],
                max=max_bytes // (1024 * 1024),
            )
            return []
        if raw:
            name = strip_html(upload.filename)[:LINE_MAX_LENGTH] or "attachment"
            result.append({"name": name, "raw": raw, "mimetype": upload.mimetype})
    return result
