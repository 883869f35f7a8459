"""The ETL job: discover -> read -> extract changed files -> reconcile -> load,
all writes in one transaction so a run either lands whole or not at all."""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, DateTime, Engine, cast, func, insert, literal, select, update

from typing import TYPE_CHECKING

from . import PARSER_VERSION
from .corpus import Corpus
from .db import execute_inline, make_engine, migrate, writer_lock
from .duckdb_files import ROW_GROUP_ROWS, evict_duckdb_cache, skip_closing_checkpoint
from .forked import run_forked
from .keys import sha256_text
from .load import LoadStats, apply_rows, content_spool, merge_spool_in_chunks, table
from .reader import InputRejected, Rejected, discover, read_article, source_uri
from .records import DocumentExtract
from .serialise import unpack
from .spool import RowSpool
from .stored import StoredSources, stored_sources
from .swap import can_swap, swapped
from .views import create_views

if TYPE_CHECKING:
    from .actors import ActorCatalog

Progress = Callable[[int, int, str], None]

DUCKDB_RUN_CONFIG = {"threads": "1", "memory_limit": "128MB"}
"""DuckDB's settings for a run (a chunked load sets its own memory limit
per table: ``load._Room``). Its statements merge a chunk of a few
thousand rows at a time (``natotimeline.swap``), which a second thread
does not speed up (7.2 s with two threads, 7.1 s with one, for 16,000 documents) but which
costs memory: every thread reading the spooled JSON reserves a 32 MiB
buffer, so with one thread per CPU a run with changes on an eight-CPU
machine ran out of memory under this limit."""


@dataclass
class RunSummary:
    run_id: int
    docs_new: int = 0
    docs_changed: int = 0
    docs_unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    n_events: int = 0
    n_actors: int = 0
    n_figures: int = 0
    sources_rebuilt: int = 0
    load: LoadStats = field(default_factory=LoadStats)

    @property
    def docs_rejected(self) -> int:
        return len(self.rejected)

    @property
    def status(self) -> str:
        return "partial" if self.rejected else "ok"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _timestamp(moment: datetime):
    return cast(literal(moment.isoformat(sep=" ")), DateTime)


def _start_run(engine: Engine) -> int:
    runs = table("etl_runs")
    with engine.begin() as conn:
        return execute_inline(
            conn,
            insert(runs)
            .values(
                started_at=_timestamp(_now()), status="running", parser_version=PARSER_VERSION,
                docs_new=0, docs_changed=0, docs_unchanged=0, docs_rejected=0,
                n_events=0, n_actors=0, n_figures=0,
            )
            .returning(runs.c.id),
        ).scalar_one()


def _finish_run(conn, summary: RunSummary, status: str, message: str | None = None) -> None:
    runs = table("etl_runs")
    execute_inline(
        conn,
        update(runs)
        .where(runs.c.id == summary.run_id)
        .values(
            finished_at=_timestamp(_now()), status=status, message=message,
            docs_new=summary.docs_new, docs_changed=summary.docs_changed,
            docs_unchanged=summary.docs_unchanged, docs_rejected=summary.docs_rejected,
            n_events=summary.n_events, n_actors=summary.n_actors, n_figures=summary.n_figures,
        ),
    )


def _count(conn, name: str) -> int:
    return conn.execute(select(func.count()).select_from(table(name))).scalar_one()


def _spool_rows(corpus: Corpus, spool: RowSpool, catalog: ActorCatalog | None, events_to: Path) -> tuple[int, RowSpool]:
    """Reconcile every document and spool the rows the tables should hold;
    returns how many sources had their rows rebuilt, and the closed spool.

    Two passes over the corpus: the first feeds each document to the
    reconciler, which keeps only what it reads (``reconcile.Reconciler``)
    and writes the events it merges to the file ``events_to``; the second
    turns each document into its rows with the links reconciliation
    decided, skipping stored sources whose links did not change (their rows
    are already right). Reads and writes files only, so that it can run in
    a forked child (``_run_locked``)."""
    from .reconcile import Reconciler
    from .rows import Links, document_rows, reconciled_rows

    with spool:
        reconciler = Reconciler(catalog)
        for entry in corpus:
            reconciler.add(unpack(entry.blob))
        frozen = gc.get_freeze_count()
        gc.freeze()  # what exists now outlives the merge: spare the collector rescanning it
        try:
            reconciled = reconciler.result(events_to)
        finally:
            if not frozen:  # in a forked child what the parent left stays frozen
                gc.unfreeze()
        del reconciler
        links = Links.of(reconciled)
        spool.add(reconciled_rows(reconciled))
        del reconciled
        now = _now()
        rebuilt = 0
        for entry in corpus:
            doc = unpack(entry.blob)
            key = links.key(doc)
            if corpus.is_current(entry, key):
                continue
            spool.add(document_rows(doc, links, corpus.ingested_at(entry, now), corpus.n_chars(entry), entry.blob,
                                    key))
            rebuilt += 1
    return rebuilt, spool


def writer_engine(url: str) -> Engine:
    """An engine that writes ``url`` as a run does: on DuckDB with the run's
    settings and row group size, which ``natotimeline migrate`` needs too
    (migration 0007 writes every row again)."""
    return make_engine(url, duckdb_config=DUCKDB_RUN_CONFIG, row_group_rows=ROW_GROUP_ROWS)


