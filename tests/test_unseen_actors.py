"""People and roles of articles from outlets the actor rules were not written for."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from natotimeline.extract import extract_document

FIXTURES = Path(__file__).parent / "fixtures"
UNSEEN = FIXTURES / "unseen"
CASES = tomllib.loads((FIXTURES / "actors_cases.toml").read_text(encoding="utf-8"))["unseen"]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_unseen_people_and_roles(case: dict) -> None:
    text = (UNSEEN / f"{case['file']}.txt").read_text(encoding="utf-8")
    found = extract_document(f"test://{case['file']}", text).actors
    kinds = {(m.name, m.actor_type) for m in found}
    roles = {(m.name, m.role) for m in found}
    for name, actor_type, role in case["actors"]:
        assert (name, actor_type) in kinds, (name, sorted(n for n, _ in kinds))
        if role:
            assert (name, role) in roles, (name, sorted(r for n, r in roles if n == name and r))
    assert not {n for n, _ in kinds} & set(case.get("absent", ()))
    assert all(text[m.start : m.end] == m.alias for m in found)


def test_every_case_names_an_unseen_article() -> None:
    assert {c["file"] for c in CASES} <= {p.stem for p in UNSEEN.glob("*.txt")}
