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


def test_lt002_hostile_requests_mixed_in_get_their_answers_and_cost_normal_users_nothing():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    loadtest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loadtest)
    result = loadtest.main(["--users", "3", "--seconds", "4", "--workers", "2", "--hostile", "2"])
    assert result["hostile_requests"] >= 1
    assert result["hostile_5xx"] == 0 and result["hostile_unexpected"] == 0
    assert result["errors"] == 0
    assert result["rss_end_mb"] < result["rss_start_mb"] + 200  # a 200 MB body once added 2 GB
