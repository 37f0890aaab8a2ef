"""What badges and certificates share: text fitted to a box (shrunk, wrapped, and cut with an ellipsis only
when even the smallest size cannot hold it) and QR codes drawn as vectors from the ticket module's modules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from events_app.tickets import qr

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Fitted:
    size: float
    lines: list[str]


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the box (a long double-barrelled name) in pieces that each fit."""
    pieces, piece = [], ""
    for letter in word:
        if piece and stringWidth(piece + letter, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += letter
    return [*pieces, piece] if piece else pieces


def _pieces(text: str) -> list[tuple[str, bool]]:
    """The text's words, a hyphenated word also split after each hyphen (a line may end there), each with
    whether a space goes before it."""
    pieces: list[tuple[str, bool]] = []
    for word in text.split():
        parts = re.findall(r"[^-]+-+|[^-]+|-+", word)
        pieces += [(part, index == 0) for index, part in enumerate(parts)]
    return pieces


def wrap(text: str, font: str, size: float, width: float, *, break_words: bool = True) -> list[str] | None:
    """Words on as few lines as fit the width (breaking after hyphens too). A word too wide for any line is
    broken between letters, or, without `break_words`, the text does not fit (None)."""
    lines: list[str] = []
    line = ""
    for piece, spaced in _pieces(text):
        candidate = f"{line} {piece}" if line and spaced else line + piece
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        if stringWidth(piece, font, size) <= width:
            line = piece
            continue
        if not break_words:
            return None
        *whole, line = _break_word(piece, font, size, width)
        lines += whole
    return [*lines, line] if line else lines


def fit(text: str, font: str, *, width: float, largest: float, smallest: float, max_lines: int) -> Fitted:
    """The largest size (in half points, from `largest` down to `smallest`) at which the text fits on at most
    `max_lines` lines of the width without breaking a word; at the smallest size a word may be broken, and what
    still does not fit is cut with an ellipsis."""
    size = largest
    while size > smallest:
        lines = wrap(text, font, size, width, break_words=False)
        if lines is not None and len(lines) <= max_lines:
            return Fitted(size=size, lines=lines)
        size = max(smallest, size - 0.5)
    lines = wrap(text, font, smallest, width) or []
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and stringWidth(last + ELLIPSIS, font, smallest) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + ELLIPSIS]
    return Fitted(size=smallest, lines=lines)


def draw_lines(canvas: Canvas, fitted: Fitted, font: str, x: float, top: float, leading: float = 1.15) -> float:
    """Draws the lines from `top` down (left-aligned at x); returns the y below the last line."""
    y = top
    canvas.setFont(font, fitted.size)
    for line in fitted.lines:
        y -= fitted.size
        canvas.drawString(x, y, line)
        y -= fitted.size * (leading - 1)
    return y


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code of `text` as filled rectangles (one per run of dark modules in a row), its quiet zone
    included, in a square of `size` with its lower left corner at (x, y); on white, so it reads on any badge."""
    matrix = qr.modules(text)
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        row_y = y + size - (row_number + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + start * module, row_y, (column - start) * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
