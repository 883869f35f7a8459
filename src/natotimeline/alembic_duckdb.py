"""Registers DuckDB with Alembic, which otherwise fails with KeyError: 'duckdb'."""

from __future__ import annotations

from alembic.ddl.impl import DefaultImpl


class DuckDBImpl(DefaultImpl):
    __dialect__ = "duckdb"
    transactional_ddl = True
