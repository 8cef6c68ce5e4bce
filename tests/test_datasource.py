"""A running dashboard's data: reloaded on change, last good version kept when a change is invalid."""

from __future__ import annotations

import os

from dashboard.data.datasource import EventsSource
from tests.conftest import HEADER, row


def _touch_later(path):
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_src001_change_on_disk_is_picked_up(write_csv):
    path = write_csv(HEADER + "\n" + row() + "\n")
    source = EventsSource(path)
    assert list(source.current().events["id"]) == ["e1"]
    path.write_text(HEADER + "\n" + row() + "\n" + row(id="e2") + "\n", encoding="utf-8")
    _touch_later(path)
    snapshot = source.current()
    assert list(snapshot.events["id"]) == ["e1", "e2"] and snapshot.problems == () and snapshot.version == 1


def test_src002_invalid_change_keeps_last_good_data_and_reports(write_csv):
    path = write_csv(HEADER + "\n" + row() + "\n")
    source = EventsSource(path)
    path.write_text(HEADER + "\n" + row(date="2025-02-30") + "\n", encoding="utf-8")
    _touch_later(path)
    snapshot = source.current()
    assert list(snapshot.events["id"]) == ["e1"]
    assert snapshot.problems == (f"{path.name}:2: date: '2025-02-30' is not a real date (2025-02 has no day 30); write YYYY-MM-DD for a day, YYYY-MM for a month or YYYY for a year (e.g. 2024-06-19, 2024-06, 2024)",)
    path.write_text(HEADER + "\n" + row(id="fixed") + "\n", encoding="utf-8")
    _touch_later(path)
    assert list(source.current().events["id"]) == ["fixed"] and source.current().problems == ()


def test_src003_deleted_file_keeps_serving(write_csv):
    path = write_csv(HEADER + "\n" + row() + "\n")
    source = EventsSource(path)
    path.unlink()
    snapshot = source.current()
    assert list(snapshot.events["id"]) == ["e1"]
    assert snapshot.problems == (f"{path.name}: no such file",)


def test_src004_the_same_data_has_the_same_token_in_every_process(write_csv):
    """Worker processes number their versions of the data themselves; the token says which data it is, so a
    page served by one worker and answered by another is told apart from a different file."""
    path = write_csv(HEADER + "\n" + row() + "\n")
    first, second = EventsSource(path), EventsSource(path)  # (two workers)
    assert first.current().token and first.current().token == second.current().token
    before = first.current().token
    path.write_text(HEADER + "\n" + row(date="2025-02-30") + "\n", encoding="utf-8")  # invalid: the data stays
    _touch_later(path)
    assert first.current().problems and first.current().token == before
    path.write_text(HEADER + "\n" + row(id="other") + "\n", encoding="utf-8")
    _touch_later(path)
    changed = first.current()
    assert list(changed.events["id"]) == ["other"] and changed.version == 1 and changed.token != before
    assert EventsSource(path).current().token == changed.token  # (a worker started now: version 0, same data)
