"""Helpers for tests: run the real CLI, dump a database's content tables."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from natotimeline.db import make_engine
from natotimeline.models import CONTENT_TABLES, Base

CLI = shutil.which("natotimeline", path=str(Path(sys.executable).parent)) or "natotimeline"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.pop("NATOTIMELINE_DATABASE_URL", None)
    full_env.update(env or {})
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd, env=full_env, timeout=300)


def dump(url: str, tables: tuple[str, ...] = CONTENT_TABLES) -> dict[str, list[tuple]]:
    """Every row of the content tables, sorted, for before/after comparisons:
    the models' columns, not DuckDB's row numbers (migration 0007), which
    tell where a row was stored, not what it holds."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(tuple(r) for r in conn.execute(text(f"SELECT {_columns(t)} FROM {t}")))
                for t in tables
            }
    finally:
        engine.dispose()


def _columns(table: str) -> str:
    return ", ".join(c.name for c in Base.metadata.tables[table].columns)


def count(url: str, table: str, where: str = "") -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT COUNT(*) FROM {table} {where}")).scalar_one()
    finally:
        engine.dispose()
