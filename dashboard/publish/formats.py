"""What ``dprk-timeline export --format`` accepts, and the files each format writes.

Kept free of plotly and pandas so the command line can list and check the formats cheaply.
"""

from __future__ import annotations

# The canonical order: the order files are made and listed in.
FORMATS = ("html", "png", "svg", "pdf", "timelinejs", "geojson", "json")
# The file each data format writes (html writes index.html, one page per chart and embed.html).
DATA_FILES = {"timelinejs": "timelinejs.json", "geojson": "places.geojson", "json": "events.json"}
IMAGE_FORMATS = ("png", "svg", "pdf")
# Knight Lab advises at most 20 slides for a TimelineJS story; more still open, but the time navigation
# crowds and the story gets long. The export says so above this many events.
TIMELINEJS_ADVISED = 20


def parse_formats(value: str) -> tuple[tuple[str, ...], list[str]]:
    """The formats named in a comma-separated ``value`` (case and spaces ignored), in FORMATS order,
    and every problem with it as a message (an unknown name, nothing named)."""
    names = [name.strip().lower() for name in value.split(",")]
    names = [name for name in names if name]
    problems = [f"--format '{name}' is not a format; use one or more of: {', '.join(FORMATS)}, separated by commas"
                for name in dict.fromkeys(names) if name not in FORMATS]
    if not names:
        problems.append(f"--format is empty; name one or more of: {', '.join(FORMATS)}, separated by commas (e.g. html,json)")
    return tuple(name for name in FORMATS if name in names), problems
