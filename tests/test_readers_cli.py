"""The read-only CLI commands (timeline, sql) and export, run as real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dbdump import dump, run_cli
from natotimeline.query import parse_bound, timeline

HOLD_WRITER = (
    "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"
)


@pytest.fixture
def dataset_file(dataset_duckdb: str) -> str:
    """The hand-made dataset as a plain file path (the analyst-file form of --database)."""
    return dataset_duckdb.removeprefix("duckdb:///")


def timeline_ids(*args: str) -> list[str]:
    done = run_cli("timeline", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return [row["event_id"] for row in json.loads(done.stdout)]


def test_timeline_json_in_date_order_undated_last(dataset_file: str) -> None:
    assert timeline_ids("--database", dataset_file) == ["ev_pledge", "ev_meet", "ev_summit", "ev_undated"]


@pytest.mark.parametrize(
    ("date_from", "date_to", "actor", "expected"),
    [
        ("2025-02", "2025-02", None, ["ev_meet"]),
        ("2025-06-15", None, None, ["ev_summit"]),
        (None, "2020", None, ["ev_pledge"]),
        (None, None, "rutte", ["ev_meet"]),
        ("2025-01-01", None, "The Alliance", ["ev_meet", "ev_summit"]),
        ("2026", None, None, []),
    ],
)
def test_timeline_filters(
    dataset_file: str, date_from: str | None, date_to: str | None, actor: str | None, expected: list[str]
) -> None:
    frame = timeline(
        dataset_file,
        parse_bound(date_from) if date_from else None,
        parse_bound(date_to, end=True) if date_to else None,
        actor,
    )
    assert frame["event_id"].tolist() == expected


def test_timeline_filter_options(dataset_file: str) -> None:
    assert timeline_ids("--database", dataset_file, "--from", "2025-02", "--to", "2025-06", "--actor", "nato") == [
        "ev_meet", "ev_summit"
    ]
    done = run_cli("timeline", "--from", "February", "--database", dataset_file)
    assert done.returncode == 2 and "--from" in done.stderr


def test_timeline_csv_and_table(dataset_duckdb: str) -> None:
    done = run_cli("timeline", "--format", "csv", "--database", dataset_duckdb)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["title"] for r in rows][:2] == ["Defence Investment Pledge", "Defence ministers' meeting"]
    assert rows[1]["actors"] == "Mark Rutte; NATO; Pete Hegseth"
    table = run_cli("timeline", "--database", dataset_duckdb)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["date_start", "date_end", "date_precision"]
    assert any("2025-02-13" in line and "Brussels" in line for line in lines)


def test_sql_formats(dataset_file: str) -> None:
    query = "SELECT actor, n_events FROM v_actors ORDER BY n_events DESC, actor"
    done = run_cli("sql", query, "--format", "json", "--database", dataset_file)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0] == {"actor": "NATO", "n_events": 3}
    done = run_cli("sql", "SELECT COUNT(*) AS n FROM v_figure_conflicts WHERE NOT consistent", "--format", "csv",
                   "--database", dataset_file)
    assert done.stdout.split() == ["n", "1"]


def test_sql_cannot_write(dataset_duckdb: str) -> None:
    before = dump(dataset_duckdb)
    done = run_cli("sql", "DELETE FROM events", "--database", dataset_duckdb)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "read-only" in done.stderr
    assert "Traceback" not in done.stderr
    assert dump(dataset_duckdb) == before


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    done = run_cli("timeline", "--database", str(tmp_path / "nothing.duckdb"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "does not exist" in done.stderr
    assert not (tmp_path / "nothing.duckdb").exists()


def test_database_from_environment(dataset_duckdb: str) -> None:
    done = run_cli("sql", "SELECT COUNT(*) AS n FROM v_sources", "--format", "csv",
                   env={"NATOTIMELINE_DATABASE_URL": dataset_duckdb})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "3"]


@pytest.fixture(scope="module")
def held_file(tmp_path_factory: pytest.TempPathFactory, dataset_duckdb: str) -> Iterator[Path]:
    """A copy of the dataset that another process holds open for writing."""
    copy = tmp_path_factory.mktemp("busy") / "busy.duckdb"
    shutil.copy(dataset_duckdb.removeprefix("duckdb:///"), copy)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(copy)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield copy
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


@pytest.mark.parametrize(
    "command",
    [
        lambda db, out: ("timeline", "--database", str(db)),
        lambda db, out: ("sql", "SELECT 1", "--database", f"duckdb:///{db}"),
        lambda db, out: ("export", "--duckdb", str(out / "copy.duckdb"), "--database", f"duckdb:///{db}"),
        lambda db, out: ("run", "--quiet", "--database", f"duckdb:///{db}", str(out)),
    ],
    ids=["timeline", "sql", "export", "run"],
)
def test_busy_duckdb_fails_at_once_with_exit_75(
    held_file: Path, tmp_path: Path, command: Callable[[Path, Path], tuple[str, ...]]
) -> None:
    started = time.monotonic()
    done = run_cli(*command(held_file, tmp_path))
    assert done.returncode == 75, done.stderr
    assert done.stderr.count("\n") == 1
    assert "in use by another process" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - started < 20
    assert not (tmp_path / "copy.duckdb").exists()


def test_export_command(dataset_duckdb: str, tmp_path: Path) -> None:
    done = run_cli("export", "--duckdb", str(tmp_path / "a.duckdb"), "--parquet", str(tmp_path / "pq"),
                   "--database", dataset_duckdb)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2 and "4 events" in done.stdout
    assert (tmp_path / "pq" / "v_timeline.parquet").is_file()
    assert (tmp_path / "a.duckdb").is_file()
    assert run_cli("export", "--database", dataset_duckdb).returncode == 2


@pytest.mark.postgres
def test_readers_on_postgres(dataset_postgres: str) -> None:
    assert timeline_ids("--database", dataset_postgres, "--actor", "rutte") == ["ev_meet"]
    done = run_cli("sql", "DELETE FROM events", "--database", dataset_postgres)
    assert done.returncode == 1 and "read-only" in done.stderr
    assert done.stderr.count("\n") == 1
