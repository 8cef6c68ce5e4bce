"""Bounded load test on loopback: the dashboard under gunicorn, simulated users clicking.

    python bench/loadtest.py [--events FILE | --synthetic N] [--users 50] [--seconds 60] [--workers 3] [--hostile N]

Each user repeatedly does what the browser does for a real interaction: it posts the
dashboard's view callback for a filter, a search, a date range or a selected event, and
now and then loads the page. Only 127.0.0.1 is contacted; the run stops by itself.
Prints interactions (a filter, search or selection: every request the browser makes for
it), requests, failed interactions and latency percentiles of whole interactions, and the
server's resident memory (master and workers) at the start and the end of the run.
With --hostile N, N more clients replay the hostile requests of tests/requests/ (malformed,
oversized and costly bodies) for the whole run; their requests are counted apart: 5xx answers
and answers other than the one each file expects.
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
        from dashboard.views.table import COLUMNS
        return [{"id": {**spec_id, "column": c}, "property": prop, **({} if value is None else {"value": value})} for c in COLUMNS]
    return {"id": spec_id, "property": prop, **({} if value is None else {"value": value})}


def _bodies(deps: list[dict], search: str) -> list[bytes]:
    """The requests a browser makes after the URL changes: one per callback that listens to it."""
    from dashboard.app import ids

    url = {"id": ids.URL, "property": "search"}
    # (a browser asks for the other charts once its timeline is drawn: timeline-drawn is true)
    given = {ids.URL: search, ids.TIMELINE_DRAWN: True}
    return [json.dumps(_call(dep, given)).encode() for dep in deps if url in dep["inputs"] and "url.search" not in dep["output"]]


def _call(dep: dict, given: dict) -> dict:
    """The body of one callback request: inputs from ``given`` (by component id, else ''), state ''."""
    parts = dep["output"][2:-2].split("...") if dep["output"].startswith("..") else [dep["output"]]
    outputs = [_spec(*p.rsplit(".", 1)) for p in parts]
    return {"output": dep["output"], "outputs": outputs if dep["output"].startswith("..") else outputs[0],
            "inputs": [_spec(i["id"], i["property"], given.get(i["id"], "")) for i in dep["inputs"]],
            "state": [_spec(i["id"], i["property"], "") for i in dep.get("state", [])],
            "changedPropIds": ["url.search"]}


CORPUS = Path(__file__).resolve().parent.parent / "tests" / "requests"


def _expand_value(value):
    """A corpus value with its generators run: {"$repeat": [text, n]}, {"$concat": [...]}, {"$words": n}."""
    if isinstance(value, dict) and len(value) == 1:
        (key, arg), = value.items()
        if key == "$repeat":
            return _expand_value(arg[0]) * arg[1]
        if key == "$concat":
            return "".join(_expand_value(v) for v in arg)
        if key == "$words":  # n distinct words, the costliest search before words were capped
            return " ".join(f"w{i}" for i in range(arg))
    if isinstance(value, dict):
        return {k: _expand_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_value(v) for v in value]
    return value


def _name(entry: dict) -> str:
    component = entry["id"]
    return f"{component['type'] if isinstance(component, dict) else component}.{entry['property']}"


def _patch(body: dict, path: str, value) -> None:
    """Set body[path] ('inputs/0/id'; a list step may name an input, 'table-sort.n_clicks')."""
    *steps, last = path.split("/")
    node = body

    def step(node, key):
        if isinstance(node, list) and not key.isdigit():
            return next(i for i, e in enumerate(node) if _name(e[0] if isinstance(e, list) else e) == key)
        return int(key) if isinstance(node, list) else key

    for key in steps:
        node = node[step(node, key)]
    node[step(node, last)] = value


def hostile_requests(deps: list[dict]) -> list[dict]:
    """The request corpus (tests/requests/*.json) as requests: name, method, path, body bytes,
    content type and the expected status ('2xx', '4xx' or a code). Callback bodies are built from
    the app's own callbacks (``deps``, from /_dash-dependencies), then broken as each file says."""
    out = []
    for file in sorted(CORPUS.glob("*.json")):
        spec = json.loads(file.read_text(encoding="utf-8"))
        body = None
        if "raw" in spec:
            body = spec["raw"].encode("utf-8", "surrogatepass")
        elif "raw_latin1" in spec:
            body = spec["raw_latin1"].encode("latin-1")
        elif "raw_repeat" in spec:
            body = b"".join(part.encode() * times for part, times in spec["raw_repeat"])
        elif "body" in spec:
            body = json.dumps(spec["body"]).encode()
        elif "callback" in spec:
            dep = next(d for d in deps if spec["callback"] in d["output"].strip(".").split("..."))
            call = _call(dep, {})
            values = _expand_value(spec.get("values", {}))
            for entry in call["inputs"] + call["state"]:
                for e in entry if isinstance(entry, list) else [entry]:
                    if _name(e) in values:
                        e["value"] = values[_name(e)]
            if "changed" in spec:
                call["changedPropIds"] = spec["changed"]
            elif not any(_name(e) == "url.search" for e in call["inputs"] if isinstance(e, dict)):
                call["changedPropIds"] = []
            for path, value in spec.get("patch", []):
                _patch(call, path, value)
            for key in spec.get("drop", []):
                call.pop(key)
            body = json.dumps(call).encode("utf-8", "surrogatepass")
        out.append({"name": file.stem, "method": spec["method"], "path": spec["path"], "body": body,
                    "content_type": spec.get("content_type", "application/json"), "expect": spec["expect"]})
    return out


def status_expected(status: int, expect: str) -> bool:
    return str(status) == expect or (expect.endswith("xx") and str(status)[0] == expect[0])


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


def _hostile_user(port: int, stop: float, requests: list[dict], seed: int, results: list, lock: threading.Lock) -> None:
    """Replay the hostile corpus in a random order, each request on a new connection (a 413 leaves
    its unread body behind), recording (status, expected) for each."""
    rng = random.Random(seed)
    local = []
    while time.monotonic() < stop:
        request = rng.choice(requests)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(request["method"], request["path"], body=request["body"],
                         headers={"Content-Type": request["content_type"], "Connection": "close"})
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            status = 0  # the server closed the connection, e.g. while a too-large body was still being sent
        finally:
            conn.close()
        local.append((request["name"], status, status_expected(status, request["expect"]) or (status == 0 and request["expect"] == "413")))
    with lock:
        results.extend(local)


def server_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's master and workers), in MB."""
    pids = [pid] + [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == pid]
    total = 0
    for one in pids:
        try:
            status = (Path("/proc") / str(one) / "status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def _parent(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def run(events: Path, users: int, seconds: float, workers: int, hostile: int = 0) -> dict:
    from dashboard.data.events import load_events

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
        bad: list = []
        lock = threading.Lock()
        # every worker loaded and warm before the start is measured: a few plain page views first
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body in _bodies(deps, "") * (2 * workers):
            warm.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
            warm.getresponse().read()
        warm.close()
        rss_start = server_rss_mb(server.pid)
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=_user, args=(port, stop, event_ids, deps, i, results, lock)) for i in range(users)]
        corpus = hostile_requests(deps) if hostile else []
        threads += [threading.Thread(target=_hostile_user, args=(port, stop, corpus, 1000 + i, bad, lock)) for i in range(hostile)]
        for t in threads:
            t.start()
        # memory at half time too: caches fill in the first half (they are bounded), so a server that
        # holds on to what requests leave behind shows as growth from the middle to the end
        time.sleep(max(0.0, stop - seconds / 2 - time.monotonic()))
        rss_mid = server_rss_mb(server.pid)
        for t in threads:
            t.join()
        rss_end = server_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(r[0] * 1000 for r in results)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"events": len(event_ids), "users": users, "seconds": seconds, "workers": workers,
            "interactions": len(results), "requests": sum(r[2] for r in results),
            "errors": sum(1 for r in results if not r[1]), "interactions_per_s": len(results) / seconds,
            "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98],
            "hostile_users": hostile, "hostile_requests": len(bad), "hostile_5xx": sum(1 for r in bad if r[1] >= 500),
            "hostile_unexpected": sum(1 for r in bad if not r[2]), "rss_start_mb": rss_start, "rss_mid_mb": rss_mid, "rss_end_mb": rss_end}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=Path, help="events CSV (default: the bundled one)")
    parser.add_argument("--synthetic", type=int, help="generate N synthetic events instead")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--hostile", type=int, default=0, metavar="N",
                        help="also run N clients replaying the hostile requests of tests/requests/ (default 0)")
    args = parser.parse_args(argv)
    from dashboard import paths

    with tempfile.TemporaryDirectory() as tmp:
        events = args.events or paths.events_csv()
        if args.synthetic:
            from dashboard.data.synthetic import write_synthetic
            events = Path(tmp) / "synthetic.csv"
            write_synthetic(events, args.synthetic)
        result = run(events, args.users, args.seconds, args.workers, args.hostile)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
    return result


if __name__ == "__main__":
    main()
