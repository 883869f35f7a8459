"""The real `natotimeline run` in a subprocess, on the seeds and on bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from dbdump import count, dump, run_cli

OTHER_CONTENT = ("events", "actors", "actor_aliases", "event_actors", "figure_claims")


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(seeds_dir, folder)
    return folder


def _rows_of_source(url: str, uri_suffix: str, table: str) -> list[tuple]:
    rows = dump(url, (table, "sources"))
    ids = {r[0] for r in rows["sources"] if r[1].endswith(uri_suffix)}
    col = 2 if table == "event_mentions" else 1
    return [r for r in rows[table] if r[col] in ids]


def test_run_on_seeds_loads_every_kind_of_row_and_prints_timeline(tmp_path: Path, seeds_dir: Path) -> None:
    result = run_cli("run", str(seeds_dir), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "5 new, 0 changed, 0 unchanged, 0 rejected" in result.stdout
    url = f"duckdb:///{tmp_path / 'natotimeline.duckdb'}"
    assert count(url, "sources") == 5
    for table in ("events", "actors", "figures", "event_mentions"):
        assert count(url, table) > 0, table
    assert "Timeline:" in result.stdout
    dated = [line.split()[0] for line in result.stdout.splitlines()[2:] if line.startswith("  20")]
    assert dated == sorted(dated)
    assert "2025-02-13" in dated


def test_second_run_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    first = run_cli("run", str(corpus), "--database", url)
    assert first.returncode == 0, first.stderr
    before = dump(url)
    second = run_cli("run", str(corpus), "--database", url, "-q")
    assert second.returncode == 0, second.stderr
    assert "0 new, 0 changed, 5 unchanged" in second.stdout
    assert dump(url) == before
    assert count(url, "etl_runs", "WHERE status = 'ok'") == 2


def test_a_run_with_nothing_to_load_leaves_its_record_in_the_write_ahead_log(tmp_path: Path, corpus: Path) -> None:
    """Its closing checkpoint would read every row group's metadata
    (``duckdb_files.skip_closing_checkpoint``). A read-only reader replays
    the log, and the next run with changes checkpoints it."""
    db, wal = tmp_path / "db.duckdb", tmp_path / "db.duckdb.wal"
    url = f"duckdb:///{db}"
    assert run_cli("run", str(corpus), "--database", url, "-q").returncode == 0
    assert not wal.exists()
    assert run_cli("run", str(corpus), "--database", url, "-q").returncode == 0
    assert wal.exists()
    reader = subprocess.run(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print(c.execute(\"SELECT count(*) FROM etl_runs WHERE status = 'ok'\").fetchone()[0])", str(db)],
        capture_output=True, text=True, timeout=60)
    assert reader.stdout.strip() == "2", reader.stderr
    article = sorted(corpus.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nOn 3 March 2025 ministers met in Oslo.\n",
                       encoding="utf-8")
    third = run_cli("run", str(corpus), "--database", url, "-q")
    assert third.returncode == 0, third.stderr
    assert "1 changed" in third.stdout
    assert not wal.exists()
    assert count(url, "etl_runs", "WHERE status = 'ok'") == 3


def test_changed_file_replaces_only_its_own_rows(tmp_path: Path, corpus: Path) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    assert run_cli("run", str(corpus), "--database", url, "-q").returncode == 0
    target = sorted(corpus.iterdir())[2]
    others = [p for p in sorted(corpus.iterdir()) if p != target]
    before = {p.name: _rows_of_source(url, p.name, "figures") for p in others}
    mentions_before = {p.name: _rows_of_source(url, p.name, "event_mentions") for p in others}
    old_figures = _rows_of_source(url, target.name, "figures")
    target.write_text(
        target.read_text(encoding="utf-8")
        + "\n\nThe alliance said on 3 March 2025 that it had spent $12 billion on air defence in 2024.\n",
        encoding="utf-8",
    )
    result = run_cli("run", str(corpus), "--database", url, "-q")
    assert result.returncode == 0, result.stderr
    assert "0 new, 1 changed, 4 unchanged" in result.stdout
    assert {p.name: _rows_of_source(url, p.name, "figures") for p in others} == before
    assert {p.name: _rows_of_source(url, p.name, "event_mentions") for p in others} == mentions_before
    new_figures = _rows_of_source(url, target.name, "figures")
    assert len(new_figures) == len(old_figures) + 1
    assert any(r[8] == 12e9 for r in new_figures)


BAD_INPUTS = {
    "empty.txt": (b"", "empty file"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "latin1.txt": ("Défense spending rose in 2024.".encode("latin-1"), "not valid UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_file_is_rejected_by_name_and_the_rest_still_loads(tmp_path: Path, corpus: Path, name: str) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    data, reason = BAD_INPUTS[name]
    (corpus / name).write_bytes(data)
    result = run_cli("run", str(corpus), "--database", url, "-q")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if name in line]
    assert len(errors) == 1 and reason in errors[0]
    assert "5 new" in result.stdout and "1 rejected" in result.stdout
    assert count(url, "sources") == 5
    assert count(url, "ingest_errors", f"WHERE path LIKE '%{name}' AND reason LIKE '{reason}%'") == 1


def test_missing_folder_fails_and_loses_nothing(tmp_path: Path, corpus: Path) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    assert run_cli("run", str(corpus), "--database", url, "-q").returncode == 0
    before = dump(url)
    missing = tmp_path / "no-such-folder"
    result = run_cli("run", str(missing), "--database", url, "-q")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"natotimeline: rejected {missing}: no such file or folder"]
    assert dump(url) == before
    assert count(url, "ingest_errors") == 1


@pytest.mark.parametrize(
    "url, reason",
    [
        ("duckdb:////nonexistent-folder/x.duckdb", "does not exist"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open database"),
        ("nosuchdialect://x", "cannot open database"),
    ],
)
def test_unusable_database_url_is_one_line_and_exit_1(tmp_path: Path, seeds_dir: Path, url: str, reason: str) -> None:
    result = run_cli("run", str(seeds_dir), "--database", url)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0] and lines[0].startswith("natotimeline: error:")


def test_database_url_from_environment(tmp_path: Path, seeds_dir: Path) -> None:
    target = tmp_path / "from-env.duckdb"
    result = run_cli("run", str(seeds_dir), "-q", cwd=tmp_path, env={"NATOTIMELINE_DATABASE_URL": f"duckdb:///{target}"})
    assert result.returncode == 0, result.stderr
    assert target.exists() and not (tmp_path / "natotimeline.duckdb").exists()


HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    time.sleep(30)
    """
)


def test_run_while_another_process_holds_the_file_fails_at_once(tmp_path: Path, seeds_dir: Path) -> None:
    path = tmp_path / "busy.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        result = run_cli("run", str(seeds_dir), "--database", f"duckdb:///{path}")
        assert time.monotonic() - started < 20
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 75
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use by another process" in lines[0]


def test_help_lists_commands_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("run", "migrate", "dates", "75 database busy", "3 partial"):
        assert word in " ".join(result.stdout.split())
