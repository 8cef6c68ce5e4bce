"""The events file behind a running dashboard: reloaded when it changes, last good version kept.

A page load asks for ``current()``. If the file changed on disk it is validated again;
when the new version is invalid (or missing, or half-written) the dashboard keeps the
last valid data and exposes the problems so the page can show them in a banner.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths
from .events import load_events
from .filters import prepare
from .problems import EventsError, UnreadableFile
from .registry import Registry, bundled_registry, display_registry, stamps
from .retired import load_retired

# A change is read once the file has kept the same size and mtime for SETTLE_STEP seconds.
SETTLE_STEP = 0.15
SETTLE_MAX = 2.0


@dataclass(frozen=True)
class Snapshot:
    """One consistent view of the data: a callback uses a single snapshot, never a mix."""

    events: pd.DataFrame
    problems: tuple[str, ...] = ()
    version: int = 0
    registry: Registry = field(default_factory=bundled_registry)  # names, colours, publisher types of these events
    retired: Mapping[str, str] = field(default_factory=dict)  # retired id -> the event that replaces it


class EventsSource:
    """Holds the last valid events of a file (and its retired ids) and reloads them when it, its
    retired.csv, or the actors.csv or publishers.csv beside it change."""

    def __init__(self, path: Path, events: pd.DataFrame | None = None):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp = self._stat()
        first = load_events(self.path) if events is None else events
        registry = display_registry(self.path)
        self._snapshot = Snapshot(prepare(first, registry), registry=registry, retired=load_retired(self.path, first))

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
            stamp = self._settled_stamp()
            if stamp != self._stamp:
                snapshot = self._reload()
                # a writer that went on while we read would give us a mix of two versions:
                # keep what we had and look again on the next request
                if self._stat() == stamp:
                    self._stamp, self._snapshot = stamp, snapshot
        return self._snapshot

    def _settled_stamp(self):
        """Wait (briefly) until the file stops changing, so a save in progress is not read half-way."""
        stamp = self._stat()
        deadline = time.monotonic() + SETTLE_MAX
        while time.monotonic() < deadline:
            time.sleep(SETTLE_STEP)
            again = self._stat()
            if again == stamp:
                return stamp
            stamp = again
        return stamp

    def _reload(self) -> Snapshot:
        old = self._snapshot
        try:
            events = load_events(self.path)
            retired = load_retired(self.path, events)
        except EventsError as err:
            return Snapshot(old.events, tuple(str(p) for p in err.problems), old.version, old.registry, old.retired)
        except UnreadableFile as err:
            return Snapshot(old.events, (str(err),), old.version, old.registry, old.retired)
        registry = display_registry(self.path)
        return Snapshot(prepare(events, registry), (), old.version + 1, registry, retired)


class StaticSource:
    """A fixed frame (tests, or data handed in by code): never reloads. Its names are the bundled registry's."""

    def __init__(self, events: pd.DataFrame, retired: Mapping[str, str] | None = None):
        self._snapshot = Snapshot(prepare(events), retired=dict(retired or {}))

    def current(self) -> Snapshot:
        return self._snapshot
