"""Figure builders: lanes and colours from the schema, honest dates, escaped text, and scale."""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from dashboard.data.events import load_events
from dashboard.views.figures import (
    CIRCLE_OPEN, CLAIMS_LIMIT, DETAIL_LIMIT, DIAMOND, MAP_LAT, MAP_LON, MAX_BINS,
    MS_PER_DAY, category_color_map, chart_claimants, claimant_color_map, claimant_family, claims_figure, family_order,
    map_figure, monthly_figure, registry_colors, timeline_counts, timeline_figure,
)
from dashboard.views.figures.palette import COUNTRY_SHADES
from dashboard.data.registry import bundled_registry
from dashboard.views.figures.claims import OTHER, QUANTITIES, _claims_frame, quantity_of
from dashboard.views.figures.map import _label_box, _map_xy, _overlaps
from dashboard.views.figures.captions import MAX_CAPTIONS
from dashboard.views.figures.timeline import _bin_unit
from dashboard.data.schema import load_schema
from dashboard.data.synthetic import write_synthetic
from tests.conftest import HEADER, row

HOSTILE = "<img src=x onerror=alert(1)>"
SCHEMA = load_schema()
LABELS = [c.label for c in SCHEMA.categories]


def ms(day: str) -> float:
    return pd.Timestamp(day).value / 1e6


@pytest.fixture
def small_events(write_csv):
    """A handful of events covering each date style, with hostile text in every free-text field."""
    lines = [
        row(id="exact", date="2024-06-19", title="Exact day", category="treaty"),
        row(id="same-day", date="2024-06-19", title="Same day, same lane", category="treaty"),
        row(id="span", date="2024-10-08", end_date="2024-10-13", title="A span", category="military-deployment"),
        row(id="month", date="2024-06", title="Month only", category="arms-transfer"),
        row(id="guess", date="2024-12-19", date_certainty="inferred", title="Inferred", category="combat-casualties"),
        row(id="hostile", date="2025-01-05", title=HOSTILE + ' "quoted"', category="diplomacy",
            actors=f"{HOSTILE}; Kim Jong Un", place=f"{HOSTILE} town", latitude="39.0", longitude="125.7",
            figures=f"more than 6000 | casualties | {HOSTILE} | 2025-01 | <b>note</b>"),
    ]
    return load_events(write_csv("\n".join([HEADER, *lines]) + "\n"))


def marker_traces(fig):
    """The traces whose points are events (they carry event ids)."""
    return [t for t in fig.data if t.type in ("scatter", "scattergl") and t.mode == "markers" and t.customdata is not None
            and t.name != "Selected"]


def legend_entries(fig):
    return [t for t in fig.data if t.showlegend is not False and t.legend in (None, "legend") and t.name]


def point(fig, event_id):
    """(trace, index) of an event's marker."""
    for trace in marker_traces(fig):
        ids = list(trace.customdata)
        if event_id in ids:
            return trace, ids.index(event_id)
    raise AssertionError(f"{event_id} not drawn")


# ---------------------------------------------------------------- timeline


@pytest.mark.parametrize("subset", ["all", "two", "none"])
def test_fig001_lanes_with_events_in_schema_order(bundled_events, subset):
    keep = {"all": [c.value for c in SCHEMA.categories], "two": ["sanctions", "treaty"], "none": []}[subset]
    events = bundled_events[bundled_events["category"].isin(keep)]
    fig = timeline_figure(events)
    shown = [c for c in SCHEMA.categories if c.value in keep]  # lanes without events are hidden, order kept
    assert [label.replace("<br>", " ") for label in fig.layout.yaxis.ticktext or ()] == [c.label for c in shown]
    assert list(fig.layout.yaxis.tickvals or ()) == list(range(len(shown)))
    assert list(fig.layout.yaxis.range) == [max(len(shown), 1) - 0.5, -0.5]  # top lane = first category
    # no category legend (the lane labels name the categories); lanes keep their schema colour
    assert not legend_entries(fig)
    lanes = {t.legendgroup: t.marker.color for t in marker_traces(fig)}
    assert lanes == {c.value: c.color for c in SCHEMA.categories}
    # each event sits in its own lane's row
    for row, category in enumerate(shown):
        ys = [y for t in marker_traces(fig) if t.legendgroup == category.value for y in t.y]
        assert ys and all(abs(y - row) < 0.5 for y in ys)


def test_fig002_colours_stay_when_filtering_to_one_category(bundled_events):
    one = bundled_events[bundled_events["category"] == "sanctions"]
    colour = category_color_map()["sanctions"]
    drawn = [t for t in marker_traces(timeline_figure(one)) if len(t.x)]
    assert drawn and {t.marker.color for t in drawn} == {colour}
    assert {t.marker.color for t in marker_traces(timeline_figure(bundled_events)) if t.legendgroup == "sanctions"} == {colour}


