"""Print-ready attendee badges as a PDF: A4 or US Letter, eight per page, with vector QR codes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

PAPER_SIZES = {"a4": A4, "letter": LETTER}
COLUMNS, ROWS = 2, 4
MARGIN = 12 * mm
QR_SIZE = 34 * mm
PADDING = 5 * mm
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


@dataclass
class BadgeData:
    """What one badge shows."""

    name: str
    company: str
    url: str


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """Regular and bold font names: DejaVu (covers accents and most scripts) if installed."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("BadgeSans", str(regular)))
            pdfmetrics.registerFont(TTFont("BadgeSans-Bold", str(bold)))
            return "BadgeSans", "BadgeSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR modules for ``data``, without a quiet zone.

    A fixed mask pattern skips qrcode's eight trial encodings, which makes a badge about six
    times faster to draw; any mask gives a valid, readable code.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=2)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _draw_qr(pdf: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw the QR code for ``data`` as one filled vector path, lower-left corner at (x, y)."""
    matrix = qr_matrix(data)
    count = len(matrix)
    rects = []
    for row_index, row in enumerate(matrix):
        bottom = count - 1 - row_index
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                # Runs of dark modules become one rectangle: fewer operators, smaller file.
                rects.append(f"{start} {bottom} {column - start} 1 re")
            else:
                column += 1
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    # Draw in module units: integer coordinates keep the path exact and fast to write.
    module = size / count
    pdf.transform(module, 0, 0, module, x, y)
    pdf.addLiteral("\n".join(rects) + "\nf")
    pdf.restoreState()


def _fit_lines(text: str, font: str, size: float, width: float, max_lines: int):
    """Shrink ``size`` until ``text`` wraps into at most ``max_lines`` lines of ``width``.

    A name that fits on one line at three quarters of the size stays on one line.
    """
    for one_line_size in range(int(size), int(size * 0.75) - 1, -1):
        if pdfmetrics.stringWidth(text, font, one_line_size) <= width:
            return [text], one_line_size
    while size > 9:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines:
            return lines, size
        size -= 1
    return simpleSplit(text, font, size, width)[:max_lines], size


def _draw_badge(pdf, badge: BadgeData, event_name: str, x, y, width, height) -> None:
    """Draw one badge in the cell whose lower-left corner is (x, y)."""
    regular, bold = _fonts()
    pdf.setStrokeColorRGB(0.75, 0.75, 0.75)
    pdf.setLineWidth(0.5)
    pdf.roundRect(x, y, width, height, 3 * mm, stroke=1, fill=0)

    qr_x = x + width - PADDING - QR_SIZE
    qr_y = y + (height - QR_SIZE) / 2
    _draw_qr(pdf, badge.url, qr_x, qr_y, QR_SIZE)

    text_x = x + PADDING
    text_width = qr_x - text_x - 3 * mm
    top = y + height - PADDING
    pdf.setFillColorRGB(0.12, 0.37, 0.36)
    pdf.setFont(regular, 8)
    for line in simpleSplit(event_name, regular, 8, text_width)[:1]:
        pdf.drawString(text_x, top - 8, line)
    pdf.setFillColorRGB(0, 0, 0)
    lines, size = _fit_lines(badge.name, bold, 20, text_width, 2)
    cursor = top - 8 - 6 * mm
    pdf.setFont(bold, size)
    for line in lines:
        cursor -= size
        pdf.drawString(text_x, cursor, line)
        cursor -= 2
    if badge.company:
        company_lines, company_size = _fit_lines(badge.company, regular, 12, text_width, 2)
        pdf.setFont(regular, company_size)
        cursor -= 4
        for line in company_lines:
            cursor -= company_size
            pdf.drawString(text_x, cursor, line)
            cursor -= 2


def badges_pdf(badges: list[BadgeData], event_name: str, paper: str = "a4") -> bytes:
    """Render ``badges`` as a PDF, ``COLUMNS`` × ``ROWS`` per page, in reading order."""
    page_width, page_height = PAPER_SIZES.get(paper, A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(page_width, page_height), pageCompression=1)
    pdf.setTitle(f"Badges · {event_name}")
    pdf.setCreator("Rapport")
    cell_width = (page_width - 2 * MARGIN) / COLUMNS
    cell_height = (page_height - 2 * MARGIN) / ROWS
    per_page = COLUMNS * ROWS
    if not badges:
        pdf.setFont(_fonts()[0], 14)
        pdf.drawString(MARGIN, page_height - MARGIN - 14, "No attendees selected.")
    for index, badge in enumerate(badges):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        column, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN + column * cell_width
        y = page_height - MARGIN - (row + 1) * cell_height
        # A small gutter between badges leaves room to cut.
        _draw_badge(
            pdf,
            badge,
            event_name,
            x + 1 * mm,
            y + 1 * mm,
            cell_width - 2 * mm,
            cell_height - 2 * mm,
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def badge_cell(paper: str, index: int) -> tuple[float, float, float, float]:
    """The rectangle ``(left, bottom, right, top)`` in points of badge ``index`` on its page."""
    page_width, page_height = PAPER_SIZES.get(paper, A4)
    cell_width = (page_width - 2 * MARGIN) / COLUMNS
    cell_height = (page_height - 2 * MARGIN) / ROWS
    slot = index % (COLUMNS * ROWS)
    column, row = slot % COLUMNS, slot // COLUMNS
    left = MARGIN + column * cell_width
    bottom = page_height - MARGIN - (row + 1) * cell_height
    return left, bottom, left + cell_width, bottom + cell_height
