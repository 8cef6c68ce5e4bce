"""Dash callbacks: thin glue from component values to the pure functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from functools import lru_cache

import hashlib
import json

import flask
import plotly.graph_objects as go
import plotly.io as pio
import pandas as pd
from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from . import ids
from ..views.describe import claims_text, map_text, monthly_text, timeline_text
from ..views.detail import detail_intro, download_csv, event_detail, outside_note
from ..views.figures import chart_claimants, claims_figure, map_figure, monthly_figure, timeline_figure
from ..views.figures.monthly import bar_months, highlight_months
from ..data.dates import parse_partial_dates
from ..data.filters import Filters, apply_filters, canonical
from .layout import filters_button_text
from ..views.filenames import chart_filename
from .link import Known, Link, notice_text, read_link
from ..data.datasource import Snapshot
from ..data.registry import Registry
from ..data.search import LIMIT_NOTE, search_is_cut, search_words
from .state import (INDEPENDENT_ON, STORY_KEY, clicked, date_range_message, from_controls, next_table_view, range_from_relayout,
                    range_from_selection, step_event, step_story, with_story, year_in_progress)
from ..views.story import position_text, slide, story_timeline
from ..views.table import COLUMNS, PAGE_SIZE, TableView, header_labels, page_of, sort_events, table_body, table_view


def _input_dates(filters: Filters) -> tuple[str | None, str | None]:
    """Partial dates from a URL ('2024-12') as the full days a date input shows."""
    bounds = parse_partial_dates(pd.Series([filters.start, filters.end]))
    start, stop = bounds["start"].iat[0], bounds["stop"].iat[1]
    return (start.strftime("%Y-%m-%d") if pd.notna(start) else None,
            (stop - pd.Timedelta(days=1)).strftime("%Y-%m-%d") if pd.notna(stop) else None)


# The URL with its story step moved by the clicks on ← and → since the last run (state.step_story's
# rule, 0 .. the last slide); nothing outside a story. Counting clicks, not runs: clicks that come
# together are handled in one run. The panel carries the last step (layout._story).
STEP_STORY = f"""function (prev, next, search) {{
    var api = window.dash_clientside, seen = window.__dprkStoryClicks || {{prev: 0, next: 0}};
    prev = prev || 0; next = next || 0;
    var delta = (next - seen.next) - (prev - seen.prev);
    window.__dprkStoryClicks = {{prev: prev, next: next}};
    var match = /([?&]{STORY_KEY}=)(\\d+)(?=&|$)/.exec(search || ""), panel = document.getElementById("{ids.STORY}");
    if (!match || !panel || !delta) return api.no_update;
    var last = parseInt(panel.getAttribute("data-slides") || "0", 10), step = parseInt(match[2], 10);
    var to = Math.max(0, Math.min(last, step + delta));
    if (to === step) return api.no_update;
    return search.slice(0, match.index) + match[1] + to + search.slice(match.index + match[0].length);
}}"""


def wire(figure: go.Figure | dict) -> dict:
    """A figure as the plain dict its JSON is made from, with arrays already in plotly's base64 form.

    The caches keep figures this way: Dash would otherwise deep-copy a cached Figure and encode its
    arrays again for every response (about 100 ms per view at 100k events)."""
    return json.loads(pio.to_json(figure, validate=False)) if isinstance(figure, go.Figure) else figure


def named(figure: dict, filename: str) -> dict:
    """A (cached) figure dict with the name its downloaded images get, without changing the cached one."""
    layout = figure.get("layout", {})
    return {**figure, "layout": {**layout, "meta": {**(layout.get("meta") or {}), "filename": filename}}}


def register_callbacks(app: Dash, source) -> tuple[Callable[[], None], Callable[[Snapshot], tuple[str, dict, str]]]:
    """Register every callback on ``app``. Returns a function that precomputes the first view, and one that
    gives a snapshot's unfiltered timeline for the page to come with: (its key for OPENING, figure, text)."""
    @app.callback(
        Output(ids.URL, "search"), Output(ids.CATEGORY, "value"), Output(ids.ACTOR, "value"),
        Output(ids.DATE_FROM, "value"), Output(ids.DATE_TO, "value"), Output(ids.SEARCH, "value"),
        Output(ids.INDEPENDENT, "value"),
        Output(ids.LINK_NOTICE, "children"), Output(ids.LINK_NOTICE, "hidden"),
        Output(ids.DATE_MESSAGE, "children"),
        Input(ids.URL, "search"), Input(ids.CATEGORY, "value"), Input(ids.ACTOR, "value"),
        Input(ids.DATE_FROM, "value"), Input(ids.DATE_TO, "value"), Input(ids.SEARCH, "value"),
        Input(ids.INDEPENDENT, "value"),
        Input(ids.CLEAR, "n_clicks"), Input(ids.MAP, "clickData"), Input(ids.MONTHLY, "selectedData"),
        Input(ids.TIMELINE, "relayoutData"), Input(ids.TIMELINE, "clickData"), Input(ids.CLAIMS, "clickData"),
        Input(ids.PREV, "n_clicks"), Input(ids.NEXT, "n_clicks"),
        Input(ids.STORY_START, "n_clicks"), Input(ids.STORY_LEAVE, "n_clicks"),
    )
    def sync_url_and_controls(search, categories, actors, start, end, text, independent, _clear, map_click, month_sel,
                              relayout, timeline_click, claims_click, _prev, _next, *_story):
        # the URL is the state before this change; on first load and back/forward it wins, less
        # the values the data does not know (dropped from the URL and named in the notice)
        version, link = current_link(search)
        filters, event, story = link.filters, link.event, link.story
        trigger = ctx.triggered_id
        events = source.current().events
        if trigger in (ids.DATE_FROM, ids.DATE_TO) and year_in_progress(start if trigger == ids.DATE_FROM else end):
            raise PreventUpdate
        inverted = False
        if trigger in (ids.CATEGORY, ids.ACTOR, ids.DATE_FROM, ids.DATE_TO, ids.SEARCH, ids.INDEPENDENT):
            typed = from_controls(categories, actors, start, end, text, filters.place, independent)
            inverted = bool(typed.start and typed.end and typed.start > typed.end)
            # From after To is said under the inputs and not applied: the view keeps the dates it had
            filters = typed.with_changes(start=filters.start, end=filters.end) if inverted else typed
        elif trigger == ids.CLEAR:
            filters, event = Filters(), ""
        elif trigger == ids.MAP and (place := clicked(map_click)) is not None:
            filters = filters.with_changes(place="" if place == filters.place else place)
        elif trigger in (ids.MONTHLY, ids.TIMELINE) and ctx.triggered_prop_ids:
            prop = next(iter(ctx.triggered_prop_ids))
            if prop.endswith("clickData"):
                # count bars (shown when too many events to draw one by one) carry no event id
                event = clicked(timeline_click) or event
            else:
                if trigger == ids.MONTHLY:  # whole bars of the chart on screen (views() has it cached)
                    span = range_from_selection(month_sel, bar_months(views(*state(search)[:2])[1])) if month_sel else None
                else:  # (a story frames its slide's event itself: that is no date filter)
                    span = range_from_relayout(relayout) if story is None else None
                if span is not None:
                    filters = filters.with_changes(start=span[0], end=span[1])
        elif trigger == ids.CLAIMS and (chosen := clicked(claims_click)) is not None:
            event = chosen
        elif trigger in (ids.PREV, ids.NEXT):
            event = step_event(events, filters, event, -1 if trigger == ids.PREV else 1)
        elif trigger in (ids.STORY_START, ids.STORY_LEAVE):
            # the filters and the selected event stay in the URL all along: leaving the story restores them
            story = step_story(trigger, story, known(version).slides)
        # a typed date outside the supported years is dropped too, as it would be from a link
        checked = read_link(with_story(filters.to_query(event), story), known(version))
        filters, event = checked.filters, checked.event
        query = with_story(filters.to_query(event), checked.story)
        dates = (start or None, end or None) if inverted else _input_dates(filters)
        new = (list(filters.categories), list(filters.actors), *dates, filters.text,
               [INDEPENDENT_ON] if filters.independent else [])
        old = (categories or [], actors or [], start or None, end or None, text or "", independent or [])
        # leave controls that already show the right value alone, so a click made while
        # this callback runs (e.g. just after page load) is not overwritten
        controls = tuple(no_update if n == o else n for n, o in zip(new, old))
        # a notice about the link as opened stays until the view changes (a chart's redraw is no change)
        notice = (no_update, no_update)
        if trigger in (None, ids.URL, ids.CLEAR) or checked.ignored or query != (search or ""):
            message = notice_text(link.ignored) if trigger in (None, ids.URL) else notice_text(checked.ignored, in_link=False)
            notice = (message, not message)
        return (query if query != (search or "") else no_update, *controls, *notice, date_range_message(*dates, events))

    # Work is cached per data version and filters. Each request reads the source once (in
    # state()) and the cached functions look its frame up by version, so one response never
    # mixes an old and a new version of the file.
    # The keys are the canonical filters (only values that exist in the data, the search as its
    # words), so what a request sends is never kept, and equal views share one entry.
    frames: dict[int, pd.DataFrame] = {}
    registries: dict[int, Registry] = {}
    retired: dict[int, dict[str, str]] = {}
    openings: dict[int, str] = {}  # what a page holds in OPENING for the timeline it came with

    def remember(snapshot: Snapshot) -> int:
        if snapshot.version not in frames:
            frames[snapshot.version] = snapshot.events
            registries[snapshot.version] = snapshot.registry
            retired[snapshot.version] = dict(snapshot.retired)
            # (the data's own token where it has one: another worker process numbers its versions itself)
            openings[snapshot.version] = snapshot.token or f"v{snapshot.version}"
            for old in sorted(frames)[:-2]:  # the previous version stays for requests still using it
                del frames[old], registries[old], retired[old], openings[old]
        return snapshot.version

    def current_link(search: str | None) -> tuple[int, Link]:
        version = remember(source.current())
        # a link to a retired id (e.g. a merged duplicate) selects the event that replaces it
        return version, read_link(search, known(version), retired[version])

    def state(search: str | None) -> tuple[int, str, str]:
        return canonical_state(*current_link(search))

    def canonical_state(version: int, link: Link) -> tuple[int, str, str]:
        filters, event = canonical(link.filters, link.event, known(version))
        return version, filters.to_query(), event

    @lru_cache(maxsize=4)
    def positions(version: int) -> pd.Index:
        return pd.Index(frames[version]["id"])

    @lru_cache(maxsize=4)
    def known(version: int) -> Known:
        return Known.of(frames[version])

    @lru_cache(maxsize=4)
    def claimants(version: int) -> tuple[str, ...]:
        # fixed per dataset, so a claimant keeps its colour whatever the filters
        return tuple(chart_claimants(frames[version]))

    @lru_cache(maxsize=32)
    def filtered(version: int, query: str) -> pd.DataFrame:
        return apply_filters(frames[version], Filters.from_query(query)[0])

    def count_text(version: int, query: str) -> str:
        place = Filters.from_query(query)[0].place
        return f"Showing {len(filtered(version, query)):,} of {len(frames[version]):,} events" + (f" · place: {place}" if place else "")

    @lru_cache(maxsize=32)
    def views(version: int, query: str) -> tuple:
        view = filtered(version, query)
        filters = Filters.from_query(query)[0]
        count = count_text(version, query)
        # the monthly chart keeps every month of the other filters and highlights the dates chosen,
        # so a brush there can widen the range again
        undated_query = filters.with_changes(start="", end="").to_query()
        dates = (filters.start, filters.end)
        monthly = highlight_months(monthly_bars(version, undated_query), dates)
        # (the claims chart's text too: a screen reader reads it wherever the chart is, drawn or not)
        return (wire(map_figure(view)), monthly, count, map_text(view),
                monthly_text(filtered(version, undated_query), dates), claims_text(view))

    @lru_cache(maxsize=8)
    def monthly_bars(version: int, undated_query: str) -> dict:
        # the bars count every date of the other filters: a zoom or a brush only moves the highlight
        return wire(monthly_figure(filtered(version, undated_query)))

    @lru_cache(maxsize=32)
    def claims_view(version: int, query: str) -> dict:
        return wire(claims_figure(filtered(version, query), claimants=claimants(version), registry=registries[version]))

    @lru_cache(maxsize=64)
    def timeline(version: int, query: str, event: str):
        return wire(timeline_figure(filtered(version, query), selected=event or None))

    @lru_cache(maxsize=32)
    def timeline_words(version: int, query: str) -> str:
        return timeline_text(filtered(version, query))

    @lru_cache(maxsize=16)
    def sorted_rows(version: int, query: str, view: TableView) -> pd.DataFrame:
        return sort_events(filtered(version, query), view)

    # On page load the timeline is drawn first and the other charts are asked for once it is on
    # screen (assets/drawn.js sets TIMELINE_DRAWN): drawing all four at once keeps the timeline, the
    # main view, off the screen until the slowest of them is done. Later changes update every view at once.
    # Each chart's downloaded images are named after what it shows. The name rides in the figure
    # (layout.meta.filename, read by assets/svg-download.js at the click): a new config would make
    # plotly draw the whole chart again from scratch on every change of the filters.
    @lru_cache(maxsize=32)
    def image_names(version: int, query: str) -> tuple[str, str, str]:
        filters = Filters.from_query(query)[0]
        view, undated = filtered(version, query), filtered(version, filters.with_changes(start="", end="").to_query())
        return (chart_filename("map", view, filters),
                chart_filename("monthly", undated, filters.with_changes(start="", end="")),
                chart_filename("claims", view, filters))

    @app.callback(Output(ids.MAP, "figure"), Output(ids.MONTHLY, "figure"),
                  Output(ids.COUNT, "children"), Output(ids.MAP_TEXT, "children"), Output(ids.MONTHLY_TEXT, "children"),
                  Output(ids.CLAIMS_TEXT, "children"), Output(ids.SEARCH_NOTE, "hidden"),
                  Input(ids.URL, "search"), Input(ids.TIMELINE_DRAWN, "data"))
    def update_views(search, drawn):
        if not drawn:  # the page has just loaded: wait for the timeline
            raise PreventUpdate
        version, query, _ = state(search)
        map_fig, monthly_fig, *texts = views(version, query)
        names = image_names(version, query)
        return (named(map_fig, names[0]), named(monthly_fig, names[1]), *texts,
                not search_is_cut(Filters.from_query(search)[0].text))

    # The reported-figures chart, the page's heaviest, sits below the first screen: it is drawn once it
    # comes near the screen or the page is printed (assets/drawn.js sets CLAIMS_WANTED), and then follows
    # every change. A first visit that never scrolls there does not download it (~80 kB at 100k events).
    @app.callback(Output(ids.CLAIMS, "figure"), Input(ids.URL, "search"), Input(ids.CLAIMS_WANTED, "data"))
    def update_claims(search, wanted):
        if not wanted:
            raise PreventUpdate
        version, query, _ = state(search)
        return named(claims_view(version, query), image_names(version, query)[2])

    @lru_cache(maxsize=8)
    def story_figure(version: int, step: int):
        return wire(story_timeline(frames[version], step))

    def timeline_view(version: int, query: str, event: str) -> dict:
        filters = Filters.from_query(query)[0]
        return named(timeline(version, query, event), chart_filename("timeline", filtered(version, query), filters))

    def opening_timeline(snapshot: Snapshot) -> tuple[str, dict, str]:
        version = remember(snapshot)
        figure = timeline_view(version, "", "")
        # marked, so assets/drawn.js can tell it from the view a link asks for
        figure = {**figure, "layout": {**figure["layout"], "meta": {**figure["layout"]["meta"], "opening": True}}}
        return openings[version], figure, timeline_words(version, "")

    # The page comes with the unfiltered timeline (opening_timeline, app.py), so on a plain visit the main
    # view is drawn as soon as the page is, a round trip or two before any callback could draw it. A link
    # with filters or a story gets its own view here (assets/drawn.js hides the opening one until then).
    # (the page's version stays in OPENING until the timeline first gets a figure from here: until then the
    # chart still shows the page's own, whatever the URL did in between)
    @app.callback(Output(ids.TIMELINE, "figure"), Output(ids.TIMELINE_TEXT, "children"), Output(ids.OPENING, "data"),
                  Input(ids.URL, "search"), State(ids.OPENING, "data"))
    def update_timeline(search, opened):
        # in a story the timeline shows every event, the slide's one ringed and in view
        # (one reading of the link: the story step and the view come from the same version of the data)
        version, link = current_link(search)
        # (a plain address only: any other, even one that comes to the same view, gets its figure, whose
        # drawing shows the timeline assets/drawn.js hid for it)
        if not (search or "").lstrip("?") and opened == openings[version]:
            raise PreventUpdate  # the chart shows this very view
        step = link.story
        _, query, event = canonical_state(version, link)
        if step is not None:
            return (named(story_figure(version, step), chart_filename("timeline", frames[version])),
                    timeline_words(version, ""), None)
        return timeline_view(version, query, event), timeline_words(version, query), None

    @app.callback(Output(ids.STORY, "hidden"), Output(ids.STORY_START, "hidden"), Output(ids.STORY_SLIDE, "children"),
                  Output(ids.STORY_POSITION, "children"), Output(ids.STORY_PREV, "disabled"), Output(ids.STORY_NEXT, "disabled"),
                  Input(ids.URL, "search"))
    def update_story(search):
        version, link = current_link(search)
        step, slides = link.story, known(version).slides
        if step is None:
            return True, not slides, [], "", True, True
        return (False, True, slide(frames[version], step, registries[version]), position_text(step, slides),
                step == 0, step >= slides)

    @app.callback(Output(ids.DETAIL, "children"), Output(ids.ANNOUNCE, "children"), Input(ids.URL, "search"))
    def update_detail(search):
        # always what the URL says: the selected event (known to exist), or the intro without one;
        # the live region says the count and the event's title (read out only when they change)
        version, query, event = state(search)
        count = count_text(version, query) + "."
        if not event:
            return detail_intro(), count
        events, shown = frames[version], filtered(version, query)
        # (a hash lookup: comparing 100k ids took ~60 ms; a frame given to create_app unvalidated may repeat one)
        chosen = events.iloc[positions(version).get_loc(event)]
        chosen = chosen.iloc[0] if isinstance(chosen, pd.DataFrame) else chosen
        detail = event_detail(chosen, registries[version])
        if chosen.name not in shown.index:
            detail.insert(0, outside_note(len(shown), Filters().to_query(event)))
        return detail, f"{count} Event: {chosen['title']}"

    # The table, at the foot of the page, follows the filters while it is near the screen (assets/drawn.js
    # sets TABLE_WANTED), and catches up when it comes near: each of its rows is a handful of Dash components,
    # and rendering 25 new rows took ~120 ms of every change of the view, a zoom's included, seen or not.
    @app.callback(
        Output(ids.TABLE_BODY, "children"), Output({"type": ids.TABLE_SORT, "column": ALL}, "children"),
        Output(ids.TABLE_CAPTION, "children"), Output(ids.TABLE_PAGE_TEXT, "children"), Output(ids.TABLE_STATE, "data"),
        Output(ids.TABLE_PREV, "disabled"), Output(ids.TABLE_NEXT, "disabled"), Output(ids.TABLE_SHOWS, "data"),
        Input(ids.URL, "search"), Input(ids.TABLE_SEARCH, "value"), Input({"type": ids.TABLE_SORT, "column": ALL}, "n_clicks"),
        Input(ids.TABLE_PREV, "n_clicks"), Input(ids.TABLE_NEXT, "n_clicks"), Input(ids.TABLE_WANTED, "data"),
        State(ids.TABLE_STATE, "data"), State(ids.TABLE_SHOWS, "data"),
    )
    def update_table(search, text, _sorts, _prev, _next, wanted, table_state, shows):
        if not wanted and ctx.triggered_id in (None, ids.URL, ids.TABLE_WANTED):
            raise PreventUpdate  # (the table's own controls are used only where it is seen)
        version, query, _ = state(search)
        # the rows depend on the data and the filters as the link gives them (not the event chosen); kept as a
        # digest: the link can be long, and is the reader's own
        links = Filters.from_query(search)[0]
        made_for = hashlib.sha256(f"{openings[version]}\n{links.to_query()}".encode()).hexdigest()
        if ctx.triggered_id in (ids.URL, ids.TABLE_WANTED) and shows == made_for:
            # another event chosen, or back near the screen, and the rows are still this view's: they stay as
            # they are, on the page the reader was on (and a row being clicked is not replaced under the pointer)
            raise PreventUpdate
        view = next_table_view(table_view(table_state), ctx.triggered_id, text)
        ordered = sorted_rows(version, query, replace(view, page=0, search=" ".join(search_words(view.search))))
        rows, page, pages = page_of(ordered, view)
        view = replace(view, page=page)
        total = len(ordered)
        first = page * PAGE_SIZE
        # (links keep the filters as the reader wrote them, not the canonical cache key)
        return (table_body(rows, links, registries[version]), header_labels(view),
                f"Events, sorted by {COLUMNS[view.sort].lower()}, {'descending' if view.descending else 'ascending'}",
                f"Rows {first + 1 if total else 0:,}–{first + len(rows):,} of {total:,}"
                + (f" · {LIMIT_NOTE[0].lower()}{LIMIT_NOTE[1:]}" if search_is_cut(view.search) else ""), asdict(view),
                page == 0, page >= pages - 1, made_for)

    def warm() -> None:
        """Work out the unfiltered view once up front: it is what every visitor sees first."""
        version, _, _ = state("")
        views(version, "")  # (not the claims chart: it is drawn only once a reader scrolls to it)
        timeline(version, "", "")
        sorted_rows(version, "", TableView())

    @app.callback(Output(ids.TABLE_DOWNLOAD, "data"), Input(ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"),
                  State(ids.URL, "search"), State(ids.TABLE_STATE, "data"), prevent_initial_call=True)
    def download_table(_clicks, search, table_state):
        # the rows the table holds (its own search and order too), on every page
        version, query, _ = state(search)
        rows = sorted_rows(version, query, replace(TableView(**(table_state or {})), page=0))
        return dcc.send_string(download_csv(rows), "dprk-timeline-events.csv")

    @app.callback(Output(ids.HTML_DOWNLOAD, "data"), Input(ids.HTML_DOWNLOAD_BUTTON, "n_clicks"),
                  State(ids.URL, "search"), prevent_initial_call=True)
    def download_html(_clicks, search):
        from ..publish.report import dashboard_url_problem, report_filename, report_html  # only needed for this click
        _, link = current_link(search)
        snapshot, filters, event = source.current(), link.filters, link.event
        # the address this page was opened on, so the report links back to the same view here
        here = flask.request.host_url.rstrip("/") + app.config.requests_pathname_prefix
        html = report_html(snapshot.events, filters, event=event, dashboard_url="" if dashboard_url_problem(here) else here,
                           registry=snapshot.registry, retired=snapshot.retired)
        return dcc.send_string(html, report_filename(filters, event))

    @app.callback(Output(ids.FILTERS_TOGGLE, "children"), Input(ids.URL, "search"))
    def update_filters_button(search):
        return filters_button_text(Filters.from_query(search)[0].active)

    # ← and → in a story step from the URL as it is now, in the browser: through the server, two quick
    # clicks read the same URL (the first answer is dropped when the second click is sent) and made one step
    app.clientside_callback(STEP_STORY, Output(ids.URL, "search", allow_duplicate=True),
                            Input(ids.STORY_PREV, "n_clicks"), Input(ids.STORY_NEXT, "n_clicks"), State(ids.URL, "search"),
                            prevent_initial_call=True)

    # opening and closing the filters on a phone needs no server
    app.clientside_callback(
        """function (clicks) {
            var open = (clicks || 0) % 2 === 1;
            return [open ? "filters open" : "filters", open ? "true" : "false"];
        }""",
        Output(ids.FILTERS, "className"), Output(ids.FILTERS_TOGGLE, "aria-expanded"),
        Input(ids.FILTERS_TOGGLE, "n_clicks"), prevent_initial_call=True)

    return warm, opening_timeline