def test_fig003_month_event_spans_its_month_with_an_open_marker(small_events):
    fig = timeline_figure(small_events)
    band = next(t for t in fig.data if t.uid == "arms-transfer-periods")
    assert list(band.x[:2]) == [ms("2024-06-01"), ms("2024-07-01")]
    trace, i = point(fig, "month")
    assert trace.marker.symbol == CIRCLE_OPEN
    assert ms("2024-06-01") < trace.x[i] < ms("2024-07-01")  # mid-month, not a made-up day 1
    assert "<br>June 2024<br>" in trace.hovertext[i]


def test_fig004_day_span_is_a_line_from_start_to_end(small_events):
    fig = timeline_figure(small_events)
    line = next(t for t in fig.data if t.uid == "military-deployment-spans")
    assert list(line.x[:2]) == [ms("2024-10-08"), ms("2024-10-14")]  # exclusive end of 13 October
    trace, i = point(fig, "span")
    assert trace.x[i] == ms("2024-10-08") and "8–13 October 2024" in trace.hovertext[i]


def test_fig005_inferred_dates_are_marked(small_events):
    trace, i = point(timeline_figure(small_events), "guess")
    assert trace.marker.symbol == DIAMOND
    assert "19 December 2024 (date inferred)" in trace.hovertext[i]
    exact, j = point(timeline_figure(small_events), "exact")
    assert exact.marker.symbol == "circle" and "(date inferred)" not in exact.hovertext[j]


def test_fig006_customdata_is_every_event_id_once(bundled_events):
    ids = [i for t in marker_traces(timeline_figure(bundled_events)) for i in t.customdata]
    assert sorted(ids) == sorted(bundled_events["id"])


def test_fig007_same_day_events_in_one_lane_do_not_overlap(small_events):
    fig = timeline_figure(small_events)
    (a, i), (b, j) = point(fig, "exact"), point(fig, "same-day")
    assert a.x[i] == b.x[j]
    assert a.y[i] != b.y[j] and all(abs(y - 1) < 0.5 for y in (a.y[i], b.y[j]))  # both inside the Treaty lane


def test_fig008_selected_event_gets_a_ring(small_events):
    fig = timeline_figure(small_events, selected="guess")
    ring = [t for t in fig.data if t.name == "Selected"]
    assert len(ring) == 1 and list(ring[0].customdata) == ["guess"]
    assert not [t for t in timeline_figure(small_events, selected="not-here").data if t.name == "Selected"]


def test_fig009_timeline_layout(small_events):
    layout = timeline_figure(small_events).layout
    assert layout.uirevision and layout.hovermode == "closest" and layout.dragmode == "zoom"
    assert layout.xaxis.type == "date" and 440 <= layout.height <= 560  # lanes, and captions above them
    assert {t.name for t in timeline_figure(small_events).data if t.legend == "legend2"} == {
        "Exact day", "Span of days", "Month/year only", "Date inferred"}
    # the style key sits under the plot (above it, plotly's modebar covers it), horizontally
    assert layout.legend2.y < 0 and layout.legend2.orientation == "h"
    assert layout.xaxis.tickangle == 0


def test_fig010_hostile_text_is_escaped_everywhere(small_events):
    place_map = map_figure(small_events)
    assert list(place_map.data[0].customdata) == [f"{HOSTILE} town"]  # raw on purpose: data for callbacks, never shown
    place_map.data[0].customdata = None
    for fig in (timeline_figure(small_events), place_map, claims_figure(small_events)):
        text = fig.to_json()
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "<img" not in text and "\\u003cimg" not in text
        assert "&quot;" not in text  # plotly would show it literally
    trace, i = point(timeline_figure(small_events), "hostile")
    assert trace.hovertext[i].startswith('<b>&lt;img src=x onerror=alert(1)&gt; "quoted"</b>')
    assert "Actors: &lt;img" in trace.hovertext[i]


def test_fig011_empty_frames_give_valid_annotated_figures(bundled_events):
    empty = bundled_events.iloc[:0]
    for build in (timeline_figure, map_figure, monthly_figure, claims_figure):
        fig = build(empty)
        json.loads(fig.to_json())
        assert fig.layout.annotations, build.__name__
    assert "No events match" in timeline_figure(empty).layout.annotations[0].text


# ---------------------------------------------------------------- scale (correctness and payload size, not speed)

N_BIG = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """100k valid synthetic events (seed 0), generated and loaded once for the module."""
    return load_events(write_synthetic(tmp_path_factory.mktemp("figures") / "events-100k.csv", N_BIG))


@pytest.fixture(scope="module")
def big_timeline(big):
    return timeline_figure(big, selected=big["id"].iat[5])


def marker_x(events: pd.DataFrame) -> pd.Series:
    """Where an event's marker sits, computed plainly: its day, a span's start, the middle of a month/year-only period."""
    fuzzy = (events["precision"].astype(str) != "day") | events["end_precision"].astype(str).isin(["month", "year"])
    return events["start"].where(~fuzzy, events["start"] + (events["end"] - events["start"]) / 2)


