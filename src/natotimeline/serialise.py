"""DocumentExtract <-> JSON, so a source's extraction is stored once and
reconciled again later without re-parsing its text."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from functools import cache
from typing import Any, TypeVar

from .records import DocumentExtract

T = TypeVar("T")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def dumps(doc: DocumentExtract) -> str:
    return json.dumps(_plain(doc), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(tp: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner[0], raw)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], r) for r in raw)
        return tuple(_build(a, r) for a, r in zip(args, raw, strict=True))
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{k: _build(hints[k], v) for k, v in raw.items() if k in hints})
    if tp is date:
        return date.fromisoformat(raw)
    if tp is float:
        return float(raw)
    return raw


def loads(raw: str) -> DocumentExtract:
    return _build(DocumentExtract, json.loads(raw))
