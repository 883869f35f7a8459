"""The analyst file and the Parquet export: atomic, self-contained, from DuckDB and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from natotimeline.db import DatabaseError, make_engine, migrate
from natotimeline.export import export_duckdb, export_parquet
from natotimeline.views import view_names

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "views_expected.json").read_text(encoding="utf-8"))
ARROW_TYPES = {"text": "string", "integer": "int32", "bigint": "int64", "double": "double",
               "date": "date32[day]", "timestamp": "timestamp[us]", "boolean": "bool"}
COUNT_EVENTS = (
    "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
    "print(c.sql('SELECT COUNT(*) FROM v_timeline').fetchone()[0]); c.close()"
)


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def file_rows(path: Path, view: str) -> list[list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = [[_plain(v) for v in r] for r in con.sql(f"SELECT * FROM {view}").fetchall()]
    finally:
        con.close()
    return sorted(rows, key=lambda r: json.dumps(r))


def count_in_new_process(path: Path) -> int:
    done = subprocess.run([sys.executable, "-c", COUNT_EVENTS, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[0])


def add_event(url: str, event_id: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO events (id, event_type, title, date_value, date_start, date_end, date_precision, row_no)"
                    " SELECT :id, 'meeting', 'Added later', '2025-03-01', DATE '2025-03-01', DATE '2025-03-01', 'day',"
                    " max(row_no) + 1 FROM events"
                ),
                {"id": event_id},
            )
    finally:
        engine.dispose()


@pytest.fixture
def source_url(tmp_path: Path, dataset_duckdb: str) -> str:
    """A private, writable copy of the hand-made dataset."""
    copy = tmp_path / "job.duckdb"
    shutil.copy(dataset_duckdb.removeprefix("duckdb:///"), copy)
    return f"duckdb:///{copy}"


def test_export_holds_every_view_and_table(dataset_duckdb: str, tmp_path: Path) -> None:
    target = tmp_path / "analyst.duckdb"
    summary = export_duckdb(dataset_duckdb, target)
    assert summary.rows["events"] == 4 and summary.rows["figures"] == 5
    assert summary.views == view_names()
    for view in view_names():
        assert file_rows(target, view) == EXPECTED["rows"][view], view
    con = duckdb.connect(str(target), read_only=True)
    try:
        tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    assert {"sources", "events", "figures", "etl_runs", "ingest_errors", "alembic_version"} <= tables


def test_export_of_a_database_runs_wrote_holds_their_log(tmp_path: Path, seeds_dir: Path) -> None:
    """The run log's tables have no row numbers (migration 0007 numbers the
    content tables only); a run with nothing to load leaves its record in
    the write-ahead log, and the analyst file holds it, with no log of its own."""
    from dbdump import run_cli

    url = f"duckdb:///{tmp_path / 'job.duckdb'}"
    for _ in range(2):
        done = run_cli("run", str(seeds_dir), "--database", url, "-q")
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "job.duckdb.wal").exists()
    target = tmp_path / "analyst.duckdb"
    summary = export_duckdb(url, target)
    assert summary.rows["sources"] == 5
    assert not (tmp_path / "analyst.duckdb.wal").exists()
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.sql("SELECT status, docs_new, docs_unchanged FROM etl_runs ORDER BY id").fetchall() == [
            ("ok", 5, 0), ("ok", 0, 5)]
    finally:
        con.close()


def test_export_replaces_the_file_atomically(source_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    target = folder / "analyst.duckdb"
    export_duckdb(source_url, target)
    old_reader = duckdb.connect(str(target), read_only=True)
    try:
        assert old_reader.sql("SELECT COUNT(*) FROM v_timeline").fetchone()[0] == 4
        add_event(source_url, "ev_added")
        export_duckdb(source_url, target)
        assert old_reader.sql("SELECT COUNT(*) FROM v_timeline").fetchone()[0] == 4
        assert count_in_new_process(target) == 5
    finally:
        old_reader.close()
    assert sorted(p.name for p in folder.iterdir()) == ["analyst.duckdb"]


def test_export_does_not_need_the_analysts_file(source_url: str, tmp_path: Path) -> None:
    target = tmp_path / "analyst.duckdb"
    export_duckdb(source_url, target)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()", str(target)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        add_event(source_url, "ev_added")
        export_duckdb(source_url, target)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert count_in_new_process(target) == 5


def test_export_refuses_to_overwrite_its_source(source_url: str) -> None:
    with pytest.raises(DatabaseError, match="onto itself"):
        export_duckdb(source_url, Path(source_url.removeprefix("duckdb:///")))


def test_export_needs_a_loaded_database(duckdb_url: str, tmp_path: Path) -> None:
    make_engine(duckdb_url).dispose()
    with pytest.raises(DatabaseError, match="natotimeline run"):
        export_duckdb(duckdb_url, tmp_path / "analyst.duckdb")
    assert not (tmp_path / "analyst.duckdb").exists()


def test_export_of_a_missing_database_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        export_duckdb(f"duckdb:///{tmp_path / 'missing.duckdb'}", tmp_path / "analyst.duckdb")
    assert list(tmp_path.iterdir()) == []


def test_parquet_has_one_file_per_view(dataset_duckdb: str, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export_parquet(dataset_duckdb, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{v}.parquet" for v in view_names())
    for view in view_names():
        data = pq.read_table(out / f"{view}.parquet")
        assert [[f.name, str(f.type)] for f in data.schema] == [
            [name, ARROW_TYPES[kind]] for name, kind in EXPECTED["columns"][view]
        ], view
        assert data.num_rows == len(EXPECTED["rows"][view]), view


@pytest.mark.postgres
def test_export_from_postgres(dataset_postgres: str, tmp_path: Path) -> None:
    target = tmp_path / "analyst.duckdb"
    export_duckdb(dataset_postgres, target)
    for view in view_names():
        assert file_rows(target, view) == EXPECTED["rows"][view], view
    out = tmp_path / "parquet"
    export_parquet(dataset_postgres, out)
    assert pq.read_table(out / "v_timeline.parquet").num_rows == len(EXPECTED["rows"]["v_timeline"])


@pytest.mark.postgres
def test_export_from_postgres_of_an_empty_schema(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    summary = export_duckdb(pg_url, tmp_path / "analyst.duckdb")
    assert set(summary.rows.values()) == {0}
    assert file_rows(tmp_path / "analyst.duckdb", "v_timeline") == []
