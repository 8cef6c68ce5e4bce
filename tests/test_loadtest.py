"""The load-test script itself works (its full 50-user, 60-second run is in docs/reliability.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "loadtest.py"


def test_lt001_short_load_test_under_gunicorn_has_no_errors():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    loadtest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loadtest)
    result = loadtest.main(["--users", "4", "--seconds", "4", "--workers", "2"])
    assert result["requests"] >= 2  # a busy machine may serve few; what matters is no error
    assert result["errors"] == 0
    assert result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
