"""The events file behind a running dashboard: reloaded when it changes, last good version kept.

A page load asks for ``current()``. If the file changed on disk, a thread reads it in the background;
the page waits for it at most RELOAD_WAIT seconds from the moment the reading started (an ordinary edit
is shown on the next page load), then gets the last snapshot. So a file that takes long to read (a huge
or hostile one) never holds page loads up: they are served the last valid data meanwhile. When the new
version is invalid (or missing, or not a regular file) the dashboard keeps the last valid data and
exposes the problems so the page can show them in a banner, with the file's name but not its folder.

A change is read only once the file has stopped changing for SETTLE seconds (same size, modification
time and inode), and it is taken only if it did not change while being read. A save that pauses for
longer than SETTLE half-way can still be read half-way: save by writing another file and renaming it
over this one (what most editors and spreadsheets do), which replaces it at once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .. import paths
from .events import load_events
from .filters import prepare
from .problems import EventsError, UnreadableFile
from .registry import Registry, bundled_registry, display_registry, stamps
from .retired import load_retired

SETTLE = 1.0  # seconds a changed file must keep the same size, mtime and inode before it is read
SETTLE_STEP = 0.1  # how often a changing file is looked at
RELOAD_WAIT = 3.0  # longest a page load waits for a reload (counted from its start), then the last snapshot


@dataclass(frozen=True)
class Snapshot:
    """One consistent view of the data: a callback uses a single snapshot, never a mix."""

    events: pd.DataFrame
    problems: tuple[str, ...] = ()
    version: int = 0
    registry: Registry = field(default_factory=bundled_registry)  # names, colours, publisher types of these events
    retired: Mapping[str, str] = field(default_factory=dict)  # retired id -> the event that replaces it
    # the same data in every process serving it (workers count their own versions): its files' stamps
    token: str = ""


def _token(stamp) -> str:
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]


class EventsSource:
    """Holds the last valid events of a file (and its retired ids) and reloads them in the background
    when it, its retired.csv, or the actors.csv or publishers.csv beside it change."""

    def __init__(self, path: Path, events: pd.DataFrame | None = None):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._reloaded = threading.Condition(self._lock)
        self._stamp = self._stat()
        first = load_events(self.path) if events is None else events
        registry = display_registry(self.path)
        self._snapshot = Snapshot(prepare(first, registry), registry=registry, retired=load_retired(self.path, first),
                                  token=_token(self._stamp))
        self._reload_started: float | None = None  # monotonic time the running reload began, None when idle

    def _stat(self):
        return (self._stat_of(self.path), self._stat_of(paths.retired_csv(self.path)), stamps(self.path))

    @staticmethod
    def _stat_of(path: Path):
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def current(self) -> Snapshot:
        if self._stat() == self._stamp:
            return self._snapshot
        with self._lock:
            if self._reload_started is None:
                self._reload_started = time.monotonic()
                threading.Thread(target=self._reload_until_settled, name="events-reload", daemon=True).start()
            deadline = self._reload_started + RELOAD_WAIT
            self._reloaded.wait_for(lambda: self._reload_started is None, timeout=max(0.0, deadline - time.monotonic()))
            return self._snapshot

    def _reload_until_settled(self) -> None:
        try:
            while True:
                stamp = self._settled_stamp()
                snapshot = self._read()
                # a writer that went on while we read would give us a mix of two versions: read it again
                if self._stat() == stamp:
                    break
        except BaseException as exc:  # never leave page loads waiting on a reload that died
            old = self._snapshot
            snapshot = replace(old, problems=(f"{self.path.name}: could not be reloaded ({exc})",))
            stamp = self._stat()
        if snapshot.version != self._snapshot.version:
            snapshot = replace(snapshot, token=_token(stamp))
        with self._lock:
            self._stamp, self._snapshot = stamp, snapshot
            self._reload_started = None
            self._reloaded.notify_all()

    def _settled_stamp(self):
        """Wait until the file has not changed for SETTLE seconds, so a save in progress is not read half-way."""
        stamp, since = self._stat(), time.monotonic()
        events_stat = stamp[0]  # (the events file's; the small files beside it are written at once)
        if events_stat is not None and time.time_ns() - events_stat[0] >= SETTLE * 1e9:
            return stamp  # last changed long enough ago (and not in the future): settled already
        while time.monotonic() - since < SETTLE:
            time.sleep(SETTLE_STEP)
            again = self._stat()
            if again != stamp:
                stamp, since = again, time.monotonic()
        return stamp

    def _read(self) -> Snapshot:
        old = self._snapshot
        try:
            events = load_events(self.path)
            retired = load_retired(self.path, events)
        except EventsError as err:
            # (the banner shows every visitor the file's name, never the server's path)
            return replace(old, problems=tuple(str(replace(p, path=Path(p.path).name)) for p in err.problems))
        except UnreadableFile as err:
            return replace(old, problems=(f"{self.path.name}: {err.reason}",))
        registry = display_registry(self.path)
        return Snapshot(prepare(events, registry), (), old.version + 1, registry, retired)


class StaticSource:
    """A fixed frame (tests, or data handed in by code): never reloads. Its names are the bundled registry's."""

    def __init__(self, events: pd.DataFrame, retired: Mapping[str, str] | None = None):
        self._snapshot = Snapshot(prepare(events), retired=dict(retired or {}))

    def current(self) -> Snapshot:
        return self._snapshot
