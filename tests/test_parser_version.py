"""A change to what extraction gives comes with a new PARSER_VERSION (fixtures/parser_versions.toml)."""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from natotimeline import PARSER_VERSION
from natotimeline.extract import extract_document
from natotimeline.serialise import dumps

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _extraction_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([*SEEDS.glob("*.txt"), *(FIXTURES / "unseen").glob("*.txt")], key=lambda p: p.name):
        digest.update(dumps(extract_document(path.stem, path.read_text(encoding="utf-8"))).encode("utf-8"))
    return digest.hexdigest()


def test_what_extraction_gives_is_recorded_under_the_current_parser_version() -> None:
    digests = tomllib.loads((FIXTURES / "parser_versions.toml").read_text(encoding="utf-8"))["digests"]
    digest = _extraction_digest()
    if digest in digests.values() and digests.get(PARSER_VERSION) != digest:
        raise AssertionError(f"PARSER_VERSION {PARSER_VERSION} gives the extraction recorded for another version")
    assert digests.get(PARSER_VERSION) == digest, (
        f"extraction gives {digest}, not what fixtures/parser_versions.toml records for PARSER_VERSION "
        f"{PARSER_VERSION!r}: if the rules changed, bump PARSER_VERSION and add a line for it there"
    )
