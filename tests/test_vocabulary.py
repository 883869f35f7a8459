"""Domain vocabulary in the data files: currencies, scales, metrics, event triggers, organisations.

Every case runs the whole pipeline (``extract_document``); expectations are in
``fixtures/vocabulary_cases.toml``.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.extract import extract_document
from natotimeline.paths import data_file
from natotimeline.records import DocumentExtract, FigureMention

FIXTURES = Path(__file__).parent / "fixtures"
CASES = tomllib.loads((FIXTURES / "vocabulary_cases.toml").read_text(encoding="utf-8"))
HEADER = "Published: 4 June 2025\n\n"
AGENT_ROLES = {"agent", "speaker", "host"}


@cache
def _run(text: str) -> DocumentExtract:
    return extract_document("test://vocabulary", HEADER + text)


@cache
def _unseen(name: str) -> DocumentExtract:
    path = FIXTURES / "unseen" / f"{name}.txt"
    return extract_document(f"test://{name}", path.read_text(encoding="utf-8"))


def _figure(doc: DocumentExtract, written: str) -> FigureMention:
    found = [f for f in doc.figures if written in f.text]
    assert found, [(f.text, f.metric) for f in doc.figures]
    return found[0]


def _check_figure(doc: DocumentExtract, case: dict) -> None:
    fig = _figure(doc, case["figure"])
    assert fig.value == pytest.approx(case["value"], rel=1e-9)
    if "currency" in case:
        assert (fig.unit, fig.currency) == ("money", case["currency"])
    if "unit" in case:
        assert fig.unit == case["unit"]
    if "metric" in case:
        assert fig.metric == case["metric"]


def _check_event(doc: DocumentExtract, case: dict) -> None:
    found = [e for e in doc.events if e.event_type == case["type"] and e.date_value == case["date"]]
    assert found, [(e.event_type, e.date_value, e.title) for e in doc.events]
    if "agent" in case:
        assert any(a.name == case["agent"] and a.role in AGENT_ROLES for e in found for a in e.actors), found


def _check_actor(doc: DocumentExtract, case: dict) -> None:
    assert (case["name"], case["type"]) in {(a.name, a.actor_type) for a in doc.actors}


@pytest.mark.parametrize("case", CASES["figure"], ids=lambda c: c["figure"])
def test_figure_vocabulary(case: dict) -> None:
    _check_figure(_run(case["text"]), case)


@pytest.mark.parametrize("case", CASES["event"], ids=lambda c: c["text"][:40])
def test_event_vocabulary(case: dict) -> None:
    _check_event(_run(case["text"]), case)


@pytest.mark.parametrize("case", CASES["no_event"], ids=lambda c: c["text"][:40])
def test_trigger_word_in_another_sense_is_no_event(case: dict) -> None:
    doc = _run(case["text"])
    assert not [e for e in doc.events if e.event_type == case["type"]], [(e.event_type, e.title) for e in doc.events]


@pytest.mark.parametrize("case", CASES["actor"], ids=lambda c: c["name"])
def test_actor_vocabulary(case: dict) -> None:
    _check_actor(_run(case["text"]), case)


@pytest.mark.parametrize("case", CASES["unseen"], ids=lambda c: f"{c['file']}-{c['kind']}")
def test_unseen_article_vocabulary(case: dict) -> None:
    check = {"figure": _check_figure, "event": _check_event, "actor": _check_actor}[case["kind"]]
    check(_unseen(case["file"]), case)


@pytest.mark.parametrize(("text", "currency"), [
    ("The deal is worth 5 trillion South Korean won.", "KRW"),
    ("Ankara paid 40 billion Turkish lira for the drones.", "TRY"),
])
def test_nationality_before_a_currency_word_is_no_country(text: str, currency: str) -> None:
    doc = _run(text)
    assert not [a for a in doc.actors if a.actor_type == "country"], doc.actors
    assert [f.currency for f in doc.figures] == [currency]


def test_currency_codes_are_iso_like() -> None:
    with open(data_file("metrics.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    codes = set(raw["currency_prefix"].values()) | set(raw["currency_suffix"].values())
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes), sorted(codes)


def test_every_event_type_has_a_title_and_a_trigger() -> None:
    with open(data_file("event_types.toml"), "rb") as fh:
        types = tomllib.load(fh)["types"]
    for name, spec in types.items():
        assert len(name) <= 32
        assert spec.get("verbs") or spec.get("nouns"), name
        assert spec.get("titles"), name


def test_organisation_names_are_unique() -> None:
    with open(data_file("actors.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    names = [e["name"] for section in ("person", "organisation", "country", "group") for e in raw.get(section, ())]
    assert len(names) == len(set(names))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "zlotys", "yuan", "NT$", "won", "bln", "mln", "lakh crore", "Rs", "per cent of gross national income",
    "the Commission", "Estonian Defence Forces", "launched", "resigned", "took office", "opened", "passed the bill",
    " ", "1.5", "2,500", "drones", ".", ",", "\n\n", "on 3 March 2025",
]), max_size=30))
def test_vocabulary_words_in_any_order_do_not_crash(parts: list[str]) -> None:
    text = " ".join(parts)
    doc = extract_document("test://fuzz", text)
    assert all(text[f.char_start:f.char_end] == f.text for f in doc.figures)
    assert all(text[a.start:a.end] == a.alias for a in doc.actors)
