"""The dprk-timeline command: serve the dashboard, validate events files, compare two versions, export HTML."""

from __future__ import annotations

import ctypes
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from . import __version__, paths
from .data.diff import MAX_EVENTS, diff_events, diff_lines
from .data.events import load_events
from .data.filters import Filters, apply_filters, prepare
from .data.problems import EventsError, UnreadableFile, error_lines
from .data.registry import bundled_registry, display_registry, missing_note
from .data.retired import load_retired
from .data.summary import summary_line
from .publish import IMAGE_SCALE, IMAGE_SCALE_RANGE, IMAGE_WIDTH, IMAGE_WIDTH_RANGE, PLOTLYJS_MODES

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def report_problems(err: EventsError) -> None:
    for line in error_lines(err):
        click.echo(line, err=True)


def report_data_error(err: UnreadableFile | EventsError) -> int:
    """Print an unreadable or invalid events file's message(s); return its exit code."""
    for line in error_lines(err):
        click.echo(line, err=True)
    return EXIT_UNREADABLE if isinstance(err, UnreadableFile) else EXIT_INVALID


@contextmanager
def exit_on_data_errors():
    """Turn an unreadable or invalid events file into its message and exit code, never a traceback."""
    try:
        yield
    except (UnreadableFile, EventsError) as err:
        sys.exit(report_data_error(err))


events_option = click.option(
    "--events", "events_path", type=click.Path(path_type=Path, dir_okay=True), default=None,
    metavar="PATH", help="Events CSV to use instead of the bundled one.",
)


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a program stopped by Ctrl-C


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        # click turns Ctrl-C into "Aborted!" and exit code 1, the code for invalid data: a script
        # must tell an interrupted export from a bad file
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ndprk-timeline: interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dprk-timeline")
@events_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (as for 'serve').")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on (as for 'serve').")
@click.option("--debug", is_flag=True, help="Dash's debug mode (as for 'serve'; never on a shared machine).")
@click.pass_context
def cli(ctx: click.Context, events_path: Path | None, host: str, port: int, debug: bool) -> None:
    """A sourced, interactive timeline of Russia–North Korea cooperation since 2023.

    Without a command, starts the dashboard (same as 'serve').

    Example:

    \b
        dprk-timeline                     # dashboard on http://127.0.0.1:8050
        dprk-timeline validate my.csv     # check your own events file
        dprk-timeline diff old.csv my.csv # what changed, event by event
        dprk-timeline export --out report # static HTML that opens offline
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve, events_path=events_path, host=host, port=port, debug=debug)


@cli.command()
@click.argument("paths_", metavar="[PATH ...]", nargs=-1, type=click.Path(path_type=Path))
def validate(paths_: tuple[Path, ...]) -> None:
    """Check events CSV files against the schema (default: the bundled events.csv).

    Prints a one-line summary per valid file. Lists every problem as
    FILE:LINE: COLUMN: message. Actor, claimant and publisher names are
    checked against actors.csv and publishers.csv in the file's folder
    (a note says so when they are not there), and the retired ids
    (retired.csv) beside a file, if any, against it. Exit code 0 when all
    files are valid, 1 when a file has problems, 2 when a file is missing
    or unreadable.

    Example:

    \b
        dprk-timeline validate
        dprk-timeline validate my-events.csv other.csv
    """
    code = EXIT_OK
    for path in paths_ or (paths.events_csv(),):
        try:
            events = load_events(path)
            load_retired(path, events)
        except UnreadableFile as err:
            click.echo(f"error: {err}", err=True)
            code = EXIT_UNREADABLE
            continue
        except EventsError as err:
            report_problems(err)
            code = max(code, EXIT_INVALID)
            _registry_note(path)
            continue
        click.echo(f"{path}: valid: {summary_line(events)}")
        _registry_note(path)
    sys.exit(code)


def _registry_note(path: Path) -> None:
    if note := missing_note(path):
        click.echo(note, err=True)


@cli.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--all", "show_all", is_flag=True, help=f"List every event (by default each list stops after {MAX_EVENTS}).")
def diff_command(old: Path, new: Path, show_all: bool) -> None:
    """List the events added, removed and changed from OLD.csv to NEW.csv.

    For reviewing a data change: events are matched by id, and each changed
    event lists its changed fields (for actors, figures and sources, the
    items added and removed). Long values are cut around the change. Both
    files are validated first. Exit code 0 when they hold the same events,
    1 when they differ, 2 when a file is missing, unreadable or invalid
    (its problems are listed as FILE:LINE: COLUMN: message).

    Example:

    \b
        dprk-timeline diff old/events.csv events.csv
        git show main:events.csv > /tmp/main.csv
        dprk-timeline diff /tmp/main.csv events.csv --all
    """
    frames, code = [], EXIT_OK
    for path in (old, new):
        try:
            frames.append(load_events(path))
        except UnreadableFile as err:
            click.echo(f"error: {err}", err=True)
            code = EXIT_UNREADABLE
        except EventsError as err:
            report_problems(err)
            code = EXIT_UNREADABLE
    if code != EXIT_OK:
        sys.exit(code)
    try:
        retired = load_retired(new, frames[1])
    except (UnreadableFile, EventsError) as err:  # only annotates removed ids: a problem there is not fatal
        click.echo(f"note: the retired ids beside {new} were not read: {err.problems[0].message}", err=True)
        retired = {}
    result = diff_events(*frames)
    for line in diff_lines(result, *frames, names=(str(old), str(new)), retired=retired, limit=None if show_all else MAX_EVENTS):
        click.echo(line)
    sys.exit(EXIT_OK if result.equal else EXIT_INVALID)


def listen_problem(host: str, port: int) -> str | None:
    """Why the dashboard could not listen on host:port (None when it can): a host that is not an
    address at all, one that is not this machine's, or a port already taken are different fixes."""
    import errno
    import socket

    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError, ValueError):
        return f"--host '{host}' is not an IP address or a host name that resolves; use e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use; stop the other program or choose another with --port"
            if err.errno == errno.EADDRNOTAVAIL:
                return f"--host '{host}' is not an address of this machine; use e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
            return f"cannot listen on {host} port {port}: {err.strerror or err}"
    return None