def bar_counts(trace) -> list[int]:
    return [int(re.search(r"<br>([\d,]+) events? — zoom in", h).group(1).replace(",", "")) for h in trace.hovertext]


def test_fig050_above_the_limit_the_timeline_draws_counts_per_lane_and_month(big, big_timeline):
    fig = big_timeline
    assert len(big) > DETAIL_LIMIT
    assert not marker_traces(fig)  # no single events at this size
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.legendgroup for t in bars] == list(SCHEMA.category_values)
    assert [t.marker.color for t in bars] == [c.color for c in SCHEMA.categories]
    assert all(set(t.customdata) == {""} for t in bars)  # a click on a bar selects no event
    # the counts drawn per lane and month are a plain pandas count of the same events
    month = marker_x(big).dt.to_period("M").dt.start_time
    expected = big.groupby([big["category"].astype(str), month], observed=True).size()
    for trace, category in zip(bars, SCHEMA.categories):
        drawn = pd.Series(bar_counts(trace), index=pd.to_datetime(np.asarray(trace.x) - np.asarray(trace.width) / 0.9 / 2, unit="ms"))
        want = expected[category.value]
        assert drawn.to_dict() == {t: n for t, n in want.items()}, category.value
        assert all(f"<b>{category.label}</b> · " in h for h in trace.hovertext)
        # bars grow up from the lane's floor and stay inside the lane
        top = np.asarray(trace.base) + np.asarray(trace.y)
        assert (top >= SCHEMA.category_values.index(category.value) - 0.5).all()
    assert sum(sum(bar_counts(t)) for t in bars) == len(big)
    assert "100,000 events: showing counts per month" in fig.layout.annotations[0].text
    ring = [t for t in fig.data if t.name == "Selected"]
    assert len(ring) == 1 and list(ring[0].customdata) == [big["id"].iat[5]]
    assert len(fig.to_json()) < 400_000  # was 31 MB of per-event hover text


def test_fig055_aggregate_view_hides_empty_lanes_and_captions_key_events(big):
    two = big[big["category"].isin(["sanctions", "treaty"])]
    assert len(two) > DETAIL_LIMIT
    fig = timeline_figure(two)
    assert list(fig.layout.yaxis.ticktext) == ["Treaty", "Sanctions"] and list(fig.layout.yaxis.range) == [1.5, -0.5]
    bars = {t.legendgroup: t for t in fig.data if t.type == "bar" and len(t.x)}
    assert set(bars) == {"treaty", "sanctions"}
    # each lane's bars stand on its own row's floor
    assert np.allclose(bars["treaty"].base, 0.43) and np.allclose(bars["sanctions"].base, 1.43)
    # the key events in view still get captions (the most important ones, a bounded number)
    keys = two[two["label"] != ""]
    captions = fig.layout.annotations[1:]
    assert 0 < len(captions) == min(len(keys), MAX_CAPTIONS)
    assert {a.text for a in captions} <= set(keys["label"])


def test_fig051_bins_follow_the_span_of_the_data(big):
    day = 86_400_000.0
    assert [_bin_unit(np.array([0.0, d * day])) for d in (60, 700, 4_000, 15_000, 40_000)] == [
        "day", "week", "month", "quarter", "year"]
    counts = timeline_counts(big)
    assert counts["start"].nunique() <= MAX_BINS and counts["count"].sum() == len(big)
    weeks = timeline_counts(big.iloc[:5000], unit="week")
    assert (weeks["start"].dt.day_of_week == 0).all() and weeks["count"].sum() == 5000  # weeks start on Monday
    quarters = timeline_counts(big, unit="quarter")
    assert set(quarters["start"].dt.month) <= {1, 4, 7, 10} and quarters["count"].sum() == len(big)


def test_fig052_up_to_the_limit_every_event_is_drawn_with_its_id(big):
    some = big.iloc[:DETAIL_LIMIT]
    fig = timeline_figure(some)
    ids = [i for t in marker_traces(fig) for i in t.customdata]
    assert sorted(ids) == sorted(some["id"])
    assert not [t for t in fig.data if t.type == "bar"]
    assert len(fig.to_json()) < 1_500_000
    assert not marker_traces(timeline_figure(big.iloc[:DETAIL_LIMIT + 1]))  # one more: counts


