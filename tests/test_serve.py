"""'dprk-timeline serve' as a user starts it: safe defaults, clear failures, clean stop."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import HEADER, row


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp) listening on this port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


@pytest.fixture
def server():
    procs = []

    def start(*args: str):
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def wait_until_up(port: int, proc) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the dashboard did not start")


def test_srv001_listens_on_loopback_only_with_debug_off_and_stops_on_ctrl_c(server):
    port = free_port()
    proc = server("--port", str(port))
    wait_until_up(port, proc)
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 and nothing else
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
        html = page.read().decode()
    assert '"ui":false' in html  # Dash's developer tools are off
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/console", timeout=5) as console:
        assert "Werkzeug" not in console.read().decode()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert f"http://127.0.0.1:{port}/" in out and "dprk-timeline: stopped" in out
    assert "Traceback" not in err


def test_srv002_port_in_use_is_a_clear_error(server):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = server("serve", "--port", str(port))
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip() == f"error: port {port} on 127.0.0.1 is already in use; stop the other program or choose another with --port"


def test_srv003_invalid_csv_at_start_lists_problems(server, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\n" + row(date="2025-02-30") + "\n", encoding="utf-8")
    proc = server("--events", str(path), "--port", str(free_port()))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.startswith(f"{path}:2: date: '2025-02-30' is not a real date")
    assert "Traceback" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas exist on Linux only")
def test_srv004_the_server_keeps_glibc_to_few_malloc_arenas():
    from dashboard.cli import fewer_malloc_arenas

    assert fewer_malloc_arenas() is True  # Debian (glibc): the setting that keeps a long-running server small