@cli.command()
@events_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; 0.0.0.0 makes the dashboard reachable from other machines.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--debug", is_flag=True, help="Dash's debug mode with hot reload (never on a shared machine: it exposes a code console).")
def serve(events_path: Path | None = None, host: str = "127.0.0.1", port: int = 8050, debug: bool = False) -> None:
    """Start the dashboard (the default command).

    Reads the bundled events.csv, or --events PATH. When the file changes,
    the next page load shows the new data; if the change is invalid the
    dashboard keeps the last valid data and shows the problems. Exit codes:
    1 invalid CSV at start, 2 unreadable CSV or port in use.

    Example:

    \b
        dprk-timeline serve
        dprk-timeline serve --events my-events.csv --port 8060
    """
    from .app.app import create_app

    with exit_on_data_errors():
        app = create_app(csv_path=events_path)
    problem = listen_problem(host, port)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_UNREADABLE)
    fewer_malloc_arenas()
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"dprk-timeline: serving {events_path or paths.events_csv()} on http://{shown}:{port}/ (Ctrl-C to stop)")
    try:
        app.run(host=host, port=port, debug=debug)
    except KeyboardInterrupt:
        pass
    click.echo("dprk-timeline: stopped")


def fewer_malloc_arenas() -> bool:
    """Keep glibc's malloc to two arenas; True where that applied (Linux with glibc).

    The server answers each request in a thread, and glibc gives threads arenas of their own (up to
    eight per core), each keeping the peak of the requests it served: at 100k events the process grew
    by ~40 MB over five page loads, and stays flat with two arenas.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL("libc.so.6").mallopt(-8, 2) == 1  # M_ARENA_MAX; mallopt returns 1 on success
    except (OSError, AttributeError):  # another C library (e.g. musl): nothing to tune
        return False


def _not_empty(value: str) -> Path:
    # Path("") is the current folder: --out "" (an unset shell variable) would overwrite an
    # index.html there without a word. '--out .' says so on purpose, and is kept.
    if not value.strip():
        raise click.BadParameter("is empty; name the folder to write into, e.g. --out report", param_hint="'--out'")
    return Path(value)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} kB"


@cli.command("export")
@click.option("--events", "events_path", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Events CSV to use instead of the bundled one.")
@click.option("--out", "out_dir", type=click.Path(), default="export", metavar="DIR",
              show_default=True, callback=lambda _ctx, _param, value: _not_empty(value),
              help="Folder to write into (created if missing; existing files are replaced).")
@click.option("--category", "categories", multiple=True, metavar="C", help="Keep this category (repeatable).")
@click.option("--actor", "actors", multiple=True, metavar="A", help="Keep events naming this actor (repeatable).")
@click.option("--from", "start", default="", metavar="DATE", help="Keep events ending on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--to", "end", default="", metavar="DATE", help="Keep events starting on or before DATE.")
@click.option("--search", "text", default="", metavar="TEXT", help="Keep events containing every word of TEXT.")
@click.option("--independent", is_flag=True,
              help="Keep events with at least one source that is not Russian or North Korean state media.")
@click.option("--plotlyjs", type=click.Choice(PLOTLYJS_MODES), default="inline", show_default=True,
              help="inline: every file opens offline; directory: one shared plotly.min.js; cdn: small files for the web.")
@click.option("--dashboard-url", "dashboard_url", default=None, metavar="URL",
              help="Where readers can open the dashboard (http or https); the report then links to the same view there.")
@click.option("--format", "format_names", default="html", metavar="LIST", show_default=True,
              # (publish/formats.py's FORMATS, written out: 'validate' never imports the export code)
              help="Comma-separated, any of: html, png, svg, pdf, timelinejs, geojson, json. html: the report, "
                   "the charts and embed.html; png, svg, pdf: print-ready images of each chart; timelinejs: "
                   "timelinejs.json (TimelineJS 3); geojson: places.geojson; json: events.json.")
@click.option("--width", type=click.IntRange(*IMAGE_WIDTH_RANGE), default=IMAGE_WIDTH, show_default=True, metavar="PX",
              help="Width of png, svg and pdf images in CSS pixels (900 fits a printed page's column).")
@click.option("--scale", type=click.FloatRange(*IMAGE_SCALE_RANGE), default=IMAGE_SCALE, show_default=True, metavar="N",
              help="Pixels per CSS pixel in png images (3: 2,700 px, 300 dpi across 9 inches).")
def export_command(events_path, out_dir, categories, actors, start, end, text, independent, plotlyjs, dashboard_url,
                   format_names, width, scale) -> None:
    """Write a static HTML report and one HTML file per chart into DIR, and the same in other formats.

    index.html opens from disk without a network and keeps its category
    toggles, date range and search; timeline.html, map.html, monthly.html
    and claims.html are the charts alone, and embed.html gives the code
    that embeds each in another page. --format adds (or, without html,
    only writes) print-ready images of each chart (png, svg, pdf; drawn
    by Debian's Chromium or the program BROWSER_PATH names),
    timelinejs.json for TimelineJS, places.geojson for map tools and
    events.json for code; the filters apply to every format. Exit code 0
    when written, 1 when the events file or an option is invalid (every
    problem is listed), 2 when the events file cannot be read, DIR cannot
    be written or there is no Chromium for images.

    Example:

    \b
        dprk-timeline export                                  # ./export/index.html and charts
        dprk-timeline export --out report --category treaty --from 2024-06
        dprk-timeline export --search "Kursk casualties" --plotlyjs directory
        dprk-timeline export --events my.csv --out my-report --plotlyjs cdn
        dprk-timeline export --category treaty --dashboard-url https://example.org/dprk/
        dprk-timeline export --format html,timelinejs,geojson,json --out report
        dprk-timeline export --format json --category treaty --out data
        dprk-timeline export --format png,svg,pdf --out print  # images for print
    """
    from .publish.export import export_files, option_problems, write_files  # (plotly: only for this command)
    from .publish.formats import DATA_FILES, IMAGE_FORMATS, TIMELINEJS_ADVISED, parse_formats

    formats, format_problems = parse_formats(format_names)
    problems = option_problems(categories, start, end, dashboard_url) + format_problems
    try:
        events = load_events(events_path)
        retired = load_retired(events_path, events)
    except UnreadableFile as err:
        _echo_problems(problems)
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except EventsError as err:
        _echo_problems(problems)
        report_problems(err)
        sys.exit(EXIT_INVALID)
    if problems:
        _echo_problems(problems)
        sys.exit(EXIT_INVALID)
    filters = Filters(categories=tuple(dict.fromkeys(categories)), actors=tuple(dict.fromkeys(actors)),
                      start=start, end=end, text=text.strip(), independent=independent)
    registry = display_registry(events_path) if events_path else bundled_registry()
    events = prepare(events, registry)  # the registry's aliases, bodies and state media, as the dashboard has them
    if "html" in formats or any(f in DATA_FILES for f in formats):
        what = "report" if "html" in formats else "export"
        click.echo(f"building the {what} of {len(events):,} events…", err=True)  # (a large file takes a while)
    files = export_files(events, filters, plotlyjs=plotlyjs, registry=registry, retired=retired,
                         dashboard_url=dashboard_url or "", formats=formats)
    try:
        if files:
            write_files(files, out_dir, progress=lambda path, size: click.echo(f"wrote {path} ({_size(size)})", err=True))
    except OSError as err:
        click.echo(f"error: cannot write to {out_dir}: {err.strerror or err}", err=True)
        sys.exit(EXIT_UNREADABLE)
    images = tuple(f for f in formats if f in IMAGE_FORMATS)
    if images:
        _export_images(events, filters, registry, out_dir, images, width, scale)
    kept = apply_filters(events, filters)
    if "geojson" in formats and (unlocated := int(kept["latitude"].isna().sum())):
        click.echo(f"note: {unlocated} of the {len(kept)} events have no coordinates: places.geojson lists them "
                   "under 'unlocated'", err=True)
    if "timelinejs" in formats and len(kept) > TIMELINEJS_ADVISED:
        click.echo(f"note: timelinejs.json has {len(kept):,} events; TimelineJS advises at most {TIMELINEJS_ADVISED} "
                   "slides for a story: narrow it with --category, --from, --to or --search", err=True)
    # the main file of each format: the report for html (the progress lines name the charts, embed.html and images)
    main = (["index.html"] if "html" in formats else []) + [DATA_FILES[f] for f in formats if f in DATA_FILES]
    written = ", ".join(str(out_dir / name) for name in main if name in files)
    if images:
        written = ", ".join(filter(None, [written, f"{4 * len(images)} images in {out_dir}"]))
    click.echo(f"exported {len(kept)} of {len(events)} events to {written or 'no file'}")


def _export_images(events, filters, registry, out_dir: Path, formats: tuple[str, ...], width: int, scale: float) -> None:
    """Every chart in every image format through one Chromium; no browser is a message and exit code 2."""
    from .publish.images import ImageError, chart_figures, source_line, write_images

    shown = apply_filters(events, filters).reset_index(drop=True)
    click.echo(f"drawing {4 * len(formats)} images in Chromium…", err=True)
    try:
        written = write_images(chart_figures(shown, events, registry), out_dir, formats, width=width, scale=scale,
                               source_line=source_line(shown, events))
    except ImageError as err:  # (no Chromium, or it failed)
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except OSError as err:
        click.echo(f"error: cannot write to {out_dir}: {err.strerror or err}", err=True)
        sys.exit(EXIT_UNREADABLE)
    for path in written:
        click.echo(f"wrote {path} ({_size(path.stat().st_size)})", err=True)


def _echo_problems(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)


def main() -> None:
    cli(prog_name="dprk-timeline")


