"""The dprk-timeline command: serve the dashboard, validate events files, export HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, paths
from .events import load_events
from .problems import EventsError, UnreadableFile
from .summary import summary_line

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def report_problems(err: EventsError) -> None:
    for problem in err.problems:
        click.echo(str(problem), err=True)
    noun = "problem" if len(err.problems) == 1 else "problems"
    click.echo(f"{err.path}: {len(err.problems)} {noun}; fix them and run 'dprk-timeline validate' again", err=True)


def load_or_exit(path: Path | None):
    """Load events for a command, turning data errors into exit codes instead of tracebacks."""
    try:
        return load_events(path)
    except UnreadableFile as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except EventsError as err:
        report_problems(err)
        sys.exit(EXIT_INVALID)


events_option = click.option(
    "--events", "events_path", type=click.Path(path_type=Path, dir_okay=True), default=None,
    metavar="PATH", help="Events CSV to use instead of the bundled one.",
)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dprk-timeline")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A sourced, interactive timeline of Russia–North Korea cooperation since 2023.

    Without a command, starts the dashboard (same as 'serve').

    Example:

    \b
        dprk-timeline                     # dashboard on http://127.0.0.1:8050
        dprk-timeline validate my.csv     # check your own events file
        dprk-timeline export --out report # static HTML that opens offline
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@cli.command()
@click.argument("paths_", metavar="[PATH ...]", nargs=-1, type=click.Path(path_type=Path))
def validate(paths_: tuple[Path, ...]) -> None:
    """Check events CSV files against the schema (default: the bundled events.csv).

    Prints a one-line summary per valid file. Lists every problem as
    FILE:LINE: COLUMN: message. Exit code 0 when all files are valid,
    1 when a file has problems, 2 when a file is missing or unreadable.

    Example:

    \b
        dprk-timeline validate
        dprk-timeline validate my-events.csv other.csv
    """
    code = EXIT_OK
    for path in paths_ or (paths.events_csv(),):
        try:
            events = load_events(path)
        except UnreadableFile as err:
            click.echo(f"error: {err}", err=True)
            code = EXIT_UNREADABLE
            continue
        except EventsError as err:
            report_problems(err)
            code = max(code, EXIT_INVALID)
            continue
        click.echo(f"{path}: valid: {summary_line(events)}")
    sys.exit(code)


def main() -> None:
    cli(prog_name="dprk-timeline")
