"""The fonts the PDF documents draw with: one family per script an observer's name can be written in.

The PDF standard fonts cover Latin-1 only, and no single freely licensed font covers every script a
commission sees on its lists: DejaVu Sans draws Latin, Cyrillic (with the Kazakh letters), Greek,
Georgian and Armenian; Noto Sans draws Arabic and Persian, Hebrew, Devanagari and Thai; NanumGothic
draws Korean; Droid Sans Fallback draws Chinese (simplified and traditional) and Japanese kana and kanji.
All are vendored here with their licences, so a fresh machine needs no system fonts.

Every file is a TrueType (glyf) build. reportlab embeds TrueType outlines only; the CJK families that
are better known (Noto Sans CJK, Source Han) ship as CFF-flavoured OpenType, and converting their
65,000 glyphs to quadratic outlines with fontTools would make a 20 MB file per region, where Droid Sans
Fallback (Apache 2.0) is 4 MB for Chinese and Japanese together. Its one weight draws bold text too;
so does NanumGothic's regular, the only Korean weight vendored.

reportlab embeds a subset of each font: only the glyphs a document draws.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

FONTS = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

# Code points reportlab can be handed for glyphs that no character maps to (a letter's joined form, a
# ligature): the Basic Multilingual Plane's private use area, then the two supplementary ones.
PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


@dataclass(frozen=True)
class Family:
    name: str
    regular: str
    bold: str | None
    scripts: frozenset[str]
    """ISO 15924 codes of the scripts this family draws first."""
    shaped: bool
    """Whether its text must be shaped: letters that join, reorder or stack (Arabic, Devanagari, Thai) or
    run right to left (Hebrew)."""

    def face(self, bold: bool) -> str:
        return f"{self.name}-Bold" if bold and self.bold else self.name


# In fallback order: a character outside every family's own scripts takes the first family that has it.
FAMILIES = (
    Family("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", frozenset(), shaped=False),
    Family("NotoSansArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", frozenset({"Arab"}), True),
    Family("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", frozenset({"Hebr"}), True),
    Family(
        "NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", frozenset({"Deva"}), True
    ),
    Family("NotoSansThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", frozenset({"Thai"}), True),
    Family("NanumGothic", "NanumGothic.ttf", None, frozenset({"Hang"}), shaped=False),
    Family("DroidSansFallback", "DroidSansFallbackFull.ttf", None, frozenset({"Hani", "Hira", "Kana", "Bopo"}), False),
)
DEFAULT = FAMILIES[0]
BY_SCRIPT = {script: family for family in FAMILIES for script in family.scripts}


class ShapedFont(TTFont):
    """A TrueType font that can also draw glyphs no character maps to, and says which text each stands for.

    Shaping turns letters into glyphs the font's character map does not reach (Arabic's joined forms, a
    Devanagari conjunct). Each such glyph gets a private-use code point here, with the text it stands for;
    the PDF's ToUnicode map then gives that text back, so copying, searching and screen readers get the
    letters that were typed, not private-use characters.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename, shapable=False)
        self.actual_text: dict[int, str] = {}
        self._codes: dict[tuple[int, str, int], int] = {}
        self._free = (code for area in PRIVATE_USE for code in area if code not in self.face.charToGlyph)
        self._lock = threading.Lock()

    def code_for(self, glyph: int, text: str, advance: int) -> int:
        """The code point that draws `glyph`, `advance` thousandths of an em wide, standing for `text`."""
        key = (glyph, text, advance)
        with self._lock:
            code = self._codes.get(key)
            if code is None:
                code = next(self._free, None)
                if code is None:
                    raise RuntimeError(f"{self.fontName}: every private-use code point is taken")
                self.face.charToGlyph[code] = glyph
                self.face.charWidths[code] = advance
                self.actual_text[code] = text
                self._codes[key] = code
            return code

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            if any(code in self.actual_text for code in subset):
                base = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
                doc.idToObject["toUnicodeCMap:" + base].content = self._to_unicode(base, subset)

    def _to_unicode(self, base: str, subset: list[int]) -> str:
        def utf16(text: str) -> str:
            return text.encode("utf-16-be").hex().upper()

        pairs = [f"<{i:02X}> <{utf16(self.actual_text.get(code, chr(code)))}>" for i, code in enumerate(subset)]
        return "\n".join(
            [
                "/CIDInit /ProcSet findresource begin",
                "12 dict begin",
                "begincmap",
                f"/CIDSystemInfo << /Registry ({base}) /Ordering ({base}) /Supplement 0 >> def",
                f"/CMapName /{base} def",
                "/CMapType 2 def",
                "1 begincodespacerange",
                f"<00> <{len(subset) - 1:02X}>",
                "endcodespacerange",
                f"{len(pairs)} beginbfchar",
                *pairs,
                "endbfchar",
                "endcmap",
                "CMapName currentdict /CMap defineresource pop",
                "end",
                "end",
            ]
        )


_registered: dict[str, ShapedFont] = {}
_registering = threading.Lock()


def font(face: str) -> ShapedFont:
    """The registered font of `face` (a family's name, or its name with -Bold), loaded on first use.

    Under a lock: two threads building documents at once must share one instance, whose private-use
    code points both use."""
    with _registering:
        if face not in _registered:
            family = next(family for family in FAMILIES if face in (family.name, family.face(bold=True)))
            filename = family.bold if face != family.name and family.bold else family.regular
            _registered[face] = ShapedFont(face, str(FONTS / filename))
            pdfmetrics.registerFont(_registered[face])
        return _registered[face]


@cache
def register_fonts() -> None:
    """Register the default family once per process: parsing the font files is the slow part."""
    font(REGULAR)
    font(BOLD)
    # So that <b> and <i> in paragraph markup stay in DejaVu instead of falling back to Helvetica;
    # there is no italic face vendored, so italics print upright.
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def load_all() -> None:
    """Parse every family now (a tenth of a second), so that no request pays for it; run off the event loop."""
    register_fonts()
    for family in FAMILIES:
        font(family.face(bold=False))
        font(family.face(bold=True))
