"""The benchmarks run in `make test` on tiny data, so that they cannot rot. No timing is asserted."""

from __future__ import annotations

from bench import bench_import


def test_the_import_benchmark_runs_and_imports_every_row() -> None:
    result = bench_import.main(["--rows", "40", "--repetitions", "1"])

    assert result.name == "import, 40 rows (SQLite)"
    assert result.project_seconds > 0
    assert result.baseline_seconds > 0
