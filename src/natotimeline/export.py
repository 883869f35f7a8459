"""Copies of the database for analysts: one self-contained DuckDB file, or Parquet.

The source (DuckDB or PostgreSQL) is read in one read-only snapshot through
Python (Arrow), never through DuckDB's postgres extension. The DuckDB file
is built under a temporary name next to PATH, migrated to the current
schema (tables and views), filled, checkpointed and renamed over PATH in one
``os.replace``: an analyst who has the old file open keeps reading the old
rows, the next open sees the new ones, and the export never opens or locks
the analyst's file.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Connection, inspect, select
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import SQLAlchemyError

from .db import SCHEMA_HEAD, DatabaseError, describe_error, make_engine, migrate, safe_url
from .load import insert_rows, table
from .models import CONTENT_TABLES
from .query import reader_url
from .views import view_names

LOG_TABLES = ("etl_runs", "ingest_errors")
EXPORT_TABLES = CONTENT_TABLES + LOG_TABLES
_BATCH = 10_000
_ARROW_TYPES = [
    (sqltypes.Boolean, pa.bool_()),
    (sqltypes.DateTime, pa.timestamp("us")),
    (sqltypes.Date, pa.date32()),
    (sqltypes.Float, pa.float64()),
    (sqltypes.Integer, pa.int64()),
    (sqltypes.LargeBinary, pa.binary()),
]


def _arrow_type(column_type: sqltypes.TypeEngine) -> pa.DataType:
    for sql_type, arrow_type in _ARROW_TYPES:
        if isinstance(column_type, sql_type):
            return arrow_type
    return pa.string()


@dataclass
class ExportSummary:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    views: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def describe(self) -> str:
        counts = ", ".join(f"{self.rows.get(t, 0)} {t}" for t in ("sources", "events", "actors", "figures"))
        return f"exported {counts} and {len(self.views)} views to {self.path} in {self.seconds:.2f} s"


def _schema(name: str) -> pa.Schema:
    return pa.schema([(c.name, _arrow_type(c.type)) for c in table(name).columns])


def _arrow(raw, sql: str) -> pa.Table:
    """A DuckDB query's result as one Arrow table (whatever this DuckDB's API returns)."""
    rel = raw.sql(sql)
    data = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    return data.read_all() if isinstance(data, pa.RecordBatchReader) else data


def _read_duckdb(conn: Connection, name: str) -> pa.Table:
    cols = ", ".join(c.name for c in table(name).columns)
    return _arrow(conn.connection.driver_connection, f"SELECT {cols} FROM {name}").cast(_schema(name))


def _read_generic(conn: Connection, name: str) -> pa.Table:
    tbl = table(name)
    schema = _schema(name)
    batches = []
    result = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(select(tbl))
    for part in result.partitions(_BATCH):
        columns = list(zip(*part, strict=True)) if part else [() for _ in schema]
        arrays = [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)]
        batches.append(pa.record_batch(arrays, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def _revision(conn: Connection) -> str | None:
    try:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except SQLAlchemyError:
        return None


@contextmanager
def _snapshot(url: str) -> Iterator[Connection]:
    """One read-only, consistent view of the source database."""
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            missing = set(EXPORT_TABLES) - set(inspect(conn).get_table_names())
            if missing:
                raise DatabaseError(
                    f"database {safe_url(url)} has no natotimeline tables ({', '.join(sorted(missing))}): "
                    "run 'natotimeline run' first"
                )
            if (revision := _revision(conn)) != SCHEMA_HEAD:
                raise DatabaseError(
                    f"database {safe_url(url)} is at schema revision {revision}, not {SCHEMA_HEAD}: "
                    "run 'natotimeline migrate' (or a run) first"
                )
            yield conn
    except SQLAlchemyError as exc:
        raise describe_error(url, exc) from exc
    finally:
        engine.dispose()


def read_tables(url: str) -> dict[str, pa.Table]:
    """Every exported table of the database at ``url`` as Arrow, from one snapshot."""
    url = reader_url(url)
    with _snapshot(url) as conn:
        reader = _read_duckdb if conn.dialect.name == "duckdb" else _read_generic
        return {name: reader(conn, name) for name in EXPORT_TABLES}


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with suppress(FileNotFoundError):
            p.unlink()


def _build(target: Path, data: dict[str, pa.Table]) -> None:
    """A fresh DuckDB file at ``target`` holding the schema, views and ``data``."""
    engine = make_engine(f"duckdb:///{target}")
    try:
        migrate(engine)
        with engine.begin() as conn:
            raw = conn.connection.driver_connection
            for name, arrow in data.items():
                if not arrow.num_rows:
                    continue
                view = f"_natotimeline_export_{name}"
                raw.register(view, arrow)
                try:
                    insert_rows(conn, name, view)
                finally:
                    raw.unregister(view)
        with engine.connect() as conn:
            conn.exec_driver_sql("CHECKPOINT")
    finally:
        engine.dispose()


def _same_file(url: str, path: Path) -> bool:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "duckdb" or not parsed.database or parsed.database == ":memory:":
        return False
    return Path(parsed.database).expanduser().resolve() == path.expanduser().resolve()


def export_duckdb(url: str, path: Path) -> ExportSummary:
    """Write the analyst file at ``path`` atomically (see module docstring)."""
    started = time.perf_counter()
    path = Path(path)
    url = reader_url(url)
    if _same_file(url, path):
        raise DatabaseError(f"cannot export {path} onto itself: choose another file for the analysts' copy")
    folder = path.expanduser().resolve().parent
    if not folder.is_dir():
        raise DatabaseError(f"cannot write {path}: folder {folder} does not exist")
    data = read_tables(url)
    tmp = folder / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        _build(tmp, data)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise DatabaseError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        _remove(tmp)
    return ExportSummary(
        path=path,
        rows={name: t.num_rows for name, t in data.items()},
        views=view_names(),
        seconds=time.perf_counter() - started,
    )


def export_parquet(url: str, directory: Path) -> ExportSummary:
    """One Parquet file per view (``DIR/v_timeline.parquet``, ...), each replaced atomically.

    The views are computed by DuckDB over a private copy of the tables, so the
    files have the same column types whichever database the ETL loads into.
    """
    import pyarrow.parquet as pq

    started = time.perf_counter()
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot write {directory}: {exc.strerror or exc}") from exc
    url = reader_url(url)
    data = read_tables(url)
    work = directory / f".natotimeline-export.{os.getpid()}.{uuid.uuid4().hex[:8]}.duckdb"
    try:
        _build(work, data)
        engine = make_engine(f"duckdb:///{work}", read_only=True)
        try:
            with engine.connect() as conn:
                raw = conn.connection.driver_connection
                for name in view_names():
                    arrow = _arrow(raw, f"SELECT * FROM {name}")
                    final = directory / f"{name}.parquet"
                    tmp = directory / f".{name}.parquet.{uuid.uuid4().hex[:8]}.tmp"
                    try:
                        pq.write_table(arrow, tmp)
                        os.replace(tmp, final)
                    finally:
                        with suppress(FileNotFoundError):
                            tmp.unlink()
        finally:
            engine.dispose()
    except OSError as exc:
        raise DatabaseError(f"cannot write {directory}: {exc.strerror or exc}") from exc
    finally:
        _remove(work)
    return ExportSummary(
        path=directory,
        rows={name: t.num_rows for name, t in data.items()},
        views=view_names(),
        seconds=time.perf_counter() - started,
    )
