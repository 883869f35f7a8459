"""Load stage: make the content tables hold exactly the desired rows.

Rows carry stable keys, so loading is a merge by key done by the database:
each table's desired rows are staged (DuckDB reads the spooled JSON Lines
file itself; PostgreSQL gets them through COPY into a temporary table),
then rows whose values changed are updated (on DuckDB deleted and inserted
again), new keys inserted and keys no longer wanted deleted. A row changed
when its ``digest`` did (``row_digest``, added as rows are spooled), so that
finding the few changed rows among many reads two narrow columns. Parents are
written before children and children deleted before parents, so
PostgreSQL's foreign keys hold at every statement. Re-loading the same
rows writes nothing, and memory does not grow with the number of rows.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import msgspec

from sqlalchemy import Connection, CursorResult, Engine, Table, UniqueConstraint
from sqlalchemy.exc import DBAPIError
from sqlalchemy import types as sqltypes

from .duckdb_files import evict_duckdb_cache, index_memory, set_memory_limit
from .models import CHILD_TABLES, CONTENT_TABLES, PARENT_TABLES, Base
from .spool import RowSpool

DIGEST = "digest"
"""The column of every content table that holds its row's ``row_digest``."""

ROW_NO = "row_no"
"""On DuckDB, the primary key of every content table (migration 0007): a
number each inserted row gets, one more than the table's largest, so that
new keys go to one end of DuckDB's key index. Not a content column: rows are
merged and joined by ``id``."""

_ENCODER = msgspec.json.Encoder()

PER_SOURCE_TABLES = ("event_mentions", "figures")
"""Tables whose rows belong to one source (``source_id``) and are replaced per staged source."""

LOAD_MEMORY = 48 << 20
"""DuckDB's memory limit for a chunked load besides the key indexes of the
table it merges (``_Room``): every statement that reads spooled rows
reserves a 32 MiB buffer, and the rest is room to work in and for the
blocks DuckDB caches."""

ROOM_RETRIES = 4
"""How often a step of a chunked load that ran out of memory is run again with more room."""

_DUCKDB_TYPES = [
    (sqltypes.Boolean, "BOOLEAN"),
    (sqltypes.DateTime, "TIMESTAMP"),
    (sqltypes.Date, "DATE"),
    (sqltypes.Float, "DOUBLE"),
    (sqltypes.Integer, "BIGINT"),
]


@dataclass
class LoadStats:
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def add(self, other: LoadStats) -> None:
        for mine, theirs in ((self.inserted, other.inserted), (self.updated, other.updated),
                             (self.deleted, other.deleted)):
            for name, n in theirs.items():
                mine[name] = mine.get(name, 0) + n

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values()) or any(self.deleted.values())


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def _duckdb_type(column_type: sqltypes.TypeEngine) -> str:
    """The type DuckDB reads a spooled column as (binary arrives as base64 text)."""
    for sql_type, name in _DUCKDB_TYPES:
        if isinstance(column_type, sql_type):
            return name
    return "VARCHAR"


def _keyed_by_id(tbl: Table) -> set[str]:
    """Columns whose value follows from the row's key: never compared, never changed."""
    keyed = {c.name for c in tbl.columns if c.primary_key or c.unique}
    for constraint in tbl.constraints:
        if isinstance(constraint, UniqueConstraint):
            keyed |= {c.name for c in constraint.columns}
    return keyed


def _affected(result: CursorResult) -> int:
    """Rows a DML statement touched (DuckDB returns the count as a row)."""
    if result.returns_rows:
        return int(result.scalar_one())
    return max(result.rowcount, 0)


def _files(spool: RowSpool, name: str) -> list[Path]:
    files = spool.paths(name)
    if not files:
        empty = spool.directory / f"{name}.empty.jsonl"
        empty.touch()
        files = [empty]
    return files


