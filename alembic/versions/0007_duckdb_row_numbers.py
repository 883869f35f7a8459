"""DuckDB content tables are keyed by an increasing row number, not by their content keys.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

DuckDB holds a key index (an adaptive radix tree) in memory once a statement
loads it, and a run that changes a few sources inserts keys spread over the
whole of each index, so it loads every block of it. On a table of 448,000
figure-like rows keyed by a 20-hex-digit hash, a 1% change loaded 28.8 MiB
of index, and the index was half of the 50 MB file. Keyed by an increasing
number, the new keys all go to one end of the index: the same change held
4.5 MiB, and the file was 25 MB. A run with 1% of 64,000 generated documents
changed peaked 17 MiB lower, and the file was 21% smaller.

So on DuckDB each content table is rebuilt with ``row_no BIGINT PRIMARY KEY``
as its last column: here a row gets its DuckDB row id plus one, and later
whatever inserts it numbers it (``load.insert_rows``: one more than the
largest). ``id`` and the unique constraints stay as plain columns, kept
unique by the load (rows are merged by ``id``, and a key is spooled once).
The numbers do not come from a sequence: DuckDB fails to commit a table that
depends on a sequence created in the same transaction, if one of that name
was dropped earlier in the same process, as migrating down and up again
does. A table without any index is no answer: DuckDB then writes a load's
rows to the file as they come and merges row groups at each checkpoint,
which cost a first run of 64,000 documents 86 MiB more (2026-11-24).
PostgreSQL keeps its keys, which it does not hold in memory.

Rebuilding writes every row again, in one transaction, in row groups of
the size the file is attached with. Run it through ``natotimeline migrate``
or a run, which open the file as a run does (``pipeline.writer_engine``),
not through plain DuckDB. On the file of 64,000 documents it took 16.7 s
and peaked at 279 MiB (1.2 GiB with DuckDB's default memory limit). The file
does not shrink: it grew from 495 to 818 MB, and later runs reuse the space
(after another 64,000 documents it was 817 MB, and 940 MB unmigrated).
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ROW_NO = "row_no"

UNIQUE = {
    "sources": (("id",), ("uri",)),
    "actors": (("id",), ("name",)),
    "events": (("id",),),
    "figure_claims": (("id",),),
    "actor_aliases": (("id",), ("actor_id", "alias")),
    "event_actors": (("id",), ("event_id", "actor_id", "role")),
    "event_mentions": (("id",),),
    "figures": (("id",),),
}
"""Each content table's primary key first, then its unique constraints, as revision 0006 has them."""


def _columns(table: str) -> list[tuple[str, str]]:
    """``table``'s columns but the row number, in order, each as (name, DuckDB definition)."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
        "WHERE table_name = ? AND schema_name = current_schema() ORDER BY column_index",
        (table,),
    ).all()
    return [(name, f"{name} {type_}" + ("" if nullable else " NOT NULL")
             + (f" DEFAULT {default}" if default is not None else ""))
            for name, type_, nullable, default in rows if name != ROW_NO]


def _rebuild(table: str, constraints: list[str], numbered: bool) -> None:
    """``table`` with the same rows and columns but the row number, which
    it gets (from its DuckDB row id) if ``numbered``, and ``constraints``."""
    columns = _columns(table)
    definitions = [definition for _, definition in columns]
    inserted = selected = ", ".join(name for name, _ in columns)
    if numbered:
        definitions.append(f"{ROW_NO} BIGINT NOT NULL")
        inserted += f", {ROW_NO}"
        selected += ", rowid + 1"
    old = f"_natotimeline_old_{table}"
    op.execute(f"ALTER TABLE {table} RENAME TO {old}")
    op.execute(f"CREATE TABLE {table} ({', '.join(definitions + constraints)})")
    op.execute(f"INSERT INTO {table} ({inserted}) SELECT {selected} FROM {old}")
    op.execute(f"DROP TABLE {old}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "duckdb":
        return
    for table in UNIQUE:
        _rebuild(table, [f"PRIMARY KEY ({ROW_NO})"], numbered=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "duckdb":
        return
    for table, (key, *unique) in UNIQUE.items():
        _rebuild(table, [f"PRIMARY KEY ({', '.join(key)})", *(f"UNIQUE ({', '.join(u)})" for u in unique)],
                 numbered=False)
