"""Bounded load test on loopback: the dashboard under gunicorn, simulated users clicking.

    python bench/loadtest.py [--events FILE | --synthetic N] [--users 50] [--seconds 60] [--workers 3]

Each user repeatedly does what the browser does for a real interaction: it posts the
dashboard's view callback for a filter, a search, a date range or a selected event, and
now and then loads the page. Only 127.0.0.1 is contacted; the run stops by itself.
Prints requests, errors and latency percentiles (and returns them as a dict).
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

VIEWS = "..timeline.figure...map.figure...monthly.figure...claims.figure...events-table.rowData...event-count.children...event-detail.children.."
QUERIES = ["?category=treaty", "?category=military-deployment&category=combat-casualties", "?q=kursk", "?q=shoigu+pyongyang",
           "?from=2024-06&to=2024-12", "?from=2025-01-01&to=2025-06-30&category=diplomacy", "?actor=Kim+Jong+Un", ""]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _body(search: str) -> bytes:
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in VIEWS.strip(".").split("...")]
    return json.dumps({"output": VIEWS, "outputs": outputs, "inputs": [{"id": "url", "property": "search", "value": search}],
                       "state": [], "changedPropIds": ["url.search"]}).encode()


def _user(port: int, stop: float, event_ids: list[str], seed: int, results: list, lock: threading.Lock) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    local = []
    while time.monotonic() < stop:
        if rng.random() < 0.1:
            method, url, body = "GET", "/", None
        else:
            search = rng.choice(QUERIES)
            if rng.random() < 0.3:
                search = (search + "&" if search else "?") + "event=" + rng.choice(event_ids)
            method, url, body = "POST", "/_dash-update-component", _body(search)
        started = time.perf_counter()
        try:
            conn.request(method, url, body=body, headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local.append((time.perf_counter() - started, ok))
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
                conn.request("GET", "/")
                conn.getresponse().read()
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
        threads = [threading.Thread(target=_user, args=(port, stop, event_ids, i, results, lock)) for i in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(r[0] * 1000 for r in results)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"events": len(event_ids), "users": users, "seconds": seconds, "workers": workers, "requests": len(results),
            "errors": sum(1 for r in results if not r[1]), "rps": len(results) / seconds,
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
