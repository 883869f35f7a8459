"""The load is one transaction, idempotent, and the same on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import natotimeline.pipeline as pipeline
from natotimeline.db import DatabaseBusy, make_engine, writer_lock
from natotimeline.extract import extract_document
from natotimeline.models import CONTENT_TABLES
from natotimeline.serialise import dumps, loads

from dbdump import count, dump


def test_failure_during_load_leaves_the_previous_state(tmp_path: Path, seeds_dir: Path, monkeypatch,
                                                       load_path: str) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    corpus = tmp_path / "articles"
    shutil.copytree(seeds_dir, corpus)
    first = sorted(corpus.iterdir())
    for extra in first[3:]:
        extra.rename(tmp_path / extra.name)
    pipeline.run([corpus], url)
    before = dump(url)
    for extra in first[3:]:
        (tmp_path / extra.name).rename(corpus / extra.name)

    merge = "apply_rows" if load_path == "one transaction" else "merge_spool_in_chunks"
    real_merge = getattr(pipeline, merge)

    def merge_then_crash(*args, **kwargs):
        real_merge(*args, **kwargs)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, merge, merge_then_crash)
    with pytest.raises(RuntimeError, match="disk on fire"):
        pipeline.run([corpus], url)
    assert dump(url) == before
    assert count(url, "etl_runs", "WHERE status = 'failed'") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["db.duckdb", "db.duckdb.lock"]

    monkeypatch.setattr(pipeline, merge, real_merge)
    summary = pipeline.run([corpus], url)
    assert (summary.docs_new, summary.docs_unchanged) == (2, 3)
    assert count(url, "sources") == 5


UNIQUE = [(name, "id") for name in CONTENT_TABLES] + [
    ("sources", "uri"), ("actors", "name"), ("actor_aliases", "(actor_id, alias)"),
    ("event_actors", "(event_id, actor_id, role)"),
]
"""What the models declare unique, which on DuckDB only the load keeps so (migration 0007)."""


def test_no_orphans_and_no_key_twice_after_changes(tmp_path: Path, seeds_dir: Path) -> None:
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    corpus = tmp_path / "articles"
    shutil.copytree(seeds_dir, corpus)
    pipeline.run([corpus], url)
    for path in sorted(corpus.iterdir())[:2]:
        path.write_text(path.read_text(encoding="utf-8")[: 600], encoding="utf-8")
    pipeline.run([corpus], url)
    checks = {
        "event_mentions.event_id": "SELECT COUNT(*) FROM event_mentions WHERE event_id NOT IN (SELECT id FROM events)",
        "event_mentions.source_id": "SELECT COUNT(*) FROM event_mentions WHERE source_id NOT IN (SELECT id FROM sources)",
        "figures.claim_id": "SELECT COUNT(*) FROM figures WHERE claim_id NOT IN (SELECT id FROM figure_claims)",
        "figures.event_id": "SELECT COUNT(*) FROM figures WHERE event_id IS NOT NULL AND event_id NOT IN (SELECT id FROM events)",
        "event_actors.actor_id": "SELECT COUNT(*) FROM event_actors WHERE actor_id NOT IN (SELECT id FROM actors)",
        "actor_aliases.actor_id": "SELECT COUNT(*) FROM actor_aliases WHERE actor_id NOT IN (SELECT id FROM actors)",
        "events without mentions": "SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_mentions)",
        "claims without figures": "SELECT COUNT(*) FROM figure_claims WHERE id NOT IN (SELECT claim_id FROM figures)",
        **{f"{name} keys twice": f"SELECT COUNT(*) - COUNT(DISTINCT {key}) FROM {name}" for name, key in UNIQUE},
    }
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = {name: conn.execute(text(sql)).scalar_one() for name, sql in checks.items()}
    finally:
        engine.dispose()
    assert found == dict.fromkeys(checks, 0)


def test_extract_survives_the_json_round_trip(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.iterdir()):
        doc = extract_document(path.as_uri(), path.read_text(encoding="utf-8"))
        assert loads(dumps(doc)) == doc


@pytest.mark.postgres
def test_postgres_run_twice_is_idempotent(pg_url: str, seeds_dir: Path) -> None:
    first = pipeline.run([seeds_dir], pg_url)
    assert first.docs_new == 5
    before = dump(pg_url)
    second = pipeline.run([seeds_dir], pg_url)
    assert (second.docs_new, second.docs_changed, second.docs_unchanged) == (0, 0, 5)
    assert not second.load.changed
    assert dump(pg_url) == before


@pytest.mark.postgres
def test_postgres_second_writer_is_refused(pg_url: str, seeds_dir: Path) -> None:
    engine = make_engine(pg_url)
    try:
        with writer_lock(engine):
            with pytest.raises(DatabaseBusy, match="in use by another natotimeline run"):
                pipeline.run([seeds_dir], pg_url)
    finally:
        engine.dispose()
    assert pipeline.run([seeds_dir], pg_url).docs_new == 5


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this platform")
@pytest.mark.parametrize(("query", "expected"), [("", "1"), ("?threads=3", "3")])
def test_duckdb_threads_follow_the_cpus_the_job_may_use(tmp_path: Path, query: str, expected: str) -> None:
    code = (
        "import os, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
        "from natotimeline.db import make_engine;"
        "engine = make_engine(sys.argv[1]);"
        "conn = engine.connect();"
        "print(conn.exec_driver_sql(\"SELECT current_setting('threads')\").scalar())"
    )
    url = f"duckdb:///{tmp_path / 'db.duckdb'}{query}"
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True).stdout
    assert out.strip() == expected


@pytest.mark.parametrize("stage", ["extract", "reconcile"])
@pytest.mark.parametrize("failure", ["exception", "killed"])
def test_a_failed_stage_leaves_the_previous_state(tmp_path: Path, seeds_dir: Path, monkeypatch,
                                                  stage: str, failure: str) -> None:
    """Extraction and reconciliation each run in a forked child: an exception
    there, or the child killed, fails the run, and nothing is loaded."""
    from natotimeline import extract, forked
    from natotimeline.reconcile import Reconciler

    if failure == "killed" and not forked.CAN_FORK:
        pytest.skip("the stages run in the job's own process on this system")
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    corpus = tmp_path / "articles"
    corpus.mkdir()
    first, *rest = sorted(seeds_dir.glob("*.txt"))
    shutil.copy(first, corpus)
    pipeline.run([corpus], url)
    before = dump(url)
    for path in rest:
        shutil.copy(path, corpus)

    def fail(*args, **kwargs):
        if failure == "killed":
            os.kill(os.getpid(), 9)
        raise ValueError("claims out of order")

    if stage == "reconcile":
        monkeypatch.setattr(Reconciler, "result", fail)
    else:
        monkeypatch.setattr(extract, "extract_document", fail)
    expected = (forked.StageDied, f"{stage} process was killed by SIGKILL") if failure == "killed" else (
        ValueError, "claims out of order")
    with pytest.raises(expected[0], match=expected[1]):
        pipeline.run([corpus], url)
    assert dump(url) == before
    assert count(url, "etl_runs", "WHERE status = 'failed' AND message LIKE '%" + expected[1] + "%'") == 1


def _loaded_seeds_one_changed(tmp_path: Path, seeds_dir: Path) -> tuple[str, Path]:
    """A database loaded from the seeds, and their folder with one file since shortened."""
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    corpus = tmp_path / "articles"
    shutil.copytree(seeds_dir, corpus)
    pipeline.run([corpus], url)
    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8")[:900], encoding="utf-8")
    return url, corpus


def test_a_run_uses_one_duckdb_thread_whatever_the_machine(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """Every DuckDB thread reading spooled JSON reserves a 32 MiB buffer, so a
    run's memory limit holds only if its thread count does not follow the
    machine's. A run with changes, whose last statement reads every chunk of
    a table at once, loads with one thread as if there were eight CPUs (with
    eight, it runs out of memory when the threads get to scan at once)."""
    import natotimeline.db
    import natotimeline.spool

    monkeypatch.setattr(natotimeline.db, "usable_cpus", lambda: 8)
    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 5)
    url, corpus = _loaded_seeds_one_changed(tmp_path, seeds_dir)
    real_merge, seen = pipeline.merge_spool_in_chunks, []

    def merge(engine, spool, **kwargs):
        with engine.connect() as conn:
            seen.append(conn.exec_driver_sql("SELECT current_setting('threads')").scalar_one())
        return real_merge(engine, spool, **kwargs)

    monkeypatch.setattr(pipeline, "merge_spool_in_chunks", merge)
    summary = pipeline.run([corpus], url)
    assert summary.docs_changed == 1 and summary.load.changed
    assert seen == [1]


def test_the_reconcile_stage_starts_without_duckdb_s_cache_and_the_file_stays_locked(
        tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """The extract and reconcile stages run in forked children; the reconcile
    child would otherwise start with DuckDB's buffer pool (filled by reading
    the stored extractions) in its memory. The cache is emptied, not the
    database closed, so that no reader can take the file while a stage runs
    and then keep the run from writing."""
    url, corpus = _loaded_seeds_one_changed(tmp_path, seeds_dir)
    real_evict, real_run_forked, events = pipeline.evict_duckdb_cache, pipeline.run_forked, []
    monkeypatch.setattr(pipeline, "evict_duckdb_cache", lambda engine: (events.append("evict"), real_evict(engine)))

    def run_forked(stage, name):
        probe = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).close()"
        opened = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "db.duckdb")], capture_output=True)
        events.append(f"{name}: reader {'let in' if opened.returncode == 0 else 'kept out'}")
        return real_run_forked(stage, name)

    monkeypatch.setattr(pipeline, "run_forked", run_forked)
    assert pipeline.run([corpus], url).docs_changed == 1
    assert events == ["extract: reader kept out", "evict", "reconcile: reader kept out"]


def test_evicting_duckdb_s_cache_empties_its_buffer_pool_and_keeps_its_limit(tmp_path: Path) -> None:
    from natotimeline.duckdb_files import evict_duckdb_cache

    engine = make_engine(f"duckdb:///{tmp_path / 'db.duckdb'}", duckdb_config={"memory_limit": "100MB", "threads": "1"})
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t AS SELECT i, repeat('x', 200) || i AS s FROM range(300000) r(i)")
        engine.dispose()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(DISTINCT s) FROM t").scalar_one() == 300_000
            cached = "SELECT sum(memory_usage_bytes) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"
            before = conn.exec_driver_sql(cached).scalar_one()
            limit = conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar_one()
        evict_duckdb_cache(engine)
        with engine.connect() as conn:
            after = conn.exec_driver_sql(cached).scalar_one()
            restored = conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar_one()
    finally:
        engine.dispose()
    assert before > 8 << 20 > after
    value, unit = limit.split()
    assert restored.split()[1] == unit and float(restored.split()[0]) == pytest.approx(float(value), abs=0.1)


def test_a_reader_is_kept_out_of_a_large_load_so_its_failure_is_recorded(tmp_path: Path, seeds_dir: Path,
                                                                         monkeypatch) -> None:
    """A large DuckDB load goes into a copy of the file; the job keeps the file
    open meanwhile, so a reader cannot take it and then keep the run from
    recording that the load failed."""
    import natotimeline.spool

    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 5)
    url, corpus = _loaded_seeds_one_changed(tmp_path, seeds_dir)
    real_merge, opened = pipeline.merge_spool_in_chunks, []

    def merge_then_crash(engine, spool, **kwargs):
        probe = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).close()"
        opened.append(subprocess.run([sys.executable, "-c", probe, str(tmp_path / "db.duckdb")],
                                     capture_output=True).returncode)
        real_merge(engine, spool, **kwargs)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "merge_spool_in_chunks", merge_then_crash)
    with pytest.raises(RuntimeError, match="disk on fire"):
        pipeline.run([corpus], url)
    assert opened and opened[0] != 0
    assert count(url, "etl_runs", "WHERE status = 'failed'") == 1


def test_an_engine_asked_for_small_row_groups_keeps_them_across_engines(tmp_path: Path) -> None:
    """DuckDB rewrites a table's last, partly filled row group at every
    checkpoint and merges small groups into it: at its default size that group
    held every source, extraction included, so a load's memory grew with the
    corpus. Each engine asked for small groups keeps them, those written
    by an earlier one included (a writer that does not ask merges them)."""
    from natotimeline.pipeline import ROW_GROUP_ROWS

    path = tmp_path / "db.duckdb"
    groups = "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('t')"
    for first in (0, 5000):
        engine = make_engine(f"duckdb:///{path}", row_group_rows=ROW_GROUP_ROWS)
        try:
            with engine.begin() as conn:
                if not first:
                    conn.exec_driver_sql("CREATE TABLE t (i BIGINT, s VARCHAR)")
                conn.exec_driver_sql(f"INSERT INTO t SELECT i, 'row ' || i FROM range({first}, {first + 5000}) r(i)")
            with engine.connect() as conn:
                conn.exec_driver_sql("CHECKPOINT")
        finally:
            engine.dispose()
    reader = make_engine(f"duckdb:///{path}", read_only=True)
    try:
        with reader.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(DISTINCT i) FROM t").scalar_one() == 10_000
            assert conn.exec_driver_sql(groups).scalar_one() == -(-10_000 // ROW_GROUP_ROWS)
    finally:
        reader.dispose()


def test_a_writer_spills_beside_its_database_file(tmp_path: Path, monkeypatch) -> None:
    """DuckDB spills to ``<file>.tmp`` for a file it opens itself; a run's
    in-memory database must not spill to ``.tmp`` in the working directory,
    where two runs on different databases would share it."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data" / "db.duckdb"
    path.parent.mkdir()
    engine = make_engine(f"duckdb:///{path}", row_group_rows=pipeline.ROW_GROUP_ROWS)
    try:
        with engine.connect() as conn:
            spill = conn.exec_driver_sql("SELECT current_setting('temp_directory')").scalar_one()
    finally:
        engine.dispose()
    assert Path(spill) == path.with_name("db.duckdb.tmp")


