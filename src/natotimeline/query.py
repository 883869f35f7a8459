"""Read-only queries the CLI prints."""

from __future__ import annotations

from sqlalchemy import text

from .db import make_engine

TIMELINE_SQL = """
SELECT e.date_value, e.date_precision, e.event_type, e.title, e.location,
       COUNT(DISTINCT m.source_id) AS n_sources
FROM events e LEFT JOIN event_mentions m ON m.event_id = e.id
GROUP BY e.id, e.date_value, e.date_start, e.date_precision, e.event_type, e.title, e.location
ORDER BY e.date_start NULLS LAST, e.date_value, e.title
"""


def timeline_rows(url: str) -> list[dict]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(TIMELINE_SQL))]
    finally:
        engine.dispose()
