"""Shared fixtures, and the rules for browser tests (headless Debian Chromium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboard.data.events import load_events
from dashboard.data.schema import load_schema

HEADER = ",".join(load_schema().names)
GOOD_SOURCE = "TASS | A title | https://tass.com/1 | 2024-06-19"


def row(**cells: str) -> str:
    """One CSV line in schema column order; cells not given are empty, sources defaults to a good one."""
    values = {"id": "e1", "date": "2024-06-19", "title": "An event", "category": "treaty", "sources": GOOD_SOURCE}
    values.update(cells)
    out = []
    for name in load_schema().names:
        value = values.get(name, "")
        if any(ch in value for ch in ',"\n'):
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return ",".join(out)


@pytest.fixture
def write_csv(tmp_path):
    """Write a CSV (text or bytes) into a temp folder and return its path."""
    def write(content: str | bytes, name: str = "events.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path
    return write


@pytest.fixture(scope="session")
def bundled_events():
    return load_events()


def _use_test_port_base() -> None:
    """Browser tests' servers take ports from DASH_TEST_PORT (default 58050), so two test runs
    on one machine (e.g. in two work trees) can use separate ranges instead of colliding."""
    base = os.environ.get("DASH_TEST_PORT", "")
    if base.isdigit():
        from dash.testing.application_runners import BaseDashRunner
        BaseDashRunner._next_port = int(base)


_use_test_port_base()


def _browser_available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


def pytest_setup_options():
    """Chrome options for dash.testing: headless Debian Chromium, no background network."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = shutil.which("chromium") or ""
    for arg in ("--headless=new", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--window-size=1280,900"):
        options.add_argument(arg)
    return options


def pytest_collection_modifyitems(config, items):
    if _browser_available():
        return
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        raise pytest.UsageError("browser tests need Debian's chromium and chromium-driver; install them (CI never skips browser tests)")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason="chromium/chromedriver not installed (apt-get install chromium chromium-driver)"))


def view_callbacks(client) -> list[dict]:
    """The app's callbacks that redraw the page when the URL changes (read from Dash itself)."""
    url = {"id": "url", "property": "search"}
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if url in d["inputs"] and "url.search" not in d["output"]]


def _expand(spec_id, prop, value=None):
    """A callback spec as Dash's renderer sends it: pattern-matching ids become one entry per column."""
    import json as _json
    from dashboard.views.table import COLUMNS
    if isinstance(spec_id, str) and spec_id.startswith("{"):
        spec_id = _json.loads(spec_id)
    if isinstance(spec_id, dict):
        return [{"id": {"type": spec_id["type"], "column": c}, "property": prop, **({} if value is None else {"value": value})} for c in COLUMNS]
    return {"id": spec_id, "property": prop, **({} if value is None else {"value": value})}


def _outputs(output: str):
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = [_expand(*p.rsplit(".", 1)) for p in parts]
    return specs if output.startswith("..") else specs[0]


def render(client, search: str) -> dict:
    """Everything the browser would ask for after the URL became ``search``: {component id: {prop: value}}."""
    from dashboard.app import ids
    merged: dict = {}
    for dep in view_callbacks(client):
        # (the page tells the server its timeline is drawn before it asks for the other charts, and that
        # the claims chart and the table are near the screen before it asks for those)
        given = {"url": search, ids.TIMELINE_DRAWN: True, ids.CLAIMS_WANTED: True, ids.TABLE_WANTED: True}
        inputs = [_expand(s["id"], s["property"], given.get(s["id"], "")) for s in dep["inputs"]]
        state = [_expand(s["id"], s["property"], "") for s in dep.get("state", [])]
        body = {"output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": inputs, "state": state,
                "changedPropIds": ["url.search"]}
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), response.data[:300]
        if response.status_code == 200:
            for component, props in response.get_json()["response"].items():
                merged.setdefault(component, {}).update(props)
    return merged


def table_ids(rendered: dict) -> list[str]:
    """Event ids of the table rows in a render() result."""
    from dashboard.app import ids
    return [row["props"]["data-event"] for row in rendered[ids.TABLE_BODY]["children"]]


def show_table(dash_duo) -> None:
    """Bring the events table into view: it follows the view only while it is near the screen."""
    from dashboard.app import ids
    dash_duo.wait_for_element(f"#{ids.TABLE_BODY}", timeout=30)
    dash_duo.driver.execute_script("document.getElementById(arguments[0]).closest('section').scrollIntoView({block: 'center'})",
                                   ids.TABLE_BODY)


def show_claims(dash_duo) -> None:
    """Bring the reported-figures chart into view: it is drawn only once it comes near the screen."""
    dash_duo.wait_for_element("#claims", timeout=30)
    dash_duo.driver.execute_script("document.getElementById('claims').scrollIntoView({block: 'center'})")
