"""Hostile requests (the corpus in tests/requests/, which bench/loadtest.py also replays): each
gets its expected answer, never a 500, and nothing is logged at ERROR; a real bug still is."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

from dashboard.app.app import create_app

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "loadtest.py"


def _loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


loadtest = _loadtest()


@pytest.fixture(scope="module")
def app(bundled_events):
    return create_app(bundled_events)


@pytest.fixture(scope="module")
def corpus(app):
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    return {r["name"]: r for r in loadtest.hostile_requests(deps)}


def _send(client, request):
    response = client.open(request["path"], method=request["method"], data=request["body"], content_type=request["content_type"])
    response.close()
    return response


def test_rq001_the_corpus_has_every_kind_of_hostile_request(corpus):
    assert len(corpus) >= 35
    assert {r["expect"] for r in corpus.values()} >= {"2xx", "4xx", "413"}


@pytest.mark.parametrize("name", sorted(p.stem for p in loadtest.CORPUS.glob("*.json")))
def test_rq002_hostile_request_gets_its_answer_and_logs_no_error(app, corpus, caplog, name):
    request = corpus[name]
    with caplog.at_level(logging.ERROR):
        response = _send(app.server.test_client(), request)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert loadtest.status_expected(response.status_code, request["expect"]), (response.status_code, response.get_data(as_text=True)[:300])
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Traceback" not in response.get_data(as_text=True)


def test_rq003_a_real_server_error_still_logs_its_traceback(bundled_events, caplog):
    app = create_app(bundled_events)

    @app.server.route("/broken")
    def broken():
        raise ZeroDivisionError("a real bug")

    with caplog.at_level(logging.ERROR):
        response = app.server.test_client().get("/broken")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info and errors[0].exc_info[0] is ZeroDivisionError


def test_rq004_caches_never_keep_what_a_request_sends(bundled_events):
    # ten requests with a 30 MB event id once pinned 370 MB: the caches are keyed on the canonical
    # filters (known values only), so made-up ids, actors and places all share one entry
    import gc
    import sys

    app = create_app(bundled_events)
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()

    def load(search: str) -> None:
        for body in loadtest._bodies(deps, search):
            client.post("/_dash-update-component", data=body, content_type="application/json").close()

    load("?q=kursk")
    load("?q=kursk")
    gc.collect()
    before = sys.getallocatedblocks()
    for i in range(8):
        load(f"?q=kursk&event={i}{'x' * 7000}&actor={i}{'a' * 500}&place={i}p&category={i}c")
    gc.collect()
    # (one cached timeline figure alone is thousands of blocks)
    assert sys.getallocatedblocks() - before < 2000
