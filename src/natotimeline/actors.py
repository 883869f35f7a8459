"""Actor recognition against a shipped, user-extensible catalogue.

Known actors (``data/actors.toml`` plus files named in ``NATOTIMELINE_ACTORS``)
are found with one compiled alternation per matching mode. People the
catalogue does not know are recognised from a title followed by a capitalised
name ("Defence Minister Jane Doe"); later surname-only mentions in the same
document map to them. A person's title is read from the words before the
name ("Ukraine's Defence Minister Rustem Umerov") or from an appositive after
it ("Jane Doe, Estonia's defence minister,"); the catalogue's own ``role`` is
not copied onto mentions, so ``ActorMention.role`` is always text evidence.
"""

from __future__ import annotations

import bisect
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .cleaning import trie_pattern as _trie_pattern
from .paths import data_file
from .records import Actor, ActorMention, Sentence

ENV_VAR = "NATOTIMELINE_ACTORS"
_SECTIONS = {
    "person": "person",
    "organisation": "organisation",
    "organization": "organisation",
    "country": "country",
    "group": "group",
}
_SPACES = " \t\u00a0"
_TOKEN_STOP = ",;:()[]\"“”«»"
_NAME_TOKEN = re.compile(r"[ \t\u00a0]*([^\W\d_][\w\-]*(?:['’][^\W\d_]+)*\.?)")
_POSSESSIVE = ("'s", "’s")
_LOOKUP_SPACE = re.compile(r"\s+")


def _norm(alias: str) -> str:
    return _LOOKUP_SPACE.sub(" ", alias.replace("’", "'")).strip()


def _lookup(table: Mapping[str, str], written: str) -> str:
    """``table[_norm(written)]``, skipping the normalisation when ``written`` is already a key."""
    found = table.get(written)
    return found if found is not None else table[_norm(written)]


def _compile(words: Iterable[str], fold: bool = False) -> re.Pattern[str] | None:
    words = [w for w in set(words) if w]
    if not words:
        return None
    before = r"(?<!\w)" if fold else ""
    return re.compile(before + r"(?:" + _trie_pattern(words, fold) + r")(?!\w)")


