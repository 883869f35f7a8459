"""Actor recognition against a shipped, user-extensible catalogue.

Known actors (``data/actors.toml`` plus files named in ``NATOTIMELINE_ACTORS``)
are found with one compiled alternation per matching mode. People the
catalogue does not know are recognised from a title followed by a capitalised
name ("Defence Minister Jane Doe"); later surname-only mentions in the same
document map to them. A person's title is read from the words before the
name ("Ukraine's Defence Minister Rustem Umerov") or from an appositive after
it ("Jane Doe, Estonia's defence minister,", "Jane Doe, the Conservative
leader,", "Jane Doe, a senior fellow at ..."); the catalogue's own ``role`` is
not copied onto mentions, so ``ActorMention.role`` is always text evidence.

Decisions:
- A function wins over a rank: "Chief of the General Staff Gen. X" and "the
  commander of Y, Maj. Gen. X" give the function; a bare rank ("Lt. Gen.") is
  the role only when no function is written before or after the name.
  Modifiers that change the meaning ("former", "acting") stay in the role.
- A rank abbreviation written without its period directly after a civilian
  title and followed by one capitalised word is a given name ("Defence
  Minister Gen Nakatani"); elsewhere it is a rank ("Maj Gen Ali Hassan").
- A national force named with a country or its adjective ("Estonian Defence
  Forces", "Ukrainian air force", "US Army") is an organisation of its own,
  named as written with the force noun capitalised; the possessive
  "Ukraine's air force" still names the country, which the text names.
"""

from __future__ import annotations

import bisect
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .patterns import trie_pattern as _trie_pattern
from .paths import data_file, load_data
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


_WORD_CHAR = re.compile(r"\w")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CLASSES = (" \t\u00a0", "'’")


class _FoldedPattern:
    """Words matched in any case. Where lowercasing the text keeps every match as it is, the plain
    pattern scans the lowercased text, which the regex engine does much faster than letter classes."""

    def __init__(self, words: Iterable[str]) -> None:
        lowered = [w.lower() for w in set(words) if w]
        self.classes = _compile(lowered, fold=True)
        self.plain = re.compile(r"(?<!\w)(?:" + _trie_pattern(lowered) + r")(?!\w)")
        self.letters = frozenset("".join(lowered)) - frozenset("".join(_CLASSES))
        self.safe: dict[str, bool] = {}
        if not all(self._safe(chr(i)) for i in range(128)):
            self.plain = None

    def finditer(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        """Matches as ``classes.finditer(text, start, end)`` gives them (groups may be lowercased)."""
        if self.plain is not None:
            if text.isascii():
                return self.plain.finditer(text.lower(), start, end)
            low = text.lower()
            if len(low) == len(text) and all(self._safe(c) for c in set(_NON_ASCII.findall(text))):
                return self.plain.finditer(low, start, end)
        return self.classes.finditer(text, start, end)

    def _safe(self, c: str) -> bool:
        """Whether every part of the pattern matches ``c`` exactly when it matches ``c.lower()``."""
        known = self.safe.get(c)
        if known is None:
            known = self.safe[c] = self._check(c)
        return known

    def _check(self, c: str) -> bool:
        low = c.lower()
        if len(low) != 1 or c == "\u03a3":
            return False
        if any((c in chars) != (low in chars) for chars in _CLASSES):
            return False
        if bool(_WORD_CHAR.match(c)) != bool(_WORD_CHAR.match(low)):
            return False
        for x in self.letters:
            up = x.upper()
            either = c == x or (up != x and len(up) == 1 and c == up)
            if either != (low == x):
                return False
        return True


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
    ranks: frozenset[str] = frozenset()
    kept_modifiers: frozenset[str] = frozenset()
    force_nouns: frozenset[str] = frozenset()

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
            ranks=lower("ranks"),
            kept_modifiers=lower("kept_modifiers"),
            force_nouns=frozenset(merged.get("force_nouns", ())),
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
        self._folded_re = _FoldedPattern(self._folded) if any(self._folded) else None
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
                    found.append((m.start(), m.end(), self._folded[_norm(text[m.start():m.end()]).lower()]))
        return found


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    return Vocabulary.from_tables([load_data("actors.toml").get("recognition", {})])


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
        self._shouted: dict[int, bool] = {}

    def sentence_at(self, start: int, end: int) -> Sentence | None:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and end <= self.sentences[i].end:
            return self.sentences[i]
        return None

    def is_shouted(self, start: int, end: int) -> bool:
        sentence = self.sentence_at(start, end)
        if sentence is None:
            return False
        shouted = self._shouted.get(sentence.start)
        if shouted is None:
            letters, upper = _letter_counts(sentence.text)
            shouted = letters > 12 and upper * 10 >= letters * 9
            self._shouted[sentence.start] = shouted
        return shouted

    def is_currency(self, end: int) -> bool:
        m = _NAME_TOKEN.match(self.text, end)
        return m is not None and m.group(1).lower().rstrip(".") in self.vocab.currency_words


_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))


