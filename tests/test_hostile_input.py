"""Hostile input files (issue 10): every check takes time linear in the file and bounded memory, never hangs.

Times are compared with a baseline measured in the same run on the same machine (ratios with generous
bounds, never absolute seconds). Cases that used to hang run in a subprocess with a timeout, so the
test fails instead of hanging. The small hostile files with their exact messages are in tests/corpus/.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dashboard import csvfile
from dashboard.cli import cli
from dashboard.events import load_events
from dashboard.problems import UnreadableFile
from tests.conftest import HEADER, row


# ---------------------------------------------------------------- files that are not regular files


def _validate(path: str, **kwargs) -> subprocess.CompletedProcess:
    """dprk-timeline validate PATH in a subprocess, bounded in time (it used to hang) and memory (to 4 GB)."""
    def limit_memory():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    return subprocess.run([sys.executable, "-m", "dashboard", "validate", path], capture_output=True, text=True,
                          timeout=120, preexec_fn=limit_memory, **kwargs)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/full"])
def test_hin010_devices_are_refused_at_once(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    done = _validate(device)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr == f"error: {device}: is a device, not a regular file; give the path of a CSV file (to check data from a pipe, save it to a file first)\n"


def test_hin011_a_fifo_and_a_link_to_a_device_are_refused(tmp_path):
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)  # no writer: opening it for reading would wait forever
    done = _validate(str(fifo))
    assert done.returncode == 2 and done.stderr == f"error: {fifo}: is a pipe (FIFO), not a regular file; give the path of a CSV file (to check data from a pipe, save it to a file first)\n"
    link = tmp_path / "link.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(UnreadableFile, match="is a device, not a regular file"):
        load_events(link)


def test_hin012_a_pipe_on_stdin_that_never_ends_is_refused(tmp_path):
    read_end, write_end = os.pipe()  # the writer stays open: reading to the end would wait forever
    try:
        done = _validate("/dev/stdin", stdin=read_end)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert done.returncode == 2 and "/dev/stdin: is a pipe (FIFO), not a regular file" in done.stderr


def test_hin013_a_link_to_a_regular_file_is_read(write_csv, tmp_path):
    target = write_csv(HEADER + "\n" + row() + "\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert list(load_events(link)["id"]) == ["e1"]


def test_hin014_a_file_over_the_size_limit_exits_2_naming_file_and_limit(write_csv, monkeypatch):
    path = write_csv(HEADER + "\n" + row(description="x" * 3 * 1024 * 1024) + "\n")
    monkeypatch.setattr(csvfile, "MAX_FILE_BYTES", 2 * 1024 * 1024)  # (256 MB in use; the same rule)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: is 3 MB, larger than the 2 MB this tool reads at most; an events file of 100,000 events is about 60 MB\n"
    assert csvfile.read_bytes(path, limit=path.stat().st_size) == path.read_bytes()  # up to the limit itself is read
