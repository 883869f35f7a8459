"""The documents a run reconciles: those stored in the database and those
extracted in this run, streamed so that a large corpus is never in memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, NamedTuple

from sqlalchemy import Engine, select

from .db import execute_inline
from .load import table
from .records import DocumentExtract
from .serialise import pack
from .stored import StoredSources, duckdb_pages

PAGE = 200
"""Stored extractions read per query: a span of row ids on DuckDB (a page
may hold fewer, where rows were replaced), else URIs."""


class Entry(NamedTuple):
    """One document of a corpus: its URI, packed extract, and whether this
    run extracted it (and then the length of its text)."""

    uri: str
    blob: bytes
    fresh: bool
    n_chars: int | None = None


class Corpus:
    """Every document the database should reflect: the fresh ones (spooled
    to a file as they are extracted) and the stored ones. Once closed, a
    corpus with fresh documents holds the stored extractions they do not
    replace in a file too (read from ``sources.extract`` a page at a time),
    so iterating it reads files only and never more than one extract is in
    memory at once.

    What it knows of its fresh documents is in its files too (their count
    aside): which stored ones they replace is marked in ``stored``. So the
    documents can be added in a forked child (``pipeline._extract_changed``)
    and the corpus closed and read in the parent or another child."""

    def __init__(self, engine: Engine, directory: Path, stored: StoredSources) -> None:
        self.engine = engine
        self.stored = stored
        self.path = directory / "fresh_extracts.bin"
        self.stored_path = directory / "stored_extracts.bin"
        self.n_fresh = 0
        self._out: IO[bytes] | None = self.path.open("wb")

    def add(self, doc: DocumentExtract, n_chars: int, replaces: bool) -> None:
        """A fresh document; one that ``replaces`` a stored one is marked so in ``stored``."""
        assert self._out is not None, "corpus closed"
        write_record(self._out, doc.uri.encode("utf-8"))
        write_record(self._out, str(n_chars).encode("ascii"))
        write_record(self._out, pack(doc))
        if replaces:
            self.stored.mark_replaced(doc.uri)
        self.n_fresh += 1

    def flush(self) -> None:
        """Write out what ``add`` buffered: a forked child must, before it exits."""
        assert self._out is not None, "corpus closed"
        self._out.flush()

    def close(self) -> None:
        """Finish the fresh extracts; if there are any, copy the stored ones beside them."""
        if self._out is None:
            return
        self._out.close()
        self._out = None
        if self.n_fresh:
            with self.stored_path.open("wb") as out:
                for uri, blob in self._read_stored():
                    if not self.stored.replaced(uri):
                        write_record(out, uri.encode("utf-8"))
                        write_record(out, blob)

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

    def __iter__(self) -> Iterator[Entry]:
        """Every document, stored ones first (a closed corpus with fresh ones)."""
        if self._out is not None or not self.n_fresh:
            raise RuntimeError("only a closed corpus with fresh documents can be iterated")
        with self.stored_path.open("rb") as stored:
            while uri := read_record(stored):
                yield Entry(uri.decode("utf-8"), read_record(stored), False)
        with self.path.open("rb") as fresh:
            while uri := read_record(fresh):
                n_chars = int(read_record(fresh))
                yield Entry(uri.decode("utf-8"), read_record(fresh), True, n_chars)

    def is_current(self, entry: Entry, links_key: str) -> bool:
        """Whether a stored source's rows already point where ``links_key`` says."""
        return not entry.fresh and self.stored[entry.uri].links_key == links_key

    def ingested_at(self, entry: Entry, now: datetime) -> datetime:
        return now if entry.fresh else self.stored[entry.uri].ingested_at

    def n_chars(self, entry: Entry) -> int:
        return entry.n_chars if entry.n_chars is not None else self.stored[entry.uri].n_chars


def write_record(out: IO[bytes], record: bytes) -> None:
    out.write(len(record).to_bytes(4, "big"))
    out.write(record)


def read_record(stream: IO[bytes]) -> bytes:
    """The next record written by ``write_record``, or b"" at the end."""
    size = stream.read(4)
    if not size:
        return b""
    record = stream.read(int.from_bytes(size, "big"))
    if len(size) != 4 or len(record) != int.from_bytes(size, "big"):
        raise ValueError(f"{stream.name} is cut off")
    return record
