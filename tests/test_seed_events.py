"""The seed articles' events, end to end: extract_document on each seed, then reconcile."""

from __future__ import annotations

import random
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from natotimeline.extract import extract_document
from natotimeline.reconcile import Reconciled, reconcile
from natotimeline.records import DocumentExtract

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = tomllib.loads((ROOT / "tests" / "fixtures" / "events_seed.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def seeds() -> tuple[tuple[DocumentExtract, ...], Reconciled]:
    docs = tuple(extract_document(p.name[:3], p.read_text(encoding="utf-8"))
                 for p in sorted((ROOT / "seeds").glob("*.txt")))
    return docs, reconcile(docs)


@pytest.mark.parametrize("exp", EXPECTED["event"], ids=[e["what"] for e in EXPECTED["event"]])
def test_seed_event(exp: dict) -> None:
    _, result = seeds()
    found = []
    for e in result.events:
        sources = {uri for uri, _ in e.mentions}
        if (e.event_type in exp["types"] and e.date_value == exp["date"] and e.precision == exp["precision"]
                and set(exp["sources"]) <= sources
                and exp.get("title", "") in e.title
                and ("location" not in exp or e.location == exp["location"])
                and set(exp.get("actors", [])) <= {a.name for a in e.actors}):
            found.append(e)
    assert len(found) == 1, [(e.event_type, e.date_value, e.title, e.location, [u for u, _ in e.mentions])
                             for e in result.events if e.event_type in exp["types"]]


def test_no_events_from_text_that_is_not_the_article() -> None:
    docs, _ = seeds()
    for d in docs:
        for e in d.events:
            assert not any(s < e.char_end and e.char_start < t for s, t, _ in d.dropped), e.quote
            assert not any(word in e.quote for word in EXPECTED["forbidden"]["quotes"]), e.quote


def test_mentions_point_at_their_sentences() -> None:
    docs, result = seeds()
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    by_uri = {d.uri: d for d in docs}
    for d in docs:
        for e in d.events:
            assert texts[d.uri][e.char_start:e.char_end] == e.quote
            assert texts[d.uri][e.date_start_char:e.date_end_char] == e.date_expression
    for event in result.events:
        assert len({uri for uri, _ in event.mentions}) == len(event.mentions)
        for uri, index in event.mentions:
            assert by_uri[uri].events[index].event_type


def test_corroborated_publication_dates() -> None:
    _, result = seeds()
    got = {uri: p.value.isoformat() for uri, p in result.publication_overrides.items() if p.value}
    assert got == EXPECTED["corroborated"]
    assert all(p.basis == "corroborated" and p.evidence for p in result.publication_overrides.values())


def test_every_event_is_dated_and_keys_are_unique() -> None:
    _, result = seeds()
    assert len({e.key for e in result.events}) == len(result.events)
    assert all(e.date_value and e.precision != "unknown" for e in result.events)


def test_reconcile_ignores_source_order() -> None:
    docs, result = seeds()
    rnd = random.Random(20250424)
    for _ in range(3):
        shuffled = list(docs)
        rnd.shuffle(shuffled)
        assert reconcile(shuffled) == result
