"""The ``natotimeline`` command: a thin layer over the library."""

from __future__ import annotations

import functools
import json
import sys
from datetime import date
from pathlib import Path

import click

from . import __version__
from .db import DatabaseBusy, DatabaseError, resolve_url

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_BUSY = 75

DATABASE_HELP = "SQLAlchemy URL (default: $NATOTIMELINE_DATABASE_URL, else duckdb:///natotimeline.duckdb)."


def fail(message: str, code: int = EXIT_FAILURE) -> None:
    click.echo(f"natotimeline: error: {message}", err=True)
    sys.exit(code)


def database_errors(func):
    """Report database problems in one line with the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DatabaseBusy as exc:
            fail(str(exc), EXIT_BUSY)
        except DatabaseError as exc:
            fail(str(exc), EXIT_FAILURE)

    return wrapper


database_option = click.option("--database", "database", metavar="URL", help=DATABASE_HELP)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="natotimeline")
def main() -> None:
    """Turn news articles into an event timeline in DuckDB or PostgreSQL.

    Exit codes: 0 success, 1 failure, 2 usage error, 3 partial success
    (some input files rejected, the rest loaded), 75 database busy.
    """


class _Progress:
    """Prints a progress line to stderr about every tenth of a long run."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.last = -1

    def __call__(self, done: int, total: int, path: str) -> None:
        if self.quiet or total < 50:
            return
        step = done * 10 // total
        if step != self.last or done == total:
            self.last = step
            click.echo(f"reading {done}/{total} files", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@database_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line, not the timeline.")
@database_errors
def run(paths: tuple[Path, ...], database: str | None, quiet: bool) -> None:
    """Load the articles under PATHS (default: seeds/) and print the timeline."""
    from .pipeline import run as run_pipeline
    from .forked import StageDied
    from .query import timeline_rows
    from .report import format_summary, format_timeline

    url = resolve_url(database)
    try:
        summary = run_pipeline(paths or (Path("seeds"),), url, progress=_Progress(quiet))
    except StageDied as exc:
        fail(f"{exc}; nothing was loaded")
    for rejected in summary.rejected:
        click.echo(f"natotimeline: rejected {rejected}", err=True)
    click.echo(format_summary(summary))
    if not quiet:
        click.echo(format_timeline(timeline_rows(url)))
    loaded = summary.docs_new + summary.docs_changed + summary.docs_unchanged
    if summary.rejected:
        sys.exit(EXIT_PARTIAL if loaded else EXIT_FAILURE)


@main.command()
@database_option
@click.option("--revision", default="head", show_default=True, help="Target revision (e.g. head, base, -1).")
@database_errors
def migrate(database: str | None, revision: str) -> None:
    """Create or upgrade (or downgrade) the schema."""
    from .db import current_revision, writer_lock
    from .db import migrate as run_migrations
    from .pipeline import writer_engine

    engine = writer_engine(resolve_url(database))
    try:
        with writer_lock(engine):
            run_migrations(engine, revision)
        click.echo(f"schema at revision {current_revision(engine) or 'base'}")
    finally:
        engine.dispose()


@main.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--anchor", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date relative expressions resolve against (YYYY-MM-DD).")
def dates(file, anchor) -> None:
    """Print every date expression in FILE (or stdin) as JSON lines.

    Without --anchor, relative expressions resolve against the publication
    date found in the text itself (never today's date), else stay unresolved.
    """
    from .publication import infer_publication_date
    from .temporal import mention_to_json, tag_dates

    text = file.read()
    anchor_date: date | None = anchor.date() if anchor else infer_publication_date(text).value
    for mention in tag_dates(text, anchor_date):
        click.echo(json.dumps(mention_to_json(mention), ensure_ascii=False))


READER_DATABASE_HELP = DATABASE_HELP[:-1] + ", or the path of an analyst .duckdb file."
reader_database_option = click.option("--database", "database", metavar="URL|FILE", help=READER_DATABASE_HELP)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
    help="Output format.",
)


@main.command("export")
@click.option("--duckdb", "duckdb_path", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH",
              help="Write a self-contained DuckDB file (tables and views), replaced atomically.")
@click.option("--parquet", "parquet_dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="Write one Parquet file per view into DIR.")
@database_option
@database_errors
def export_command(duckdb_path: Path | None, parquet_dir: Path | None, database: str | None) -> None:
    """Copy the database for analysts: a DuckDB file and/or Parquet files.

    The copy is read from one snapshot of the database; a DuckDB file that a
    run is writing gives exit 75 (busy).
    """
    from .export import export_duckdb, export_parquet

    if not duckdb_path and not parquet_dir:
        fail("nothing to do: give --duckdb PATH and/or --parquet DIR", EXIT_USAGE)
    url = resolve_url(database)
    if duckdb_path:
        click.echo(export_duckdb(url, duckdb_path).describe())
    if parquet_dir:
        click.echo(export_parquet(url, parquet_dir).describe())


def _bound(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from .query import parse_bound

    if value is None:
        return None
    try:
        return parse_bound(value, end=param.name == "date_to")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@main.command("timeline")
@click.option("--from", "date_from", callback=_bound, metavar="DATE",
              help="Events on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", callback=_bound, metavar="DATE",
              help="Events on or before DATE (a month or year means its last day).")
@click.option("--actor", metavar="NAME", help="Events with an actor whose name or alias contains NAME.")
@format_option
@reader_database_option
@database_errors
def timeline_command(
    date_from: date | None, date_to: date | None, actor: str | None, fmt: str, database: str | None
) -> None:
    """Print the timeline (the v_timeline view), read-only."""
    from .query import TABLE_COLUMNS, format_rows, timeline_table

    rows = timeline_table(resolve_url(database), date_from, date_to, actor)
    click.echo(format_rows(rows, fmt, TABLE_COLUMNS))


@main.command("sql")
@click.argument("statement", metavar="SQL")
@format_option
@reader_database_option
@database_errors
def sql_command(statement: str, fmt: str, database: str | None) -> None:
    """Run one read-only SQL statement and print its rows.

    Example: natotimeline sql "SELECT actor, n_events FROM v_actors ORDER BY n_events DESC"
    """
    from .query import format_rows, sql_rows

    click.echo(format_rows(sql_rows(resolve_url(database), statement), fmt))


if __name__ == "__main__":
    main()
