"""Ishikawa (fishbone) diagram rendered as a self-contained SVG string.

Pure Python, no Odoo dependency: the caller passes already translated labels.
The output only uses plain SVG elements and presentation attributes (no CSS,
no scripts, no external resources) so that it renders the same in browsers
and in wkhtmltopdf's old WebKit.
"""

import re
import unicodedata
from xml.sax.saxutils import escape, quoteattr

# Old QtWebKit (wkhtmltopdf) does not resolve the Helvetica/Arial aliases through
# fontconfig: name the metric-compatible free fonts explicitly.
FONT = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', sans-serif"
MAX_CAUSES = 5
# a cause is wrapped in at most this many lines; only longer texts are cut
CAUSE_LINES = 4
ELLIPSIS = "\u2026"
# room for fallback fonts wider than Helvetica (DejaVu Sans on a bare Debian)
_SLACK = 1.12
_BOLD = 1.08

COLOR_SPINE = "#34495e"
COLOR_BONE = "#7f8c8d"
COLOR_TEXT = "#2c3e50"
COLOR_MUTED = "#7f8c8d"
COLOR_ROOT = "#c0392b"
COLOR_LABEL_BG = "#eaf2f8"
COLOR_LABEL_BORDER = "#5d8aa8"
COLOR_EFFECT_BG = "#fdf2e9"
COLOR_EFFECT_BORDER = "#d35400"

# Helvetica advance widths (1/1000 em) for printable ASCII 32..126, used to
# estimate text widths for truncation and wrapping.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip

# Characters that are not allowed in XML 1.0 documents.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value):
    """Single-line text without characters that would break the XML."""
    text = _XML_INVALID.sub("", str(value or ""))
    return " ".join(text.split())


def _char_width(char):
    code = ord(char)
    if 32 <= code <= 126:
        return _HELVETICA[code - 32]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    if unicodedata.combining(char):
        return 0
    return 600


def text_width(text, size, bold=False):
    """Estimated rendered width of ``text`` in px (Helvetica metrics).

    A small margin is added for wider fallback fonts (e.g. DejaVu Sans).
    """
    width = sum(_char_width(c) for c in text) * size / 1000.0 * _SLACK
    return width * _BOLD if bold else width


def _prefix(text, max_px, size, bold=False):
    """The longest start of ``text`` that fits in ``max_px`` (at least one char)."""
    used, factor = 0.0, size / 1000.0 * _SLACK * (_BOLD if bold else 1)
    for index, char in enumerate(text):
        used += _char_width(char) * factor
        if used > max_px:
            return text[: max(index, 1)]
    return text


def truncate(text, max_px, size, bold=False):
    """``text`` shortened with an ellipsis so that it fits in ``max_px``."""
    if text_width(text, size, bold) <= max_px:
        return text
    budget = max_px - text_width(ELLIPSIS, size, bold)
    return _prefix(text, budget, size, bold).rstrip() + ELLIPSIS


