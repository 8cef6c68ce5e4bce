"""The map: a bubble per place, the busiest named where a label fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .common import MUTED, _escape, _overlaps, base_layout, empty_note
from .timeline import DETAIL_LIMIT

# Ukraine to the Sea of Japan. plotly clips a geo map to its lon/lat box fitted into the plot, so the box
# has the shape of the dashboard's half-width card (about 470 x 360 px, 4:3 in Mercator): the map fills
# the card edge to edge instead of leaving empty bands above and below.
MAP_LON, MAP_LAT = (28, 140), (12, 68)
# Views a button on the map zooms to: (label, lon range, lat range), each about the card's 4:3 shape; short
# labels, so the buttons stay clear of plotly's toolbar on a phone
MAP_VIEWS = (
    ("All", MAP_LON, MAP_LAT),
    ("Korea", (121.5, 134.5), (32.5, 43.5)),  # the Korean peninsula
    ("Far East", (120, 150), (38, 58)),  # Russia's Far East, Vladivostok to Khabarovsk, with the DPRK
)
MAP_HEIGHT = 360
MAP_LABELS = 6  # name at most this many of the busiest places on the map itself; the rest on hover
# Label placement works on a pixel model of the map (close enough to refuse overlaps and clipped edges).
_MAP_PX = (360, 275)  # the narrowest card (a phone): what fits there fits in a wider one
_LABEL_CHAR_PX, _LABEL_LINE_PX = 7.0, 15.0


def _places(events: pd.DataFrame) -> pd.DataFrame:
    """Events per located point, biggest first, with hover text naming the point's places and listing up to
    five escaped titles (two when there are too many events to draw one by one: the hover is a sample then,
    and short). Places of different names at one point ('Kursk Oblast', 'Kursk') are one bubble, named
    (``place``) by the name most of its events give, so no bubble hides another."""
    shown = 5 if len(events) <= DETAIL_LIMIT else 2
    located = events.dropna(subset=["latitude", "longitude"])
    keys = ["latitude", "longitude"]
    counts = located.groupby(keys, sort=False).size().rename("count")
    names = located.groupby(keys + ["place"], sort=False).size().rename("n").reset_index()
    names = names.sort_values(["n", "place"], ascending=[False, True], kind="stable")
    names["escaped"] = _escape(names["place"])
    named = names.groupby(keys, sort=False).agg(place=("place", "first"), names=("escaped", "<br>".join))
    firsts = located[keys + ["title"]].groupby(keys, sort=False).head(shown)
    firsts = firsts.assign(title="• " + _escape(firsts["title"], wrap=60))
    titles = firsts.groupby(keys, sort=False)["title"].agg("<br>".join)
    places = pd.concat([counts, named, titles], axis=1).reset_index()
    more = places["count"] - shown
    places["hover"] = ("<b>" + places["names"] + "</b><br>"
                       + places["count"].astype(str) + np.where(places["count"] == 1, " event", " events") + "<br>"
                       + places["title"] + np.where(more > 0, "<br>… and " + more.astype(str) + " more", ""))
    # big bubbles first, so the small ones are drawn on top of them and stay hoverable and clickable
    return places.sort_values(["count", "place"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _mercator(lat: float) -> float:
    return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _map_xy(lon: float, lat: float) -> tuple[float, float]:
    """Pixel position on the framed map of the card (x right, y down)."""
    w, h = _MAP_PX
    top, bottom = _mercator(MAP_LAT[1]), _mercator(MAP_LAT[0])
    return ((lon - MAP_LON[0]) / (MAP_LON[1] - MAP_LON[0]) * w, (top - _mercator(lat)) / (top - bottom) * h)


def _label_box(x: float, y: float, radius: float, width: float, position: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a label of ``width`` px next to a bubble, for plotly's textposition."""
    vertical, horizontal = position.split()
    half = _LABEL_LINE_PX / 2
    if horizontal == "right":
        x0 = x + radius + 2
    elif horizontal == "left":
        x0 = x - radius - 2 - width
    else:
        x0 = x - width / 2
    if vertical == "top":
        y0 = y - radius - _LABEL_LINE_PX
    elif vertical == "bottom":
        y0 = y + radius
    else:
        y0 = y - half
    return x0, y0, x0 + width, y0 + _LABEL_LINE_PX


# '(...)' and the spaces before it, in linear time: a run of spaces is tried from its start only (not from
# each of its spaces), and a '(' with no ')' before the next '(' is given up at once. r"\s*\(.*?\)" took
# quadratic time on a long place name of spaces or of '(' without ')'.
_PARENTHESES = r"(?<!\s)\s*+\([^()\n]*+\)"