def run(
    paths: Iterable[str | Path],
    url: str,
    *,
    progress: Progress | None = None,
    catalog: ActorCatalog | None = None,
) -> RunSummary:
    """Load the articles under ``paths`` into the database at ``url``.

    Raises DatabaseError/DatabaseBusy when the database cannot be used;
    bad input files are reported in the summary and in ``ingest_errors``.
    """
    engine = writer_engine(url)
    try:
        with writer_lock(engine):
            migrated = migrate(engine)
            summary = _run_locked(engine, list(paths), progress, catalog)
            if not migrated and not summary.load.changed:
                skip_closing_checkpoint(engine)  # only the run's record (and views, input errors) to write
            return summary
    finally:
        engine.dispose()


def _run_locked(
    engine: Engine, paths: list[str | Path], progress: Progress | None, catalog: ActorCatalog | None
) -> RunSummary:
    summary = RunSummary(run_id=_start_run(engine))
    try:
        with (tempfile.TemporaryDirectory(prefix="natotimeline-run-") as tmp,
              closing(stored_sources(engine, Path(tmp) / "stored.sqlite")) as stored):
            corpus = _extract_changed(engine, stored, paths, progress, catalog, summary, Path(tmp))
            spool: RowSpool | None = None
            if corpus.n_fresh:
                evict_duckdb_cache(engine)  # else the reconcile child starts with it in its memory
                stored.close()  # the child opens its own
                (Path(tmp) / "rows").mkdir()
                summary.sources_rebuilt, spool = run_forked(
                    partial(_spool_rows, corpus, content_spool(Path(tmp) / "rows"), catalog,
                            Path(tmp) / "events.pickle"), "reconcile")
            del corpus  # its index of fresh documents, given back before the load
            _write(engine, spool, summary)
    except BaseException as exc:
        with engine.begin() as conn:
            _finish_run(conn, summary, "failed", f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return summary


def _extract_changed(
    engine: Engine,
    stored: StoredSources,
    paths: list[str | Path],
    progress: Progress | None,
    catalog: ActorCatalog | None,
    summary: RunSummary,
    workdir: Path,
) -> Corpus:
    """Read every input file and extract the new and changed ones into the
    corpus, in a forked child (``forked.run_forked``): the file list, the
    extractors and what extracting leaves of the heap go with the child, so
    the job's own memory does not grow with the corpus. Then close the
    corpus here, where the database is open."""
    corpus = Corpus(engine, workdir, stored)
    stored.close()  # the child opens its own
    found = run_forked(partial(_extract_files, corpus, paths, progress, catalog), "extract")
    summary.docs_new, summary.docs_changed, summary.docs_unchanged, rejected, corpus.n_fresh = found
    summary.rejected.extend(rejected)
    corpus.close()
    return corpus


def _extract_files(
    corpus: Corpus, paths: list[str | Path], progress: Progress | None, catalog: ActorCatalog | None,
) -> tuple[int, int, int, list[Rejected], int]:
    """Add the new and changed files under ``paths`` to ``corpus``: how many
    were new, changed and unchanged, the files rejected, and how many were
    added. Reads and writes files only (``forked.run_forked``)."""
    files, rejected = discover(paths)
    new = changed = unchanged = 0
    for i, name in enumerate(files, 1):
        if progress:
            progress(i, len(files), name)
        path = Path(name)
        uri = source_uri(path)
        try:
            text = read_article(path)
        except InputRejected as exc:
            rejected.append(exc.rejected)
            continue
        old = corpus.stored.get(uri)
        if old and old[0] == sha256_text(text) and old[1] == PARSER_VERSION:
            unchanged += 1
            continue
        if old:
            changed += 1
        else:
            new += 1
        from .actors import ActorCatalog
        from .extract import extract_document

        catalog = catalog or ActorCatalog.default()
        corpus.add(extract_document(uri, text, catalog), len(text), replaces=old is not None)
    corpus.flush()
    corpus.stored.close()
    return new, changed, unchanged, rejected, corpus.n_fresh


def _write(engine: Engine, spool: RowSpool | None, summary: RunSummary) -> None:
    """Land the run's rows (if any) and its record all at once: in one
    transaction, or for a DuckDB load larger than a chunk, in a copy of the
    file swapped in whole (``natotimeline.swap``)."""
    if spool is not None and (spool.total > spool.chunk_rows or spool.chunked) and can_swap(engine):
        with swapped(engine, duckdb_config=DUCKDB_RUN_CONFIG, row_group_rows=ROW_GROUP_ROWS) as copy:
            summary.load = merge_spool_in_chunks(copy, spool)
            with copy.begin() as conn:
                _finish_load(conn, summary)
        return
    with engine.begin() as conn:
        if spool is not None:
            summary.load = apply_rows(conn, spool)
        _finish_load(conn, summary)


def _finish_load(conn: Connection, summary: RunSummary) -> None:
    """What every run writes last, in the load's transaction: views, input errors, the run's record."""
    create_views(conn)
    errors = table("ingest_errors")
    for rejected in summary.rejected:
        execute_inline(
            conn,
            insert(errors).values(
                run_id=summary.run_id, path=rejected.path, reason=rejected.reason,
                created_at=_timestamp(_now()),
            ),
        )
    summary.n_events = _count(conn, "events")
    summary.n_actors = _count(conn, "actors")
    summary.n_figures = _count(conn, "figures")
    _finish_run(conn, summary, summary.status)
