"""Benchmark scripts: run each with `uv run python bench/<name>.py`; each prints its figures."""