def _letter_counts(text: str) -> tuple[int, int]:
    """How many letters ``text`` has, and how many of them are upper case."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_LETTERS)), len(raw) - len(raw.translate(None, _ASCII_UPPER))
    letters = [c for c in text if c.isalpha()]
    return len(letters), sum(c.isupper() for c in letters)


def _resolve_overlaps(found: list[_Found]) -> list[_Found]:
    """Non-overlapping mentions, left to right; of two that overlap the longer wins, so "the
    Senate Armed Services Committee" is the committee, not "the Senate"."""
    found.sort(key=lambda f: (f.start, f.start - f.end))
    out: list[_Found] = []
    for f in found:
        if not out or f.start >= out[-1].end:
            out.append(f)
        elif f.end - f.start > out[-1].end - out[-1].start and (len(out) < 2 or f.start >= out[-2].end):
            out[-1] = f
    return out


def _catalog_mentions(doc: _Document) -> list[_Found]:
    catalog = doc.catalog
    found: list[_Found] = []
    if not doc.sentences:
        return found
    lo, hi = doc.sentences[0].start, max(s.end for s in doc.sentences)
    scanned = catalog._scan(doc.text, lo, hi)
    longest: dict[int, int] = {}
    for s, e, name in scanned:
        if catalog.actors[name].actor_type != "country" and e > longest.get(s, -1):
            longest[s] = e
    for s, e, name in scanned:
        actor = catalog.actors[name]
        if doc.sentence_at(s, e) is None:
            continue
        if actor.actor_type == "country" and doc.is_currency(e):
            continue
        if doc.text[s:e] in doc.vocab.shouted_words and doc.is_shouted(s, e):
            continue
        if actor.actor_type == "country":
            force = _force_pattern(doc.vocab).match(doc.text, e, hi) if doc.vocab.force_nouns else None
            if force is not None and longest.get(s, -1) < force.end():
                words = " ".join(w[:1].upper() + w[1:] for w in force.group(1).split())
                found.append(_Found(s, force.end(), f"{doc.text[s:e]} {words}", "organisation"))
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


_DETERMINERS = frozenset({"the", "a", "an"})
_LINKS = frozenset({"to", "in", "at", "on", "with"})
_EDGE_WORDS = frozenset({"of", "for", "and", "to", "in", "at", "on", "with"})
_CLAUSE_WORDS = frozenset({
    "who", "whose", "whom", "which", "that", "when", "where", "while", "but", "or", "said", "says", "told",
    "tells", "was", "is", "are", "were", "has", "have", "had", "will", "would", "after", "before", "as",
    "he", "she", "it", "they", "we", "his", "her", "its", "their", "by", "from", "also",
})
_MAX_UNKNOWN = 3
_LEADING_ARTICLE = re.compile(r"^(?:the|The|a|an)\s+")


class _Tok(NamedTuple):
    start: int
    end: int
    kind: str
    text: str