def test_a_large_load_starts_every_chunk_with_little_cached(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """Each chunk's blocks are let go once it is committed, so that a large
    load's memory does not grow with the rows it has written: loading the
    seeds sixty times over, DuckDB holds under 8 MiB besides its indexes at the
    start of every chunk (16 MiB by the end when the blocks stay cached)."""
    import natotimeline.load
    import natotimeline.spool

    corpus = tmp_path / "articles"
    corpus.mkdir()
    for copy in range(60):
        for seed in sorted(seeds_dir.glob("*.txt")):
            (corpus / f"{copy:02d}-{seed.name}").write_bytes(seed.read_bytes())
    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 100)
    real_stage, cached = natotimeline.load._stage, []

    def stage(conn, name, spool, files=None):
        cached.append(conn.exec_driver_sql(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag <> 'ART_INDEX'"
        ).scalar_one())
        return real_stage(conn, name, spool, files)

    monkeypatch.setattr(natotimeline.load, "_stage", stage)
    summary = pipeline.run([corpus], f"duckdb:///{tmp_path / 'db.duckdb'}")
    assert summary.docs_new == 300 and len(cached) > 40 and max(cached) < 8 << 20


@pytest.mark.parametrize("chunk_rows", [None, 5], ids=["one transaction", "chunked into a copy"])
def test_a_run_writes_row_groups_of_2048_rows(tmp_path: Path, seeds_dir: Path, monkeypatch, chunk_rows) -> None:
    """Both ways a run loads (one transaction on the file, or chunks into a copy
    swapped in) write small row groups: a table of 5000 rows made beside the
    load's own by the load's engine holds three."""
    import natotimeline.spool

    if chunk_rows:
        monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", chunk_rows)
    real_finish, groups = pipeline._finish_load, []

    def finish(conn, summary):
        with conn.engine.begin() as other:
            other.exec_driver_sql("CREATE TABLE probe AS SELECT range AS i FROM range(5000)")
        with conn.engine.begin() as other:
            groups.append(other.exec_driver_sql(
                "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('probe')").scalar_one())
            other.exec_driver_sql("DROP TABLE probe")
        real_finish(conn, summary)

    monkeypatch.setattr(pipeline, "_finish_load", finish)
    pipeline.run([seeds_dir], f"duckdb:///{tmp_path / 'db.duckdb'}")
    assert groups == [-(-5000 // pipeline.ROW_GROUP_ROWS)]


def test_a_file_attached_for_writing_is_not_opened_again_in_the_process(tmp_path: Path) -> None:
    """DuckDB would open the file a second time, fail, and close that
    descriptor, which drops every lock the process holds on the file: the
    writer's included, letting another process in."""
    path = tmp_path / "db.duckdb"
    writer = make_engine(f"duckdb:///{path}", row_group_rows=pipeline.ROW_GROUP_ROWS)
    probe = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).close()"
    try:
        with writer.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t AS SELECT 1 AS i")
        for read_only in (True, False):
            with pytest.raises(DatabaseBusy, match="open for writing in this process"):
                make_engine(f"duckdb:///{path}", read_only=read_only)
        assert subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True).returncode != 0
    finally:
        writer.dispose()
    detached = make_engine(f"duckdb:///{path}", row_group_rows=pipeline.ROW_GROUP_ROWS)
    conn = detached.connect()
    conn.detach()
    conn.close()
    detached.dispose()
    reader = make_engine(f"duckdb:///{path}", read_only=True)
    try:
        with reader.connect() as conn:
            assert conn.exec_driver_sql("SELECT i FROM t").scalar_one() == 1
    finally:
        reader.dispose()


