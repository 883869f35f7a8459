"""DuckDB files keep no secondary indexes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

DuckDB holds every index it has loaded in memory (an adaptive radix tree per
index) for as long as the file is open, and a run that writes a table loads
its indexes: the indexes on foreign-key columns took 5.2 of the 9.5 MiB of
index memory after a first run of 8000 documents, growing with the corpus.
DuckDB's joins and scans do not use them (only point lookups do), so on
DuckDB they are dropped; PostgreSQL keeps them for its joins. Primary keys
and unique constraints stay everywhere.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("event_mentions", "event_id"),
    ("event_mentions", "source_id"),
    ("actor_aliases", "actor_id"),
    ("event_actors", "event_id"),
    ("event_actors", "actor_id"),
    ("figures", "source_id"),
    ("figures", "claim_id"),
    ("ingest_errors", "run_id"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "duckdb":
        for table, column in INDEXES:
            op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    if op.get_bind().dialect.name == "duckdb":
        for table, column in INDEXES:
            op.create_index(f"ix_{table}_{column}", table, [column])
