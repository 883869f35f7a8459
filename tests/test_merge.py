"""The load stage's merge by key: exact insert/update/delete counts, values
that survive the spool (dates, times, floats, bytes, quotes, newlines), on
DuckDB and PostgreSQL."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Date, DateTime, Double, Integer

from natotimeline.db import make_engine, migrate
from natotimeline.load import apply_rows, merge_spool, row_digest
from natotimeline.spool import RowSpool

from dbdump import dump


def _load(url: str, rows: dict, **kwargs) -> dict:
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            stats = apply_rows(conn, rows, **kwargs)
    finally:
        engine.dispose()
    return {"inserted": stats.inserted, "updated": stats.updated, "deleted": stats.deleted}


def _blobs(rows: list[tuple]) -> set[bytes]:
    """The binary values of dumped rows."""
    return {bytes(v) for row in rows for v in row if isinstance(v, bytes | memoryview)}


def _changed(dataset: dict) -> dict:
    rows = copy.deepcopy(dataset)
    rows["events"][0]["title"] = "A new title, with \"quotes\"\nand a newline"
    rows["figures"][0]["value"] = 0.1 + 0.2
    del rows["figures"][-1]
    rows["sources"][0]["extract"] = bytes(range(256))
    rows["sources"][0]["sha256"] = "0" * 64  # an extraction is made again only for new text or a new parser
    return rows


def _merge_counts(url: str, dataset: dict) -> None:
    first = _load(url, dataset)
    assert first["inserted"] == {name: len(rows) for name, rows in dataset.items()}
    again = _load(url, dataset)
    assert not any(again["inserted"].values()) and not any(again["updated"].values())
    assert not any(again["deleted"].values())

    changed = _changed(dataset)
    counts = _load(url, changed)
    assert {k: v for k, v in counts["updated"].items() if v} == {"events": 1, "figures": 1, "sources": 1}
    assert {k: v for k, v in counts["deleted"].items() if v} == {"figures": 1}
    assert not any(counts["inserted"].values())
    stored = dump(url)
    by_id = {row[0]: row for row in stored["events"]}
    assert changed["events"][0]["title"] in by_id[changed["events"][0]["id"]]
    assert any(0.1 + 0.2 in row for row in stored["figures"])
    assert bytes(range(256)) in _blobs(stored["sources"])


def test_merge_counts_and_values_duckdb(duckdb_url: str, views_dataset: dict) -> None:
    _merge_counts(duckdb_url, views_dataset)


@pytest.mark.postgres
def test_merge_counts_and_values_postgres(pg_url: str, views_dataset: dict) -> None:
    _merge_counts(pg_url, views_dataset)


def test_a_sources_rows_are_replaced_only_when_it_is_staged(duckdb_url: str, views_dataset: dict) -> None:
    _load(duckdb_url, views_dataset)
    first = views_dataset["sources"][0]["id"]
    rows = {name: items for name, items in views_dataset.items() if name not in ("event_mentions", "figures")}
    rows["sources"] = [views_dataset["sources"][0]]
    counts = _load(duckdb_url, rows)
    assert counts["deleted"]["sources"] == 0
    assert counts["deleted"]["figures"] == sum(f["source_id"] == first for f in views_dataset["figures"]) > 0
    assert counts["deleted"]["event_mentions"] == sum(m["source_id"] == first for m in views_dataset["event_mentions"]) > 0
    stored = dump(duckdb_url)
    assert len(stored["sources"]) == len(views_dataset["sources"])
    assert {row[1] for row in stored["figures"]} == {f["source_id"] for f in views_dataset["figures"]} - {first}


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, location=st.none() | _TEXT, day=st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_any_text_and_date_round_trip_through_the_spool(
    tmp_path_factory: pytest.TempPathFactory, title: str, location: str | None, day: date
) -> None:
    url = f"duckdb:///{tmp_path_factory.mktemp('merge') / 'm.duckdb'}"
    row = {"id": "e1", "event_type": "meeting", "title": title, "date_value": day.isoformat(),
           "date_start": day, "date_end": day, "date_precision": "day", "location": location}
    _load(url, {"events": [row]}, prune=False)
    assert dump(url)["events"] == [("e1", "meeting", title, day.isoformat(), day, day, "day", location,
                                    row_digest("events", row))]


def test_timestamps_keep_microseconds(duckdb_url: str, views_dataset: dict) -> None:
    rows = copy.deepcopy(views_dataset)
    moment = datetime(2026, 11, 24, 1, 2, 3, 456789)
    rows["sources"][0]["ingested_at"] = moment
    _load(duckdb_url, rows)
    assert any(moment in row for row in dump(duckdb_url)["sources"])


def _extraction_alone(url: str, dataset: dict) -> None:
    _load(url, dataset)
    rows = copy.deepcopy(dataset)
    rows["sources"][0]["extract"] = b"made by a parser of the same version from the same text"
    counts = _load(url, rows)
    assert not any(counts["updated"].values()) and not any(counts["inserted"].values())
    assert rows["sources"][0]["extract"] not in _blobs(dump(url)["sources"])


def test_an_extraction_is_written_again_only_with_new_text_or_parser_duckdb(duckdb_url: str,
                                                                           views_dataset: dict) -> None:
    """``sources.extract`` follows from the text (``sha256``) and the parser
    version, so the load compares those and not the blob, which would read
    every source's extraction to find the few that changed."""
    _extraction_alone(duckdb_url, views_dataset)