def _kind(vocab: Vocabulary, core: str) -> str | None:
    """How a word may take part in a title, or None when it ends one."""
    low = core.lower()
    if core in vocab.honorifics:
        return "honorific"
    if low in vocab.ranks:
        return "rank"
    if low in vocab.title_heads:
        return "head"
    if low in vocab.title_words:
        return "word"
    if low in vocab.title_modifiers:
        return "modifier"
    if low in _DETERMINERS:
        return "det"
    if low in _LINKS:
        return "link"
    if low in _CLAUSE_WORDS or not core[:1].isalnum():
        return None
    if not all(c.isalnum() or c in "-'’." for c in core):
        return None
    return "unknown"


def _valid_from(tokens: Sequence[_Tok], s: int) -> bool:
    """Words the vocabulary does not know count after a determiner, modifier or named actor
    ("the Conservative leader", "Ukraine's Strategic Industries Minister") or in the complement
    of a head ("commander of the 18th Mechanised Division"), not straight after a head or rank."""
    bounded = headed = complement = loose = False
    for t in tokens[s:]:
        if t.kind in ("det", "modifier", "prefix"):
            bounded = True
        elif t.kind in ("head", "rank"):
            headed, bounded, complement, loose = True, False, False, False
        elif t.kind == "link" or t.text.lower() in ("of", "for"):
            if headed:
                complement = True
            elif loose or (t.kind == "link" and not bounded):
                return False
        elif t.kind == "unknown":
            if not (bounded or complement):
                return False
            loose = True
    return True


def _trim(vocab: Vocabulary, tokens: list[_Tok]) -> list[_Tok]:
    """Drop articles, linking words and descriptive modifiers at the edges, and a lower-case word
    before a capitalised title; keep "former"."""
    if any(t.kind in ("unknown", "link") for t in tokens):
        s = next((i for i in range(len(tokens)) if _valid_from(tokens, i)), len(tokens))
        tokens = tokens[s:]
    while tokens and (
        tokens[0].kind in ("det", "link")
        or tokens[0].text.lower() in _EDGE_WORDS
        or (tokens[0].kind == "modifier" and tokens[0].text.lower() not in vocab.kept_modifiers)
    ):
        tokens = tokens[1:]
    while tokens and (
        tokens[-1].kind in ("det", "link", "modifier", "honorific")
        or tokens[-1].text.lower() in _EDGE_WORDS
    ):
        tokens = tokens[:-1]
    # "a request Prime Minister X declined": a lower-case word of the sentence before a capitalised title.
    while len(tokens) > 1 and tokens[0].kind == "unknown" and tokens[0].text[:1].islower() and tokens[1].text[:1].isupper():
        tokens = tokens[1:]
    return tokens


def _strip_ranks(tokens: list[_Tok]) -> list[_Tok]:
    """ "Chief of the General Staff Gen." -> "Chief of the General Staff": a function wins over a
    rank; only a run with an abbreviated rank is cut ("Secretary General" stays whole)."""
    i = len(tokens)
    while i > 0 and tokens[i - 1].kind == "rank":
        i -= 1
    run = tokens[i:]
    if run and i > 0 and any(t.kind == "head" for t in tokens[:i]) and any(
        t.text.endswith(".") or len(t.text) <= 4 for t in run
    ):
        return tokens[:i]
    return tokens


def _ranked_function(tokens: Sequence[_Tok]) -> bool:
    """A rank word inside a function with a complement ("Inspector General of the Bundeswehr")."""
    return any(t.kind == "rank" and 0 < i < len(tokens) - 1 and tokens[i + 1].text.lower() == "of"
               for i, t in enumerate(tokens))


def _role_text(doc: _Document, tokens: Sequence[_Tok]) -> str | None:
    if not any(t.kind in ("head", "rank") for t in tokens):
        return None
    return _LEADING_ARTICLE.sub("", _norm(doc.text[tokens[0].start : tokens[-1].end]))


