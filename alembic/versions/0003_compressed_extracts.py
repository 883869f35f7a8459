"""Store each source's extraction zlib-compressed (sources.extract).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

The stored extraction is a cache that lets a run reconcile unchanged
sources without parsing them again. As JSON text it was the largest column
of the database and most of what a first load held in memory; compressed it
is about a quarter of the size. The data is converted both ways.

PostgreSQL adds the new column, fills it and drops the old one. DuckDB
cannot update a table it altered in the same transaction, so there the
column changes type in place, converted by a Python function registered for
the duration of the migration.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 500


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def _convert_in_place(old: str, new: str, sql_type: str, fn: Callable, arg_type: str) -> None:
    raw = op.get_bind().connection.driver_connection
    raw.create_function("natotimeline_convert", fn, [arg_type], sql_type)
    try:
        op.execute(f"ALTER TABLE sources ALTER COLUMN {old} SET DATA TYPE {sql_type} USING natotimeline_convert({old})")
        op.execute(f"ALTER TABLE sources RENAME COLUMN {old} TO {new}")
    finally:
        raw.remove_function("natotimeline_convert")


def _convert_by_copy(old: str, new: str, type_: sa.types.TypeEngine, fn: Callable) -> None:
    bind = op.get_bind()
    op.add_column("sources", sa.Column(new, type_))
    sources = sa.table("sources", sa.column("id", sa.String), sa.column(old), sa.column(new))
    last = ""
    while page := bind.execute(
        sa.select(sources.c.id, sources.c[old]).where(sources.c.id > last).order_by(sources.c.id).limit(_BATCH)
    ).all():
        bind.execute(
            sa.update(sources).where(sources.c.id == sa.bindparam("key")).values({new: sa.bindparam("value")}),
            [{"key": key, "value": fn(value)} for key, value in page],
        )
        last = page[-1][0]
    op.alter_column("sources", new, existing_type=type_, nullable=False)
    op.drop_column("sources", old)


def upgrade() -> None:
    if op.get_bind().dialect.name == "duckdb":
        _convert_in_place("extract_json", "extract", "BLOB", _pack, "VARCHAR")
    else:
        _convert_by_copy("extract_json", "extract", sa.LargeBinary(), _pack)


def downgrade() -> None:
    if op.get_bind().dialect.name == "duckdb":
        _convert_in_place("extract", "extract_json", "VARCHAR", _unpack, "BLOB")
    else:
        _convert_by_copy("extract", "extract_json", sa.Text(), lambda blob: _unpack(bytes(blob)))
