"""Performance benchmark of the dashboard at N = bundled data, 1k, 10k and 100k events (issue 5).

Every number is measured against a baseline run in the same run, on the same data:

* validate + load (``dashboard.data.events.load_events``) vs bare ``pandas.read_csv`` of the same file;
* server time and response bytes of the main interactions through the real Dash callback endpoint
  (``POST /_dash-update-component`` with Flask's test client) vs a naive ``px.timeline`` of the same
  rows built and serialized with ``fig.to_json()``;
* first paint and zoom of the timeline in headless Chromium (the real dashboard served by
  ``dprk-timeline serve`` in a subprocess) vs a 100-event scattergl page (the floor: parsing plotly.js)
  and the naive ``px.timeline`` page of the same N;
* page weight of a first load (Resource Timing transfer sizes, HTTP cache disabled) vs the
  compressed plotly.min.js as served;
* export (``dashboard.publish.export.export_files``) time and size, and data bytes per event beyond plotly.js;
* peak memory (VmHWM) of the ``dprk-timeline serve`` process after load and after the interactions.

    python bench/run.py [--sizes bundled,1000,10000,100000] [--quick] [--out docs/performance.md] [--json FILE]

It prints a table and writes it (with the machine and the issue-5 targets marked met / NOT met) to
--out. The report embeds its raw numbers, so the next run compares the bundled size with it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard.app import ids  # noqa: E402
from dashboard import paths  # noqa: E402
from dashboard.data.events import load_events  # noqa: E402
from dashboard.data.filters import Filters, apply_filters  # noqa: E402
from dashboard.data.synthetic import write_synthetic  # noqa: E402

DEFAULT_SIZES = "bundled,1000,10000,100000"
QUICK_SIZES = "bundled,1000"
JSON_MARK = "bench-json"
BROWSER_ACCEPT = "gzip, deflate, br, zstd"
FIRST_PAINT_RUNS = 5

TARGETS = {  # key: (text of the target, limit)
    "first_paint": ("First paint at 100k ≤ 1.5 × the 100-event floor", 1.5),
    "server_time": ("Server time per interaction at 100k ≤ 100 ms", 100.0),
    "zoom": ("Zoom/pan redraw at 100k ≤ 150 ms", 150.0),
    "load": ("Validate+load of 100k rows ≤ 3 × bare pandas.read_csv", 3.0),
    "page_weight": ("First page load ≤ 1.3 × compressed plotly.js", 1.3),
    "export_overhead": ("Export data overhead ≤ 20 bytes per event beyond plotly.js", 20.0),
    "memory": ("Peak server memory at 100k events ≤ 500 MB", 500.0),
    "bundled": ("At the bundled size, nothing slower than before", None),
    # issue 13: a plotly.js of only what we draw
    "export_inline": ("Exported timeline.html, inline, at the bundled size ≤ 1.5 MB", 1_500_000),
    "page_weight_full": ("Dashboard first load ≤ 0.7 × the full plotly.js as compressed", 0.7),
    "first_paint_px": ("Dashboard first paint at the bundled size ≤ 1.1 × a px.timeline page with the full plotly.js", 1.1),
    "validate_cmd": ("`dprk-timeline validate` of 100k rows ≤ 3 × a whole `python -c 'pandas.read_csv(FILE)'` process", 3.0),
    "zoom_views": ("At 100k events the other views follow a zoom within 400 ms", 400.0),
}


# ---------------------------------------------------------------- small helpers


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time in ms of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(max(repeat, 1)):
        result = None  # free the previous result first: freeing it is not part of the call timed
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def ratio(value, base):
    if value is None or base in (None, 0):
        return None
    return value / base


class Timeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise Timeout in the main thread after ``seconds`` (Python code only; fine for our loops)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Timeout(f"over {seconds:g} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with contextlib.suppress(OSError):
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    import dash
    import plotly
    from plotly.offline import get_plotlyjs_version
    chromium = ""
    if shutil.which("chromium"):
        with contextlib.suppress(Exception):
            chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    code = os.environ.get("BENCH_CODE", "")
    if not code:
        with contextlib.suppress(Exception):
            head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
            dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=10)
            code = head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "code": code or "unknown",
        "cpu": cpu or platform.processor(), "cores": os.cpu_count(), "ram": ram,
        "os": platform.platform(), "python": platform.python_version(), "pandas": pd.__version__,
        "numpy": np.__version__, "plotly": plotly.__version__, "plotly.js": get_plotlyjs_version(),
        "dash": dash.__version__, "chromium": chromium,
        "load_average": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


# ---------------------------------------------------------------- data


def data_file(size: str, workdir: Path) -> tuple[Path, str]:
    if size == "bundled":
        return paths.events_csv(), "bundled"
    n = int(size)
    return write_synthetic(workdir / f"events-{n}.csv", n, seed=0), f"{n:,}"


def interactions(events: pd.DataFrame) -> list[tuple[str, str]]:
    """(name, URL query) of the main interactions, chosen from the data so each one selects something."""
    categories = events["category"].astype(str)
    category = categories.value_counts().index[0]
    lo, hi = events["start"].quantile(0.45), events["start"].quantile(0.55)
    window = f"?from={lo:%Y-%m-%d}&to={hi:%Y-%m-%d}"
    chosen = events["id"].iat[len(events) // 2]
    return [
        ("initial view (all events)", ""),
        ("category filter", f"?category={category}"),
        ("text search", "?q=kursk"),
        ("date range (zoom/brush)", window),
        ("select event", f"?event={chosen}"),
    ]


# ---------------------------------------------------------------- callbacks through the real endpoint


def _spec(spec_id, prop, value=None, with_value=False):
    """One input/output as the browser sends it; pattern-matching ids (the table's sort buttons) are expanded."""
    if isinstance(spec_id, str) and spec_id.startswith("{"):
        spec_id = json.loads(spec_id)
    if isinstance(spec_id, dict):
        from dashboard.views.table import COLUMNS
        return [{"id": {**spec_id, "column": c}, "property": prop, **({"value": value} if with_value else {})} for c in COLUMNS]
    return {"id": spec_id, "property": prop, **({"value": value} if with_value else {})}


def _outputs(output: str):
    if not output.startswith(".."):
        return _spec(*output.rsplit(".", 1))
    return [_spec(*p.rsplit(".", 1)) for p in output.strip(".").split("...")]


class Callbacks:
    """Request bodies for the app's callbacks, discovered from /_dash-dependencies (so they follow the code)."""

    def __init__(self, deps: list[dict]):
        self.deps = deps
        url = {"id": "url", "property": "search"}
        # the views: every initial callback driven by the URL that does not write the URL itself
        self.views = [d for d in deps if url in d["inputs"] and "url.search" not in d["output"]
                      and not d.get("prevent_initial_call") and not d.get("clientside_function")]
        self.sync = next((d for d in deps if d["output"].startswith("..url.search")), None)

    @staticmethod
    def body(dep: dict, values: dict, changed: list[str]) -> dict:
        def items(specs):
            return [_spec(s["id"], s["property"], values.get(f"{s['id']}.{s['property']}"), with_value=True) for s in specs]
        return {"output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": items(dep["inputs"]),
                "state": items(dep.get("state", [])), "changedPropIds": changed}

    def view_bodies(self, query: str) -> list[dict]:
        # (in the browser, the other charts are asked for once the page's timeline is drawn)
        # (and the claims chart and the table while they are near the screen: here they always are)
        given = {f"{ids.URL}.search": query, f"{ids.TIMELINE_DRAWN}.data": True, f"{ids.CLAIMS_WANTED}.data": True,
                 f"{ids.TABLE_WANTED}.data": True}
        return [self.body(d, given, ["url.search"]) for d in self.views]

    def zoom_body(self, query: str, lo: str, hi: str) -> dict | None:
        if not self.sync:
            return None
        relayout = {"xaxis.range[0]": lo, "xaxis.range[1]": hi}
        return self.body(self.sync, {"url.search": query, "timeline.relayoutData": relayout}, ["timeline.relayoutData"])


def _plain(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def post(client, body: dict, gzip_ok: bool) -> tuple[int, bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    response = client.post("/_dash-update-component", json=body, headers=headers)
    if response.status_code not in (200, 204):
        raise RuntimeError(f"callback failed ({response.status_code}): {response.data[:300]!r}")
    return response.status_code, response.data


def bench_server(events: pd.DataFrame, repeat: int) -> list[dict]:
    """Server time and bytes of each interaction vs a naive px.timeline of the same rows."""
    import plotly.express as px
    from dashboard.app.app import create_app

    app = create_app(events)
    client = app.server.test_client()
    calls = Callbacks(client.get("/_dash-dependencies").get_json())
    client.get("/")  # first request: Dash sets itself up
    rows = []
    for b in calls.view_bodies(""):  # warm-up once (first-call imports, caches of the full view)
        post(client, b, True)
    for name, query in interactions(events):
        bodies = calls.view_bodies(query)
        ms, last = timed(lambda: [post(client, b, True) for b in bodies], repeat)
        gz = sum(len(data) for _, data in last)
        raw = sum(len(_plain(data)) for _, data in last)
        view = apply_filters(events, Filters.from_query(query)[0])
        rows.append({"interaction": name, "query": query, "events": len(view), "ms": ms, "bytes": raw, "gzip": gz,
                     **naive_figure(view, repeat, px)})
    # the zoom itself: relayoutData -> the URL (then the views above run for the new range)
    lo, hi = interactions(events)[3][1].replace("?from=", "").split("&to=")
    zoom = calls.zoom_body("", lo, hi)
    if zoom:
        ms, (_, data) = timed(lambda: post(client, zoom, True), repeat)
        rows.append({"interaction": "zoom: relayout → URL (sync callback)", "query": "", "events": None, "ms": ms,
                     "bytes": len(post(client, zoom, False)[1]), "gzip": len(data),
                     "base_ms": None, "base_bytes": None, "base_gzip": None})
    return rows


def naive_figure(view: pd.DataFrame, repeat: int, px) -> dict:
    frame = pd.DataFrame({"start": view["start"], "end": view["end"], "category": view["category"].astype(str),
                          "title": view["title"]})

    def build():
        fig = px.timeline(frame, x_start="start", x_end="end", y="category", color="category", hover_name="title")
        return fig.to_json()

    try:
        ms, text = timed(build, repeat)
    except Exception as err:  # an empty selection, say
        return {"base_ms": None, "base_bytes": None, "base_gzip": None, "base_error": str(err)[:80]}
    data = text.encode()
    return {"base_ms": ms, "base_bytes": len(data), "base_gzip": len(gzip.compress(data, 6))}


# ---------------------------------------------------------------- export


def bench_export(events: pd.DataFrame, repeat: int, limit: float) -> dict:
    from dashboard.publish.export import export_files
    from dashboard.publish.plotlyjs import BUNDLE, bundles

    plotlyjs = bundles()[BUNDLE].size  # our partial plotly.js, which the exports embed or share
    out: dict = {"plotlyjs_bytes": plotlyjs, "events": len(events)}
    empty = Filters(text="no-event-matches-this-zzqx")
    try:
        with time_limit(limit):
            ms, files = timed(lambda: export_files(events, plotlyjs="inline"), repeat)
            out["inline_ms"] = ms
            out["inline_bytes"] = sum(len(v.encode() if isinstance(v, str) else v) for v in files.values())
            out["inline_files"] = {k: len(v.encode() if isinstance(v, str) else v) for k, v in files.items()}
            ms, files = timed(lambda: export_files(events, plotlyjs="directory"), repeat)
            out["directory_ms"] = ms
            sizes = {k: len(v.encode() if isinstance(v, str) else v) for k, v in files.items()}
            out["directory_files"] = sizes
            out["directory_bytes"] = sum(sizes.values())
            base = {k: len(v.encode() if isinstance(v, str) else v)
                    for k, v in export_files(events, empty, plotlyjs="directory").items()}
    except Timeout as err:
        out["error"] = f"timed out ({err})"
        return out
    n = max(len(events), 1)
    out["timeline_per_event"] = (sizes["timeline.html"] - base["timeline.html"]) / n
    data = sum(v for k, v in sizes.items() if k != "plotly.min.js")
    data0 = sum(v for k, v in base.items() if k != "plotly.min.js")
    out["all_per_event"] = (data - data0) / n
    out["charts_per_event"] = (sum(v - base[k] for k, v in sizes.items() if k not in ("plotly.min.js", "index.html"))) / n
    return out


# ---------------------------------------------------------------- server process, browser, memory


def vm(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) / 1024 for key in ("VmHWM", "VmRSS")}


@contextlib.contextmanager
def serve_process(path: Path, timeout: float):
    port = free_port()
    # `python -m dashboard serve` is what the dprk-timeline script runs; -m with this checkout first on
    # the path measures this checkout's code even when another copy is installed
    cmd = [sys.executable, "-m", "dashboard", "serve", "--events", str(path), "--port", str(port)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    log = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=str(ROOT), env=env)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited: {log.read()[-2000:].decode(errors='replace')}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start in time")
            time.sleep(0.1)
        yield proc, url, (time.perf_counter() - t0) * 1000
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# the full plotly.js that Dash still serves (the page itself loads our partial bundle)
FULL_PLOTLY = "_dash-component-suites/plotly/package_data/plotly.min.js"


def served_size(url: str) -> int | None:
    """Bytes on the wire for ``url`` as the server compresses it for a browser's Accept-Encoding."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": BROWSER_ACCEPT})
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(request, timeout=60) as r:
            return len(r.read())
    return None


def post_live(url: str, body: dict) -> int:
    request = urllib.request.Request(url + "_dash-update-component", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=300) as r:
        return len(r.read())


def browser_available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run",
                "--enable-unsafe-swiftshader", "--window-size=1280,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    driver.set_script_timeout(180)
    driver.set_page_load_timeout(180)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})  # every load is a first load
    # in the dashboard: first paint = the timeline holds event points and has been drawn (2 frames later)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_PAINT_PROBE})
    return driver


FIRST_PAINT_PROBE = """
window.__bench = window.__bench || {};
window.__bench.inflight = 0; window.__bench.viewsDone = 0;
if (window.fetch && !window.__benchFetch) {
  // count callback requests in flight, and finished requests of the views (those that write the event count)
  window.__benchFetch = true;
  var realFetch = window.fetch;
  window.fetch = function (url, init) {
    var isCallback = String(url).indexOf('_dash-update-component') >= 0;
    var isViews = isCallback && init && typeof init.body === 'string' && init.body.indexOf('event-count') >= 0;
    if (isCallback) window.__bench.inflight += 1;
    return realFetch.apply(this, arguments).then(function (r) {
      return r.clone().arrayBuffer().then(function () { return r; });
    }).finally(function () {
      if (isCallback) window.__bench.inflight -= 1;
      if (isViews) window.__bench.viewsDone += 1;
    });
  };
}
(function () {
  function drawn() {
    var gd = document.querySelector('#timeline .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd.data || getComputedStyle(gd).visibility === 'hidden') return false;
    var loading = document.querySelector('#timeline [data-dash-is-loading="true"]');
    return !loading && gd.data.some(function (t) { return t.customdata && t.customdata.length > 0; });
  }
  function check() {
    if (!document.querySelector('#timeline')) { requestAnimationFrame(check); return; }
    if (drawn()) {
      requestAnimationFrame(function () { requestAnimationFrame(function () {
        if (window.__bench.firstPaint === undefined) window.__bench.firstPaint = performance.now();
      }); });
      return;
    }
    requestAnimationFrame(check);
  }
  if (location.protocol.indexOf('http') === 0 && !window.__benchStatic) requestAnimationFrame(check);
})();
"""

# standalone pages (baselines) record their own time after Plotly.newPlot resolves
STATIC_POST_SCRIPT = ("window.__benchStatic = true; requestAnimationFrame(function () { requestAnimationFrame(function () {"
                      " window.__bench = window.__bench || {}; window.__bench.firstPaint = performance.now(); }); });")

ZOOM_SCRIPT = """
var done = arguments[arguments.length - 1], range = arguments[0], selector = arguments[1], settle = arguments[2];
var gd = document.querySelector(selector);
var before = window.__bench ? window.__bench.viewsDone : 0;
var t0 = performance.now();
Plotly.relayout(gd, {'xaxis.range': range}).then(function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    var redraw = performance.now() - t0;
    if (!settle) { done([redraw, null]); return; }
    (function poll() {
      if (window.__bench.viewsDone > before && window.__bench.inflight === 0
          && !document.querySelector('[data-dash-is-loading="true"]')) {
        requestAnimationFrame(function () { requestAnimationFrame(function () { done([redraw, performance.now() - t0]); }); });
      } else if (performance.now() - t0 > 60000) { done([redraw, null]); }
      else { setTimeout(poll, 5); }
    })();
  }); });
}).catch(function (e) { done([null, null, String(e)]); });
"""

PAGE_WEIGHT = """
var nav = performance.getEntriesByType('navigation')[0];
var res = performance.getEntriesByType('resource');
var total = (nav ? nav.transferSize : 0), decoded = (nav ? nav.decodedBodySize : 0), plotly = null, n = 0;
res.forEach(function (r) {
  total += r.transferSize; decoded += r.decodedBodySize; n += 1;
  if (/plotly[^/]*\\.js/.test(r.name) && r.decodedBodySize > 1000000) plotly = r.encodedBodySize;
});
return [total, decoded, plotly, n];
"""


def wait_js(driver, script: str, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script("return " + script)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def first_paint(driver, url: str, timeout: float) -> float | None:
    driver.get("about:blank")
    driver.get(url)
    return wait_js(driver, "window.__bench && window.__bench.firstPaint", timeout)


def zoom_ranges(events: pd.DataFrame, k: int) -> list[list[str]]:
    """k different zoom windows, each about a tenth of the data's span, away from the edges."""
    lo, hi = events["start"].min(), events["start"].max()
    span = hi - lo
    out = []
    for i in range(k):
        a = lo + span * (0.30 + 0.1 * i)
        out.append([f"{a:%Y-%m-%d}", f"{a + span * 0.1:%Y-%m-%d}"])
    return out


