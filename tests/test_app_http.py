"""The dashboard through Flask's test client: pages, assets, callbacks, safe defaults."""

from __future__ import annotations

import json

import pytest

from dashboard.app import ids
from dashboard.app.app import create_app
from tests.conftest import _expand, _outputs as _view_outputs, render, table_ids


@pytest.fixture(scope="module")
def client(bundled_events):
    return create_app(bundled_events).server.test_client()


def call(client, output: str, inputs: list[dict], state: list[dict] | None = None) -> dict:
    body = {"output": output, "outputs": _outputs(output), "inputs": inputs, "state": state or [], "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"]


def _outputs(output: str):
    if not output.startswith(".."):  # a single output is sent as one object, not a list
        component, prop = output.rsplit(".", 1)
        return {"id": component, "property": prop}
    parts = output.strip(".").split("...")
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def test_http001_index_page(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>Russia–North Korea cooperation timeline</title>" in html
    assert "favicon.ico" in html and "style.css" in html and "keys.js" in html and "captions.js" in html


@pytest.mark.parametrize("asset", ["style.css", "favicon.ico", "keys.js", "captions.js", "topojson/world_110m.json"])
def test_http002_assets_are_served(client, asset):
    response = client.get(f"/assets/{asset}")
    response.close()  # file responses hold the file open until closed
    assert response.status_code == 200


def test_http003_layout_holds_every_control(client):
    layout = json.dumps(client.get("/_dash-layout").get_json())
    for component_id in (ids.CATEGORY, ids.ACTOR, ids.DATE_FROM, ids.DATE_TO, ids.SEARCH, ids.CLEAR, ids.TIMELINE, ids.MAP, ids.MONTHLY, ids.CLAIMS, ids.TABLE, ids.DETAIL, ids.ABOUT,
                         ids.STORY_START, ids.STORY, ids.STORY_PREV, ids.STORY_NEXT, ids.STORY_LEAVE):
        assert f'"{component_id}"' in layout
    assert "/assets/topojson/" in layout  # the map never asks a CDN for outlines


def test_http004_callbacks_are_registered(client):
    outputs = [d["output"] for d in client.get("/_dash-dependencies").get_json()]
    assert any(ids.TIMELINE + ".figure" in o for o in outputs)
    assert any(o.startswith("..url.search") for o in outputs)
    # (with the filters button's text, the claims chart on its own, and two clientside callbacks: opening
    # the filters on a phone and stepping through a story)
    assert len(outputs) == 12
    assert sum(o.startswith("url.search@") or o.startswith("..url.search") for o in outputs) == 2


def test_http004c_each_chart_box_is_as_tall_as_its_figure(client):
    # (a figure taller than its box spills over the next card once a filter redraws it)
    boxes = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if node.get("type") == "Graph":
                boxes[props["id"]] = props["style"]["height"]
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(client.get("/_dash-layout").get_json())
    figures = render(client, "?category=treaty")
    assert set(boxes) == {ids.TIMELINE, ids.MAP, ids.MONTHLY, ids.CLAIMS}
    for graph, height in boxes.items():
        assert height == f"{figures[graph]['figure']['layout']['height']}px", graph


def _views_body(drawn, changed: list[str]) -> dict:
    output = (f"..{ids.MAP}.figure...{ids.MONTHLY}.figure...{ids.COUNT}.children...{ids.MAP_TEXT}.children..."
              f"{ids.MONTHLY_TEXT}.children...{ids.CLAIMS_TEXT}.children...{ids.SEARCH_NOTE}.hidden..")
    return {"output": output, "outputs": _outputs(output), "state": [], "changedPropIds": changed,
            "inputs": [{"id": ids.URL, "property": "search", "value": ""},
                       {"id": ids.TIMELINE_DRAWN, "property": "data", "value": drawn}]}


def test_http004d_the_table_follows_the_view_only_while_it_is_near_the_screen(client):
    """Its rows are costly for the page to draw: a change of the view while the table is far from the screen
    sends nothing for it, and it catches up when it comes near (the page sets TABLE_WANTED)."""
    from tests.conftest import view_callbacks
    dep = next(d for d in view_callbacks(client) if d["output"].startswith(f"..{ids.TABLE_BODY}.children"))
    values = {ids.URL: "?category=treaty", ids.TABLE_STATE: None}

    def post(wanted, changed, shows=None):
        given = {**values, ids.TABLE_WANTED: wanted, ids.TABLE_SHOWS: shows}
        body = {"output": dep["output"], "outputs": _view_outputs(dep["output"]), "changedPropIds": [changed],
                "inputs": [_expand(s["id"], s["property"], given.get(s["id"], "")) for s in dep["inputs"]],
                "state": [_expand(s["id"], s["property"], given.get(s["id"])) for s in dep.get("state", [])]}
        return client.post("/_dash-update-component", json=body)

    assert post(None, "url.search").status_code == 204
    assert post(False, "url.search").status_code == 204
    assert post(False, f"{ids.TABLE_WANTED}.data").status_code == 204
    response = post(True, f"{ids.TABLE_WANTED}.data")
    assert response.status_code == 200
    rows = response.get_json()["response"][ids.TABLE_BODY]["children"]
    assert rows and all(row["props"]["data-event"] for row in rows)
    assert post(True, "url.search").status_code == 200
    # back near the screen while it still shows this view: its rows stay (a reader may be clicking one)
    shows = response.get_json()["response"][ids.TABLE_SHOWS]["data"]
    assert post(True, f"{ids.TABLE_WANTED}.data", shows).status_code == 204
    values[ids.URL] = "?category=diplomacy"
    assert post(True, f"{ids.TABLE_WANTED}.data", shows).status_code == 200
    assert post("yes", "url.search").status_code == 400  # a flag, nothing else


def test_http004c_the_claims_chart_is_sent_only_once_it_is_wanted(client):
    """It sits below the first screen: until the page says it is near the screen, nothing is sent for it."""
    output = f"{ids.CLAIMS}.figure"

    def body(wanted):
        return {"output": output, "outputs": _outputs(output), "state": [], "changedPropIds": ["url.search"],
                "inputs": [{"id": ids.URL, "property": "search", "value": "?category=treaty"},
                           {"id": ids.CLAIMS_WANTED, "property": "data", "value": wanted}]}

    assert client.post("/_dash-update-component", json=body(None)).status_code == 204
    response = client.post("/_dash-update-component", json=body(True))
    assert response.status_code == 200
    assert response.get_json()["response"][ids.CLAIMS]["figure"]["data"]
    assert client.post("/_dash-update-component", json=body("yes")).status_code == 400  # a flag, nothing else


def test_http004b_on_page_load_the_other_charts_wait_for_the_timeline(client):
    # before the page says its timeline is drawn, whatever triggered the call: no update
    for changed in ([], ["url.search"]):
        assert client.post("/_dash-update-component", json=_views_body(None, changed)).status_code == 204
    # once the timeline is drawn, the charts come, and with every later URL change
    for drawn, changed in ((True, [f"{ids.TIMELINE_DRAWN}.data"]), (True, ["url.search"])):
        response = client.post("/_dash-update-component", json=_views_body(drawn, changed))
        assert response.status_code == 200
        assert response.get_json()["response"][ids.COUNT]["children"] == "Showing 89 of 89 events"


def test_http005_filtered_view_through_the_callback(client):
    response = render(client, "?category=treaty&event=treaty-signed")
    assert response[ids.COUNT]["children"] == "Showing 6 of 89 events"
    assert response[ids.FILTERS_TOGGLE]["children"] == "Filters (1 active)"  # the event chosen is not a filter
    rows = table_ids(response)
    assert rows[:1] == ["treaty-signed"] and len(rows) == 6
    assert response[ids.TABLE_PAGE_TEXT]["children"] == "Rows 1–6 of 6"
    detail = json.dumps(response[ids.DETAIL]["children"])
    assert "Treaty on Comprehensive Strategic Partnership signed in Pyongyang" in detail
    assert '"rel": "noopener noreferrer"' in detail and '"target": "_blank"' in detail


def test_http005b_table_pages_and_links_keep_the_filters(client):
    response = render(client, "?q=kim")
    assert response[ids.TABLE_PAGE_TEXT]["children"].startswith("Rows 1–")
    link = response[ids.TABLE_BODY]["children"][0]["props"]["children"][2]["props"]["children"]["props"]["href"]
    assert link.startswith("?q=kim&event=")


def test_http006_debug_is_off_by_default(client):
    html = client.get("/").get_data(as_text=True)
    config = json.loads(html.split('id="_dash-config" type="application/json">')[1].split("</script>")[0])
    assert config["ui"] is False and config["props_check"] is False
    assert "Werkzeug" not in client.get("/console").get_data(as_text=True)


def test_http007_responses_are_compressed(client):
    response = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"


def test_http008_download_html_exports_the_current_view(client):
    response = call(client, "html-download.data",
                    [{"id": ids.HTML_DOWNLOAD_BUTTON, "property": "n_clicks", "value": 1}],
                    [{"id": ids.URL, "property": "search", "value": "?category=treaty"}])
    data = response[ids.HTML_DOWNLOAD]["data"]
    assert data["filename"] == "dprk-timeline-treaty.html"
    assert "6 of the 89 events" in data["content"] and "Treaty on Comprehensive Strategic Partnership" in data["content"]


def download_html(client, search: str, base_url: str = "http://localhost/") -> dict:
    body = {"output": "html-download.data", "outputs": {"id": ids.HTML_DOWNLOAD, "property": "data"},
            "inputs": [{"id": ids.HTML_DOWNLOAD_BUTTON, "property": "n_clicks", "value": 1}],
            "state": [{"id": ids.URL, "property": "search", "value": search}],
            "changedPropIds": [f"{ids.HTML_DOWNLOAD_BUTTON}.n_clicks"]}
    response = client.post("/_dash-update-component", json=body, base_url=base_url)
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"][ids.HTML_DOWNLOAD]["data"]


def test_http008b_download_html_links_to_the_dashboard_it_came_from(client):
    """Issue 10, item 19: the report linked to http://127.0.0.1:8050 wherever the dashboard ran, was always
    called dprk-timeline.html and dropped the selected event."""
    data = download_html(client, "?category=treaty&from=2024-06&to=2024-12&event=treaty-signed",
                         base_url="http://dash.example.org:8123/")
    assert data["filename"] == "dprk-timeline-treaty-2024-06-to-2024-12-event-treaty-signed.html"
    page = data["content"]
    assert "127.0.0.1" not in page
    link = "http://dash.example.org:8123/?category=treaty&amp;from=2024-06&amp;to=2024-12&amp;event=treaty-signed"
    assert f'<dd><a href="{link}" rel="noopener noreferrer" target="_blank">{link}</a></dd>' in page
    assert "<dt>Selected event</dt><dd>Treaty on Comprehensive Strategic Partnership signed in Pyongyang (" in page
    report = json.loads(page.split('id="report-data">', 1)[1].split("</script>", 1)[0])
    assert report["selected"] == 0  # the first of the six treaty events: report.js opens on it

    # an unknown event is dropped, not written into the name or the link
    data = download_html(client, "?event=no-such-event")
    assert data["filename"] == "dprk-timeline.html"
    assert '<a href="http://localhost/" rel="noopener noreferrer" target="_blank">' in data["content"]


def test_http009_csv_download_neutralises_formulas(bundled_events):
    from dashboard.views.detail import download_csv, spreadsheet_safe
    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("Kursk") == "Kursk"
    text = download_csv(bundled_events.head(3))
    assert text.splitlines()[0].startswith("\ufeffid,date,end_date,readable_date,date_certainty,category,title")
    assert len(text.splitlines()) >= 4


def _call_args(script: str, start: int) -> list[str]:
    """The top-level arguments of the call whose '(' is at ``start`` in minified ``script``."""
    depth, args, begin = 0, [], start + 1
    for i in range(start, len(script)):
        c = script[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return args + [script[begin:i]]
        elif c == "," and depth == 1:
            args.append(script[begin:i])
            begin = i + 1
    raise AssertionError("unbalanced call")


def test_http015_page_needs_no_babel_polyfill(client):
    """The page leaves out Dash's Babel polyfill; assets/regenerator.js stands in for the one part of it that
    Dash's scripts call: regeneratorRuntime.mark() and .wrap() of a generator without try/catch (a 4th argument)."""
    import re
    html = client.get("/").get_data(as_text=True)
    assert "polyfill@" not in html
    assert "/assets/regenerator.js" in html
    scripts = re.findall(r'<script src="([^"?]+)[^"]*"></script>', html)
    assert any("dash_renderer" in s for s in scripts) and any("dash_core_components" in s for s in scripts)
    called = []
    for src in scripts:
        if src.startswith("/assets/"):
            continue
        response = client.get(src)
        script = response.get_data(as_text=True)
        response.close()
        for match in re.finditer(r"regeneratorRuntime\.(\w+)\(", script):
            called.append(match.group(1))
            if match.group(1) == "wrap":
                assert len(_call_args(script, match.end() - 1)) <= 2, src
    assert set(called) == {"mark", "wrap"}  # (Dash 4.4: its lazy-component loader, in dash-renderer and dcc)


def test_http010_security_headers_on_every_response(client):
    for url in ("/", "/_dash-layout", "/assets/style.css"):
        response = client.get(url)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert "'sha256-" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_http011_errors_are_generic(client):
    response = client.post("/_dash-update-component", data="not json", content_type="application/json")
    body = response.get_data(as_text=True)
    assert response.status_code in (400, 500)
    assert "Traceback" not in body and "dashboard/" not in body


def sync(client, search: str, changed: str, value, **controls) -> dict:
    """One run of the callback that keeps the URL and the controls in sync, as the browser sends it after
    ``changed`` ('component.prop') became ``value``; ``controls`` gives other inputs' values by component id."""
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if d["output"].startswith("..url.search"))
    given = {"url.search": search, changed: value, **{f"{k}.value": v for k, v in controls.items()}}
    inputs = [{**spec, "value": given.get(f"{spec['id']}.{spec['property']}")} for spec in dep["inputs"]]
    body = {"output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": inputs, "state": [],
            "changedPropIds": [changed]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.data[:500]
    return response.get_json()["response"] if response.status_code == 200 else {}


def test_http012_monthly_brush_snaps_to_whole_months_and_keeps_every_month(client):
    """Issue 10, item 17: a brush from mid-September set from=2024-09-13, and the chart then showed only the
    brushed months, so the selection could not be widened."""
    brush = {"range": {"x": ["2024-09-13 10:24:00", "2024-11-17 03:00:00"]}, "points": []}
    assert sync(client, "?category=treaty", f"{ids.MONTHLY}.selectedData", brush)[ids.URL]["search"] == \
        "?category=treaty&from=2024-09&to=2024-11"

    every = render(client, "")[ids.MONTHLY]["figure"]
    brushed = render(client, "?from=2024-09&to=2024-11")[ids.MONTHLY]["figure"]
    months = [str(x)[:7] for x in every["data"][0]["x"]]
    assert [str(x)[:7] for x in brushed["data"][0]["x"]] == months  # the full span stays
    assert brushed["data"][0]["y"] == every["data"][0]["y"]
    chosen = [months.index(m) for m in ("2024-09", "2024-10", "2024-11")]
    assert all(trace["selectedpoints"] == chosen for trace in brushed["data"])
    band = brushed["layout"]["shapes"][-1]
    assert (band["x0"][:10], band["x1"][:10]) == ("2024-09-01", "2024-12-01")
    assert "selectedpoints" not in every["data"][0] and not every["layout"].get("shapes")


def test_http013_dates_from_after_to_are_named_not_applied(client):
    """Issue 10, item 15: From after To silently gave 0 events."""
    out = sync(client, "?from=2025-07-01", f"{ids.DATE_TO}.value", "2025-06-30", **{ids.DATE_FROM: "2025-07-01"})
    assert out == {ids.DATE_MESSAGE: {"children": "From is after To: no events can match; swap them."}}
    # other controls still apply meanwhile, and the typed dates stay as typed
    out = sync(client, "?from=2025-07-01", f"{ids.CATEGORY}.value", ["treaty"],
               **{ids.DATE_FROM: "2025-07-01", ids.DATE_TO: "2025-06-30"})
    assert out == {ids.URL: {"search": "?category=treaty&from=2025-07-01"},
                   ids.LINK_NOTICE: {"children": "", "hidden": True},  # (the view changed: no notice about a link)
                   ids.DATE_MESSAGE: {"children": "From is after To: no events can match; swap them."}}
    out = sync(client, "?from=2025-07-01", f"{ids.DATE_TO}.value", "2025-12-31", **{ids.DATE_FROM: "2025-07-01"})
    assert out[ids.URL]["search"] == "?from=2025-07-01&to=2025-12-31" and out[ids.DATE_MESSAGE]["children"] == ""
    # a year still being typed changes nothing
    assert sync(client, "?from=2025-07-01", f"{ids.DATE_TO}.value", "0202-12-31", **{ids.DATE_FROM: "2025-07-01"}) == {}
    # a link with dates that match nothing says so too
    out = sync(client, "?from=2019-01&to=2019-02", "url.search", "?from=2019-01&to=2019-02")
    assert out[ids.DATE_MESSAGE]["children"].startswith("No event falls between 2019-01-01 and 2019-02-28")


def test_http014_story_slide_from_the_url_and_its_buttons(client, bundled_events):
    from dashboard.views.story import story_events

    keys = story_events(bundled_events)
    shown = render(client, "?category=treaty&story=3")
    assert shown[ids.STORY] == {"hidden": False} and shown[ids.STORY_START] == {"hidden": True}
    assert shown[ids.STORY_POSITION]["children"] == "Key event 3 of 19"
    slide = json.dumps(shown[ids.STORY_SLIDE]["children"])
    assert json.dumps(keys["title"].iat[2]) in slide and '"className": "sources"' in slide
    ring = [t for t in shown[ids.TIMELINE]["figure"]["data"] if t.get("name") == "Selected"]
    assert [t["customdata"] for t in ring] == [[keys["id"].iat[2]]]  # every event drawn, the slide's one ringed
    assert shown[ids.COUNT]["children"] == "Showing 6 of 89 events"  # the other views keep the filters
    title = render(client, "?story=0")
    assert "The story in 19 key events" in json.dumps(title[ids.STORY_SLIDE]["children"])
    assert title[ids.STORY_PREV] == {"disabled": True} and title[ids.STORY_NEXT] == {"disabled": False}
    assert render(client, "?category=treaty")[ids.STORY] == {"hidden": True}

    # the buttons move the story in the URL and leave the filters alone; leaving gives the view back
    assert sync(client, "?category=treaty", f"{ids.STORY_START}.n_clicks", 1)[ids.URL]["search"] == "?category=treaty&story=0"
    # ← and → step in the browser (a clientside callback, tested in test_story_browser), up to the last
    # slide, which the story panel carries
    step = next(d for d in client.get("/_dash-dependencies").get_json() if d["output"].startswith("url.search@"))
    assert [i["id"] for i in step["inputs"]] == [ids.STORY_PREV, ids.STORY_NEXT] and step["clientside_function"]
    assert '"data-slides": "19"' in json.dumps(client.get("/_dash-layout").get_json())
    assert sync(client, "?category=treaty&story=3", f"{ids.STORY_LEAVE}.n_clicks", 1)[ids.URL]["search"] == "?category=treaty"
    # a zoom of the framed timeline is not a date filter while the story runs
    zoom = {"xaxis.range[0]": "2024-01-01", "xaxis.range[1]": "2024-03-01"}
    assert ids.URL not in sync(client, "?story=3", f"{ids.TIMELINE}.relayoutData", zoom)
    assert sync(client, "", f"{ids.TIMELINE}.relayoutData", zoom)[ids.URL]["search"] == "?from=2024-01-01&to=2024-03-01"
    # a bad step is named in the notice and dropped from the URL; a good one stays as written
    out = sync(client, "?category=treaty&story=abc", "url.search", "?category=treaty&story=abc")
    assert out[ids.URL]["search"] == "?category=treaty"
    assert out[ids.LINK_NOTICE] == {"children": "Ignored in the link: story 'abc' (not a slide number: 0 to 19).", "hidden": False}
    out = sync(client, "?story=20", "url.search", "?story=20")
    assert out[ids.URL]["search"] == "" and "story '20' (no such slide: 0 to 19)" in out[ids.LINK_NOTICE]["children"]
    assert ids.URL not in sync(client, "?category=treaty&story=3", "url.search", "?category=treaty&story=3")
