"""Event extraction on invented sentences, with hand-made date and actor records."""

from __future__ import annotations

import calendar
import re
import string
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.events import extract_events, lexicon, relative_day_offset, title_tokens, weekday_of
from natotimeline.records import ActorMention, Sentence, TemporalMention

CASES = tomllib.loads((Path(__file__).parent / "fixtures" / "events_cases.toml").read_text(encoding="utf-8"))["case"]


def _bounds(value: str, precision: str) -> tuple[date | None, date | None]:
    if not value:
        return None, None
    parts = [int(p) for p in value.split("-")]
    if precision == "day":
        d = date(*parts)
        return d, d
    if precision == "month":
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def sentences_of(text: str) -> list[Sentence]:
    return [Sentence(m.group(), m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]


def dates_of(text: str, specs: list[list[str]]) -> list[TemporalMention]:
    out = []
    for spec in specs:
        expr, value, precision, *rest = spec
        start = text.index(expr)
        first, last = _bounds(value, precision)
        out.append(TemporalMention(expr, start, start + len(expr), value or None, precision,
                                   "explicit" if value else "unresolved", None, first, last,
                                   rest[0] if rest else None))
    return out


def actors_of(text: str, specs: list[list[str]]) -> list[ActorMention]:
    out = []
    for alias, name, kind in specs:
        start = text.index(alias)
        out.append(ActorMention(name, kind, alias, start, start + len(alias)))
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict) -> None:
    text = case["text"]
    events = extract_events(text, sentences_of(text), dates_of(text, case["dates"]), actors_of(text, case["actors"]))
    assert len(events) == case["count"], [(e.event_type, e.date_value, e.title) for e in events]
    for exp in case.get("expect", []):
        matches = [e for e in events if e.event_type == exp["type"] and (e.date_value or "") == exp["date"]]
        assert matches, (exp, [(e.event_type, e.date_value) for e in events])
        e = matches[0]
        assert e.precision == exp["precision"]
        if "title" in exp:
            assert e.title == exp["title"]
        if "location" in exp:
            assert (e.location or "") == exp["location"]
        if "expression" in exp:
            assert e.date_expression == exp["expression"]
        roles = {f"{a.name}={a.role}" for a in e.actors}
        assert set(exp.get("roles", [])) <= roles, roles


def test_offsets_are_exact_on_cases() -> None:
    for case in CASES:
        text = case["text"]
        for e in extract_events(text, sentences_of(text), dates_of(text, case["dates"]),
                                actors_of(text, case["actors"])):
            assert text[e.char_start:e.char_end] == e.quote
            assert text[e.date_start_char:e.date_end_char] == e.date_expression


def test_lexicon_templates_use_known_fields() -> None:
    known = {"name", "run", "agent", "agent_poss", "agent_person", "participant", "participant_person",
             "location", "org", "portfolio", "portfolio_cap", "object", "target", "trigger_noun", "trigger"}
    lex = lexicon()
    assert {"meeting", "summit", "report_release", "statement", "warning", "visit", "exercise", "pledge",
            "agreement", "aid_delivery", "attack", "announcement"} <= set(lex.types)
    for et in lex.types.values():
        assert et.titles, et.name
        for template in et.titles:
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            assert fields <= known, (et.name, template)


def test_relative_helpers() -> None:
    assert relative_day_offset("tomorrow") == 1
    assert relative_day_offset("yesterday") == -1
    assert relative_day_offset("3 May") is None
    assert weekday_of("on Thursday") == 3
    assert weekday_of("May") is None
    assert title_tokens("Rutte meets Hegseth") == {"rutte", "hegseth"}


WORDS = ["met", "meeting", "summit", "said", "warned", "in", "at", "Oslo", "the", "on", "Monday", "2024",
         "“", "”", '"', ",", "released", "report", "pledged", "to", "strike", "Today", "visited", "Rome",
         "two", "months", "before", "X", "Y", "\n", "NATO", "Summit", "of", "that", "—"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60), st.data())
def test_offsets_exact_on_random_sentences(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    dates = []
    for m in re.finditer(r"\b(?:Monday|2024|Today)\b", text):
        value = data.draw(st.sampled_from(["", "2024", "2024-05-06"]))
        precision = {"": "unknown", "2024": "year", "2024-05-06": "day"}[value]
        first, last = _bounds(value, precision)
        dates.append(TemporalMention(m.group(), m.start(), m.end(), value or None, precision, "explicit",
                                     None, first, last))
    actors = [ActorMention("Nato", "organisation", m.group(), m.start(), m.end())
              for m in re.finditer(r"\bNATO\b", text)]
    for e in extract_events(text, sentences_of(text), dates, actors):
        assert text[e.char_start:e.char_end] == e.quote
        assert text[e.date_start_char:e.date_end_char] == e.date_expression
        assert e.precision in ("day", "year", "month", "unknown")
        assert e.title


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_no_crash_on_arbitrary_text(text: str) -> None:
    for e in extract_events(text, sentences_of(text), [], []):
        assert text[e.char_start:e.char_end] == e.quote
