"""Shared fixtures, and the rules for browser tests (headless Debian Chromium)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboard.events import load_events
from dashboard.schema import load_schema

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
