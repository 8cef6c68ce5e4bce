"""Captions of key events (events with a ``label``) on the timeline: short texts in a band above the plot,
each joined to its event's marker by a leader line, readable without hovering.

Placement (``place_captions``) is greedy in pixel space. Captions are taken most important first; each goes
to the lowest level (a row of the band) where its box, centred on its event or starting or ending there,
stays inside the chart and keeps GAP_PX from every box on that level. A caption with no such place is left
out (its event keeps its hover text). Taking the most important first is what leaves out the least
important ones on a narrow screen or in a busy stretch. A leader line rising to a higher level may pass
behind a lower caption: captions have an opaque background and lower levels are drawn last, so the line
never runs across text.

Where the captions fit depends on the chart's real width and its visible dates, which only the browser
knows. The figure carries a placement for NOMINAL_WIDTH (what a page without scripts shows), and
``layout.meta["captions"]`` carries what assets/captions.js needs to place them again with the same rules
at the real width, after a resize and after a zoom.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .common import MS_PER_DAY, MIN_HALF_SPAN_DAYS, _escape

FONT_SIZE = 11
PAD_PX = 1  # the annotation's borderpad (plotly's default), on each side
CHAR_PX = 0.6 * FONT_SIZE  # average width of a character (the browser measures the real one)
GAP_PX = 6  # least room between two captions on one level
EDGE_PX = 2  # least room between a caption and the chart's edge
BASE_PX = 8  # from the top of the plot to the lowest level
# from one level to the next, for captions on one line and on two lines (a box is 18 or 33 px high: plotly's
# line height of 1.3 em, borderpad and border)
STEP_PX = (20, 35)
BAND_PX = 80  # height of the levels: 4 of one line, or 2 of two lines, fit in it
NARROW_BELOW = 560  # a chart narrower than this (px) sets captions on two lines
MAX_CAPTIONS = 20  # at most this many captions are offered to the placement, the most important ones
# the chart a figure is placed for up front (px): its width, and the room for lane names, at the right and
# for the date axis and style key below the plot
NOMINAL_WIDTH, NOMINAL_LEFT, NOMINAL_RIGHT, NOMINAL_BOTTOM = 900, 110, 12, 72
STANDOFF_PX = 5  # the leader line stops this short of the marker's centre (a marker is 9 px wide)
LEADER = "#8a8a8a"
TEXT = "#1f1f1f"

Placement = list[tuple[int, str]]  # per caption: (level, or -1 when left out; plotly xanchor)


def place_captions(x: Sequence[float], widths: Sequence[float], *, lo: float, hi: float, levels: int,
                   gap: float = GAP_PX) -> Placement:
    """Where each caption goes; captions come most important first, ``x`` is where each one's leader line
    rises (px, NaN: not in view), ``widths`` their box widths (px), ``lo``..``hi`` the room they must stay
    inside (px). Each takes the lowest level, and there the first of centred on its leader, starting at it
    or ending at it, that keeps ``gap`` px from every caption already on that level.

    assets/captions.js (``place``) is the same function for the browser: change both together.
    """
    taken: list[list[tuple[float, float]]] = [[] for _ in range(levels)]
    out: Placement = []
    for at, width in zip(x, widths):
        spot = (-1, "center")
        if np.isfinite(at):
            for level, (anchor, left) in ((level, option) for level in range(levels)
                                          for option in (("center", at - width / 2), ("left", at), ("right", at - width))):
                right = left + width
                if lo <= left and right <= hi and not any(left < r + gap and l < right + gap for l, r in taken[level]):
                    taken[level].append((left, right))
                    spot = (level, anchor)
                    break
        out.append(spot)
    return out


def text_width(text: str) -> float:
    """Estimated width (px) of a caption's box: its longest line, plus borderpad and border on each side."""
    longest = max(len(line) for line in text.split("\n"))
    return longest * CHAR_PX + 2 * PAD_PX + 2


