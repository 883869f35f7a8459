"""DocumentExtract <-> JSON, and the compressed form stored in
``sources.extract``, so a source's extraction is stored once and reconciled
again later without re-parsing its text.

msgspec does the work: it encodes and decodes the frozen dataclasses of
``records`` directly (dates as ISO text, tuples as arrays), validating
types on the way in, and is an order of magnitude faster than building
dictionaries by hand. Objects are decoded by field name, so extracts
stored with their keys in any order read back the same."""

from __future__ import annotations

import zlib

import msgspec

from .records import DocumentExtract

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(DocumentExtract)


def dumps(doc: DocumentExtract) -> str:
    return _ENCODER.encode(doc).decode("utf-8")


def loads(raw: str | bytes) -> DocumentExtract:
    return _DECODER.decode(raw)


def pack(doc: DocumentExtract) -> bytes:
    """The JSON of ``doc``, zlib-compressed (about a quarter of its size)."""
    return zlib.compress(_ENCODER.encode(doc), 6)


def unpack(blob: bytes) -> DocumentExtract:
    return _DECODER.decode(zlib.decompress(blob))
