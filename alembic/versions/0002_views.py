"""The analytic views (sql/v_*.sql).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The views are defined by the SQL files shipped with the code; every ETL run
re-creates them too, so a database always has the current definitions.
"""

from __future__ import annotations

from alembic import op

from natotimeline.views import create_views, drop_views

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_views(op.get_bind())


def downgrade() -> None:
    drop_views(op.get_bind())