def _word_start(text: str, pos: int) -> bool:
    if pos == 0:
        return True
    ch = text[pos - 1]
    return not (ch.isalnum() or ch == "_")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words used to read titles and to recognise unknown people."""

    title_heads: frozenset[str] = frozenset()
    title_words: frozenset[str] = frozenset()
    title_modifiers: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()
    non_name_words: frozenset[str] = frozenset()
    currency_words: frozenset[str] = frozenset()
    shouted_words: frozenset[str] = frozenset()

    @classmethod
    def from_tables(cls, tables: Iterable[Mapping[str, Any]]) -> "Vocabulary":
        merged: dict[str, set[str]] = {}
        for table in tables:
            for key, values in table.items():
                merged.setdefault(key, set()).update(values)

        def lower(key: str) -> frozenset[str]:
            return frozenset(v.lower() for v in merged.get(key, ()))

        return cls(
            title_heads=lower("title_heads"),
            title_words=lower("title_words"),
            title_modifiers=lower("title_modifiers"),
            honorifics=frozenset(merged.get("honorifics", ())),
            name_particles=frozenset(merged.get("name_particles", ())),
            non_name_words=frozenset(merged.get("non_name_words", ())),
            currency_words=lower("currency_words"),
            shouted_words=frozenset(merged.get("shouted_words", ())),
        )


class ActorCatalog:
    """Known actors and how to find them in text.

    ``aliases`` of each Actor are matched case-sensitively ("the X" also as
    "The X"); ``insensitive`` maps a name to aliases matched in any case;
    ``contextual`` maps a name to aliases that count only after the actor
    has been named otherwise in the same document. A person's surname is
    contextual unless listed among its aliases.
    """

    def __init__(
        self,
        actors: Sequence[Actor],
        *,
        insensitive: Mapping[str, Sequence[str]] | None = None,
        contextual: Mapping[str, Sequence[str]] | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            old = self.actors.get(actor.name)
            if old is not None:
                aliases = old.aliases + tuple(a for a in actor.aliases if a not in old.aliases)
                actor = Actor(old.name, old.actor_type, old.role or actor.role, aliases)
            self.actors[actor.name] = actor
        self.vocabulary = vocabulary or _default_vocabulary()
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._context: dict[str, str] = {}
        for actor in self.actors.values():
            for alias in (actor.name, *actor.aliases):
                self._exact.setdefault(_norm(alias), actor.name)
                if alias.startswith("the "):
                    self._exact.setdefault(_norm("The" + alias[3:]), actor.name)
        for name, aliases in (insensitive or {}).items():
            for alias in aliases:
                self._folded.setdefault(_norm(alias).lower(), name)
        for actor in self.actors.values():
            extra = list((contextual or {}).get(actor.name, ()))
            surname = actor.name.rsplit(" ", 1)[-1]
            if actor.actor_type == "person" and surname != actor.name and len(surname) > 2:
                extra.append(surname)
            for alias in extra:
                key = _norm(alias)
                if key not in self._exact:
                    self._context.setdefault(key, actor.name)
        self._exact_re = _compile(self._exact)
        self._folded_re = _compile(self._folded, fold=True)
        self._context_re = _compile(self._context)

    @classmethod
    def default(cls) -> "ActorCatalog":
        """The shipped catalogue plus the files named in ``NATOTIMELINE_ACTORS`` (cached)."""
        return _catalog_for(os.environ.get(ENV_VAR, ""))

    @classmethod
    def from_files(cls, paths: Sequence[Path | str]) -> "ActorCatalog":
        """A catalogue from TOML files of the shape of ``data/actors.toml``."""
        tables = []
        for path in paths:
            with open(path, "rb") as fh:
                tables.append(tomllib.load(fh))
        return cls._from_tables(tables)

    @classmethod
    def _from_tables(cls, tables: Sequence[Mapping[str, Any]]) -> "ActorCatalog":
        actors: list[Actor] = []
        insensitive: dict[str, list[str]] = {}
        contextual: dict[str, list[str]] = {}
        for table in tables:
            for section, actor_type in _SECTIONS.items():
                for entry in table.get(section, ()):
                    name = entry["name"]
                    aliases = tuple(entry.get("aliases", ())) + tuple(entry.get("adjectives", ()))
                    actors.append(Actor(name, actor_type, entry.get("role"), aliases))
                    insensitive.setdefault(name, []).extend(entry.get("aliases_ci", ()))
                    contextual.setdefault(name, []).extend(entry.get("context", ()))
        vocabulary = Vocabulary.from_tables(t.get("recognition", {}) for t in tables)
        return cls(actors, insensitive=insensitive, contextual=contextual, vocabulary=vocabulary)

    def get(self, name: str) -> Actor | None:
        """The actor with this canonical name."""
        return self.actors.get(name)

    def resolve(self, alias: str) -> Actor | None:
        """The actor an alias (as written) stands for, if the catalogue knows it."""
        key = _norm(alias)
        name = self._exact.get(key) or self._folded.get(key.lower()) or self._context.get(key)
        return self.actors.get(name) if name else None

    def __len__(self) -> int:
        return len(self.actors)

    def _scan(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        if self._exact_re is not None:
            for m in self._exact_re.finditer(text, start, end):
                if _word_start(text, m.start()):
                    found.append((m.start(), m.end(), _lookup(self._exact, m.group())))
        if self._folded_re is not None:
            for m in self._folded_re.finditer(text, start, end):
                if _word_start(text, m.start()):
                    found.append((m.start(), m.end(), self._folded[_norm(m.group()).lower()]))
        return found


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    with open(data_file("actors.toml"), "rb") as fh:
        return Vocabulary.from_tables([tomllib.load(fh).get("recognition", {})])


@lru_cache(maxsize=8)
def _catalog_for(extra: str) -> ActorCatalog:
    paths: list[Path | str] = [data_file("actors.toml")]
    paths.extend(p for p in extra.split(os.pathsep) if p.strip())
    return ActorCatalog.from_files(paths)


# --------------------------------------------------------------- finding


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    name: str
    actor_type: str
    role: str | None = None


class _Document:
    """Per-call state: the text, its sentences and what has been found."""

    def __init__(self, text: str, sentences: Sequence[Sentence], catalog: ActorCatalog) -> None:
        self.text = text
        self.catalog = catalog
        self.vocab = catalog.vocabulary
        ordered = sorted(sentences, key=lambda s: s.start)
        self.sentences = ordered
        self.starts = [s.start for s in ordered]

    def sentence_at(self, start: int, end: int) -> Sentence | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and end <= self.sentences[i].end:
            return self.sentences[i]
        return None

    def is_shouted(self, start: int, end: int) -> bool:
        sentence = self.sentence_at(start, end)
        letters = [c for c in sentence.text if c.isalpha()] if sentence is not None else []
        return len(letters) > 12 and sum(c.isupper() for c in letters) * 10 >= len(letters) * 9

    def is_currency(self, end: int) -> bool:
        m = _NAME_TOKEN.match(self.text, end)
        return m is not None and m.group(1).lower().rstrip(".") in self.vocab.currency_words


def _resolve_overlaps(found: list[_Found]) -> list[_Found]:
    found.sort(key=lambda f: (f.start, f.start - f.end))
    out: list[_Found] = []
    last_end = -1
    for f in found:
        if f.start >= last_end:
            out.append(f)
            last_end = f.end
    return out


def _catalog_mentions(doc: _Document) -> list[_Found]:
    catalog = doc.catalog
    found: list[_Found] = []
    if not doc.sentences:
        return found
    lo, hi = doc.sentences[0].start, max(s.end for s in doc.sentences)
    for s, e, name in catalog._scan(doc.text, lo, hi):
        actor = catalog.actors[name]
        if doc.sentence_at(s, e) is None:
            continue
        if actor.actor_type == "country" and doc.is_currency(e):
            continue
        if doc.text[s:e] in doc.vocab.shouted_words and doc.is_shouted(s, e):
            continue
        found.append(_Found(s, e, name, actor.actor_type))
    found = _resolve_overlaps(found)
    first: dict[str, int] = {}
    for f in found:
        first.setdefault(f.name, f.start)
    if catalog._context_re is not None and first:
        for m in catalog._context_re.finditer(doc.text, lo, hi):
            name = _lookup(catalog._context, m.group())
            if _word_start(doc.text, m.start()) and first.get(name, hi) < m.start() and doc.sentence_at(m.start(), m.end()) is not None:
                found.append(_Found(m.start(), m.end(), name, catalog.actors[name].actor_type))
        found = _resolve_overlaps(found)
    return found


def _title_before(doc: _Document, pos: int, floor: int, by_end: Mapping[int, _Found]) -> str | None:
    """The title written just before a name: "NATO Secretary General", "Ukraine's Defence Minister"."""
    text, vocab = doc.text, doc.vocab
    tokens: list[tuple[int, int, str]] = []
    comma = False
    i = pos
    while True:
        j = i
        while j > floor and text[j - 1] in _SPACES:
            j -= 1
        if j == i and (tokens or (j > floor and text[j - 1] != ",")):
            break
        if j > floor and text[j - 1] == ",":
            if tokens or comma:
                break
            comma = True
            j -= 1
            while j > floor and text[j - 1] in _SPACES:
                j -= 1
        k = j
        while k > floor and not text[k - 1].isspace() and text[k - 1] not in _TOKEN_STOP:
            k -= 1
        if k == j:
            break
        token = text[k:j]
        core = token[:-2] if token.endswith(_POSSESSIVE) else token
        mention = by_end.get(k + len(core))
        if mention is not None and mention.actor_type != "person" and mention.start >= floor:
            tokens.append((mention.start, j, "prefix"))
            i = mention.start
            continue
        low = core.lower()
        if low in vocab.title_heads:
            kind = "head"
        elif low in vocab.title_words:
            kind = "word"
        elif low in vocab.title_modifiers:
            kind = "modifier"
        else:
            break
        tokens.append((k, j, kind))
        i = k
    tokens.reverse()
    while tokens and (tokens[0][2] == "modifier" or text[tokens[0][0] : tokens[0][1]].lower() in {"of", "for", "and"}):
        tokens.pop(0)
    if not any(kind == "head" for _, _, kind in tokens):
        return None
    return _norm(text[tokens[0][0] : tokens[-1][1]])


def _title_after(doc: _Document, pos: int, ceiling: int, by_start: Mapping[int, _Found]) -> str | None:
    """An appositive title after a name: "Jane Doe, Estonia's defence minister, said"."""
    text, vocab = doc.text, doc.vocab
    i = pos
    while i < ceiling and text[i] in _SPACES:
        i += 1
    if i >= ceiling or text[i] != ",":
        return None
    i += 1
    first = last = -1
    heads = 0
    while True:
        while i < ceiling and text[i] in _SPACES:
            i += 1
        mention = by_start.get(i)
        if mention is not None and mention.actor_type != "person":
            j = mention.end
            if text.startswith(_POSSESSIVE, j):
                j += 2
            first = i if first < 0 else first
            last, i = j, j
            continue
        k = i
        while k < ceiling and not text[k].isspace() and text[k] not in _TOKEN_STOP:
            k += 1
        token = text[i:k].rstrip(".")
        low = token.lower()
        if not token:
            break
        if low in vocab.title_heads:
            heads += 1
        elif low not in vocab.title_words and not (first < 0 and (low == "the" or low in vocab.title_modifiers)):
            return None
        if first < 0 and (low == "the" or low in vocab.title_modifiers):
            i = k
            continue
        first = i if first < 0 else first
        last = i + len(token)
        i = k
    if heads == 0 or first < 0 or (i < ceiling and text[i] not in ",;)") and i < ceiling:
        return None
    return _norm(text[first:last])


def _is_headline(sentence: Sentence) -> bool:
    words = [w for w in sentence.text.split() if len(w) > 3 and w[0].isalpha()]
    if len(words) < 3 or sentence.text.rstrip("\"'”’").endswith("."):
        return False
    return sum(w[0].isupper() for w in words) * 4 >= len(words) * 3


def _name_after(doc: _Document, pos: int, end: int) -> tuple[int, int, list[str]] | None:
    """A capitalised person name starting at ``pos`` (after a title)."""
    text, vocab = doc.text, doc.vocab
    words: list[tuple[int, int, str]] = []
    q = pos
    pending: list[tuple[int, int, str]] = []
    while len(words) < 4:
        m = _NAME_TOKEN.match(text, q, end)
        if m is None:
            break
        word = m.group(1)
        if words and word in vocab.name_particles:
            pending.append((m.start(1), m.end(1), word))
            q = m.end()
            continue
        possessive = word.endswith(_POSSESSIVE)
        core = word[:-2] if possessive else word
        if len(core) > 2 and core.endswith("."):
            core = core[:-1]
        if not core[:1].isupper() or core in vocab.non_name_words or core.rstrip(".") in vocab.non_name_words:
            break
        if len(core) > 1 and core.isupper() and not core.endswith("."):
            break
        low = core.lower()
        if low in vocab.title_heads or low + "." in vocab.title_heads or word in vocab.honorifics:
            break
        words.extend(pending)
        pending = []
        words.append((m.start(1), m.start(1) + len(core), core))
        q = m.end()
        if possessive or word.endswith(".") and len(core) > 2:
            break
    if not words:
        return None
    return words[0][0], words[-1][1], [w for _, _, w in words]


def _name_before_appositive(
    doc: _Document, head_start: int, floor: int, starts: Mapping[int, _Found]
) -> tuple[int, int, list[str]] | None:
    """The name in "Jane Doe, Estonia's defence minister, said", found from the title."""
    text, vocab = doc.text, doc.vocab
    i = head_start
    while True:
        j = i
        while j > floor and text[j - 1] in _SPACES:
            j -= 1
        if j > floor and text[j - 1] == ",":
            comma = j - 1
            break
        k = j
        while k > floor and not text[k - 1].isspace() and text[k - 1] not in _TOKEN_STOP:
            k -= 1
        token = text[k:j]
        core = token[:-2] if token.endswith(_POSSESSIVE) else token
        low = core.lower()
        if k == j or not (
            low in vocab.title_words or low in vocab.title_heads or low in vocab.title_modifiers
            or low == "the" or (k in starts and starts[k].actor_type != "person")
        ):
            return None
        i = k
    end = comma
    while end > floor and text[end - 1] in _SPACES:
        end -= 1
    k = end
    words = 0
    while k > floor and words < 4:
        w = k
        while w > floor and not text[w - 1].isspace() and text[w - 1] not in _TOKEN_STOP:
            w -= 1
        token = text[w:k]
        if not token[:1].isupper() and token not in vocab.name_particles:
            break
        words += 1
        k = w
        while k > floor and text[k - 1] in _SPACES:
            k -= 1
    while k < end and not text[k].isalpha():
        k += 1
    return _name_after(doc, k, end + 1) if words else None


def _unknown_people(doc: _Document, found: list[_Found], head_re: re.Pattern[str]) -> list[_Found]:
    """People the catalogue does not know, named after a title or honorific."""
    text, vocab, catalog = doc.text, doc.vocab, doc.catalog
    starts = {f.start: f for f in found}
    people: list[_Found] = []
    headline: dict[int, bool] = {}
    lo, hi = doc.sentences[0].start, max(x.end for x in doc.sentences)
    for m in head_re.finditer(text, lo, hi):
        if not _word_start(text, m.start()) or text[m.start() - 1 : m.start()] == ".":
            continue
        sentence = doc.sentence_at(m.start(), m.end())
        if sentence is None:
            continue
        if sentence.start not in headline:
            headline[sentence.start] = _is_headline(sentence)
        if headline[sentence.start]:
            continue
        pos = m.end()
        while True:
            step = _NAME_TOKEN.match(text, pos, sentence.end)
            if step is None:
                break
            mention = starts.get(step.start(1))
            word = step.group(1)
            if mention is not None and mention.actor_type != "person":
                pos = mention.end
            elif word.lower() in vocab.title_words or word.lower() in vocab.title_heads:
                pos = step.end()
            else:
                break
        while pos < sentence.end and text[pos] in _SPACES + ",":
            pos += 1
        name = _name_after(doc, pos, sentence.end)
        if name is None:
            name = _name_before_appositive(doc, m.start(), sentence.start, starts)
        if name is None:
            continue
        s, e, words = name
        if any(f.start < e and s < f.end for f in found) or any(p.start < e and s < p.end for p in people):
            continue
        honorific = m.group() in vocab.honorifics
        if len(words) < 2 and not honorific:
            continue
        if catalog.resolve(" ".join(words)) is not None:
            continue
        people.append(_Found(s, e, _norm(text[s:e]), "person"))
    return people


def _later_mentions(doc: _Document, people: list[_Found], found: list[_Found]) -> list[_Found]:
    """Full-name and surname-only mentions of newly recognised people."""
    aliases: dict[str, str | None] = {}
    particles = doc.vocab.name_particles
    for p in people:
        parts = p.name.split(" ")
        aliases[p.name] = p.name
        if len(parts) >= 2:
            tail = parts[1:] if parts[1] in particles else parts[-1:]
            surname = " ".join(tail)
            if surname in aliases and aliases[surname] != p.name:
                aliases[surname] = None
            else:
                aliases[surname] = p.name
    usable = {a: n for a, n in aliases.items() if n is not None}
    if not usable:
        return []
    lo, hi = doc.sentences[0].start, max(s.end for s in doc.sentences)
    out = []
    for s, e, alias in _occurrences(doc.text, sorted(usable, key=len, reverse=True), lo, hi):
        if _word_start(doc.text, s) and doc.sentence_at(s, e) is not None:
            out.append(_Found(s, e, usable[alias], "person"))
    return out


def _word_end(text: str, pos: int, hi: int) -> bool:
    if pos >= hi:
        return True
    ch = text[pos]
    return not (ch.isalnum() or ch == "_")


def _occurrences(text: str, words: Sequence[str], lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of ``words`` in text[lo:hi] not followed by a word character,
    left to right, the earliest listed word winning at one position (as a regex alternation)."""
    first: dict[int, tuple[int, str]] = {}
    for word in words:
        i = text.find(word, lo, hi)
        while i >= 0:
            if i not in first and _word_end(text, i + len(word), hi):
                first[i] = (i + len(word), word)
            i = text.find(word, i + 1, hi)
    out: list[tuple[int, int, str]] = []
    pos = lo
    for start in sorted(first):
        if start >= pos:
            end, word = first[start]
            out.append((start, end, word))
            pos = end
    return out


