"""Where the SQL views and the Alembic scripts live, installed or in a checkout."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def resource_dir(name: str) -> Path:
    """The ``sql`` or ``alembic`` folder: inside the wheel, else the checkout's."""
    for base in (_PACKAGE, _CHECKOUT):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"natotimeline resource folder '{name}' not found")


def data_file(name: str) -> Path:
    """A data file shipped inside the package (``src/natotimeline/data``)."""
    return _PACKAGE / "data" / name


@cache
def load_data(name: str) -> dict:
    """A shipped TOML data file, parsed once per process (treat it as read-only)."""
    with open(data_file(name), "rb") as fh:
        return tomllib.load(fh)
