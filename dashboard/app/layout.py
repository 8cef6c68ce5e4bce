"""The dashboard page, built from one data snapshot (a pure function: no callbacks here)."""

from __future__ import annotations

from dataclasses import asdict

from dash import dcc, html

from . import ids
from ..data.datasource import Snapshot
from ..views.detail import detail_intro
from ..views.filenames import CHART_WORDS
from ..views.figures import CLAIMS_HEIGHT, MAP_HEIGHT, MONTHLY_HEIGHT, TIMELINE_HEIGHT
from ..data.filters import all_actors
from ..views.labels import date_label
from ..views.story import slide_count
from ..data.schema import load_schema
from ..data.search import LIMIT_NOTE, MAX_SEARCH_CHARS
from .state import INDEPENDENT_ON
from ..data.summary import date_span
from ..views.table import TableView, header_cells

# plotly's own camera (toImage) is replaced by assets/svg-download.js's PNG and SVG buttons, which name
# the file after what the chart shows at the click (the figure's layout.meta.filename)
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"format": "png", "scale": 2},
                "modeBarButtonsToRemove": ["toImage"]}


def graph_config(chart: str, filename: str = "", **extra) -> dict:
    """A chart's plotly config, the same for every view (a new config redraws a chart from scratch). Its
    toolbar downloads a PNG and an SVG (the buttons assets/svg-download.js adds), named after what the
    chart shows (the figure's layout.meta.filename, set by the callbacks), else ``filename``;
    ``extra``: more config, e.g. the map's topojsonURL."""
    image = {**GRAPH_CONFIG["toImageButtonOptions"], "filename": filename or f"dprk-timeline-{CHART_WORDS.get(chart, chart)}"}
    return {**GRAPH_CONFIG, "toImageButtonOptions": image, **extra}


def topojson_url(app) -> str:
    """Where the map finds its country outlines: served with the assets, never from a CDN."""
    return app.get_asset_url("topojson/")


def banner(problems: tuple[str, ...]) -> list:
    if not problems:
        return []
    return [
        html.Strong("The events file changed and is now invalid. Showing the last valid version until it is fixed:"),
        html.Ul([html.Li(html.Code(p)) for p in problems[:50]]),
        html.P(f"…and {len(problems) - 50} more.") if len(problems) > 50 else None,
    ]


def _filters(snapshot: Snapshot) -> html.Aside:
    events = snapshot.events
    schema = load_schema()
    first, last = date_span(events)
    return html.Aside(id=ids.FILTERS, className="filters", role="search", **{"aria-label": "Filter events"}, children=[
        html.H2("Filter"),
        html.Fieldset([
            html.Legend("Categories (none ticked = all)"),
            dcc.Checklist(id=ids.CATEGORY, value=[], className="category-list", options=[
                {"label": html.Span([html.Span(className="swatch", style={"background": c.color}), c.label]), "value": c.value}
                for c in schema.categories
            ]),
        ]),
        html.Label("Actors", htmlFor=ids.ACTOR, id=ids.ACTOR_LABEL),
        dcc.Dropdown(id=ids.ACTOR, multi=True, options=all_actors(events), placeholder="All actors"),
        # the browser's own date inputs: keyboard- and phone-friendly, and no date-picker library to download.
        # No debounce: with one, dcc.Input restores the caret with setSelectionRange after every change,
        # which a date input refuses (a console error per keystroke). A date input only reports complete
        # dates, so each change is applied at once (years still being typed, '0202-07-01', are skipped).
        html.Div(className="dates", children=[
            html.Div([html.Label("From", htmlFor=ids.DATE_FROM),
                      dcc.Input(id=ids.DATE_FROM, type="date", debounce=False, min=f"{first[:4]}-01-01" if first else None,
                                max=f"{last[:4]}-12-31" if last else None)]),
            html.Div([html.Label("To", htmlFor=ids.DATE_TO),
                      dcc.Input(id=ids.DATE_TO, type="date", debounce=False, min=f"{first[:4]}-01-01" if first else None,
                                max=f"{last[:4]}-12-31" if last else None)]),
        ]),
        html.P(id=ids.DATE_MESSAGE, className="date-message", role="status", **{"aria-live": "polite"}),
        html.Label("Search", htmlFor=ids.SEARCH),
        dcc.Input(id=ids.SEARCH, type="search", debounce=True, placeholder="Search events", maxLength=MAX_SEARCH_CHARS),
        html.P(LIMIT_NOTE, id=ids.SEARCH_NOTE, className="hint", hidden=True),
        dcc.Checklist(id=ids.INDEPENDENT, value=[], className="independent", options=[
            {"label": html.Span(["Independently sourced", html.Small(" (a source other than Russian or North Korean state media)")]),
             "value": INDEPENDENT_ON},
        ]),
        html.P(id=ids.COUNT, className="count", role="status", **{"aria-live": "polite"}),
        html.Div(className="buttons", children=[
            html.Button("Clear filters", id=ids.CLEAR, className="secondary"),
            html.Button("Download HTML", id=ids.HTML_DOWNLOAD_BUTTON, title="A report of this view that opens offline"),
        ]),
        dcc.Download(id=ids.HTML_DOWNLOAD),
    ])