def _stage(conn: Connection, name: str, spool: RowSpool, files: list[Path] | None = None) -> str:
    """A temporary relation holding ``files`` (default: all) of the table's
    spooled rows. Their digests count only from a spool that made them
    (``content_spool``): from any other, a row's digest is staged as NULL, so
    that rows spooled with the digests they were read with cannot pass for
    unchanged."""
    tbl = table(name)
    stage = f"_natotimeline_stage_{name}"
    columns = [c.name for c in tbl.columns]
    files = files or _files(spool, name)
    binary = {c for c in columns if isinstance(tbl.c[c].type, sqltypes.LargeBinary)}
    trusted = spool.prepare is with_digest
    if conn.dialect.name == "duckdb":
        types = ", ".join(f"{c}: '{_duckdb_type(tbl.c[c].type)}'" for c in columns)
        selected = ", ".join(f"from_base64({c}) AS {c}" if c in binary
                             else f"CAST(NULL AS BIGINT) AS {c}" if c == DIGEST and not trusted
                             else c for c in columns)
        literals = ", ".join("'" + str(path).replace("'", "''") + "'" for path in files)
        conn.exec_driver_sql(
            f"CREATE OR REPLACE TEMP VIEW {stage} AS SELECT {selected} FROM "
            f"read_json([{literals}], format = 'newline_delimited', columns = {{{types}}})"
        )
        return stage
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {stage}")
    conn.exec_driver_sql(f"CREATE TEMP TABLE {stage} (LIKE {name}) ON COMMIT DROP")
    with conn.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {stage} ({', '.join(columns)}) FROM STDIN") as copy:
            for path in files:
                for row in RowSpool.read(path):
                    for c in binary & row.keys():
                        row[c] = base64.b64decode(row[c])
                    if not trusted:
                        row[DIGEST] = None
                    copy.write_row(tuple(row.get(c) for c in columns))
    return stage


def _drop_stage(conn: Connection, stage: str) -> None:
    kind = "VIEW" if conn.dialect.name == "duckdb" else "TABLE"
    conn.exec_driver_sql(f"DROP {kind} IF EXISTS {stage}")


@cache
def _digested(name: str) -> tuple[str, ...]:
    """The columns a row's digest covers: those that may change, but not
    those that follow from others (``info["follows"]``), whose large values
    the digest would otherwise have to read."""
    tbl = table(name)
    return tuple(c for c in _updatable(name) if c != DIGEST and not tbl.c[c].info.get("follows"))


def row_digest(name: str, row: Mapping[str, object]) -> int:
    """A 64-bit hash of ``row``'s values in the columns of table ``name`` that
    tell whether it changed (``_digested``), whatever the order of its keys."""
    encoded = _ENCODER.encode([row.get(c) for c in _digested(name)])
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "big", signed=True)


def with_digest(name: str, row: Mapping[str, object]) -> dict:
    """``row`` with its ``row_digest``: how rows are spooled for the load (``content_spool``)."""
    return {**row, DIGEST: row_digest(name, row)}


def content_spool(directory: Path) -> RowSpool:
    """A spool of content rows in ``directory``, each row with its digest."""
    return RowSpool(directory, prepare=with_digest)


def _changed(name: str) -> str:
    """A condition on ``name`` joined with its stage ``AS s``: the staged
    row's digest differs from the stored one's, so its values do. A row with
    no digest on either side counts as changed. (A table whose columns are
    all part of its key has no changed rows: ``_digested`` is empty.)"""
    return f"{name}.{DIGEST} IS DISTINCT FROM s.{DIGEST} OR s.{DIGEST} IS NULL"


def _updatable(name: str) -> list[str]:
    tbl = table(name)
    return [c.name for c in tbl.columns if c.name not in _keyed_by_id(tbl)]


def _update(conn: Connection, name: str, stage: str) -> int:
    """Update the stored rows whose staged digests differ (``_changed``)."""
    columns = _updatable(name)
    if not _digested(name):
        return 0
    assignments = ", ".join(f"{c} = s.{c}" for c in columns)
    return _affected(conn.exec_driver_sql(
        f"UPDATE {name} SET {assignments} FROM {stage} AS s WHERE {name}.id = s.id AND ({_changed(name)})"
    ))


def _delete_changed(conn: Connection, name: str, stage: str) -> int:
    """Delete the stored rows whose staged digests differ (``_changed``), for ``_insert`` to
    write again in the same transaction: DuckDB's UPDATE reads the old values
    of whole columns to keep them for the transaction (updating 320 of 32,000
    sources' extractions read 87 MB). The row comes back with a new ``ROW_NO``."""
    if not _digested(name):
        return 0
    return _affected(conn.exec_driver_sql(
        f"DELETE FROM {name} WHERE id IN (SELECT s.id FROM {stage} AS s JOIN {name} ON {name}.id = s.id"
        f" WHERE {_changed(name)})"
    ))


