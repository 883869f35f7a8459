"""The documents a run reconciles: those stored in the database and those
extracted in this run, streamed so that a large corpus is never in memory."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, NamedTuple

from sqlalchemy import Engine, Row, select

from .db import execute_inline
from .duckdb_files import evict_duckdb_cache
from .load import table
from .records import DocumentExtract
from .serialise import pack

PAGE = 200
"""Stored extractions read per query: a span of row ids on DuckDB (a page
may hold fewer, where rows were replaced), else URIs."""


class StoredSource(NamedTuple):
    sha256: str
    parser_version: str
    ingested_at: datetime
    n_chars: int
    links_key: str | None


STORED_PAGE = 8192
"""Sources whose ``StoredSource`` is read per query on DuckDB (a span of row ids)."""


class StoredSources(Mapping[str, StoredSource]):
    """What the database holds about each source, by URI, in an SQLite file
    rather than in memory: a run looks one up per input file, and held in a
    dict they took 14.2 MiB at 32,000 sources, for the whole run, in the job
    and in the reconcile child it forks. Each process opens the file for
    itself, so a forked child never uses its parent's connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        with self._db() as db:
            db.execute("CREATE TABLE stored (uri TEXT PRIMARY KEY, sha256 TEXT, parser_version TEXT,"
                       " ingested_at TEXT, n_chars INTEGER, links_key TEXT) WITHOUT ROWID")

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(self.path)
            self._connection.execute("PRAGMA journal_mode = OFF")
            self._connection.execute("PRAGMA synchronous = OFF")
            self._pid = os.getpid()
        return self._connection

    def add(self, rows: Iterable[Sequence]) -> None:
        """Rows of (uri, *StoredSource)."""
        with self._db() as db:
            db.executemany("INSERT INTO stored VALUES (?, ?, ?, ?, ?, ?)",
                           ((uri, sha, version, ingested.isoformat(), n_chars, links_key)
                            for uri, sha, version, ingested, n_chars, links_key in rows))

    def __getitem__(self, uri: str) -> StoredSource:
        found = self._db().execute(
            "SELECT sha256, parser_version, ingested_at, n_chars, links_key FROM stored WHERE uri = ?", (uri,)
        ).fetchone()
        if found is None:
            raise KeyError(uri)
        sha, version, ingested, n_chars, links_key = found
        return StoredSource(sha, version, datetime.fromisoformat(ingested), n_chars, links_key)

    def __iter__(self) -> Iterator[str]:
        return (uri for (uri,) in self._db().execute("SELECT uri FROM stored ORDER BY uri"))

    def __len__(self) -> int:
        return self._db().execute("SELECT count(*) FROM stored").fetchone()[0]


def stored_sources(engine: Engine, path: Path) -> StoredSources:
    """What the database holds about each source (not its extraction), kept in
    the SQLite file ``path``.

    DuckDB reads them a span of row ids at a time and empties its cache
    after each (``duckdb_pages``): read at once, the columns stayed cached,
    25 MiB at 32,000 sources, in every run, one with nothing to do too."""
    stored = StoredSources(path)
    if engine.dialect.name == "duckdb":
        columns = ", ".join(("uri", *StoredSource._fields))
        for page in duckdb_pages(engine, columns, STORED_PAGE):
            stored.add(page)
        return stored
    src = table("sources")
    columns = [src.c[name] for name in StoredSource._fields]
    with engine.connect() as conn:
        for page in conn.execution_options(yield_per=STORED_PAGE).execute(select(src.c.uri, *columns)).partitions():
            stored.add(page)
    return stored


def duckdb_pages(engine: Engine, columns: str, rows: int) -> Iterator[Sequence[Row]]:
    """``columns`` of every row of DuckDB's ``sources``, a span of ``rows``
    row ids per query (a page may hold fewer, where rows were replaced),
    DuckDB's cache emptied after each page that held any: a scan keeps what
    it read cached up to DuckDB's memory limit."""
    with engine.connect() as conn:
        end = conn.exec_driver_sql("SELECT coalesce(max(rowid) + 1, 0) FROM sources").scalar_one()
    for first in range(0, end, rows):
        with engine.connect() as conn:
            page = conn.exec_driver_sql(
                f"SELECT {columns} FROM sources WHERE rowid >= {first} AND rowid < {first + rows}"
            ).all()
        if page:
            evict_duckdb_cache(engine)
        yield page


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
        return uri not in self.fresh and uri in self.stored and self.stored[uri].links_key == links_key

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
