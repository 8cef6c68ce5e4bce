"""The README and the schema agree; the schema is a well-formed Table Schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dashboard import paths
from dashboard.data.datadict import BEGIN, END, data_dictionary_markdown

ROOT = Path(__file__).resolve().parent.parent
TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "date", "datetime", "year", "yearmonth", "list", "object", "array", "any"}


def test_doc001_readme_data_dictionary_is_generated_from_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(BEGIN): readme.index(END) + len(END)]
    assert block == data_dictionary_markdown(), "run: python -m dashboard.data.datadict and paste it into README.md"


def test_doc002_schema_is_a_table_schema_with_consistent_categories():
    schema = json.loads(paths.schema_json().read_text(encoding="utf-8"))
    names = [f["name"] for f in schema["fields"]]
    assert len(names) == len(set(names))
    assert all(f["type"] in TABLE_SCHEMA_TYPES for f in schema["fields"])
    category = next(f for f in schema["fields"] if f["name"] == "category")
    assert [c["value"] for c in category["categories"]] == category["constraints"]["enum"]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c["color"]) for c in category["categories"])
    assert len({c["color"] for c in category["categories"]}) == len(category["categories"])


def test_doc003_bundled_csv_header_matches_schema_order():
    schema = json.loads(paths.schema_json().read_text(encoding="utf-8"))
    header = paths.events_csv().read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [f["name"] for f in schema["fields"]]


def test_doc004_datapackage_points_at_the_real_files():
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]
    assert (ROOT / resource["path"]).is_file()
    assert (ROOT / resource["schema"]).resolve() == paths.schema_json()


def test_doc005_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.+?)\n```", readme)[:2]
    assert commands[0].endswith(".venv/bin/dprk-timeline")
    assert commands[1].endswith(".venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
