"""The formats 'dprk-timeline export --format' writes: names only, so checking the option imports
neither plotly nor kaleido."""

from __future__ import annotations

FORMATS = ("html", "png", "svg", "pdf", "timelinejs", "geojson", "json")
IMAGE_FORMATS = ("png", "svg", "pdf")  # drawn by kaleido in Chromium (publish/images.py)


def parse_formats(value: str) -> tuple[tuple[str, ...], list[str]]:
    """'html,png' -> (('html', 'png'), []): the formats asked for, in the order given, each once,
    and every problem with the value (an unknown name, nothing named) as a message."""
    names = [name.strip().lower() for name in (value or "").split(",")]
    names = [name for name in names if name]
    problems = [f"--format '{name}' is not a format; use one or more of {', '.join(FORMATS)}, separated by commas"
                for name in dict.fromkeys(names) if name not in FORMATS]
    if not names:
        problems.append(f"--format is empty; use one or more of {', '.join(FORMATS)}, separated by commas")
    return tuple(name for name in dict.fromkeys(names) if name in FORMATS), problems
