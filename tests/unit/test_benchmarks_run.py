"""The benchmarks run in `make test` on tiny data, so that they cannot rot. No timing is asserted."""

from __future__ import annotations

from bench import bench_bulletin, bench_import, bench_roster


def test_the_import_benchmark_runs_and_imports_every_row() -> None:
    result = bench_import.main(["--rows", "40", "--repetitions", "1"])

    assert result.name == "import, 40 rows (SQLite)"
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
