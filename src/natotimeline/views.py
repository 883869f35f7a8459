"""The analytic views: one SQL file per view under ``sql/``, named for the view."""

from __future__ import annotations

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


def drop_views(conn: Connection) -> None:
    for name in reversed(view_names()):
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


def create_views(conn: Connection) -> None:
    """(Re)create every view from its file, inside the caller's transaction."""
    drop_views(conn)
    for path in view_files():
        conn.exec_driver_sql(f"CREATE VIEW {path.stem} AS\n{_body(path)}")