def test_fig053_claims_at_scale_are_bounded_and_keep_the_highest_figure(big):
    fig = claims_figure(big, claimants=chart_claimants(big))
    points = [t for t in fig.data if t.customdata is not None and len(t.customdata)]
    assert len(fig.data) <= 30 and len(fig.to_json()) < 1_000_000  # was 364 traces and 3 MB
    assert sum(len(t.x) for t in points) <= CLAIMS_LIMIT
    claims = _claims_frame(big)
    assert len(claims) > CLAIMS_LIMIT
    assert "figures: the highest per claimant and" in fig.layout.annotations[-1].text
    unit = re.search(r"per claimant and (\w+)", fig.layout.annotations[-1].text).group(1)
    period = {"month": "M", "quarter": "Q", "year": "Y"}[unit]
    highest = claims.groupby(["group", "line", claims["x"].dt.to_period(period)])["value"].max()
    titles = {title: key for key, title in QUANTITIES}
    panel = {"y" if row == 0 else f"y{row + 1}": titles[a.text] for row, a in enumerate(fig.layout.annotations[:-1])}
    colors = claimant_color_map(chart_claimants(big))
    seen = 0
    for trace in points:
        scale = trace.marker.colorscale
        assert list(trace.x) == sorted(trace.x)
        for x, y, event_id, figure, rest, c in zip(trace.x, trace.y, trace.customdata, trace.text, trace.hovertext,
                                                   trace.marker.color):
            hover = trace.hovertemplate.replace("%{text}", figure).replace("%{hovertext}", rest)
            claimant = html.unescape(re.search(r"</b><br>(.*?) · ", hover).group(1))
            mine = claims[(claims["id"] == event_id) & (claims["claimant"] == claimant) & (claims["value"] == y)
                          & (claims["group"] == panel[trace.yaxis])]
            assert len(mine), (event_id, claimant, y)  # a real figure of that event, in its panel
            assert y == highest[(panel[trace.yaxis], mine["line"].iat[0], mine["x"].iat[0].to_period(period))]
            assert scale[2 * int(c)][1] == colors[claimant]  # the claimant's colour on the stepped scale
            seen += 1
    assert seen == sum(len(t.x) for t in points)
    legend = [t.name for t in fig.data if t.legendgroup and t.legendgroup.startswith("family-")]
    assert legend and legend == [f for f in family_order() if f in legend]
    assert chart_claimants(big) == sorted(set(claims["claimant"]))


def test_fig055_claims_at_scale_are_sent_small_and_mean_the_same(big):
    """The big chart's arrays on the wire: integer colours and values, dates as text, the hover's figure
    apart; each one the same number, instant and label as the plain form."""
    from dashboard.views.figures.claims import _date_strings, _exact_small
    fig = claims_figure(big, claimants=chart_claimants(big))
    sent = json.loads(fig.to_json())
    points = [t for t in sent["data"] if t.get("customdata")]
    assert points and all(t["marker"]["color"]["dtype"] == "u1" and all(type(v) is int for v in t["y"])
                          and isinstance(t["x"][0], str) for t in points)
    claims = _claims_frame(big)
    for t in points:
        assert t["hovertemplate"] == "<b>%{text}</b><br>%{hovertext}<extra></extra>"
        assert all(f and "<br>" not in f for f in t["text"]) and all(" · " in h for h in t["hovertext"])
        assert set(t["marker"]["symbol"]) <= {"circle", "circle-open", "triangle-up", "triangle-down"}
    # text dates are the same instants as the epoch milliseconds they replace, to the millisecond
    times = pd.Series(pd.to_datetime(["2025-01-06", "2025-01-06 12:00", "2025-01-06 12:00:01.250", "1999-12-31 23:59", None],
                                      format="mixed"))
    assert list(_date_strings(times)) == ["2025-01-06", "2025-01-06 12:00", "2025-01-06 12:00:01.250", "1999-12-31 23:59", None]
    x = claims["x"].iloc[:2000]
    assert (pd.to_datetime(_date_strings(x), format="mixed").to_numpy(dtype="datetime64[ms]")
            == x.to_numpy(dtype="datetime64[ms]")).all()
    # whole numbers from 0 in the smallest unsigned type; anything else stays float64
    assert _exact_small(np.array([0.0, 255.0])).dtype == np.uint8 and _exact_small(np.array([0.0, 7_930_199.0])).dtype == np.uint32
    for values in ([1.5, 2.0], [-1.0, 2.0], [np.nan, 1.0], [0.0, 2.0**32]):
        assert _exact_small(np.array(values)).dtype == np.float64
    values = claims["value"].to_numpy(dtype="float64")
    assert (_exact_small(values) == values).all()


def test_fig054_map_and_monthly_stay_small_at_scale(big):
    place_map, months = map_figure(big), monthly_figure(big)
    assert len(place_map.to_json()) < 300_000 and len(months.to_json()) < 200_000
    assert sum(np.nansum(np.asarray(t.y, dtype=float)) for t in months.data) == len(big)
    assert len(place_map.data) == 1 and int((np.asarray(place_map.data[0].marker.size) > 0).sum()) == big["place"].replace("", np.nan).nunique()


# ---------------------------------------------------------------- claims


def claim_traces(fig) -> list:
    return [t for t in fig.data if t.customdata is not None and len(t.customdata)]


def panels(fig) -> dict[str, str]:
    """y axis -> quantity key of each panel (the panel titles are the first annotations, top to bottom)."""
    titles = {title: key for key, title in QUANTITIES}
    return {"y" if i == 0 else f"y{i + 1}": titles[a.text] for i, a in enumerate(fig.layout.annotations) if a.text in titles}


