"""Cleaning: boilerplate is dropped, article text and captions are kept."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.cleaning import clean_text
from natotimeline.records import CleanedText

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
SEED_CASES = tomllib.loads((FIXTURES / "cleaning_seed.toml").read_text())["seed"]
CASES = tomllib.loads((FIXTURES / "cleaning_cases.toml").read_text())["case"]


def _seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _inside(ranges, start: int, end: int) -> bool:
    return any(r[0] <= start and end <= r[1] for r in ranges)


def _check(text: str, cleaned: CleanedText, dropped: list[str], kept: list[str]) -> None:
    for needle in dropped:
        start = text.index(needle)
        assert _inside(cleaned.dropped, start, start + len(needle)), f"not dropped: {needle!r}"
    for needle in kept:
        start = text.index(needle)
        assert _inside(cleaned.kept, start, start + len(needle)), f"not kept: {needle!r}"


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_seed(prefix: str) -> None:
    text = _seed_text(prefix)
    case = SEED_CASES[prefix]
    _check(text, clean_text(text), case["dropped"], case["kept"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_invented(case: dict) -> None:
    cleaned = clean_text(case["text"])
    _check(case["text"], cleaned, case["dropped"], case["kept"])
    if not case["dropped"]:
        assert cleaned.dropped == ()


def test_dropped_ranges_have_reasons() -> None:
    text = _seed_text("003")
    reasons = {r for _, _, r in clean_text(text).dropped}
    assert {"image metadata", "share buttons", "foreign-language footer"} <= reasons


def test_plain_article_is_kept_whole() -> None:
    text = "NATO ministers met in Brussels on Thursday.\n\nThey agreed a new plan."
    assert clean_text(text) == CleanedText(kept=((0, len(text)),), dropped=())


def test_empty() -> None:
    assert clean_text("") == CleanedText(kept=(), dropped=())


def _assert_partition(text: str, cleaned: CleanedText) -> None:
    spans = sorted([(s, e) for s, e in cleaned.kept] + [(s, e) for s, e, _ in cleaned.dropped])
    pos = 0
    for s, e in spans:
        assert 0 <= pos <= s < e <= len(text)
        assert not text[pos:s].strip()
        pos = e
    assert not text[pos:].strip()
    for s, e in cleaned.kept:
        assert text[s:e] == text[s:e].strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_property_ranges_partition_text(text: str) -> None:
    _assert_partition(text, clean_text(text))


LINES = st.sampled_from([
    "Allies met in Brussels on 13 February 2025.",
    "Share Tweet Email Print",
    "Please support our journalism on Patreon",
    "Minister Visits Troops",
    "",
    "808x539 cmsv2 bd22d417 75a9 53c3",
    "Çok güzel haberler burada",
    "(Photo: Example)",
    "He said the plan would cost $2 billion.",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=20))
def test_property_line_mixtures(lines: list[str]) -> None:
    text = "\n".join(lines)
    cleaned = clean_text(text)
    _assert_partition(text, cleaned)
    for s, e in cleaned.kept:
        assert "Share Tweet" not in text[s:e]