def _is_empty(conn: Connection, name: str) -> bool:
    return conn.exec_driver_sql(f"SELECT NOT EXISTS (SELECT 1 FROM {name})").scalar_one()


def _insert(conn: Connection, name: str, stage: str, only_new: bool = True) -> int:
    new = f"NOT EXISTS (SELECT 1 FROM {name} AS t WHERE t.id = s.id)" if only_new else "TRUE"
    return insert_rows(conn, name, stage, new)


def insert_rows(conn: Connection, name: str, relation: str, where: str = "TRUE") -> int:
    """Insert the rows of ``relation`` (``AS s``, with the table's columns)
    that satisfy ``where`` into table ``name``. On DuckDB a content table's
    rows each get the next row number (``ROW_NO``); the run log's tables
    have none."""
    columns = ", ".join(c.name for c in table(name).columns)
    inserted = selected = columns
    if conn.dialect.name == "duckdb" and name in CONTENT_TABLES:
        inserted += f", {ROW_NO}"
        selected += f", (SELECT coalesce(max({ROW_NO}), 0) FROM {name}) + row_number() OVER ()"
    return _affected(conn.exec_driver_sql(
        f"INSERT INTO {name} ({inserted}) SELECT {selected} FROM {relation} AS s WHERE {where}"))


def _delete(conn: Connection, name: str, stage: str, sources_stage: str) -> int:
    """Delete the rows not staged; for a source's own rows, only those of staged sources."""
    scope = (f" AND {name}.source_id IN (SELECT id FROM {sources_stage})"
             if name in PER_SOURCE_TABLES else "")
    return _affected(conn.exec_driver_sql(
        f"DELETE FROM {name} WHERE NOT EXISTS (SELECT 1 FROM {stage} AS s WHERE s.id = {name}.id){scope}"
    ))


def merge_spool(conn: Connection, spool: RowSpool, *, prune: bool = True) -> LoadStats:
    """Merge every content table with its spooled rows inside the caller's transaction.

    Sources are never deleted: a file that left the input keeps its row. A
    source's own rows (its event mentions and figures) are replaced only for
    the sources staged, so a run can leave the rows of unaffected sources
    out of the spool."""
    spool.close()
    stats = LoadStats()
    empty = _empty_tables(conn)
    stages = {name: _stage(conn, name, spool) for name in CONTENT_TABLES}
    for name in CONTENT_TABLES:
        _upsert(conn, name, stages[name], empty, stats)
    _prune(conn, stages, empty, stats, prune)
    for stage in stages.values():
        _drop_stage(conn, stage)
    return stats


def merge_spool_in_chunks(engine: Engine, spool: RowSpool, *, prune: bool = True) -> LoadStats:
    """``merge_spool`` one chunk file per transaction, so that the database
    never holds more than a chunk of uncommitted rows, and DuckDB's cache is
    emptied after each (``duckdb_files.evict_duckdb_cache``), so that the
    blocks a chunk wrote do not stay in memory; keys no longer wanted are
    deleted last, a table per transaction. The database is reopened after
    each table, which lets go of the key indexes its statements loaded, and
    each table's statements get a memory limit of their own (``_Room``).
    Every intermediate state is committed, so this is only for a database
    nobody reads yet (``natotimeline.swap``)."""
    spool.close()
    stats = LoadStats()
    with engine.connect() as conn:
        empty = _empty_tables(conn)

    for name in CONTENT_TABLES:
        room = _Room(engine)
        for chunk in _files(spool, name):
            room.run(partial(_merge_chunk, name, chunk, spool, empty), stats)
            evict_duckdb_cache(engine)
        engine.dispose()
    for name in CHILD_TABLES + PARENT_TABLES:
        _Room(engine).run(partial(_prune_staged, name, spool, empty, prune), stats)
        engine.dispose()
    return stats


def _merge_chunk(name: str, chunk: Path, spool: RowSpool, empty: set[str], conn: Connection,
                 stats: LoadStats) -> None:
    stage = _stage(conn, name, spool, [chunk])
    _upsert(conn, name, stage, empty, stats)
    _drop_stage(conn, stage)