@pytest.mark.parametrize("url_limit", [None, "200MB"])
def test_a_large_load_takes_each_table_with_only_its_own_key_indexes_in_memory(
        tmp_path: Path, seeds_dir: Path, monkeypatch, url_limit: str | None) -> None:
    """DuckDB keeps a table's key indexes in memory once a statement loads
    them, outside its cache. A large load therefore reopens the database
    after each table, so that a table's statements start with none of the
    other tables' indexes, and gives them a memory limit with room for their
    own indexes only, else its cache took what the indexes left of a fixed
    limit. A limit the URL sets is kept."""
    import natotimeline.load
    import natotimeline.spool

    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 5)
    url, corpus = _loaded_seeds_one_changed(tmp_path, seeds_dir)
    if url_limit:
        url += f"?memory_limit={url_limit}"
    seen: list[tuple[str, int, str]] = []
    real_stage = natotimeline.load._stage

    def stage(conn, name, spool, files=None):
        if not seen or seen[-1][0] != name:
            art = conn.exec_driver_sql(
                "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'").scalar_one()
            limit = conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar_one()
            seen.append((name, art, limit))
        return real_stage(conn, name, spool, files)

    monkeypatch.setattr(natotimeline.load, "_stage", stage)
    assert pipeline.run([corpus], url).docs_changed == 1
    assert [name for name, _, _ in seen[:len(CONTENT_TABLES)]] == list(CONTENT_TABLES)
    assert all(art == 0 for _, art, _ in seen), seen
    limits = {limit for _, _, limit in seen}
    if url_limit:
        assert limits == {"190.7 MiB"}
    else:  # the seeds' key indexes need little room besides LOAD_MEMORY
        base = natotimeline.load.LOAD_MEMORY >> 20
        assert all(base <= float(limit.removesuffix(" MiB")) <= base + 1 for limit in limits), limits


