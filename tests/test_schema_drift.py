"""The models and the migrations describe the same schema (Alembic autogenerate on PostgreSQL)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from natotimeline.db import make_engine, migrate
from natotimeline.models import Base
from natotimeline.views import view_names


def _not_a_view(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in view_names())


@pytest.mark.postgres
def test_models_match_migrations_on_postgres(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={"compare_type": True, "compare_server_default": False, "include_object": _not_a_view},
            )
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
