"""Rows on their way to the database, kept on disk rather than in memory.

A run writes each table's rows to JSON Lines files as it builds them, so the
rows of a large corpus never sit in memory at once; the load stage then
merges the files into their tables (see ``natotimeline.load``). A table's
rows are split into chunk files of at most ``CHUNK_ROWS`` rows and about
``CHUNK_BYTES`` bytes, so that a load can also be done a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import msgspec

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(dict)

CHUNK_ROWS = 5_000
CHUNK_BYTES = 4 << 20
"""A chunk file is closed once it holds CHUNK_ROWS rows or CHUNK_BYTES bytes."""


class RowSpool:
    """Per-table JSON Lines files of content rows in ``directory``; each row
    passes through ``prepare`` (table name, row), if given, on its way in."""

    def __init__(self, directory: Path, chunk_rows: int | None = None, chunk_bytes: int | None = None,
                 prepare: Callable[[str, dict], dict] | None = None) -> None:
        self.directory = directory
        self.prepare = prepare
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self.chunk_bytes = chunk_bytes or CHUNK_BYTES
        self.counts: dict[str, int] = {}
        self._chunks: dict[str, list[Path]] = {}
        self._files: dict[str, IO[bytes]] = {}
        self._in_chunk: dict[str, int] = {}
        self._bytes: dict[str, int] = {}

    def paths(self, table: str) -> list[Path]:
        """The chunk files of ``table``, in the order their rows were added."""
        return list(self._chunks.get(table, ()))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, rows: Mapping[str, Iterable[dict]]) -> None:
        for table, items in rows.items():
            self.counts.setdefault(table, 0)
            self._chunks.setdefault(table, [])
            for item in items:
                if self.prepare is not None:
                    item = self.prepare(table, item)
                if table not in self._files:
                    self._open(table)
                line = _ENCODER.encode(item)
                out = self._files[table]
                out.write(line)
                out.write(b"\n")
                self._in_chunk[table] += 1
                self._bytes[table] += len(line) + 1
                self.counts[table] += 1
                if self._in_chunk[table] >= self.chunk_rows or self._bytes[table] >= self.chunk_bytes:
                    self._files.pop(table).close()

    @property
    def chunked(self) -> bool:
        """Whether some table's rows fill more than one chunk."""
        return any(len(chunks) > 1 for chunks in self._chunks.values())

    def _open(self, table: str) -> None:
        chunks = self._chunks[table]
        path = self.directory / f"{table}.{len(chunks):05d}.jsonl"
        chunks.append(path)
        self._files[table] = path.open("wb")
        self._in_chunk[table] = self._bytes[table] = 0

    def close(self) -> None:
        for out in self._files.values():
            out.close()
        self._files.clear()

    def rows(self, table: str) -> Iterator[dict]:
        """The spooled rows of ``table``, with dates and times still as ISO text."""
        for path in self.paths(table):
            yield from self.read(path)

    @staticmethod
    def read(path: Path) -> Iterator[dict]:
        """The rows of one chunk file."""
        with path.open("rb") as lines:
            for line in lines:
                yield _DECODER.decode(line)

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
