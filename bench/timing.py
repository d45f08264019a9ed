"""Alternating repetitions and medians, so both sides of a ratio see the same machine state."""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    name: str
    baseline: str
    project_seconds: float
    baseline_seconds: float
    project_peak_mb: float | None
    goal: str

    @property
    def ratio(self) -> float:
        return self.project_seconds / self.baseline_seconds

    def line(self) -> str:
        project, baseline = self.project_seconds * 1000, self.baseline_seconds * 1000
        peak = "not traced" if self.project_peak_mb is None else f"{self.project_peak_mb:,.1f} MB"
        return (
            f"| {self.name} | {self.baseline} | {_ms(project)} | {_ms(baseline)} | "
            f"{ratio_text(self.ratio)} | {peak} | {self.goal} |"
        )


def ratio_text(ratio: float) -> str:
    """Two decimals, or below 0.1 two significant digits: 0.015× is not 0.02×, whose goal it meets."""
    return f"{ratio:.2f}×" if ratio >= 0.1 or ratio == 0 else f"{ratio:.2g}×"


def _ms(milliseconds: float) -> str:
    return f"{milliseconds:,.1f} ms" if milliseconds >= 10 else f"{milliseconds:.3g} ms"


HEADER = (
    "| measurement | raw baseline | project (median) | baseline (median) | ratio | project peak memory | goal |\n"
    "| --- | --- | --- | --- | --- | --- | --- |"
)


def compare(
    project: Callable[[], object],
    baseline: Callable[[], object],
    *,
    repetitions: int,
    prepare: Callable[[], None] | None = None,
) -> tuple[float, float, float]:
    """Median seconds of each, run alternately, and the project's peak traced memory in MB (from one
    more run: tracing every allocation slows Python down, so it never runs while timing)."""
    project_times, baseline_times = [], []
    for _ in range(repetitions):
        start = time.perf_counter()
        baseline()
        baseline_times.append(time.perf_counter() - start)
        if prepare:
            prepare()
        start = time.perf_counter()
        project()
        project_times.append(time.perf_counter() - start)
    if prepare:
        prepare()
    tracemalloc.start()
    project()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(project_times), statistics.median(baseline_times), peak
