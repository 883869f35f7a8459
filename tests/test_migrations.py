"""Real migrations, up and down, on a fresh DuckDB file and on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from natotimeline.db import SCHEMA_HEAD, current_revision, make_engine, migrate
from natotimeline.duckdb_files import ROW_GROUP_ROWS
from natotimeline.models import CONTENT_TABLES, Base

ROOT = Path(__file__).resolve().parent.parent
TABLES = set(Base.metadata.tables)


def _tables(engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _up_down_up(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        assert _tables(engine) == TABLES
        head = current_revision(engine)
        assert head is not None
        migrate(engine, "base")
        assert current_revision(engine) is None
        assert _tables(engine) == set()
        migrate(engine)
        assert current_revision(engine) == head
        with engine.begin() as conn:
            ids = [
                conn.execute(
                    text(
                        "INSERT INTO etl_runs (started_at, status, parser_version, docs_new, docs_changed,"
                        " docs_unchanged, docs_rejected, n_events, n_actors, n_figures)"
                        " VALUES (CURRENT_TIMESTAMP, 'ok', '1', 0, 0, 0, 0, 0, 0, 0) RETURNING id"
                    )
                ).scalar_one()
                for _ in range(2)
            ]
        assert ids[1] == ids[0] + 1
    finally:
        engine.dispose()


def test_duckdb_upgrade_downgrade_upgrade(duckdb_url: str) -> None:
    _up_down_up(duckdb_url)


@pytest.mark.postgres
def test_postgres_upgrade_downgrade_upgrade(pg_url: str) -> None:
    _up_down_up(pg_url)


@pytest.mark.postgres
def test_postgres_declares_foreign_keys(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            fks = inspect(conn).get_foreign_keys("figures")
        assert {fk["referred_table"] for fk in fks} == {"sources", "events", "figure_claims", "actors"}
    finally:
        engine.dispose()


def test_alembic_command_line_with_project_ini(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    alembic = [sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"), "-x", f"url={url}"]
    up = subprocess.run([*alembic, "upgrade", "head"], capture_output=True, text=True, cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    down = subprocess.run([*alembic, "downgrade", "base"], capture_output=True, text=True, cwd=tmp_path)
    assert down.returncode == 0, down.stderr
    engine = make_engine(url)
    try:
        assert _tables(engine) == set()
    finally:
        engine.dispose()


def test_schema_head_constant_matches_the_scripts() -> None:
    from alembic.script import ScriptDirectory

    from natotimeline.db import SCHEMA_HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_cli_migrate_up_down_to_a_named_revision_and_again(tmp_path: Path) -> None:
    from dbdump import run_cli

    url = f"duckdb:///{tmp_path / 'm.duckdb'}"
    steps = [(), (), ("--revision", "0001"), ("--revision", "0001"), ("--revision", "base"), ()]
    expected = [SCHEMA_HEAD, SCHEMA_HEAD, "0001", "0001", "base", SCHEMA_HEAD]
    for args, revision in zip(steps, expected, strict=True):
        result = run_cli("migrate", "--database", url, *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"schema at revision {revision}"


def _extracts_survive_0003_down_and_up(url: str, seeds_dir: Path) -> None:
    import json

    from natotimeline.pipeline import run
    from natotimeline.serialise import unpack

    from dbdump import dump

    run([seeds_dir], url)
    before = dump(url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            packed = dict(conn.execute(text("SELECT uri, extract FROM sources")).all())
        migrate(engine, "0002")
        with engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT uri, extract_json FROM sources")).all())
        assert {uri: json.loads(raw)["uri"] for uri, raw in stored.items()} == {uri: uri for uri in packed}
        migrate(engine)
        with engine.connect() as conn:
            again = dict(conn.execute(text("SELECT uri, extract FROM sources")).all())
    finally:
        engine.dispose()
    assert {u: unpack(bytes(b)) for u, b in again.items()} == {u: unpack(bytes(b)) for u, b in packed.items()}
    summary = run([seeds_dir], url)
    assert summary.docs_unchanged == 5 and not summary.load.changed
    assert _as_before_0004(dump(url)) == _as_before_0004(before)


def _as_before_0004(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The dump without the columns that 0004 and 0006 add empty: every
    row's digest (its last column) and sources.links_key (the one before)."""
    return {name: [row[:-2] if name == "sources" else row[:-1] for row in rows] for name, rows in tables.items()}


def test_duckdb_stored_extracts_survive_migration_0003_down_and_up(duckdb_url: str, seeds_dir: Path) -> None:
    _extracts_survive_0003_down_and_up(duckdb_url, seeds_dir)


@pytest.mark.postgres
def test_postgres_stored_extracts_survive_migration_0003_down_and_up(pg_url: str, seeds_dir: Path) -> None:
    _extracts_survive_0003_down_and_up(pg_url, seeds_dir)


