"""End to end: the real CLI loads the seeds, and the views show what the
issue asks for (tests/fixtures/seed_database.toml), one row per happening."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from natotimeline.db import make_engine

from dbdump import run_cli

EXPECTED = tomllib.loads((Path(__file__).parent / "fixtures" / "seed_database.toml").read_text())


def _prefix(uri: str) -> str:
    return uri.rsplit("/", 1)[-1][:3]


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict[str, list[dict]]:
    url = f"duckdb:///{tmp_path_factory.mktemp('seeddb') / 'seeds.duckdb'}"
    result = run_cli("run", str(seeds_dir), "--database", url, "-q")
    assert result.returncode == 0, result.stderr
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            return {
                name: [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {name}"))]
                for name in ("v_timeline", "v_event_mentions", "v_figures", "v_figure_conflicts", "v_actors", "v_sources")
            }
    finally:
        engine.dispose()


def _event_sources(views: dict, event_id: str) -> list[str]:
    return sorted({_prefix(m["source_uri"]) for m in views["v_event_mentions"] if m["event_id"] == event_id})


@pytest.mark.parametrize("expected", EXPECTED["events"], ids=[e["what"] for e in EXPECTED["events"]])
def test_required_event_is_one_row_with_all_its_sources(views: dict, expected: dict) -> None:
    matches = [
        e
        for e in views["v_timeline"]
        if e["event_type"] == expected["type"]
        and e["date_value"] == expected["date"]
        and all(w.lower() in e["title"].lower() for w in expected["title_words"])
    ]
    assert len(matches) == 1, [(e["date_value"], e["event_type"], e["title"]) for e in views["v_timeline"]]
    (event,) = matches
    assert event["date_precision"] == expected["precision"]
    assert _event_sources(views, event["event_id"]) == expected["sources"]
    assert event["n_sources"] == len(expected["sources"])
    if "location" in expected:
        assert event["location"] == expected["location"]
    for actor in expected.get("actors", []):
        assert actor in (event["actors"] or "").split("; ")


def test_no_event_comes_from_dropped_boilerplate(views: dict) -> None:
    for mention in views["v_event_mentions"]:
        for word in ("Patreon", "Bongino", "Paylaş", "Sahabet", "Public Release"):
            assert word not in mention["quote"]


@pytest.mark.parametrize("expected", EXPECTED["claims"], ids=[c["what"] for c in EXPECTED["claims"]])
def test_claims_across_sources(views: dict, expected: dict) -> None:
    matches = [c for c in views["v_figure_conflicts"] if c["metric"] == expected["metric"] and c["period"] == expected.get("period")]
    assert len(matches) == 1, views["v_figure_conflicts"]
    (claim,) = matches
    assert (claim["min_value"], claim["max_value"]) == (min(expected["values"]), max(expected["values"]))
    assert claim["n_sources"] == expected["n_sources"]
    assert claim["consistent"] is expected["consistent"]
    figures = [f for f in views["v_figures"] if f["metric"] == expected["metric"] and f["period"] == expected.get("period")]
    if "currency" in expected:
        assert {f["currency"] for f in figures} == {expected["currency"]}


def test_the_conflict_is_visible_with_each_sources_value(views: dict) -> None:
    (claim,) = [c for c in views["v_figure_conflicts"] if not c["consistent"]]
    assert "485" in claim["reported_values"] and "486" in claim["reported_values"]


@pytest.mark.parametrize("expected", EXPECTED["figures"], ids=lambda f: f"{f['source']}-{f['value']:g}-{f['unit']}")
def test_required_figure(views: dict, expected: dict) -> None:
    matches = [
        f
        for f in views["v_figures"]
        if _prefix(f["source_uri"]) == expected["source"]
        and f["value"] == pytest.approx(expected["value"])
        and f["unit"] == expected["unit"]
    ]
    assert matches, f"no {expected} in {sorted((f['value'], f['unit']) for f in views['v_figures'])}"
    figure = matches[0]
    for field in ("currency", "qualifier", "period", "alt_currency"):
        if field in expected:
            assert figure[field] == expected[field]
    if "alt_value" in expected:
        assert figure["alt_value"] == pytest.approx(expected["alt_value"])


def test_actors_once_each_and_none_from_boilerplate(views: dict) -> None:
    by_name = {}
    for actor in views["v_actors"]:
        assert actor["actor"] not in by_name, f"{actor['actor']} twice"
        by_name[actor["actor"]] = actor
    wanted = EXPECTED["actors"]
    for kind, names in (("person", wanted["people"]), ("organisation", wanted["organisations"]), ("country", wanted["countries"])):
        for name in names:
            assert name in by_name and by_name[name]["actor_type"] == kind, name
    for name in wanted["absent"]:
        assert not any(name.lower() in a.lower() for a in by_name), name
    for name, aliases in EXPECTED["aliases"].items():
        assert set(aliases) <= set(by_name[name]["aliases"].split("; ")), by_name[name]["aliases"]


@pytest.mark.parametrize("prefix", sorted(EXPECTED["sources"]))
def test_source_publication_date_and_basis(views: dict, prefix: str) -> None:
    expected = EXPECTED["sources"][prefix]
    (source,) = [s for s in views["v_sources"] if _prefix(s["source_uri"]) == prefix]
    assert source["published_on"] == date.fromisoformat(expected["published_on"])
    assert source["published_on_basis"] == expected["basis"]
    assert source["publisher"] == expected.get("publisher")
