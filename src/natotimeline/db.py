"""Engines, migrations and the errors a database can give us."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, CursorResult, Engine, Executable, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from .duckdb_files import attach_for_writing, attached_for_writing
from .paths import resource_dir

SCHEMA_HEAD = "0007"
"""The newest Alembic revision; a test keeps it equal to the scripts' head."""

DEFAULT_URL = "duckdb:///natotimeline.duckdb"
URL_ENV = "NATOTIMELINE_DATABASE_URL"
ADVISORY_LOCK_ID = 0x6E61746F


class DatabaseError(Exception):
    """The database cannot be used: a one-line reason for the user."""


class DatabaseBusy(DatabaseError):
    """Another process holds the database, or this one holds it for writing."""


def resolve_url(url: str | None = None) -> str:
    """``--database`` beats the environment variable, which beats the default file."""
    return url or os.environ.get(URL_ENV) or DEFAULT_URL


def is_duckdb(url_or_conn: str | Connection | Engine) -> bool:
    if isinstance(url_or_conn, str):
        return make_url(url_or_conn).get_backend_name() == "duckdb"
    return url_or_conn.dialect.name == "duckdb"


_LOCK_PATTERNS = re.compile(r"Could not set lock|Conflicting lock|database is locked|lock on file", re.I)


def describe_error(url: str, exc: BaseException) -> DatabaseError:
    """Turn a driver error into a one-line DatabaseError (DatabaseBusy for locks)."""
    where = safe_url(url)
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if _LOCK_PATTERNS.search(str(exc)):
        return DatabaseBusy(
            f"database {where} is in use by another process (DuckDB allows one writer): "
            "wait for it to finish, or read a copy made with 'natotimeline export'"
        )
    return DatabaseError(f"cannot open database {where}: {message}")


def safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def usable_cpus() -> int:
    """CPUs this process may run on: DuckDB sizes its thread pool by the
    machine's cores and ignores a job's CPU affinity (taskset, systemd's
    CPUAffinity), which on a pinned job only adds memory and contention."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def make_engine(url: str, *, read_only: bool = False, duckdb_config: Mapping[str, str] | None = None,
                row_group_rows: int | None = None) -> Engine:
    """An engine for ``url``. On DuckDB, ``duckdb_config`` overrides the
    default settings (as many threads as usable CPUs); a setting in the
    URL's query wins over both. ``row_group_rows`` (a multiple of 2048)
    writes a DuckDB file opened for writing in row groups of that many rows
    (``duckdb_files.attach_for_writing``); it is ignored for readers, memory
    and other databases.

    Raises DatabaseBusy for a DuckDB file this process has attached for
    writing: DuckDB would open it a second time and fail, and closing that
    descriptor would drop the writer's lock on the file."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r}") from exc
    connect_args: dict = {}
    path = duckdb_file(parsed)
    attached = (path, row_group_rows) if path is not None and row_group_rows and not read_only else None
    if parsed.get_backend_name() == "duckdb":
        connect_args["config"] = {"threads": str(usable_cpus()), **(duckdb_config or {})}
        if attached is not None:
            # DuckDB spills to <file>.tmp for a file it opens, but for an in-memory
            # database to .tmp in the working directory, shared with other runs there
            connect_args["config"].setdefault("temp_directory", str(path.with_name(path.name + ".tmp")))
        elif path is not None and attached_for_writing(path):
            raise DatabaseBusy(f"database {path} is open for writing in this process: dispose of that engine first")
        database = parsed.database or ":memory:"
        if path is not None and not read_only:
            folder = path.parent
            if not folder.is_dir():
                raise DatabaseError(f"cannot open database {url}: folder {folder} does not exist")
        if read_only:
            if database != ":memory:" and not Path(database).exists():
                raise DatabaseError(f"cannot open database {url}: file does not exist")
            connect_args["read_only"] = True
    try:
        engine = create_engine(url, connect_args=connect_args)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot open database {safe_url(url)}: {exc}") from exc
    if attached is not None:
        attach_for_writing(engine, *attached)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        engine.dispose()
        raise describe_error(url, exc) from exc
    return engine


def duckdb_file(url: str | URL) -> Path | None:
    """The file a DuckDB URL names; None for memory or another database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "duckdb" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser().resolve()


BUSY_RUN = "is in use by another natotimeline run: wait for it to finish"


@contextmanager
def _file_lock(database: Path) -> Iterator[None]:
    """An exclusive lock on ``<database>.lock``, which every natotimeline
    writer takes: DuckDB's own lock is let go for a moment when a load
    swaps a rewritten file in (``natotimeline.swap``)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(database.with_name(database.name + ".lock"), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DatabaseBusy(f"database {database} {BUSY_RUN}") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def writer_lock(engine: Engine) -> Iterator[None]:
    """Hold the single-writer lock for a run.

    On DuckDB a lock file next to the database keeps a second run out (and
    DuckDB's own file lock any other writer); on PostgreSQL a session-level
    advisory lock does. A second run fails at once.
    """
    if engine.dialect.name != "postgresql":
        database = duckdb_file(engine.url)
        if database is None:
            yield
        else:
            with _file_lock(database):
                yield
        return
    conn = engine.connect()
    try:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_ID}).scalar()
        conn.commit()
        if not got:
            raise DatabaseBusy(f"database {safe_url(str(engine.url))} {BUSY_RUN}")
        yield
    finally:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_ID})
            conn.commit()
        finally:
            conn.close()


def alembic_config(connection: Connection | None = None, url: str | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resource_dir("alembic")))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, read without Alembic."""
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except SQLAlchemyError:
        return None


def migrate(engine: Engine, revision: str = "head") -> bool:
    """Move the schema to ``revision``: up to head by default, or down to an
    older revision, ``base`` or ``-N``. Returns whether Alembic ran.

    Upgrading a database already at head skips Alembic entirely, which keeps
    a scheduled run with nothing to do fast.
    """
    current = stored_revision(engine)
    if revision in ("head", SCHEMA_HEAD) and current == SCHEMA_HEAD:
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

    from . import alembic_duckdb  # noqa: F401  (registers the dialect with Alembic)

    older = bool(current) and revision != current and any(
        r.revision == revision
        for r in ScriptDirectory.from_config(alembic_config()).iterate_revisions(current, "base")
    )
    with engine.begin() as conn, _pandas_hidden():
        cfg = alembic_config(conn)
        if revision == "base" or revision.startswith("-") or older:
            command.downgrade(cfg, revision)
        else:
            command.upgrade(cfg, revision)
    return True


@contextmanager
def _pandas_hidden() -> Iterator[None]:
    """Make pandas look uninstalled unless it is already imported. DuckDB
    imports pandas, when it can, the first time it binds a parameter, and
    Alembic's table checks bind some: that import costs a first run about
    60 MiB for the whole run and 0.6 s, for nothing a migration uses.
    DuckDB binds parameters without pandas."""
    if "pandas" in sys.modules:
        yield
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("pandas") is None:
            del sys.modules["pandas"]


def current_revision(engine: Engine) -> str | None:
    return stored_revision(engine)


def execute_inline(conn: Connection, statement: Executable) -> CursorResult:
    """Run a statement with its values inlined: DuckDB imports pandas (about
    a second) to bind any parameter, which would dominate a run with nothing
    to do. Only for our own values (counts, times, messages, URIs), which the
    dialect quotes."""
    sql = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return conn.exec_driver_sql(str(sql).replace("%", "%%") if conn.dialect.name == "postgresql" else str(sql))