def _prune_staged(name: str, spool: RowSpool, empty: set[str], prune: bool, conn: Connection,
                  stats: LoadStats) -> None:
    stages = {n: _stage(conn, n, spool) for n in {name, "sources"}}
    _prune_table(conn, name, stages, empty, stats, prune)
    for stage in stages.values():
        _drop_stage(conn, stage)


class _Room:
    """DuckDB's memory limit while a chunked load merges one table:
    ``LOAD_MEMORY`` and room for the table's key indexes.

    DuckDB caches the blocks a statement reads up to its limit, whole tables
    when a load looks up keys (their columns share blocks), but keeps a key
    index in memory once a statement loads it, outside its cache. So a
    fixed limit let the cache take whatever the indexes left of it, and the
    more a table's indexes could take, the more the cache took. Here the
    room follows what the indexes hold: after each step, a quarter more
    than DuckDB reports for them. A step that runs out of memory (an index
    loaded further) is rolled back and run again with more room. A limit
    the database URL sets is kept, and other databases have none."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.managed = engine.dialect.name == "duckdb" and "memory_limit" not in engine.url.query
        self.extra = 0
        if self.managed:
            self._apply()

    def _apply(self) -> None:
        set_memory_limit(self.engine, LOAD_MEMORY + self.extra)

    def run(self, step: Callable[[Connection, LoadStats], None], stats: LoadStats) -> None:
        """``step`` in a transaction of its own; its counts added to ``stats`` once it commits."""
        for attempt in range(ROOM_RETRIES + 1):
            found = LoadStats()
            try:
                with self.engine.begin() as conn:
                    step(conn, found)
            except DBAPIError as exc:
                if not self.managed or attempt == ROOM_RETRIES or "Out of Memory" not in str(exc.orig):
                    raise
                self.extra = 2 * self.extra + LOAD_MEMORY
                self._apply()
                continue
            stats.add(found)
            if self.managed:
                held = index_memory(self.engine)
                self.extra = held + held // 4
                self._apply()
            return


def _empty_tables(conn: Connection) -> set[str]:
    """Tables with no rows before the load: their staged rows are all new."""
    return {name for name in CONTENT_TABLES if _is_empty(conn, name)}


def _upsert(conn: Connection, name: str, stage: str, empty: set[str], stats: LoadStats) -> None:
    """Update the changed rows and insert the new keys of one staged table
    (counts add up over chunks). DuckDB replaces the changed rows instead
    (``_delete_changed``): they count as updated, not inserted."""
    if name in empty:
        updated, inserted = 0, _insert(conn, name, stage, only_new=False)
    elif conn.dialect.name == "duckdb":
        updated = _delete_changed(conn, name, stage)
        inserted = _insert(conn, name, stage) - updated
    else:
        updated, inserted = _update(conn, name, stage), _insert(conn, name, stage)
    stats.updated[name] = stats.updated.get(name, 0) + updated
    stats.inserted[name] = stats.inserted.get(name, 0) + inserted


def _prune(conn: Connection, stages: Mapping[str, str], empty: set[str], stats: LoadStats, prune: bool) -> None:
    """Delete the keys no longer wanted, children before parents."""
    for name in CHILD_TABLES + PARENT_TABLES:
        _prune_table(conn, name, stages, empty, stats, prune)


def _prune_table(conn: Connection, name: str, stages: Mapping[str, str], empty: set[str], stats: LoadStats,
                 prune: bool) -> None:
    stats.deleted[name] = 0
    if prune and name != "sources" and name not in empty:
        stats.deleted[name] = _delete(conn, name, stages[name], stages["sources"])


def apply_rows(conn: Connection, desired: Mapping[str, list[dict]] | RowSpool, *, prune: bool = True) -> LoadStats:
    """Write ``desired`` (rows in memory, or spooled) into the content tables."""
    if isinstance(desired, RowSpool):
        return merge_spool(conn, desired, prune=prune)
    if others := sorted(set(desired) - set(CONTENT_TABLES)):
        raise ValueError(f"apply_rows writes the content tables only, not: {', '.join(others)}")
    with tempfile.TemporaryDirectory(prefix="natotimeline-load-") as tmp:
        with content_spool(Path(tmp)) as spool:
            spool.add(desired)
        return merge_spool(conn, spool, prune=prune)
