"""Remember which events and claims each source's rows point to (sources.links_key).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

A run with changes re-reconciles every source, but a stored source whose
mentions and figures still join the same events and claims needs no new
rows. ``links_key`` is a hash of those links; a run rebuilds a stored
source's rows only when it differs. NULL (a database migrated from 0003)
means "unknown": the source's rows are rebuilt once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("links_key", sa.String(20)))


def downgrade() -> None:
    op.drop_column("sources", "links_key")
