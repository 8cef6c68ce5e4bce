"""An exported chart embedded in a host page with embed.html's code: the iframe takes the chart's height."""

from __future__ import annotations

import html
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.cli import export_command

pytestmark = pytest.mark.browser

FRAME = "document.querySelector('iframe[data-dprk-timeline]')"
FRAME_HEIGHT = f"Math.round({FRAME}.getBoundingClientRect().height)"
START_PX = 150  # the host page's iframe starts this high: only the chart's message can change it


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("embed") / "out"
    result = CliRunner().invoke(export_command, ["--out", str(out), "--plotlyjs", "directory"])
    assert result.exit_code == 0, result.output
    return out


def host_page(out: Path, chart: str, width: int, extra: str = "") -> Path:
    """A page that embeds ``chart`` in a column ``width`` px wide with the code embed.html gives for it."""
    page = (out / "embed.html").read_text(encoding="utf-8")
    code = html.unescape(re.search(rf'<textarea id="code-{chart}"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    code = re.sub(r'height="\d+"', f'height="{START_PX}"', code, count=1).replace(' loading="lazy"', "")
    path = out / f"host-{chart}.html"
    path.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host</title></head><body>'
                    f'<h1>An article</h1><div style="width:{width}px">{code}</div>{extra}<p id="after">More text</p>'
                    "</body></html>", encoding="utf-8")
    return path


def wait_until(driver, script: str, timeout: float = 30):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: d.execute_script("return " + script))


def in_frame(driver, script: str, wait: bool = False):
    """Run (or, with ``wait``, wait until true) a JS expression inside the chart's frame: from a file:// page
    the host cannot reach into its frames, so the driver switches to the frame."""
    driver.switch_to.frame(driver.find_element("css selector", "iframe[data-dprk-timeline]"))
    try:
        return wait_until(driver, script) if wait else driver.execute_script("return " + script)
    finally:
        driver.switch_to.default_content()


def test_emb001_iframe_takes_the_charts_height_and_follows_it_from_file(dash_duo, exported):
    driver = dash_duo.driver
    driver.get(host_page(exported, "timeline", 320).as_uri())
    wait_until(driver, f"{FRAME_HEIGHT} !== {START_PX}")
    root = in_frame(driver, "Math.ceil(document.getElementById('embed-root').getBoundingClientRect().height)")
    assert root >= 300 and wait_until(driver, f"{FRAME_HEIGHT} === {root}")
    # the chart fits the 320 px column: plotly drew it that wide, and nothing scrolls sideways
    in_frame(driver, "!!document.getElementById('timeline')._fullLayout", wait=True)
    assert in_frame(driver, "[document.getElementById('timeline')._fullLayout.width, "
                            "document.documentElement.scrollWidth, document.documentElement.clientWidth]") == [320, 320, 320]
    # the wrapper, not the document, is measured: the frame grows with the chart and shrinks with it too
    for height in (root + 200, root - 100):
        in_frame(driver, f"document.querySelector('#embed-root > div').style.height = '{height}px'")
        assert wait_until(driver, f"{FRAME_HEIGHT} === {height}")
    assert dash_duo.get_logs() == []


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # (no request log in the test output)
        pass


def test_emb002_over_http_only_the_charts_own_frame_sets_its_height(dash_duo, exported):
    # another frame on the page posts a height message too: it must not resize the chart's iframe
    impostor = ('<iframe id="other" title="Another embed" srcdoc="<script>parent.postMessage({type: '
                "&quot;dprk-timeline:height&quot;, height: 1234}, &quot;*&quot;)</script>\"></iframe>"
                # (listeners run in the order they were added: the embed code's has seen the message by then)
                '<script>addEventListener("message", function (e) { if (e.source === '
                'document.getElementById("other").contentWindow) window.fromOther = true; });</script>')
    path = host_page(exported, "map", 600, extra=impostor)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(exported)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        driver = dash_duo.driver
        driver.get(f"http://127.0.0.1:{server.server_port}/{path.name}")
        wait_until(driver, f"{FRAME_HEIGHT} !== {START_PX}")
        root = in_frame(driver, "Math.ceil(document.getElementById('embed-root').getBoundingClientRect().height)")
        assert wait_until(driver, f"{FRAME_HEIGHT} === {root}") and root == 360  # the map's height
        wait_until(driver, "window.fromOther === true")
        in_frame(driver, "!!document.getElementById('map')._fullLayout", wait=True)
        # (drawn while the frame still had its first height, the chart may start 15 px narrower beside a
        # scrollbar; plotly's own resize then gives it the column's width)
        assert in_frame(driver, "document.getElementById('map')._fullLayout.width === 600", wait=True)
        assert driver.execute_script(f"return [{FRAME_HEIGHT}, document.getElementById('other').style.height]") == [360, ""]
        assert dash_duo.get_logs() == []
    finally:
        server.shutdown()
        server.server_close()


def test_emb003_a_legend_in_columns_takes_one_per_row_in_a_narrow_column_and_the_frame_grows(dash_duo, exported):
    driver = dash_duo.driver
    driver.get(host_page(exported, "monthly", 320).as_uri())
    in_frame(driver, "!!document.getElementById('monthly')._fullLayout", wait=True)
    in_frame(driver, "document.getElementById('monthly').layout.legend.entrywidth === 1", wait=True)
    height = in_frame(driver, "Math.ceil(document.getElementById('embed-root').getBoundingClientRect().height)")
    entries = in_frame(driver, "document.getElementById('monthly')._fullData.filter(t => t.showlegend).length")
    assert entries >= 2 and height == 360 + (entries - -(-entries // 2)) * 20  # one row per entry instead of two columns
    assert wait_until(driver, f"{FRAME_HEIGHT} === {height}")
    # legend entries do not overlap: each row's text ends before the next entry's symbol
    assert in_frame(driver, "(() => { const r = Array.from(document.querySelectorAll('#monthly .legend .traces'))"
                            ".map(e => e.getBoundingClientRect()); return r.every((a, i) => i === 0 || a.top >= r[i - 1].bottom - 1); })()")
    assert dash_duo.get_logs() == []
