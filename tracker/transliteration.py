"""The Latin name a passport would carry, proposed from a name in its original script: upper-case A-Z, words
separated by single spaces, hyphens kept, apostrophes and other marks dropped (Д'Артаньян → DARTANIAN).
Pure: text in, a Proposal out. Which part of a full name is the patronymic (left out of the Latin name, kept
in the original one) is split_name's and name_parts' to say.

Sources, and how far each was checked:
- ICAO Doc 9303, Machine Readable Travel Documents, Part 3 "Specifications Common to all MRTDs" (7th edition
  2015, 8th edition 2021), its section of transliterations recommended for use by States: the table of
  Cyrillic characters and the table of multinational Latin-based characters. The primary PDF was not read
  here. The Russian rows were checked against the same table as the 6th edition numbered it (Part 1, Vol. 1,
  Appendix 9 to Section IV, "Transliteration of Cyrillic characters"), which Russia's regulations reproduce
  "for reference", and they agree with iuliia's ICAO_DOC_9303 schema, which supplies them here. The
  other Cyrillic rows (Ґ Є І Ї Ў Ђ Ѓ Ѕ Ј Љ Њ Ћ Ќ Џ Ѫ) and the Latin rows were checked only against secondary
  copies of the table: a Russian transcription of the whole Cyrillic table (trworkshop.net) and the tables of
  the `mrz` library (github.com/Arg0s1080/mrz, generator/dictionaries/cyrillic.py and latin_based.py), which
  cite 9303_p3_cons_en.pdf. The section number was not checked. ICAO's footnotes for single languages
  (Ukrainian И → Y, Belarusian and Serbian Г → H, Belarusian Ё → IO, Serbian and Macedonian variants) are
  not applied: the letters do not say which language a name is in, so the table's main column is used.
  A Cyrillic letter outside the table that is one of its letters with an accent (Tajik Ӣ Ӯ, Macedonian Ѐ Ѝ)
  is written as that letter, as the Latin table does with accents: this module's choice, not ICAO's.
- Kazakh letters: Ә→A Ғ→G Қ→K Ң→N Ө→O Ұ→U Ү→U Һ→H І→I, as Kazakhstan's passports write them (the rest of
  the Kazakh alphabet is Russian's, by ICAO's table). The Republic of Kazakhstan's rules for issuing passports
  and identity cards are the Minister of Internal Affairs' Order No. 532 of 30 June 2023 (registered with the
  Ministry of Justice under No. 32971; before it, Government Decree No. 852 of 26 August 2013); their text on
  transliteration could NOT be read here, so this table is NOT verified against the primary text. A secondary
  table (an airline-ticketing firm's transliteration table, help.anywayanyday.business/article/25717) agrees
  for Ә Ғ Қ Ң Ө Ұ Ү І, and gives Һ → KH where this module writes H: Һ is the letter to confirm first.
  Kyrgyz and Mongolian Cyrillic share Ң Ө Ү and get the same letters; their own passport rules were not
  checked either.
- Arabic: no rule. ICAO's Arabic table (worked out by ICAO's New Technologies Working Group, 2008-2011, for
  the machine-readable zone only) writes the consonants one by one with escapes (ح XH, ش XSH, ث XTH) and
  cannot write the short vowels a name leaves unwritten, so محمد comes out as MXHMD, which no passport's
  visual zone shows: the issuing State's own phonetic transcription is what the passport carries. Greek,
  Armenian, Georgian, Hebrew, Chinese, Japanese, Korean, Devanagari, Thai and every other script: no table in
  Doc 9303 (as far as the copies above show), so no rule either: the registrar asks for the Latin name.
- Patronymics: a Kazakh one is the father's name with -ұлы/-қызы joined (Presidential Decree No. 2923 of
  2 April 1996 on writing the surnames and patronymics of Kazakhs, as a news report quotes it; not read here)
  or, in lists, often written apart. That Russia's and Kazakhstan's passports leave the patronymic out of the
  Latin name is the issue's statement, not checked against the passport specimens (for Kazakhstan, the
  Minister of Internal Affairs' Order No. 533 of 30 June 2023).

Libraries compared: iuliia ships ICAO Doc 9303's Russian table as a maintained schema, which is the standard
the issue asks for. ICU's transforms (through PyICU) cover more scripts, but none of them is ICAO 9303
(Cyrillic-Latin follows ISO 9 with diacritics, Russian-Latin/BGN the BGN/PCGN romanisation, Han-Latin gives
pinyin with tone marks, which passports do not carry), and PyICU builds from source against the system's
libicu, which `make run` must not need. So iuliia, extended here only where the table has letters it lacks.

A proposal is a proposal: it is shown marked as proposed until someone confirms it against the passport.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import iuliia

# iuliia.Schema is the protocol every schema meets; TranslitSchema is the class that makes one from a mapping.
from iuliia.schema import TranslitSchema


class Reason(StrEnum):
    """Why no Latin name is proposed; the importer words it in the registrar's language."""

    NO_RULE = "no_rule"  # a script (or a letter) without a standard rule: ask for the Latin name
    MIXED_SCRIPTS = "mixed_scripts"  # letters of two scripts in one word, e.g. a Latin "a" in a Cyrillic word
    NOTHING_LEFT = "nothing_left"  # only digits, symbols and marks: nothing becomes a letter