def test_a_large_load_step_that_runs_out_of_memory_runs_again_with_more_room(
        tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """With too little room (less than the 32 MiB DuckDB reserves to read
    spooled rows), each table's first step runs out of memory, is rolled back
    and runs again with more: the run lands what a run with room lands, and
    counts each row once."""
    import natotimeline.load
    import natotimeline.spool

    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 5)
    url, corpus = _loaded_seeds_one_changed(tmp_path, seeds_dir)
    shutil.copyfile(tmp_path / "db.duckdb", tmp_path / "before.duckdb")
    roomy = pipeline.run([corpus], url)
    landed = _without_times(url)
    shutil.copyfile(tmp_path / "before.duckdb", tmp_path / "db.duckdb")
    monkeypatch.setattr(natotimeline.load, "LOAD_MEMORY", 8 << 20)
    limits: list[int] = []
    real_set = natotimeline.load.set_memory_limit
    monkeypatch.setattr(natotimeline.load, "set_memory_limit",
                        lambda engine, limit: (limits.append(limit), real_set(engine, limit)))
    tight = pipeline.run([corpus], url)
    assert len(limits) > 2 * len(CONTENT_TABLES) and max(limits) > 32 << 20
    assert tight.load == roomy.load and tight.load.changed
    assert _without_times(url) == landed


