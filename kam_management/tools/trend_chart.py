"""The trend of an indicator as a small SVG line chart, drawn on the server.

One implementation for the indicator form (widget ``kam_svg``) and the PDF
minutes (wkhtmltopdf): the values per period as a line with a dot per period
in the colour of its status, and the target as a dashed step line. Every text
is XML-escaped."""

import math

from markupsafe import escape

STATUS_COLOURS = {"green": "#28a745", "amber": "#f0ad4e", "red": "#dc3545", "none": "#6c757d"}
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44


def _nice_bounds(low, high):
    if low == high:
        low, high = low - 1, high + 1
    span = high - low
    return low - span * 0.1, high + span * 0.1


def _format(value):
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def _period_labels(points, x, step):
    """Every n-th period label, so that the longest label (about 6.5 px a character)
    does not run into the next one; the latest period always has its label, and the
    first and last labels align to the edge of the picture if needed."""
    longest = max((len(label) for label, _v, _t, _s in points), default=0)
    every = max(1, math.ceil((longest * 6.5 + 8) / step))
    for i, (label, _v, _t, _s) in enumerate(points):
        if (len(points) - 1 - i) % every:
            continue
        lx, anchor = x(i), "middle"
        if lx + len(label) * 3.25 > WIDTH:
            lx, anchor = WIDTH - 2, "end"
        elif lx - len(label) * 3.25 < 0:
            lx, anchor = 2, "start"
        yield (
            f'<text x="{lx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="{anchor}" '
            f'fill="#495057">{escape(label)}</text>'
        )


def render_svg(points, value_label="", target_label="", empty_text=""):
    """SVG of ``points``: a list of ``(period label, value or None, target or None,
    status)`` in time order."""
    numbers = [v for _l, v, _t, _s in points if v is not None] + [
        t for _l, _v, t, _s in points if t is not None
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" style="max-width:{WIDTH}px;font-family:sans-serif;font-size:11px">'
    ]
    if not numbers:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#6c757d">'
            f"{escape(empty_text)}</text></svg>"
        )
        return "".join(parts)
    low, high = _nice_bounds(
        min(numbers + [0]) if min(numbers) >= 0 else min(numbers), max(numbers)
    )
    if min(numbers) >= 0:
        low = max(low, 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def x(i):
        return LEFT + (i * step if len(points) > 1 else plot_w / 2)

    def y(v):
        return TOP + plot_h - (v - low) / (high - low) * plot_h

    # axes and grid
    for k in range(5):
        v = low + (high - low) * k / 4
        yy = y(v)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
            'stroke="#e9ecef"/>'
            f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#6c757d">'
            f"{escape(_format(v))}</text>"
        )
    parts.extend(_period_labels(points, x, step))
    # target: a dashed step line
    target_path = []
    for i, (_l, _v, target, _s) in enumerate(points):
        if target is None:
            continue
        x0, x1 = x(i) - step / 2, x(i) + step / 2
        x0, x1 = max(x0, LEFT), min(x1, WIDTH - RIGHT)
        target_path.append(f"M{x0:.1f},{y(target):.1f} L{x1:.1f},{y(target):.1f}")
    if target_path:
        parts.append(
            f'<path d="{" ".join(target_path)}" stroke="#0d6efd" stroke-width="2" '
            'stroke-dasharray="6,4" fill="none"/>'
        )
    # values: a line through the measured periods, a dot per period
    line = [f"{x(i):.1f},{y(v):.1f}" for i, (_l, v, _t, _s) in enumerate(points) if v is not None]
    if len(line) > 1:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="#343a40" stroke-width="2"/>'
        )
    for i, (label, v, _t, status) in enumerate(points):
        if v is None:
            continue
        colour = STATUS_COLOURS.get(status, STATUS_COLOURS["none"])
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4.5" fill="{colour}" stroke="#fff">'
            f"<title>{escape(label)}: {escape(_format(v))}</title></circle>"
        )
    # legend
    legend_y = HEIGHT - 8
    parts.append(
        f'<line x1="{LEFT}" y1="{legend_y - 4}" x2="{LEFT + 24}" y2="{legend_y - 4}" '
        'stroke="#343a40" stroke-width="2"/>'
        f'<text x="{LEFT + 30}" y="{legend_y}" fill="#495057">{escape(value_label)}</text>'
    )
    if target_path:
        parts.append(
            f'<line x1="{LEFT + 200}" y1="{legend_y - 4}" x2="{LEFT + 224}" y2="{legend_y - 4}" '
            'stroke="#0d6efd" stroke-width="2" stroke-dasharray="6,4"/>'
            f'<text x="{LEFT + 230}" y="{legend_y}" fill="#495057">{escape(target_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