def test_fig020_a_panel_per_quantity_never_mixing_units(bundled_events):
    fig = claims_figure(bundled_events)
    claims = _claims_frame(bundled_events)
    units_of: dict[tuple, set] = {}
    for key, unit in zip(zip(claims["id"], claims["claimant"], claims["value"]), claims["unit"]):
        units_of.setdefault(key, set()).add(unit)
    assert list(panels(fig).values()) == ["sent", "killed", "wounded", "casualties", "prisoners", "containers", "shells"]
    seen = set()
    for trace in claim_traces(fig):
        panel = panels(fig)[trace.yaxis]
        units = {u for i, y in zip(trace.customdata, trace.y) for u in units_of[(i, trace.name, y)]
                 if panel == quantity_of(u)}
        assert len(units) == 1, (trace.name, panel, units)  # one unit per line, of its panel's quantity
        seen.add((panel, *units))
    # killed, wounded and casualties (killed and wounded together) are never on one axis
    assert {("killed", "killed"), ("wounded", "wounded"), ("casualties", "casualties"), ("sent", "troops"),
            ("sent", "builders"), ("containers", "containers"), ("shells", "shells")} <= seen
    casualties = {t.name for t in claim_traces(fig) if panels(fig)[t.yaxis] == "casualties"}
    assert {"UK Ministry of Defence", "Volodymyr Zelensky"} <= casualties


def test_fig021_claim_points_carry_symbol_colour_hover_and_event_id(bundled_events):
    fig = claims_figure(bundled_events)
    uk = [t for t in claim_traces(fig) if t.name == "UK Ministry of Defence" and panels(fig)[t.yaxis] == "casualties"]
    hover = {h: (t, i) for t in uk for i, h in enumerate(t.hovertext)}
    text = next(h for h in hover if h.startswith("<b>more than 6,000 casualties</b>"))
    trace, i = hover[text]
    assert "UK Ministry of Defence · 15 June 2025" in text
    assert trace.marker.symbol[i] == "triangle-up" and trace.customdata[i] == "ukmod-6000"
    assert trace.marker.color == claimant_color_map(
        t.name for t in fig.data if t.customdata is not None)["UK Ministry of Defence"]


def test_fig025_each_claimants_estimates_are_one_step_line_named_at_its_latest_point(bundled_events):
    fig = claims_figure(bundled_events)
    lines = [(t.yaxis, t.text[-1]) for t in claim_traces(fig)]
    assert len(lines) == len(set(lines))  # one trace per claimant (and unit) and quantity
    for trace in claim_traces(fig):
        assert list(trace.x) == sorted(trace.x)  # in time order
        assert trace.line.shape == "hv" and "lines" in trace.mode and "text" in trace.mode
        assert trace.text[-1] in (trace.name, f"{trace.name} ({trace.text[-1].rsplit(' (', 1)[-1]}")
        assert trace.text[-1].startswith(trace.name) and not any(trace.text[:-1])  # named once, at its latest point
        assert trace.textfont.color == trace.marker.color == trace.line.color
    nis = next(t for t in claim_traces(fig) if panels(fig)[t.yaxis] == "sent" and t.text[-1] == "NIS")
    assert len(nis.x) >= 8 and max(nis.y) >= 10_000  # the NIS's troop estimates, revised over time
    assert "NIS (builders)" in {t.text[-1] for t in claim_traces(fig)}  # never a step from troops to builders
    # the legend is a short key of the qualifier symbols, not a list of claimants
    assert [t.name for t in fig.data if t.showlegend is not False] == [
        "exact", "about", "more than / at least", "up to / fewer than / almost"]


def test_fig026_empty_panels_are_hidden_and_log_scales_say_so(bundled_events):
    treaty = claims_figure(bundled_events[bundled_events["category"] == "treaty"])
    assert list(panels(treaty).values()) == ["sent"] and "yaxis2" not in treaty.layout.to_plotly_json()
    assert treaty.layout.xaxis.showticklabels is True  # the one panel shows the dates
    nothing = claims_figure(bundled_events[bundled_events["id"] == "treaty-signed"])
    assert [a.text for a in nothing.layout.annotations][-1] == "No reported figures match the current filters"
    assert nothing.layout.yaxis.showticklabels is False and nothing.layout.yaxis.showgrid is False
    fig = claims_figure(bundled_events)
    for axis, panel in panels(fig).items():
        layout_axis = fig.layout["yaxis" + axis[1:]]
        assert (layout_axis.type == "log") == (layout_axis.title.text == "log scale"), panel
    assert fig.layout.yaxis.type == "log" and fig.layout["yaxis" + next(
        a for a, p in panels(fig).items() if p == "prisoners")[1:]].type == "linear"


