"""Sources, events, actors, figures, and the run log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Foreign keys are created everywhere but on DuckDB, which cannot delete a
referenced row in the transaction that deletes its references (see
natotimeline.models).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

KEY = sa.String(20)


def _fks(*constraints: tuple[str, str]) -> list[sa.ForeignKeyConstraint]:
    if op.get_bind().dialect.name == "duckdb":
        return []
    return [sa.ForeignKeyConstraint([column], [target]) for column, target in constraints]


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{columns[0]}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("uri", sa.Text, nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("publisher_evidence", sa.Text),
        sa.Column("published_on", sa.Date),
        sa.Column("published_on_basis", sa.String(16), nullable=False),
        sa.Column("published_on_evidence", sa.Text),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("parser_version", sa.String(16), nullable=False),
        sa.Column("n_chars", sa.Integer, nullable=False),
        sa.Column("extract_json", sa.Text, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date_value", sa.String(32)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(16), nullable=False),
        sa.Column("location", sa.Text),
    )
    op.create_table(
        "actors",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("actor_type", sa.String(16), nullable=False),
        sa.Column("role", sa.Text),
    )
    op.create_table(
        "event_mentions",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("event_id", KEY, nullable=False),
        sa.Column("source_id", KEY, nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("date_expression", sa.Text, nullable=False),
        sa.Column("date_char_start", sa.Integer, nullable=False),
        sa.Column("date_char_end", sa.Integer, nullable=False),
        sa.Column("date_value", sa.String(32)),
        sa.Column("date_precision", sa.String(16), nullable=False),
        *_fks(("event_id", "events.id"), ("source_id", "sources.id")),
    )
    _index("event_mentions", "event_id")
    _index("event_mentions", "source_id")
    op.create_table(
        "actor_aliases",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("actor_id", KEY, nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.UniqueConstraint("actor_id", "alias"),
        *_fks(("actor_id", "actors.id")),
    )
    _index("actor_aliases", "actor_id")
    op.create_table(
        "event_actors",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("event_id", KEY, nullable=False),
        sa.Column("actor_id", KEY, nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.UniqueConstraint("event_id", "actor_id", "role"),
        *_fks(("event_id", "events.id"), ("actor_id", "actors.id")),
    )
    _index("event_actors", "event_id")
    _index("event_actors", "actor_id")
    op.create_table(
        "figure_claims",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("period", sa.String(32)),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3)),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("consistent", sa.Boolean, nullable=False),
    )
    op.create_table(
        "figures",
        sa.Column("id", KEY, primary_key=True),
        sa.Column("source_id", KEY, nullable=False),
        sa.Column("event_id", KEY),
        sa.Column("claim_id", KEY, nullable=False),
        sa.Column("subject_actor_id", KEY),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("subject", sa.Text),
        sa.Column("period", sa.String(32)),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3)),
        sa.Column("alt_value", sa.Double),
        sa.Column("alt_currency", sa.String(3)),
        sa.Column("qualifier", sa.String(16)),
        sa.Column("expression", sa.Text, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("sentence_start", sa.Integer, nullable=False),
        sa.Column("sentence_end", sa.Integer, nullable=False),
        *_fks(
            ("source_id", "sources.id"),
            ("event_id", "events.id"),
            ("claim_id", "figure_claims.id"),
            ("subject_actor_id", "actors.id"),
        ),
    )
    _index("figures", "source_id")
    _index("figures", "claim_id")
    op.execute(sa.schema.CreateSequence(sa.Sequence("etl_runs_id_seq")))
    op.execute(sa.schema.CreateSequence(sa.Sequence("ingest_errors_id_seq")))
    op.create_table(
        "etl_runs",
        sa.Column(
            "id",
            sa.Integer,
            primary_key=True,
            server_default=sa.text("nextval('etl_runs_id_seq')"),
        ),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("parser_version", sa.String(16), nullable=False),
        sa.Column("docs_new", sa.Integer, nullable=False),
        sa.Column("docs_changed", sa.Integer, nullable=False),
        sa.Column("docs_unchanged", sa.Integer, nullable=False),
        sa.Column("docs_rejected", sa.Integer, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("n_actors", sa.Integer, nullable=False),
        sa.Column("n_figures", sa.Integer, nullable=False),
        sa.Column("message", sa.Text),
    )
    op.create_table(
        "ingest_errors",
        sa.Column(
            "id",
            sa.Integer,
            primary_key=True,
            server_default=sa.text("nextval('ingest_errors_id_seq')"),
        ),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        *_fks(("run_id", "etl_runs.id")),
    )
    _index("ingest_errors", "run_id")


def downgrade() -> None:
    for table in (
        "ingest_errors",
        "etl_runs",
        "figures",
        "figure_claims",
        "event_actors",
        "actor_aliases",
        "event_mentions",
        "actors",
        "events",
        "sources",
    ):
        op.drop_table(table)
    op.execute(sa.schema.DropSequence(sa.Sequence("ingest_errors_id_seq")))
    op.execute(sa.schema.DropSequence(sa.Sequence("etl_runs_id_seq")))
