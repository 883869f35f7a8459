"""Reconcile stage: many DocumentExtracts in, one set of events, actors and
figure claims out (pure). Deterministic: the same documents in any order give
the same output and the same keys.

Events: mentions from different sources are linked when their types belong to
one group, their date ranges nest (a day inside a month), their places do not
conflict and they share evidence (an actor, the place, or most of the title).
Links are merged strongest first, each merge checked against every member,
never two mentions of one source in one event. Then:

* corroboration: a source without a publication date that dates a mention
  only relatively ("released Thursday") gets its publication date from the
  unique matching event other sources date absolutely on that weekday; its
  other relative mentions are re-dated from it;
* undated mentions (a report "was posted", "visiting Washington") join the
  event of their type group dated in the week before the source's
  publication only with evidence that it is the same happening (a shared
  actor, place or most of the title), the unique best one; else they are
  dropped; relatively dated mentions that stay unresolved remain
  events of their own without a date.

Mentions dated only by a lead's present perfect ("has announced") are put on
their source's publication day. Differently dated mentions that share only
countries (no place, no title word) are not merged. Two mentions whose leads
(speaker, agent, host) differ and take no part in the other are not merged,
except in groups of types marked ``one_per_place`` (summits), where only a
lead the title names ("G7 summit", "NATO summit") tells two events apart, not
a sentence's subject ("Rutte wants leaders to endorse ... at the summit").

Mentions of different type groups never join one event, so each group is
merged on its own: the mentions wait in a temporary file per group
(``mention_files.GroupedMentions``) and only one group's are in memory at a
time.

Event keys hash the event's type group, date and title, so they do not depend
on input order or list positions (a new source changes the key only when it
makes the date more precise or supplies a better title).
"""

from __future__ import annotations

import re
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property, lru_cache
from itertools import accumulate, chain, pairwise
from operator import attrgetter
from pathlib import Path
from typing import IO

from .actors import ActorCatalog
from .events import ROLE_ORDER, lead_perfect, lexicon, relative_day_offset, title_tokens, weekday_of
from .figures import Agreement, claim_key
from .keys import stable_key
from .mention_files import GroupedMentions, RecordLog, StringFile
from .rows import claim_key_id
from .records import (
    ACTOR_TYPES,
    PRECISIONS,
    Actor,
    ActorMention,
    DocumentExtract,
    EventActor,
    EventMention,
    PublicationDate,
)

RECENT_DAYS = 7
COMPAT_CACHE = 1 << 13
"""Profile pairs whose compatibility ``_Clusters`` remembers at most: the
pairs it checks grow with the square of a window (261,000 in the largest
window of 32,000 generated documents). At 65,536 pairs the cache alone held
5 MiB; 8192 is as fast."""
FACTS_CACHE = 1 << 10
"""Clusters whose ``_Facts`` attaching a mention (corroborating, undated
mentions) keeps, the least recently used let go first. Kept for every
cluster looked at, they held 8 MiB at 16,000 generated documents. Facts are
made again when asked for again: 10,300 made for 62,600 asked for with all
kept, 30,500 with 4096, 52,500 with 1024, and the attaching took no longer."""
SHARED_FROM = 64
"""Windows of this many profiles or more score only the profiles that
share something with each (``_Shared``); smaller ones score every profile
in date range, which is faster than indexing them."""
SPILL_PAIRS = 1 << 20
"""Numbers (about 4 MiB) a window's pair runs hold in memory before they go to disk (``_PairRuns``)."""
_LEAD_ROLES = frozenset({"speaker", "agent", "host"})
_FUTURE = re.compile(r"\b(?:will|shall|is due to|are due to|is set to|are set to|to be held|scheduled|upcoming|next)\b", re.I)


@dataclass(frozen=True, slots=True)
class Event:
    """One happening, reported by one or more sources.

    ``mentions`` are (source uri, index into that document's ``events``).
    """

    key: str
    event_type: str
    title: str
    date_value: str | None
    date_start: date | None
    date_end: date | None
    precision: str
    location: str | None
    actors: tuple[EventActor, ...]
    mentions: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class FigureClaim:
    """Figures several sources report for one metric, subject and period.

    A figure's claim follows from the figure alone (``rows.claim_id``).
    """

    key: str
    metric: str
    subject: str | None
    period: str | None
    unit: str
    currency: str | None
    n_sources: int
    consistent: bool


@dataclass(frozen=True, slots=True)
class Reconciled:
    events: tuple[Event, ...] | RecordLog[Event]
    """In date order; or, written to a file (``Reconciler.result``), a type group's after another."""
    actors: tuple[Actor, ...]
    claims: tuple[FigureClaim, ...]
    publication_overrides: dict[str, PublicationDate]


@dataclass(frozen=True, slots=True)
class _Mention:
    """An event mention with the date reconciliation believes (maybe
    re-dated): what reconciling reads of it, no ``EventMention`` kept (a
    window of the largest group holds one of these per statement)."""

    source: int
    """The source's place among the corpus's URIs in sorted order
    (``_Mentions``): an int per mention, not the URI, and refs sort as
    (URI, index) would."""
    index: int
    group: str
    event_type: str
    title: str
    location: str | None
    actors: tuple[EventActor, ...]
    date_expression: str
    quote: str
    date_value: str | None
    date_start: date | None
    date_end: date | None
    precision: str
    place: str | None
    countries: frozenset[str]
    names: frozenset[str]
    core: frozenset[str]
    leads: frozenset[str]
    tokens: frozenset[str]

    @property
    def ref(self) -> tuple[int, int]:
        return (self.source, self.index)


def _norm_place(place: str | None) -> str | None:
    if not place:
        return None
    p = place.lower().strip()
    return p[4:] if p.startswith("the ") else p


