"""What the database holds about each stored source, read a page at a time
and kept on disk: a run looks it up once per input file."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Engine, Row, select

from .duckdb_files import evict_duckdb_cache
from .load import table


class StoredSource(NamedTuple):
    sha256: str
    parser_version: str
    ingested_at: datetime
    n_chars: int
    links_key: str | None


STORED_PAGE = 8192
"""Sources whose ``StoredSource`` is read per query (on DuckDB a span of row ids)."""


class StoredSources(Mapping[str, StoredSource]):
    """What the database holds about each source, by URI, in an SQLite file
    rather than in memory: a run looks one up per input file, and held in a
    dict they took 14.2 MiB at 32,000 sources, for the whole run, in the job
    and in the reconcile child it forks. Each process opens the file for
    itself, so a forked child never uses its parent's connection; close it
    before the file is removed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._inherited: list[sqlite3.Connection] = []
        self._pid = 0
        with self._db() as db:
            db.execute("CREATE TABLE stored (uri TEXT PRIMARY KEY, sha256 TEXT, parser_version TEXT,"
                       " ingested_at TEXT, n_chars INTEGER, links_key TEXT,"
                       " replaced INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID")

    def _db(self) -> sqlite3.Connection:
        if self._connection is not None and self._pid != os.getpid():
            self._inherited.append(self._connection)  # a forked child must not close its parent's
            self._connection = None
        if self._connection is None:
            self._connection = sqlite3.connect(self.path)
            self._connection.execute("PRAGMA journal_mode = OFF")
            self._connection.execute("PRAGMA synchronous = OFF")
            self._pid = os.getpid()
        return self._connection

    def close(self) -> None:
        """Close this process's connection; a later lookup opens it again."""
        if self._connection is not None and self._pid == os.getpid():
            self._connection.close()
        self._connection = None

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        """Rows of (uri, *StoredSource)."""
        with self._db() as db:
            db.executemany("INSERT INTO stored VALUES (?, ?, ?, ?, ?, ?, 0)",
                           ((uri, sha, version, ingested.isoformat(), n_chars, links_key)
                            for uri, sha, version, ingested, n_chars, links_key in rows))

    def mark_replaced(self, uri: str) -> None:
        """Note that this run extracted the source at ``uri`` again."""
        with self._db() as db:
            db.execute("UPDATE stored SET replaced = 1 WHERE uri = ?", (uri,))

    def replaced(self, uri: str) -> bool:
        """Whether ``mark_replaced`` was called for ``uri`` (in any process)."""
        found = self._db().execute("SELECT replaced FROM stored WHERE uri = ?", (uri,)).fetchone()
        return bool(found and found[0])

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
