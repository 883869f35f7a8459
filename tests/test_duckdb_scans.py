"""A run with few changes reads little of a large DuckDB file: the sources it
replaces, not every source's extraction, the digests of the rows it stages,
not their stored values, and the stored extractions a page at a time without
keeping them in DuckDB's cache."""

from __future__ import annotations

import os
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest

import natotimeline.corpus as corpus_module
import natotimeline.stored as stored_module
from natotimeline.corpus import Corpus
from natotimeline.stored import StoredSource, stored_sources
from natotimeline.db import make_engine, migrate
from natotimeline.duckdb_files import evict_duckdb_cache
from natotimeline.forked import run_forked
from natotimeline.load import apply_rows

N_SOURCES = 600
BLOB = 32 << 10
FIGURES_PER_SOURCE = 10
QUOTE = 4 << 10
CACHED = "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'"


def _sources(template: dict, n: int, folder: str) -> list[dict]:
    return [template | {"id": f"s{i:05d}", "uri": f"file:///{folder}/{i:05d}.txt", "extract": os.urandom(BLOB)}
            for i in range(n)]


def _large_file(path: Path, template: dict, folder: str = "corpus") -> tuple[str, list[dict]]:
    url = f"duckdb:///{path}"
    rows = _sources(template, N_SOURCES, folder)
    engine = make_engine(url, duckdb_config={"threads": "1", "memory_limit": "256MB"})
    try:
        migrate(engine)
        with engine.begin() as conn:
            apply_rows(conn, {"sources": rows})
    finally:
        engine.dispose()
    return url, rows


def test_replacing_a_few_sources_reads_only_their_extractions(tmp_path: Path, views_dataset: dict) -> None:
    url, rows = _large_file(tmp_path / "db.duckdb", views_dataset["sources"][0])
    changed = [row | {"sha256": "f" * 64, "extract": os.urandom(BLOB)} for row in rows[::200]]
    engine = make_engine(url, duckdb_config={"threads": "1", "memory_limit": "256MB"})
    try:
        with engine.begin() as conn:
            stats = apply_rows(conn, {"sources": changed})
            cached = conn.exec_driver_sql(CACHED).scalar_one()
        with engine.connect() as conn:
            stored = dict(conn.exec_driver_sql("SELECT id, extract FROM sources").fetchall())
    finally:
        engine.dispose()
    assert (stats.updated["sources"], stats.inserted["sources"]) == (len(changed), 0)
    assert {row["id"]: row["extract"] for row in changed}.items() <= {k: bytes(v) for k, v in stored.items()}.items()
    assert len(stored) == N_SOURCES
    assert cached < N_SOURCES * BLOB // 8


def test_reading_stored_extractions_keeps_duckdb_s_cache_small(tmp_path: Path, views_dataset: dict,
                                                                monkeypatch) -> None:
    """Every stored extraction is read once, also after replaced rows left
    gaps in DuckDB's row ids, and the pages read do not stay cached."""
    url, rows = _large_file(tmp_path / "db.duckdb", views_dataset["sources"][0])
    replaced = [row | {"sha256": "f" * 64, "extract": os.urandom(BLOB)} for row in rows[::7]]
    monkeypatch.setattr(corpus_module, "PAGE", 137)  # the last row id, 685, alone on the last page
    engine = make_engine(url, duckdb_config={"threads": "1", "memory_limit": "256MB"})
    real_write, cached, written = corpus_module.write_record, [], []

    def write(out, record: bytes) -> None:
        with engine.connect() as conn:
            cached.append(conn.exec_driver_sql(CACHED).scalar_one())
        written.append(record)
        real_write(out, record)

    try:
        with engine.begin() as conn:
            apply_rows(conn, {"sources": replaced})
        corpus = Corpus(engine, tmp_path, stored_sources(engine, tmp_path / "stored.sqlite"))
        corpus.n_fresh = 1
        monkeypatch.setattr(corpus_module, "write_record", write)
        corpus.close()
    finally:
        engine.dispose()
    expected = {row["uri"]: row["extract"] for row in rows} | {row["uri"]: row["extract"] for row in replaced}
    pairs = list(zip(written[::2], written[1::2], strict=True))
    assert len(pairs) == N_SOURCES and {uri.decode(): blob for uri, blob in pairs} == expected
    assert max(cached) < 8 << 20 < N_SOURCES * BLOB  # what ``duckdb_files.evict_duckdb_cache`` leaves