def _title_before(doc: _Document, pos: int, floor: int, by_end: Mapping[int, _Found]) -> tuple[str | None, bool]:
    """The title written just before a name ("NATO Secretary General", "the former Conservative
    defence secretary", "the commander of X, Gen.") and whether it is a bare rank."""
    text, vocab = doc.text, doc.vocab
    tokens: list[_Tok] = []
    comma_at = -1
    unknown = 0
    i = pos
    while True:
        j = i
        while j > floor and text[j - 1] in _SPACES:
            j -= 1
        if j == i and (tokens or (j > floor and text[j - 1] != ",")):
            break
        if j > floor and text[j - 1] == ",":
            if comma_at >= 0 or any(t.kind not in ("rank", "honorific", "word") for t in tokens) or (
                    any(t.kind == "word" for t in tokens) and not any(t.kind == "rank" for t in tokens)):
                break
            comma_at = len(tokens)
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
        if mention is not None and mention.start >= floor:
            if mention.actor_type == "person":
                break
            tokens.append(_Tok(mention.start, j, "prefix", text[mention.start : j]))
            unknown = 0
            i = mention.start
            continue
        kind = _kind(vocab, core)
        if kind is None:
            break
        if kind == "unknown":
            unknown += 1
            if unknown > _MAX_UNKNOWN:
                break
        else:
            unknown = 0
        tokens.append(_Tok(k, j, kind, core))
        i = k
        if kind == "det":
            before = text[floor:k].rstrip(_SPACES).rsplit(None, 1)
            if not before or before[-1].lower() not in _EDGE_WORDS:
                break
    if comma_at >= 0:
        rank = _trim(vocab, tokens[:comma_at][::-1])
        function = _trim(vocab, tokens[comma_at:][::-1])
        if any(t.kind == "head" for t in function) or _ranked_function(function):
            return _role_text(doc, function), False
        return (_role_text(doc, rank), True) if rank else (_role_text(doc, function), False)
    ordered = _strip_ranks(_trim(vocab, tokens[::-1]))
    role = _role_text(doc, ordered)
    return role, role is not None and not any(t.kind == "head" for t in ordered)


def _sentence_stop(text: str, i: int) -> bool:
    """A full stop at ``i`` that ends the sentence (after an organisation's name)."""
    return text[i] == "." and (i + 1 == len(text) or text[i + 1].isspace())


def _title_after(doc: _Document, pos: int, ceiling: int, by_start: Mapping[int, _Found]) -> str | None:
    """An appositive title after a name: "Jane Doe, Estonia's defence minister, said", "Jane Doe,
    the Conservative leader,", "Jane Doe, a senior fellow at the Example Institute (EI)"."""
    text, vocab = doc.text, doc.vocab
    i = pos
    while i < ceiling and text[i] in _SPACES:
        i += 1
    if i >= ceiling or text[i] != ",":
        return None
    i += 1
    tokens: list[_Tok] = []
    complement = False
    while len(tokens) < 16:
        while i < ceiling and text[i] in _SPACES:
            i += 1
        if i >= ceiling or text[i] in ",;()":
            break
        mention = by_start.get(i)
        if mention is not None and mention.actor_type == "person" and not complement:
            return None
        if mention is not None and mention.actor_type != "person":
            j = mention.end
            if text.startswith(_POSSESSIVE, j):
                j += 2
            tokens.append(_Tok(i, j, "prefix", text[i:j]))
            i = j
            continue
        k = i
        while k < ceiling and not text[k].isspace() and text[k] not in _TOKEN_STOP:
            k += 1
        raw = text[i:k]
        token = raw if raw.lower() in vocab.ranks else raw.rstrip(".")
        if not token:
            break
        kind = _kind(vocab, token[:-2] if token.endswith(_POSSESSIVE) else token)
        if complement:
            if kind is None:
                return None
            kind = kind if kind in ("det", "prefix") else "unknown"
        elif kind is None:
            return None
        elif kind == "link" or token.lower() in ("of", "for"):
            if any(t.kind == "head" for t in tokens):
                complement = True
        elif kind == "unknown" and not any(t.kind in ("det", "modifier", "prefix", "head") for t in tokens):
            return None
        tokens.append(_Tok(i, i + len(token), kind, token))
        i = k
        if token != raw and raw.endswith("."):
            break
    else:
        return None
    if i < ceiling and text[i] not in ",;()" and not text[i - 1 : i] == "." and not _sentence_stop(text, i):
        return None
    first_head = next((n for n, t in enumerate(tokens) if t.kind in ("head", "rank")), len(tokens))
    if sum(t.kind == "unknown" for t in tokens[:first_head]) > _MAX_UNKNOWN:
        return None
    ordered = _trim(vocab, tokens)
    if not any(t.kind in ("head", "rank") for t in ordered):
        return None
    return _role_text(doc, ordered)


