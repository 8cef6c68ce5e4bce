"""A running dashboard whose CSV is damaged, replaced, deleted or unreadable keeps serving."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time

import pytest

from dashboard import ids
from dashboard.app import create_app
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
    assert f"{path}:2: category: 'gossip' is not allowed" in banner(client)


def test_flt004_deleted_file(served):
    path, client = served
    path.unlink()
    assert len(row_ids(client)) == 20
    assert f"{path}: no such file" in banner(client)
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
