"""The data package: frictionless (the standard's reference implementation) accepts it; version and changelog agree."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from dashboard import paths

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def frictionless():
    try:
        import frictionless
    except ImportError:
        if IN_CI:
            raise  # CI installs the test extra: never skip there
        pytest.skip("frictionless is not installed (pip install -e '.[test]')")
    return frictionless


def _errors(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_pkg001_frictionless_validates_the_whole_package(frictionless):
    report = frictionless.validate(str(ROOT / "datapackage.json"))
    assert report.valid, _errors(report)
    assert [task.name for task in report.tasks] == [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text())["resources"]]
    assert report.tasks[0].stats["rows"] > 0


def test_pkg002_frictionless_validates_retired_ids_against_their_schema(frictionless):
    resource = frictionless.Resource(path="retired.csv", schema=str(paths.retired_schema_json().relative_to(ROOT)), basepath=str(ROOT))
    report = resource.validate()
    assert report.valid, _errors(report)


def test_pkg003_frictionless_really_checks_our_schemas(frictionless, tmp_path):
    """The same package with a bad row: frictionless must reject it (so a pass above means something)."""
    shutil.copy(ROOT / "datapackage.json", tmp_path)
    shutil.copytree(ROOT / "dashboard" / "data" / "schema", tmp_path / "dashboard" / "data" / "schema")
    for registry in ("actors.csv", "publishers.csv"):  # the package's other resources, unchanged
        shutil.copy(ROOT / registry, tmp_path)
    lines = (ROOT / "events.csv").read_text(encoding="utf-8").split("\n")
    lines[1] = "Not An Id" + lines[1][lines[1].index(","):]
    (tmp_path / "events.csv").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "retired.csv").write_text("id,replaced_by,date,why\nold-id,treaty-signed,2026-03,\n", encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid and [(e[1], e[2]) for e in _errors(report)] == [("id", "constraint-error")]
    retired = frictionless.Resource(path="retired.csv", schema="dashboard/data/schema/retired.schema.json", basepath=str(tmp_path)).validate()
    assert sorted(e[1] for e in _errors(retired)) == ["date", "why"]


def test_pkg004_version_changelog_and_readme_agree():
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["version"])
    changelog = (ROOT / package["x-changelog"]).read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(package['version'])}\b", changelog, re.M), "the changelog needs a section for this version"
    section = changelog.split(f"## {package['version']}")[1].split("\n## ")[0]
    assert all(f"### {part}" in section for part in ("Added", "Changed", "Retired ids"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CHANGELOG-data.md" in readme and f"(version {package['version']})" in readme
