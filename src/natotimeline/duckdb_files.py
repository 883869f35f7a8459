"""A run's DuckDB file in memory: opened for writing in row groups of a
chosen size, never opened twice in one process, and its cache emptied on
demand, so that a large load's memory does not grow with the corpus."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError

from .keys import sha256_text

ROW_GROUP_ROWS = 2048
"""Rows per row group in the DuckDB file a run or ``natotimeline migrate``
writes. DuckDB rewrites a table's last, partly filled row group at every
checkpoint, and merges small groups into it; at its default of 122,880
rows that group held every source, extraction included, so each checkpoint
of a large load rewrote all of them and took memory in proportion to the
corpus. A table written in larger groups (plain DuckDB rewriting it whole)
cannot take a run's appends."""

_ATTACHED: dict[Path, set[int]] = {}
"""The open connections (by id) of each DuckDB file attached for writing."""


def attach_for_writing(engine: Engine, path: Path, row_group_rows: int) -> None:
    """Open ``path`` for writing as a database attached to an in-memory DuckDB
    (one per file in this process, shared by the engine's connections), the
    only way DuckDB takes a row group size. The engine's URL still names the
    file. While it is attached, ``db.make_engine`` refuses to open it otherwise
    (``attached_for_writing``)."""
    instance = f":memory:natotimeline-{sha256_text(str(path))[:16]}"
    quoted = str(path).replace("'", "''")

    @event.listens_for(engine, "do_connect")
    def _in_memory(dialect, record, cargs, cparams) -> None:
        cparams["database"] = instance

    @event.listens_for(engine, "connect")
    def _attach_file(dbapi_connection, record) -> None:
        dbapi_connection.execute(f"ATTACH IF NOT EXISTS '{quoted}' AS natotimeline (ROW_GROUP_SIZE {row_group_rows})")
        dbapi_connection.execute("USE natotimeline")
        _ATTACHED.setdefault(path, set()).add(id(dbapi_connection))

    def _closed(dbapi_connection, *_: object) -> None:
        _ATTACHED.get(path, set()).discard(id(dbapi_connection))

    event.listen(engine, "close", _closed)
    event.listen(engine, "close_detached", _closed)


def attached_for_writing(path: Path) -> bool:
    """Whether this process has ``path`` open through ``attach_for_writing``:
    DuckDB would open it a second time, fail, and close that descriptor,
    which drops every lock the process holds on the file, the writer's too."""
    return bool(_ATTACHED.get(path))


def evict_duckdb_cache(engine: Engine) -> None:
    """Empty DuckDB's buffer pool by lowering its memory limit for a moment,
    keeping the database open (and so its file lock): a process forked next
    then does not start with the cached blocks in its memory. The limit comes
    back as DuckDB shows it (to 0.1 MiB). Best effort: a no-op off DuckDB,
    and whatever cannot be evicted stays."""
    if engine.dialect.name != "duckdb":
        return
    with engine.connect() as conn:
        limit = conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar_one()
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET memory_limit = '8MB'")
    except SQLAlchemyError:
        pass
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SET memory_limit = '{limit}'")


def skip_closing_checkpoint(engine: Engine) -> None:
    """Leave what was committed since the last checkpoint in the file's
    write-ahead log (``<database>.wal``) when the engine's DuckDB closes,
    instead of checkpointing it into the file. A checkpoint after any append
    reads the metadata of every row group of the file: 7 MiB of a run's
    peak at 32,000 documents when it had only its own record to write.
    Readers, read-only ones too, replay the log when they open the file, and
    the next writer checkpoints it. A no-op off DuckDB."""
    if engine.dialect.name != "duckdb":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA disable_checkpoint_on_shutdown")


def index_memory(engine: Engine) -> int:
    """Bytes DuckDB holds for the key indexes (ART) it has loaded."""
    with engine.connect() as conn:
        return int(conn.exec_driver_sql(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
        ).scalar_one())


def set_memory_limit(engine: Engine, limit: int) -> None:
    """DuckDB's memory limit, in bytes, for the engine's database instance."""
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SET memory_limit = '{max(1, limit >> 20)}MiB'")
