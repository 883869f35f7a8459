"""The analytic views: columns, portable types and rows, on DuckDB and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from natotimeline.db import make_engine, migrate
from natotimeline.pipeline import run
from natotimeline.views import create_views, view_names, views_current

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "views_expected.json").read_text(encoding="utf-8"))
PORTABLE_TYPES = {
    "VARCHAR": "text", "character varying": "text", "text": "text",
    "INTEGER": "integer", "integer": "integer",
    "BIGINT": "bigint", "bigint": "bigint",
    "DOUBLE": "double", "double precision": "double",
    "DATE": "date", "date": "date",
    "TIMESTAMP": "timestamp", "timestamp without time zone": "timestamp",
    "BOOLEAN": "boolean", "boolean": "boolean",
}
VOLATILE = {"v_sources": {"ingested_at"}}


def columns(url: str, view: str) -> list[list[str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT column_name, data_type FROM information_schema.columns"
                    " WHERE table_name = :v ORDER BY ordinal_position"
                ),
                {"v": view},
            ).all()
    finally:
        engine.dispose()
    return [[name, PORTABLE_TYPES.get(kind, kind)] for name, kind in rows]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def view_rows(url: str, view: str, skip: set[str] = frozenset()) -> list[list]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            result = conn.execute(text(f"SELECT * FROM {view}"))
            keep = [i for i, c in enumerate(result.keys()) if c not in skip]
            rows = [[_plain(r[i]) for i in keep] for r in result]
    finally:
        engine.dispose()
    return sorted(rows, key=lambda r: json.dumps(r))


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def dataset_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"dataset_{request.param}")


def test_every_expected_view_exists_and_nothing_else() -> None:
    assert view_names() == sorted(EXPECTED["columns"])


@pytest.mark.parametrize("view", sorted(EXPECTED["required"]))
def test_required_columns_come_first(view: str) -> None:
    required = EXPECTED["required"][view]
    assert [c for c, _ in EXPECTED["columns"][view]][: len(required)] == required


@pytest.mark.parametrize("view", sorted(EXPECTED["columns"]))
def test_view_columns_and_types(dataset_url: str, view: str) -> None:
    assert columns(dataset_url, view) == EXPECTED["columns"][view]


@pytest.mark.parametrize("view", sorted(EXPECTED["rows"]))
def test_view_rows(dataset_url: str, view: str) -> None:
    assert view_rows(dataset_url, view) == EXPECTED["rows"][view]


def test_figure_values_keep_double_precision(dataset_duckdb: str) -> None:
    engine = make_engine(dataset_duckdb)
    try:
        with engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM figures WHERE id = 'fg1'")).scalar_one()
    finally:
        engine.dispose()
    assert value == 485_000_000_000.0


def _views_in(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_view_names())
    finally:
        engine.dispose()


def _migrations_manage_views(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        assert _views_in(url) == set(view_names())
        migrate(engine, "0001")
        assert _views_in(url) == set()
        migrate(engine)
        assert _views_in(url) == set(view_names())
    finally:
        engine.dispose()


def test_migration_creates_and_drops_views_duckdb(duckdb_url: str) -> None:
    _migrations_manage_views(duckdb_url)


@pytest.mark.postgres
def test_migration_creates_and_drops_views_postgres(pg_url: str) -> None:
    _migrations_manage_views(pg_url)


def test_views_answer_on_an_empty_database(duckdb_url: str) -> None:
    engine = make_engine(duckdb_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    for view in view_names():
        assert view_rows(duckdb_url, view) == []
        assert columns(duckdb_url, view) == EXPECTED["columns"][view]


@pytest.mark.postgres
def test_seeds_give_the_same_rows_on_duckdb_and_postgres(
    loaded_duckdb: str, pg_url: str, seeds_dir: Path
) -> None:
    run([seeds_dir], pg_url)
    for view in view_names():
        skip = VOLATILE.get(view, set())
        duck = view_rows(loaded_duckdb, view, skip)
        pg = view_rows(pg_url, view, skip)
        assert duck == pg, view
    assert view_rows(loaded_duckdb, "v_sources"), "the seeds loaded no sources"


def documented_queries() -> list[str]:
    """The ```sql blocks of the README's analyst and view documentation."""
    readme = Path(__file__).resolve().parent.parent / "README.md"
    return re.findall(r"```sql\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)


def test_documentation_has_the_example_queries() -> None:
    assert len(documented_queries()) >= 3 + len(view_names())


@pytest.mark.parametrize("number", range(len(documented_queries())))
def test_documented_query_runs(dataset_url: str, number: int) -> None:
    engine = make_engine(dataset_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(documented_queries()[number].strip().rstrip(";"))).all()
    finally:
        engine.dispose()
    assert rows


def test_views_are_recreated_only_when_missing_or_changed(duckdb_url: str) -> None:
    engine = make_engine(duckdb_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            assert views_current(conn)
            conn.exec_driver_sql("DROP VIEW v_actors")
            assert not views_current(conn)
            create_views(conn)
            assert views_current(conn)
            conn.exec_driver_sql("COMMENT ON VIEW v_sources IS 'edited by hand'")
            assert not views_current(conn)
            create_views(conn)
            assert views_current(conn)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_run_does_not_lock_the_views_readers_use(pg_url: str, load_dataset: Callable[[str], str]) -> None:
    load_dataset(pg_url)
    engine = make_engine(pg_url)
    try:
        with engine.connect() as reader:
            assert reader.execute(text("SELECT COUNT(*) FROM v_timeline")).scalar_one() == 4
            with engine.begin() as writer:
                writer.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                create_views(writer)
            reader.rollback()
    finally:
        engine.dispose()