@dataclass(frozen=True, slots=True)
class Proposal:
    """Either the proposed Latin name (`latin`), or why there is none (`reason`), with the word that stopped
    it as written and the scripts of its letters, lower-case Unicode script words ("cyrillic", "latin",
    "cjk", "georgian", "arabic", …)."""

    latin: str | None
    reason: Reason | None = None
    word: str = ""
    scripts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NameParts:
    surname: str
    given: str
    patronymic: str = ""

    @property
    def full_name(self) -> str:
        """The name in its original script: the patronymic stays."""
        return " ".join(part for part in (self.surname, self.given, self.patronymic) if part)

    @property
    def passport_name(self) -> str:
        """What the passport writes in Latin letters: surname and given names, no patronymic (Russia's and
        Kazakhstan's passports leave it out of the Latin name)."""
        return " ".join(part for part in (self.surname, self.given) if part)


# ---------------------------------------------------------------------------------------------------------------
# Letters

RUSSIAN_ALPHABET: Final = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
# The rest of ICAO's Cyrillic table: Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian.
ICAO_OTHER_CYRILLIC: Final = {
    "ґ": "g", "є": "ie", "і": "i", "ї": "i", "ў": "u", "ђ": "d", "ѓ": "g", "ѕ": "dz", "ј": "j", "љ": "lj",
    "њ": "nj", "ћ": "c", "ќ": "k", "џ": "dz", "ѫ": "u",
}  # fmt: skip
KAZAKH: Final = {"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i"}
CYRILLIC_LETTERS: Final = (
    {letter: iuliia.ICAO_DOC_9303.translate(letter) for letter in RUSSIAN_ALPHABET} | ICAO_OTHER_CYRILLIC | KAZAKH
)
CYRILLIC: Final = TranslitSchema(
    name="icao_doc_9303_kz",
    description="ICAO Doc 9303 Part 3 Cyrillic, with the Kazakh letters as Kazakhstan's passports write them",
    mapping=CYRILLIC_LETTERS,
)
# ICAO's multinational Latin-based letters that are not a base letter with an accent; every other accented
# Latin letter (É, Ñ, Ç, Š, Ş, Ő, …) is written as its base letter, found by Unicode decomposition.
ICAO_LATIN: Final = {
    "Ä": "AE", "Æ": "AE", "Å": "AA", "Ö": "OE", "Ø": "OE", "Œ": "OE", "Ü": "UE", "ẞ": "SS", "Þ": "TH",
    "Ĳ": "IJ", "Ð": "D", "Đ": "D", "Ħ": "H", "Ł": "L", "Ŀ": "L", "Ŋ": "N", "Ŧ": "T",
}  # fmt: skip
ICAO_LATIN_LOWER: Final = {"ß": "SS", "ı": "I"}
CYRILLIC_BLOCKS: Final = (range(0x0400, 0x0530),)
LATIN_BLOCKS: Final = (range(0x00C0, 0x0250), range(0x1E00, 0x1F00))
# Dropped inside a word: apostrophes (O'Brien, Д’Артаньян, Uzbek Oʻ), Catalan's middle dot (Col·lell), the
# combining accents left after NFC (stress marks on Cyrillic vowels), invisible format characters.
JOINERS: Final = "'`´ʹʻʼʽ‘’‛·\u00ad\u200b\u200c\u200d\u2060"
HYPHENS: Final = "-‐‑‒–—―−"
# Scripts whose words mix by nature (Japanese kanji with kana, Korean hangul with hanja): no rule, not a typo.
EAST_ASIAN: Final = frozenset({"cjk", "hiragana", "katakana", "hangul", "bopomofo"})
PATRONYMIC_ENDINGS: Final = (
    "ович", "евич", "ич", "овна", "евна", "ична", "инична",  # Russian
    "івна", "ївна", "віч", "ўна",  # Ukrainian, Belarusian
    "ұлы", "улы", "қызы", "кызы", "уулу", "оглы",  # Kazakh, Kyrgyz, Azerbaijani: joined or a word of their own
)  # fmt: skip
PATRONYMIC_WORDS: Final = frozenset({"ұлы", "улы", "қызы", "кызы", "уулу", "оглы"})


