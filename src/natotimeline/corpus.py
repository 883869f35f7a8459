"""The documents a run reconciles: those stored in the database and those
extracted in this run, streamed so that a large corpus is never in memory."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, select

from .db import execute_inline
from .load import table
from .records import DocumentExtract
from .serialise import pack
from .stored import StoredSource, duckdb_pages

PAGE = 200
"""Stored extractions read per query: a span of row ids on DuckDB (a page
may hold fewer, where rows were replaced), else URIs."""


class Corpus:
    """Every document the database should reflect: the fresh ones (spooled
    to a file as they are extracted) and the stored ones. Once closed, a
    corpus with fresh documents holds the stored extractions they do not
    replace in a file too (read from ``sources.extract`` a page at a time),
    so iterating it reads files only and never more than one extract is in
    memory at once."""

    def __init__(self, engine: Engine, directory: Path, stored: Mapping[str, StoredSource]) -> None:
        self.engine = engine
        self.stored = stored
        self.path = directory / "fresh_extracts.bin"
        self.stored_path = directory / "stored_extracts.bin"
        self.fresh: dict[str, int] = {}
        self._out: IO[bytes] | None = self.path.open("wb")

    def add(self, doc: DocumentExtract, n_chars: int) -> None:
        assert self._out is not None, "corpus closed"
        _write(self._out, pack(doc))
        self.fresh[doc.uri] = n_chars

    def close(self) -> None:
        """Finish the fresh extracts; if there are any, copy the stored ones beside them."""
        if self._out is None:
            return
        self._out.close()
        self._out = None
        if self.fresh:
            with self.stored_path.open("wb") as out:
                for uri, blob in self._read_stored():
                    if uri not in self.fresh:
                        _write(out, uri.encode("utf-8"))
                        _write(out, blob)

    def _read_stored(self) -> Iterator[tuple[str, bytes]]:
        """Every stored extraction, a page at a time. DuckDB reads a range of
        row ids per page, skipping the row groups outside it (paging by URI
        took 4.0 s against 0.65 for 32,000 sources: each page sorted every
        remaining URI), and its cache is emptied after each page, else
        the pages read stay in it up to its limit (reading 32,000 sources'
        68 MB of extractions left 87 MB cached). Elsewhere pages follow the
        unique index on URI."""
        if self.engine.dialect.name != "duckdb":
            yield from self._read_stored_by_uri()
            return
        for page in duckdb_pages(self.engine, "uri, extract", PAGE):
            for uri, blob in page:
                yield uri, bytes(blob)

    def _read_stored_by_uri(self) -> Iterator[tuple[str, bytes]]:
        src = table("sources")
        last = ""
        while True:
            with self.engine.connect() as conn:
                page = execute_inline(
                    conn,
                    select(src.c.uri, src.c.extract).where(src.c.uri > last).order_by(src.c.uri).limit(PAGE),
                ).all()
            for uri, blob in page:
                yield uri, bytes(blob)
            if len(page) < PAGE:
                break
            last = page[-1][0]

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        """(uri, packed extract) of every document, stored ones first (a closed corpus with fresh ones)."""
        if self._out is not None or not self.fresh:
            raise RuntimeError("only a closed corpus with fresh documents can be iterated")
        with self.stored_path.open("rb") as stored:
            while uri := _read(stored):
                yield uri.decode("utf-8"), _read(stored)
        with self.path.open("rb") as blobs:
            for uri in self.fresh:
                yield uri, _read(blobs)

    def is_current(self, uri: str, links_key: str) -> bool:
        """Whether a stored source's rows already point where ``links_key`` says."""
        stored = None if uri in self.fresh else self.stored.get(uri)
        return stored is not None and stored.links_key == links_key

    def ingested_at(self, uri: str, now: datetime) -> datetime:
        return now if uri in self.fresh else self.stored[uri].ingested_at

    def n_chars(self, uri: str) -> int:
        return self.fresh.get(uri) or self.stored[uri].n_chars


def _write(out: IO[bytes], record: bytes) -> None:
    out.write(len(record).to_bytes(4, "big"))
    out.write(record)


def _read(stream: IO[bytes]) -> bytes:
    """The next record written by ``_write``, or b"" at the end."""
    size = stream.read(4)
    if not size:
        return b""
    record = stream.read(int.from_bytes(size, "big"))
    if len(size) != 4 or len(record) != int.from_bytes(size, "big"):
        raise ValueError(f"{stream.name} is cut off")
    return record