def _is_headline(sentence: Sentence) -> bool:
    if sentence.text.rstrip("\"'”’").endswith("."):
        return False
    words = [w for w in sentence.text.split() if len(w) > 3 and w[0].isalpha()]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) * 4 >= len(words) * 3


def _name_after(doc: _Document, pos: int, end: int, civil_title: bool = False) -> tuple[int, int, list[str]] | None:
    """A capitalised person name starting at ``pos`` (after a title).

    After a civilian title a rank abbreviation written without its period and followed by a
    single capitalised word is a given name ("Defence Minister Gen Nakatani"); elsewhere it is a
    rank ("Gen Sir Nick Carter", "Army chief Gen Jane Doe")."""
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
            if not (civil_title and not words and word == core and low + "." in vocab.title_heads
                    and _single_name_follows(doc, m.end(), end)):
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


def _title_word_follows(doc: _Document, pos: int, end: int, starts: Mapping[int, _Found]) -> bool:
    """The next word belongs to a title ("Chief of the General Staff"), not to a name."""
    nxt = _NAME_TOKEN.match(doc.text, pos, end)
    if nxt is None:
        return False
    mention = starts.get(nxt.start(1))
    if mention is not None:
        return mention.actor_type != "person"
    low = nxt.group(1).lower()
    return low in doc.vocab.title_words or low in doc.vocab.title_heads


def _single_name_follows(doc: _Document, pos: int, end: int) -> bool:
    """Exactly one capitalised name word follows ``pos``."""
    first = _NAME_TOKEN.match(doc.text, pos, end)
    if first is None or not first.group(1)[:1].isupper() or first.group(1) in doc.vocab.non_name_words:
        return False
    second = _NAME_TOKEN.match(doc.text, first.end(), end)
    return second is None or not second.group(1)[:1].isupper() or second.group(1) in doc.vocab.non_name_words


def _name_before_appositive(
    doc: _Document, head_start: int, floor: int, starts: Mapping[int, _Found]
) -> tuple[int, int, list[str]] | None:
    """The name in "Jane Doe, Estonia's defence minister, said" or "Jane Doe, the Conservative
    leader, said", found from the title."""
    text, vocab = doc.text, doc.vocab
    i = head_start
    kinds: list[str] = []
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
        if k == j or len(kinds) > 6:
            return None
        token = text[k:j]
        core = token[:-2] if token.endswith(_POSSESSIVE) else token
        mention = starts.get(k)
        if mention is not None and mention.actor_type != "person":
            kinds.append("prefix" if core != token or token.lower() in _DETERMINERS else "name")
        else:
            kind = _kind(vocab, core)
            if kind is None or kind == "link" or (kinds and kinds[-1] == "det"):
                return None
            kinds.append(kind)
        i = k
    loose = "unknown" in kinds or "name" in kinds
    if loose and (kinds[-1] not in ("det", "modifier", "prefix") or kinds.count("unknown") > _MAX_UNKNOWN):
        return None
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
    name = _name_after(doc, k, end + 1) if words else None
    if name is not None and loose:
        sentence = doc.sentence_at(head_start, head_start + 1)
        if sentence is None or _title_after(doc, name[1], sentence.end, starts) is None:
            return None
    return name


