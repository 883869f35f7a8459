"""Figures of invented articles from other outlets, through the whole extract stage."""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path

import pytest

from natotimeline.extract import extract_document
from natotimeline.records import DocumentExtract

FIXTURES = Path(__file__).parent / "fixtures"
UNSEEN = FIXTURES / "unseen"
CASES = tomllib.loads((FIXTURES / "figures_cases.toml").read_text("utf-8"))


@cache
def _doc(name: str) -> DocumentExtract:
    return extract_document(name, (UNSEEN / f"{name}.txt").read_text("utf-8"))


@pytest.mark.parametrize("exp", CASES["unseen"], ids=lambda e: f"{e['doc']}:{e['text']}")
def test_unseen_figure(exp: dict) -> None:
    doc = _doc(exp["doc"])
    found = [f for f in doc.figures if f.text == exp["text"]]
    assert found, f"no figure {exp['text']!r} in {[f.text for f in doc.figures]}"
    fig = found[0]
    for key, want in exp.items():
        if key in ("doc", "text"):
            continue
        got = getattr(fig, key)
        if key == "value":
            assert got == want or math.isclose(got, want, rel_tol=1e-12), f"value {got!r} != {want!r}"
        elif key == "alternates":
            assert [(pytest.approx(v), c) for v, c in want] == list(got), f"alternates {got}"
        else:
            assert got == (want if want != "" else None), f"{key} {got!r} != {want!r}"


def test_scaled_values_are_exact() -> None:
    values = {f.text: f.value for f in _doc("uk_spending_british").figures}
    assert values["£64.6bn"] == 64.6e9


@pytest.mark.parametrize("exp", CASES["unseen_absent"], ids=lambda e: f"{e['doc']}:{e['text']}")
def test_unseen_not_a_figure(exp: dict) -> None:
    assert exp["text"] not in [f.text for f in _doc(exp["doc"]).figures]
