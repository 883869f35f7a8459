"""A corpus loaded a file at a time ends up exactly like one loaded at once:
the stored extractions, read back a page at a time, reconcile like fresh ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import natotimeline.corpus as corpus_module
import natotimeline.pipeline as pipeline

from dbdump import dump

VOLATILE = {"sources": {9, 14}}  # ingested_at differs between the two ways of loading, and so the digest


def _stable(url: str) -> dict[str, list[tuple]]:
    out = {}
    for name, rows in dump(url).items():
        drop = VOLATILE.get(name, set())
        out[name] = sorted(tuple(v for i, v in enumerate(r) if i not in drop) for r in rows)
    return out


def _one_by_one_equals_all_at_once(tmp_path: Path, seeds_dir: Path, make_url, monkeypatch) -> None:
    monkeypatch.setattr(corpus_module, "PAGE", 2)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    one_by_one = make_url("incremental")
    for path in sorted(seeds_dir.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
        summary = pipeline.run([corpus], one_by_one)
        assert summary.docs_new == 1
    all_at_once = make_url("all")
    assert pipeline.run([corpus], all_at_once).docs_new == 5
    assert _stable(one_by_one) == _stable(all_at_once)


def test_duckdb_one_file_per_run_equals_all_at_once(tmp_path: Path, seeds_dir: Path, monkeypatch,
                                                    load_path: str) -> None:
    _one_by_one_equals_all_at_once(
        tmp_path, seeds_dir, lambda name: f"duckdb:///{tmp_path / name}.duckdb", monkeypatch
    )


@pytest.mark.postgres
def test_postgres_one_file_per_run_equals_all_at_once(tmp_path: Path, seeds_dir: Path, pg_url: str,
                                                      duckdb_url: str, monkeypatch) -> None:
    urls = {"all": duckdb_url, "incremental": pg_url}
    _one_by_one_equals_all_at_once(tmp_path, seeds_dir, urls.__getitem__, monkeypatch)


@pytest.mark.parametrize("edit", ["append", "truncate"])
def test_a_changed_file_gives_the_database_a_fresh_load_would(tmp_path: Path, seeds_dir: Path, edit: str,
                                                              load_path: str) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    incremental = f"duckdb:///{tmp_path / 'incremental.duckdb'}"
    pipeline.run([corpus], incremental)
    target = sorted(corpus.glob("*.txt"))[1]
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "\n\nThe weather in the capital was mild.\n" if edit == "append" else text[:700],
                      encoding="utf-8")
    summary = pipeline.run([corpus], incremental)
    assert summary.docs_changed == 1
    if edit == "append":
        assert summary.sources_rebuilt < 5
    fresh = f"duckdb:///{tmp_path / 'fresh.duckdb'}"
    pipeline.run([corpus], fresh)
    assert _stable(incremental) == _stable(fresh)
