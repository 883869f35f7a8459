"""The analytic views: one SQL file per view under ``sql/``, named for the view.

Each file is one bare SELECT that runs unchanged on DuckDB and PostgreSQL.
The views are created by the migration ``0002_views`` and checked at the
end of every ETL run (inside the load transaction), so a database always
carries the views of the code that last wrote it. Each view carries a
comment with a digest of its file; a run re-creates the views only when a
digest differs, so routine runs take no exclusive lock on the views that BI
queries are reading.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Connection

from .paths import resource_dir


def view_files() -> list[Path]:
    """The view definitions in dependency order (file name order)."""
    return sorted(resource_dir("sql").glob("v_*.sql"))


def view_names() -> list[str]:
    return [p.stem for p in view_files()]


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8").strip().rstrip(";")


def view_sql(name: str) -> str:
    """The SELECT behind view ``name``."""
    for path in view_files():
        if path.stem == name:
            return _body(path)
    raise KeyError(name)


def _comment(path: Path) -> str:
    digest = hashlib.sha256(_body(path).encode("utf-8")).hexdigest()[:16]
    return f"natotimeline view from sql/{path.name} sha256:{digest}"


_COMMENTS_SQL = {
    "duckdb": "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal"
    " AND database_name = current_database() AND schema_name = current_schema()",
    "postgresql": "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND n.nspname = current_schema()",
}


def _stored_comments(conn: Connection) -> dict[str, str | None] | None:
    sql = _COMMENTS_SQL.get(conn.dialect.name)
    if sql is None:
        return None
    return {name: comment for name, comment in conn.exec_driver_sql(sql)}


def views_current(conn: Connection) -> bool:
    """Whether every view exists as its file defines it now."""
    stored = _stored_comments(conn)
    if stored is None:
        return False
    return all(stored.get(path.stem) == _comment(path) for path in view_files())


def drop_views(conn: Connection) -> None:
    for name in reversed(view_names()):
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


def create_views(conn: Connection, *, force: bool = False) -> None:
    """(Re)create every view from its file, inside the caller's transaction,
    unless all are already current (``force`` re-creates them anyway)."""
    if not force and views_current(conn):
        return
    drop_views(conn)
    escape = conn.dialect.paramstyle in ("format", "pyformat")
    for path in view_files():
        body = _body(path).replace("%", "%%") if escape else _body(path)
        conn.exec_driver_sql(f"CREATE VIEW {path.stem} AS\n{body}")
        conn.exec_driver_sql(f"COMMENT ON VIEW {path.stem} IS '{_comment(path)}'")
