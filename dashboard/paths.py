"""Where the bundled files live, in a source checkout and in an installed wheel.

Every other module finds files through here, never through the working directory.
A checkout (or editable install) uses the top-level copies; a wheel carries them
inside the package, because hatchling's force-include copies them there at build time.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[-1]


def events_csv() -> Path:
    """The bundled events.csv (the bundled actors.csv and publishers.csv sit beside it)."""
    return _first_existing(_CHECKOUT / "events.csv", _PACKAGE / "_data" / "events.csv")


def retired_csv(events: Path | None = None) -> Path:
    """The retired ids of an events file: retired.csv beside it (the bundled one by default)."""
    return Path(events if events is not None else events_csv()).parent / "retired.csv"


def assets_dir() -> Path:
    """The folder Dash serves as /assets/ (CSS, favicon, map outlines)."""
    return _first_existing(_CHECKOUT / "assets", _PACKAGE / "_assets")


def plotly_bundles() -> list[Path]:
    """The partial plotly.js bundles (assets/plotly-custom*.min.js, built by tools/plotly-bundle/)."""
    return sorted(assets_dir().glob("plotly-custom*.min.js"))


def captions_js() -> Path:
    """The script that places the timeline's captions at the chart's real width (the dashboard, the export)."""
    return assets_dir() / "captions.js"


def schema_json() -> Path:
    """The published Table Schema of events.csv."""
    return _PACKAGE / "data" / "schema" / "events.schema.json"


def registry_schema_json(kind: str) -> Path:
    """The published Table Schema of a registry: kind is 'actors' or 'publishers'."""
    return _PACKAGE / "data" / "schema" / f"{kind}.schema.json"


def retired_schema_json() -> Path:
    """The Table Schema of retired.csv."""
    return _PACKAGE / "data" / "schema" / "retired.schema.json"


def report_file(name: str) -> Path:
    """A file the exported report is built from: report.js or templates/report.css."""
    return _PACKAGE / "publish" / name


def world_topojson() -> Path:
    """World country outlines (110m) that the map draws without a network."""
    return assets_dir() / "topojson" / "world_110m.json"


def chromium() -> Path | None:
    """The Chromium that draws static chart images (PNG, SVG, PDF), or None when there is none.

    BROWSER_PATH wins when set (and then only that file, so a wrong setting is reported, never
    replaced by another browser); else Debian's chromium on PATH or at /usr/bin/chromium. Never a
    downloaded browser: kaleido is always handed this path, which overrides its own search.
    """
    import os
    import shutil

    chosen = os.environ.get("BROWSER_PATH", "").strip()
    if chosen:
        path = Path(chosen)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return Path(found)
    default = Path("/usr/bin/chromium")
    return default if default.is_file() else None
