"""Stable row keys: a short hash of the values that define a row."""

from __future__ import annotations

import hashlib


def stable_key(*parts: object) -> str:
    """A 20-hex-digit SHA-256 prefix of the parts' text forms, joined by a unit separator."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]
