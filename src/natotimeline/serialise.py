"""DocumentExtract <-> JSON, so a source's extraction is stored once and
reconciled again later without re-parsing its text."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from collections.abc import Callable
from functools import cache
from typing import Any

from .records import DocumentExtract

_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = (
            tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else ()
        )
    return names


def _plain(value: Any) -> Any:
    cls = type(value)
    if cls is tuple or cls is list:
        return [_plain(v) for v in value]
    if cls is date:
        return value.isoformat()
    names = _field_names(cls)
    if names:
        return {n: _plain(getattr(value, n)) for n in names}
    return value


def dumps(doc: DocumentExtract) -> str:
    return json.dumps(_plain(doc), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of type ``tp`` from its JSON form."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda raw: None if raw is None else inner(raw)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda raw: tuple(item(r) for r in raw)
        items = tuple(_decoder(a) for a in args)
        return lambda raw: tuple(d(r) for d, r in zip(items, raw, strict=True))
    if dataclasses.is_dataclass(tp):
        fields = tuple((name, _decoder(hint)) for name, hint in typing.get_type_hints(tp).items())
        return lambda raw: tp(**{name: d(raw[name]) for name, d in fields if name in raw})
    if tp is date:
        return lambda raw: None if raw is None else date.fromisoformat(raw)
    if tp is float:
        return lambda raw: None if raw is None else float(raw)
    return lambda raw: raw


def loads(raw: str) -> DocumentExtract:
    return _decoder(DocumentExtract)(json.loads(raw))