@lru_cache(maxsize=8)
def _head_pattern(vocab: Vocabulary) -> re.Pattern[str]:
    heads = _trie_pattern(vocab.title_heads, fold=True)
    honorifics = _trie_pattern(vocab.honorifics)
    return re.compile(rf"(?<![\w.])(?:{heads}|{honorifics})(?![\w-])")


def find_actors(text: str, sentences: Sequence[Sentence], catalog: ActorCatalog) -> list[ActorMention]:
    """Every actor named in the sentences, with the title the text gives a person."""
    if not sentences:
        return []
    doc = _Document(text, sentences, catalog)
    found = _catalog_mentions(doc)
    people = _unknown_people(doc, found, _head_pattern(doc.vocab))
    if people:
        found = _resolve_overlaps(found + people + _later_mentions(doc, people, found))
    by_end = {f.end: f for f in found}
    by_start = {f.start: f for f in found}
    out: list[ActorMention] = []
    previous_end = 0
    for f in found:
        role = None
        start = f.start
        if f.actor_type == "person":
            sentence = doc.sentence_at(f.start, f.end)
            floor = sentence.start if sentence is not None else 0
            role = _title_before(doc, f.start, floor, by_end)
            if role is None and sentence is not None:
                role = _title_after(doc, f.end, sentence.end, by_start)
            start = _honorific_start(doc, f.start, floor)
            if start < previous_end:
                start = f.start
        previous_end = f.end
        out.append(ActorMention(f.name, f.actor_type, text[start : f.end], start, f.end, role))
    return out


def _honorific_start(doc: _Document, pos: int, floor: int) -> int:
    """Where "Mr. " or "Dr " before a name starts, so the alias reads "Mr. Rutte"."""
    j = pos
    while j > floor and doc.text[j - 1] in _SPACES:
        j -= 1
    if j == pos:
        return pos
    k = j
    while k > floor and not doc.text[k - 1].isspace():
        k -= 1
    return k if doc.text[k:j] in doc.vocab.honorifics else pos
