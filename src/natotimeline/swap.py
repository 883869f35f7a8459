"""A DuckDB file rewritten beside itself and swapped in whole.

DuckDB keeps a transaction's uncommitted rows in memory, so loading a large
corpus in one transaction would take memory in proportion to the corpus. A
large load therefore goes into a copy of the database file, a chunk per
transaction, and the copy then replaces the file in one rename: readers see
the old file or the new one, never a half-loaded database, and a failed load
leaves the old file as it was. The caller holds ``db.writer_lock``, so no
other run writes the file meanwhile.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from .db import DatabaseError, duckdb_file, make_engine
from .duckdb_files import evict_duckdb_cache
from .forked import run_forked

SUFFIX = ".natotimeline-next"


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def can_swap(engine: Engine) -> bool:
    """Whether ``engine`` writes a DuckDB file (not memory, not a server)."""
    return duckdb_file(engine.url) is not None


@contextmanager
def swapped(engine: Engine, *, duckdb_config: Mapping[str, str] | None = None,
            row_group_rows: int | None = None) -> Iterator[Engine]:
    """An engine on a copy of ``engine``'s DuckDB file; when the block ends
    without error the copy replaces the file, otherwise the copy is deleted
    and the file is untouched. Once the copy is made, ``engine``'s buffer
    pool is emptied, so that it is not held beside the copy's; the file stays
    open, and so locked, until the rename, so that no reader can take it and
    then keep a failed run from recording its failure. The copy is opened
    with ``duckdb_config`` and ``row_group_rows`` (``db.make_engine``), and its
    cache is emptied before its last checkpoint, which would otherwise need
    memory on top of it."""
    path = duckdb_file(engine.url)
    if path is None:
        raise ValueError(f"not a DuckDB file: {engine.url}")
    target = path.with_name(path.name + SUFFIX)
    _remove(target)
    with engine.connect() as conn:
        conn.exec_driver_sql("CHECKPOINT")
    copy: Engine | None = None
    try:
        run_forked(partial(_copy, path, target), "copy")
        evict_duckdb_cache(engine)
        copy = make_engine(make_url(engine.url).set(database=str(target)).render_as_string(hide_password=False),
                           duckdb_config=duckdb_config, row_group_rows=row_group_rows)
        yield copy
        evict_duckdb_cache(copy)
        with copy.connect() as conn:
            conn.exec_driver_sql("CHECKPOINT")
        copy.dispose()
        if _wal(target).exists():
            raise DatabaseError(f"cannot finish the load of {path}: DuckDB left {_wal(target)} behind")
        _fsync(target)
        engine.dispose()
        if _wal(path).exists():
            raise DatabaseError(f"cannot replace {path}: its write-ahead log {_wal(path)} is not empty")
    except BaseException:
        if copy is not None:
            copy.dispose()
        _remove(target)
        raise
    os.replace(target, path)
    _fsync(path.parent)


def _copy(path: Path, target: Path) -> None:
    """The file and its write-ahead log copied. Run in another process: closing
    any descriptor of a file drops the locks the process holds on it (POSIX
    record locks), DuckDB's among them, which would let a reader take the
    file during the load."""
    shutil.copyfile(path, target)
    shutil.copymode(path, target)
    if _wal(path).exists():
        shutil.copyfile(_wal(path), _wal(target))


def _remove(target: Path) -> None:
    """A copy left by this run or by one that crashed."""
    for leftover in (target, _wal(target)):
        leftover.unlink(missing_ok=True)