def settled(driver, timeout: float) -> None:
    """Wait until no Dash callback is pending and the network has been quiet for a moment."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    last = -1
    while time.monotonic() < deadline:
        loading, entries = driver.execute_script(
            "return [document.querySelectorAll('[data-dash-is-loading=\"true\"]').length,"
            " performance.getEntriesByType('resource').length]")
        if loading == 0 and entries == last:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 0.5:
                return
        else:
            quiet_since = None
        last = entries
        time.sleep(0.05)


def static_pages(events: pd.DataFrame, workdir: Path, label: str) -> tuple[Path, Path]:
    """The baselines as pages sharing one plotly.min.js: a 100-event scattergl floor and the naive px.timeline."""
    import plotly.express as px
    import plotly.graph_objects as go
    import plotly.io as pio

    floor = workdir / "floor.html"
    if not floor.exists():
        rng = np.random.default_rng(0)
        x = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, 100), unit="D")
        fig = go.Figure(go.Scattergl(x=x, y=rng.integers(0, 9, 100), mode="markers", text=[f"event {i}" for i in range(100)]))
        floor.write_text(pio.to_html(fig, include_plotlyjs="directory", full_html=True, post_script=STATIC_POST_SCRIPT,
                                     div_id="graph", validate=False), encoding="utf-8")
    frame = pd.DataFrame({"start": events["start"], "end": events["end"], "category": events["category"].astype(str),
                          "title": events["title"]})
    fig = px.timeline(frame, x_start="start", x_end="end", y="category", color="category", hover_name="title")
    page = workdir / f"px-{label.replace(',', '')}.html"
    page.write_text(pio.to_html(fig, include_plotlyjs="directory", full_html=True, post_script=STATIC_POST_SCRIPT,
                                div_id="graph", validate=False), encoding="utf-8")
    return floor, page


@contextlib.contextmanager
def static_server(folder: Path):
    handler = partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _paints(repeat: int) -> int:
    """First paints per page: more than other repeats, as one load now and then is slowed by the machine."""
    return 1 if repeat <= 1 else max(repeat, FIRST_PAINT_RUNS)


def bench_browser_and_memory(path: Path, events: pd.DataFrame, label: str, workdir: Path, repeat: int,
                             driver, static_url: str | None, timeout: float, log=print) -> dict:
    out: dict = {}
    with serve_process(path, timeout) as (proc, url, start_ms):
        out["serve_start_ms"] = start_ms
        out["mem_after_load"] = vm(proc.pid)
        log(f"  server up in {start_ms:,.0f} ms; first paint …")
        if driver is not None:
            paints = []
            for _ in range(_paints(repeat)):
                paints.append(first_paint(driver, url, timeout))
            out["first_paint_runs"] = paints
            good = [p for p in paints if p]
            out["first_paint_ms"] = statistics.median(good) if good else None
            log("  page weight, zoom …")
            settled(driver, timeout)
            total, decoded, plotly, n = driver.execute_script(PAGE_WEIGHT)
            out.update(page_bytes=total, page_decoded=decoded, page_plotly=plotly, page_requests=n,
                       full_plotly_served=served_size(url + FULL_PLOTLY))
            zooms = [driver.execute_async_script(ZOOM_SCRIPT, r, "#timeline .js-plotly-plot", True)
                     for r in zoom_ranges(events, 3 if repeat > 1 else 2)]
            out["zoom_runs"] = zooms
            redraw = [z[0] for z in zooms if z[0] is not None]
            full = [z[1] for z in zooms if z[1] is not None]
            out["zoom_redraw_ms"] = statistics.median(redraw) if redraw else None
            out["zoom_settled_ms"] = statistics.median(full) if full else None
            log("  px.timeline page, floor …")
            if static_url:
                # the floor again, now: other load on the machine changes over a long run
                runs = [first_paint(driver, static_url + "floor.html", 60) for _ in range(_paints(repeat))]
                good = [p for p in runs if p]
                out["floor_ms"] = statistics.median(good) if good else None
                _, page = static_pages(events, workdir, label)
                runs = [first_paint(driver, static_url + page.name, timeout) for _ in range(repeat)]
                good = [p for p in runs if p]
                out["px_first_paint_ms"] = statistics.median(good) if good else None
                zooms = [driver.execute_async_script(ZOOM_SCRIPT, r, "#graph", False)
                         for r in zoom_ranges(events, 3 if repeat > 1 else 2)]
                redraw = [z[0] for z in zooms if z[0] is not None]
                out["px_zoom_ms"] = statistics.median(redraw) if redraw else None
        log("  interactions against the live server …")
        # the interactions again, against the live server, so the memory peak includes them
        calls = Callbacks(json.loads(urllib.request.urlopen(url + "_dash-dependencies", timeout=60).read()))
        for _, query in interactions(events):
            for body in calls.view_bodies(query):
                post_live(url, body)
        out["mem_after_interactions"] = vm(proc.pid)
    return out


def bench_floor(driver, static_url: str, repeat: int) -> float | None:
    runs = [first_paint(driver, static_url + "floor.html", 60) for _ in range(_paints(repeat))]
    good = [p for p in runs if p]
    return statistics.median(good) if good else None


# ---------------------------------------------------------------- one size, the whole run


def bench_size(size: str, workdir: Path, repeat: int, quick: bool, driver, static_url, log) -> dict:
    path, label = data_file(size, workdir)
    result: dict = {"size": size, "label": label, "file_bytes": path.stat().st_size}
    log(f"[{label}] validate + load …")
    load_ms, events = timed(lambda: load_events(path), repeat)
    csv_ms, _ = timed(lambda: pd.read_csv(path), repeat)
    result.update(events=len(events), load_ms=load_ms, read_csv_ms=csv_ms)
    log(f"[{label}] validate command …")
    result.update(validate_commands(path, repeat))
    log(f"[{label}] callbacks …")
    result["server"] = bench_server(events, repeat)
    log(f"[{label}] export …")
    result["export"] = bench_export(events, 1 if len(events) > 20_000 else repeat, 120 if quick else 300)
    log(f"[{label}] server process, browser, memory …")
    try:
        result.update(bench_browser_and_memory(path, events, label, workdir, repeat, driver, static_url,
                                               60 if quick else 300, log))
    except Exception as err:  # report what failed instead of losing the other numbers
        result["browser_error"] = f"{type(err).__name__}: {str(err)[-400:]}"
    return result


def validate_commands(path: Path, repeat: int) -> dict:
    """`dprk-timeline validate FILE` as a whole process (start-up and imports included) and, as its
    baseline, a whole `python -c "import pandas; pandas.read_csv(FILE)"` process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

    def run_once(cmd: list[str]) -> float:
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace")[-400:])
        return (time.perf_counter() - t0) * 1000

    validate = [sys.executable, "-m", "dashboard", "validate", str(path)]
    read_csv = [sys.executable, "-c", "import sys, pandas; pandas.read_csv(sys.argv[1])", str(path)]
    try:
        return {"validate_cmd_ms": statistics.median(run_once(validate) for _ in range(repeat)),
                "read_csv_cmd_ms": statistics.median(run_once(read_csv) for _ in range(repeat))}
    except (OSError, RuntimeError) as err:
        return {"validate_cmd_error": str(err)[:200]}


