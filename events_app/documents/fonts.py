"""The fonts the PDFs are set in: DejaVu Sans (embedded, a subset per document), whose glyphs cover the names
people type (Zoë Ní Bhriain, Łukasz, Şükrü, Ἀλέξανδρος, Дмитрий). Where the machine has no DejaVu, reportlab's
built-in Helvetica stands in: it needs nothing installed, but it has Western European letters only (Ł shows as
a box)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

# Debian and Ubuntu (fonts-dejavu-core), Fedora, Arch and Homebrew put DejaVu in one of these.
FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
    Path("/opt/homebrew/share/fonts"),
    Path("/usr/local/share/fonts"),
)


@dataclass(frozen=True, slots=True)
class Fonts:
    regular: str
    bold: str
    unicode: bool  # False: Helvetica, Western European letters only


def _find(name: str) -> Path | None:
    return next((folder / name for folder in FONT_FOLDERS if (folder / name).is_file()), None)


@cache
def fonts() -> Fonts:
    """Registered once per process."""
    regular, bold = _find("DejaVuSans.ttf"), _find("DejaVuSans-Bold.ttf")
    if regular is None or bold is None:
        logger.warning("DejaVu Sans not found: badges and certificates use Helvetica (Western European letters only)")
        return Fonts(regular="Helvetica", bold="Helvetica-Bold", unicode=False)
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
    return Fonts(regular="DejaVuSans", bold="DejaVuSans-Bold", unicode=True)
