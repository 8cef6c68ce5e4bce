"""Story mode: a guided walk through the key events (those with a ``label``) in time order, as TimelineJS does.

Slide 0 is a title slide (what this is, the period, how many events, the newest date, how to read the
chart); slides 1 to N are the key events, oldest first. Pure functions of the events frame: the dashboard
and the exported report build the same slides from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from ..data.registry import Registry
from ..data.summary import date_span
from .detail import event_detail
from .figures import timeline_figure
from .labels import date_label

WINDOW_DAYS = 75  # the timeline shows this many days on each side of a slide's event (its neighbours too)
HOW_TO_READ = ("How to read the chart: one lane per category; a filled marker is an event known to the day, a hollow "
               "marker on a pale bar one known only to the month, a diamond one whose date is inferred. The black ring "
               "marks the event of the slide, and the captions name the key events.")


def story_events(events: pd.DataFrame) -> pd.DataFrame:
    """The key events (a non-empty ``label``) in time order (ties: their order in the data)."""
    if "label" not in events or not len(events):
        return events.iloc[:0]
    labelled = events.loc[events["label"].to_numpy(dtype=object) != ""]  # (validated: '' where none, never padded)
    return labelled.iloc[np.argsort(labelled["start"].to_numpy(), kind="stable")]


def slide_count(events: pd.DataFrame) -> int:
    """How many key-event slides there are (the title slide, 0, not counted)."""
    return len(story_events(events))


def slide_event(events: pd.DataFrame, step: int) -> pd.Series | None:
    """The key event of slide ``step`` (1 = the oldest); None for the title slide or a step out of range."""
    keys = story_events(events)
    return keys.iloc[step - 1] if 1 <= step <= len(keys) else None


def position_text(step: int, total: int) -> str:
    """Where the reader is: 'Introduction (slide 0 of 19)' or 'Key event 3 of 19'."""
    return f"Introduction (slide 0 of {total})" if step == 0 else f"Key event {step} of {total}"


@dataclass(frozen=True)
class Intro:
    """The title slide's text."""

    heading: str
    what: str
    period: str
    counts: str
    newest: str
    how: str
    steps: str


def intro(events: pd.DataFrame) -> Intro:
    """The title slide of a story through ``events`` (every event of the data, not a filtered view)."""
    total, keys = len(events), slide_count(events)
    first, last = date_span(events)
    return Intro(
        heading=f"The story in {keys} key event{'' if keys == 1 else 's'}",
        what=("A guided walk through the key events of Russia–North Korea cooperation, oldest first: each slide gives "
              "one event with its date as precise as its sources, who claims what, and the sources themselves."),
        period=f"Period: {date_label(first)} to {date_label(last)}." if first else "Period: no dated events.",
        counts=f"{total:,} event{'' if total == 1 else 's'} in the data, {keys} of them key events.",
        newest=f"Newest event: {date_label(last)}." if last else "Newest event: none.",
        how=HOW_TO_READ,
        steps=(f"This introduction is slide 0; the key events are slides 1 to {keys}. Next → (or the → key) moves on, "
               "← goes back; Leave story (or Escape) returns to the explorer with your filters as they were."),
    )


def title_slide(events: pd.DataFrame) -> list:
    """The title slide as Dash components (plain text only)."""
    text = intro(events)
    return [html.H3(text.heading), html.P(text.what), html.P([html.Strong(text.period), " ", text.counts, " ", text.newest]),
            html.P(text.how, className="hint"), html.P(text.steps, className="hint")]


def slide(events: pd.DataFrame, step: int, registry: Registry | None = None) -> list:
    """Slide ``step`` as Dash components: the title slide, or the key event's detail (detail.py's rendering:
    every CSV text as text, only http(s) sources as links) under its caption."""
    event = slide_event(events, step)
    if event is None:
        return title_slide(events)
    caption = str(event["label"]).strip()
    return [html.P(caption, className="story-caption"), *event_detail(event, registry)]


def focus_range(event: pd.Series) -> tuple[str, str]:
    """The dates the timeline shows for a slide: WINDOW_DAYS before the event's start to as many after its end."""
    start, end = pd.Timestamp(event["start"]), pd.Timestamp(event["end"])
    end = max(end, start) if pd.notna(end) else start
    pad = pd.Timedelta(days=WINDOW_DAYS)
    return (start - pad).strftime("%Y-%m-%d"), (end + pad).strftime("%Y-%m-%d")


def story_timeline(events: pd.DataFrame, step: int) -> go.Figure:
    """The timeline of every event for slide ``step``: the slide's event ringed (as a selected event is) and
    the dates around it in view; the whole period on the title slide."""
    event = slide_event(events, step)
    fig = timeline_figure(events, selected=None if event is None else str(event["id"]))
    # a revision per slide: plotly keeps a reader's zoom only within one revision, so each slide frames its event
    fig.layout.uirevision = f"story-{step}"
    if event is not None:
        fig.update_xaxes(range=list(focus_range(event)), autorange=False)
    return fig
