"""timelinejs.json in TimelineJS's own viewer, from local files, when the package is at hand.

TimelineJS is not a dependency: get it with
    npm pack @knight-lab/timelinejs && tar xzf knight-lab-timelinejs-*.tgz
and point TIMELINEJS_DIST at the package's dist folder (or unpack it as node_modules/@knight-lab/timelinejs
in the checkout, as .ci/run does). Without it the test is skipped, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.cli import export_command
from dashboard.data.events import load_events

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent


def _dist() -> Path | None:
    for candidate in (os.environ.get("TIMELINEJS_DIST", ""), ROOT / "node_modules" / "@knight-lab" / "timelinejs" / "dist"):
        if candidate and (Path(candidate) / "js" / "timeline.js").is_file():
            return Path(candidate)
    return None


def test_tljs001_timelinejs_opens_every_event_of_the_export(dash_duo, tmp_path):
    dist = _dist()
    if dist is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("TimelineJS's files are missing: .ci/run unpacks @knight-lab/timelinejs into node_modules")
        pytest.skip("TimelineJS's files are not here (set TIMELINEJS_DIST to the dist folder of @knight-lab/timelinejs)")
    result = CliRunner().invoke(export_command, ["--out", str(tmp_path), "--format", "timelinejs"])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "timelinejs.json").read_text(encoding="utf-8").replace("</", "<\\/")
    page = tmp_path / "story.html"
    # the data inline: a file:// page cannot fetch a JSON file; font "" keeps TimelineJS off its web fonts
    page.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>TimelineJS</title><link rel="stylesheet" href="{(dist / 'css' / 'timeline.css').as_uri()}">
<script src="{(dist / 'js' / 'timeline.js').as_uri()}"></script></head><body>
<div id="story" style="width:1000px;height:600px"></div>
<script>window.story = new TL.Timeline("story", {data}, {{font: ""}});
window.story.on("loaded", function () {{ window.storyLoaded = true; }});</script></body></html>""", encoding="utf-8")
    driver = dash_duo.driver
    driver.get(page.as_uri())
    WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: d.execute_script("return window.storyLoaded === true"))
    events = load_events()
    config = driver.execute_script("return {errors: story.config.messages.errors.length, ids: story.config.events.map(e => e.unique_id),"
                                   " markers: document.querySelectorAll('.tl-timemarker').length,"
                                   " error: !!document.querySelector('.tl-message-full'),"
                                   " formats: story.config.events.map(e => e.start_date.data.format)}")
    assert config["errors"] == 0 and not config["error"]
    assert sorted(config["ids"]) == sorted(events["id"]) and config["markers"] == len(events)
    # TimelineJS shows each date at the precision sent: a month-only event as a month
    precision = dict(zip(events["id"], events["precision"].astype(str)))
    shown = dict(zip(config["ids"], config["formats"]))
    assert {shown[i] for i, p in precision.items() if p == "month"} == {"month"}
    assert {shown[i] for i, p in precision.items() if p == "day"} == {"full"}
    assert dash_duo.get_logs() == []
