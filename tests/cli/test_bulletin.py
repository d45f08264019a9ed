"""`tracker bulletin`: a bulletin kept in the database and its PDF on disk; one-line errors, exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.runner import tracker
from tests.unit.test_bulletin import all_text


def test_it_publishes_the_kazinform_figures_in_three_languages(demo_db: str, tmp_path: Path) -> None:
    output = tmp_path / "bulletin.pdf"

    result = tracker(
        demo_db,
        "bulletin",
        "majilis-2023",
        "--as-of",
        "2023-02-22T21:13",
        "--news",
        "4",
        "--publish",
        "-o",
        str(output),
    )

    assert result.returncode == 0, result.stderr
    assert re.match(rf"{re.escape(str(output))}: bulletin \d+ \(published\), snapshot ", result.stdout)
    text = " ".join(all_text(output.read_bytes()).split())
    assert "97 international observers from 11 countries and three international organizations" in text
    assert "97 международных наблюдателей из 11 стран и 3 международных организаций" in text
    assert "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы" in text


def test_the_same_moment_twice_gives_the_same_snapshot(demo_db: str, tmp_path: Path) -> None:
    first = tracker(demo_db, "bulletin", "majilis-2023", "--as-of", "2023-03-07", "-o", str(tmp_path / "a.pdf"))
    second = tracker(demo_db, "bulletin", "majilis-2023", "--as-of", "2023-03-07", "-o", str(tmp_path / "b.pdf"))

    assert first.returncode == second.returncode == 0
    assert first.stdout.split("snapshot ")[1] == second.stdout.split("snapshot ")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "en,de"], "tracker: --lang: 'en,de' is not a comma-separated list of en, ru, kk"),
        (["--news", "999"], "tracker: --news: no news item 999"),
        (["--as-of", "yesterday"], "tracker: --as-of: 'yesterday' is not a date or a date and time"),
        (["--as-of", "9999-12-31"], "tracker: --as-of: 9999-12-31T23:59+05:00 is in the future; a bulletin's instant"),
        (["--as-of", "2023-01-18"], "tracker: --as-of: 2023-01-18T23:59+06:00 is before the accreditation window"),
        (["--corrects", "77"], "tracker: --corrects: there is no bulletin 77 of majilis-2023"),
    ],
)
def test_bad_options_get_one_line_and_exit_code_2(demo_db: str, tmp_path: Path, args: list[str], message: str) -> None:
    output = tmp_path / "bulletin.pdf"

    result = tracker(demo_db, "bulletin", "majilis-2023", "-o", str(output), *args)

    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert not output.exists()