def two_lines(text: str) -> str:
    """The caption broken at the space nearest its middle (narrow charts); unchanged without a space."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + text[cut + 1:]


def key_events(events: pd.DataFrame, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """The events to caption, most important first, at most MAX_CAPTIONS: those with a label, by rank (no
    rank: after the ranked ones), then by time. A view of no more than MAX_CAPTIONS events (zoomed in, or
    narrowed by the filters) offers its other events too, after the key events, with their titles
    shortened to a label's length.

    ``x``/``y`` are where each event's marker is; the result holds id, x, y and the plain caption.
    """
    if "label" not in events or not len(events):
        return pd.DataFrame({"id": [], "x": [], "y": [], "label": []})
    labels = events["label"].to_numpy(dtype=object)
    keyed = labels != ""
    rank = events["importance"].to_numpy(dtype="float64") if "importance" in events else np.full(len(events), np.nan)
    rank = np.nan_to_num(rank, nan=np.inf)
    picked = np.flatnonzero(keyed)
    if len(events) <= MAX_CAPTIONS:
        labels = np.where(keyed, labels, [_shortened(t) for t in events["title"].tolist()])
        picked = np.arange(len(events))
    order = picked[np.lexsort((x[picked], rank[picked], ~keyed[picked]))][:MAX_CAPTIONS]
    return pd.DataFrame({"id": events["id"].to_numpy(dtype=object)[order], "x": x[order], "y": y[order],
                         "label": labels[order]})


def _shortened(title: str, limit: int = 40) -> str:
    """A title cut to at most ``limit`` characters, at a space, with an ellipsis."""
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit - 1)
    return title[:cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


def nominal_range(x0: np.ndarray, x1: np.ndarray) -> tuple[float, float]:
    """About the date range plotly's autorange shows for the timeline (epoch ms): the data, widened to at
    least ±MIN_HALF_SPAN_DAYS, with a small margin."""
    finite = np.concatenate([x0, x1])
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return 0.0, 1.0
    lo, hi = finite.min(), finite.max()
    half = max((hi - lo) / 2, MIN_HALF_SPAN_DAYS * MS_PER_DAY)
    middle = (lo + hi) / 2
    return middle - half * 1.04, middle + half * 1.04


def chart_placement(items: pd.DataFrame, *, x_range: tuple[float, float], width: float, left: float = NOMINAL_LEFT,
                    right: float = NOMINAL_RIGHT) -> tuple[Placement, np.ndarray, list[float], int]:
    """Where the captions of ``items`` go on a chart ``width`` px wide whose plot spans ``left`` px from its
    left edge to ``right`` px from its right one and shows ``x_range`` (epoch ms), as assets/captions.js
    places them in the browser: on two lines below NARROW_BELOW px, in as many levels as BAND_PX holds.

    Returns the placement, where each caption's leader rises (px; NaN outside the plot), each box's width
    and the number of lines.
    """
    lines = 2 if width < NARROW_BELOW else 1
    texts = [two_lines(t) if lines == 2 else t for t in items["label"]]
    r0, r1 = x_range
    across = (items["x"].to_numpy(dtype="float64") - r0) / (r1 - r0)
    px = np.where((across >= 0) & (across <= 1), left + across * (width - left - right), np.nan)
    widths = [text_width(t) for t in texts]
    spots = place_captions(px, widths, lo=EDGE_PX, hi=width - EDGE_PX, levels=int(BAND_PX // STEP_PX[lines - 1]))
    return spots, px, widths, lines


def caption_layout(items: pd.DataFrame, *, x_range: tuple[float, float], lanes: int, height: float, top: float,
                   base: float) -> tuple[list, dict]:
    """The captions as annotations, and the ``meta`` entry for assets/captions.js.

    Each caption's leader line runs from its event's marker (``items`` x/y, y in lane units) up to the
    caption, ``base`` px and more above the plot. The figure is ``height`` px high, the plot starts ``top``
    px from its top and shows ``lanes`` lanes. Placed for NOMINAL_WIDTH; the annotations come highest level
    first (each is drawn over the ones before it), the meta items in ``items`` order.
    """
    if items.empty:
        return [], {}
    plain = items["label"].tolist()
    one = _escape(plain)
    two = np.array([t.replace("\n", "<br>") for t in _escape([two_lines(t) for t in plain])], dtype=object)
    x, y = items["x"].to_numpy(dtype="float64"), items["y"].to_numpy(dtype="float64")
    spots, _, _, _ = chart_placement(items, x_range=x_range, width=NOMINAL_WIDTH)
    across = (x - x_range[0]) / (x_range[1] - x_range[0])  # share of the plot's width
    below_top = (y + 0.5) / max(lanes, 1) * (height - top - NOMINAL_BOTTOM)  # marker's px below the plot's top
    annotations = [caption_annotation(across[i], y[i], one[i], level, anchor, -(below_top[i] + base + max(level, 0) * STEP_PX[0]))
                   for i, (level, anchor) in sorted(enumerate(spots), key=lambda spot: -spot[1][0])]
    meta = {"items": [{"id": i, "x": float(a), "y": float(b), "text": [c, d]}
                      for i, a, b, c, d in zip(items["id"].tolist(), x, y, one, two)],
            "base": base, "band": BAND_PX, "steps": list(STEP_PX), "narrow": NARROW_BELOW, "gap": GAP_PX,
            "edge": EDGE_PX, "pad": PAD_PX,
            # the dates they were placed for: a chart drawn without assets/captions.js (a print image) shows these
            "range": [float(x_range[0]), float(x_range[1])]}
    return annotations, meta


def caption_annotation(x: float, y: float, text: str, level: int, anchor: str, ay: float) -> dict:
    """One caption: ``text`` (escaped), its box's bottom ``ay`` px from the marker at (``x``, ``y``), with a
    leader line down to the marker; hidden when ``level`` is -1. assets/captions.js sets the same keys.

    ``x`` is a share of the plot's width (xref 'paper'), not a date: plotly widens a date axis's autorange
    to hold every annotation tied to it, which would move the events each time the captions move.
    """
    # (the style they share is CAPTION_STYLE, set once as the figure's default: plotly validates every key of
    # every annotation, and at 20 captions that time shows)
    note = {"x": x, "y": y, "xref": "paper", "text": text, "ax": 0, "ay": ay, "xanchor": anchor}
    return note if level >= 0 else {**note, "visible": False}


# What every caption shares, for the figure's template (plotly_white already draws arrows as plain 1 px lines).
CAPTION_STYLE = {"yanchor": "bottom", "arrowcolor": LEADER, "standoff": STANDOFF_PX, "bgcolor": "white",
                 "font": {"size": FONT_SIZE, "color": TEXT}}