def test_fig027_a_unit_without_a_panel_goes_to_other_named_with_its_unit(bundled_events):
    events = bundled_events[bundled_events["id"] == "ukmod-6000"].copy()
    figure = {"qualifier": "about", "value": 40.0, "high": None, "unit": "drones", "claimant": "HUR", "date": "", "note": ""}
    events["figures"] = [list(events["figures"].iat[0]) + [figure]]
    fig = claims_figure(events)
    assert list(panels(fig).values())[-2:] == ["casualties", "other"]
    (drones,) = [t for t in claim_traces(fig) if panels(fig)[t.yaxis] == "other"]
    assert drones.text[-1] == "HUR (drones)" and list(drones.y) == [40.0]
    assert quantity_of("votes") is None and quantity_of("sappers") == "sent" and quantity_of("drones") == OTHER


def colour(fig) -> set[str]:
    return {t.marker.color for t in fig.data if t.name == "UK Ministry of Defence"}


def test_fig022_claimant_colours_are_deterministic_and_can_be_pinned(bundled_events):
    assert claimant_color_map(["b", "a"]) == claimant_color_map(["a", "b", "a"])
    one = bundled_events[bundled_events["id"] == "ukmod-6000"]
    assert colour(claims_figure(one)) == colour(claims_figure(bundled_events))  # registered: the registry's colour
    # a registered claimant has its colour whatever else is charted; unregistered names get greys in name
    # order, which the full dataset's claimants pin
    rok = claimant_color_map(["ROK military"])["ROK military"]
    assert claimant_color_map(chart_claimants(bundled_events))["ROK military"] == rok == registry_colors(bundled_registry())["ROK military"]
    assert claimant_color_map(["zz unknown"])["zz unknown"] != claimant_color_map(["aa unknown", "zz unknown"])["zz unknown"]


def test_fig023_month_only_claim_date_sits_mid_month_and_ranges_get_error_bars(small_events, bundled_events):
    fig = claims_figure(small_events)
    trace = next(t for t in fig.data if t.customdata is not None and "hostile" in list(t.customdata))
    assert ms("2025-01-10") < trace.x[0] < ms("2025-01-22")
    assert "· January 2025" in trace.hovertext[0] and "&lt;b&gt;note&lt;/b&gt;" in trace.hovertext[0]
    ranged = [t for t in claims_figure(bundled_events).data if t.error_y.visible]
    assert ranged and max(max(t.error_y.array) for t in ranged) > 0


def test_fig024_conflicting_claims_on_one_day_sit_side_by_side(bundled_events):
    fig = claims_figure(bundled_events[bundled_events["id"] == "zelensky-3000-jcs-1100"])
    xs = [t.x[0] for t in fig.data if t.customdata is not None]
    assert len(xs) == 2 and xs[0] != xs[1]


# ---------------------------------------------------------------- map and monthly


def test_fig030_map_bubbles_grow_with_the_square_root_of_the_count(bundled_events):
    trace = map_figure(bundled_events).data[0]
    located = bundled_events.dropna(subset=["latitude"])
    counts = located.groupby(["latitude", "longitude"]).size()
    sizes = dict(zip(zip(trace.lat, trace.lon), trace.marker.size))
    assert set(sizes) == set(counts.index)
    top = counts.idxmax()
    for point, count in counts.items():
        assert math.isclose((sizes[point] - 8) / (sizes[top] - 8), math.sqrt(count / counts.max()))
    named = dict(zip(trace.customdata, trace.marker.size))
    assert named["Pyongyang, DPRK"] > named["Seoul, South Korea"]


def test_fig034_map_merges_places_at_one_point_and_draws_big_bubbles_below_small_ones(bundled_events):
    trace = map_figure(bundled_events).data[0]
    assert list(trace.marker.size) == sorted(trace.marker.size, reverse=True)  # drawn first: the biggest, below
    points = list(zip(trace.lat, trace.lon))
    assert len(points) == len(set(points))  # one bubble per point
    kursk = bundled_events[bundled_events["place"].str.startswith("Kursk")]
    assert kursk["place"].nunique() == 2 and kursk["latitude"].nunique() == 1
    i = list(trace.customdata).index("Kursk Oblast, Russia (Kursk city used as proxy point)")  # the name most give
    assert f"<br>{len(kursk)} events<br>" in trace.hovertext[i] and "Kursk, Russia" in trace.hovertext[i]
    assert "Kursk, Russia" not in trace.customdata


def test_fig035_map_buttons_zoom_to_the_korean_peninsula_and_russias_far_east(bundled_events):
    fig = map_figure(bundled_events)
    (menu,) = fig.layout.updatemenus
    views = {b.label: b.args[0] for b in menu.buttons}
    assert list(views) == ["All", "Korea", "Far East"]
    assert views["All"]["geo.lonaxis.range"] == list(MAP_LON)
    korea, far_east = views["Korea"], views["Far East"]
    assert korea["geo.lonaxis.range"][0] < 125 < 130 < korea["geo.lonaxis.range"][1]  # Pyongyang to Rason
    assert far_east["geo.lonaxis.range"][0] < 131.9 < far_east["geo.lonaxis.range"][1]  # Vladivostok
    assert far_east["geo.lataxis.range"][0] < 43.1 < 48.5 < far_east["geo.lataxis.range"][1]  # to Khabarovsk
    assert "http" not in fig.to_json()