def test_creating_the_schema_does_not_import_pandas(tmp_path: Path) -> None:
    """DuckDB would import pandas (about 60 MiB for the rest of a first run) to bind
    the parameters of Alembic's table checks; the migration hides it."""
    code = (
        "import sys\n"
        "from natotimeline.db import current_revision, make_engine, migrate\n"
        f"engine = make_engine('duckdb:///{tmp_path / 'db.duckdb'}')\n"
        "migrate(engine)\n"
        "print(current_revision(engine), 'pandas' in sys.modules)\n"
        "import pandas\n"
        "print(pandas.DataFrame({'a': [1]}).shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == [f"{SCHEMA_HEAD} False", "(1, 1)"]


MODEL_INDEXES = {index.name for tbl in Base.metadata.tables.values() for index in tbl.indexes}


def _secondary_indexes(engine) -> set[str]:
    query = ("SELECT index_name FROM duckdb_indexes()" if engine.dialect.name == "duckdb"
             else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix_%%'")
    with engine.connect() as conn:
        return {name for (name,) in conn.exec_driver_sql(query)}


def test_duckdb_keeps_no_secondary_index_and_gets_them_back_below_0005(duckdb_url: str) -> None:
    """DuckDB would hold them in memory and its scans do not use them (migration 0005)."""
    engine = make_engine(duckdb_url)
    try:
        migrate(engine)
        assert _secondary_indexes(engine) == set()
        migrate(engine, "0004")
        assert _secondary_indexes(engine) == MODEL_INDEXES
        migrate(engine)
        assert _secondary_indexes(engine) == set()
    finally:
        engine.dispose()
    assert len(MODEL_INDEXES) == 8


@pytest.mark.postgres
def test_postgres_keeps_its_secondary_indexes(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        migrate(engine)
        assert _secondary_indexes(engine) == MODEL_INDEXES
    finally:
        engine.dispose()


def _keys(engine) -> dict[str, set[tuple[str, tuple[str, ...]]]]:
    """Each content table's primary key and unique constraints, as (kind, columns)."""
    query = ("SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()"
             " WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE')")
    keys: dict[str, set] = {name: set() for name in CONTENT_TABLES}
    with engine.connect() as conn:
        for name, kind, columns in conn.exec_driver_sql(query):
            if name in keys:
                keys[name].add((kind, tuple(columns)))
    return keys


def test_duckdb_content_tables_are_keyed_by_row_number_from_0007(duckdb_url: str, seeds_dir: Path) -> None:
    """An increasing row number keeps DuckDB's key index small and a run's
    new keys at one end of it (migration 0007); below it, ``id`` and the
    unique constraints are the keys again, and the rows survive both ways."""
    from natotimeline.pipeline import run

    from dbdump import dump

    run([seeds_dir], duckdb_url)
    before = dump(duckdb_url)
    engine = make_engine(duckdb_url, row_group_rows=ROW_GROUP_ROWS)
    try:
        assert _keys(engine) == {name: {("PRIMARY KEY", ("row_no",))} for name in CONTENT_TABLES}
        migrate(engine, "0006")
        keys = _keys(engine)
        assert keys["sources"] == {("PRIMARY KEY", ("id",)), ("UNIQUE", ("uri",))}
        assert keys["event_actors"] == {("PRIMARY KEY", ("id",)), ("UNIQUE", ("event_id", "actor_id", "role"))}
        assert keys["figures"] == {("PRIMARY KEY", ("id",))}
        with engine.connect() as conn:
            columns = conn.exec_driver_sql("SELECT column_name FROM duckdb_columns() WHERE table_name = 'figures'")
            assert "row_no" not in {name for (name,) in columns}
        migrate(engine)
        with engine.connect() as conn:
            numbers = [n for (n,) in conn.exec_driver_sql("SELECT row_no FROM figures ORDER BY row_no")]
    finally:
        engine.dispose()
    assert numbers == list(range(1, len(before["figures"]) + 1))
    assert dump(duckdb_url) == before
    summary = run([seeds_dir], duckdb_url)
    assert summary.docs_unchanged == 5 and not summary.load.changed


def test_cli_migrate_writes_the_row_groups_a_run_appends_to(tmp_path: Path) -> None:
    """Migration 0007 writes every content row again. Written in DuckDB's
    default groups (122,880 rows), a table with keys could not take a run's
    appends; ``natotimeline migrate`` writes groups of a run's size."""
    from dbdump import run_cli

    path = tmp_path / "m.duckdb"
    url = f"duckdb:///{path}"
    assert run_cli("migrate", "--database", url, "--revision", "0006").returncode == 0
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO figure_claims (id, metric, unit, n_sources, consistent)"
                " SELECT printf('%020d', i), 'metric ' || i, 'count', 1, true FROM range(5000) r(i)")
    finally:
        engine.dispose()
    result = run_cli("migrate", "--database", url)
    assert result.returncode == 0, result.stderr
    engine = make_engine(url, row_group_rows=ROW_GROUP_ROWS)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO figure_claims (id, metric, unit, n_sources, consistent, row_no)"
                                 " VALUES ('x', 'one more', 'count', 1, true, 5001)")
        with engine.connect() as conn:
            groups = conn.exec_driver_sql(
                "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('figure_claims')").scalar_one()
            assert conn.exec_driver_sql("SELECT max(row_no) FROM figure_claims").scalar_one() == 5001
    finally:
        engine.dispose()
    assert groups == -(-5001 // ROW_GROUP_ROWS)