def _letter_tables() -> tuple[dict[int, str], dict[int, str]]:
    """Every letter with a rule: its Latin form (upper-case) and its script mark ("c" or "l")."""
    latin: dict[int, str] = {}
    marks: dict[int, str] = {}
    for letter in CYRILLIC_LETTERS:
        for form in (letter, letter.upper()):
            latin[ord(form)] = CYRILLIC.translate(form).upper()
            marks[ord(form)] = "c"
    for letter, written in ICAO_LATIN.items():
        latin[ord(letter)] = latin[ord(letter.lower())] = written
    latin |= {ord(letter): written for letter, written in ICAO_LATIN_LOWER.items()}
    for code in range(ord("A"), ord("Z") + 1):
        latin[code] = latin[code + 32] = chr(code)
    for blocks, mark in ((CYRILLIC_BLOCKS, "c"), (LATIN_BLOCKS, "l")):
        for code in (code for block in blocks for code in block):
            char = chr(code)
            if code in latin or not unicodedata.category(char).startswith("L"):
                continue
            base = ord(unicodedata.normalize("NFD", char)[0])
            if base in latin and base != code:
                latin[code], marks[code] = latin[base], mark
    marks |= {code: "l" for code in latin if code not in marks}
    return latin, marks


def _tables() -> tuple[dict[int, str], dict[int, str]]:
    """The two str.translate tables: to Latin, and to script marks for the mixed-script check. A word
    separator becomes a space, a hyphen a hyphen (a space among the marks), a joiner nothing."""
    latin, marks = _letter_tables()
    others = {code: " " for code in range(128) if code not in latin}
    others |= {ord(char): "" for char in JOINERS} | {ord(char): "-" for char in HYPHENS}
    others |= {code: "" for code in range(0x0300, 0x0370)}
    return latin | others, marks | {code: " " if value else "" for code, value in others.items()}


TO_LATIN, TO_MARKS = _tables()
SCRIPT_OF_MARK: Final = {"c": "cyrillic", "l": "latin"}
HYPHEN_RUN: Final = re.compile(r" *-[ -]*")


# ---------------------------------------------------------------------------------------------------------------
# Proposing


def propose_latin(name: str) -> Proposal:
    """The Latin name proposed for `name` as written (all its words: to leave a patronymic out, pass
    NameParts.passport_name, or use propose_passport_name)."""
    if name.isascii():
        return _written(name.translate(TO_LATIN))
    text = name if unicodedata.is_normalized("NFC", name) else unicodedata.normalize("NFC", name)
    latin = text.translate(TO_LATIN)
    if latin.isascii():  # every character has a rule
        marks = text.translate(TO_MARKS)
        if "cl" not in marks and "lc" not in marks:
            return _written(latin)
    return _propose_slowly(text)


def propose_passport_name(parts: NameParts) -> Proposal:
    """The Latin name from surname and given names; a patronymic with mixed scripts is flagged all the same,
    since the original-script name keeps it."""
    proposal = propose_latin(parts.passport_name)
    if proposal.latin is not None and parts.patronymic:
        patronymic = propose_latin(parts.patronymic)
        if patronymic.reason is Reason.MIXED_SCRIPTS:
            return patronymic
    return proposal