def _unknown_people(doc: _Document, found: list[_Found], head_re: re.Pattern[str]) -> list[_Found]:
    """People the catalogue does not know, named after a title or honorific."""
    text, vocab, catalog = doc.text, doc.vocab, doc.catalog
    starts = {f.start: f for f in found}
    overlaps_found = _overlap_test(found)
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
        last = m.group().lower()
        through_the = False
        while True:
            step = _NAME_TOKEN.match(text, pos, sentence.end)
            if step is None:
                break
            mention = starts.get(step.start(1))
            word = step.group(1)
            if mention is not None and mention.actor_type != "person":
                pos, last = mention.end, ""
            elif word.lower() in vocab.title_words or word.lower() in vocab.title_heads:
                pos, last = step.end(), word.lower()
            elif word.lower() == "the" and last == "of" and _title_word_follows(doc, step.end(), sentence.end, starts):
                pos, through_the = step.end(), True
            elif word.lower() in vocab.ranks and not (
                last in vocab.title_heads and last not in vocab.ranks and _single_name_follows(doc, step.end(), sentence.end)
            ):
                pos, last = step.end(), word.lower()
            elif word in _LINKS:
                after = _NAME_TOKEN.match(text, step.end(), sentence.end)
                target = starts.get(after.start(1)) if after is not None else None
                if target is None or target.actor_type == "person":
                    break
                pos, last = target.end, ""
            else:
                break
        while pos < sentence.end and text[pos] in _SPACES + ",":
            pos += 1
        civil = last in vocab.title_heads and last not in vocab.ranks and not last.endswith(".")
        if through_the and not (last in vocab.title_heads or last in vocab.ranks):
            name = None
        else:
            name = _name_after(doc, pos, sentence.end, civil)
        if name is None and m.group().lower() not in vocab.ranks:
            name = _name_before_appositive(doc, m.start(), sentence.start, starts)
        if name is None:
            continue
        s, e, words = name
        if overlaps_found(s, e) or any(p.start < e and s < p.end for p in people):
            continue
        honorific = m.group() in vocab.honorifics
        if len(words) < 2 and not honorific:
            continue
        if catalog.resolve(" ".join(words)) is not None:
            continue
        people.append(_Found(s, e, _norm(text[s:e]), "person"))
    return _full_names(people)


def _overlap_test(found: list[_Found]) -> Callable[[int, int], bool]:
    """``(s, e) -> any(f.start < e and s < f.end for f in found)``, by bisection when ``found`` is a
    sorted run of non-empty, non-overlapping spans."""
    if not all(a.start < a.end <= b.start for a, b in zip(found, found[1:])) or (found and found[-1].start >= found[-1].end):
        return lambda s, e: any(f.start < e and s < f.end for f in found)
    f_starts = [f.start for f in found]
    f_ends = [f.end for f in found]

    def overlaps(s: int, e: int) -> bool:
        i = bisect.bisect_left(f_starts, e)
        return i > 0 and f_ends[i - 1] > s

    return overlaps


def _full_names(people: list[_Found]) -> list[_Found]:
    """"Mr Doe" is the "Jane Doe" named elsewhere in the document, when only one person has that surname."""
    surnames: dict[str, set[str]] = {}
    for p in people:
        if " " in p.name:
            surnames.setdefault(p.name.rsplit(" ", 1)[-1], set()).add(p.name)
    for p in people:
        full = surnames.get(p.name, ())
        if " " not in p.name and len(full) == 1:
            p.name = next(iter(full))
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
def _force_pattern(vocab: Vocabulary) -> re.Pattern[str]:
    """A national force after a country or its adjective ("Estonian Defence Forces", "Ukrainian
    air force", "US Army"): an organisation of its own, not the country. The noun must follow the
    country word directly, so a possessive ("Ukraine's air force") stays with the country."""
    nouns = _trie_pattern(vocab.force_nouns, fold=True)
    return re.compile(rf"[ \t\u00a0]+({nouns})(?![\w-])")


@lru_cache(maxsize=8)
def _head_pattern(vocab: Vocabulary) -> re.Pattern[str]:
    heads = _trie_pattern(vocab.title_heads, fold=True)
    honorifics = _trie_pattern(vocab.honorifics)
    short = [r.capitalize() for r in vocab.ranks if "." not in r and len(r) <= 4]
    ranks = f"|(?:{_trie_pattern(short)})(?!\\.)" if short else ""
    return re.compile(rf"(?<![\w.])(?:{heads}|{honorifics}{ranks})(?![\w-])")


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
            role, rank_only = _title_before(doc, f.start, floor, by_end)
            if (role is None or rank_only) and sentence is not None:
                role = _title_after(doc, f.end, sentence.end, by_start) or role
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
