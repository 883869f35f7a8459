"""Load stage: make the content tables hold exactly the desired rows.

Rows carry stable keys, so loading is a diff by key: new keys are inserted,
rows whose values changed are updated, keys no longer wanted are deleted.
Parents are written before children and children deleted before parents,
so PostgreSQL's foreign keys hold at every statement. Re-loading the same
rows writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, bindparam, delete, select, update
from sqlalchemy import types as sqltypes

from .models import Base
from .rows import CHILD_TABLES, PARENT_TABLES, Rows

_ARROW_TYPES = [
    (sqltypes.Boolean, "bool_"),
    (sqltypes.DateTime, "timestamp"),
    (sqltypes.Date, "date32"),
    (sqltypes.Float, "float64"),
    (sqltypes.Integer, "int64"),
    (sqltypes.String, "string"),
]


@dataclass
class LoadStats:
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values()) or any(self.deleted.values())


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def _arrow_type(column_type: sqltypes.TypeEngine):
    import pyarrow as pa

    for sql_type, name in _ARROW_TYPES:
        if isinstance(column_type, sql_type):
            return pa.timestamp("us") if name == "timestamp" else getattr(pa, name)()
    return pa.string()


def insert_rows(conn: Connection, name: str, rows: list[dict]) -> None:
    """Bulk insert; on DuckDB through an Arrow table, which is far faster."""
    if not rows:
        return
    tbl = table(name)
    columns = [c.name for c in tbl.columns if c.name in rows[0]]
    if conn.dialect.name == "duckdb":
        import pyarrow as pa

        schema = pa.schema([(c, _arrow_type(tbl.c[c].type)) for c in columns])
        data = pa.table({c: [r[c] for r in rows] for c in columns}, schema=schema)
        raw = conn.connection.driver_connection
        view = f"_natotimeline_load_{name}"
        raw.register(view, data)
        try:
            cols = ", ".join(columns)
            conn.exec_driver_sql(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {view}")
        finally:
            raw.unregister(view)
        return
    conn.execute(tbl.insert(), rows)


def _existing(conn: Connection, name: str, columns: list[str]) -> dict[str, tuple]:
    tbl = table(name)
    result = conn.execute(select(*(tbl.c[c] for c in columns)))
    return {row[0]: tuple(row) for row in result}


_NOT_COMPARED = {"sources": {"extract_json"}}
"""Columns left out of the diff: a source's stored extraction is a function
of its sha256 and parser_version, which are compared, and reading every
source's extraction back would double a run's memory."""


def _diff(conn: Connection, name: str, rows: list[dict]) -> tuple[list[dict], list[dict], set[str]]:
    skip = _NOT_COMPARED.get(name, set())
    columns = [c.name for c in table(name).columns if c.name not in skip]
    have = _existing(conn, name, columns)
    inserts, updates = [], []
    wanted = set()
    for row in rows:
        wanted.add(row["id"])
        old = have.get(row["id"])
        if old is None:
            inserts.append(row)
        elif old != tuple(row.get(c) for c in columns):
            updates.append(row)
    return inserts, updates, set(have) - wanted


def apply_rows(conn: Connection, desired: Rows, *, prune: bool = True) -> LoadStats:
    """Write ``desired`` into the content tables inside the caller's transaction."""
    stats = LoadStats()
    plans = {name: _diff(conn, name, desired.get(name, [])) for name in PARENT_TABLES + CHILD_TABLES}
    for name in PARENT_TABLES + CHILD_TABLES:
        inserts, updates, _ = plans[name]
        insert_rows(conn, name, inserts)
        if updates:
            tbl = table(name)
            values = {c.name: bindparam(f"v_{c.name}") for c in tbl.columns if c.name != "id"}
            stmt = update(tbl).where(tbl.c.id == bindparam("v_id")).values(**values)
            conn.execute(stmt, [{f"v_{k}": v for k, v in row.items()} for row in updates])
        stats.inserted[name] = len(inserts)
        stats.updated[name] = len(updates)
    for name in CHILD_TABLES + PARENT_TABLES:
        _, _, gone = plans[name]
        if name == "sources" or not prune:
            gone = set()
        if gone:
            tbl = table(name)
            ids = sorted(gone)
            for i in range(0, len(ids), 1000):
                conn.execute(delete(tbl).where(tbl.c.id.in_(ids[i : i + 1000])))
        stats.deleted[name] = len(gone)
    return stats
