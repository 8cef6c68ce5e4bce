"""The detail panel and table rows of events: plain Dash components, all CSV text shown as text."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
from dash import dcc, html

from ..data.archive import HINT as ARCHIVE_HINT, LABEL as ARCHIVE_LABEL, archive_lookup_url
from ..data.cells import format_figure, is_http_url
from .labels import date_label, date_labels, figure_text
from ..data.registry import Registry, bundled_registry
from ..data.schema import load_schema

INTRO = ("Click an event on the timeline, the reported-figures chart or the table to see what happened and who says so; "
         "← Previous and Next → (or the arrow keys) step through the events shown.")


def detail_intro() -> html.P:
    """What the panel says when no event is selected."""
    return html.P(INTRO, className="hint")


def outside_note(shown: int, unfiltered_link: str) -> html.P:
    """Said above an event the current filters leave out, so the panel never seems to contradict them."""
    return html.P(className="note", role="note", children=[
        f"This event is outside the current filters (not among the {shown:,} events shown). ",
        dcc.Link("Clear the filters", href=unfiltered_link or "?"),
    ])


def publisher_tags(publisher: str, registry: Registry) -> list[html.Span]:
    """Small badges with what the publisher of a source is ('state media', 'newspaper', ...)."""
    return [html.Span(tag, className="ptype state" if state else "ptype") for tag, state in registry.source_tags(publisher)]


def source_item(source: dict, registry: Registry | None = None) -> html.Li:
    title = source["title"] or "(headline not recorded)"
    meta = " · ".join(x for x in (source["date"], source["note"]) if x)
    # only http(s) become links: anything else is shown as plain text
    link = (html.A(title, href=source["url"], target="_blank", rel="noopener noreferrer")
            if is_http_url(source["url"]) else html.Span(f"{title} ({source['url']})"))
    tags = publisher_tags(source["publisher"], registry or bundled_registry())
    lookup = archive_lookup_url(source["url"], source["date"])
    archive = [" · ", html.A(ARCHIVE_LABEL, href=lookup, target="_blank", rel="noopener noreferrer", title=ARCHIVE_HINT,
                             className="archive")] if lookup else []
    return html.Li([html.Span(source["publisher"], className="publisher"), *[x for tag in tags for x in (" ", tag)],
                    " — ", link, html.Span(f" ({meta})" if meta else "", className="meta"), *archive])


def event_detail(event: pd.Series, registry: Registry | None = None) -> list:
    """The detail panel of one event; ``registry`` (default: the bundled one) tags the sources' publishers."""
    schema = load_schema()
    registry = registry or bundled_registry()
    when = date_label(event["date"], event["end_date"])
    if event["date_certainty"] != "exact":
        when += f" (date {event['date_certainty']})"
    parts = [
        html.H3(event["title"]),
        html.P([html.Span(schema.category_labels[event["category"]], className="badge",
                          style={"borderColor": schema.category_colors[event["category"]]}), " ", html.Time(when)]),
        html.P(event["description"]) if event["description"] else None,
        html.P([html.Strong("Actors: "), "; ".join(event["actors"])]) if event["actors"] else None,
        html.P([html.Strong("Place: "), event["place"]]) if event["place"] else None,
    ]
    if event["figures"]:
        parts += [html.H4("Reported figures"), html.Ul([
            html.Li([figure_text(f), " — ", html.Em(f["claimant"]),
                     f" ({date_label(f['date'])})" if f["date"] else "", f"; {f['note']}" if f["note"] else ""])
            for f in event["figures"]])]
    parts += [html.H4(f"Sources ({len(event['sources'])})"), html.Ul([source_item(s, registry) for s in event["sources"]], className="sources")]
    return [p for p in parts if p is not None]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def spreadsheet_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP CSV injection advice).

    A number such as -73.968 is left as it is: a spreadsheet reads it as that number, and a
    quote in front would turn it into text.
    """
    return "'" + value if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value) else value


def download_csv(events: pd.DataFrame) -> str:
    """The events as a CSV for spreadsheets: ISO and readable dates, formulas neutralised.

    It starts with a UTF-8 byte-order mark: Excel opened by double-click reads a file without
    one in the local legacy code page, and shows '25–27 July 2023' as mojibake.
    """
    def text(values: pd.Series) -> list[str]:
        return values.astype(object).where(values.notna(), "").astype(str).tolist()

    def coordinate(values: pd.Series) -> list[str]:
        # the shortest exact form (as in events.csv), never 1e-05 style
        return ["" if pd.isna(v) else np.format_float_positional(v, trim="-") for v in values]

    columns = {
        "id": events["id"].tolist(),
        "date": text(events["date"]),
        "end_date": text(events["end_date"]),
        "readable_date": date_labels(events).tolist(),
        "date_certainty": text(events["date_certainty"]),
        "category": events["category"].map(load_schema().category_labels).astype(str).tolist(),
        "title": events["title"].tolist(),
        "description": events["description"].tolist(),
        "actors": events["actors"].map("; ".join).tolist(),
        "place": events["place"].tolist(),
        "latitude": coordinate(events["latitude"]),
        "longitude": coordinate(events["longitude"]),
        "figures": events["figures"].map(lambda figures: "\n".join(map(format_figure, figures))).tolist(),
        "sources": events["sources"].map(lambda sources: "\n".join(s["url"] for s in sources)).tolist(),
        # line by line beside the sources: each one's archived copy, as a lookup (not a verified archive)
        "archive_lookup": events["sources"].map(
            lambda sources: "\n".join(archive_lookup_url(s["url"], s["date"]) or "" for s in sources)).tolist(),
    }
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(columns))
    writer.writerows([spreadsheet_safe(str(c)) for c in row] for row in zip(*columns.values()))
    return "\ufeff" + out.getvalue()
