"""Files built to exhaust the server: each is stopped by the limit it reaches, as it is reached, after a
bounded amount of work. Each test builds its bomb the way the attack did, small on the wire and enormous
unpacked, and prints how long the refusal took and the most memory it needed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import openpyxl
import pytest

from tracker.spreadsheets import Limits, SpreadsheetError, open_table

MIB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
START = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
END = b"</sheetData></worksheet>"


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "ФИО"
    book.active["A2"] = "Иванов Иван Иванович"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def listing_shared_strings() -> bytes:
    """A real workbook whose manifest names a table of shared strings, as Excel's always do."""
    manifest = "[Content_Types].xml"
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    listed = zipfile.ZipFile(io.BytesIO(workbook())).read(manifest).replace(b"</Types>", override)
    return with_part(manifest, lambda: [listed])


def with_part(part: str, pieces: Callable[[], Iterable[bytes]], base: bytes | None = None) -> bytes:
    """A real workbook whose `part` is replaced by `pieces`, written a piece at a time as an attacker would."""
    source = zipfile.ZipFile(io.BytesIO(base or workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info.filename, source.read(info.filename))
        with target.open(part, "w", force_zip64=True) as member:
            for piece in pieces():
                member.write(piece)
    return out.getvalue()


def refused(content: bytes, limits: Limits = Limits()) -> str:  # noqa: B008
    """Open and read `content` to the end, as the import does; the refusal's message."""
    with pytest.raises(SpreadsheetError) as raised:
        for _ in open_table(content, "bomb.xlsx", limits).rows():
            pass
    assert raised.value.field == "file"
    return raised.value.message


# Run in a process of its own, so that its peak memory is this file's alone: the growth of the resident set
# (Linux's high-water mark, reset just before) from just before the file is opened to the highest it reached.
MEASURE = """
import json, sys, time
from tracker.spreadsheets import SpreadsheetError, open_table
def status(field):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field + ":")) / 1024
content = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # the peak resident set starts again from now
before = status("VmRSS")
started = time.perf_counter()
try:
    for _ in open_table(content, "bomb.xlsx").rows():
        pass
    message = None
except SpreadsheetError as error:
    message = error.message
seconds = time.perf_counter() - started
print(json.dumps({"message": message, "seconds": seconds, "grown_mb": status("VmHWM") - before}))
"""


def refused_in_a_process(content: bytes, tmp_path: Path) -> str:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(content)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bomb)], capture_output=True, text=True, check=True)
    measured = json.loads(done.stdout)
    print(f"{len(content) / 1024:,.0f} KB refused in {measured['seconds']:.2f} s, grew {measured['grown_mb']:.1f} MB")
    # One file may make the process grow by some 100 MB at most; these bombs took gigabytes before.
    assert measured["grown_mb"] < 100
    assert measured["message"] is not None
    return str(measured["message"])


def test_one_cell_that_unpacks_to_200_million_bytes_is_refused_at_its_ten_thousandth_character(tmp_path: Path) -> None:
    def pieces() -> Iterator[bytes]:
        yield START + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
        for _ in range(200):
            yield b"A" * 1_000_000
        yield b"</t></is></c></row>" + END

    content = with_part(SHEET, pieces)
    assert len(content) < 300 * 1024

    message = refused_in_a_process(content, tmp_path)

    assert message.startswith('file: cell A1 of the first sheet of "bomb.xlsx" holds more than 10,000 characters')


def test_190_mib_of_rows_without_a_dimension_are_refused_at_the_row_limit_without_a_scan_of_the_sheet(
    tmp_path: Path,
) -> None:
    # Damage at the very end: a reader that scanned the whole sheet first (for its size) would report that.
    def pieces() -> Iterator[bytes]:
        yield START
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
        for _ in range(190 * MIB // (len(row) * 20_000)):
            yield row * 20_000
        yield b"<row><c><v>broken"

    content = with_part(SHEET, pieces)
    assert len(content) < 1024 * 1024

    message = refused_in_a_process(content, tmp_path)

    assert "has more than 200,000 rows" in message
    assert "damaged" not in message


def test_rows_padded_with_empty_cells_are_refused_at_the_cell_limit() -> None:
    def pieces() -> Iterator[bytes]:
        yield START
        row = b"<row>" + b'<c s="1"/>' * 16_384 + b"</row>"
        for _ in range(20):
            yield row
        yield END

    message = refused(with_part(SHEET, pieces), Limits(max_cells=200_000))

    assert "has more than 200,000 cells, filled or formatted" in message


def test_one_element_larger_than_a_megabyte_is_refused_before_it_is_held_whole() -> None:
    # Text arrives in pieces, but a tag, an attribute or a comment is held whole by any XML parser.
    def pieces() -> Iterator[bytes]:
        yield START + b'<row r="1"><c r="A1" t="'
        for _ in range(150):
            yield b"s" * 1_000_000
        yield b'"/></row>' + END

    message = refused(with_part(SHEET, pieces))

    assert f"one element of {SHEET} is larger than 1 MB" in message


def test_a_document_type_with_entities_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        + START
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        + END
    )

    message = refused(with_part(SHEET, lambda: [laughs]))

    assert "declares a document type, which no Excel workbook does" in message


def test_one_shared_string_of_twenty_megabytes_is_refused_at_its_ten_thousandth_character() -> None:
    def pieces() -> Iterator[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        for _ in range(20):
            yield "Я".encode() * 500_000
        yield b"</t></si></sst>"

    message = refused(with_part("xl/sharedStrings.xml", pieces, listing_shared_strings()))

    assert 'the table of text of "bomb.xlsx" holds more than 10,000 characters in one cell' in message


def test_a_table_of_countless_tiny_strings_is_refused_at_the_string_limit() -> None:
    def pieces() -> Iterator[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for block in range(20):
            yield b"".join(b"<si><t>%d</t></si>" % (block * 10_000 + n) for n in range(10_000))
        yield b"</sst>"

    message = refused(with_part("xl/sharedStrings.xml", pieces, listing_shared_strings()), Limits(max_strings=100_000))

    assert "holds more than 100,000 different pieces of text" in message


def test_styles_padded_past_a_few_megabytes_are_refused_before_they_are_parsed() -> None:
    def pieces() -> Iterator[bytes]:
        yield b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(50):
            yield b"<numFmts/>" * 100_000
        yield b"</styleSheet>"

    message = refused(with_part("xl/styles.xml", pieces))

    assert "its part xl/styles.xml would unpack to" in message


def test_reading_stops_when_a_file_takes_longer_than_its_time() -> None:
    rows = [["ФИО"]] + [[f"Наблюдатель {n}", n] for n in range(20_000)]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)

    message = refused(out.getvalue(), Limits(max_seconds=0))

    assert 'reading "bomb.xlsx" took longer than the 0 seconds one file may take' in message


def test_a_csv_cell_longer_than_a_name_can_be_is_refused() -> None:
    content = ("ФИО;Гражданство\n" + "Я" * 20_000 + ";Россия\n").encode()

    with pytest.raises(SpreadsheetError, match=r'line 2 of "list\.csv" holds more than 10,000 characters'):
        list(open_table(content, "list.csv").rows())


def test_a_file_just_over_the_unpacked_limit_says_by_how_much() -> None:
    limit = 1024 * 1024
    padded = with_part(SHEET, lambda: [START, b" " * (limit - len(START) - len(END)), END])

    message = refused(padded, Limits(max_uncompressed_bytes=limit))

    # Rounded up: never "1 MB, more than the 1 MB accepted".
    assert message.startswith('file: "bomb.xlsx" would unpack to 1.1 MB, more than the 1 MB accepted')
