"""Actors: catalogue matching, titles, unknown people, extension by file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.actors import ENV_VAR, ActorCatalog, find_actors
from natotimeline.cleaning import clean_text
from natotimeline.records import Actor, Sentence
from natotimeline.sentences import split_sentences

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parent.parent / "seeds"
SEED_CASES = tomllib.loads((FIXTURES / "actors_seed.toml").read_text())["seed"]
CASES = tomllib.loads((FIXTURES / "actors_cases.toml").read_text())["case"]


def _actors(text: str, catalog: ActorCatalog | None = None):
    sentences = split_sentences(text, clean_text(text).kept)
    return find_actors(text, sentences, catalog or ActorCatalog.default())


@pytest.mark.parametrize("prefix", sorted(SEED_CASES))
def test_seed(prefix: str) -> None:
    text = next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    case = SEED_CASES[prefix]
    found = _actors(text)
    names = {m.name for m in found}
    assert set(case["actors"]) <= names, set(case["actors"]) - names
    roles = {(m.name, m.role) for m in found}
    for name, role in case["roles"]:
        assert (name, role) in roles
    aliases = {(m.name, m.alias) for m in found}
    for name, alias in case["aliases"]:
        assert (name, alias) in aliases
    assert not names & set(case["absent"])
    assert all(text[m.start : m.end] == m.alias for m in found)


def test_seed_catalogue_people_have_one_canonical_name() -> None:
    names = set()
    for path in SEEDS.glob("*.txt"):
        names |= {m.name for m in _actors(path.read_text(encoding="utf-8")) if m.actor_type == "person"}
    assert names == {"Mark Rutte", "Pete Hegseth", "Donald Trump", "Rustem Umerov", "Kaja Kallas", "Jens Stoltenberg"}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_invented(case: dict) -> None:
    text = case["text"]
    found = _actors(text)
    got = [[m.name, m.actor_type, m.alias, m.role or ""] for m in found]
    assert got == case["mentions"]
    names = {m.name for m in found}
    assert not names & set(case.get("absent", []))


def test_catalogue_api() -> None:
    catalog = ActorCatalog.default()
    assert catalog is ActorCatalog.default()
    rutte = catalog.get("Mark Rutte")
    assert rutte is not None and rutte.actor_type == "person" and rutte.role
    assert catalog.get("Nobody") is None
    assert catalog.resolve("Nato").name == "NATO"
    assert catalog.resolve("U.S.").name == "United States"
    assert catalog.resolve("nato allies in europe and canada").name == "European Allies and Canada"
    members = [n for n, a in catalog.actors.items() if a.actor_type == "country"]
    assert len(members) >= 40


def test_plain_constructor() -> None:
    catalog = ActorCatalog([Actor("Example Alliance", "organisation", None, ("the Pact", "EXA"))])
    text = "The Pact met. EXA agreed with the Pact and Example Alliance."
    got = find_actors(text, [Sentence(text, 0, len(text))], catalog)
    assert [m.alias for m in got] == ["The Pact", "EXA", "the Pact", "Example Alliance"]
    assert {m.name for m in got} == {"Example Alliance"}


def test_longer_overlapping_alias_wins() -> None:
    catalog = ActorCatalog(
        [Actor("Upper House", "organisation", None, ("the Senate",)), Actor("Senate Defence Committee", "organisation")],
        insensitive={"Senate Defence Committee": ["senate defence committee"]},
    )
    text = "She told the Senate Defence Committee that the Senate agreed."
    got = [(m.name, m.alias) for m in find_actors(text, [Sentence(text, 0, len(text))], catalog)]
    assert got == [("Senate Defence Committee", "Senate Defence Committee"), ("Upper House", "the Senate")]


def test_extension_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[[person]]\nname = "Zora Quill"\nrole = "Chief of Defence of Freedonia"\naliases = ["Quill"]\n\n'
        '[[country]]\nname = "Freedonia"\nadjectives = ["Freedonian"]\n\n'
        '[[organisation]]\nname = "NATO"\naliases = ["the Atlantic bloc"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV_VAR, str(extra))
    catalog = ActorCatalog.default()
    assert catalog.get("Zora Quill") is not None
    text = "Quill said Freedonian troops would join the Atlantic bloc, and NATO agreed."
    got = [(m.name, m.alias) for m in find_actors(text, [Sentence(text, 0, len(text))], catalog)]
    assert got == [("Zora Quill", "Quill"), ("Freedonia", "Freedonian"), ("NATO", "the Atlantic bloc"), ("NATO", "NATO")]
    monkeypatch.delenv(ENV_VAR)
    assert ActorCatalog.default().get("Zora Quill") is None


def test_only_sentences_are_searched() -> None:
    text = "Rutte spoke. Trump listened."
    got = find_actors(text, [Sentence("Trump listened.", 13, len(text))], ActorCatalog.default())
    assert [m.name for m in got] == ["Donald Trump"]


WORDS = st.sampled_from([
    "NATO", "Nato's", "Rutte", "Mr.", "Defence", "Minister", "Jane", "Doe", "said", "the", "Alliance", "U.S.",
    "US", "dollars", "of", ",", "Secretary", "General", "Annual", "Report", "chief", "Ukraine’s", "von", "der",
    "Leyen", "\n", ".", "Doe's", "Canada", "European", "Allies", "and",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=50).map(" ".join)))
def test_property_offsets_exact(text: str) -> None:
    sentences = split_sentences(text, [(0, len(text))])
    found = find_actors(text, sentences, ActorCatalog.default())
    for m in found:
        assert text[m.start : m.end] == m.alias
        assert m.actor_type in ("person", "organisation", "country", "group")
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
