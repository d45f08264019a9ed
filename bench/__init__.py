"""Benchmarks: each prints the project's time next to a raw baseline measured in the same run."""
