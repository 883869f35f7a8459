"""The documents a run reconciles: those stored in the database and those
extracted in this run, streamed so that a large corpus is never in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Engine, select

from .db import execute_inline
from .load import table
from .records import DocumentExtract
from .serialise import pack

PAGE = 200
"""Stored extractions read per query."""


class StoredSource(NamedTuple):
    sha256: str
    parser_version: str
    ingested_at: datetime
    n_chars: int
    links_key: str | None


def stored_sources(engine: Engine) -> dict[str, StoredSource]:
    """What the database holds about each source, by URI (not its extraction)."""
    src = table("sources")
    columns = [src.c[name] for name in StoredSource._fields]
    with engine.connect() as conn:
        return {row[0]: StoredSource(*row[1:]) for row in conn.execute(select(src.c.uri, *columns))}


class Corpus:
    """Every document the database should reflect: the stored ones (read
    back from ``sources.extract`` a page at a time) and the fresh ones
    (spooled to a file as they are extracted), so that no more than a page
    of extracts is in memory at once."""

    def __init__(self, engine: Engine, directory: Path, stored: dict[str, StoredSource]) -> None:
        self.engine = engine
        self.stored = stored
        self.path = directory / "fresh_extracts.bin"
        self.fresh: dict[str, int] = {}
        self._out = self.path.open("wb")

    def add(self, doc: DocumentExtract, n_chars: int) -> None:
        blob = pack(doc)
        self._out.write(len(blob).to_bytes(4, "big"))
        self._out.write(blob)
        self.fresh[doc.uri] = n_chars

    def close(self) -> None:
        self._out.close()

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        """(uri, packed extract) of every document, stored ones first."""
        self.close()
        src = table("sources")
        last = ""
        while True:
            with self.engine.connect() as conn:
                page = execute_inline(
                    conn,
                    select(src.c.uri, src.c.extract).where(src.c.uri > last).order_by(src.c.uri).limit(PAGE),
                ).all()
            for uri, blob in page:
                if uri not in self.fresh:
                    yield uri, bytes(blob)
            if len(page) < PAGE:
                break
            last = page[-1][0]
        with self.path.open("rb") as blobs:
            for uri in self.fresh:
                yield uri, blobs.read(int.from_bytes(blobs.read(4), "big"))

    def is_current(self, uri: str, links_key: str) -> bool:
        """Whether a stored source's rows already point where ``links_key`` says."""
        return uri not in self.fresh and uri in self.stored and self.stored[uri].links_key == links_key

    def ingested_at(self, uri: str, now: datetime) -> datetime:
        return now if uri in self.fresh else self.stored[uri].ingested_at

    def n_chars(self, uri: str) -> int:
        return self.fresh.get(uri) or self.stored[uri].n_chars
