"""`tracker roster`: the .xlsx on disk, and one-line errors with exit code 2."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.cli.runner import tracker


def test_it_writes_the_roster_of_the_first_published_tally(demo_db: str, tmp_path: Path) -> None:
    output = tmp_path / "roster.xlsx"

    result = tracker(
        demo_db, "roster", "majilis-2023", "-o", str(output), "--as-of", "2023-02-09T19:13", "--status", "accredited"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{output}: 25 accreditations\n"
    book = openpyxl.load_workbook(output)
    assert (
        book["Summary"]["A1"].value == "25 international observers from one country and two international organizations"
    )
    assert book["Roster"].max_row == 26


def test_it_writes_kazakh_with_a_sheet_per_mission(demo_db: str, tmp_path: Path) -> None:
    output = tmp_path / "roster.xlsx"

    result = tracker(
        demo_db,
        "roster",
        "majilis-2023",
        "-o",
        str(output),
        "--as-of",
        "2023-02-09T19:13",
        "--lang",
        "kk",
        "--per-mission",
    )

    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(output)
    assert book.sheetnames[:2] == ["Жиынтық", "Байқаушылар тізімі"]
    assert {"odihr", "cis-ipa", "ps"} <= set(book.sheetnames[2:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2023-02-30"], "tracker: --as-of: '2023-02-30' is not a date or a date and time"),
        (["--lang", "de"], "tracker: --lang: 'de' is not one of en, ru, kk"),
        (["--mission", "nobody"], "tracker: unknown mission 'nobody'"),
    ],
)
def test_bad_options_get_one_line_and_exit_code_2(demo_db: str, tmp_path: Path, args: list[str], message: str) -> None:
    output = tmp_path / "roster.xlsx"

    result = tracker(demo_db, "roster", "majilis-2023", "-o", str(output), *args)

    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert not output.exists()
