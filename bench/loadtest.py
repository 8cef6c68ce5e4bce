"""Bounded load test on loopback: the dashboard under gunicorn, simulated users clicking.

    python bench/loadtest.py [--events FILE | --synthetic N] [--users 50] [--seconds 60] [--workers 3]

Each user repeatedly does what the browser does for a real interaction: it posts the
dashboard's view callback for a filter, a search, a date range or a selected event, and
now and then loads the page. Only 127.0.0.1 is contacted; the run stops by itself.
Prints interactions (a filter, search or selection: every request the browser makes for
it), requests, failed interactions and latency percentiles of whole interactions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

QUERIES = ["?category=treaty", "?category=military-deployment&category=combat-casualties", "?q=kursk", "?q=shoigu+pyongyang",
           "?from=2024-06&to=2024-12", "?from=2025-01-01&to=2025-06-30&category=diplomacy", "?actor=Kim+Jong+Un", ""]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spec(spec_id, prop, value=None):
    """One input/output as the browser sends it; the table's per-column sort buttons are expanded."""
    if isinstance(spec_id, str) and spec_id.startswith("{"):
        spec_id = json.loads(spec_id)
    if isinstance(spec_id, dict):
        from dashboard.table import COLUMNS
        return [{"id": {**spec_id, "column": c}, "property": prop, **({} if value is None else {"value": value})} for c in COLUMNS]
    return {"id": spec_id, "property": prop, **({} if value is None else {"value": value})}


def _bodies(deps: list[dict], search: str) -> list[bytes]:
    """The requests a browser makes after the URL changes: one per callback that listens to it."""
    from dashboard import ids

    url = {"id": ids.URL, "property": "search"}
    given = {ids.URL: search, ids.TIMELINE_DRAWN: True}
    bodies = []
    for dep in deps:
        if url not in dep["inputs"] or "url.search" in dep["output"]:
            continue
        parts = dep["output"][2:-2].split("...") if dep["output"].startswith("..") else [dep["output"]]
        outputs = [_spec(*p.rsplit(".", 1)) for p in parts]
        bodies.append(json.dumps({
            "output": dep["output"], "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            # (a browser asks for the other charts once its timeline is drawn: timeline-drawn is true)
            "inputs": [_spec(i["id"], i["property"], given.get(i["id"], "")) for i in dep["inputs"]],
            "state": [_spec(i["id"], i["property"], "") for i in dep.get("state", [])],
            "changedPropIds": ["url.search"]}).encode())
    return bodies


def _user(port: int, stop: float, event_ids: list[str], deps: list[dict], seed: int, results: list, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    local = []
    while time.monotonic() < stop:
        if rng.random() < 0.1:
            requests = [("GET", "/", None)]
        else:
            search = rng.choice(QUERIES)
            if rng.random() < 0.3:
                search = (search + "&" if search else "?") + "event=" + rng.choice(event_ids)
            requests = [("POST", "/_dash-update-component", body) for body in _bodies(deps, search)]
        # one interaction = every request the browser makes for it; its latency is their total
        started = time.perf_counter()
        ok = True
        for method, url, body in requests:
            try:
                conn.request(method, url, body=body, headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                ok = ok and response.status in (200, 204)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local.append((time.perf_counter() - started, ok, len(requests)))
    conn.close()
    with lock:
        results.extend(local)


def run(events: Path, users: int, seconds: float, workers: int) -> dict:
    from dashboard.events import load_events

    event_ids = list(load_events(events)["id"])
    port = _free_port()
    env = dict(os.environ, DPRK_TIMELINE_EVENTS=str(events))
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4",
                               "--bind", f"127.0.0.1:{port}", "--timeout", "60", "dashboard.wsgi:server"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/_dash-dependencies")
                deps = json.loads(conn.getresponse().read())
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start")
                time.sleep(0.3)
            finally:
                conn.close()
        results: list = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=_user, args=(port, stop, event_ids, deps, i, results, lock)) for i in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(r[0] * 1000 for r in results)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"events": len(event_ids), "users": users, "seconds": seconds, "workers": workers,
            "interactions": len(results), "requests": sum(r[2] for r in results),
            "errors": sum(1 for r in results if not r[1]), "interactions_per_s": len(results) / seconds,
            "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98]}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=Path, help="events CSV (default: the bundled one)")
    parser.add_argument("--synthetic", type=int, help="generate N synthetic events instead")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    from dashboard import paths

    with tempfile.TemporaryDirectory() as tmp:
        events = args.events or paths.events_csv()
        if args.synthetic:
            from dashboard.synthetic import write_synthetic
            events = Path(tmp) / "synthetic.csv"
            write_synthetic(events, args.synthetic)
        result = run(events, args.users, args.seconds, args.workers)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
    return result


if __name__ == "__main__":
    main()
