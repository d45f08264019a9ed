"""DejaVu Sans for every text of the PDF documents.

The PDF standard fonts (Helvetica and friends) cover Latin-1 only: Cyrillic and the Kazakh letters
(Ә Ғ Қ Ң Ө Ұ Ү Һ І) print as black boxes. DejaVu Sans covers them all and is vendored here with its
licence, so a fresh machine needs no system fonts; reportlab embeds a subset of the glyphs used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    """Register DejaVu Sans once per process: parsing the font files is the slow part."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    # So that <b> and <i> in paragraph markup stay in DejaVu instead of falling back to Helvetica;
    # there is no italic face vendored, so italics print upright.
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
