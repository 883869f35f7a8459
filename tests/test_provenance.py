"""Every loaded fact points at the exact text it came from."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from sqlalchemy import text

import natotimeline.pipeline as pipeline
from natotimeline.db import make_engine


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> str:
    url = f"duckdb:///{tmp_path_factory.mktemp('prov') / 'seeds.duckdb'}"
    pipeline.run([seeds_dir], url)
    return url


def _query(url: str, sql: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql)))
    finally:
        engine.dispose()


def _source_text(uri: str) -> str:
    return Path(unquote(urlparse(uri).path)).read_text(encoding="utf-8")


def test_event_mentions_quote_the_source_exactly(loaded: str) -> None:
    rows = _query(
        loaded,
        "SELECT s.uri, m.sentence, m.char_start, m.char_end, m.date_expression, m.date_char_start, m.date_char_end"
        " FROM event_mentions m JOIN sources s ON s.id = m.source_id",
    )
    assert rows
    for uri, sentence, start, end, expression, d_start, d_end in rows:
        body = _source_text(uri)
        assert body[start:end] == sentence
        assert body[d_start:d_end] == expression


def test_figures_quote_the_source_exactly(loaded: str) -> None:
    rows = _query(
        loaded,
        "SELECT s.uri, f.expression, f.char_start, f.char_end, f.quote, f.sentence_start, f.sentence_end"
        " FROM figures f JOIN sources s ON s.id = f.source_id",
    )
    assert rows
    for uri, expression, start, end, quote, s_start, s_end in rows:
        body = _source_text(uri)
        assert body[start:end] == expression
        assert body[s_start:s_end] == quote
        assert s_start <= start and end <= s_end
