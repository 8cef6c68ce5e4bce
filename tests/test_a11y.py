"""Accessibility without a browser: colour contrast of the stylesheet and the category palette (WCAG AA:
4.5:1 for text, 3:1 for markers and bars), the skip link, the polite announcements and reduced motion."""

from __future__ import annotations

import re

import pytest

from dashboard import paths
from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.app.layout import make_layout
from dashboard.data.datasource import Snapshot
from dashboard.data.schema import load_schema
from dashboard.views.figures import monthly_figure, timeline_figure
from dashboard.views.figures.palette import contrast_ratio, edge_color
from tests.conftest import render

PAPER = "#ffffff"  # the charts' paper, in light and dark mode alike


def _css() -> str:
    return (paths.assets_dir() / "style.css").read_text(encoding="utf-8")


def _hex(value: str) -> str:
    value = value.lower()
    return "#" + "".join(c * 2 for c in value[1:]) if len(value) == 4 else value


def _variables(block: str) -> dict[str, str]:
    return {name: _hex(value) for name, value in re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", block)}


def _modes() -> dict[str, dict[str, str]]:
    """The colour variables of each mode: light from the first :root, dark laid over them."""
    css = _css()
    light = _variables(re.search(r":root\s*\{[^}]*\}", css).group(0))
    dark_block = css[css.index("@media (prefers-color-scheme: dark)"):]
    dark = {**light, **_variables(dark_block[:dark_block.index(".card:has(.dash-graph)")])}
    return {"light": light, "dark": dark}


TEXT = [  # (text, background) of the page's text: body, hints, links and outline buttons, on cards and the page
    ("ink", "card"), ("ink", "bg"), ("muted", "card"), ("muted", "bg"), ("accent", "card"), ("accent", "bg"),
]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a11y001_text_colours_reach_aa_in_light_and_dark(mode):
    colours = _modes()[mode]
    for text, background in TEXT:
        ratio = contrast_ratio(colours[text], colours[background])
        assert ratio >= 4.5, (mode, text, background, round(ratio, 2))
    # a filled button's label on the accent colour (white in light mode, the page's ink colour in dark)
    label = "#ffffff" if mode == "light" else "#11151c"
    assert contrast_ratio(label, colours["accent"]) >= 4.5
    if mode == "dark":  # the dropdown's placeholder ("All actors"), set for dark mode
        assert contrast_ratio(colours["Dash-Text-Disabled"], colours["card"]) >= 4.5


def test_a11y002_category_markers_and_bars_stand_out_from_the_paper():
    categories = load_schema().categories
    for category in categories:
        edge = edge_color(category.color)
        assert contrast_ratio(edge, PAPER) >= 3, (category.value, edge)
        # the colour is kept wherever it already stands out; a pale one only gets a darker outline
        assert (edge == category.color) == (contrast_ratio(category.color, PAPER) >= 3)
    # the charts draw those outlines: sand, cyan and teal are among the bundled categories
    pale = {c.color for c in categories if edge_color(c.color) != c.color}
    assert {"#DDCC77", "#88CCEE", "#44AA99"} <= pale


def test_a11y003_the_charts_outline_pale_categories(bundled_events):
    colours = {c.color: edge_color(c.color) for c in load_schema().categories}
    markers = [t for t in timeline_figure(bundled_events).data if t.mode == "markers" and t.marker.color in colours]
    assert markers and all(t.marker.line.color == colours[t.marker.color] for t in markers)
    bars = [t for t in monthly_figure(bundled_events).data if t.marker.color in colours]
    assert bars and all(t.marker.line.color == colours[t.marker.color] for t in bars)
    assert all((t.marker.line.width > 0) == (colours[t.marker.color] != t.marker.color) for t in bars)


def test_a11y004_badge_text_is_the_page_ink_whatever_the_category(bundled_events):
    # the category badge (event panel, story slide) takes its colour for the border only: its text is ink
    css = _css()
    assert re.search(r"\.detail \.badge \{[^}]*border: 2px solid;", css)
    assert "color" not in re.search(r"\.detail \.badge \{([^}]*)\}", css).group(1).replace("border", "")


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def test_a11y005_the_skip_link_comes_first_and_leads_to_the_timeline(bundled_events):
    layout = make_layout(Snapshot(bundled_events), topojson_url="/assets/topojson/")
    first = layout.children[0]
    assert (first.id, first.children, first.href) == (ids.SKIP, "Skip to timeline", f"#{ids.TIMELINE_CARD}")
    card = next(c for c in _walk(layout) if getattr(c, "id", None) == ids.TIMELINE_CARD)
    assert card.tabIndex == "-1" and any(getattr(c, "id", None) == ids.TIMELINE for c in _walk(card))


def test_a11y006_changes_are_announced_politely(bundled_events):
    layout = make_layout(Snapshot(bundled_events), topojson_url="/assets/topojson/")
    region = next(c for c in _walk(layout) if getattr(c, "id", None) == ids.ANNOUNCE)
    assert region.role == "status" and getattr(region, "aria-live") == "polite"
    client = create_app(bundled_events).server.test_client()
    title = bundled_events.loc[bundled_events["id"] == "treaty-signed", "title"].iat[0]
    assert render(client, "?category=treaty&event=treaty-signed")[ids.ANNOUNCE]["children"] == \
        f"Showing 6 of 89 events. Event: {title}"
    assert render(client, "")[ids.ANNOUNCE]["children"] == "Showing 89 of 89 events."


def test_a11y007_motion_is_reduced_for_readers_who_ask(bundled_events):
    css = _css()
    reduced = css[css.index("@media (prefers-reduced-motion: reduce)"):]
    assert "transition: none" in reduced and "animation: none" in reduced and "scroll-behavior: auto" in reduced
    # every smooth scroll in the page's scripts asks motion() first
    for script in paths.assets_dir().glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert "behavior: \"smooth\"" not in text and "behavior: 'smooth'" not in text, script.name
        if "scrollIntoView" in text or "scrollTo({" in text:
            assert "prefers-reduced-motion: reduce" in text, script.name