def _written(latin: str) -> Proposal:
    if "-" in latin:
        latin = HYPHEN_RUN.sub("-", latin)
    words = (word.strip("-") for word in latin.split())
    written = " ".join(word for word in words if word)
    return Proposal(written) if written else Proposal(None, Reason.NOTHING_LEFT)


def _propose_slowly(text: str) -> Proposal:
    """Character by character, for a name with a letter outside the tables or letters of two scripts: the
    first word with mixed scripts, else the first with a letter without a rule, else the Latin name."""
    pieces: list[str] = []
    mixed: Proposal | None = None
    no_rule: Proposal | None = None
    start = 0
    scripts: set[str] = set()
    ruleless: set[str] = set()
    for index, char in enumerate(text + " "):
        piece, script = _read(char)
        if piece in {" ", "-"}:
            word = text[start:index]
            if len(scripts) > 1 and not scripts <= EAST_ASIAN:
                mixed = mixed or Proposal(None, Reason.MIXED_SCRIPTS, word, tuple(sorted(scripts)))
            elif ruleless:
                no_rule = no_rule or Proposal(None, Reason.NO_RULE, word, tuple(sorted(ruleless)))
            start, scripts, ruleless = index + 1, set(), set()
        if script:
            scripts.add(script)
            if piece is None:
                ruleless.add(script)
        pieces.append(piece or "")
    return mixed or no_rule or _written("".join(pieces))


def _read(char: str) -> tuple[str | None, str]:
    """(Latin, script) of one character: Latin None for a letter without a rule, script "" for a non-letter."""
    code = ord(char)
    if code in TO_LATIN:
        mark = TO_MARKS.get(code, "")
        return TO_LATIN[code], SCRIPT_OF_MARK.get(mark, "")
    category = unicodedata.category(char)
    if category[0] == "M" or category in {"Lm", "Cf"}:
        return "", ""
    if category[0] == "L":
        # A compatibility form of letters with a rule: fullwidth Ａ, the ligature ﬁ.
        compat = unicodedata.normalize("NFKC", char)
        if compat != char and all(ord(letter) in TO_LATIN for letter in compat):
            return compat.translate(TO_LATIN), _read(compat[0])[1]
        return None, unicodedata.name(char, "unknown").split(" ", 1)[0].lower()
    return ("-" if category == "Pd" else " "), ""


# ---------------------------------------------------------------------------------------------------------------
# Patronymics


def split_name(full_name: str) -> NameParts:
    """Surname, given names and patronymic from one cell ("Иванов Иван Иванович", "Сейітов Арман Болатұлы",
    "Сейітова Айгерім Болат қызы"). The patronymic is the last word of three or more that ends as one does
    (Russian -ович/-евич/-ич/-овна/-евна/-ична, Kazakh -ұлы/-қызы joined or apart): only there, since a Kazakh
    surname may itself end in -ұлы or -қызы ("Нұрланқызы Айгерім" has no patronymic)."""
    words = _words(full_name)
    if len(words) >= 3 and _is_patronymic(words[-1]):
        return NameParts(words[0], " ".join(words[1:-1]), words[-1])
    return NameParts(words[0] if words else "", " ".join(words[1:]))


def name_parts(surname: str, given_names: str, patronymic: str = "") -> NameParts:
    """The parts from separate columns. Without a patronymic column, a patronymic ending the given names
    ("Иван Иванович", from a column headed "Имя Отчество") is split off."""
    words = _words(given_names)
    patronymic = " ".join(patronymic.split())
    if not patronymic and len(words) >= 2 and _is_patronymic(words[-1]):
        patronymic, words = words[-1], words[:-1]
    return NameParts(" ".join(surname.split()), " ".join(words), patronymic)


def _words(text: str) -> list[str]:
    """The words of a name, a Kazakh "ұлы"/"қызы" written apart joined to the father's name before it."""
    words: list[str] = []
    for word in text.split():
        if words and word.lower() in PATRONYMIC_WORDS:
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    return words


def _is_patronymic(word: str) -> bool:
    return word.lower().endswith(PATRONYMIC_ENDINGS)
