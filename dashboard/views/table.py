"""The events table: a plain HTML table rendered on the server, one page at a time.

A real <table> is the accessible equivalent of the charts (screen readers know it),
costs the browser nothing to load, and stays fast at 100k events because only the
page being read is sent. Each title links to the same view with that event selected.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dash import dcc, html

from ..data.filters import Filters, filter_mask
from .labels import date_labels
from ..data.registry import Registry, bundled_registry
from ..data.schema import load_schema
from ..data.search import MAX_SEARCH_CHARS

# Rows a page. Every cell is a Dash component, and Dash's renderer does work for each new one in proportion
# to all the components on the page: at 50 rows (~450 new components per change) the table alone took
# ~300 ms of every filter change or zoom in the browser; at 25 about a quarter of that.
PAGE_SIZE = 25
COLUMNS = {"date": "Date", "category": "Category", "title": "Title", "actors": "Actors", "place": "Place", "sources": "Sources"}


@dataclass(frozen=True)
class TableView:
    sort: str = "date"
    descending: bool = False
    page: int = 0
    search: str = ""


def table_view(data) -> TableView:
    """The table's view from its store, as the browser sent it back: anything unknown or of the
    wrong type is the default (a page beyond the last is clamped by page_of)."""
    data = data if isinstance(data, dict) else {}
    sort, descending, page, search = (data.get(k) for k in ("sort", "descending", "page", "search"))
    return TableView(
        sort=sort if isinstance(sort, str) and sort in COLUMNS else "date",
        descending=descending is True,
        page=page if isinstance(page, int) and not isinstance(page, bool) and 0 <= page < 2**31 else 0,
        search=search[:MAX_SEARCH_CHARS] if isinstance(search, str) else "",
    )


def sort_events(events: pd.DataFrame, view: TableView) -> pd.DataFrame:
    """Filtered events, narrowed by the table's own search, in the chosen order."""
    if view.search.strip():
        events = events[filter_mask(events, Filters(text=view.search))]
    keys = {
        "date": ["start", "end", "id"],
        "category": ["category", "start", "id"],
        "title": ["title", "start"],
        "actors": ["_actors", "start"],
        "place": ["place", "start"],
        "sources": ["_sources", "start"],
    }[view.sort if view.sort in COLUMNS else "date"]
    if "_actors" in keys or "_sources" in keys:
        events = events.assign(_actors=events["actors"].map("; ".join), _sources=events["sources"].map(len))
    return events.sort_values(keys, ascending=not view.descending, kind="stable")


def page_of(events: pd.DataFrame, view: TableView) -> tuple[pd.DataFrame, int, int]:
    """The rows of the current page, the clamped page number and the number of pages."""
    pages = max(1, -(-len(events) // PAGE_SIZE))
    page = min(max(view.page, 0), pages - 1)
    return events.iloc[page * PAGE_SIZE:(page + 1) * PAGE_SIZE], page, pages


def table_body(rows: pd.DataFrame, filters: Filters, registry: Registry | None = None) -> list[html.Tr]:
    """The rows of one page; each source count comes with its publishers' types (``registry``: the bundled one by default)."""
    labels = load_schema().category_labels
    registry = registry or bundled_registry()
    dates = date_labels(rows)
    return [
        html.Tr(**{"data-event": row.id}, children=[
            # data-label: the column's name, which a phone shows inside each row's card (style.css)
            html.Td(dates.iat[i], className="nowrap", **{"data-label": COLUMNS["date"]}),
            html.Td(labels[row.category], **{"data-label": COLUMNS["category"]}),
            html.Th(dcc.Link(row.title, href=filters.to_query(row.id) or "?", title="Show this event"), scope="row"),
            html.Td("; ".join(row.actors), **{"data-label": COLUMNS["actors"]}),
            html.Td(row.place, **{"data-label": COLUMNS["place"]}),
            html.Td([str(len(row.sources)), *_source_types(row.sources, registry)], className="num", **{"data-label": COLUMNS["sources"]}),
        ])
        for i, row in enumerate(rows.itertuples(index=False))
    ]


def _source_types(sources: list[dict], registry: Registry) -> list:
    """A badge per kind of source an event rests on ('state media', 'wire agency', ...), each once, with the
    publishers of that kind in its tooltip."""
    kinds: dict[tuple[str, bool], list[str]] = {}
    for source in sources:
        for tag in registry.source_tags(source["publisher"])[:1]:
            kinds.setdefault(tag, []).append(source["publisher"])
    return [html.Span(tag, className="ptype state" if state else "ptype", title="; ".join(dict.fromkeys(names)))
            for (tag, state), names in kinds.items()]


def header_labels(view: TableView) -> list[str]:
    """Column headings, the sorted one with its direction arrow."""
    return [label + ((" ▼" if view.descending else " ▲") if key == view.sort else "") for key, label in COLUMNS.items()]


def header_cells(view: TableView, button_id) -> list[html.Th]:
    return [
        html.Th(html.Button(text, id=button_id(key), className="sort", title=f"Sort by {label.lower()}"), scope="col",
                **{"aria-sort": ("descending" if view.descending else "ascending") if key == view.sort else "none"})
        for text, (key, label) in zip(header_labels(view), COLUMNS.items())
    ]