def _detail() -> html.Section:
    # focusable (tabIndex -1) so assets/panel.js can move keyboard focus here when an event is chosen far away
    return html.Section(id=ids.DETAIL_PANEL, className="card detail", tabIndex="-1", **{"aria-labelledby": "detail-heading"}, children=[
        html.Div(className="detail-nav", children=[
            html.H2("Event", id="detail-heading"),
            html.Button("↩ Back", id=ids.DETAIL_BACK, className="link", hidden=True),
            html.Button("← Previous", id=ids.PREV, className="secondary", title="Previous event (←)"),
            html.Button("Next →", id=ids.NEXT, className="secondary", title="Next event (→)"),
        ]),
        html.Div(id=ids.DETAIL, children=detail_intro()),
    ])


def _story(slides: int) -> html.Section:
    # shown while the URL has ?story=N (callbacks.update_story fills it); assets/keys.js gives it ←, → and Escape;
    # data-slides: the last step, for the browser's ←/→ (callbacks.STEP_STORY)
    return html.Section(id=ids.STORY, className="card story", hidden=True,
                        **{"aria-labelledby": "story-heading", "data-slides": str(slides)}, children=[
        html.Div(className="detail-nav", children=[
            html.H2("Story", id="story-heading"),
            html.Span(id=ids.STORY_POSITION, className="story-position", role="status", **{"aria-live": "polite"}),
            html.Button("← Previous", id=ids.STORY_PREV, className="secondary", title="Previous slide (←)", disabled=True),
            html.Button("Next →", id=ids.STORY_NEXT, title="Next slide (→)", disabled=True),
            html.Button("Leave story", id=ids.STORY_LEAVE, className="secondary", title="Back to the explorer, filters as they were (Esc)"),
        ]),
        html.Div(id=ids.STORY_SLIDE, className="story-slide"),
    ])


def _about(snapshot: Snapshot) -> html.Section:
    first, last = date_span(snapshot.events)
    return html.Section(id=ids.ABOUT, className="card about", children=[
        html.H2("About the data"),
        html.P(f"{len(snapshot.events)} dated events of Russia–North Korea cooperation from {date_label(first)} to {date_label(last)}: "
               "the June 2024 treaty and its ratification, visits between Moscow and Pyongyang, the troop deployment to the Kursk region, "
               "casualty claims, munitions transfers, demining and rebuilding, memorials."),
        html.P("Every event lists the sources it rests on, each of which was read. Numbers are claims: each names who made it, and "
               "conflicting claims are kept side by side. A date is only as precise as its source: an event known to the month is drawn across that month."),
        html.P(["Newest event: ", html.Strong(date_label(last)), "."]),
        html.P(["How to cite: dprk-timeline contributors (2026), ", html.Em("Russia–North Korea cooperation since 2023: a sourced events dataset"),
                ". Please cite the event's own sources as well."]),
    ])


def _table() -> html.Section:
    view = TableView()
    return html.Section(className="card", **{"aria-labelledby": "table-heading"}, children=[
        html.Div(className="table-head", children=[
            html.H2("Events table", id="table-heading"),
            html.Label("Search the table", htmlFor=ids.TABLE_SEARCH, className="visually-hidden"),
            dcc.Input(id=ids.TABLE_SEARCH, type="search", debounce=True, placeholder="Search the table", maxLength=MAX_SEARCH_CHARS),
            html.Button("Download CSV", id=ids.TABLE_DOWNLOAD_BUTTON, className="secondary", title="All filtered events, for a spreadsheet"),
            dcc.Download(id=ids.TABLE_DOWNLOAD),
        ]),
        html.Div(className="table-wrap", children=html.Table(id=ids.TABLE, className="events", children=[
            html.Caption(id=ids.TABLE_CAPTION, className="visually-hidden"),
            html.Thead(html.Tr(header_cells(view, ids.sort_button))),
            html.Tbody(id=ids.TABLE_BODY),
        ])),
        html.Div(className="pager", children=[
            html.Button("← Previous page", id=ids.TABLE_PREV, className="secondary"),
            html.Span(id=ids.TABLE_PAGE_TEXT, role="status"),
            html.Button("Next page →", id=ids.TABLE_NEXT, className="secondary"),
        ]),
        dcc.Store(id=ids.TABLE_STATE, data=asdict(view)),
        dcc.Store(id=ids.TABLE_SHOWS),
    ])


