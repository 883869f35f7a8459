"""The ETL job: discover -> read -> extract changed files -> reconcile -> load,
all writes in one transaction so a run either lands whole or not at all."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Engine, cast, func, insert, literal, select, update

from . import PARSER_VERSION
from .actors import ActorCatalog
from .db import make_engine, migrate, writer_lock
from .extract import extract_document, sha256_text
from .load import LoadStats, apply_rows, table
from .reader import InputRejected, Rejected, discover, read_article, source_uri
from .reconcile import reconcile
from .records import DocumentExtract
from .rows import Rows, build_rows
from .serialise import loads
from .views import create_views

Progress = Callable[[int, int, str], None]


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


def _execute_inline(conn, statement):
    """Run a run-log statement with its values inlined: DuckDB imports pandas
    (about a second) to bind any parameter, which would dominate a run with
    nothing to do. The values are our own counts, times and messages, quoted
    by the dialect."""
    sql = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return conn.exec_driver_sql(str(sql).replace("%", "%%") if conn.dialect.name == "postgresql" else str(sql))


def _start_run(engine: Engine) -> int:
    runs = table("etl_runs")
    with engine.begin() as conn:
        return _execute_inline(
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
    _execute_inline(
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


def _stored_sources(engine: Engine) -> dict[str, tuple[str, str, datetime, int]]:
    src = table("sources")
    with engine.connect() as conn:
        rows = conn.execute(select(src.c.uri, src.c.sha256, src.c.parser_version, src.c.ingested_at, src.c.n_chars))
        return {r.uri: (r.sha256, r.parser_version, r.ingested_at, r.n_chars) for r in rows}


def _stored_extracts(engine: Engine, uris: Iterable[str]) -> dict[str, DocumentExtract]:
    wanted = set(uris)
    if not wanted:
        return {}
    src = table("sources")
    with engine.connect() as conn:
        rows = conn.execute(select(src.c.uri, src.c.extract_json))
        return {r.uri: loads(r.extract_json) for r in rows if r.uri in wanted}


def _count(conn, name: str) -> int:
    return conn.execute(select(func.count()).select_from(table(name))).scalar_one()


def _desired_rows(
    engine: Engine,
    stored: dict[str, tuple[str, str, datetime, int]],
    fresh: dict[str, DocumentExtract],
    n_chars: dict[str, int],
    catalog: ActorCatalog | None,
) -> Rows:
    """Reconcile the fresh extracts with every stored one into the rows the
    tables should hold; the extracts are released when this returns."""
    docs = _stored_extracts(engine, set(stored) - set(fresh))
    docs.update(fresh)
    now = _now()
    ingested = {uri: stored[uri][2] if uri in stored and uri not in fresh else now for uri in docs}
    chars = {uri: n_chars.get(uri) or stored[uri][3] for uri in docs}
    gc.freeze()  # the extracts are all alive until the rows are built: spare the collector rescanning them
    try:
        reconciled = reconcile(list(docs.values()), catalog or ActorCatalog.default())
        return build_rows(docs, reconciled, ingested, chars)
    finally:
        gc.unfreeze()


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
    engine = make_engine(url)
    try:
        with writer_lock(engine):
            migrate(engine)
            return _run_locked(engine, list(paths), progress, catalog)
    finally:
        engine.dispose()


def _run_locked(
    engine: Engine, paths: list[str | Path], progress: Progress | None, catalog: ActorCatalog | None
) -> RunSummary:
    summary = RunSummary(run_id=_start_run(engine))
    try:
        files, missing = discover(paths)
        summary.rejected.extend(missing)
        stored = _stored_sources(engine)
        fresh: dict[str, DocumentExtract] = {}
        n_chars: dict[str, int] = {}
        seen: set[str] = set()
        for i, path in enumerate(files, 1):
            if progress:
                progress(i, len(files), str(path))
            uri = source_uri(path)
            try:
                text = read_article(path)
            except InputRejected as exc:
                summary.rejected.append(exc.rejected)
                continue
            seen.add(uri)
            old = stored.get(uri)
            if old and old[0] == sha256_text(text) and old[1] == PARSER_VERSION:
                summary.docs_unchanged += 1
                continue
            if old:
                summary.docs_changed += 1
            else:
                summary.docs_new += 1
            catalog = catalog or ActorCatalog.default()
            fresh[uri] = extract_document(uri, text, catalog)
            n_chars[uri] = len(text)

        rows = _desired_rows(engine, stored, fresh, n_chars, catalog) if fresh else None
        fresh.clear()
        with engine.begin() as conn:
            if rows is not None:
                summary.load = apply_rows(conn, rows)
            create_views(conn)
            errors = table("ingest_errors")
            for rejected in summary.rejected:
                _execute_inline(
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
    except BaseException as exc:
        with engine.begin() as conn:
            _finish_run(conn, summary, "failed", f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return summary
