"""Text in any script as reportlab paragraph markup: each character in a font that has it, shaped.

reportlab draws one glyph per character, left to right. That is right for Latin, Cyrillic, Greek,
Georgian, Armenian, Chinese, Japanese and Korean, and wrong for Arabic (letters join), Devanagari
(letters reorder and combine) and Hebrew (right to left). Those runs are shaped here by HarfBuzz, the
shaping engine browsers use, and handed to reportlab as the glyphs HarfBuzz chose, in drawing order;
`ShapedFont` records the text each glyph stands for, so the PDF's text reads back as typed.

The documents are in English, Russian or Kazakh, so a line runs left to right; a right-to-left name
inside it is drawn as one unit, its words right to left. Marks keep the position their glyph is drawn
with: HarfBuzz's mark offsets are not applied, since reportlab's paragraphs place glyphs by advance only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby, pairwise
from operator import itemgetter
from xml.sax.saxutils import escape

import uharfbuzz
from fontTools.unicodedata import script
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from reports.fonts import BOLD, BY_SCRIPT, DEFAULT, FAMILIES, Family, ShapedFont, font, register_fonts

# Common (punctuation, digits, spaces) and Inherited (combining marks) belong to no one script: they take
# the family of the text around them.
SHARED_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})
RIGHT_TO_LEFT = frozenset({"Arab", "Hebr"})


@dataclass
class Run:
    family: Family
    text: str

    @property
    def right_to_left(self) -> bool:
        return bool(self.family.scripts & RIGHT_TO_LEFT)


def has(family: Family, character: str) -> bool:
    return ord(character) in font(family.face(bold=False)).face.charToGlyph


def family_of(character: str, previous: Family | None) -> Family | None:
    """The family that draws `character`: its script's own, the one before it for shared characters, or
    the first in the fallback order that has it. None when no vendored font has it."""
    code = script(character)
    if code in SHARED_SCRIPTS and previous is not None and has(previous, character):
        return previous
    own = BY_SCRIPT.get(code)
    if own is not None and has(own, character):
        return own
    return next((family for family in FAMILIES if has(family, character)), None)


def uncovered(text: str) -> str:
    """The characters of `text` that no vendored font draws, each once, in order: empty when all are drawn."""
    maps = [font(family.face(bold=False)).face.charToGlyph for family in FAMILIES]
    return "".join(dict.fromkeys(c for c in text if c.isprintable() and not any(ord(c) in m for m in maps)))


def runs(text: str) -> list[Run]:
    """`text` cut where its font changes, in the order typed. Characters no font has are left out."""
    found: list[Run] = []
    for character in text:
        family = family_of(character, found[-1].family if found else None)
        if family is None:
            continue
        if found and found[-1].family is family:
            found[-1].text += character
        else:
            found.append(Run(family, character))
    # Spaces and punctuation after a right-to-left name belong to the left-to-right line around it.
    for index, run in enumerate(found):
        if run.right_to_left:
            kept = run.text.rstrip(" ,.;:()-–—")
            if kept and kept != run.text:
                tail = Run(DEFAULT, run.text[len(kept) :])
                run.text = kept
                found.insert(index + 1, tail)
    return found


def visual(found: list[Run]) -> list[Run]:
    """Runs in drawing order: consecutive right-to-left runs are drawn last first."""
    ordered: list[Run] = []
    group: list[Run] = []
    for run in found:
        if run.right_to_left:
            group.append(run)
            continue
        ordered += reversed(group)
        group = []
        ordered.append(run)
    return ordered + list(reversed(group))


def shaped(text: str, face: ShapedFont) -> str:
    """`text` as the code points that draw HarfBuzz's glyphs for it, in drawing order."""
    hb_font = _harfbuzz_font(face.fontName)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": True})
    units = 1000 / hb_font.face.upem
    starts = [*sorted({info.cluster for info in buffer.glyph_infos}), len(text)]
    ends = dict(pairwise(starts))
    glyphs = [
        (info.cluster, info.codepoint, round(position.x_advance * units))
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ]
    right_to_left = buffer.direction == "rtl"
    drawn: list[str] = []
    for start, cluster in groupby(glyphs, key=itemgetter(0)):
        drawn += _cluster(text[start : ends[start]], list(cluster), face, right_to_left)
    return "".join(drawn)


def _cluster(letters: str, glyphs: list[tuple[int, int, int]], face: ShapedFont, right_to_left: bool) -> list[str]:
    """The code points for one cluster's glyphs (cluster, glyph id, advance) in drawing order, standing for
    `letters`. Readers take right-to-left glyphs last first, so theirs stand for the letters backwards."""
    in_typed_order = glyphs[::-1] if right_to_left else glyphs
    cmap, widths = face.face.charToGlyph, face.face.charWidths
    if len(letters) == len(glyphs) and all(
        cmap.get(ord(c)) == g and widths.get(ord(c)) == a for c, (_, g, a) in zip(letters, in_typed_order, strict=True)
    ):
        return list(letters[::-1] if right_to_left else letters)
    # Otherwise each glyph stands for one letter in typed order and the last for the rest, so that a
    # reordered vowel sign, a ligature or a conjunct reads back as typed. Only a cluster with more glyphs
    # than letters (Thai's sara am) has glyphs that stand for nothing.
    if len(glyphs) <= len(letters):
        parts = [*letters[: len(glyphs) - 1], letters[len(glyphs) - 1 :]]
    else:
        parts = [*letters, *[""] * (len(glyphs) - len(letters))]
    if right_to_left:
        parts.reverse()
    return [chr(face.code_for(glyph, part, advance)) for (_, glyph, advance), part in zip(glyphs, parts, strict=True)]


@lru_cache(maxsize=16)
def _harfbuzz_font(face_name: str) -> uharfbuzz.Font:
    registered = font(face_name)
    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(registered.face._ttf_data)))


@lru_cache(maxsize=8192)
def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup (escaped) that draws `text` with real glyphs in a paragraph whose font is DejaVu
    Sans, bold or not: runs in other scripts switch font, and shaped runs carry their glyphs."""
    register_fonts()
    parts = []
    for run in visual(runs(text)):
        face_name = run.family.face(bold)
        drawn = shaped(run.text, font(face_name)) if run.family.shaped else run.text
        if run.family is DEFAULT:
            parts.append(escape(drawn))
        else:
            parts.append(f'<font name="{face_name}">{escape(drawn)}</font>')
    return "".join(parts)


def paragraph(value: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A paragraph of data in any script: printed literally (`&`, `<` and `>` are not reportlab's markup)
    and with every character drawn by a font that has it."""
    return Paragraph(markup(value, bold=paragraph_style.fontName == BOLD), paragraph_style)


def in_one_face(text: str) -> tuple[str, str]:
    """(face, drawn text) for a chart label, which reportlab sets in one font: the family of the label's
    letters, shaped. A label mixing families (a rare sender name) stays in DejaVu Sans."""
    register_fonts()
    found = visual(runs(text))
    families = {run.family for run in found}
    if len(families) != 1:
        return DEFAULT.name, text
    (family,) = families
    return family.name, "".join(shaped(run.text, font(family.name)) if family.shaped else run.text for run in found)
