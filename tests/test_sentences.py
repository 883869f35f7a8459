"""Sentence splitting: exact offsets, abbreviations, quotes, headlines."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.cleaning import clean_text
from natotimeline.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
CASES = tomllib.loads((FIXTURES / "sentences_cases.toml").read_text())["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_invented(case: dict) -> None:
    text = case["text"]
    got = split_sentences(text, [(0, len(text))])
    assert [s.text for s in got] == case["sentences"]
    for s in got:
        assert text[s.start : s.end] == s.text


def test_only_kept_ranges() -> None:
    text = "First part. Skipped part. Last part."
    got = split_sentences(text, [(0, 11), (26, len(text))])
    assert [s.text for s in got] == ["First part.", "Last part."]


def test_seed_quote_across_lines() -> None:
    text = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    got = [s.text for s in split_sentences(text, clean_text(text).kept)]
    assert "But we need to go further, and faster,” Rutte said." in got
    assert "“There is no time to waste”." in got
    assert not any("Patron" in s for s in got)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_offsets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    got = split_sentences(text, clean_text(text).kept)
    assert got
    assert all(text[s.start : s.end] == s.text == s.text.strip() for s in got)
    assert all(a.end <= b.start for a, b in zip(got, got[1:]))


PIECES = st.sampled_from(["Mr.", "U.S.", "3.19%", " ", "\n", "\n\n", "He said.", "“Yes,”", "the", "A.", "?", "!", "\"", "Feb.", "NATO"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(PIECES, max_size=40).map(" ".join)), st.data())
def test_property_offsets_exact(text: str, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    got = split_sentences(text, [(a, b)])
    for s in got:
        assert a <= s.start < s.end <= b
        assert text[s.start : s.end] == s.text == s.text.strip()
    assert all(x.end <= y.start for x, y in zip(got, got[1:]))
