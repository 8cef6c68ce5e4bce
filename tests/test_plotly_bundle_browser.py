"""Our partial plotly.js in the browser: the dashboard never fetches the full bundle, and every chart,
in the dashboard and in exported pages, is drawn with its own trace types (plotly.js would silently draw
a type missing from the bundle as scatter)."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from plotly.offline import get_plotlyjs_version

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.data.events import load_events
from dashboard.data.synthetic import write_synthetic
from dashboard.publish.export import export_files, write_files
from dashboard.publish.plotlyjs import BUNDLE, bundle_js, bundles
from dashboard.views.figures import WEBGL_ABOVE
from tests.conftest import show_claims

pytestmark = pytest.mark.browser

CHARTS = (ids.TIMELINE, ids.MAP, ids.MONTHLY, ids.CLAIMS)

# per chart: the trace types of its figure, and the types plotly.js drew them as
DRAWN = """
var out = {};
arguments[0].forEach(function (sel) {
  var gd = document.querySelector(sel);
  if (!gd || !gd._fullData || !gd.data || !gd.data.length) { return; }
  out[sel] = {data: gd.data.map(function (t) { return t.type || 'scatter'; }),
              full: gd._fullData.map(function (t) { return t.type; })};
});
return out;
"""
RESOURCES = "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
TRACES = "return Object.keys(Plotly.PlotSchema.get().traces).sort();"


def _drawn(driver, selectors: list[str]) -> dict:
    return driver.execute_script(DRAWN, selectors)


def _assert_drawn_as_given(drawn: dict) -> set[str]:
    for chart, types in drawn.items():
        assert types["full"] == types["data"], chart  # no trace coerced to another type
    return {t for types in drawn.values() for t in types["data"]}


@pytest.mark.parametrize("size", ["bundled", "webgl"])
def test_db050_dashboard_draws_with_the_partial_plotlyjs_only(dash_duo, tmp_path, size):
    if size == "bundled":
        app, expected = create_app(load_events()), {"scatter", "scattergeo", "bar"}
    else:  # enough events for the timeline to draw them with WebGL
        path = write_synthetic(tmp_path / "many.csv", WEBGL_ABOVE + 200)
        app, expected = create_app(csv_path=path), {"scatter", "scattergl", "scattergeo", "bar"}
    dash_duo.start_server(app)
    show_claims(dash_duo)
    selectors = [f"#{chart} .js-plotly-plot" for chart in CHARTS]
    dash_duo.wait_for_element(f"#{ids.MAP} .geo path", timeout=30)
    dash_duo.wait_for_element(f"#{ids.MONTHLY} .barlayer .point", timeout=30)
    until(lambda: len(_drawn(dash_duo.driver, selectors)) == len(CHARTS), timeout=30)
    assert _assert_drawn_as_given(_drawn(dash_duo.driver, selectors)) == expected

    driver = dash_duo.driver
    assert driver.execute_script("return Plotly.version") == get_plotlyjs_version()
    assert driver.execute_script(TRACES) == sorted(bundles()[BUNDLE].traces)
    resources = driver.execute_script(RESOURCES)
    assert not [r for r in resources if "package_data/plotly" in r or "cdn.plot.ly" in r]  # the full bundle: never
    assert len([r for r in resources if "/assets/plotly-custom" in r]) == 1
    assert any(f"/assets/{BUNDLE}" in r for r in resources)
    assert dash_duo.get_logs() == []


def test_db051_exported_pages_draw_with_their_embedded_partial_plotlyjs(dash_duo, tmp_path):
    """Inline export, opened from file://: each page's own bundle draws each of its traces as given."""
    write_files(export_files(load_events()), tmp_path)
    driver = dash_duo.driver
    for page, chart in (("timeline.html", "#timeline"), ("map.html", "#map"), ("monthly.html", "#monthly"),
                        ("claims.html", "#claims"), ("index.html", ".chart")):
        driver.get((tmp_path / page).as_uri())
        selectors = [f"{chart}.js-plotly-plot"] if page != "index.html" else \
            [f"#chart-{name}.js-plotly-plot" for name in ("timeline", "map", "monthly", "claims")]
        until(lambda: len(_drawn(driver, selectors)) == len(selectors), timeout=30)
        types = _assert_drawn_as_given(_drawn(driver, selectors))
        registered = set(driver.execute_script(TRACES))
        assert types <= registered, page
        assert registered == {"scatter", "bar"} if page in ("timeline.html", "monthly.html", "claims.html") \
            else registered == bundles()[BUNDLE].traces, page
        assert driver.execute_script("return Plotly.version") == get_plotlyjs_version()
        assert driver.execute_script(RESOURCES) == [], page  # nothing fetched: it opens offline
        assert dash_duo.get_logs() == [], page
    # the check sees a missing type: the map page with the bundle of scatter and bar draws its map as scatter
    wrong = tmp_path / "wrong.html"
    wrong.write_text((tmp_path / "map.html").read_text(encoding="utf-8").replace(
        bundle_js(BUNDLE), bundle_js("plotly-custom-basic.min.js")), encoding="utf-8")
    driver.get(wrong.as_uri())
    until(lambda: len(_drawn(driver, ["#map.js-plotly-plot"])) == 1, timeout=30)
    assert _drawn(driver, ["#map.js-plotly-plot"])["#map.js-plotly-plot"] == {"data": ["scattergeo"], "full": ["scatter"]}
