"""Our partial plotly.js bundles (tools/plotly-bundle/): plotly's own version, and every trace type we draw.

A trace type missing from a bundle is not an error in the browser: plotly.js draws the trace as scatter.
So every figure builder is run at several sizes (each size switches some charts to other trace types)
and every type they produce must be registered in the bundle the dashboard loads.
"""

from __future__ import annotations

import re

import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from dashboard import paths
from dashboard.data.events import load_events
from dashboard.data.registry import bundled_registry
from dashboard.data.synthetic import write_synthetic
from dashboard.publish.export import export_files
from dashboard.publish.plotlyjs import BUNDLE, bundle_for, bundle_js, bundles, read_header, trace_types
from dashboard.views.figures import (DETAIL_LIMIT, WEBGL_ABOVE, chart_claimants, claims_figure,
                                     map_figure, monthly_figure, timeline_figure)
from dashboard.views.story import story_timeline

BASIC = "plotly-custom-basic.min.js"
# every registered trace module keeps its name in the minified text (true of plotly.js's own bundles too)
_REGISTERED = re.compile(r'moduleType:"trace",name:"([a-z0-9]+)"')


def _registered(text: str) -> set[str]:
    return set(_REGISTERED.findall(text))


def _figures(events) -> list:
    """Every figure the dashboard and the export draw of these events."""
    first = str(events["id"].iat[0]) if len(events) else None
    figures = [timeline_figure(events), timeline_figure(events, selected=first), map_figure(events),
               monthly_figure(events), monthly_figure(events, date_range=("2024-01", "2024-06")),
               claims_figure(events, claimants=chart_claimants(events), registry=bundled_registry())]
    if len(events):
        figures.append(story_timeline(events, 1))
    return figures


@pytest.fixture(scope="module")
def drawn_types(tmp_path_factory) -> dict[str, set[str]]:
    """Trace types by size: empty, one event, the bundled events, and synthetic sizes past each switch
    (SVG to WebGL above WEBGL_ABOVE points, per-event marks to counts above DETAIL_LIMIT events)."""
    folder = tmp_path_factory.mktemp("sizes")
    bundled = load_events()
    frames = {"empty": bundled.iloc[:0], "one": bundled.iloc[:1], "bundled": bundled}
    for n in (WEBGL_ABOVE, WEBGL_ABOVE + 200, DETAIL_LIMIT + 500):
        frames[str(n)] = load_events(write_synthetic(folder / f"s{n}.csv", n))
    return {name: trace_types(_figures(events)) for name, events in frames.items()}


def test_pjb001_bundles_are_the_plotlyjs_our_plotly_ships():
    assert set(bundles()) == {BUNDLE, BASIC}
    version = get_plotlyjs_version()
    full_header = get_plotlyjs()[:200]
    for name, bundle in bundles().items():
        text = bundle_js(name)
        assert bundle.version == version, name
        # plotly.js's licence header is kept, word for word after its first line
        assert text.split("\n", 6)[2:6] == full_header.split("\n", 6)[2:6], name
        assert "Licensed under the MIT license" in text[:300]
        assert text.rstrip().endswith("window.Plotly = Plotly;\nreturn Plotly;\n}));"), name
        assert "</script" not in text.lower()  # safe to embed in a page's <script>
        assert len(text) < len(get_plotlyjs()) * 0.4, name


def test_pjb002_each_bundle_registers_exactly_the_types_its_header_names():
    assert _registered(get_plotlyjs()) >= {"bar", "pie", "scatter", "scattergeo", "scattergl", "heatmap"}  # the check sees them
    for name, bundle in bundles().items():
        assert _registered(bundle_js(name)) == bundle.traces, name
    assert bundles()[BUNDLE].traces == {"bar", "scatter", "scattergeo", "scattergl"}
    assert bundles()[BASIC].traces == {"bar", "scatter"}


def test_pjb003_every_trace_type_a_figure_draws_is_in_the_dashboards_bundle(drawn_types):
    registered = _registered(bundle_js(BUNDLE))
    for size, types in drawn_types.items():
        assert types <= registered, (size, types - registered)
    drawn = set().union(*drawn_types.values())
    assert drawn == {"bar", "scatter", "scattergeo", "scattergl"}  # a new type: add it in tools/plotly-bundle/build.mjs
    assert "scattergl" in drawn_types[str(WEBGL_ABOVE + 200)] and "scattergl" not in drawn_types["bundled"]
    assert "bar" in drawn_types[str(DETAIL_LIMIT + 500)]  # the timeline's counts


def test_pjb004_a_chart_page_gets_the_smallest_bundle_that_draws_it():
    assert bundle_for({"scatter"}) == bundle_for({"bar", "scatter"}) == BASIC
    assert bundle_for({"scattergeo"}) == bundle_for({"scattergl", "bar"}) == BUNDLE
    assert bundles()[BASIC].size < bundles()[BUNDLE].size
    with pytest.raises(ValueError, match="no plotly.js bundle draws pie"):
        bundle_for({"pie", "scatter"})
    assert trace_types([{"data": [{"x": [1]}, {"type": "bar"}]}]) == {"scatter", "bar"}  # plotly's default type
    with pytest.raises(ValueError):
        read_header(get_plotlyjs()[:300])  # the full bundle is not one of ours


def test_pjb005_an_inline_timeline_page_is_at_most_1_5_mb():
    """The exported timeline.html of the bundled events with plotly.js embedded was 4.86 MB."""
    page = export_files(load_events())["timeline.html"].encode("utf-8")
    assert len(page) <= 1_500_000
    assert bundle_js(BASIC).encode("utf-8") in page


def test_pjb006_the_bundles_ship_in_the_package():
    """They sit in assets/, which a wheel carries inside the package (pyproject's force-include)."""
    assert paths.plotly_bundles() and all(p.parent == paths.assets_dir() for p in paths.plotly_bundles())
    pyproject = (paths.assets_dir().parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"assets" = "dashboard/_assets"' in pyproject
