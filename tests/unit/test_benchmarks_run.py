"""The benchmarks run in `make test` on tiny data, so that they cannot rot. No timing is asserted."""

from __future__ import annotations

from pathlib import Path

from bench import __main__ as bench_all
from bench import bench_badges, bench_bulletin, bench_import, bench_roster


def test_the_import_benchmark_runs_and_imports_every_row() -> None:
    result = bench_import.main(["--rows", "40", "--repetitions", "1"])

    assert result.name == "import, 40 rows, Latin names proposed (SQLite)"
    assert result.project_seconds > 0
    assert result.baseline_seconds > 0


def test_the_bulletin_benchmark_runs_both_sides() -> None:
    result = bench_bulletin.main(["--repetitions", "1"])

    assert result.name == "bulletin PDF, 3 languages, 40 senders"
    assert result.project_seconds > 0
    assert result.baseline_seconds > 0


def test_the_roster_benchmark_runs_both_sides_on_the_same_rows() -> None:
    result = bench_roster.main(["--rows", "50", "--repetitions", "1"])

    assert result.name == "Excel roster, 50 rows"
    assert result.project_seconds > 0
    assert result.baseline_seconds > 0


def test_the_cards_benchmark_runs_both_sides() -> None:
    result = bench_badges.main(["--cards", "4", "--repetitions", "1"])

    assert result.name == "accreditation cards PDF, 4 cards on A4 sheets"
    assert result.project_seconds > 0
    assert result.baseline_seconds > 0


def test_make_bench_writes_every_measurement_and_the_machine_to_the_results(tmp_path: Path) -> None:
    out = tmp_path / "latest.md"

    bench_all.main(["--tiny", "--out", str(out)])

    text = out.read_text(encoding="utf-8")
    # The public site's benchmark ran for real: both servers answered.
    assert "none in time" not in text
    for name in (
        "import, 40 rows",
        "Excel roster, 50 rows",
        "bulletin PDF",
        "accreditation cards PDF",
        "| tally as of an instant, 200 accreditations (SQLite) |",
        "timeline, every day of the window",
        "tally as of a moment as known at it",
        "current tally served by the API",
        "first tally of the API after a transition",
        "first election page after a decision of 5",
        "first tally of the API after an import of 20 rows",
        "write: an import of 40 rows",
        "The first request to the tally API counted, in ",
        "The tally summaries of 200 accreditations were built from the events",
        "public tally JSON",
        "election page",
    ):
        assert name in text
    # The tallies' counts were checked against the hand-written SQL over the events.
    assert text.count("(checked equal)") == 2
    assert "cores" in text
    assert "litestar " in text
    assert "not installed" not in text