def _map_labels(places: pd.DataFrame, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Short escaped names ('Kursk Oblast') for the busiest places, each where it fits.

    Places are taken biggest first; each label tries the side away from the nearer map edge, then the
    other side, above and below its bubble, and is left out (the name stays in the hover) when none fits
    inside the map without touching an earlier label or a bigger bubble. Deterministic.
    """
    text = np.full(len(places), "", dtype=object)
    position = np.full(len(places), "middle right", dtype=object)
    if places.empty:
        return text, position
    # only the busiest places can get a label
    short = places["place"].iloc[:MAP_LABELS].str.split(",").str[0].str.replace(_PARENTHESES, "", regex=True).str.strip()
    escaped = _escape(short)
    w, h = _MAP_PX
    placed: list[tuple] = []  # label boxes, and boxes around the bubbles of labelled places
    busy = (places.index < MAP_LABELS) & (places["count"] >= 0.1 * places["count"].max())
    for i in np.flatnonzero(busy):
        x, y = _map_xy(places["longitude"].iat[i], places["latitude"].iat[i])
        if not (0 <= x <= w and 0 <= y <= h):
            continue
        radius = sizes[i] / 2
        width = len(short.iat[i]) * _LABEL_CHAR_PX
        sides = ("middle right", "middle left") if x < w / 2 else ("middle left", "middle right")
        for candidate in (*sides, "top center", "bottom center"):
            box = _label_box(x, y, radius, width, candidate)
            inside = box[0] >= 2 and box[2] <= w - 2 and box[1] >= 2 and box[3] <= h - 2
            if inside and not any(_overlaps(box, other) for other in placed):
                text[i], position[i] = escaped[i], candidate
                placed.append(box)
                break
        placed.append((x - radius, y - radius, x + radius, y + radius))
    return text, position


def _outside_note(places: pd.DataFrame) -> str:
    outside = places[~places["longitude"].between(*MAP_LON) | ~places["latitude"].between(*MAP_LAT)]
    if outside.empty:
        return ""
    items = _escape(outside["place"]) + " (" + outside["count"].astype(str) + ")"
    return "Outside this view: " + "; ".join(items)


def map_figure(events: pd.DataFrame) -> go.Figure:
    """Bubbles per place (area grows with the number of events).

    ``customdata`` is the exact, unescaped place name (never rendered: it is there so a click can filter by
    place): of a point that several place names share, the name most of its events give. Buttons zoom to
    MAP_VIEWS.
    """
    places = _places(events)
    size = (8 + 30 * np.sqrt(places["count"] / max(places["count"].max(), 1))).to_numpy() if len(places) else np.zeros(0)
    text, position = _map_labels(places, size)
    trace = {
        "type": "scattergeo", "mode": "markers+text", "name": "Places",
        # as JSON numbers, not plotly's base64 of 8-byte floats: the coordinates are the CSV's short
        # decimals ('55.7558'), which the page reads back as exactly the same numbers, and as text they
        # compress to half the bytes (1.6 kB less per page at 100k events)
        "lon": places["longitude"].tolist(), "lat": places["latitude"].tolist(),
        "text": text.tolist(), "textposition": position.tolist(), "textfont": {"size": 12, "color": "#333333"},
        "customdata": places["place"].tolist(), "hovertext": places["hover"].tolist(),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"size": size.tolist(), "color": "rgba(70,85,105,0.55)", "line": {"color": "white", "width": 1}},
    }
    layout = {
        **base_layout(height=MAP_HEIGHT, uirevision="map"),
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "showlegend": False, "hovermode": "closest",
        "geo": {"domain": {"x": [0, 1], "y": [0, 1]}, "projection": {"type": "mercator"}, "resolution": 110,
                "lonaxis": {"range": list(MAP_LON)}, "lataxis": {"range": list(MAP_LAT)},
                "showland": True, "landcolor": "#eeeeee", "showcountries": True, "countrycolor": "#b5b5b5",
                "countrywidth": 0.6, "showcoastlines": True, "coastlinecolor": "#b5b5b5", "showocean": True,
                "oceancolor": "#f7fbff", "showframe": False},
        # zoom buttons (offline: the geo outlines ship with the app, no map tiles)
        "updatemenus": [{
            "type": "buttons", "direction": "right", "showactive": True, "active": 0, "x": 0.01, "y": 0.99,
            "xanchor": "left", "yanchor": "top", "pad": {"l": 0, "t": 0}, "bgcolor": "rgba(255,255,255,0.9)",
            "bordercolor": "#b5b5b5", "font": {"size": 11},
            "buttons": [{"label": label, "method": "relayout",
                         "args": [{"geo.lonaxis.range": list(lon), "geo.lataxis.range": list(lat)}]}
                        for label, lon, lat in MAP_VIEWS],
        }],
    }
    notes = []
    note = _outside_note(places)
    if note:
        notes.append({"text": note, "xref": "paper", "yref": "paper", "x": 0.01, "y": 0.01, "xanchor": "left",
                      "yanchor": "bottom", "showarrow": False, "font": {"size": 11, "color": MUTED},
                      "bgcolor": "rgba(255,255,255,0.8)"})
    if places.empty:
        layout["xaxis"] = {"showticklabels": False}  # (as _annotate_empty)
        notes.append(empty_note("No events with a location match the current filters"))
    if notes:
        layout["annotations"] = notes
    # the trace and layout are ours and of known types and properties: built without plotly's validation of
    # every property (as the claims chart; ~30 ms of each change of the view at 100k events; tests validate it)
    return go.Figure(data=[trace], layout=layout, _validate=False)