def wrap(text, max_px, size, max_lines, bold=False):
    """Word wrap in at most ``max_lines`` lines, the last one ending with an
    ellipsis when the text does not fit; words longer than a line are split."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= max_px:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, bold) > max_px:
            head = _prefix(word, max_px, size, bold)
            lines.append(head)
            word = word[len(head) :]
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        budget = max_px - text_width(ELLIPSIS, size, bold)
        lines = lines[: max_lines - 1] + [_prefix(last, budget, size, bold).rstrip() + ELLIPSIS]
    return lines


def _num(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x, y, content, size, fill=COLOR_TEXT, anchor="start", extra=""):
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-family="{FONT}" font-size="{size}" '
        f'fill="{fill}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'
    )


def _line(x1, y1, x2, y2, stroke, width, extra=""):
    return (
        f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
        f'stroke="{stroke}" stroke-width="{width}"{extra}/>'
    )


def _diamond(x, y, r, fill):
    points = f"{_num(x)},{_num(y - r)} {_num(x + r)},{_num(y)} {_num(x)},{_num(y + r)} "
    points += f"{_num(x - r)},{_num(y)}"
    return f'<polygon points="{points}" fill="{fill}" stroke="{fill}" stroke-width="1"/>'


class _Layout:
    """Geometry shared by the drawing helpers."""

    def __init__(self, width, height, columns):
        self.width = width
        self.height = height
        self.spine_y = height / 2.0
        self.effect_w = max(110.0, min(190.0, width * 0.18))
        self.effect_x = width - 8 - self.effect_w
        self.spine_x0 = 14.0
        self.spine_x1 = self.effect_x - 2
        self.top_y = 44.0  # outer end of the upper bones
        self.bottom_y = height - 44.0  # outer end of the lower bones
        self.slant = max(40.0, (self.spine_y - self.top_y) * 0.55)
        usable = self.spine_x1 - 22 - self.spine_x0 - self.slant
        self.column_w = usable / max(columns, 1)
        self.cause_size = 11 if self.column_w >= 150 else 10

    def bone_root_x(self, column):
        """Where bone ``column`` (0 = leftmost) meets the spine."""
        return self.spine_x0 + self.slant + (column + 1) * self.column_w

    def bone_x_at(self, column, y):
        """x of bone ``column`` at height ``y`` (bones are parallel)."""
        ratio = abs(self.spine_y - y) / (self.spine_y - self.top_y)
        return self.bone_root_x(column) - ratio * self.slant


def _label(layout, column, top, label):
    size = 12
    max_w = layout.column_w - 8
    text = truncate(label, max_w - 12, size, bold=True)
    box_w = text_width(text, size, bold=True) + 14
    end_y = layout.top_y if top else layout.bottom_y
    x = layout.bone_x_at(column, end_y)
    box_y = end_y - 24 if top else end_y + 2
    # keep the box inside the drawing
    box_x = min(max(x - box_w / 2, 2), layout.width - box_w - 2)
    return [
        f'<rect x="{_num(box_x)}" y="{_num(box_y)}" width="{_num(box_w)}" height="22" '
        f'rx="4" ry="4" fill="{COLOR_LABEL_BG}" stroke="{COLOR_LABEL_BORDER}" '
        f'stroke-width="1"/>',
        _text(
            box_x + box_w / 2,
            box_y + 15,
            text,
            size,
            anchor="middle",
            extra=' font-weight="bold" class="kam-ishikawa-label"',
        ),
    ]


def _cause_rows(layout, top, weights):
    """y positions (middles) of causes along a bone, top to bottom: each gets a
    slot as high as its number of lines (``weights``) asks."""
    if top:
        first, last = layout.top_y + 12, layout.spine_y - 14
    else:
        first, last = layout.spine_y + 14, layout.bottom_y - 12
    total = sum(weights) or 1
    ys, start = [], first
    for weight in weights:
        slot = (last - first) * weight / total
        ys.append(start + slot / 2)
        start += slot
    return ys


def _cause_width(layout, column, y):
    """Room for the text of a cause of bone ``column`` at height ``y``."""
    x = layout.bone_x_at(column, y)
    left = layout.bone_x_at(column - 1, y) + 8 if column else layout.spine_x0 - 6
    return x - 18 - left


def _cause_lines(layout, column, y, cause):
    name = _clean(cause.get("name")) or "?"
    width = _cause_width(layout, column, y)
    return wrap(name, width, layout.cause_size, CAUSE_LINES, bold=bool(cause.get("root")))


def _cause(layout, column, y, cause):
    name = _clean(cause.get("name")) or "?"
    root = bool(cause.get("root"))
    size = layout.cause_size
    x = layout.bone_x_at(column, y)
    tick = 14
    lines = _cause_lines(layout, column, y, cause) or [name]
    color = COLOR_ROOT if root else COLOR_TEXT
    css = "kam-ishikawa-cause kam-ishikawa-root" if root else "kam-ishikawa-cause"
    parts = [
        f"<g class={quoteattr(css)}>",
        f"<title>{escape(name)}</title>",
        _line(x - tick, y, x, y, COLOR_ROOT if root else COLOR_BONE, 2 if root else 1.2),
    ]
    extra = ' font-weight="bold"' if root else ""
    line_h = size + 2
    first = y + size * 0.35 - (len(lines) - 1) * line_h / 2
    if len(lines) == 1:
        parts.append(
            _text(x - tick - 4, first, lines[0], size, fill=color, anchor="end", extra=extra)
        )
    else:
        spans = "".join(
            f'<tspan x="{_num(x - tick - 4)}" y="{_num(first + i * line_h)}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text font-family="{FONT}" font-size="{size}" fill="{color}" text-anchor="end"'
            f"{extra}>{spans}</text>"
        )
    if root:
        parts.append(_diamond(x, y, 4, COLOR_ROOT))
    parts.append("</g>")
    return parts


def _more(template, count):
    try:
        return _clean(template % {"count": count})
    except (TypeError, ValueError, KeyError):
        return f"+{count}"


def _bone_height(layout, column, bone):
    """Vertical room the shown causes of ``bone`` need, wrapped."""
    causes = list(bone.get("causes") or [])[:MAX_CAUSES]
    line_h = layout.cause_size + 2
    y = (layout.top_y + layout.spine_y) / 2
    lines = sum(len(_cause_lines(layout, column, y, cause)) for cause in causes)
    return lines * line_h + (len(causes) + 1) * 8


def _bone(layout, column, top, bone, more_text):
    end_y = layout.top_y if top else layout.bottom_y
    key = _clean(bone.get("key"))
    parts = [
        f"<g class={quoteattr('kam-ishikawa-bone kam-ishikawa-bone-' + key)}>",
        _line(
            layout.bone_root_x(column),
            layout.spine_y,
            layout.bone_x_at(column, end_y),
            end_y,
            COLOR_BONE,
            2,
            ' stroke-linecap="round"',
        ),
    ]
    parts += _label(layout, column, top, _clean(bone.get("label")) or key)
    causes = list(bone.get("causes") or [])
    shown = causes[:MAX_CAUSES]
    hidden = len(causes) - len(shown)
    mid = (layout.top_y + layout.spine_y) / 2
    weights = [len(_cause_lines(layout, column, mid, cause)) or 1 for cause in shown]
    ys = _cause_rows(layout, top, weights + ([1] if hidden else []))
    if hidden:
        more_y = ys.pop()
        x = layout.bone_x_at(column, more_y) - 18
        size = layout.cause_size - 1
        more = truncate(_more(more_text, hidden), layout.column_w - 30, size)
        parts.append(
            _text(
                x,
                more_y + size * 0.35,
                more,
                size,
                fill=COLOR_MUTED,
                anchor="end",
                extra=' font-style="italic" class="kam-ishikawa-more"',
            )
        )
    for y, cause in zip(ys, shown, strict=True):
        parts += _cause(layout, column, y, cause)
    parts.append("</g>")
    return parts


def _effect(layout, effect):
    size = 13 if layout.effect_w >= 150 else 11
    inner = layout.effect_w - 24
    lines = wrap(_clean(effect), inner, size, 5, bold=True) or [""]
    line_h = size + 3
    box_h = max(56.0, len(lines) * line_h + 22)
    box_y = layout.spine_y - box_h / 2
    cx = layout.effect_x + layout.effect_w / 2
    first_y = layout.spine_y - (len(lines) - 1) * line_h / 2 + size * 0.35
    spans = "".join(
        f'<tspan x="{_num(cx)}" y="{_num(first_y + i * line_h)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return [
        '<g class="kam-ishikawa-effect">',
        f"<title>{escape(_clean(effect))}</title>",
        f'<rect x="{_num(layout.effect_x)}" y="{_num(box_y)}" width="{_num(layout.effect_w)}" '
        f'height="{_num(box_h)}" rx="6" ry="6" fill="{COLOR_EFFECT_BG}" '
        f'stroke="{COLOR_EFFECT_BORDER}" stroke-width="2"/>',
        f'<text font-family="{FONT}" font-size="{size}" font-weight="bold" '
        f'fill="{COLOR_TEXT}" text-anchor="middle">{spans}</text>',
        "</g>",
    ]


def _spine(layout):
    y = layout.spine_y
    tip = layout.spine_x1
    head = f"{_num(tip)},{_num(y)} {_num(tip - 14)},{_num(y - 7)} {_num(tip - 14)},{_num(y + 7)}"
    tail = (
        f"M {_num(layout.spine_x0 + 10)} {_num(y)} L {_num(layout.spine_x0)} {_num(y - 12)} "
        f"M {_num(layout.spine_x0 + 10)} {_num(y)} L {_num(layout.spine_x0)} {_num(y + 12)}"
    )
    return [
        '<g class="kam-ishikawa-spine">',
        _line(layout.spine_x0 + 10, y, tip - 12, y, COLOR_SPINE, 3),
        f'<polygon points="{head}" fill="{COLOR_SPINE}"/>',
        f'<path d="{tail}" fill="none" stroke="{COLOR_SPINE}" stroke-width="3" '
        'stroke-linecap="round"/>',
        "</g>",
    ]


def _legend(layout, root_text):
    # bottom left: inside the drawing whatever the font (a right-aligned legend
    # ran off the page with fonts wider than estimated)
    size = 10
    text = truncate(_clean(root_text), layout.width / 3, size)
    x = layout.spine_x0
    y = layout.height - 8
    return [
        '<g class="kam-ishikawa-legend">',
        _diamond(x + 4, y - size * 0.35, 4, COLOR_ROOT),
        _text(x + 12, y, text, size, fill=COLOR_ROOT, extra=' font-weight="bold"'),
        "</g>",
    ]


def render_svg(
    effect: str,
    bones: list[dict],
    width: int = 900,
    height: int = 380,
    *,
    more_text: str = "+%(count)s more",
    root_text: str = "Root cause",
) -> str:
    """Return an Ishikawa (fishbone) diagram as an SVG string.

    :param effect: the problem (head of the fish), wrapped in a box on the right
    :param bones: ``[{"key": "man", "label": "Man (people)",
        "causes": [{"name": "...", "root": bool}, ...]}, ...]``; the first half
        of the bones is drawn above the spine, the second half below
    :param width: width of the drawing (viewBox units; the SVG scales to 100%)
    :param height: height of the drawing
    :param more_text: translated "+N more" template, ``%(count)s`` is replaced
    :param root_text: translated legend for root causes (shown when there are any)
    """
    width = max(int(width), 400)
    height = max(int(height), 220)
    bones = list(bones or [])
    n_top = (len(bones) + 1) // 2
    columns = max(n_top, len(bones) - n_top, 1)
    layout = _Layout(width, height, columns)
    # taller when the wrapped causes of a bone need more room than a half
    needed = max(
        (_bone_height(layout, index % max(n_top, 1), bone) for index, bone in enumerate(bones)),
        default=0,
    )
    half = layout.spine_y - layout.top_y - 26
    if needed > half:
        height = int(height + 2 * (needed - half)) + 1
        layout = _Layout(width, height, columns)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="kam-ishikawa-svg" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-label={quoteattr(_clean(effect))}>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    parts += _spine(layout)
    for index, bone in enumerate(bones):
        top = index < n_top
        column = index if top else index - n_top
        parts += _bone(layout, column, top, bone, more_text)
    parts += _effect(layout, effect)
    if root_text and any(c.get("root") for b in bones for c in b.get("causes") or []):
        parts += _legend(layout, root_text)
    parts.append("</svg>")
    return "".join(parts)
