"""The relational schema as SQLAlchemy 2 typed models.

The tables are created by the Alembic migrations, never by ``create_all``;
these models document them and drive the drift check (autogenerate against
PostgreSQL). Content rows use short content-hash keys (``String(20)``) so a
re-run produces the same keys; the two log tables use integer sequences.

Foreign keys are declared here and created on PostgreSQL. On DuckDB the
migration leaves them out: DuckDB cannot delete a referenced row in the same
transaction that deletes its referencing rows, which the incremental load
needs; the loader keeps references whole and a test checks for orphans.
The columns declared ``index=True`` have no index on DuckDB either (migration
0005): DuckDB would hold the indexes in memory, and its scans do not use them.
Nor are the content keys and unique columns indexed there (migration 0007):
each content table's primary key on DuckDB is a number the load gives each
row it inserts (``load.ROW_NO``, not a model column), so that a run's new keys
go to one end of DuckDB's key index, and the load keeps ``id`` unique.

Every content table ends with ``digest``, a hash of the values the load
compares (``load.row_digest``): telling which staged rows changed reads the
key and the digest, not whole rows. Rows written before migration 0006 have
none, and a load that stages them writes them again once. Whatever changes a
compared column outside the load must set ``digest`` to NULL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    LargeBinary,
    Sequence,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

KEY = String(20)

PARENT_TABLES = ("sources", "actors", "events", "figure_claims")
CHILD_TABLES = ("actor_aliases", "event_actors", "event_mentions", "figures")
CONTENT_TABLES = PARENT_TABLES + CHILD_TABLES
"""The content tables, parents (referenced) before children (referencing)."""


class Base(DeclarativeBase):
    pass


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    uri: Mapped[str] = mapped_column(Text, unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    publisher_evidence: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    published_on_basis: Mapped[str] = mapped_column(String(16))
    published_on_evidence: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    parser_version: Mapped[str] = mapped_column(String(16))
    n_chars: Mapped[int] = mapped_column(Integer)
    extract: Mapped[bytes] = mapped_column(LargeBinary, info={"follows": ("sha256", "parser_version")})
    """The document's extraction (``serialise.pack``), made again only when
    its text or the parser changes: the load compares those, not the blob."""
    links_key: Mapped[str | None] = mapped_column(String(20))
    digest: Mapped[int | None] = mapped_column(BigInteger)


class Event(Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    event_type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    date_value: Mapped[str | None] = mapped_column(String(32))
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16))
    location: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[int | None] = mapped_column(BigInteger)


class EventMention(Base):
    __tablename__ = "event_mentions"

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    event_id: Mapped[str] = mapped_column(KEY, ForeignKey("events.id"), index=True)
    source_id: Mapped[str] = mapped_column(KEY, ForeignKey("sources.id"), index=True)
    event_type: Mapped[str] = mapped_column(String(32))
    sentence: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    date_expression: Mapped[str] = mapped_column(Text)
    date_char_start: Mapped[int] = mapped_column(Integer)
    date_char_end: Mapped[int] = mapped_column(Integer)
    date_value: Mapped[str | None] = mapped_column(String(32))
    date_precision: Mapped[str] = mapped_column(String(16))
    digest: Mapped[int | None] = mapped_column(BigInteger)


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    actor_type: Mapped[str] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[int | None] = mapped_column(BigInteger)


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    actor_id: Mapped[str] = mapped_column(KEY, ForeignKey("actors.id"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    digest: Mapped[int | None] = mapped_column(BigInteger)


class EventActor(Base):
    __tablename__ = "event_actors"
    __table_args__ = (UniqueConstraint("event_id", "actor_id", "role"),)

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    event_id: Mapped[str] = mapped_column(KEY, ForeignKey("events.id"), index=True)
    actor_id: Mapped[str] = mapped_column(KEY, ForeignKey("actors.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    digest: Mapped[int | None] = mapped_column(BigInteger)


class FigureClaim(Base):
    __tablename__ = "figure_claims"

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    metric: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str | None] = mapped_column(String(3))
    n_sources: Mapped[int] = mapped_column(Integer)
    consistent: Mapped[bool] = mapped_column(Boolean)
    digest: Mapped[int | None] = mapped_column(BigInteger)


class Figure(Base):
    __tablename__ = "figures"

    id: Mapped[str] = mapped_column(KEY, primary_key=True)
    source_id: Mapped[str] = mapped_column(KEY, ForeignKey("sources.id"), index=True)
    event_id: Mapped[str | None] = mapped_column(KEY, ForeignKey("events.id"))
    claim_id: Mapped[str] = mapped_column(KEY, ForeignKey("figure_claims.id"), index=True)
    subject_actor_id: Mapped[str | None] = mapped_column(KEY, ForeignKey("actors.id"))
    metric: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Double)
    unit: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str | None] = mapped_column(String(3))
    alt_value: Mapped[float | None] = mapped_column(Double)
    alt_currency: Mapped[str | None] = mapped_column(String(3))
    qualifier: Mapped[str | None] = mapped_column(String(16))
    expression: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    digest: Mapped[int | None] = mapped_column(BigInteger)


RUN_ID = Sequence("etl_runs_id_seq")
ERROR_ID = Sequence("ingest_errors_id_seq")


class EtlRun(Base):
    __tablename__ = "etl_runs"

    id: Mapped[int] = mapped_column(Integer, RUN_ID, primary_key=True, server_default=RUN_ID.next_value())
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    parser_version: Mapped[str] = mapped_column(String(16))
    docs_new: Mapped[int] = mapped_column(Integer, default=0)
    docs_changed: Mapped[int] = mapped_column(Integer, default=0)
    docs_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    docs_rejected: Mapped[int] = mapped_column(Integer, default=0)
    n_events: Mapped[int] = mapped_column(Integer, default=0)
    n_actors: Mapped[int] = mapped_column(Integer, default=0)
    n_figures: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)


class IngestError(Base):
    __tablename__ = "ingest_errors"

    id: Mapped[int] = mapped_column(
        Integer, ERROR_ID, primary_key=True, server_default=ERROR_ID.next_value()
    )
    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("etl_runs.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
