"""Publication date, title and publisher of articles from outlets the rules were not written for."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from natotimeline.extract import extract_document

UNSEEN = Path(__file__).parent / "fixtures" / "unseen"
META = tomllib.loads((Path(__file__).parent / "fixtures" / "unseen_meta.toml").read_text(encoding="utf-8"))


def _unseen_cases() -> list[tuple[str, str, dict]]:
    cases = []
    for path in sorted(UNSEEN.glob("*.txt")):
        pub = tomllib.loads(path.with_suffix(".toml").read_text(encoding="utf-8"))["publication"]
        exp = {"date": pub["date"], "basis": pub["basis"], "title": pub.get("title")}
        exp["publisher"] = META["publisher"].get(path.stem, pub.get("publisher"))
        cases.append((path.stem, path.read_text(encoding="utf-8"), exp))
    return cases


CASES = _unseen_cases() + [(c["name"], c["text"], c) for c in META["extra"]]


def test_every_unseen_article_is_checked() -> None:
    assert len(list(UNSEEN.glob("*.txt"))) >= 8
    assert all(p.with_suffix(".toml").exists() for p in UNSEEN.glob("*.txt"))


@pytest.mark.parametrize(("name", "text", "exp"), CASES, ids=[c[0] for c in CASES])
def test_publication_title_publisher(name: str, text: str, exp: dict) -> None:
    doc = extract_document(f"test://{name}", text)
    got = doc.published
    assert (got.value.isoformat() if got.value else "", got.basis) == (exp["date"], exp["basis"]), got.evidence
    assert got.evidence
    if exp.get("title") is not None:
        assert (doc.title or "") == exp["title"]
    if exp.get("publisher") is not None:
        assert (doc.publisher or "") == exp["publisher"], doc.publisher_evidence
        assert bool(doc.publisher_evidence) == bool(doc.publisher)
