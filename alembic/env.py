"""Alembic environment: runs on the connection natotimeline hands it, or on
the URL from ``-x url=...``, ``sqlalchemy.url`` or NATOTIMELINE_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from natotimeline import alembic_duckdb  # noqa: F401  (registers DuckDB with Alembic)
from natotimeline.db import resolve_url
from natotimeline.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or resolve_url(
        config.get_main_option("sqlalchemy.url")
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