def test_reading_what_is_stored_of_each_source_keeps_duckdb_s_cache_small(tmp_path: Path, views_dataset: dict,
                                                                          monkeypatch) -> None:
    """Every source is read once, also across gaps in DuckDB's row ids, and
    the columns read do not stay cached (a run with nothing to do reads them)."""
    url, rows = _large_file(tmp_path / "db.duckdb", views_dataset["sources"][0], folder=os.urandom(2000).hex())
    replaced = [row | {"sha256": "f" * 64, "n_chars": 7} for row in rows[::7]]
    monkeypatch.setattr(stored_module, "STORED_PAGE", 137)  # the last row id, 685, alone on the last page
    engine = make_engine(url, duckdb_config={"threads": "1", "memory_limit": "256MB"})
    try:
        with engine.begin() as conn:
            apply_rows(conn, {"sources": replaced})
        evict_duckdb_cache(engine)
        tracemalloc.start()
        try:
            stored = stored_sources(engine, tmp_path / "stored.sqlite")
            held = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        with engine.connect() as conn:
            cached = conn.exec_driver_sql(CACHED).scalar_one()
    finally:
        engine.dispose()
    expected = {row["uri"]: (row["sha256"], row["n_chars"]) for row in rows + replaced}
    assert {uri: (s.sha256, s.n_chars) for uri, s in stored.items()} == expected
    assert cached < 256 << 10
    assert held < 64 << 10 < N_SOURCES * (4000 + 64)  # the URIs alone are 4000 characters each


def test_what_is_stored_of_each_source_is_looked_up_from_its_file_in_a_forked_child_too(
        tmp_path: Path, views_dataset: dict) -> None:
    url, rows = _large_file(tmp_path / "db.duckdb", views_dataset["sources"][0])
    distinct = [row | {"sha256": f"{i:064x}", "parser_version": f"v{i % 3}", "n_chars": i,
                       "ingested_at": row["ingested_at"] + timedelta(seconds=i, microseconds=i),
                       "links_key": None if i % 2 else f"k{i}"} for i, row in enumerate(rows)]
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            apply_rows(conn, {"sources": distinct})
        stored = stored_sources(engine, tmp_path / "stored.sqlite")
    finally:
        engine.dispose()
    expected = {row["uri"]: StoredSource(*(row[name] for name in StoredSource._fields)) for row in distinct}
    assert dict(stored.items()) == expected
    stored.close()
    assert run_forked(lambda: dict(stored.items())) == expected
    assert len(stored) == N_SOURCES and "file:///nowhere" not in stored and stored.get("file:///nowhere") is None
    with pytest.raises(KeyError):
        stored["file:///nowhere"]
    stored.close()


def test_telling_a_few_changed_figures_among_many_reads_their_digests_not_their_text(
        tmp_path: Path, views_dataset: dict) -> None:
    """A run that rebuilds a few sources stages their figures only, and the
    load finds which of them changed by comparing digests: the stored
    figures' quotes stay unread."""
    url, sources = _large_file(tmp_path / "db.duckdb", views_dataset["sources"][0])
    template = views_dataset["figures"][0]
    figures = [template | {"id": f"f{s:05d}{k}", "source_id": source["id"], "quote": os.urandom(QUOTE // 2).hex()}
               for s, source in enumerate(sources) for k in range(FIGURES_PER_SOURCE)]
    engine = make_engine(url, duckdb_config={"threads": "1", "memory_limit": "256MB"})
    try:
        with engine.begin() as conn:
            apply_rows(conn, {"figures": figures}, prune=False)
        with engine.connect() as conn:
            conn.exec_driver_sql("CHECKPOINT")  # else the figures stay in memory, not in blocks read back
        evict_duckdb_cache(engine)
        rebuilt = {source["id"] for source in sources[::7]}
        staged = [f | {"value": -1.0} if f["id"].endswith("0") else f for f in figures if f["source_id"] in rebuilt]
        with engine.begin() as conn:
            stats = apply_rows(conn, {"sources": [s for s in sources if s["id"] in rebuilt], "figures": staged})
            cached = conn.exec_driver_sql(CACHED).scalar_one()
        with engine.connect() as conn:
            values = dict(conn.exec_driver_sql("SELECT id, value FROM figures").fetchall())
    finally:
        engine.dispose()
    assert (stats.updated["figures"], stats.inserted["figures"], stats.deleted["figures"]) == (len(rebuilt), 0, 0)
    assert sorted(k for k, v in values.items() if v == -1.0) == sorted(f["id"] for f in staged if f["value"] == -1.0)
    assert cached < 4 << 20 < len(figures) * QUOTE
