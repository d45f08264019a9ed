"""`tracker tally`: the published figures on the command line, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.cli.runner import TRACKER, tracker
from tests.published import PUBLISHED_2023


def test_the_installed_command_runs_as_its_own_process(demo_db: str) -> None:
    # The rest run the command in this process; this one runs the entry point a shell would.
    env = {**os.environ, "TRACKER_DATABASE_URL": demo_db}
    ok = subprocess.run(
        [TRACKER, "tally", "majilis-2023", "--as-of", "2023-02-22T21:13+06:00"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    bad = subprocess.run([TRACKER, "tally", "senate-2099"], capture_output=True, text=True, env=env, timeout=60)

    assert (ok.returncode, ok.stdout) == (
        0,
        "97 international observers from 11 countries and three international organizations\n",
    )
    assert (bad.returncode, bad.stdout, bad.stderr) == (2, "", "tracker: unknown election 'senate-2099'\n")


def test_it_prints_every_published_row(demo_db: str) -> None:
    for as_of, observers, countries, organizations in PUBLISHED_2023:
        result = tracker(demo_db, "tally", "majilis-2023", "--as-of", as_of, "--json")

        assert result.returncode == 0, result.stderr
        tally = json.loads(result.stdout)
        assert (tally["observers"], tally["countries"], tally["organizations"]) == (
            observers,
            countries,
            organizations,
        ), as_of


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "97 international observers from 11 countries and three international organizations"),
        ("ru", "97 международных наблюдателей из 11 стран и 3 международных организаций"),
        ("kk", "11 елден және 3 халықаралық ұйымнан 97 халықаралық байқаушы"),
    ],
)
def test_it_prints_the_headline_of_22_february(demo_db: str, lang: str, line: str) -> None:
    result = tracker(demo_db, "tally", "majilis-2023", "--as-of", "2023-02-22T21:13+06:00", "--lang", lang)

    assert result.returncode == 0, result.stderr
    assert result.stdout == line + "\n"


def test_it_reads_a_moment_written_day_first(demo_db: str) -> None:
    result = tracker(demo_db, "tally", "majilis-2023", "--as-of", "22.02.2023 21:13")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "97 international observers from 11 countries and three international organizations\n"


def test_json_has_the_counts_the_breakdown_and_the_headline(demo_db: str) -> None:
    result = tracker(demo_db, "tally", "majilis-2023", "--as-of", "2023-02-09T19:13+06:00", "--json", "--lang", "ru")

    tally = json.loads(result.stdout)
    assert tally["headline"] == "25 международных наблюдателей из 1 страны и 2 международных организаций"
    assert tally["nominated"] == 34
    assert {row["code"]: row["observers"] for row in tally["by_sender"]} == {"osce-odihr": 13, "cis-ipa": 11, "PS": 1}
    assert tally["as_of"] == "2023-02-09T19:13:00+06:00"


def test_without_as_of_it_counts_now(demo_db: str) -> None:
    result = tracker(demo_db, "tally", "majilis-2023")

    assert result.stdout == "208 international observers from 16 countries and four international organizations\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tally", "senate-2099"], "tracker: unknown election 'senate-2099'"),
        (
            ["tally", "majilis-2023", "--as-of", "22/02/2023"],
            "tracker: --as-of: '22/02/2023' is not a date or a date and time: write 22.02.2023 21:13 or "
            "2023-02-22T21:13",
        ),
        (["tally", "majilis-2023", "--lang", "de"], "tracker: --lang: 'de' is not one of en, ru, kk"),
        (["tally"], "tracker: Missing argument 'ELECTION'."),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(demo_db: str, args: list[str], message: str) -> None:
    result = tracker(demo_db, *args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