def previous_results(out: Path) -> dict | None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        text = out.read_text(encoding="utf-8")
        return json.loads(re.search(rf"<!-- {JSON_MARK}\n(.*?)\n-->", text, re.S).group(1))
    return None


def run(sizes: list[str], quick: bool, out: Path | None, json_out: Path | None, log=print) -> dict:
    repeat = 1 if quick else 3
    previous = previous_results(out) if out else None
    report: dict = {"machine": machine(), "quick": quick, "repeat": repeat, "sizes": [], "floor_ms": None}
    from plotly.offline import get_plotlyjs
    js = get_plotlyjs().encode()
    report["plotlyjs"] = {"bytes": len(js), "gzip": len(gzip.compress(js, 6))}
    with contextlib.suppress(ImportError):
        import brotli
        report["plotlyjs"]["br"] = len(brotli.compress(js))
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dprk-bench-") as tmp:
        workdir = Path(tmp)
        driver = None
        static_ctx = contextlib.nullcontext(None)
        if browser_available():
            from plotly.offline import get_plotlyjs as _js
            (workdir / "plotly.min.js").write_text(_js(), encoding="utf-8")
            static_pages(pd.DataFrame({"start": [], "end": [], "category": [], "title": []}).astype(
                {"start": "datetime64[ns]", "end": "datetime64[ns]"}), workdir, "empty")
            driver = make_driver()
            static_ctx = static_server(workdir)
        else:
            report["browser_note"] = "chromium/chromedriver not found: browser measurements skipped"
        try:
            with static_ctx as static_url:
                if driver is not None:
                    log("floor: 100-event scattergl page …")
                    first_paint(driver, static_url + "floor.html", 60)  # warm-up: the browser's own start-up
                    report["floor_ms"] = bench_floor(driver, static_url, repeat)
                log("sizes …")
                for size in sizes:
                    report["sizes"].append(bench_size(size, workdir, repeat, quick, driver, static_url, log))
        finally:
            if driver is not None:
                driver.quit()
    report["machine"]["load_average_end"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    report["total_s"] = time.perf_counter() - t_start
    report["targets"] = evaluate(report, previous)
    text = render(report)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    if json_out:
        json_out.write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    return report


# ---------------------------------------------------------------- targets and the report


def evaluate(report: dict, previous: dict | None) -> list[dict]:
    """Each issue-5 target: met / NOT met / not measured, judged at the largest size measured."""
    sizes = [s for s in report["sizes"] if s["size"] != "bundled"] or report["sizes"]
    if not sizes:
        return []
    big = max(sizes, key=lambda s: s["events"])
    at = f"at N={big['label']}" + ("" if big["events"] >= 100_000 else " (100k not measured in this run)")
    rows = []

    def add(key, value, met, detail):
        text, _ = TARGETS[key]
        rows.append({"key": key, "target": text, "value": value, "status": "n/a" if met is None else ("met" if met else "NOT met"),
                     "detail": detail})

    fp, floor = big.get("first_paint_ms"), big.get("floor_ms") or report.get("floor_ms")
    r = ratio(fp, floor)
    add("first_paint", r, None if r is None else r <= 1.5,
        f"{at}: {_ms(fp)} vs floor {_ms(floor)} = {_x(r)}")
    worst = max((row for row in big["server"] if row["ms"] is not None), key=lambda row: row["ms"], default=None)
    add("server_time", worst and worst["ms"], None if worst is None else worst["ms"] <= 100,
        f"{at}: slowest is '{worst['interaction']}' at {_ms(worst['ms'])}" if worst else "")
    z = big.get("zoom_redraw_ms")
    add("zoom", z, None if z is None else z <= 150,
        f"{at}: relayout → redrawn {_ms(z)}; until the views show the new range {_ms(big.get('zoom_settled_ms'))}")
    r = ratio(big["load_ms"], big["read_csv_ms"])
    add("load", r, r <= 3, f"{at}: {_ms(big['load_ms'])} vs read_csv {_ms(big['read_csv_ms'])} = {_x(r)}")
    weights = [(s, ratio(s.get("page_bytes"), _full_plotly(s))) for s in report["sizes"] if s.get("page_bytes")]
    if weights:
        s, r = max(weights, key=lambda w: w[1] or 0)
        detail = f"worst at N={s['label']}: {_kb(s['page_bytes'])} vs the full plotly.min.js as served {_kb(_full_plotly(s))} = {_x(r)}"
        add("page_weight", r, None if r is None else r <= 1.3, detail)
        add("page_weight_full", r, None if r is None else r <= 0.7, detail)
    else:
        add("page_weight", None, None, "not measured (no browser)")
        add("page_weight_full", None, None, "not measured (no browser)")
    e = big["export"].get("timeline_per_event")
    add("export_overhead", e, None if e is None else e <= 20,
        f"{at}: timeline.html {_b(e)}/event; all charts {_b(big['export'].get('charts_per_event'))}/event; "
        f"whole export incl. the report's event list {_b(big['export'].get('all_per_event'))}/event"
        if e is not None else f"{at}: {big['export'].get('error', 'not measured')}")
    m = (big.get("mem_after_interactions") or {}).get("VmHWM")
    add("memory", m, None if m is None else m <= 500, f"{at}: VmHWM {_mb(m)} (after load {_mb((big.get('mem_after_load') or {}).get('VmHWM'))})")
    bundled = next((s for s in report["sizes"] if s["size"] == "bundled"), None)
    size = ((bundled or {}).get("export") or {}).get("inline_files", {}).get("timeline.html")
    add("export_inline", size, None if size is None else size <= 1_500_000,
        f"at the bundled size: timeline.html {_kb(size)}" if size is not None else "not measured (bundled size not in this run)")
    fp, px_fp = (bundled or {}).get("first_paint_ms"), (bundled or {}).get("px_first_paint_ms")
    r = ratio(fp, px_fp)
    add("first_paint_px", r, None if r is None else r <= 1.1,
        f"at the bundled size: {_ms(fp)} vs px.timeline page {_ms(px_fp)} = {_x(r)}" if r is not None else "not measured")
    r = ratio(big.get("validate_cmd_ms"), big.get("read_csv_cmd_ms"))
    add("validate_cmd", r, None if r is None else r <= 3,
        f"{at}: {_ms(big.get('validate_cmd_ms'))} vs read_csv process {_ms(big.get('read_csv_cmd_ms'))} = {_x(r)}"
        if r is not None else big.get("validate_cmd_error", "not measured"))
    zs = big.get("zoom_settled_ms")
    add("zoom_views", zs, None if zs is None else zs <= 400, f"{at}: relayout → every view shows the new range {_ms(zs)}")
    old = next((s for s in (previous or {}).get("sizes", []) if s["size"] == "bundled"), None)
    if bundled and old:
        slower = []
        for name, new_v, old_v in _bundled_metrics(bundled, old):
            if new_v is not None and old_v and new_v > old_v * SLOWER + SLOWER_MS:
                slower.append(f"{name} {_ms(old_v)} → {_ms(new_v)}")
        add("bundled", len(slower), not slower, "slower: " + "; ".join(slower) if slower else
            f"no metric more than {SLOWER - 1:.0%} + {SLOWER_MS} ms slower than the previous report ({previous['machine'].get('date')})")
    else:
        add("bundled", None, None, "reference recorded by this run (no earlier report to compare with)")
    return rows


def _full_plotly(size: dict) -> int | None:
    """The full plotly.js as the dashboard's server sends it (reports from before the partial bundle:
    the plotly.js the page loaded, which was the full one)."""
    return size.get("full_plotly_served") or size.get("page_plotly")


# "slower" at the bundled size: beyond this noise margin (a 2-core machine shared with other work
# shows ±40 % between runs of the same code at a few hundred ms)
SLOWER, SLOWER_MS = 1.5, 50


def _bundled_metrics(new: dict, old: dict):
    yield "load", new.get("load_ms"), old.get("load_ms")
    yield "first paint", new.get("first_paint_ms"), old.get("first_paint_ms")
    yield "zoom", new.get("zoom_redraw_ms"), old.get("zoom_redraw_ms")
    olds = {r["interaction"]: r["ms"] for r in old.get("server", [])}
    for row in new.get("server", []):
        yield row["interaction"], row["ms"], olds.get(row["interaction"])


def _ms(v):
    return "–" if v is None else (f"{v / 1000:.2f} s" if v >= 10_000 else f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms")


def _x(v):
    return "–" if v is None else f"{v:.2f}×"


def _kb(v):
    return "–" if v is None else (f"{v / 1048576:.2f} MB" if v >= 1048576 else f"{v / 1024:,.1f} kB")


def _b(v):
    return "–" if v is None else f"{v:,.0f} B"


def _mb(v):
    return "–" if v is None else f"{v:,.0f} MB"


def render(report: dict) -> str:
    m = report["machine"]
    sizes = report["sizes"]
    head = "| | " + " | ".join(f"N = {s['label']}" for s in sizes) + " |\n|---|" + "---|" * len(sizes) + "\n"

    def line(name, cells):
        return f"| {name} | " + " | ".join(cells) + " |\n"

    out = ["# Performance\n\n",
           "Measured by `python bench/run.py" + (" --quick" if report["quick"] else "") + "` (issue 5). Every number is shown "
           "with its ratio to a baseline measured in the same run on the same data. Times are medians of "
           f"{report['repeat']} runs unless noted. Regenerate with `python bench/run.py --out docs/performance.md`.\n\n",
           "## Machine\n\n",
           f"- Date: {m['date']}; code: {m.get('code', 'unknown')}\n- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram']}; {m['os']}\n",
           f"- Python {m['python']}, pandas {m['pandas']}, numpy {m['numpy']}, plotly {m['plotly']} (plotly.js {m['plotly.js']}), "
           f"dash {m['dash']}\n- Browser: {m['chromium'] or 'none'} (headless, software WebGL)\n",
           f"- Load average at start / end of the run: {m['load_average']} → {m.get('load_average_end', '?')} "
           "(other work on the machine inflates every time; ratios to same-run baselines are the stabler numbers)\n",
           f"- Whole run: {report.get('total_s', 0):.0f} s\n\n"]

    out.append("## Targets (issues 5 and 13)\n\n| target | status | measured |\n|---|---|---|\n")
    for t in report["targets"]:
        out.append(f"| {t['target']} | **{t['status']}** | {t['detail']} |\n")

    out.append("\n## Validate + load\n\nBaseline: bare `pandas.read_csv` of the same file.\n\n" + head)
    out.append(line("file size", [_kb(s["file_bytes"]) for s in sizes]))
    out.append(line("`load_events` (validate + load)", [f"{_ms(s['load_ms'])} ({_x(ratio(s['load_ms'], s['read_csv_ms']))})" for s in sizes]))
    out.append(line("baseline `pandas.read_csv`", [_ms(s["read_csv_ms"]) for s in sizes]))
    out.append(line("`dprk-timeline validate FILE`, whole process", [
        f"{_ms(s.get('validate_cmd_ms'))} ({_x(ratio(s.get('validate_cmd_ms'), s.get('read_csv_cmd_ms')))})" for s in sizes]))
    out.append(line("baseline `python -c \"pandas.read_csv(FILE)\"`, whole process", [_ms(s.get("read_csv_cmd_ms")) for s in sizes]))

    out.append("\n## Server: interactions through the Dash callback endpoint\n\n"
               "`POST /_dash-update-component` through Flask's test client, with `Accept-Encoding: gzip`, for every "
               "callback the URL drives (the views: timeline, map, monthly, claims, table, count, detail). Cell: "
               "server time · response bytes raw / gzip. Baseline in brackets: a naive `px.timeline` of the same rows, "
               "built and serialized with `fig.to_json()` (time · bytes raw / gzip), and the ratio of time.\n\n" + head)
    names = [r["interaction"] for r in sizes[0]["server"]] if sizes else []
    for i, name in enumerate(names):
        cells = []
        for s in sizes:
            r = s["server"][i] if i < len(s["server"]) else None
            if r is None:
                cells.append("–")
                continue
            cell = f"{_ms(r['ms'])} · {_kb(r['bytes'])} / {_kb(r['gzip'])}"
            if r.get("base_ms") is not None:
                cell += f" (px: {_ms(r['base_ms'])} · {_kb(r['base_bytes'])} / {_kb(r['base_gzip'])}; {_x(ratio(r['ms'], r['base_ms']))})"
            if r.get("events") is not None:
                cell += f"; {r['events']:,} events"
            cells.append(cell)
        out.append(line(name, cells))

    out.append("\n## Browser: first paint and zoom (headless Chromium)\n\n"
               "The real dashboard served by `dprk-timeline serve --events FILE` in a subprocess, HTTP cache disabled "
               "(every load is a first load). First paint: from navigation start until the timeline holds event "
               f"points and two animation frames have passed (dashboard and floor: median of {FIRST_PAINT_RUNS} loads). Zoom: `Plotly.relayout(xaxis.range)` on the timeline "
               "until redrawn (+2 frames); 'views updated' waits further until the callbacks have filtered every view "
               "to the new range. Baselines: a standalone page of a 100-event scattergl chart (the floor: loading and "
               "parsing plotly.js), and the naive `px.timeline` page of the same N (both load plotly.min.js from a "
               "local HTTP server).\n\n")
    out.append(f"Floor (100-event scattergl page) at the start of the run: **{_ms(report.get('floor_ms'))}**; it is measured "
               "again right after each size's pages, and each ratio uses that size's floor"
               + (f". {report['browser_note']}" if report.get("browser_note") else "") + "\n\n" + head)
    floor = report.get("floor_ms")
    out.append(line("floor, measured again at this size", [_ms(s.get("floor_ms")) for s in sizes]))
    out.append(line("dashboard first paint", [f"{_ms(s.get('first_paint_ms'))} ({_x(ratio(s.get('first_paint_ms'), s.get('floor_ms') or floor))} floor)" for s in sizes]))
    out.append(line("baseline px.timeline first paint", [f"{_ms(s.get('px_first_paint_ms'))} ({_x(ratio(s.get('px_first_paint_ms'), s.get('floor_ms') or floor))} floor)" for s in sizes]))
    out.append(line("dashboard zoom: redrawn", [f"{_ms(s.get('zoom_redraw_ms'))} ({_x(ratio(s.get('zoom_redraw_ms'), s.get('px_zoom_ms')))} px)" for s in sizes]))
    out.append(line("dashboard zoom: views updated", [_ms(s.get("zoom_settled_ms")) for s in sizes]))
    out.append(line("baseline px.timeline zoom", [_ms(s.get("px_zoom_ms")) for s in sizes]))
    errors = [f"N={s['label']}: {s['browser_error']}" for s in sizes if s.get("browser_error")]
    if errors:
        out.append("\nErrors: " + "; ".join(errors) + "\n")

    pj = report["plotlyjs"]
    out.append("\n## Page weight of a first load\n\nSum of `transferSize` over the navigation and every resource "
               "(Resource Timing, after the page settled), i.e. compressed bytes as Chromium negotiated them. "
               "The page loads our partial plotly.js (tools/plotly-bundle). Baseline: the full plotly.min.js "
               f"(raw {_kb(pj['bytes'])}; gzip {_kb(pj['gzip'])}" + (f", br {_kb(pj['br'])}" if pj.get("br") else "")
               + ") as the same server compresses it for the same browser.\n\n" + head)
    out.append(line("first load, transferred", [f"{_kb(s.get('page_bytes'))} ({_x(ratio(s.get('page_bytes'), _full_plotly(s)))})" for s in sizes]))
    out.append(line("first load, decoded", [_kb(s.get("page_decoded")) for s in sizes]))
    out.append(line("the page's plotly.js, transferred", [_kb(s.get("page_plotly")) for s in sizes]))
    out.append(line("full plotly.min.js as served (baseline)", [_kb(_full_plotly(s)) for s in sizes]))
    out.append(line("requests", [str(s.get("page_requests", "–")) for s in sizes]))

    out.append("\n## Export (`dashboard.publish.export.export_files`)\n\nInline: our partial plotly.js embedded in each of the 5 files (a chart page that draws only bars and scatter gets the smaller bundle); "
               "directory: one shared plotly.min.js. Per event: (bytes at N − bytes of the same export with no "
               "event selected) / N, in directory mode, i.e. beyond plotly.js and the page's fixed part.\n\n" + head)
    ex = [s["export"] for s in sizes]
    out.append(line("inline: time · total size", [f"{_ms(e.get('inline_ms'))} · {_kb(e.get('inline_bytes'))}" if "error" not in e else e["error"] for e in ex]))
    out.append(line("directory: time · total size", [f"{_ms(e.get('directory_ms'))} · {_kb(e.get('directory_bytes'))}" if "error" not in e else e["error"] for e in ex]))
    out.append(line("timeline.html bytes/event", [_b(e.get("timeline_per_event")) for e in ex]))
    out.append(line("4 chart files bytes/event", [_b(e.get("charts_per_event")) for e in ex]))
    out.append(line("whole export (with report) bytes/event", [_b(e.get("all_per_event")) for e in ex]))

    out.append("\n## Server memory\n\n`VmHWM` (peak RSS) and `VmRSS` of the `dprk-timeline serve` process, from "
               "`/proc/PID/status`.\n\n" + head)
    out.append(line("time to serve the first page", [_ms(s.get("serve_start_ms")) for s in sizes]))
    out.append(line("after load: peak · now", [f"{_mb((s.get('mem_after_load') or {}).get('VmHWM'))} · {_mb((s.get('mem_after_load') or {}).get('VmRSS'))}" for s in sizes]))
    out.append(line("after the interactions: peak · now", [f"{_mb((s.get('mem_after_interactions') or {}).get('VmHWM'))} · {_mb((s.get('mem_after_interactions') or {}).get('VmRSS'))}" for s in sizes]))
    out.append(NOTES_MARK)
    out.append(f"\n<!-- {JSON_MARK}\n{json.dumps(report, default=str)}\n-->\n")
    return "".join(out)


NOTES_MARK = ""  # replaced by a hand-written analysis section when one is kept (see --notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help=f"comma-separated: 'bundled' and/or event counts (default {DEFAULT_SIZES}; --quick: {QUICK_SIZES})")
    parser.add_argument("--quick", action="store_true", help="one repeat per measurement, small sizes (for the test suite)")
    parser.add_argument("--out", type=Path, default=None, help="write the report (Markdown) here, e.g. docs/performance.md")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw numbers as JSON here")
    parser.add_argument("--notes", type=Path, default=None, help="Markdown appended to the report (analysis, profiles)")
    parser.add_argument("--from-json", type=Path, default=None, metavar="FILE",
                        help="measure nothing: render the report of an earlier run's --json FILE (e.g. with new --notes)")
    parser.add_argument("--compare-with", type=Path, default=None, metavar="MD",
                        help="with --from-json: judge the bundled size against this earlier report")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in (args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)).split(",") if s.strip()]
    for s in sizes:
        if s != "bundled" and not s.isdigit():
            parser.error(f"size {s!r} is neither 'bundled' nor a number")
    global NOTES_MARK
    if args.notes:
        NOTES_MARK = "\n" + args.notes.read_text(encoding="utf-8").strip() + "\n"
    if args.from_json:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
        if args.compare_with:
            report["targets"] = evaluate(report, previous_results(args.compare_with))
        text = render(report)
        print(text)
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        return 0
    t0 = time.perf_counter()
    run(sizes, args.quick, args.out, args.json,
        log=lambda msg: print(f"{time.perf_counter() - t0:7.1f} s  {msg}", file=sys.stderr, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
