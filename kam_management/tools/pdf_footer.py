"""The footer of the KAM letters and reports: the company line and "page x / y",
drawn on every page of a finished PDF.

wkhtmltopdf draws headers and footers (``--footer-html``, ``[page]``) only when
it is built with a patched Qt; the one Debian ships is not, and ignores them.
So the KAM layout puts the letterhead in the page itself and this module adds
the footer afterwards with reportlab and pypdf (as Odoo's own ``add_banner``
does), whatever wkhtmltopdf is installed.
"""

import io
import os

from odoo.tools.pdf import PdfFileReader, PdfFileWriter

FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
FONT_NAME = "KamFooterSans"
MM = 72 / 25.4
GREY = (0.35, 0.35, 0.35)


def _font():
    """A font that prints any Latin text (DejaVu Sans when installed)."""
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for path in FONT_FILES:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont(FONT_NAME, path))
            return FONT_NAME
    return "Helvetica"


def _lines(canvas, text, font, size, width):
    """``text`` in at most two lines of ``width`` points (split at " · ")."""
    if canvas.stringWidth(text, font, size) <= width:
        return [text]
    parts = text.split(" · ")
    first = parts[0]
    for index in range(1, len(parts)):
        candidate = " · ".join(parts[: index + 1])
        if canvas.stringWidth(candidate, font, size) > width:
            return [first, " · ".join(parts[index:])]
        first = candidate
    return [text]


def add_page_footer(pdf_content, text, margin_mm=15):
    """``pdf_content`` (bytes) with ``text`` and "page / pages" at the bottom of
    every page; returns the new PDF as bytes."""
    from reportlab.pdfgen import canvas as pdf_canvas  # noqa: PLC0415

    reader = PdfFileReader(io.BytesIO(pdf_content), strict=False, overwriteWarnings=False)
    pages = reader.getNumPages()
    font = _font()
    overlay = io.BytesIO()
    canvas = pdf_canvas.Canvas(overlay)
    for number in range(pages):
        page = reader.getPage(number)
        width = float(abs(page.mediaBox.getWidth()))
        height = float(abs(page.mediaBox.getHeight()))
        canvas.setPageSize((width, height))
        left, right = margin_mm * MM, width - margin_mm * MM
        counter = f"{number + 1} / {pages}"
        size = 7.5
        canvas.setFont(font, size)
        canvas.setFillColorRGB(*GREY)
        canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
        canvas.setLineWidth(0.5)
        base = 9 * MM
        canvas.line(left, base + 3.5 * MM, right, base + 3.5 * MM)
        room = right - left - canvas.stringWidth(counter, font, size) - 6 * MM
        lines = _lines(canvas, text or "", font, size, room)
        for index, line in enumerate(lines):
            canvas.drawString(left, base - index * (size + 2), line)
        canvas.drawRightString(right, base, counter)
        canvas.showPage()
    canvas.save()
    stamps = PdfFileReader(overlay, overwriteWarnings=False)
    writer = PdfFileWriter()
    for number in range(pages):
        page = reader.getPage(number)
        page.mergePage(stamps.getPage(number))
        writer.addPage(page)
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()
