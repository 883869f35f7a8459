"""Stable row keys: a short hash of the values that define a row."""

from __future__ import annotations

import hashlib


def stable_key(*parts: object) -> str:
    """A 20-hex-digit SHA-256 prefix of the parts' text forms, joined by a unit separator."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def sha256_text(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, as hex: what tells a changed file."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
