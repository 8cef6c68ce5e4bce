"""The actor and publisher registries: loading, their own checks, events checked against them, and what
they change in the filters, the search, the colours, the source tags and the export."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dashboard import paths
from dashboard.cli import cli
from dashboard.views.detail import event_detail
from dashboard.data.events import load_events
from dashboard.publish.export import export_files
from dashboard.views.figures import chart_claimants, claimant_color_map, claims_figure
from dashboard.data.filters import Filters, all_actors, apply_filters, prepare
from dashboard.data.problems import EventsError
from dashboard.data.registry import ACTORS_FILE, PUBLISHERS_FILE, bundled_registry, registry_beside
from dashboard.publish.report import report_html
from dashboard.views.table import table_body
from tests.conftest import HEADER, row

ROOT = Path(__file__).resolve().parent.parent
NIS_EVENTS = {"first-troops-shipped-vladivostok", "nis-first-report-12000", "nis-second-1500", "nis-11000-in-kursk",
              "nis-100-killed", "nis-300-2700", "nis-redeploy-reinforce", "nis-600-4700", "nis-deploy-july-august",
              "construction-troops-since-sept", "nis-2000-killed"}


@pytest.fixture
def folder(tmp_path):
    """A folder with copies of the bundled registries: events written there are checked against them."""
    for name in (ACTORS_FILE, PUBLISHERS_FILE):
        shutil.copy(paths.events_csv().parent / name, tmp_path / name)
    return tmp_path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(EventsError) as err:
        load_events(path)
    return [str(p) for p in err.value.problems]


def write(folder: Path, *rows: str) -> Path:
    path = folder / "events.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the bundled data


def test_reg001_bundled_registries_and_events_validate_with_no_problem(bundled_events):
    registry, problems = registry_beside(paths.events_csv())
    assert problems == ()
    assert len(registry.actors) > 80 and len(registry.publishers) > 80
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0 and result.stderr == ""  # no note: the registries are beside the bundled file
    # every actor and claimant of the data is a canonical name, every publisher and wire registered
    names = {a for actors in bundled_events["actors"] for a in actors}
    names |= {c.strip() for figures in bundled_events["figures"] for f in figures for c in f["claimant"].split(";")}
    assert all(registry.is_canonical(n) for n in names)
    for sources in bundled_events["sources"]:
        for s in sources:
            name, wires = registry.split_publisher(s["publisher"])
            assert registry.publisher(name) is not None and all(registry.publisher(w) for w in wires), s["publisher"]


def test_reg002_one_body_is_one_actor(bundled_events):
    actors = all_actors(bundled_events)
    assert actors.count("NIS") == 1
    for old in ("NIS (reporter)", "National Intelligence Service (ROK)", "Cho Tae-yong (NIS)", "Amb. Alexander Matsegora",
                "ROK JCS", "Ukrainian military", "MSMT member states", "Shin Won-sik (ROK MND)", "Shin Won-sik (ROK NSA)"):
        assert old not in actors
    assert {"Cho Tae-yong", "Alexander Matsegora", "ROK Joint Chiefs of Staff", "Ukrainian armed forces", "MSMT",
            "Shin Won-sik", "Lee Seong-kweun", "Park Sun-won"} <= set(actors)
    assert not [a for a in actors if "," in a]  # no two lawmakers joined into one actor
    registry = bundled_registry()
    assert registry.actor("Cho Tae-yong").body == "nis" and registry.ancestors("Cho Tae-yong") == ("NIS",)
    assert "National Security Adviser" in registry.actor("Shin Won-sik").description
    # the NIS filter finds its 11 events, the one that names only its director among them
    for events in (bundled_events, prepare(bundled_events)):
        assert set(apply_filters(events, Filters(actors=("NIS",)))["id"]) == NIS_EVENTS


def test_reg003_search_knows_aliases_and_transliterations(bundled_events):
    events = prepare(bundled_events)
    shoigu = set(apply_filters(events, Filters(actors=("Sergei Shoigu",)))["id"])
    assert len(shoigu) >= 5
    for spelling in ("Szojgu", "Шойгу", "쇼이구", "Sergey Shoygu", "szojgu"):
        assert set(apply_filters(events, Filters(text=spelling))["id"]) == shoigu, spelling
    assert set(apply_filters(events, Filters(text="Kim Dzong Un"))["id"]) == set(
        apply_filters(events, Filters(actors=("Kim Jong Un",)))["id"])
    # the bundled descriptions never spell it so: the match comes from the registry
    assert not events["description"].str.contains("Szojgu").any()


def test_reg004_independently_sourced_filter(bundled_events, folder):
    events = prepare(bundled_events)
    kept = apply_filters(events, Filters(independent=True))
    assert (len(events), len(kept)) == (89, 85)
    dropped = set(events["id"]) - set(kept["id"])
    # sourced only by state media (TASS, KCNA, New Eastern Outlook), or by KCNA's text carried by an aggregator
    assert dropped == {"igc-10th-session-2023", "medvedev-wpk80", "patriot-park-korean-guerrillas-sculpture",
                       "kim-museum-93-percent"}
    assert apply_filters(bundled_events, Filters(independent=True))["id"].tolist() == kept["id"].tolist()  # unprepared too
    assert Filters.from_query(Filters(independent=True).to_query()) == (Filters(independent=True), "")
    assert "indep=1" in Filters(independent=True).to_query()
    # an event sourced only by TASS and KCNA goes; a Yonhap report beside TASS keeps one; a TASS text
    # carried by another outlet is still TASS
    tass, kcna = "TASS |  | https://tass.com/1 | 2024-06-19", "KCNA |  | http://www.kcna.kp/en/1 | 2024-06-19"
    path = write(folder,
                 row(id="state-only", sources=f"{tass}\n{kcna}"),
                 row(id="with-yonhap", sources=f"{tass}\nYonhap |  | https://en.yna.co.kr/view/1 | 2024-06-19"),
                 row(id="tass-via-news-az", sources="News.Az (TASS) |  | https://news.az/news/1 | 2024-06-19"))
    mine = load_events(path)
    assert apply_filters(mine, Filters(independent=True))["id"].tolist() == ["with-yonhap"]


def test_reg005_claimant_colours_are_the_same_in_every_view_and_in_the_export(bundled_events):
    def colours(fig) -> dict[str, str]:
        data = fig["data"] if isinstance(fig, dict) else fig.to_plotly_json()["data"]
        return {t["name"]: t["marker"]["color"] for t in data
                if t.get("legendgroup") and not t["legendgroup"].startswith(("qualifier", "family"))}

    everything = colours(claims_figure(bundled_events))
    casualties = colours(claims_figure(apply_filters(bundled_events, Filters(categories=("combat-casualties",)))))
    nis = colours(claims_figure(apply_filters(bundled_events, Filters(actors=("NIS",), start="2025"))))
    files = export_files(bundled_events, Filters(categories=("combat-casualties",)), plotlyjs="cdn")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>',
                                files["index.html"]).group(1))
    exported = colours(next(c for c in data["charts"] if c["name"] == "claims")["figure"])
    assert len(everything) > 10 and casualties and nis and exported
    for view in (casualties, nis, exported):
        assert {name: everything[name] for name in view} == view
    assert len(set(everything.values())) == len(everything)  # every claimant its own colour
    assert claimant_color_map(chart_claimants(bundled_events)) == claimant_color_map(["NIS", *chart_claimants(bundled_events)])


def test_reg006_sources_are_tagged_with_their_publishers_type(bundled_events):
    registry = bundled_registry()
    assert registry.source_tags("TASS") == [("state media", True)]
    assert registry.source_tags("Korea Herald (Yonhap)") == [("newspaper", False)]
    assert registry.source_tags("News.Az (TASS)") == [("news site", False), ("TASS: state media", True)]
    assert registry.source_tags("Not Registered") == []
    event = bundled_events[bundled_events["id"] == "shoigu-pyongyang-2023"].iloc[0]
    detail = json.dumps(event_detail(event, registry).__repr__())
    assert "'state media'" in detail and "className='ptype state'" in detail
    rows = table_body(bundled_events.head(5), Filters(), registry)
    assert "ptype" in repr(rows) and "state media" in repr(rows)
    page = report_html(bundled_events, Filters(independent=True), plotlyjs="cdn")
    assert '<span class="pt st">state media</span>' in page and "independently sourced only" in page
    assert '<input type="checkbox" id="indep" checked>' in page


def test_reg007_the_report_searches_aliases_and_knows_independence(bundled_events):
    page = report_html(bundled_events, Filters(), plotlyjs="cdn")
    shoigu = re.findall(r'<li class="ev [^"]*" tabindex="0" id="event-[^"]*" data-al="([^"]*)"', page)
    assert any("Szojgu" in a and "Шойгу" in a and "쇼이구" in a for a in shoigu)
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page).group(1))
    import base64

    indep = np.frombuffer(base64.b64decode(data["events"]["indep"]["bdata"]), dtype=np.int8)
    assert len(indep) == 89 and int(indep.sum()) == 85


# ---------------------------------------------------------------- checks of events against the registries


def test_reg010_unknown_actor_is_reported_with_its_closest_names(folder):
    path = write(folder, row(actors="Vladimir Putin; Sergei Shoigo"))
    assert problems_of(path) == [
        f"{path}:2: actors: 'Sergei Shoigo' is not in actors.csv; closest: 'Sergei Shoigu', 'Sergei Lavrov'; use a registered name, "
        "or add the actor as a row of actors.csv (id,name,aliases,kind,country,body,description)"]


def test_reg011_an_alias_is_reported_with_its_canonical_name(folder):
    figures = "about 10000 | troops | NIS\n1000 | sappers | Shoigu (Russia)"
    path = write(folder, row(actors="Szojgu; NIS; NIS", figures=figures))
    assert problems_of(path) == [
        f"{path}:2: actors: 'NIS' is named twice; name each actor once",
        f"{path}:2: actors: 'Szojgu' is an alias of 'Sergei Shoigu' in actors.csv; write the canonical name 'Sergei Shoigu'",
        f"{path}:3: figures: figure 2: claimant 'Shoigu (Russia)' is an alias of 'Sergei Shoigu' in actors.csv; "
        "write the canonical name 'Sergei Shoigu'",
    ]


def test_reg012_publisher_wire_note_and_domain(folder):
    sources = "\n".join([
        "Tass |  | https://tass.com/1 | 2024-06-19",                     # unknown: closest TASS
        "Interfax (Art. 22) |  | https://interfax.com/1 | 2024-06-19",    # a note in the publisher part
        "TASS |  | https://www.example.com/1 | 2024-06-19",               # a domain TASS does not use
        "Korea Herald (Yonhap) |  | https://www.koreaherald.com/1 | 2024",  # fine: subdomain, registered wire
        "Yonhap |  | https://m-en.yna.co.kr/view/1 | 2024",                # fine: subdomain
    ])
    path = write(folder, row(sources=sources))
    found = problems_of(path)
    assert len(found) == 3
    assert found[0].startswith(f"{path}:2: sources: source 1: publisher 'Tass' is not in publishers.csv; closest: 'TASS'")
    assert found[1].startswith(f"{path}:3: sources: source 2: '(Art. 22)' after the publisher is not a registered wire")
    assert "move it to the NOTE part" in found[1]
    assert found[2] == (f"{path}:4: sources: source 3: the URL is on 'www.example.com', which 'TASS' does not publish on "
                        "(publishers.csv lists tass.com; tass.ru); check the URL and the publisher, or add the domain to publishers.csv")


def test_reg013_registry_files_are_checked_with_located_messages(folder):
    actors = folder / ACTORS_FILE
    lines = actors.read_text(encoding="utf-8").splitlines()
    lines += ["russia,Russia again,Szojgu,government,RU,nowhere,",  # duplicate id, alias of Shoigu, unknown body
              "loop-a,Loop A,,official,RU,loop-b,", "loop-b,Loop B,,official,RU,loop-a,",
              "bad-kind,Bad Kind,,ministery,Russia,,"]
    actors.write_text("\n".join(lines) + "\n", encoding="utf-8")
    publishers = folder / PUBLISHERS_FILE
    publishers.write_text(publishers.read_text(encoding="utf-8") + "new-one,New One,newspaper,KR,maybe,https://new.example/\n",
                          encoding="utf-8")
    path = write(folder, row())
    found = problems_of(path)
    n = len(lines)
    a, p = str(actors), str(publishers)
    assert f"{a}:{n - 3}: id: 'russia' is used twice (first on line 2); every row needs its own actor id" in found
    assert any(f.startswith(f"{a}:{n - 3}: aliases: alias 'Szojgu' already stands for 'Sergei Shoigu'") for f in found)
    assert any(f.startswith(f"{a}:{n - 3}: body: 'nowhere' is not the id of an actor") for f in found)
    assert f"{a}:{n - 2}: body: 'loop-b' leads back to this actor (bodies must not form a loop)" in found
    assert f"{a}:{n}: kind: 'ministery' is not allowed; did you mean 'ministry'? use one of: " in " ".join(found)
    assert any(f.startswith(f"{a}:{n}: country: 'Russia' does not have the right form") for f in found)
    assert any(f.startswith(f"{p}:") and "state_controlled: 'maybe' is not allowed" in f for f in found)
    assert any(f.startswith(f"{p}:") and "domains: 'https://new.example/' is not a bare domain; write the host name only, e.g. 'new.example'" in f
               for f in found)


def test_reg014_a_file_without_registries_is_not_checked_for_names_and_says_so(tmp_path, write_csv):
    path = write_csv(HEADER + "\n" + row(actors="Anyone At All", sources="My Outlet |  | https://example.org/1 | 2024") + "\n")
    assert load_events(path)["actors"].iat[0] == ["Anyone At All"]
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stderr.count("note:") == 1 and "not checked against a registry" in result.stderr
    # with only actors.csv beside it, actors are checked and publishers are not
    shutil.copy(paths.events_csv().parent / ACTORS_FILE, tmp_path / ACTORS_FILE)
    assert "'Anyone At All' is not in actors.csv" in problems_of(path)[0] and len(problems_of(path)) == 1


def test_reg015_a_running_dashboard_notices_a_changed_registry(folder):
    import os

    from dashboard.data.datasource import EventsSource

    path = write(folder, row(actors="Vladimir Putin"))
    source = EventsSource(path)
    assert source.current().problems == () and source.current().registry.actors_path == folder / ACTORS_FILE
    actors = folder / ACTORS_FILE
    actors.write_text(actors.read_text(encoding="utf-8").replace("vladimir-putin,Vladimir Putin,", "vladimir-putin,V. Putin,"),
                      encoding="utf-8")
    os.utime(actors, ns=(actors.stat().st_atime_ns, actors.stat().st_mtime_ns + 2_000_000_000))
    snapshot = source.current()
    assert snapshot.problems and "'Vladimir Putin' is not in actors.csv" in snapshot.problems[0]
    assert snapshot.version == 0  # the last good data stays on screen


# ---------------------------------------------------------------- the rewrite of events.csv


def _rewrite_module():
    spec = importlib.util.spec_from_file_location("registry_rewrite", ROOT / "docs" / "registry_rewrite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reg020_the_rewrite_moves_notes_and_changes_nothing_else():
    rewrite = _rewrite_module()
    registry = bundled_registry()
    old = HEADER + "\n" + row(
        title="Title, with a comma", actors="Cho Tae-yong (NIS); lawmakers Park Sun-won, Lee Seong-kweun",
        figures="about 3000 | troops | NIS (South Korea) |  | moved so far",
        sources="Interfax (Art. 22) | Headline | https://interfax.com/1 | 2024-12-05\n"
                "ReportSardegna24 (Italian) |  | https://www.reportsardegna24.it/x\n"
                "Chosun Ilbo (English) |  | https://chosun.com/1 | 2024-06-20 | page note") + "\n"
    new = rewrite.rewrite(old, registry)
    assert 'Cho Tae-yong; Park Sun-won; Lee Seong-kweun' in new
    assert "about 3000 | troops | NIS |  | moved so far" in new
    assert "Interfax | Headline | https://interfax.com/1 | 2024-12-05 | Art. 22" in new
    assert "ReportSardegna24 |  | https://www.reportsardegna24.it/x |  | Italian" in new
    assert "Chosun Ilbo |  | https://chosun.com/1 | 2024-06-20 | English; page note" in new
    assert rewrite.check(old, new, registry) == []
    assert rewrite.rewrite(new, registry) == new  # canonical data stays as it is
    # any other change is caught
    assert rewrite.check(old, new.replace("Title, with a comma", "Title, changed"), registry)
    assert rewrite.check(old, new.replace("| Headline |", "| Other headline |"), registry)
    assert rewrite.check(old, new.replace("about 3000", "about 3001"), registry)
