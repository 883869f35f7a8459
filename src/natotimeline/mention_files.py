"""Files that hold reconciliation's working data on disk: so that it holds
one event type group's mentions at a time, and the job need not hold the
events it merged.

``GroupedMentions`` keeps each document's event mentions, reduced to what
reconciling reads, in one temporary file per event type group: mentions of
different groups never join one event, so reconciliation reads back and
merges one group at a time. ``RecordLog`` keeps records (the merged events)
in a file, read back in the order they were written, as often as asked.
``StringFile`` keeps strings (the sources' URIs) in a file, read back by
position."""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from datetime import date
from pathlib import Path
from typing import IO, Generic, TypeVar, overload

from .records import EventActor, EventMention

T = TypeVar("T")

BATCH = 256
"""Records a ``RecordLog`` writes, and so reads back, at once."""


GroupDoc = tuple[int, "date | None", frozenset[str], tuple[tuple[int, EventMention], ...]]
"""One document's mentions of one group: (the number it was added with,
its publication date, the countries it names, (index into the document's
events, mention) pairs).
Mentions read back have no offsets, and no quote once they are dated."""


def _fields(m: EventMention) -> tuple:
    """What reconciling reads of a mention: no offsets, and no quote once it is dated."""
    return (m.event_type, m.title, m.date_value, m.date_start, m.date_end, m.precision, m.date_expression,
            "" if m.date_start is not None else m.quote, m.location, tuple((a.name, a.role) for a in m.actors))


class GroupedMentions:
    """Event mentions by type group, each group's in a temporary file of its own."""

    def __init__(self) -> None:
        self._files: dict[str, IO[bytes]] = {}

    def add(self, number: int, published: date | None, countries: frozenset[str],
            mentions: Iterable[tuple[str, int, EventMention]]) -> None:
        """Keep one document's ``(group, index, mention)`` triples under
        ``number`` (the caller's for the document: its URI, read back with
        every group, took memory in proportion to the corpus)."""
        by_group: dict[str, list[tuple[int, tuple]]] = {}
        for group, index, m in mentions:
            by_group.setdefault(group, []).append((index, _fields(m)))
        names = tuple(sorted(countries))
        for group, found in by_group.items():
            out = self._files.get(group)
            if out is None:
                out = self._files[group] = tempfile.TemporaryFile(prefix="natotimeline-mentions-")
            pickle.dump((number, published, names, found), out, pickle.HIGHEST_PROTOCOL)

    @property
    def groups(self) -> list[str]:
        return sorted(self._files)

    def read(self, group: str) -> Iterator[GroupDoc]:
        """The group's documents in the order they were added, one at a time
        (a whole group's, held at once, took more than its mentions did).
        Values that repeat (dates, types, titles, casts, places, countries)
        read back as one object."""
        file = self._files.get(group)
        if file is None:
            return
        file.seek(0)
        shared: dict = {}
        one = shared.setdefault
        casts: dict[tuple, tuple[EventActor, ...]] = {}
        actors: dict[tuple[str, str], EventActor] = {}
        country_sets: dict[tuple[str, ...], frozenset[str]] = {}
        for number, published, countries, mentions in _pickled(file):
            events = []
            for index, (etype, title, value, start, end, precision, expression, quote, location, cast) in mentions:
                if (found_cast := casts.get(cast)) is None:
                    found_cast = casts[cast] = tuple(actors.setdefault(a, EventActor(*a)) for a in cast)
                events.append((index, EventMention(one(etype, etype), one(title, title), one(value, value),
                                                   one(start, start), one(end, end), one(precision, precision),
                                                   one(expression, expression), quote, 0, 0, 0, 0,
                                                   one(location, location), found_cast)))
            if (names := country_sets.get(countries)) is None:
                names = country_sets[countries] = frozenset(countries)
            yield number, one(published, published), names, tuple(events)
        file.seek(0, 2)

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()


def _pickled(file: IO[bytes]) -> Iterator:
    """Each object pickled into ``file``, from where it stands to its end."""
    while True:
        try:
            yield pickle.load(file)
        except EOFError:
            return


def _batched(items: Iterable[T], n: int) -> Iterator[tuple[T, ...]]:
    it = iter(items)
    while batch := tuple(islice(it, n)):
        yield batch


class RecordLog(Generic[T]):
    """Records appended to a file and read back in the order written, as often as asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._count = 0
        self._out: IO[bytes] | None = path.open("wb")

    def extend(self, records: Iterable[T]) -> None:
        assert self._out is not None, "log closed"
        for batch in _batched(records, BATCH):
            pickle.dump(batch, self._out, pickle.HIGHEST_PROTOCOL)
            self._count += len(batch)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        if self._out is not None:
            raise RuntimeError("a RecordLog is read once it is closed")
        with self.path.open("rb") as f:
            for batch in _pickled(f):
                yield from batch


class StringFile(Sequence[str]):
    """Strings in a temporary file, read back by position: in memory, 8
    bytes each for where it ends. A list of the 64,000 URIs of the benchmark
    corpus took 5 MiB."""

    def __init__(self, items: Iterable[str]) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="natotimeline-strings-")
        self._ends = array("Q")
        end = 0
        for item in items:
            raw = item.encode("utf-8")
            self._file.write(raw)
            end += len(raw)
            self._ends.append(end)
        self._file.flush()

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self._ends)
        if not 0 <= i < len(self._ends):
            raise IndexError("StringFile index out of range")
        start = self._ends[i - 1] if i else 0
        return os.pread(self._file.fileno(), self._ends[i] - start, start).decode("utf-8")

    def close(self) -> None:
        self._file.close()
