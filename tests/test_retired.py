"""Retired ids: checked against the events, and links to them lead to the event that replaces them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.app import ids
from dashboard import paths
from dashboard.app.app import create_app
from dashboard.cli import cli
from dashboard.data.datasource import EventsSource
from dashboard.data.events import load_events
from dashboard.cli import export_command
from dashboard.data.filters import Filters
from dashboard.data.problems import EventsError
from dashboard.publish.report import report_html
from dashboard.data.retired import load_retired, replacement
from tests.conftest import HEADER, row

RETIRED_HEADER = "id,replaced_by,date,why"
EVENTS = HEADER + "\n" + row(id="shoigu-kim", title="Shoigu meets Kim") + "\n" + row(id="other", date="2024-07-01") + "\n"


@pytest.fixture
def dataset(tmp_path):
    """An events file and, beside it, retired.csv with the given lines; returns the events path."""
    def write(*lines: str):
        (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
        (tmp_path / "retired.csv").write_text("\n".join([RETIRED_HEADER, *lines]) + "\n", encoding="utf-8")
        return tmp_path / "events.csv"
    return write


def problems_of(path) -> list[str]:
    with pytest.raises(EventsError) as info:
        load_retired(path, load_events(path))
    return [str(p) for p in info.value.problems]


def test_ret001_no_retired_file_means_no_retired_ids(write_csv):
    path = write_csv(EVENTS)
    assert load_retired(path, load_events(path)) == {}


def test_ret002_bundled_retired_ids_are_valid_and_lead_to_events(bundled_events):
    assert paths.retired_csv() == paths.events_csv().parent / "retired.csv" and paths.retired_csv().is_file()
    retired = load_retired(None, bundled_events)
    assert set(retired.values()) <= set(bundled_events["id"]) and not set(retired) & set(bundled_events["id"])


def test_ret003_a_retired_id_maps_to_its_replacement(dataset):
    path = dataset('kcna-support,shoigu-kim,2026-03-20,"Duplicate: the same meeting, from the same KCNA text"')
    retired = load_retired(path, load_events(path))
    assert retired == {"kcna-support": "shoigu-kim"}
    assert replacement(retired, "kcna-support") == "shoigu-kim" and replacement(retired, "other") == "other"


def test_ret004_every_problem_is_located_in_retired_csv(dataset):
    path = dataset(
        "old-a,shoigu-kimm,2026-03-20,typo in the replacement",
        "other,shoigu-kim,2026-03-20,an event still uses it",
        "old-a,shoigu-kim,2026-03-20,retired twice",
        "Old B,shoigu-kim,2026-03,",
        '"old-c",shoigu-kim,"2026-02-30","a bad day"',
    )
    retired = path.parent / "retired.csv"
    assert problems_of(path) == [
        f"{retired}:2: replaced_by: 'shoigu-kimm' is not an event id; did you mean 'shoigu-kim'? a retired id must lead to an event of the events file",
        f"{retired}:3: id: 'other' is still the id of an event (events file line 3); a retired id must not be used by any event",
        f"{retired}:4: id: 'old-a' is retired twice (first on line 2); keep one row",
        f"{retired}:5: date: '2026-03' is not a day; write YYYY-MM-DD",
        f"{retired}:5: id: 'Old B' is not a valid id; use lower-case letters, digits and hyphens",
        f"{retired}:5: why: is empty; every retired id needs why (e.g. 'Duplicate: reports the 4 June 2025 Shoigu–Kim meeting from the same KCNA text.')",
        f"{retired}:6: date: '2026-02-30' is not a real date (2026-02 has no day 30); write YYYY-MM-DD for a day, YYYY-MM for a month or YYYY for a year (e.g. 2024-06-19, 2024-06, 2024)",
    ]


def test_ret005_missing_or_unknown_columns(tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS, encoding="utf-8")
    (tmp_path / "retired.csv").write_text("id,replaced,date,why\n", encoding="utf-8")
    path = tmp_path / "events.csv"
    assert problems_of(path) == [
        f"{tmp_path / 'retired.csv'}:1: header: missing column 'replaced_by'; the columns are: id, replaced_by, date, why",
        f"{tmp_path / 'retired.csv'}:1: header: unknown column 'replaced'; the columns are: id, replaced_by, date, why",
    ]


def test_ret006_validate_checks_the_retired_ids_beside_a_file(dataset):
    good = dataset("kcna-support,shoigu-kim,2026-03-20,duplicate")
    assert CliRunner().invoke(cli, ["validate", str(good)]).exit_code == 0
    bad = dataset("kcna-support,nowhere,2026-03-20,duplicate")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad.parent / 'retired.csv'}:2: replaced_by: 'nowhere' is not an event id")


def sync_url(client, search: str) -> dict:
    """The URL-and-controls callback as the browser calls it on page load with ``search``."""
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if d["output"].startswith("..url.search"))
    inputs = [{"id": i["id"], "property": i["property"], "value": search if i["id"] == ids.URL else None} for i in dep["inputs"]]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in dep["output"].strip(".").split("...")]
    body = {"output": dep["output"], "outputs": outputs, "inputs": inputs, "state": [], "changedPropIds": ["url.search"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def test_ret007_dashboard_link_to_a_retired_id_selects_its_replacement(bundled_events):
    client = create_app(bundled_events, retired={"ukmod-6000-old": "ukmod-6000"}).server.test_client()
    assert sync_url(client, "?category=combat-casualties&event=ukmod-6000-old")[ids.URL]["search"] == "?category=combat-casualties&event=ukmod-6000"
    assert ids.URL not in sync_url(client, "?event=ukmod-6000")  # a current id stays as it is


def test_ret008_served_file_reloads_its_retired_ids(dataset):
    path = dataset()
    source = EventsSource(path)
    assert dict(source.current().retired) == {}
    (path.parent / "retired.csv").write_text(RETIRED_HEADER + "\nkcna-support,shoigu-kim,2026-03-20,duplicate\n", encoding="utf-8")
    assert dict(source.current().retired) == {"kcna-support": "shoigu-kim"}
    (path.parent / "retired.csv").write_text(RETIRED_HEADER + "\nkcna-support,nowhere,2026-03-20,duplicate\n", encoding="utf-8")
    snapshot = source.current()  # an invalid edit: the last valid ids stay, the problem shows in the banner
    assert dict(snapshot.retired) == {"kcna-support": "shoigu-kim"} and "replaced_by: 'nowhere'" in snapshot.problems[0]


def test_ret009_report_anchors_every_event_and_each_retired_id_at_its_replacement(dataset):
    path = dataset("kcna-support,shoigu-kim,2026-03-20,duplicate")
    events = load_events(path)
    html = report_html(events, Filters(), plotlyjs="cdn", retired=load_retired(path, events))
    item = re.search(r'<li class="ev [^"]*" tabindex="0" id="event-shoigu-kim">(.*?)</li>\n', html).group(1)
    assert item.startswith('<div class="m"><span class="rid" id="event-kcna-support"></span><time ')
    assert 'id="event-other">' in html and html.count('id="event-kcna-support"') == 1


def test_ret010_export_command_reads_the_retired_ids(dataset, tmp_path):
    path = dataset("kcna-support,shoigu-kim,2026-03-20,duplicate")
    out = tmp_path / "out"
    result = CliRunner().invoke(export_command, ["--events", str(path), "--out", str(out), "--plotlyjs", "cdn"])
    assert result.exit_code == 0, result.output
    assert 'id="event-kcna-support"' in (out / "index.html").read_text(encoding="utf-8")
    (path.parent / "retired.csv").write_text(RETIRED_HEADER + "\nother,shoigu-kim,2026-03-20,x\n", encoding="utf-8")
    result = CliRunner().invoke(export_command, ["--events", str(path), "--out", str(out), "--plotlyjs", "cdn"])
    assert result.exit_code == 1 and "is still the id of an event" in result.stderr


def test_ret011_the_wheel_ships_the_retired_ids_beside_the_events():
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"events.csv" = "dashboard/_data/events.csv"' in pyproject
    assert '"retired.csv" = "dashboard/_data/retired.csv"' in pyproject