def _without_times(url: str) -> dict[str, list[tuple]]:
    """The content tables, the sources without when they were ingested (nor the digest that covers it)."""
    rows = dump(url, tuple(t for t in CONTENT_TABLES if t != "sources"))
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows["sources"] = sorted(tuple(r) for r in conn.execute(text(
                "SELECT id, uri, sha256, title, publisher, published_on, parser_version, links_key FROM sources")))
    finally:
        engine.dispose()
    return rows


def test_a_large_load_counts_a_changed_source_as_updated(tmp_path: Path, seeds_dir: Path, monkeypatch) -> None:
    """DuckDB replaces the changed rows (deletes and inserts them again); the
    counts still say updated, also when the load goes a chunk at a time."""
    import natotimeline.spool

    monkeypatch.setattr(natotimeline.spool, "CHUNK_ROWS", 5)
    url, corpus = _loaded_seeds_one_changed(tmp_path, seeds_dir)
    summary = pipeline.run([corpus], url)
    assert summary.docs_changed == 1
    assert summary.load.updated["sources"] == 1 and summary.load.inserted["sources"] == 0


def test_apply_rows_refuses_tables_other_than_the_content_tables(duckdb_url: str) -> None:
    """Rows for the run log or a misspelt table would otherwise be dropped without a word, or fail with a bare KeyError."""
    from natotimeline.db import migrate
    from natotimeline.load import apply_rows

    engine = make_engine(duckdb_url)
    try:
        migrate(engine)
        with pytest.raises(ValueError, match="content tables only, not: etl_runs, sourcse"):
            with engine.begin() as conn:
                apply_rows(conn, {"sources": [], "sourcse": [{"id": "x"}], "etl_runs": [{"id": 1}]})
    finally:
        engine.dispose()
