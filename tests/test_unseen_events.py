"""Key events of articles from outlets the rules were not written for, after reconciliation."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from natotimeline.extract import extract_document
from natotimeline.reconcile import Reconciled, reconcile

FIXTURES = Path(__file__).parent / "fixtures"
UNSEEN = FIXTURES / "unseen"
EXPECTED = tomllib.loads((FIXTURES / "unseen_events.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _reconciled() -> Reconciled:
    docs = [extract_document(p.stem, p.read_text(encoding="utf-8")) for p in sorted(UNSEEN.glob("*.txt"))]
    return reconcile(docs)


def _of(article: str) -> list:
    return [e for e in _reconciled().events if any(uri == article for uri, _ in e.mentions)]


def _describe(events: list) -> list[tuple]:
    return [(e.event_type, e.date_value, e.precision, e.title) for e in events]


@pytest.mark.parametrize("exp", EXPECTED["event"], ids=lambda e: f"{e['article']}-{e['types'][0]}-{e['date']}")
def test_expected_event(exp: dict) -> None:
    events = _of(exp["article"])
    found = [e for e in events if e.event_type in exp["types"] and e.date_value == exp["date"]
             and e.precision == exp["precision"]
             and exp.get("title_has", "") in e.title
             and (not exp.get("actor") or any(exp["actor"] in a.name for a in e.actors))]
    assert found, _describe(events)


@pytest.mark.parametrize("exp", EXPECTED["absent"], ids=lambda e: f"{e['article']}-{e['types'][0]}-{e['date']}")
def test_absent_event(exp: dict) -> None:
    events = _of(exp["article"])
    assert not [e for e in events if e.event_type in exp["types"] and e.date_value == exp["date"]], _describe(events)


@pytest.mark.parametrize("exp", EXPECTED["separate"], ids=lambda e: "+".join(e["articles"]))
def test_sources_do_not_share_events(exp: dict) -> None:
    first, second = exp["articles"]
    shared = [e for e in _of(first) if any(uri == second for uri, _ in e.mentions)]
    assert not shared, _describe(shared)


@pytest.mark.parametrize("exp", EXPECTED["together"], ids=lambda e: f"{e['types'][0]}-{e['date']}")
def test_sources_share_one_event(exp: dict) -> None:
    events = [e for e in _reconciled().events if e.event_type in exp["types"] and e.date_value == exp["date"]]
    assert any(set(exp["articles"]) <= {uri for uri, _ in e.mentions} for e in events), [
        sorted({uri for uri, _ in e.mentions}) for e in events]


def test_no_title_cut_at_a_decimal_point() -> None:
    for path in sorted(UNSEEN.glob("*.txt")):
        for e in extract_document(path.stem, path.read_text(encoding="utf-8")).events:
            last = e.title.rsplit(" ", 1)[-1]
            assert not re.search(re.escape(last) + r"\.\d", e.quote) or not last[-1:].isdigit(), e.title