def test_fig031_map_is_offline_and_framed_on_europe_to_east_asia(bundled_events):
    fig = map_figure(bundled_events)
    assert "http" not in fig.to_json()
    assert list(fig.layout.geo.lonaxis.range) == list(MAP_LON) and fig.layout.geo.showcountries
    assert MAP_LON[0] <= 30 and MAP_LON[1] >= 135  # Zaporizhzhia and Kursk to Vladivostok
    assert "Outside this view: UN Headquarters" in fig.layout.annotations[0].text


def test_fig032_monthly_bars_stack_per_category_and_count_every_event(bundled_events):
    fig = monthly_figure(bundled_events)
    assert [t.name for t in fig.data] == LABELS
    assert [t.marker.color for t in fig.data] == [c.color for c in SCHEMA.categories]
    assert sum(np.nansum(np.asarray(t.y, dtype=float)) for t in fig.data) == len(bundled_events)
    assert fig.layout.barmode == "stack" and fig.layout.dragmode == "select" and fig.layout.selectdirection == "h"
    one = monthly_figure(bundled_events[bundled_events["category"] == "treaty"])
    assert [t.name for t in one.data] == LABELS
    # a month without events of a category is null, never NaN: plotly.js restarts a stack from 0 above a NaN
    sent = json.loads(fig.to_json())
    for trace in sent["data"]:
        assert isinstance(trace["y"], list) and all(v is None or v > 0 for v in trace["y"])


def test_fig033_monthly_chart_has_a_legend_of_the_categories_drawn(bundled_events):
    fig = monthly_figure(bundled_events)
    assert fig.layout.showlegend is True and fig.layout.legend.orientation == "h"
    assert [t.name for t in fig.data if t.showlegend] == LABELS  # every category has events, in schema order
    one = monthly_figure(bundled_events[bundled_events["category"] == "treaty"])
    assert [t.name for t in one.data if t.showlegend] == ["Treaty"]  # only the categories drawn
    assert one.layout.margin.b < fig.layout.margin.b  # one row of legend instead of five
    assert monthly_figure(bundled_events.iloc[:0]).layout.showlegend is False


# ---------------------------------------------------------------- regressions from the user test


def axis_span_days(axis) -> float:
    """Days the axis is guaranteed to show (autorange widened by autorangeoptions.include)."""
    lo, hi = (pd.Timestamp(v) for v in axis.autorangeoptions.include)
    assert axis.autorange is True  # a double-click still resets to autorange (the date filter relies on it)
    return (hi - lo).days


@pytest.mark.parametrize("event_id", ["ukmod-6000", "treaty"])
def test_fig040_one_point_still_gets_a_date_axis_of_months_not_nanoseconds(bundled_events, event_id):
    events = (bundled_events[bundled_events["id"] == event_id] if event_id != "treaty"
              else bundled_events[bundled_events["category"] == "treaty"])
    for fig in (timeline_figure(events), monthly_figure(events), claims_figure(events)):
        assert axis_span_days(fig.layout.xaxis) >= 90


def test_fig041_claims_panels_keep_titles_clear_of_dates(bundled_events):
    fig = claims_figure(bundled_events)
    n = len(panels(fig))
    assert fig.layout.xaxis.showticklabels is False and fig.layout[f"xaxis{n}"].showticklabels is True
    assert all(fig.layout[f"xaxis{i}"].matches == "x" for i in range(2, n + 1))  # one shared date axis
    assert all(a.x == 0 and a.xanchor == "left" for a in fig.layout.annotations[:n])
    domains = [fig.layout["yaxis" + ("" if i == 1 else str(i))].domain for i in range(1, n + 1)]
    assert all(upper[0] > lower[1] for upper, lower in zip(domains, domains[1:]))  # stacked, a gap for each title
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0


def _hue(color: str) -> float:
    import colorsys
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def test_fig042_claimants_are_coloured_by_country(bundled_events):
    names = chart_claimants(bundled_events)
    families = {name: claimant_family(name) for name in names}
    assert families["NIS"] == families["ROK military"] == families["Yonhap"] == "South Korea"
    assert families["Volodymyr Zelensky"] == families["Ukrainian armed forces"] == "Ukraine"
    assert families["UK Ministry of Defence"] == "UK" and families["Pentagon"] == "US"
    assert families["Sergei Shoigu"] == "Russia" and families["Kim Jong Un"] == "DPRK"
    assert families["MSMT"] == "International"
    colors = claimant_color_map(names)
    registry = bundled_registry()
    for name in names:  # the country's hue, give or take the small step between neighbours
        if registry.actor(name).country not in COUNTRY_SHADES:  # (a country without its own shades, e.g. Japan for NHK, takes a spare hue)
            continue
        base = COUNTRY_SHADES[registry.actor(name).country][0]
        assert abs((_hue(colors[name]) - base + 180) % 360 - 180) <= 16, name
    every = registry_colors(registry)
    for country in COUNTRY_SHADES:  # distinct shades within a country, over the whole registry
        shades = [c for n, c in every.items() if registry.actor(n).country == country]
        assert len(set(shades)) == len(shades), country


