"""The detail panel and table rows of events: plain Dash components, all CSV text shown as text."""

from __future__ import annotations

import csv
import io

import pandas as pd
from dash import html

from .cells import is_http_url
from .labels import date_label, date_labels, figure_text
from .schema import load_schema


def source_item(source: dict) -> html.Li:
    title = source["title"] or "(headline not recorded)"
    meta = " · ".join(x for x in (source["date"], source["note"]) if x)
    # only http(s) become links: anything else is shown as plain text
    link = (html.A(title, href=source["url"], target="_blank", rel="noopener noreferrer")
            if is_http_url(source["url"]) else html.Span(f"{title} ({source['url']})"))
    return html.Li([html.Span(source["publisher"], className="publisher"), " — ", link, html.Span(f" ({meta})" if meta else "", className="meta")])


def event_detail(event: pd.Series) -> list:
    schema = load_schema()
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
    parts += [html.H4(f"Sources ({len(event['sources'])})"), html.Ul([source_item(s) for s in event["sources"]], className="sources")]
    return [p for p in parts if p is not None]


def table_rows(events: pd.DataFrame) -> list[dict]:
    labels = load_schema().category_labels
    return pd.DataFrame({
        "id": events["id"],
        "date_label": date_labels(events),
        "category_label": events["category"].map(labels).astype(str),
        "title": events["title"],
        "actors": events["actors"].map("; ".join),
        "place": events["place"],
        "sources": events["sources"].map(len),
    }).to_dict("records")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP CSV injection advice)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def download_csv(events: pd.DataFrame) -> str:
    """The filtered events as a CSV for spreadsheets: readable columns, formulas neutralised."""
    rows = table_rows(events)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "date", "category", "title", "description", "actors", "place", "latitude", "longitude", "sources"])
    for row, (_, event) in zip(rows, events.iterrows()):
        urls = "\n".join(s["url"] for s in event["sources"])
        cells = [row["id"], row["date_label"], row["category_label"], event["title"], event["description"], row["actors"],
                 event["place"], "" if pd.isna(event["latitude"]) else str(event["latitude"]),
                 "" if pd.isna(event["longitude"]) else str(event["longitude"]), urls]
        writer.writerow([spreadsheet_safe(str(c)) for c in cells])
    return out.getvalue()
