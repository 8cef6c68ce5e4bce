"""A running dashboard whose CSV is damaged, replaced, deleted or unreadable keeps serving."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time

import pytest

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.data.datasource import EventsSource
from tests.conftest import HEADER, render, row, table_ids

VERSION_A = HEADER + "\n" + "\n".join(row(id=f"a{i}", title=f"Version A {i}", date=f"2024-01-{i + 1:02d}") for i in range(20)) + "\n"
VERSION_B = HEADER + "\n" + "\n".join(row(id=f"b{i}", title=f"Version B {i}", date=f"2025-01-{i + 1:02d}") for i in range(25)) + "\n"


def bump(path) -> None:
    """Make the change visible even within the file system's timestamp resolution."""
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def row_ids(client) -> list[str]:
    return table_ids(render(client, ""))


def banner(client) -> str:
    return json.dumps(client.get("/_dash-layout").get_json())


@pytest.fixture
def served(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(VERSION_A, encoding="utf-8")
    client = create_app(csv_path=path).server.test_client()
    assert len(row_ids(client)) == 20
    return path, client


def test_flt001_truncated_mid_write_keeps_last_good_then_recovers(served):
    path, client = served
    # cut inside a row, as an interrupted write leaves it (a fixed share of the file could end a cell
    # where it still reads as valid, e.g. inside a URL)
    path.write_text(VERSION_B[: VERSION_B.index("b12,") + len("b12,2025-0")], encoding="utf-8")
    bump(path)
    assert row_ids(client) == [f"a{i}" for i in range(20)]
    assert "The events file changed and is now invalid" in banner(client)
    path.write_text(VERSION_B, encoding="utf-8")
    bump(path)
    assert len(row_ids(client)) == 25
    assert "now invalid" not in banner(client)


def test_flt002_atomic_replace_is_picked_up(served):
    path, client = served
    tmp = path.with_suffix(".tmp")
    tmp.write_text(VERSION_B, encoding="utf-8")
    os.replace(tmp, path)
    assert row_ids(client)[0] == "b0"


def test_flt003_invalid_content_shows_the_problems(served):
    path, client = served
    path.write_text(HEADER + "\n" + row(category="gossip") + "\n", encoding="utf-8")
    bump(path)
    assert len(row_ids(client)) == 20
    # the file's name, not the server's folder, which is no business of the visitors
    assert '"events.csv:2: category: \'gossip\' is not allowed' in banner(client) and str(path.parent) not in banner(client)


def test_flt004_deleted_file(served):
    path, client = served
    path.unlink()
    assert len(row_ids(client)) == 20
    assert '"events.csv: no such file"' in banner(client)
    path.write_text(VERSION_B, encoding="utf-8")
    assert len(row_ids(client)) == 25


def test_flt005_unreadable_file(served):
    path, client = served
    if os.geteuid() == 0:  # root reads through any permission bits: make the path a folder instead
        path.unlink()
        path.mkdir()
        reason = "is a directory"
    else:
        path.chmod(0)
        bump(path)
        reason = "permission denied"
    assert len(row_ids(client)) == 20
    assert reason in banner(client)
    if path.is_dir():
        path.rmdir()
    else:
        path.chmod(0o644)
    path.write_text(VERSION_B, encoding="utf-8")
    assert len(row_ids(client)) == 25


def test_flt006_a_slow_writer_never_produces_a_mix(served):
    path, client = served
    stop = time.monotonic() + 3
    errors: list[BaseException] = []

    def writer():
        try:
            version = 0
            while time.monotonic() < stop:
                text = (VERSION_A, VERSION_B)[version % 2]
                with open(path, "w", encoding="utf-8") as f:  # written in pieces, like a slow save
                    for start in range(0, len(text), 700):
                        f.write(text[start:start + 700])
                        f.flush()
                        time.sleep(0.01)
                version += 1
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    seen = set()
    while thread.is_alive():
        got = row_ids(client)
        prefixes = {i[0] for i in got}
        assert len(prefixes) == 1 and len(got) == (20 if prefixes == {"a"} else 25), got
        seen |= prefixes
    thread.join()
    assert not errors


def _until(check, seconds: float = 30.0):
    """Ask again until check() gives something true (a reload may take a moment); return it."""
    deadline = time.monotonic() + seconds
    while not (got := check()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return got


def test_flt007_a_save_that_pauses_at_a_row_boundary_is_never_served_half_written(tmp_path):
    """What every page load asks for (EventsSource.current), asked as often as it can be during a slow save."""
    path = tmp_path / "events.csv"
    path.write_text(VERSION_A, encoding="utf-8")
    source = EventsSource(path)
    lines = VERSION_B.splitlines(keepends=True)
    errors: list[BaseException] = []

    def writer():
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(lines[:11])  # the header and 10 of the 25 rows: on its own, a valid file
                f.flush()
                time.sleep(0.6)  # a pause at a row boundary (150 ms was enough to be served as complete)
                f.writelines(lines[11:])
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    deadline = time.monotonic() + 30
    while thread.is_alive() or (seen[-1] != 25 and time.monotonic() < deadline):
        got = list(source.current().events["id"])
        assert got in ([f"a{i}" for i in range(20)], [f"b{i}" for i in range(25)]), got
        seen.append(len(got))
    thread.join()
    assert not errors and seen[-1] == 25


def test_flt008_page_loads_do_not_wait_for_a_slow_reload(served, monkeypatch):
    """A file that takes long to read (huge or hostile) is read in the background: page loads get the
    last data meanwhile, waiting at most datasource.RELOAD_WAIT for it."""
    from dashboard.data import datasource

    path, client = served
    start = time.monotonic()
    row_ids(client)
    page = time.monotonic() - start  # one page load, for comparison
    release = threading.Event()
    timer = threading.Timer(30, release.set)  # (never left blocked, whatever happens)
    timer.daemon = True
    timer.start()
    real_load = datasource.load_events

    def slow_load(p):
        release.wait()  # a read that takes as long as the test wants
        return real_load(p)
    monkeypatch.setattr(datasource, "load_events", slow_load)
    try:
        path.write_text(VERSION_B, encoding="utf-8")
        bump(path)
        start = time.monotonic()
        assert len(row_ids(client)) == 20  # the last data, after waiting at most RELOAD_WAIT
        assert time.monotonic() - start < datasource.RELOAD_WAIT + 5 * page + 1
        for _ in range(3):  # the reload goes on: page loads no longer wait for it at all
            start = time.monotonic()
            assert len(row_ids(client)) == 20
            assert time.monotonic() - start < 5 * page + 0.5
    finally:
        release.set()
        timer.cancel()
    assert _until(lambda: len(row_ids(client)) == 25)


@pytest.mark.parametrize("replacement", ["fifo", "link to /dev/null"])
def test_flt009_a_file_replaced_by_a_pipe_or_device_keeps_the_last_data_and_says_why(served, replacement):
    path, client = served
    path.unlink()
    if replacement == "fifo":
        os.mkfifo(path)  # no writer: reading it would wait forever

        def unblock():  # (only an old, blocking open would be waiting for a writer)
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        timer = threading.Timer(30, unblock)
        timer.daemon = True
        timer.start()
        reason = "events.csv: is a pipe (FIFO), not a regular file"
    else:
        path.symlink_to("/dev/null")
        reason = "events.csv: is a device, not a regular file"
    start = time.monotonic()
    assert len(row_ids(client)) == 20
    assert reason in banner(client)
    assert time.monotonic() - start < 20
    path.unlink()
    path.write_text(VERSION_B, encoding="utf-8")
    assert _until(lambda: len(row_ids(client)) == 25)
