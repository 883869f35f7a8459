"""Shared fixtures: seed articles, fresh DuckDB files, fresh PostgreSQL databases,
and a hand-made dataset for the view, export and reader tests."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Date, DateTime, LargeBinary, create_engine, text
from sqlalchemy.engine import make_url

import natotimeline.pipeline as pipeline
import natotimeline.spool as spool_module
from natotimeline.db import make_engine, migrate
from natotimeline.load import apply_rows, table

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_ENV = "NATOTIMELINE_TEST_POSTGRES_URL"


@pytest.fixture(params=["one transaction", "swapped copy"])
def load_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DuckDB loads both ways: in one transaction, and (tiny chunks) a chunk
    per transaction into a copy swapped in whole (``natotimeline.swap``)."""
    calls = []
    real = pipeline.swapped

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "swapped", counting)
    if request.param == "swapped copy":
        monkeypatch.setattr(spool_module, "CHUNK_ROWS", 7)
    yield request.param
    assert bool(calls) == (request.param == "swapped copy")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture
def duckdb_url(tmp_path: Path) -> str:
    return f"duckdb:///{tmp_path / 'test.duckdb'}"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create a uniquely named database on the server at $NATOTIMELINE_TEST_POSTGRES_URL; drop it after."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests skipped")
    name = f"nt_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {PG_ENV} is not usable: {str(exc).splitlines()[0]}")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def loaded_duckdb(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> str:
    """URL of a DuckDB file holding one ETL run over the seeds (shared: do not write to it)."""
    from natotimeline.pipeline import run

    url = f"duckdb:///{tmp_path_factory.mktemp('loaded') / 'seeds.duckdb'}"
    run([seeds_dir], url)
    return url


def _typed(name: str, row: dict) -> dict:
    cols = table(name).c
    out = {}
    for key, value in row.items():
        if value is not None and isinstance(cols[key].type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(cols[key].type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(cols[key].type, LargeBinary):
            value = value.encode("utf-8")
        out[key] = value
    return out


@pytest.fixture(scope="session")
def views_dataset() -> dict[str, list[dict]]:
    """tests/fixtures/views_dataset.json as content rows with real dates."""
    raw = json.loads((FIXTURES / "views_dataset.json").read_text(encoding="utf-8"))
    return {name: [_typed(name, r) for r in rows] for name, rows in raw.items() if not name.startswith("_")}


@pytest.fixture(scope="session")
def load_dataset(views_dataset: dict[str, list[dict]]) -> Callable[[str], str]:
    """A function that migrates the database at a URL and loads the hand-made dataset."""

    def load(url: str) -> str:
        engine = make_engine(url)
        try:
            migrate(engine)
            with engine.begin() as conn:
                apply_rows(conn, views_dataset)
        finally:
            engine.dispose()
        return url

    return load


@pytest.fixture(scope="session")
def dataset_duckdb(tmp_path_factory: pytest.TempPathFactory, load_dataset: Callable[[str], str]) -> str:
    """URL of a DuckDB file holding the hand-made dataset (shared: do not write to it)."""
    return load_dataset(f"duckdb:///{tmp_path_factory.mktemp('dataset') / 'dataset.duckdb'}")


@pytest.fixture(scope="session")
def dataset_postgres(load_dataset: Callable[[str], str]) -> Iterator[str]:
    """URL of a PostgreSQL database holding the hand-made dataset (shared: do not write to it)."""
    with fresh_postgres_database() as url:
        yield load_dataset(url)