def _chart(title: str, graph_id: str, note: str, text_id: str, section: dict | None = None, text: str = "",
           **graph) -> html.Section:
    # the chart itself is SVG/WebGL a screen reader cannot read: a text alternative (the callbacks fill
    # it for the filters) describes the section, and is read in place when reading the page through
    return html.Section(className="card", **(section or {}), **{"aria-label": title, "aria-describedby": text_id}, children=[
        html.H2(title), html.P(note, className="hint"),
        html.P(text, id=text_id, className="visually-hidden"),
        dcc.Graph(id=graph_id, config=graph_config(graph_id, **graph.pop("config", {})), **graph),
    ])


def _summary(snapshot: Snapshot) -> str:
    first, last = date_span(snapshot.events)
    span = f" from {date_label(first)} to {date_label(last)}" if first else ""
    return f"{len(snapshot.events):,} sourced events{span}."


def filters_button_text(active: int) -> str:
    return f"Filters ({active} active)" if active else "Filters"


def make_layout(snapshot: Snapshot, *, topojson_url: str, opening: tuple[str, dict, str] | None = None) -> html.Div:
    """The page. ``opening``: (key of its data, figure, text) of the unfiltered timeline, drawn with the page."""
    version, figure, text = opening or (None, None, "")
    return html.Div(className="app", children=[
        # first in the tab order: past the header and the filters, straight to the main view
        html.A("Skip to timeline", id=ids.SKIP, href=f"#{ids.TIMELINE_CARD}", className="skip-link"),
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.TIMELINE_DRAWN),  # set by assets/drawn.js once the first timeline is on screen
        dcc.Store(id=ids.OPENING, data=version),
        dcc.Store(id=ids.CLAIMS_WANTED),  # set by assets/drawn.js once the claims chart comes near the screen
        dcc.Store(id=ids.TABLE_WANTED),  # set by assets/drawn.js: whether the table is near the screen
        html.Header(className="top", children=[
            html.Div([
                html.H1("Russia–North Korea cooperation since 2023"),
                html.P(["What happened when, and who says so: ", _summary(snapshot), " ",
                        html.A("About the data", href=f"#{ids.ABOUT}")]),
            ]),
            html.Div(className="top-buttons", children=[
                html.Button("▶ Story", id=ids.STORY_START, className="story-start", title="A guided walk through the key events"),
                # shown on a narrow screen only (style.css), where the filters would push the timeline off the first screen
                html.Button(filters_button_text(0), id=ids.FILTERS_TOGGLE, className="filters-toggle secondary",
                            **{"aria-controls": ids.FILTERS, "aria-expanded": "false"}),
            ]),
        ]),
        html.Div(id=ids.BANNER, className="banner", role="alert", children=banner(snapshot.problems), hidden=not snapshot.problems),
        html.P(id=ids.LINK_NOTICE, className="notice", role="status", hidden=True),
        # said after each change without moving focus; the count in the filters is hidden with them on a phone
        html.P(id=ids.ANNOUNCE, className="visually-hidden", role="status", **{"aria-live": "polite"}),
        html.Div(className="page", children=[
            _filters(snapshot),
            html.Main(children=[
                _story(slide_count(snapshot.events)),
                _chart("Timeline", ids.TIMELINE, "One lane per category. Hollow markers and pale bars: known only to the month. Zoom to set the date filter; double-click to reset.", ids.TIMELINE_TEXT,
                       # focusable (tabIndex -1) so the skip link moves keyboard focus here, not only the view
                       section={"id": ids.TIMELINE_CARD, "tabIndex": "-1"},
                       style={"height": f"{TIMELINE_HEIGHT}px"}, text=text, **({"figure": figure} if figure else {})),
                _detail(),
                html.Div(className="grid", children=[
                    _chart("Places", ids.MAP, "Circle size: number of events. Click a place to filter to it.", ids.MAP_TEXT,
                           config={"topojsonURL": topojson_url}, style={"height": f"{MAP_HEIGHT}px"}),
                    _chart("Events per month", ids.MONTHLY, "Drag across months to set the date filter.", ids.MONTHLY_TEXT, style={"height": f"{MONTHLY_HEIGHT}px"}),
                ]),
                _chart("Reported figures", ids.CLAIMS, "Numbers as claimed, a panel per quantity: each claimant's successive estimates joined in time order and named at the latest. ▲ more than / at least, ▼ up to, ○ about.", ids.CLAIMS_TEXT,
                       style={"height": f"{CLAIMS_HEIGHT}px"}),
                _table(),
                _about(snapshot),
            ]),
        ]),
    ])
