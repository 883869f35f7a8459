"""Rows on their way to the database, kept on disk rather than in memory.

A run writes each table's rows to a JSON Lines file as it builds them, so
the rows of a large corpus never sit in memory at once; the load stage then
merges each file into its table (see ``natotimeline.load``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import msgspec

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(dict)


class RowSpool:
    """Per-table JSON Lines files of content rows in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.counts: dict[str, int] = {}
        self._files: dict[str, IO[bytes]] = {}

    def path(self, table: str) -> Path:
        return self.directory / f"{table}.jsonl"

    def add(self, rows: Mapping[str, Iterable[dict]]) -> None:
        for table, items in rows.items():
            items = list(items)
            out = self._files.get(table)
            if out is None:
                out = self._files[table] = self.path(table).open("wb")
                self.counts.setdefault(table, 0)
            out.write(_ENCODER.encode_lines(items))
            self.counts[table] += len(items)

    def close(self) -> None:
        for out in self._files.values():
            out.close()
        self._files.clear()

    def rows(self, table: str) -> Iterator[dict]:
        """The spooled rows of ``table``, with dates and times still as ISO text."""
        if table not in self.counts:
            return
        with self.path(table).open("rb") as lines:
            for line in lines:
                yield _DECODER.decode(line)

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
