"""export --format: TimelineJS, GeoJSON and JSON files read back, the embed codes, the option's parsing."""

from __future__ import annotations

import html
import json
import math
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import export_command
from dashboard.data.events import load_events
from dashboard.data.filters import Filters, apply_filters
from dashboard.data.schema import load_schema
from dashboard.publish.formats import FORMATS, parse_formats
from dashboard.views.figures import map_figure
from tests.conftest import HEADER, row
from tests.test_export import RAW_PAYLOADS, hostile_csv

ROOT = Path(__file__).resolve().parent.parent
DATA = ("timelinejs.json", "places.geojson", "events.json")
CHARTS = ("timeline", "map", "monthly", "claims")
TREATY = ("--category", "treaty", "--category", "military-deployment", "--from", "2024-06", "--to", "2025-06")


def run(*args: str):
    return CliRunner().invoke(export_command, list(args))


def strict(text: str):
    """JSON that must not hold NaN or Infinity (Python's json would accept them)."""
    def refuse(name):
        raise ValueError(f"{name} in JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """Every format of the bundled data, plotly.js shared (directory): read-only tests share it."""
    out = tmp_path_factory.mktemp("formats") / "out"
    result = run("--out", str(out), "--plotlyjs", "directory", "--format", ",".join(FORMATS))
    assert result.exit_code == 0, result.output
    return out, result


def test_fmt001_parse_formats_orders_and_reports_every_unknown_name():
    assert parse_formats("html") == (("html",), [])
    assert parse_formats(" JSON, html ,geojson,json,") == (("html", "geojson", "json"), [])
    assert parse_formats("pdf,timelinejs,png") == (("png", "pdf", "timelinejs"), [])
    formats, problems = parse_formats("html,csv,kml,csv")
    assert formats == ("html",)
    assert problems == [f"--format '{name}' is not a format; use one or more of: html, png, svg, pdf, timelinejs, "
                        "geojson, json, separated by commas" for name in ("csv", "kml")]
    assert parse_formats(" , ")[1][0].startswith("--format is empty; name one or more of: html, png")


def test_fmt002_unknown_format_exits_1_with_the_other_option_problems_and_writes_nothing(tmp_path):
    result = run("--out", str(tmp_path / "out"), "--format", "html,geojsn", "--category", "nope")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("error: --category 'nope' is not a category")
    assert errors[1] == ("error: --format 'geojsn' is not a format; use one or more of: html, png, svg, pdf, "
                         "timelinejs, geojson, json, separated by commas")
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in result.output


def test_fmt003_help_lists_every_format():
    result = run("--help")
    assert result.exit_code == 0
    assert "--format" in result.output and "html, png, svg, pdf, timelinejs, geojson, json" in " ".join(result.output.split())


def test_fmt004_data_formats_alone_write_only_their_files_and_say_so(tmp_path):
    result = run("--out", str(tmp_path), "--format", "json,geojson,timelinejs")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DATA)
    assert result.stdout == f"exported 89 of 89 events to {', '.join(str(tmp_path / name) for name in DATA)}\n"
    unlocated = int(load_events()["latitude"].isna().sum())
    assert f"note: {unlocated} of the 89 events have no coordinates: places.geojson lists them under 'unlocated'" in result.stderr
    assert "note: timelinejs.json has 89 events; TimelineJS advises at most 20 slides" in result.stderr
    quiet = run("--out", str(tmp_path / "few"), "--format", "timelinejs", "--category", "treaty")
    assert quiet.exit_code == 0 and "note:" not in quiet.stderr


def _valid_parts(parts: dict) -> bool:
    """TimelineJS needs an integer year; month and day are optional, integer, and make a real date."""
    if set(parts) - {"year", "month", "day"} or not all(type(v) is int for v in parts.values()):
        return False
    if "day" in parts and "month" not in parts:
        return False
    try:
        date(parts["year"], parts.get("month", 1), parts.get("day", 1))
    except (KeyError, ValueError):
        return False
    return True


def _parts_of(text: str) -> dict:
    return dict(zip(("year", "month", "day"), map(int, text.split("-"))))


def test_fmt006_timelinejs_has_every_event_with_dates_only_as_precise_as_ours(everything, bundled_events):
    out, _ = everything
    doc = strict((out / "timelinejs.json").read_text(encoding="utf-8"))
    assert "start_date" not in doc["title"] and doc["title"]["text"]["headline"]
    assert "89 dated, sourced events" in doc["title"]["text"]["text"]
    slides = {s["unique_id"]: s for s in doc["events"]}
    assert len(slides) == len(doc["events"]) == len(bundled_events)
    labels = load_schema().category_labels
    for event in bundled_events.itertuples():
        slide = slides[event.id]
        assert _valid_parts(slide["start_date"]) and slide["start_date"] == _parts_of(event.date)
        if event.end_date and event.end_date != event.date:
            assert _valid_parts(slide["end_date"]) and slide["end_date"] == _parts_of(event.end_date)
        else:
            assert "end_date" not in slide
        assert slide["text"]["headline"] == html.escape(event.title)
        assert slide["group"] == labels[event.category]
        for source in event.sources:
            assert f'href="{html.escape(source["url"])}"' in slide["text"]["text"]
        if event.date_certainty == "inferred":
            assert slide["display_date"].endswith("(date inferred)")
    month_only = bundled_events[bundled_events["precision"] == "month"]
    assert len(month_only) and all("day" not in slides[i]["start_date"] for i in month_only["id"])


def test_fmt007_timelinejs_and_geojson_keep_hostile_text_as_text(write_csv, tmp_path):
    path = hostile_csv(write_csv)
    result = run("--events", str(path), "--out", str(tmp_path / "out"), "--plotlyjs", "cdn",
                 "--format", "html,timelinejs,geojson,json")
    assert result.exit_code == 0, result.output
    for name, code in _codes(tmp_path / "out").items():  # the code as pasted into a page, alternative text included
        assert not any(payload in code for payload in RAW_PAYLOADS), name
    assert "&lt;/script&gt;&lt;script&gt;window.__xss=1" in _codes(tmp_path / "out")["map"]
    timeline = (tmp_path / "out" / "timelinejs.json").read_text(encoding="utf-8")
    for slide in strict(timeline)["events"]:
        shown = slide["text"]["headline"] + slide["text"]["text"]
        assert not any(payload in shown for payload in RAW_PAYLOADS)
        # every link is one of the sources' http(s) addresses
        assert all(href.startswith(("http://", "https://")) for href in re.findall(r'href="([^"]*)"', shown))
    places = strict((tmp_path / "out" / "places.geojson").read_text(encoding="utf-8"))
    titles = [e["title"] for f in places["features"] for e in f["properties"]["events"]]
    assert "</script><script>window.__xss=1</script>" in titles[0]  # data for code: the text as written


def test_fmt008_geojson_points_are_longitude_latitude_in_range_merged_as_the_map(everything, bundled_events):
    out, _ = everything
    doc = strict((out / "places.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert all(isinstance(v, float) and math.isfinite(v) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["count"] == len(feature["properties"]["events"])
    pyongyang = next(f for f in doc["features"] if f["properties"]["place"] == "Pyongyang, DPRK")
    assert pyongyang["geometry"]["coordinates"] == [125.7625, 39.0392]  # longitude first (RFC 7946 §3.1.1)
    located = [e["id"] for f in doc["features"] for e in f["properties"]["events"]]
    unlocated = [e["id"] for e in doc["unlocated"]]
    assert sorted(located + unlocated) == sorted(bundled_events["id"])
    assert sorted(unlocated) == sorted(bundled_events.loc[bundled_events["latitude"].isna(), "id"])
    bubbles = map_figure(bundled_events).data[0]
    assert sorted(zip(bubbles.lon, bubbles.lat, bubbles.customdata)) == sorted(
        (*f["geometry"]["coordinates"], f["properties"]["place"]) for f in doc["features"])


def test_fmt009_events_json_round_trips_to_the_same_events(everything, bundled_events):
    out, _ = everything
    doc = strict((out / "events.json").read_text(encoding="utf-8"))
    assert doc["schema"] == {"name": "dprk-timeline-events", "version": load_schema().version}
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert package["version"].startswith(load_schema().version + ".")  # MAJOR.MINOR of the data's version
    assert doc["count"] == doc["total"] == len(doc["events"]) == len(bundled_events)
    for record, event in zip(doc["events"], bundled_events.itertuples()):
        assert (record["id"], record["date"], record["end_date"] or "") == (event.id, event.date, event.end_date)
        assert record["first_day"] == event.start.date().isoformat()
        assert date.fromisoformat(record["last_day"]) < event.end.date()
        assert record["figures"] == event.figures and record["sources"] == event.sources
        assert record["actors"] == event.actors and record["category"] == event.category
        assert record["title"] == event.title and (record["description"] or "") == event.description
        if math.isnan(event.latitude):
            assert record["latitude"] is None and record["longitude"] is None
        else:
            assert (record["latitude"], record["longitude"]) == (event.latitude, event.longitude)
        assert record["importance"] == (None if math.isnan(event.importance) else int(event.importance))


def test_fmt010_missing_values_and_coarse_dates_stay_strict_json(write_csv, tmp_path):
    path = write_csv("\n".join([HEADER, row(id="y", date="2024"), row(id="m", date="2024-06", end_date="2025"),
                                row(id="d", date="2024-06-19", place="Moscow", latitude="55.75", longitude="37.62",
                                    figures="about 1000-3000 | troops | NIS")]) + "\n")
    result = run("--events", str(path), "--out", str(tmp_path / "out"), "--format", "timelinejs,geojson,json")
    assert result.exit_code == 0, result.output
    slides = {s["unique_id"]: s for s in strict((tmp_path / "out" / "timelinejs.json").read_text())["events"]}
    assert slides["y"]["start_date"] == {"year": 2024}
    assert slides["m"]["start_date"] == {"year": 2024, "month": 6} and slides["m"]["end_date"] == {"year": 2025}
    records = {r["id"]: r for r in strict((tmp_path / "out" / "events.json").read_text())["events"]}
    assert records["y"]["latitude"] is None and records["y"]["description"] is None and records["y"]["label"] is None
    assert records["y"]["last_day"] == "2024-12-31" and records["m"]["last_day"] == "2025-12-31"
    assert records["d"]["figures"][0] | {} == {"qualifier": "about", "value": 1000.0, "high": 3000.0, "unit": "troops",
                                               "claimant": "NIS", "date": "", "note": ""}
    places = strict((tmp_path / "out" / "places.geojson").read_text())
    assert [f["geometry"]["coordinates"] for f in places["features"]] == [[37.62, 55.75]]
    assert sorted(e["id"] for e in places["unlocated"]) == ["m", "y"]


def _report_ids(out: Path) -> list[str]:
    return re.findall(r'<li class="ev [^"]*" tabindex="0" id="event-([a-z0-9-]+)"', (out / "index.html").read_text(encoding="utf-8"))


def test_fmt011_filters_apply_to_every_format_alike(tmp_path, bundled_events):
    result = run("--out", str(tmp_path), "--plotlyjs", "cdn", "--format", ",".join(FORMATS), *TREATY)
    assert result.exit_code == 0, result.output
    kept = apply_filters(bundled_events, Filters(categories=("treaty", "military-deployment"), start="2024-06", end="2025-06"))
    ids = sorted(kept["id"])
    assert 0 < len(ids) < len(bundled_events)
    assert sorted(_report_ids(tmp_path)) == ids
    assert sorted(s["unique_id"] for s in strict((tmp_path / "timelinejs.json").read_text())["events"]) == ids
    places = strict((tmp_path / "places.geojson").read_text())
    assert sorted([e["id"] for f in places["features"] for e in f["properties"]["events"]]
                  + [e["id"] for e in places["unlocated"]]) == ids
    doc = strict((tmp_path / "events.json").read_text())
    assert sorted(r["id"] for r in doc["events"]) == ids and doc["total"] == len(bundled_events)
    assert doc["filters"]["categories"] == ["treaty", "military-deployment"] and doc["filters"]["from"] == "2024-06"
    assert f"{len(ids)} dated, sourced events" in strict((tmp_path / "timelinejs.json").read_text())["title"]["text"]["text"]
    assert result.stdout.startswith(f"exported {len(ids)} of 89 events to {tmp_path / 'index.html'}, {tmp_path / 'timelinejs.json'}")


def _codes(out: Path) -> dict[str, str]:
    page = (out / "embed.html").read_text(encoding="utf-8")
    return {name: html.unescape(code) for name, code in
            re.findall(r'<textarea id="code-([a-z]+)"[^>]*>(.*?)</textarea>', page, re.S)}


def test_fmt012_embed_page_has_a_code_and_an_alternative_text_per_chart(everything):
    out, result = everything
    codes = _codes(out)
    assert list(codes) == list(CHARTS)
    heights = {"timeline": None, "map": 360, "monthly": 360, "claims": 980}
    for name, code in codes.items():
        iframe = re.search(r"<iframe [^>]*></iframe>", code).group(0)
        assert f'src="{name}.html"' in iframe and 'width="100%"' in iframe and 'loading="lazy"' in iframe
        assert re.search(r'title="Russia–North Korea cooperation since 2023: [^"]+"', iframe)
        height = int(re.search(r'height="(\d+)"', iframe).group(1))
        assert height == (heights[name] or height) and height >= 300
        alt = re.search(r'<p id="dprk-timeline-' + name + r'-alt"[^>]*>([^<]+)</p>', code).group(1)
        assert f'aria-describedby="dprk-timeline-{name}-alt"' in iframe and len(alt) > 40
        assert "frame.contentWindow !== event.source" in code and "dprk-timeline:height" in code
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert '<div id="embed-root">' in page and "new ResizeObserver" in page and '"dprk-timeline:height"' in page
    assert "89 events from 25 July 2023 to 16 March 2026" in codes["timeline"]
    assert "Pyongyang, DPRK (33)" in codes["map"]
    assert "wrote " + str(out / "embed.html") in result.stderr
