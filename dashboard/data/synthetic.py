"""Deterministic synthetic events files of any size, for benchmarks and tests at scale.

The output is a VALID events CSV (it loads through ``dashboard.data.events.load_events`` without
problems) with a realistic mix: about 60 % single days, a quarter spans of days, about 10 %
known only to the month, a few only to the year, some ``inferred`` or ``approximate``; every
category of the schema; 1–3 actors per event from a pool of a few hundred; ~200 named places
with coordinates (a few events have no place); 1–3 sources per event; reported figures on
about 20 % of events with the schema's units and qualifiers; about one event in 2,000 is a
key event with a label and an importance rank.

Everything comes from a seeded ``numpy.random.Generator`` (no clock, no hash order), so the
same ``(n, seed)`` always gives the same bytes. Cells are written with the real formatters
(``dashboard.data.cells.format_figure`` / ``format_source``) in the schema's column order.

    python -m dashboard.data.synthetic 100000 /tmp/events-100k.csv [SEED]
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import format_figure, format_source
from .dates import parse_partial_dates
from .repeats import find_repeats
from .schema import load_schema

__all__ = ["synthetic_events_csv", "write_synthetic", "PLACES"]

FIRST_DAY = np.datetime64("2015-01-01")
LAST_DAY = np.datetime64("2025-12-31")

# Real reference points; the pool of ~200 places adds named districts around each one.
_CITIES = (
    ("Pyongyang, DPRK", 39.0392, 125.7625), ("Wonsan, DPRK", 39.1528, 127.4436), ("Rason, DPRK", 42.2569, 130.2981),
    ("Chongjin, DPRK", 41.7956, 129.7758), ("Hamhung, DPRK", 39.9183, 127.5364), ("Sinuiju, DPRK", 40.1006, 124.3981),
    ("Kaesong, DPRK", 37.9708, 126.5544), ("Nampo, DPRK", 38.7375, 125.4078), ("Moscow, Russia", 55.7558, 37.6173),
    ("Vladivostok, Russia", 43.1155, 131.8855), ("Khasan, Russia", 42.4308, 130.6434), ("Kursk, Russia", 51.7304, 36.1926),
    ("Belgorod, Russia", 50.5997, 36.5983), ("Bryansk, Russia", 53.2521, 34.3717), ("Khabarovsk, Russia", 48.4827, 135.0838),
    ("Vostochny Cosmodrome, Russia", 51.8844, 128.3339), ("Saint Petersburg, Russia", 59.9311, 30.3609),
    ("Novosibirsk, Russia", 55.0084, 82.9357), ("Kazan, Russia", 55.7963, 49.1088), ("Rostov-on-Don, Russia", 47.2357, 39.7015),
    ("Seoul, South Korea", 37.5665, 126.978), ("Busan, South Korea", 35.1796, 129.0756), ("Tokyo, Japan", 35.6762, 139.6503),
    ("Beijing, China", 39.9042, 116.4074), ("Dandong, China", 40.1292, 124.3947), ("Shenyang, China", 41.8057, 123.4315),
    ("Kyiv, Ukraine", 50.4501, 30.5234), ("Kharkiv, Ukraine", 49.9935, 36.2304), ("Sumy, Ukraine", 50.9077, 34.7981),
    ("Zaporizhzhia, Ukraine", 47.8388, 35.1396), ("Donetsk, Ukraine", 48.0159, 37.8028), ("Odesa, Ukraine", 46.4825, 30.7233),
    ("Minsk, Belarus", 53.9006, 27.559), ("Tehran, Iran", 35.6892, 51.389), ("New York, United States", 40.7128, -74.006),
    ("Washington, United States", 38.9072, -77.0369), ("Brussels, Belgium", 50.8503, 4.3517), ("London, United Kingdom", 51.5074, -0.1278),
    ("Geneva, Switzerland", 46.2044, 6.1432), ("Ulaanbaatar, Mongolia", 47.8864, 106.9057),
)
_DISTRICTS = ("port", "airport", "railway station", "outskirts")


def _places() -> list[tuple[str, float, float]]:
    places = []
    for name, lat, lon in _CITIES:
        places.append((name, lat, lon))
        city, country = name.split(", ", 1)
        for k, district in enumerate(_DISTRICTS):
            # fixed small offsets (a few km), so the coordinates stay plausible and deterministic
            dlat, dlon = ((0.05, 0.03), (-0.04, 0.06), (0.02, -0.05), (-0.06, -0.04))[k]
            places.append((f"{city} {district}, {country}", round(lat + dlat, 4), round(lon + dlon, 4)))
    return places


PLACES = _places()  # 200 places

_FIRST = ("Ivan", "Sergei", "Andrei", "Dmitry", "Olga", "Anna", "Kim", "Ri", "Pak", "Choe", "Jo", "Han", "Lee", "Park",
          "Maria", "Yuri", "Nikolai", "Elena", "Song", "Kang")
_LAST = ("Petrov", "Ivanov", "Smirnov", "Volkov", "Kozlov", "Sokolov", "Jong Un", "Yo Jong", "Son Hui", "Chang Ho",
         "Su Gil", "Kwang Il", "Min Ho", "Ji Won", "Morozov", "Lebedev")
_BODIES = ("Ministry of Defence", "Ministry of Foreign Affairs", "General Staff", "Security Council", "Border Service",
           "Ministry of Natural Resources", "Intelligence Service", "Ministry of Transport", "Red Cross Society",
           "Central Bank", "Chamber of Commerce", "Railway Administration")
_STATES = ("Russian", "DPRK", "South Korean", "Ukrainian", "Chinese", "Japanese", "US", "UK", "EU", "Belarusian")
_VERBS = ("meets", "signs agreement with", "visits", "hosts", "receives", "talks with", "reports on", "announces deal with",
          "inspects site with", "briefs", "confirms talks with", "rejects claims by")
_TOPICS = ("military cooperation", "the rail link", "energy supplies", "labour exports", "artillery shells",
           "a demining mission", "tourism flights", "sanctions enforcement", "a memorial ceremony", "grain deliveries",
           "air defence systems", "a joint exercise", "prisoner exchanges", "satellite launches", "port access")
_SENTENCES = (
    "Officials described the talks as constructive and agreed to meet again within the year.",
    "State media published photographs of the meeting the following morning.",
    "Independent observers could not confirm the figures given by either side.",
    "The announcement followed weeks of reports about preparations at the site.",
    "Analysts noted that the wording differed between the two official readouts.",
    "The ministry did not say how many people took part or how long the visit lasted.",
    "Satellite imagery reviewed by researchers showed new activity in the area.",
    "A spokesperson declined to comment on questions about the delivery schedule.",
    "The statement repeated earlier claims and gave no new details.",
    "Local residents reported increased traffic on the roads leading to the border.",
)
_PUBLISHERS = (("TASS", "tass.com"), ("KCNA", "www.kcna.kp"), ("Yonhap", "en.yna.co.kr"), ("Reuters", "www.reuters.com"),
               ("AP", "apnews.com"), ("BBC", "www.bbc.com"), ("NK News", "www.nknews.org"), ("Interfax", "interfax.com"),
               ("Kyiv Independent", "kyivindependent.com"), ("RIA Novosti", "ria.ru"), ("Korea Herald", "www.koreaherald.com"),
               ("The Guardian", "www.theguardian.com"), ("38 North", "www.38north.org"), ("Meduza", "meduza.io"))


def _actor_pool() -> list[str]:
    people = [f"{f} {l}" for f in _FIRST for l in _LAST]  # 320 names
    bodies = [f"{s} {b}" for s in _STATES for b in _BODIES]  # 120 bodies
    return people[::1] + bodies  # 440 distinct


ACTORS = _actor_pool()
# who gives numbers: each state's defence, foreign and intelligence bodies and general staff (40), not every actor
CLAIMANTS = [a for a in ACTORS if a.endswith(("Ministry of Defence", "Ministry of Foreign Affairs", "General Staff",
                                                  "Intelligence Service"))]
_CLAIMANT_INDEX = np.array([ACTORS.index(a) for a in CLAIMANTS])
KEY_EVENT_EVERY = 2000  # about one event in this many is a key event with a label


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


def synthetic_events_csv(n: int, seed: int = 0) -> str:
    """The CSV text of ``n`` valid synthetic events (deterministic for a given n and seed)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    schema = load_schema()
    rng = np.random.default_rng(seed)
    categories = np.array(schema.category_values, dtype=object)
    units = list(schema.units)
    qualifiers = list(schema.qualifiers)

    # ---- dates: kind 0 day, 1 span of days, 2 month, 3 month span, 4 year
    kind = rng.choice(5, size=n, p=[0.60, 0.26, 0.09, 0.02, 0.03])
    span_days = int((LAST_DAY - FIRST_DAY).astype(int))
    start = FIRST_DAY + rng.integers(0, span_days - 120, size=n).astype("timedelta64[D]")
    length = rng.geometric(0.15, size=n).astype("timedelta64[D]")  # 1..~30 days, mostly short
    day_str = _iso(start)
    month_str = np.array([s[:7] for s in day_str], dtype=object)
    year_str = np.array([s[:4] for s in day_str], dtype=object)
    end_day = _iso(start + length)
    end_month = np.array([s[:7] for s in _iso(start.astype("datetime64[M]") + rng.integers(1, 4, size=n)).astype(object)], dtype=object) if n else np.array([], dtype=object)
    date = np.select([kind <= 1, kind <= 3], [day_str, month_str], year_str).astype(object)
    end_date = np.select([kind == 1, kind == 3], [end_day, end_month], "").astype(object)
    roll = rng.random(n)
    certainty = np.where((kind <= 1) & (roll < 0.08), "inferred",
                         np.where((kind <= 1) & (roll > 0.97), "approximate", "")).astype(object)

    # ---- who, where, what
    category = categories[rng.integers(0, len(categories), size=n)]
    weights = 1.0 / np.arange(1, len(ACTORS) + 1) ** 0.8  # a few actors are everywhere, most are rare
    weights /= weights.sum()
    actor_idx = rng.choice(len(ACTORS), size=(n, 3), p=weights)
    n_actors = rng.choice([1, 2, 3], size=n, p=[0.45, 0.4, 0.15])
    place_idx = rng.integers(0, len(PLACES), size=n)
    has_place = rng.random(n) > 0.05
    verb = rng.integers(0, len(_VERBS), size=n)
    topic = rng.integers(0, len(_TOPICS), size=n)
    sentence = rng.integers(0, len(_SENTENCES), size=(n, 3))
    n_sentences = rng.integers(1, 4, size=n)

    # ---- sources and figures
    n_sources = rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15])
    publisher = rng.integers(0, len(_PUBLISHERS), size=(n, 3))
    source_titled = rng.random((n, 3)) > 0.1
    source_dated = rng.random((n, 3)) > 0.05
    has_figures = rng.random(n) < 0.2
    n_figures = rng.choice([1, 2], size=n, p=[0.8, 0.2])
    unit = rng.integers(0, len(units), size=(n, 2))
    qualifier = rng.integers(-len(qualifiers), len(qualifiers), size=(n, 2))  # negative: no qualifier (about half)
    value = np.round(rng.lognormal(6.5, 2.0, size=(n, 2))).astype(np.int64) + 1
    ranged = rng.random((n, 2)) < 0.15
    # who gives a number: a few dozen governments and agencies, as in real reporting (not every actor)
    claimant = _CLAIMANT_INDEX[rng.integers(0, len(CLAIMANTS), size=(n, 2))]

    O = lambda values: np.asarray(values, dtype=object)  # noqa: E731 (object arrays: '+' joins strings in C)
    pool = O(ACTORS)
    # distinct actors per event: the lead by popularity, the others at random offsets from it
    a0 = actor_idx[:, 0]
    a1 = (a0 + 1 + rng.integers(0, len(ACTORS) - 2, size=n)) % len(ACTORS)
    a2 = (a1 + 1 + rng.integers(0, len(ACTORS) - 3, size=n)) % len(ACTORS)
    a2 = np.where(a2 == a0, (a2 + 1) % len(ACTORS), a2)
    a2 = np.where(a2 == a1, (a2 + 1) % len(ACTORS), a2)
    lead, second, third = pool[a0], pool[a1], pool[a2]
    actors = np.select([n_actors == 1, n_actors == 2], [lead, lead + "; " + second], lead + "; " + second + "; " + third)
    places = O([p[0] for p in PLACES])
    lats = O([repr(p[1]) for p in PLACES])
    lons = O([repr(p[2]) for p in PLACES])
    place = np.where(has_place, places[place_idx], "")
    lat = np.where(has_place, lats[place_idx], "")
    lon = np.where(has_place, lons[place_idx], "")
    short = O([p[0].split(",")[0] for p in PLACES])
    where = np.where(has_place, short[place_idx], "an undisclosed location")
    topics = O(_TOPICS)[topic]
    verbs = O(_VERBS)[verb]
    title = lead + " " + verbs + " " + np.where(n_actors > 1, second, "officials") + " on " + topics + " in " + where
    sentences = O(_SENTENCES)[sentence]
    delegations = np.select([n_actors == 1, n_actors == 2], ["1 delegation", "2 delegations"], "3 delegations")
    description = (lead + " and " + delegations + " discussed " + topics + ". " + sentences[:, 0]
                   + np.where(n_sentences > 1, " " + sentences[:, 1], "") + np.where(n_sentences > 2, " " + sentences[:, 2], ""))
    width = len(str(max(n - 1, 0)))
    event_id = category + "-" + O([f"{i:0{width}d}" for i in range(n)])
    pub_date = np.where(kind <= 3, date, "")
    source_title = O([t.capitalize() for t in _TOPICS])[topic] + ": " + lead + " " + verbs + " partners"
    names = O([p[0] for p in _PUBLISHERS])
    domains = O([p[1] for p in _PUBLISHERS])
    # format_source fixes the layout; the cells are built column-wise with the same separators
    probe = format_source({"publisher": "P", "title": "T", "url": "U", "date": "D"})
    sep = probe[1:probe.index("T")]
    assert probe == "P" + sep + "T" + sep + "U" + sep + "D"
    sources = None
    for k in range(3):
        line = (names[publisher[:, k]] + sep + np.where(source_titled[:, k], source_title, "") + sep
                + "https://" + domains[publisher[:, k]] + "/news/" + event_id + f"-{k + 1}")
        dated = source_dated[:, k] & (pub_date != "")
        line = np.where(dated, line + sep + pub_date, line)
        sources = line if sources is None else np.where(n_sources > k, sources + "\n" + line, sources)
    items: list[list[dict]] = [[] for _ in range(n)]
    for i in np.flatnonzero(has_figures):
        for k in range(n_figures[i]):
            low = int(value[i, k])
            items[i].append({
                "qualifier": qualifiers[qualifier[i, k]] if qualifier[i, k] >= 0 and not ranged[i, k] else "",
                "value": float(low), "high": float(low * 3) if ranged[i, k] else None,
                "unit": units[unit[i, k]], "claimant": ACTORS[claimant[i, k]], "date": "", "note": "",
            })
    # a number some claimant gave before is a repeated claim: as in real data, it carries the first claim's date
    for r in find_repeats(items, date.tolist(), parse_partial_dates(pd.Series(date, dtype=object))["start"].to_numpy()):
        items[r.row][r.index]["date"] = r.first_date
    figures = np.array(["\n".join(map(format_figure, row)) for row in items] or [], dtype=object)

    label, importance = _key_events(n, seed, topics, year_str)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(schema.names)
    columns = {"id": event_id, "date": date, "end_date": end_date, "date_certainty": certainty, "title": title,
               "label": label, "importance": importance, "description": description, "category": category, "actors": actors, "place": place,
               "latitude": lat, "longitude": lon, "figures": figures, "sources": sources}
    writer.writerows(zip(*(columns[name].tolist() if n else [] for name in schema.names)))
    return out.getvalue()


def _key_events(n: int, seed: int, topics: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels (short captions) and importance ranks for about one event in KEY_EVENT_EVERY, so the timeline's
    captions are measured at scale too. A generator of their own: the other columns stay as they were."""
    rng = np.random.default_rng([seed, 1])
    key = rng.random(n) < 1 / KEY_EVENT_EVERY
    label = np.full(n, "", dtype=object)
    importance = np.full(n, "", dtype=object)
    picked = np.flatnonzero(key)
    label[picked] = [f"{topic.capitalize()}, {year}" for topic, year in zip(topics[picked], years[picked])]
    importance[picked] = [str(rank) for rank in rng.permutation(len(picked)) + 1]
    return label, importance


def write_synthetic(path: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` synthetic events to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(synthetic_events_csv(n, seed), encoding="utf-8", newline="")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3) or not args[0].isdigit():
        print("usage: python -m dashboard.data.synthetic N OUT.csv [SEED]", file=sys.stderr)
        return 2
    path = write_synthetic(args[1], int(args[0]), int(args[2]) if len(args) == 3 else 0)
    print(f"wrote {int(args[0]):,} synthetic events to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
