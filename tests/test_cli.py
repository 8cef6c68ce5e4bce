"""The dprk-timeline command line: exit codes and output of validate, help everywhere."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from dashboard.cli import cli
from tests.conftest import HEADER, row


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_cli001_validate_bundled_exits_0_with_summary():
    result = run("validate")
    assert result.exit_code == 0
    assert "valid: 89 events, 2023-07-25 to 2026-03-16, 9 categories (diplomacy 27, treaty 6" in result.output


def test_cli002_invalid_file_exits_1_listing_every_error(write_csv):
    path = write_csv("\n".join([HEADER, row(date="2025-02-30"), row(id="e2", category="nope")]) + "\n")
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:2: date: '2025-02-30' is not a real date")
    assert lines[1].startswith(f"{path}:3: category: 'nope' is not allowed")
    assert lines[2] == f"{path}: 2 problems; fix them and run 'dprk-timeline validate {path}' again"
    assert "Traceback" not in result.output


def test_cli003_missing_file_exits_2(tmp_path):
    result = run("validate", str(tmp_path / "missing.csv"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing.csv'}: no such file\n"


def test_cli004_directory_exits_2(tmp_path):
    assert run("validate", str(tmp_path)).exit_code == 2


def test_cli005_several_files_worst_code_wins(write_csv, tmp_path):
    good = write_csv(HEADER + "\n" + row() + "\n", "good.csv")
    bad = write_csv(HEADER + "\n" + row(category="x") + "\n", "bad.csv")
    assert run("validate", str(good), str(bad)).exit_code == 1
    assert run("validate", str(good), str(bad), str(tmp_path / "none.csv")).exit_code == 2
    result = run("validate", str(good))
    assert result.stdout == f"{good}: valid: 1 event, 2024-06-19 to 2024-06-19, 1 category (treaty 1)\n"
    # no registries beside the file: one note that its names were not checked
    assert result.stderr.startswith(f"note: {good}: no actors.csv or publishers.csv in its folder") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_cli006_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: cli {command}")
    assert "Example:" in result.output


def test_cli007_python_dash_m_is_the_same_program():
    out = subprocess.run([sys.executable, "-m", "dashboard", "validate"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "valid: 89 events" in out.stdout


def test_cli010_export_to_an_empty_out_is_a_usage_error(tmp_path, monkeypatch):
    # --out "$UNSET" once wrote into the current folder, over an index.html there
    monkeypatch.chdir(tmp_path)
    (tmp_path / "index.html").write_text("mine", encoding="utf-8")
    for value in ("", "  "):
        result = run("export", "--out", value)
        assert result.exit_code == 2
        assert "'--out': is empty; name the folder to write into" in result.stderr
    assert run("export", "--out").exit_code == 2
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_cli011_a_host_that_is_no_address_is_reported_as_such():
    result = run("serve", "--host", "999.1.1.1", "--port", "8050")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --host '999.1.1.1' is not an IP address or a host name that resolves")
    assert "in use" not in result.stderr
    result = run("serve", "--host", "192.0.2.1", "--port", "8050")  # TEST-NET-1: never this machine's
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --host '192.0.2.1' is not an address of this machine")


def test_cli012_ctrl_c_during_export_exits_130(tmp_path):
    import signal

    events = tmp_path / "big.csv"
    subprocess.run([sys.executable, "-m", "dashboard.data.synthetic", "20000", str(events)], check=True, capture_output=True)
    with subprocess.Popen([sys.executable, "-m", "dashboard", "export", "--events", str(events), "--out", str(tmp_path / "out")],
                          stderr=subprocess.PIPE, text=True) as proc:
        line = proc.stderr.readline()  # said once the events are read, as the report's building starts
        assert line.startswith("building the report of 20,000 events"), line
        proc.send_signal(signal.SIGINT)
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 130  # 128 + SIGINT; 1 would say the data is invalid
    assert "interrupted" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "index.html").exists()


def test_cli013_validate_does_not_load_plotly_or_the_export_code():
    # checking a file is the command people run most, in scripts and CI: it pays for what it uses only
    code = ("import sys\nfrom dashboard.cli import cli\ntry:\n    cli(['validate'])\nexcept SystemExit as e:\n"
            "    print(e.code, sorted(m for m in sys.modules if m.split('.')[0] == 'plotly' or m.startswith('dashboard.publish.')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stdout + proc.stderr