def _make(source: int, index: int, m: EventMention | _Mention, countries: frozenset[str],
          redate: tuple[str, date, date, str] | None = None) -> _Mention:
    group = _group(m.event_type)
    value, start, end, precision = redate or (m.date_value, m.date_start, m.date_end, m.precision)
    names, core, leads = _actor_sets(m.actors)
    if leads and group in _place_bound_groups():
        leads = frozenset(n for n in leads if n in m.title)
    return _Mention(source, index, group, m.event_type, m.title, m.location, m.actors, m.date_expression, m.quote,
                    value, start, end if end else start, precision,
                    _norm_place(m.location), countries, names, core, leads, title_tokens(m.title))


@lru_cache(maxsize=1 << 16)  # shares the sets among a corpus's mentions; cleared after each reconcile
def _actor_sets(actors: tuple[EventActor, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """All names, the names that take part, the leads' names (one copy per distinct cast)."""
    return (frozenset(a.name for a in actors),
            frozenset(a.name for a in actors if a.role != "mentioned"),
            frozenset(a.name for a in actors if a.role in _LEAD_ROLES))


_RANKS = {p: i for i, p in enumerate(PRECISIONS)}


def _rank(precision: str) -> int:
    return _RANKS.get(precision, len(PRECISIONS))


def _dates_nest(a: _Mention, b: _Mention) -> bool:
    if a.date_start is None or b.date_start is None or a.date_end is None or b.date_end is None:
        return False
    a_in_b = b.date_start <= a.date_start and a.date_end <= b.date_end
    b_in_a = a.date_start <= b.date_start and b.date_end <= a.date_end
    return a_in_b or b_in_a


def _places_touch(p: str | None, q: str | None) -> bool:
    """Whether one place is inside the other ("brussels", "nato headquarters in brussels")."""
    return bool(p and q and (p in q or q in p))


def _place_conflict(a: _Mention, b: _Mention) -> bool:
    if not a.place or not b.place or a.place == b.place:
        return False
    if a.place in a.countries or b.place in b.countries or a.place in b.countries or b.place in a.countries:
        return False
    return not _places_touch(a.place, b.place)


def _lead_conflict(a: _Mention, b: _Mention) -> bool:
    """Different speakers/agents, neither of whom takes part in the other mention."""
    return bool(a.leads and b.leads and not (a.leads & b.names) and not (b.leads & a.names))


def _evidence(a: _Mention, b: _Mention) -> float | None:
    """Strength of the evidence that two mentions (dates aside) are one happening."""
    if a.group != b.group or _place_conflict(a, b) or _lead_conflict(a, b):
        return None
    shared = len(a.names & b.names) + len(a.core & b.core)
    place = _places_touch(a.place, b.place)
    union = a.tokens | b.tokens
    overlap = len(a.tokens & b.tokens) / len(union) if union else 0.0
    if not shared and not place and overlap < 0.5:
        return None
    return 1.0 * shared + 3.0 * place + 4.0 * overlap + (1.0 if a.event_type == b.event_type else 0.0)


def _only_countries(a: _Mention, b: _Mention) -> bool:
    """All the actors the two mentions share are countries: too weak to merge differently dated mentions."""
    countries = a.countries | b.countries
    return all(_norm_place(n) in countries for n in a.names & b.names)


def _strong_evidence(m: _Mention, c: _Mention) -> bool:
    """A specific shared fact: an actor that takes part in one of them, the place, or a title word."""
    if (m.core & c.names) or (c.core & m.names):
        return True
    if _places_touch(m.place, c.place):
        return True
    return bool(m.tokens & c.tokens)


def _link(a: _Mention, b: _Mention) -> float | None:
    if not _dates_nest(a, b):
        return None
    score = _evidence(a, b)
    if score is None:
        return None
    if a.date_value != b.date_value and _only_countries(a, b) and not (a.tokens & b.tokens) and not (
            _places_touch(a.place, b.place)):
        return None
    gap = abs(_rank(a.precision) - _rank(b.precision))
    if gap >= 3 and score < 4.0:
        return None
    return score - 0.5 * gap


def _profile(m: _Mention) -> tuple:
    """Everything linking looks at: mentions with one profile link alike."""
    return (m.group, m.event_type, m.date_start, m.date_end, m.precision, m.place, m.countries,
            m.names, m.core, m.leads, m.tokens)


def _profile_ids(mentions: Sequence[_Mention]) -> tuple[list[_Mention], array[int]]:
    """The first mention of each distinct ``_profile``, and each mention's
    profile (an index into the first). Profiles are found by their hash,
    compared whole on a match, so that only one is held per profile."""
    reps: list[_Mention] = []
    prof_of = array("I")
    by_hash: dict[int, int] = {}
    collided: dict[tuple, int] = {}
    for m in mentions:
        profile = _profile(m)
        pid = by_hash.setdefault(hash(profile), len(reps))
        if pid < len(reps) and _profile(reps[pid]) != profile:
            pid = collided.setdefault(profile, len(reps))
        if pid == len(reps):
            reps.append(m)
        prof_of.append(pid)
    return reps, prof_of


def _by_profile(prof_of: array[int], n_profiles: int) -> tuple[array[int], array[int]]:
    """Where each profile's mentions start in the second array (and, last,
    where the last profile's end), and the mentions by profile, each
    profile's in order: a stable counting sort of ``prof_of``."""
    counts = array("I", [0]) * (n_profiles + 1)
    for p in prof_of:
        counts[p + 1] += 1
    starts = array("I", accumulate(counts))
    order = array("I", [0]) * len(prof_of)
    place = starts[:-1]
    for i, p in enumerate(prof_of):
        order[place[p]] = i
        place[p] += 1
    return starts, order


class _Shared:
    """Positions in a window of profiles by the names, title words and places
    they hold. Two mentions that share none of these give no ``_evidence``,
    so only the profiles sharing one with a profile are scored against it.

    Title words alone are evidence only when the shared words are at least
    half of the two titles' words together (Jaccard 0.5). Two such titles
    share one of the first ``n // 2 + 1`` of each one's ``n`` words in any
    one order of words (prefix filtering, as in set-similarity joins), so
    only those are indexed. Rarest first keeps the lists short: indexing
    every word made common words partners of every title."""

    def __init__(self, reps: Sequence[_Mention]) -> None:
        self._reps = reps
        self._names: dict[str, array[int]] = {}
        self._tokens: dict[str, array[int]] = {}
        self._places: dict[str, array[int]] = {}
        self._near: dict[str, list[array[int]]] = {}
        self._frequency = Counter(t for r in reps for t in r.tokens)
        for pos, r in enumerate(reps):
            for n in r.names:
                self._names.setdefault(n, array("I")).append(pos)
            for t in self._rare(r):
                self._tokens.setdefault(t, array("I")).append(pos)
            if r.place:
                self._places.setdefault(r.place, array("I")).append(pos)

    def _rare(self, m: _Mention) -> list[str]:
        """The first ``n // 2 + 1`` of ``m``'s ``n`` title words, rarest in the window first
        (made again when asked for: kept for every profile, they nearly quadrupled the index's memory)."""
        return sorted(m.tokens, key=lambda t: (self._frequency[t], t))[:len(m.tokens) // 2 + 1]

    def _places_near(self, place: str) -> list[array[int]]:
        """The positions of every place that contains ``place`` or is contained in it."""
        found = self._near.get(place)
        if found is None:
            found = self._near[place] = [at for p, at in self._places.items() if _places_touch(p, place)]
        return found

    def with_(self, pos: int, lo: int, hi: int) -> set[int]:
        """The positions from ``lo`` to before ``hi`` that may give ``_evidence`` with the one at ``pos``."""
        m = self._reps[pos]
        postings = [self._names[n] for n in m.names] + [self._tokens[t] for t in self._rare(m)]
        if m.place:
            postings += self._places_near(m.place)
        found: set[int] = set()
        for at in postings:
            found.update(at[bisect_left(at, lo):bisect_left(at, hi)])
        return found


class _PairRuns:
    """A window's linked profile pairs by score, as runs: a profile, how many
    partners it has at that score, and the partners. No pair is ever a
    Python object. Once the runs hold ``SPILL_PAIRS`` numbers they go to a
    temporary file per score, indexed by where each profile's run starts, so
    that a window's pairs take a few bytes per profile in memory, not per
    pair (4.4 million pairs, 17 MiB, in the largest window of 64,000
    generated documents)."""

    def __init__(self) -> None:
        self._held: dict[float, array[int]] = {}
        self._size = 0
        self._files: dict[float, IO[bytes]] = {}
        self._index: dict[float, array[int]] = {}
        """Per score, each spilled run's profile and where it starts in the file (in numbers)."""

    def add(self, score: float, p: int, partners: Sequence[int]) -> None:
        run = self._held.setdefault(score, array("I"))
        run.append(p)
        run.append(len(partners))
        run.extend(partners)
        self._size += 2 + len(partners)
        if self._size >= SPILL_PAIRS:
            self._spill()

    def _spill(self) -> None:
        for score, run in self._held.items():
            file = self._files.get(score)
            if file is None:
                file = self._files[score] = tempfile.TemporaryFile(prefix="natotimeline-pairs-")
            index = self._index.setdefault(score, array("q"))
            at = file.seek(0, 2) // run.itemsize
            i = 0
            while i < len(run):
                index.append(run[i])
                index.append(at + i)
                i += 2 + run[i + 1]
            run.tofile(file)
        self._held.clear()
        self._size = 0

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every pair once, strongest first, each score's runs in profile order (each profile has one run a score)."""
        if self._files:
            self._spill()
            yield from self._spilled_pairs()
            return
        for score in sorted(self._held, reverse=True):
            run = self._held.pop(score)
            starts = []
            i = 0
            while i < len(run):
                starts.append(i)
                i += 2 + run[i + 1]
            for i in sorted(starts, key=run.__getitem__):
                p = run[i]
                for k in range(i + 2, i + 2 + run[i + 1]):
                    yield p, run[k]

    def _spilled_pairs(self) -> Iterator[tuple[int, int]]:
        for score in sorted(self._files, reverse=True):
            file, index = self._files.pop(score), self._index.pop(score)
            with file:
                for i in sorted(range(0, len(index), 2), key=index.__getitem__):
                    run = array("I")
                    file.seek(index[i + 1] * run.itemsize)
                    run.frombytes(file.read(2 * run.itemsize))
                    p, n = run
                    run = array("I")
                    run.frombytes(file.read(n * run.itemsize))
                    for q in run:
                        yield p, q


class _Clusters:
    """Strongest-first merging of linked mentions (order independent).

    Identical profiles (the same report in many sources) are scored once.
    """

    def __init__(self, mentions: Sequence[_Mention]) -> None:
        self.mentions = list(mentions)
        if any(a.ref > b.ref for a, b in pairwise(self.mentions)):
            self.mentions.sort(key=attrgetter("index"))  # then by source, stably: no key tuple per mention
            self.mentions.sort(key=attrgetter("source"))
        self.reps, self.prof_of = _profile_ids(self.mentions)
        self._starts, self._by_profile = _by_profile(self.prof_of, len(self.reps))
        self.parent = array("I", range(len(self.mentions)))
        self.members: dict[int, Sequence[int]] = {}
        self.sources: dict[int, set[int]] = {}
        """Sources of the clusters merged in the current window, by root."""
        self.profs: dict[int, set[int]] = {}
        """Profiles of the clusters merged in the current window, by root."""
        self.compat: dict[int, bool] = {}
        """Whether two profiles may share a cluster, by pair code; emptied when it holds ``COMPAT_CACHE``."""

    def prof_members(self, p: int) -> array[int]:
        """The mentions of profile ``p``, in ``ref`` order."""
        return self._by_profile[self._starts[p]:self._starts[p + 1]]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _profiles_compatible(self, p: int, q: int) -> bool:
        if p == q:
            return True
        key = p * len(self.reps) + q if p < q else q * len(self.reps) + p
        found = self.compat.get(key)
        if found is None:
            if len(self.compat) >= COMPAT_CACHE:
                self.compat.clear()
            x, y = self.reps[p], self.reps[q]
            found = self.compat[key] = _dates_nest(x, y) and not _place_conflict(x, y) and not _lead_conflict(x, y)
        return found

    def _cluster_of(self, root: int) -> tuple[Sequence[int], set[int], set[int]]:
        """Members, sources and profiles of a root's cluster in the current
        window (kept only once it has merged)."""
        if root in self.sources:
            return self.members[root], self.sources[root], self.profs[root]
        return [root], {self.mentions[root].source}, {self.prof_of[root]}

    def _try_union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        members_a, sources_a, profs_a = self._cluster_of(ra)
        members_b, sources_b, profs_b = self._cluster_of(rb)
        if sources_a & sources_b:
            return
        if not all(self._profiles_compatible(p, q) for p in profs_a for q in profs_b):
            return
        keep, drop = min(ra, rb), max(ra, rb)
        for table in (self.members, self.sources, self.profs):
            table.pop(drop, None)
        self.parent[drop] = keep
        first, second = ((members_a, members_b) if keep == ra else (members_b, members_a))
        self.members[keep] = [*first, *second]
        self.sources[keep] = sources_a | sources_b
        self.profs[keep] = profs_a | profs_b

    def _windows(self) -> Iterator[array[int]]:
        """Profiles of one type group whose date ranges chain together, in date
        order: no two profiles in different windows can link, so each window
        is merged on its own and only its pairs are ever held."""
        by_group: dict[str, array[int]] = {}
        for p, rep in enumerate(self.reps):
            by_group.setdefault(rep.group, array("I")).append(p)
        for pids in by_group.values():
            # reps are in ``ref`` order, so a stable sort by date keeps ties in it
            pids = array("I", sorted(pids, key=lambda p: self.reps[p].date_start or date.min))
            window = array("I")
            reach: date | None = None
            for p in pids:
                rep = self.reps[p]
                if window and (reach is None or rep.date_start is None or rep.date_start > reach):
                    yield window
                    window, reach = array("I"), None
                window.append(p)
                if rep.date_end is not None and (reach is None or rep.date_end > reach):
                    reach = rep.date_end
            if window:
                yield window

    def _pairs(self, window: array[int]) -> Iterator[tuple[int, int]]:
        """The window's linked profile pairs (p, p for a profile several
        mentions share), strongest first, ties in ``ref`` order.

        Reps are in ``ref`` order, so (p, q) sorts as their refs do. A
        window can hold millions of pairs, so they are kept per score as
        runs of each profile's sorted partners, on disk past a size
        (``_PairRuns``). In a window of ``SHARED_FROM`` profiles or more,
        only the profiles that share something with a profile (``_Shared``)
        are scored against it."""
        runs = _PairRuns()
        reps = [self.reps[p] for p in window]
        date_starts = [r.date_start for r in reps]
        shared = _Shared(reps) if len(window) >= SHARED_FROM else None
        for pos, p in enumerate(window):
            a = reps[pos]
            found: dict[float, list[int]] = {}
            if self._starts[p + 1] - self._starts[p] > 1 and (score := _link(a, a)) is not None:
                found[score] = [p]
            end = len(window) if a.date_end is None else bisect_right(date_starts, a.date_end, pos + 1)
            for later in range(pos + 1, end) if shared is None else shared.with_(pos, pos + 1, end):
                score = _link(a, reps[later])
                if score is not None:
                    found.setdefault(score, []).append(window[later])
            for score, partners in found.items():
                partners.sort()
                runs.add(score, p, partners)
        yield from runs.pairs()

    def merge_all(self) -> None:
        for window in self._windows():
            for p, q in self._pairs(window):
                if p == q:
                    first, *rest = self.prof_members(p)
                    for other in rest:
                        self._try_union(first, other)
                    continue
                for a in sorted({self.find(i) for i in self.prof_members(p)}):
                    for b in sorted({self.find(j) for j in self.prof_members(q)}):
                        self._try_union(a, b)
            self._close_window()

    def _close_window(self) -> None:
        """Let go of what only merging the window read: no later window can
        link to its clusters, so their members are all that is kept."""
        for root in self.sources:
            self.members[root] = array("I", self.members[root])
        self.sources.clear()
        self.profs.clear()
        self.compat.clear()

    def groups(self) -> list[list[_Mention]]:
        return [[self.mentions[i] for i in sorted(self.members.get(root, (root,)))]
                for root in range(len(self.mentions)) if self.parent[root] == root]


@dataclass(frozen=True, slots=True)
class _Facts:
    """What attaching a mention to a cluster looks at."""

    sources: frozenset[int]
    groups: frozenset[str]
    reps: tuple[_Mention, ...]
    names: frozenset[str]
    tokens: frozenset[str]
    places: frozenset[str]

    @classmethod
    def of(cls, cluster: Sequence[_Mention]) -> _Facts:
        return cls(frozenset(c.source for c in cluster), frozenset(c.group for c in cluster),
                   tuple({_profile(c): c for c in cluster}.values()),
                   frozenset().union(*(c.names for c in cluster)), frozenset().union(*(c.tokens for c in cluster)),
                   frozenset(c.place for c in cluster if c.place))

    def may_share_evidence(self, m: _Mention) -> bool:
        """False when no member can give ``_evidence`` with ``m``: no shared name, no place
        containing the other, and too few shared title tokens for an overlap of one half."""
        if not m.names.isdisjoint(self.names):
            return True
        if m.tokens and 2 * len(m.tokens & self.tokens) >= len(m.tokens):
            return True
        return any(_places_touch(p, m.place) for p in self.places)


class _Candidates:
    """The clusters a mention may join, with their facts kept current as
    clusters grow; the facts of at most ``FACTS_CACHE`` clusters are kept."""

    def __init__(self, clusters: list[list[_Mention]]) -> None:
        self.clusters = clusters
        self._facts: dict[int, _Facts] = {}

    def facts(self, ci: int) -> _Facts:
        found = self._facts.pop(ci, None)
        if found is None:
            found = _Facts.of(self.clusters[ci])
            if len(self._facts) >= FACTS_CACHE:
                del self._facts[next(iter(self._facts))]
        self._facts[ci] = found
        return found

    def add(self, ci: int, m: _Mention) -> None:
        self.clusters[ci].append(m)
        self._facts.pop(ci, None)


def _attach_score(m: _Mention, facts: _Facts, need_evidence: bool) -> float | None:
    if m.source in facts.sources or any(g != m.group for g in facts.groups):
        return None
    if need_evidence and not facts.may_share_evidence(m):
        return None
    best: float | None = None
    for c in facts.reps:
        if _place_conflict(m, c) or _lead_conflict(m, c):
            return None
        score = _evidence(m, c)
        if score is not None and (best is None or score > best):
            best = score
    if best is not None:
        return best
    return None if need_evidence else 0.0


def _best_unique(m: _Mention, candidates: Iterable[int], clusters: _Candidates,
                 need_evidence: bool = True) -> int | None:
    """The one best-matching cluster, or None when there is none or a tie."""
    scored = sorted(((s, ci) for ci in candidates
                     if (s := _attach_score(m, clusters.facts(ci), need_evidence)) is not None),
                    key=lambda p: (-p[0], p[1]))
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _cluster_day(cluster: Sequence[_Mention]) -> date | None:
    best = min(cluster, key=lambda c: (_rank(c.precision), c.date_value or ""))
    return best.date_start if best.precision == "day" else None


class _DayIndex:
    """Clusters dated to a day, by type group and by (group, day)."""

    def __init__(self, clusters: Sequence[list[_Mention]]) -> None:
        self.days = [_cluster_day(c) for c in clusters]
        self.by_day: dict[tuple[str, date], list[int]] = {}
        for ci, (cluster, day) in enumerate(zip(clusters, self.days)):
            if day is not None:
                self.by_day.setdefault((cluster[0].group, day), []).append(ci)

    @cached_property
    def by_group(self) -> dict[str, list[tuple[date, int]]]:
        """(day, cluster) by type group: made only where asked for, as only corroborating does."""
        found: dict[str, list[tuple[date, int]]] = {}
        for (group, day), cis in self.by_day.items():
            found.setdefault(group, []).extend((day, ci) for ci in cis)
        return found

    def recent(self, group: str, pub: date) -> list[int]:
        return [ci for k in range(RECENT_DAYS + 1)
                for ci in self.by_day.get((group, pub - timedelta(days=k)), ())]


def _relative_in_undated(published: Sequence[date | None],
                         pending: Sequence[_Mention]) -> list[tuple[_Mention, int | None, int | None]]:
    """Mentions that sources without a publication date date relatively, with
    their weekday and day offset: what ``_corroborate`` works from."""
    found = []
    for m in pending:
        if published[m.source] is None and _relative(m.date_expression):
            found.append((m, weekday_of(m.date_expression), relative_day_offset(m.date_expression)))
    return found


def _vote(relative: Sequence[tuple[_Mention, int | None, int | None]],
          clusters: Sequence[list[_Mention]], votes: dict[str, list[tuple[date, str]]], uris: Sequence[str]) -> None:
    """Add to ``votes`` the publication dates that events other sources date
    give the sources without one (all of one type group); ``uris`` are the
    sources' URIs by ``_Mention.source``."""
    index = _DayIndex(clusters)
    attachable = _Candidates(list(clusters))
    for m, weekday, offset in relative:
        candidates = [ci for day, ci in index.by_group.get(m.group, ())
                      if weekday is None or day.weekday() == weekday]
        ci = _best_unique(m, candidates, attachable)
        if ci is None:
            continue
        day = index.days[ci]
        assert day is not None
        published = day - timedelta(days=offset or 0)
        sources = ", ".join(uris[s] for s in sorted({c.source for c in clusters[ci]}))
        evidence = (f"'{m.date_expression}' in \"{m.quote[:80]}\" is {day.isoformat()} "
                    f"({clusters[ci][0].title}, dated by {sources})")
        votes.setdefault(uris[m.source], []).append((published, evidence))


def _corroborated(votes: dict[str, list[tuple[date, str]]]) -> dict[str, PublicationDate]:
    """Each voted-for source's publication date: the date most votes give, the earliest of a tie."""
    out: dict[str, PublicationDate] = {}
    for uri, found in votes.items():
        counts = Counter(d for d, _ in found)
        best = min(counts, key=lambda d: (-counts[d], d))
        evidence = sorted(e for d, e in found if d == best)[0]
        out[uri] = PublicationDate(best, "corroborated", evidence)
    return out


def _redate(m: _Mention, anchor: date) -> tuple[str, date, date, str] | None:
    offset = relative_day_offset(m.date_expression)
    weekday = weekday_of(m.date_expression)
    if offset is not None:
        day = anchor + timedelta(days=offset)
    elif weekday is not None:
        delta = (weekday - anchor.weekday()) % 7
        future = bool(_FUTURE.search(m.quote))
        day = anchor + timedelta(days=delta) if future else anchor - timedelta(days=(anchor.weekday() - weekday) % 7)
    else:
        return None
    return (day.isoformat(), day, day, "day")


@lru_cache(maxsize=1)
def _generic_titles() -> frozenset[str]:
    return frozenset({t.capitalize() for t in lexicon().types} | {"Meeting", "Statement", "Report released", "Summit"})


def _choose_title(cluster: Sequence[_Mention]) -> str:
    generic = _generic_titles()

    def quality(c: _Mention) -> tuple:
        specific_place = bool(c.place) and c.place not in c.countries
        return (_rank(c.precision), c.title in generic, not specific_place, -len(c.title), c.title)

    return min(cluster, key=quality).title


def _choose_place(cluster: Sequence[_Mention]) -> str | None:
    places = [c for c in cluster if c.location]
    if not places:
        return None
    counts = Counter(c.location for c in places)

    def quality(c: _Mention) -> tuple:
        return (c.place in c.countries, -counts[c.location], -len(c.location or ""), c.location)

    return min(places, key=quality).location


def _merge_actors(cluster: Sequence[_Mention]) -> tuple[EventActor, ...]:
    roles: dict[str, Counter[str]] = {}
    for c in cluster:
        for a in c.actors:
            roles.setdefault(a.name, Counter())[a.role] += 1

    def role_key(role: str) -> tuple[int, str]:
        return (ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER), role)

    out = []
    for name, counter in roles.items():
        role = min(counter, key=lambda r: (-counter[r], role_key(r)))
        out.append(EventActor(name, role))
    return tuple(sorted(out, key=lambda a: (role_key(a.role), a.name)))


def _headline(cluster: Sequence[_Mention]) -> tuple[str, str | None, date | None, date | None, str, str]:
    """The event's type, date (value, start, end, precision) and title, chosen from its mentions."""
    types = lexicon().types
    counts = Counter(c.event_type for c in cluster)
    event_type = min(counts, key=lambda t: (-counts[t], types[t].rank if t in types else 99, t))
    dated = [c for c in cluster if c.date_start is not None]
    if dated:
        values = Counter(c.date_value for c in dated)
        best = min(dated, key=lambda c: (_rank(c.precision), -values[c.date_value], c.date_value or ""))
        value, start, end, precision = best.date_value, best.date_start, best.date_end, best.precision
    else:
        value, start, end, precision = None, None, None, "unknown"
    return event_type, value, start, end, precision, _choose_title(cluster)


def _base_key(event_type: str, date_value: str | None, title: str) -> str:
    """An event's key unless another event of its type group has the same date and title."""
    return stable_key("event", _group(event_type), date_value, title)


def _type_date_title(cluster: Sequence[_Mention]) -> tuple[str, str | None, str]:
    event_type, value, _, _, _, title = _headline(cluster)
    return event_type, value, title


def _event(cluster: Sequence[_Mention], uris: Sequence[str]) -> Event:
    event_type, value, start, end, precision, title = _headline(cluster)
    return Event(
        key="",
        event_type=event_type,
        title=title,
        date_value=value,
        date_start=start,
        date_end=end,
        precision=precision,
        location=_choose_place(cluster),
        actors=_merge_actors(cluster),
        mentions=tuple((uris[s], i) for s, i in sorted(c.ref for c in cluster)),
    )


def _keyed_events(clusters: list[list[_Mention]], uris: Sequence[str]) -> Iterator[Event]:
    """Each cluster's event with its key, the last cluster's first, each
    cluster let go as its event is given (emptying ``clusters``). Events
    that share a ``_base_key`` add their first mention to it. Which do is
    found from the keys alone, as numbers, so that a group's events are
    never all held at once (the statements' of 64,000 generated documents
    took the process 16 MiB higher)."""
    keys = sorted(int(_base_key(*_type_date_title(c)), 16) for c in clusters)
    shared = {a for a, b in pairwise(keys) if a == b}
    del keys
    while clusters:
        event = _event(clusters.pop(), uris)
        key = _base_key(event.event_type, event.date_value, event.title)
        yield replace(event, key=stable_key("event", key, event.mentions[0]) if int(key, 16) in shared else key)


def reconcile_events(docs: Sequence[DocumentExtract]) -> tuple[list[Event], dict[str, PublicationDate]]:
    """Merge the event mentions of all documents; also the corroborated publication dates."""
    seen: set[str] = set()
    mentions = _Mentions()
    try:
        for doc in docs:
            if doc.uri in seen:
                raise ValueError(f"{doc.uri} was given twice")
            seen.add(doc.uri)
            mentions.add(doc)
    except BaseException:
        mentions.close()
        raise
    events, overrides = _merged(mentions)
    return list(events), overrides


def _merged(mentions: _Mentions, events_to: Path | None = None
            ) -> tuple[tuple[Event, ...] | RecordLog[Event], dict[str, PublicationDate]]:
    """The events ``mentions`` make, in date order, or with ``events_to``
    written to that file as each is made, a type group at a time; and the
    corroborated publication dates. Closes ``mentions``."""
    try:
        overrides = mentions.corroborated()
        groups = mentions.events(overrides)
        if events_to is None:
            return tuple(sorted(chain.from_iterable(groups), key=_event_order)), overrides
        log: RecordLog[Event] = RecordLog(events_to)
        try:
            for found in groups:
                log.extend(found)
        finally:
            log.close()
        return log, overrides
    finally:
        mentions.close()


def _countries(doc: DocumentExtract) -> frozenset[str]:
    return frozenset(_norm_place(n) or "" for a in doc.actors if a.actor_type == "country" for n in (a.alias, a.name))


@lru_cache(maxsize=1)
def _place_bound_groups() -> frozenset[str]:
    """Groups of types marked ``one_per_place``: who leads such an event in a sentence ("Rutte
    wants leaders to endorse ... at the summit", "Lithuania will host the summit") does not tell
    two of them apart; only a lead its title names does ("G7 summit", "NATO summit")."""
    return frozenset(t.group for t in lexicon().types.values() if t.one_per_place)


def _group(event_type: str) -> str:
    types = lexicon().types
    return types[event_type].group if event_type in types else event_type


def _event_order(e: Event) -> tuple:
    return (e.date_start or date.max, e.event_type, e.title, e.mentions)


def _relative(expression: str) -> bool:
    """Whether an expression dates a mention relative to its source's publication ("Thursday", "yesterday")."""
    return weekday_of(expression) is not None or relative_day_offset(expression) is not None


class _Mentions:
    """The event mentions of the documents added, kept on disk by type group
    (``mention_files.GroupedMentions``): no two groups' mentions join one
    event, so each group is read back and merged on its own, and only one
    group's mentions are in memory at a time."""

    def __init__(self) -> None:
        self._files = GroupedMentions()
        self._uris: list[str] = []
        """The sources' URIs in the order added, until reading starts (``_sources``)."""
        self._sorted: StringFile | None = None
        self._place: array[int] | None = None
        self._corroborating: set[str] = set()
        """Groups holding a mention that a source without a publication date dates relatively."""

    def add(self, doc: DocumentExtract) -> None:
        if self._sorted is not None:
            raise RuntimeError("mentions are added before any are read")
        undated = doc.published.value is None
        found = []
        for i, m in enumerate(doc.events):
            group = _group(m.event_type)
            found.append((group, i, m))
            if undated and m.date_start is None and m.date_expression and _relative(m.date_expression):
                self._corroborating.add(group)
        self._files.add(len(self._uris), doc.published.value, _countries(doc), found)
        self._uris.append(doc.uri)

    def _sources(self) -> tuple[StringFile, array[int]]:
        """The sources' URIs in sorted order, in a file, and per source
        added (by number) its place among them, which is its mentions'
        ``_Mention.source``: a group's mentions and sources hold numbers,
        not copies of the URIs (read back with each group, those took 5 MiB
        at 64,000 generated documents), and the URIs are not in memory."""
        if self._sorted is None or self._place is None:
            order = sorted(range(len(self._uris)), key=self._uris.__getitem__)
            self._place = array("I", bytes(4 * len(order)))
            for at, number in enumerate(order):
                self._place[number] = at
            self._sorted = StringFile(self._uris[number] for number in order)
            self._uris = []
        return self._sorted, self._place

    def _read(self, group: str) -> tuple[list[_Mention], list[_Mention], list[_Mention],
                                         list[date | None], list[frozenset[str]]]:
        """The group's dated, relatively dated and undated mentions; the
        publication dates and countries of their sources, by
        ``_Mention.source`` (others' are None and empty)."""
        dated: list[_Mention] = []
        pending: list[_Mention] = []
        undated: list[_Mention] = []
        place = self._sources()[1]
        published: list[date | None] = [None] * len(place)
        countries: list[frozenset[str]] = [frozenset()] * len(place)
        for number, pub, names, events in self._files.read(group):
            source = place[number]
            published[source] = pub
            countries[source] = names
            for i, em in events:
                m = _make(source, i, em, names)
                if m.date_start is not None:
                    dated.append(m)
                elif em.date_expression:
                    pending.append(m)
                else:
                    undated.append(m)
        return dated, pending, undated, published, countries

    def corroborated(self) -> dict[str, PublicationDate]:
        """Publication dates for sources without one, from events other sources date."""
        votes: dict[str, list[tuple[date, str]]] = {}
        try:
            for group in sorted(self._corroborating):
                dated, pending, _, published, _ = self._read(group)
                if relative := _relative_in_undated(published, pending):
                    _vote(relative, _cluster(dated), votes, self._sources()[0])
        finally:
            _actor_sets.cache_clear()
        return _corroborated(votes)

    def events(self, overrides: dict[str, PublicationDate]) -> Iterator[Iterator[Event]]:
        """Each group's merged events, with their keys, given the ``corroborated`` publication dates."""
        uris = self._sources()[0]
        by_source = {bisect_left(uris, uri): found for uri, found in overrides.items()}
        try:
            for group in self._files.groups:
                yield _group_events(*self._read(group), by_source, uris)
        finally:
            _actor_sets.cache_clear()

    def close(self) -> None:
        self._files.close()
        if self._sorted is not None:
            self._sorted.close()


def _group_events(dated: list[_Mention], pending: list[_Mention], undated: list[_Mention],
                  published: list[date | None], countries: list[frozenset[str]],
                  overrides: dict[int, PublicationDate], uris: Sequence[str]) -> Iterator[Event]:
    """The events one type group's mentions make, one at a time
    (``_keyed_events``). Empties ``dated`` and ``undated``, and adds the
    corroborated dates to ``published``. ``published``, ``countries`` and
    ``overrides`` are by ``_Mention.source``, whose URIs are ``uris``."""
    if overrides:
        still: list[_Mention] = []
        for m in pending:
            anchor = overrides[m.source].value if m.source in overrides else None
            redate = _redate(m, anchor) if anchor else None
            if redate:
                dated.append(_make(m.source, m.index, m, countries[m.source], redate))
            else:
                still.append(m)
        pending = still
        for source, found in overrides.items():
            published[source] = found.value
    pending = _date_on_publication(pending, published, dated, countries)
    clusters = _cluster(dated)
    dated.clear()
    index = _DayIndex(clusters)
    attachable = _Candidates(clusters)
    for m in sorted(undated, key=lambda x: x.ref):
        pub = published[m.source]
        if pub is None:
            continue
        ci = _best_unique(m, index.recent(m.group, pub), attachable)
        if ci is not None and any(_strong_evidence(m, c) for c in attachable.clusters[ci]):
            attachable.add(ci, m)
    clusters += [[m] for m in pending]
    del pending, index, attachable
    undated.clear()
    yield from _keyed_events(clusters, uris)


def _date_on_publication(pending: list[_Mention], published: Sequence[date | None], dated: list[_Mention],
                         countries: Sequence[frozenset[str]]) -> list[_Mention]:
    """Put a lead's "has announced" on its source's publication day (appended to ``dated``)."""
    still: list[_Mention] = []
    for m in pending:
        pub = published[m.source]
        if pub is not None and lead_perfect(m.date_expression):
            dated.append(_make(m.source, m.index, m, countries[m.source], (pub.isoformat(), pub, pub, "day")))
        else:
            still.append(m)
    return still


def _cluster(mentions: Sequence[_Mention]) -> list[list[_Mention]]:
    c = _Clusters(mentions)
    c.merge_all()
    return c.groups()


@dataclass(slots=True)
class _ActorSeen:
    types: Counter[str]
    roles: Counter[str]
    aliases: set[str]


@dataclass(slots=True)
class _ClaimSeen:
    n_sources: int
    first: tuple[str, int]
    currency: str | None
    """The currency of the earliest report (``first``)."""
    agreement: Agreement


class Reconciler:
    """Reconciliation fed one document at a time, in any order.

    It keeps only what reconciling reads: each document's event mentions
    (without offsets or the quotes of dated mentions), in temporary files
    by type group (``_Mentions``), and in memory per actor name its
    types, roles and aliases, and per claim the number of its sources and
    its figures' running ``figures.Agreement``, so that a corpus is never
    held whole. Each document is added once, and the result is given
    once: merging lets go of the mentions as it turns them into events."""

    def __init__(self, catalog: ActorCatalog | None = None) -> None:
        self.catalog = catalog or ActorCatalog.default()
        self._mentions: _Mentions | None = _Mentions()
        self._actors: dict[str, _ActorSeen] = {}
        self._claims: dict[tuple, _ClaimSeen] = {}
        self._uris: set[str] = set()
        self._given = False

    def add(self, doc: DocumentExtract) -> None:
        if self._given:
            raise RuntimeError("a Reconciler takes no documents once it has given its result")
        if doc.uri in self._uris:
            raise ValueError(f"{doc.uri} was added twice")
        self._uris.add(doc.uri)
        assert self._mentions is not None
        self._mentions.add(doc)
        for a in doc.actors:
            seen = self._actors.get(a.name)
            if seen is None:
                seen = self._actors[a.name] = _ActorSeen(Counter(), Counter(), set())
            seen.types[a.actor_type] += 1
            if a.role:
                seen.roles[a.role] += 1
            seen.aliases.add(a.alias)
        seen_here: set[tuple] = set()
        for i, f in enumerate(doc.figures):
            ref = (doc.uri, i)
            ck = claim_key(f, doc.uri)
            claim = self._claims.get(ck)
            if claim is None:
                claim = self._claims[ck] = _ClaimSeen(0, ref, f.currency, Agreement())
            elif ref < claim.first:
                claim.first, claim.currency = ref, f.currency
            if ck not in seen_here:
                seen_here.add(ck)
                claim.n_sources += 1
            claim.agreement.add(f, ref)

    def result(self, events_to: Path | None = None) -> Reconciled:
        """The reconciled corpus. Its events are a tuple in date order, or,
        with ``events_to``, written to that file as they are made, a type
        group's after another, so that they are never all in memory
        (``mention_files.RecordLog``)."""
        if self._given:
            raise RuntimeError("a Reconciler gives its result once")
        self._given = True
        self._uris = set()
        mentions, self._mentions = self._mentions, None
        assert mentions is not None
        events, overrides = _merged(mentions, events_to)
        return Reconciled(events=events, actors=tuple(self._reconciled_actors()),
                          claims=tuple(self._reconciled_claims()), publication_overrides=overrides)

    def _reconciled_actors(self) -> list[Actor]:
        """One actor per canonical name with every alias seen."""
        out = []
        for name in sorted(self._actors):
            seen = self._actors[name]
            known = self.catalog.get(name)
            types = seen.types
            actor_type = known.actor_type if known else min(
                types, key=lambda t: (-types[t], ACTOR_TYPES.index(t) if t in ACTOR_TYPES else 99, t))
            roles = seen.roles
            role = (known.role if known and known.role else None) or (
                min(roles, key=lambda r: (-roles[r], r)) if roles else None)
            aliases = set(known.aliases if known else ()) | seen.aliases
            out.append(Actor(name, actor_type, role, tuple(sorted(aliases))))
        return out

    def _reconciled_claims(self) -> list[FigureClaim]:
        """One claim per ``figures.claim_key``, consistent per ``figures.Agreement``."""
        out = []
        for key, claim in self._claims.items():
            metric, subject, period, unit = key[:4]
            out.append(FigureClaim(claim_key_id(key), metric, subject, period, unit, claim.currency,
                                   claim.n_sources, claim.agreement.consistent))
        out.sort(key=lambda c: (c.metric, c.subject or "", c.period or "", c.key))
        return out


def reconcile(docs: Iterable[DocumentExtract], catalog: ActorCatalog | None = None) -> Reconciled:
    """Merge events, actors and figure claims across sources."""
    reconciler = Reconciler(catalog)
    for doc in docs:
        reconciler.add(doc)
    return reconciler.result()