@pytest.mark.postgres
def test_an_extraction_is_written_again_only_with_new_text_or_parser_postgres(pg_url: str,
                                                                              views_dataset: dict) -> None:
    _extraction_alone(pg_url, views_dataset)


def _extraction_of_a_new_parser(url: str, dataset: dict) -> None:
    _load(url, dataset)
    rows = copy.deepcopy(dataset)
    rows["sources"][0]["parser_version"] = "new-parser"
    rows["sources"][0]["extract"] = b"made by a new parser"
    counts = _load(url, rows)
    assert {k: v for k, v in counts["updated"].items() if v} == {"sources": 1}
    assert not any(counts["inserted"].values())
    assert b"made by a new parser" in _blobs(dump(url)["sources"])


def test_a_new_parser_s_extraction_is_written_duckdb(duckdb_url: str, views_dataset: dict) -> None:
    _extraction_of_a_new_parser(duckdb_url, views_dataset)


@pytest.mark.postgres
def test_a_new_parser_s_extraction_is_written_postgres(pg_url: str, views_dataset: dict) -> None:
    _extraction_of_a_new_parser(pg_url, views_dataset)


def _forget_digests(url: str, names: Iterable[str]) -> None:
    """The rows as migration 0006 leaves the rows written before it: without a digest."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for name in names:
                conn.exec_driver_sql(f"UPDATE {name} SET digest = NULL")
    finally:
        engine.dispose()


def _rows_without_digest_written_once(url: str, dataset: dict) -> None:
    _load(url, dataset)
    _forget_digests(url, dataset)
    counts = _load(url, dataset)
    keys_only = {"actor_aliases", "event_actors"}  # every column is part of the key: nothing to compare
    assert counts["updated"] == {name: 0 if name in keys_only else len(rows) for name, rows in dataset.items()}
    assert not any(counts["inserted"].values()) and not any(counts["deleted"].values())
    again = _load(url, dataset)
    assert not any(again["updated"].values()) and not any(again["inserted"].values())


def test_rows_without_a_digest_are_written_again_once_duckdb(duckdb_url: str, views_dataset: dict) -> None:
    _rows_without_digest_written_once(duckdb_url, views_dataset)


@pytest.mark.postgres
def test_rows_without_a_digest_are_written_again_once_postgres(pg_url: str, views_dataset: dict) -> None:
    _rows_without_digest_written_once(pg_url, views_dataset)


def _events_edited_in_a_plain_spool(url: str, events: list[dict], directory: Path) -> None:
    """``events`` with the first one's title changed, merged from a spool not made by ``content_spool``:
    every one of them is written, the change with them."""
    events[0]["title"] = "Another title"
    with RowSpool(directory) as spool:
        spool.add({"events": events})
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            stats = merge_spool(conn, spool, prune=False)
    finally:
        engine.dispose()
    assert stats.updated["events"] == len(events)
    assert any("Another title" in row for row in dump(url)["events"])


def test_digests_count_only_from_a_spool_that_made_them(duckdb_url: str, views_dataset: dict,
                                                         tmp_path: Path) -> None:
    """Rows read back with their digests, edited and spooled again keep a
    stale digest: only ``load.content_spool`` is trusted to have made it."""
    _load(duckdb_url, views_dataset)
    events = [row | {"digest": row_digest("events", row)} for row in copy.deepcopy(views_dataset["events"])]
    _events_edited_in_a_plain_spool(duckdb_url, events, tmp_path)


def test_a_row_staged_without_a_digest_counts_as_changed(duckdb_url: str, views_dataset: dict,
                                                         tmp_path: Path) -> None:
    """A spool made without ``load.content_spool`` has no digests: its rows are
    written, never taken for unchanged, also over rows without a digest."""
    _load(duckdb_url, views_dataset)
    _forget_digests(duckdb_url, ["events"])
    _events_edited_in_a_plain_spool(duckdb_url, copy.deepcopy(views_dataset["events"]), tmp_path)


@settings(max_examples=50)
@given(title=_TEXT, other=_TEXT, location=st.none() | _TEXT, day=st.dates())
def test_a_row_s_digest_follows_the_values_the_load_compares(title: str, other: str, location: str | None,
                                                               day: date) -> None:
    row = {"id": "e1", "event_type": "meeting", "title": title, "date_value": day.isoformat(),
           "date_start": day, "date_end": day, "date_precision": "day", "location": location}
    digest = row_digest("events", row)
    assert row_digest("events", dict(reversed(row.items()))) == digest
    assert row_digest("events", row | {"id": "e2"}) == digest
    assert (row_digest("events", row | {"title": other}) == digest) == (other == title)
    assert row_digest("events", row | {"location": None}) != digest or location is None
    source = {"id": "s1", "uri": "file:///a.txt", "sha256": "0" * 64, "extract": b"x", "title": title}
    assert row_digest("sources", source | {"extract": other.encode()}) == row_digest("sources", source)


def _another(value: object, column_type: object) -> object:
    """A value of the column's type that differs from ``value``."""
    if value is None:
        value = {Boolean: False, Integer: 0, Double: 0.0, Date: date(2020, 1, 1),
                 DateTime: datetime(2020, 1, 1)}.get(type(column_type), "")
    if isinstance(value, bool):
        return not value
    if isinstance(value, datetime | date):
        return value + timedelta(days=1)
    if isinstance(value, int | float):
        return value + 1
    return f"{value}z"[-3:] if getattr(column_type, "length", None) == 3 else f"{value}z"


NOT_COMPARED = {
    "sources": {"id", "uri", "extract"},  # the key, and the extraction, which follows sha256 and parser_version
    "actors": {"id", "name"},
    "actor_aliases": {"id", "actor_id", "alias"},
    "event_actors": {"id", "event_id", "actor_id", "role"},
}
"""Columns a row's key determines, or that follow from others: changing them alone writes nothing."""


def test_a_change_in_any_other_column_is_written(duckdb_url: str, views_dataset: dict) -> None:
    """The digest covers every column but those in ``NOT_COMPARED``: changing
    any one of them alone rewrites exactly that row."""
    from natotimeline.load import table

    _load(duckdb_url, views_dataset)
    checked = 0
    for name, rows in views_dataset.items():
        row = copy.deepcopy(rows[0])
        for column in table(name).columns:
            if column.name in NOT_COMPARED.get(name, {"id"}) | {"digest"}:
                continue
            row[column.name] = _another(row.get(column.name), column.type)
            counts = _load(duckdb_url, {name: [row]}, prune=False)
            assert counts["updated"][name] == 1, f"{name}.{column.name}"
            checked += 1
    assert checked == 57
