"""Source metadata: title and publisher from the article's own text."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.cleaning import clean_text
from natotimeline.source_meta import find_publisher, find_title

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
SEED_CASES = tomllib.loads((FIXTURES / "source_meta_seed.toml").read_text())["seed"]
CASES = tomllib.loads((FIXTURES / "source_meta_cases.toml").read_text())["case"]


def _check(text: str, case: dict) -> None:
    cleaned = clean_text(text)
    assert (find_title(text, cleaned) or "") == case["title"]
    publisher, evidence = find_publisher(text, cleaned)
    assert (publisher or "") == case["publisher"]
    assert bool(evidence) == bool(publisher)
    if "evidence" in case:
        assert case["evidence"] in evidence


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_seed(prefix: str) -> None:
    _check(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"), SEED_CASES[prefix])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_invented(case: dict) -> None:
    _check(case["text"], case)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_property_no_crash(text: str) -> None:
    cleaned = clean_text(text)
    title = find_title(text, cleaned)
    assert title is None or title in text
    publisher, evidence = find_publisher(text, cleaned)
    assert publisher is None or publisher in text
    assert isinstance(evidence, str)
