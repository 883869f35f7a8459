"""Every content row keeps a digest of the values the load compares.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

To tell which staged rows changed, the load compared every column of the
stored rows with the staged ones. DuckDB reads whole columns for that,
whatever the number of rows staged: a run with 1% of 32,000 documents
changed read the text of all 230,000 stored figures to compare 2,300 of
them. With ``digest`` (``load.row_digest``) it reads the key and the
digest. Existing rows get NULL, which never equals a staged digest: a load
that stages such a row writes it again once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("sources", "actors", "events", "figure_claims", "actor_aliases", "event_actors", "event_mentions", "figures")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("digest", sa.BigInteger()))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "digest")
