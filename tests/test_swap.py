"""Large DuckDB loads go a chunk per transaction into a copy of the file that
then replaces it whole (``natotimeline.swap``): rows are spooled in chunks,
and a second run is refused meanwhile. That the result equals a load in one
transaction, and that a failure leaves the file as it was, is tested through
the ``load_path`` fixture in test_incremental.py and test_load.py."""

from __future__ import annotations

from pathlib import Path

from natotimeline.db import _file_lock
from natotimeline.spool import RowSpool

from dbdump import run_cli


def test_spool_splits_a_table_into_chunks_by_rows_and_by_bytes(tmp_path: Path) -> None:
    with RowSpool(tmp_path, chunk_rows=3, chunk_bytes=40) as spool:
        spool.add({"small": [{"i": i} for i in range(4)], "empty": []})
        spool.add({"small": [{"i": i} for i in range(4, 7)], "wide": [{"text": "x" * 50}, {"text": "y"}]})
    assert [len(p.read_text().splitlines()) for p in spool.paths("small")] == [3, 3, 1]
    assert [r["i"] for r in spool.rows("small")] == list(range(7))
    assert len(spool.paths("wide")) == 2 and spool.paths("empty") == []
    assert spool.counts == {"small": 7, "empty": 0, "wide": 2} and spool.chunked


def test_spooling_keeps_nothing_per_row_in_memory(tmp_path: Path) -> None:
    import tracemalloc

    rows = ({"id": str(i), "text": "x" * 40} for i in range(20_000))
    with RowSpool(tmp_path) as spool:
        spool.add({"first": [{"id": "0"}]})
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            spool.add({"first": rows})
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert spool.counts["first"] == 20_001
    assert held < 64_000, f"{held} bytes still held after spooling 20,000 rows"


def test_a_second_run_is_refused_while_a_run_holds_the_lock(tmp_path: Path, seeds_dir: Path) -> None:
    path = tmp_path / "db.duckdb"
    with _file_lock(path):
        result = run_cli("run", str(seeds_dir), "--database", f"duckdb:///{path}")
    assert result.returncode == 75
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use by another natotimeline run" in lines[0]
    assert run_cli("run", str(seeds_dir), "--database", f"duckdb:///{path}", "-q").returncode == 0


def test_a_copy_left_by_a_crashed_run_is_replaced(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    import natotimeline.pipeline as pipeline
    import natotimeline.spool as spool_module

    monkeypatch.setattr(spool_module, "CHUNK_ROWS", 7)
    path = tmp_path / "db.duckdb"
    (tmp_path / "db.duckdb.natotimeline-next").write_bytes(b"half a database")
    (tmp_path / "db.duckdb.natotimeline-next.wal").write_bytes(b"its log")
    summary = pipeline.run([seeds_dir], f"duckdb:///{path}")
    assert summary.docs_new == 5 and summary.load.inserted["sources"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.duckdb", "db.duckdb.lock"]


def test_the_copy_s_cache_is_emptied_before_its_last_checkpoint(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """The checkpoint that finishes a large load needs memory of its own; the
    cache the load's last statements filled is let go first."""
    import natotimeline.spool
    import natotimeline.swap as swap
    from sqlalchemy import Engine, event

    import natotimeline.pipeline as pipeline

    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 5)
    copy = f"{tmp_path / 'db.duckdb'}{swap.SUFFIX}"
    steps: list[str] = []
    real_evict = swap.evict_duckdb_cache

    def evict(engine) -> None:
        if str(engine.url).endswith(copy):
            steps.append("evict")
        real_evict(engine)

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        word = statement.strip().split()[0].upper()
        if str(conn.engine.url).endswith(copy) and word in ("INSERT", "UPDATE", "DELETE", "CHECKPOINT"):
            steps.append("write" if word != "CHECKPOINT" else "checkpoint")

    monkeypatch.setattr(swap, "evict_duckdb_cache", evict)
    event.listen(Engine, "before_cursor_execute", record)
    try:
        pipeline.run([seeds_dir], f"duckdb:///{tmp_path / 'db.duckdb'}")
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert "write" in steps and steps[-2:] == ["evict", "checkpoint"]


def test_a_swapped_load_takes_in_the_log_a_run_with_nothing_to_load_left(tmp_path: Path, seeds_dir: Path,
                                                                          monkeypatch) -> None:
    """The copy is made after a checkpoint, so the records a run that loaded
    nothing left in ``<database>.wal`` are in it, and no log outlives the swap."""
    import shutil

    import natotimeline.pipeline as pipeline
    import natotimeline.spool as spool_module
    from dbdump import count

    monkeypatch.setattr(spool_module, "CHUNK_ROWS", 7)
    articles = tmp_path / "articles"
    articles.mkdir()
    first, *rest = sorted(seeds_dir.glob("*.txt"))
    shutil.copy(first, articles)
    path = tmp_path / "db.duckdb"
    url = f"duckdb:///{path}"
    pipeline.run([articles], url)
    assert pipeline.run([articles], url).docs_unchanged == 1
    assert (tmp_path / "db.duckdb.wal").exists()
    for seed in rest:
        shutil.copy(seed, articles)
    summary = pipeline.run([articles], url)
    assert summary.docs_new == len(rest) and summary.load.inserted["sources"] == len(rest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "db.duckdb", "db.duckdb.lock"]
    assert count(url, "etl_runs", "WHERE status = 'ok'") == 3
    assert count(url, "sources") == len(rest) + 1
