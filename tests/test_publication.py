"""Publication-date inference on the seeds and on constructed texts."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.publication import infer_publication_date
from natotimeline.records import CleanedText

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = tomllib.loads((ROOT / "tests" / "fixtures" / "publication_dates.toml").read_text(encoding="utf-8"))
CASES = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in EXPECTED["seeds"]]
CASES = list(zip(CASES, EXPECTED["seeds"].values(), strict=True)) + [(c["text"], c) for c in EXPECTED["cases"]]


@pytest.mark.parametrize(("text", "exp"), CASES, ids=[*EXPECTED["seeds"], *(c["text"][:30] for c in EXPECTED["cases"])])
def test_publication_date(text: str, exp: dict) -> None:
    got = infer_publication_date(text)
    assert (got.value.isoformat() if got.value else "", got.basis) == (exp["value"], exp["basis"])
    assert exp.get("evidence", "") in got.evidence
    if got.basis != "unknown":
        assert got.evidence


def test_cleaned_text_is_accepted() -> None:
    text = "Leaders met yesterday (5 June 2024).\nMore news: Summit set for 1 July 2030, 9 July 2031\n"
    cut = text.index("More news")
    cleaned = CleanedText(kept=((0, cut),), dropped=((cut, len(text), "headline list"),))
    assert infer_publication_date(text, cleaned).value == date(2024, 6, 6)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes_and_never_guesses_today(text: str) -> None:
    got = infer_publication_date(text)
    assert got.basis in ("stated", "inferred", "unknown")
    assert (got.value is None) == (got.basis == "unknown")
    assert got.value != date.today() or str(date.today().year) in text
