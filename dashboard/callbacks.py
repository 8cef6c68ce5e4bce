"""Dash callbacks: thin glue from component values to the pure functions."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, ctx, dcc, no_update

from . import ids
from .detail import download_csv, event_detail, table_rows
from .figures import chart_claimants, claims_figure, map_figure, monthly_figure, timeline_figure
from .filters import Filters, apply_filters
from .state import from_controls, range_from_relayout, range_from_selection, step_event


def _picker_dates(filters: Filters) -> tuple[str | None, str | None]:
    """Partial dates from a URL ('2024-12') as the full days a date picker shows."""
    import pandas as pd
    from .dates import parse_partial_dates
    bounds = parse_partial_dates(pd.Series([filters.start, filters.end]))
    start = bounds["start"].iat[0]
    stop = bounds["stop"].iat[1]
    return (start.strftime("%Y-%m-%d") if pd.notna(start) else None,
            (stop - pd.Timedelta(days=1)).strftime("%Y-%m-%d") if pd.notna(stop) else None)


def register_callbacks(app: Dash, source) -> None:
    @app.callback(
        Output(ids.URL, "search"), Output(ids.CATEGORY, "value"), Output(ids.ACTOR, "value"),
        Output(ids.DATES, "start_date"), Output(ids.DATES, "end_date"), Output(ids.SEARCH, "value"),
        Input(ids.URL, "search"), Input(ids.CATEGORY, "value"), Input(ids.ACTOR, "value"),
        Input(ids.DATES, "start_date"), Input(ids.DATES, "end_date"), Input(ids.SEARCH, "value"),
        Input(ids.CLEAR, "n_clicks"), Input(ids.MAP, "clickData"), Input(ids.MONTHLY, "selectedData"),
        Input(ids.TIMELINE, "relayoutData"), Input(ids.TIMELINE, "clickData"), Input(ids.CLAIMS, "clickData"),
        Input(ids.TABLE, "cellClicked"), Input(ids.PREV, "n_clicks"), Input(ids.NEXT, "n_clicks"),
    )
    def sync_url_and_controls(search, categories, actors, start, end, text, _clear, map_click, month_sel,
                              relayout, timeline_click, claims_click, cell, _prev, _next):
        # the URL is the state before this change; on first load and back/forward it wins
        filters, event = Filters.from_query(search)
        trigger = ctx.triggered_id
        if trigger in (ids.CATEGORY, ids.ACTOR, ids.DATES, ids.SEARCH):
            filters = from_controls(categories, actors, start, end, text, filters.place)
        elif trigger == ids.CLEAR:
            filters, event = Filters(), ""
        elif trigger == ids.MAP and map_click:
            place = map_click["points"][0]["customdata"]
            filters = filters.with_changes(place="" if place == filters.place else place)
        elif trigger in (ids.MONTHLY, ids.TIMELINE) and ctx.triggered_prop_ids:
            prop = next(iter(ctx.triggered_prop_ids))
            if prop.endswith("clickData"):
                event = timeline_click["points"][0]["customdata"] if timeline_click else event
            else:
                span = range_from_selection(month_sel) if trigger == ids.MONTHLY else range_from_relayout(relayout)
                if span is not None:
                    filters = filters.with_changes(start=span[0], end=span[1])
        elif trigger == ids.CLAIMS and claims_click:
            event = claims_click["points"][0]["customdata"]
        elif trigger == ids.TABLE and cell:
            event = cell.get("rowId") or event
        elif trigger in (ids.PREV, ids.NEXT):
            event = step_event(source.current().events, filters, event, -1 if trigger == ids.PREV else 1)
        query = filters.to_query(event)
        picker = _picker_dates(filters)
        new = (list(filters.categories), list(filters.actors), picker[0], picker[1], filters.text)
        old = (categories or [], actors or [], start, end, text or "")
        # leave controls that already show the right value alone, so a click made while
        # this callback runs (e.g. just after page load) is not overwritten
        controls = tuple(no_update if n == o else n for n, o in zip(new, old))
        return (query if query != (search or "") else no_update, *controls)

    @app.callback(
        Output(ids.TIMELINE, "figure"), Output(ids.MAP, "figure"), Output(ids.MONTHLY, "figure"),
        Output(ids.CLAIMS, "figure"), Output(ids.TABLE, "rowData"), Output(ids.COUNT, "children"),
        Output(ids.DETAIL, "children"),
        Input(ids.URL, "search"),
    )
    def update_views(search):
        snapshot = source.current()
        filters, event = Filters.from_query(search)
        view = apply_filters(snapshot.events, filters)
        count = f"Showing {len(view):,} of {len(snapshot.events):,} events" + (f" · place: {filters.place}" if filters.place else "")
        chosen = snapshot.events[snapshot.events["id"] == event]
        detail = event_detail(chosen.iloc[0]) if len(chosen) else no_update
        return (timeline_figure(view, selected=event or None), map_figure(view), monthly_figure(view),
                claims_figure(view, claimants=chart_claimants(snapshot.events)), table_rows(view), count, detail)

    @app.callback(Output(ids.TABLE, "dashGridOptions"), Input(ids.TABLE_SEARCH, "value"), prevent_initial_call=True)
    def search_table(text):
        options = Patch()
        options["quickFilterText"] = text or ""
        return options

    @app.callback(Output(ids.TABLE_DOWNLOAD, "data"), Input(ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"),
                  State(ids.URL, "search"), prevent_initial_call=True)
    def download_table(_clicks, search):
        filters, _ = Filters.from_query(search)
        return dcc.send_string(download_csv(apply_filters(source.current().events, filters)), "dprk-timeline-events.csv")

    @app.callback(Output(ids.HTML_DOWNLOAD, "data"), Input(ids.HTML_DOWNLOAD_BUTTON, "n_clicks"),
                  State(ids.URL, "search"), prevent_initial_call=True)
    def download_html(_clicks, search):
        from .report import report_html  # the report module is only needed for this click
        filters, _ = Filters.from_query(search)
        return dcc.send_string(report_html(source.current().events, filters), "dprk-timeline.html")
