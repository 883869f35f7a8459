"""Read-only access for the CLI readers and analysts: the timeline and ad hoc SQL.

Every reader accepts a SQLAlchemy URL or a plain path to a DuckDB file (an
analyst file made by ``natotimeline export``). DuckDB files are opened
read-only, so several readers can share a file; PostgreSQL transactions are
read-only.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from .db import DatabaseError, describe_error, make_engine

FORMATS = ("table", "csv", "json")
TABLE_COLUMNS = (
    "date_start", "date_end", "date_precision", "event_type", "title", "location", "actors", "n_sources",
)

TIMELINE_ORDER = 'ORDER BY date_start NULLS LAST, date_end NULLS LAST, title COLLATE "C", event_id'

_ACTOR_MATCH = """EXISTS (
    SELECT 1 FROM event_actors ea
    JOIN actors a ON a.id = ea.actor_id
    LEFT JOIN actor_aliases al ON al.actor_id = a.id
    WHERE ea.event_id = v_timeline.event_id
      AND (LOWER(a.name) LIKE :actor OR LOWER(al.alias) LIKE :actor)
)"""

_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Rows:
    """A result without pandas (the CLI prints these; importing pandas is slow)."""

    columns: list[str]
    rows: list[tuple]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=self.columns)


class QueryError(DatabaseError):
    """A reader's SQL failed (syntax error, unknown table, write attempted)."""


def reader_url(url_or_path: str) -> str:
    """A URL as given, or ``duckdb:///PATH`` for a plain path to a DuckDB file."""
    if "://" in url_or_path:
        return url_or_path
    return f"duckdb:///{url_or_path}"


@contextmanager
def read_only(url_or_path: str) -> Iterator[Connection]:
    """A read-only connection; DatabaseBusy at once when a writer holds a DuckDB file."""
    url = reader_url(url_or_path)
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
    except SQLAlchemyError as exc:
        raise describe_error(url, exc) from exc
    finally:
        engine.dispose()


def _fetch(conn: Connection, sql: str, params: Mapping[str, Any] | None = None) -> Rows:
    try:
        result = conn.execute(text(sql), dict(params or {}))
        if not result.returns_rows:
            return Rows([], [])
        return Rows(list(result.keys()), [tuple(r) for r in result])
    except SQLAlchemyError as exc:
        message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise QueryError(f"query failed: {message}") from exc


def sql_rows(url: str, sql: str) -> Rows:
    """Run one read-only statement; writes fail with QueryError."""
    with read_only(url) as conn:
        return _fetch(conn, sql.strip().rstrip(";"))


def run_sql(url: str, sql: str) -> pd.DataFrame:
    """Run one read-only statement; writes fail with QueryError."""
    return sql_rows(url, sql).frame()


def parse_bound(value: str, *, end: bool = False) -> date:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a month or year gives its first
    day, or its last day when ``end``."""
    m = _BOUND.match(value.strip())
    if not m:
        raise ValueError(f"not a date (YYYY-MM-DD, YYYY-MM or YYYY): {value!r}")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        return date(year, int(month), int(day))
    if month:
        last = calendar.monthrange(year, int(month))[1]
        return date(year, int(month), last if end else 1)
    return date(year, 12, 31) if end else date(year, 1, 1)


def timeline(
    url: str,
    date_from: date | None = None,
    date_to: date | None = None,
    actor: str | None = None,
) -> pd.DataFrame:
    """Rows of ``v_timeline`` in date order (see ``timeline_table``)."""
    return timeline_table(url, date_from, date_to, actor).frame()


def timeline_table(
    url: str,
    date_from: date | None = None,
    date_to: date | None = None,
    actor: str | None = None,
) -> Rows:
    """Rows of ``v_timeline`` in date order.

    ``date_from``/``date_to`` keep events whose dates overlap the range
    (undated events drop out when either is given); ``actor`` keeps events
    with an actor whose name or alias contains it (case-insensitive).
    """
    where, params = [], {}
    if date_from is not None:
        where.append("COALESCE(date_end, date_start) >= :date_from")
        params["date_from"] = date_from
    if date_to is not None:
        where.append("date_start <= :date_to")
        params["date_to"] = date_to
    if actor:
        where.append(_ACTOR_MATCH)
        params["actor"] = f"%{actor.lower()}%"
    sql = "SELECT * FROM v_timeline"
    if where:
        sql += " WHERE " + " AND ".join(where)
    with read_only(url) as conn:
        return _fetch(conn, f"{sql} {TIMELINE_ORDER}", params)


def timeline_rows(url: str) -> list[dict]:
    """The timeline as dicts, for ``run``'s printout."""
    return _records(timeline_table(url))


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _records(table: Rows) -> list[dict]:
    return [{c: _plain(v) for c, v in zip(table.columns, row, strict=True)} for row in table.rows]


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _from_frame(df: pd.DataFrame) -> Rows:
    clean = df.astype(object).where(df.notna(), None)
    return Rows([str(c) for c in df.columns], [tuple(r) for r in clean.itertuples(index=False, name=None)])


def format_rows(table: Rows | pd.DataFrame, fmt: str, columns: Sequence[str] | None = None) -> str:
    """Render rows as an aligned table, CSV (with header) or JSON (one array).

    ``columns`` narrows the table format only; CSV and JSON carry every column.
    """
    if not isinstance(table, Rows):
        table = _from_frame(table)
    if fmt == "json":
        return json.dumps(_records(table), ensure_ascii=False, default=_json_default, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows([_text(v) for v in row] for row in table.rows)
        return out.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not table.columns:
        return "(no result)"
    keep = [i for i, c in enumerate(table.columns) if not columns or c in columns]
    header = [table.columns[i] for i in keep]
    if not table.rows:
        return "  ".join(header) + "\n(no rows)"
    cells = [[_cell(row[i]) for i in keep] for row in table.rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells)
    return "\n".join(lines)



def _cell(value: Any, width: int = 60) -> str:
    s = " ".join(_text(value).split())
    return s if len(s) <= width else s[: width - 1] + "\u2026"