def test_fig043_dense_stretches_are_packed_into_sub_rows(write_csv):
    lines = [row(id=f"d{i}", date=f"2024-06-{10 + i % 3:02d}", category="treaty") for i in range(5)]
    lines.append(row(id="far", date="2025-06-01", category="treaty"))
    events = load_events(write_csv("\n".join([HEADER, *lines]) + "\n"))
    fig = timeline_figure(events)
    ys = {i: point(fig, i) for i in [f"d{i}" for i in range(5)] + ["far"]}
    dense = [trace.y[j] for trace, j in (ys[f"d{i}"] for i in range(5))]
    assert len(set(dense)) == 5 and all(abs(y) < 0.35 for y in dense)  # five rows, all inside the (only) lane
    trace, j = ys["far"]
    assert trace.y[j] == 0  # a lone event sits on the lane's middle
    assert timeline_figure(events).to_json() == fig.to_json()  # deterministic


def test_fig044_monthly_ticks_are_whole_months_and_counts_integers(bundled_events):
    fig = monthly_figure(bundled_events)
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.xaxis.dtick in ("M3", "M6")
    assert fig.layout.yaxis.tickformat == ",d"
    assert fig.layout.showlegend is True  # the categories (issue 12: the monthly chart has a legend)
    one = monthly_figure(bundled_events[bundled_events["category"] == "treaty"])
    assert one.layout.yaxis.dtick == 1 and one.layout.xaxis.dtick == "M1"
    single = monthly_figure(bundled_events.iloc[:1])
    bar = next(t for t in single.data if np.isfinite(np.asarray(t.y, dtype=float)).any())
    assert bar.width[0] > 20 * MS_PER_DAY  # a lone bar is a month wide, not 1 ms


def test_fig045_map_labels_stay_inside_and_apart(bundled_events):
    trace = map_figure(bundled_events).data[0]
    labelled = [i for i, t in enumerate(trace.text) if t]
    assert "Pyongyang" in trace.text and "Kursk Oblast" in trace.text
    boxes = []
    for i in labelled:
        x, y = _map_xy(trace.lon[i], trace.lat[i])
        box = _label_box(x, y, trace.marker.size[i] / 2, len(trace.text[i]) * 7.0, trace.textposition[i])
        assert box[0] >= 0 and box[2] <= 360 and box[1] >= 0 and box[3] <= 275, trace.text[i]
        boxes.append(box)
    assert not any(_overlaps(a, b) for k, a in enumerate(boxes) for b in boxes[k + 1:])
    assert (MAP_LAT[1] - MAP_LAT[0]) > 40  # framed to fill a 4:3 card, not a thin band


def test_fig056_map_coordinates_are_sent_as_the_csv_numbers(big):
    """Plain JSON numbers, not base64 floats: the page reads back exactly the coordinates of the data."""
    sent = json.loads(map_figure(big).to_json())["data"][0]
    assert isinstance(sent["lat"], list) and isinstance(sent["lon"], list)
    located = big.dropna(subset=["latitude", "longitude"])
    assert set(zip(sent["lat"], sent["lon"])) == set(zip(located["latitude"], located["longitude"]))


@pytest.mark.parametrize("dates", [("2024-06", "2024-09"), ("2024", ""), ("", "2024-06-15"), ("2024-06-15", "2024-06-15"),
                                   ("1990", "1991"), ("2099", ""), ("2024-09", "2024-06")])
def test_fig070_the_dashboard_moves_the_monthly_highlight_as_the_chart_would_draw_it(bundled_events, dates):
    """The dashboard counts the monthly bars once per set of the other filters and only moves the highlight
    when the dates change (a zoom): the result is the chart monthly_figure draws for those dates."""
    from dashboard.app.callbacks import wire
    from dashboard.views.figures.monthly import highlight_months
    for events in (bundled_events, bundled_events[bundled_events["category"] == "treaty"], bundled_events.iloc[:0]):
        bars = wire(monthly_figure(events))
        snapshot = json.dumps(bars, sort_keys=True)
        assert highlight_months(bars, dates) == wire(monthly_figure(events, date_range=dates))
        assert json.dumps(bars, sort_keys=True) == snapshot  # the cached bars are left as they were


def test_fig071_charts_built_without_validation_are_valid_plotly_figures(bundled_events):
    """The map and the claims chart are built as plain dicts, without plotly's checks of every property (they
    cost more than the chart): plotly's own validation accepts what they send."""
    import plotly.graph_objects as go
    subsets = (bundled_events, bundled_events.iloc[:0], bundled_events.iloc[:1],
               bundled_events[bundled_events["category"] == "treaty"], bundled_events[bundled_events["latitude"].isna()])
    for build in (map_figure, claims_figure):
        for events in subsets:
            sent = json.loads(build(events).to_json())
            assert go.Figure(sent, skip_invalid=False).to_plotly_json()["data"] is not None, build.__name__
