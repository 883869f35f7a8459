"""Finding article files and reading them as text, with a clear reason when
a file cannot be used."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file (or path) that was not loaded, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class InputRejected(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.rejected = Rejected(path, reason)


def discover(paths: Iterable[str | Path]) -> tuple[list[str], list[Rejected]]:
    """Article files under ``paths`` (files as given, folders recursively,
    hidden files and folders skipped, symbolic links to folders not
    followed), resolved, each once, in path order; and the paths that do not
    exist. Files are held as text: as ``Path`` objects, 32,000 of them kept
    24 MiB of the job's memory for the whole run."""
    found: dict[str, None] = {}
    missing: list[Rejected] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for name in sorted(_files_under(str(path)), key=lambda n: n.split(os.sep)):
                found[os.path.realpath(os.path.join(path, name))] = None
        elif path.is_file():
            found[str(path.resolve())] = None
        elif path.exists():
            missing.append(Rejected(str(raw), "not a regular file or folder"))
        else:
            missing.append(Rejected(str(raw), "no such file or folder"))
    return list(found), missing


def _files_under(folder: str) -> Iterator[str]:
    """The regular files under ``folder`` outside hidden folders, relative to it."""
    for parent, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".")]
        rel = os.path.relpath(parent, folder)
        for name in files:
            if not name.startswith(".") and os.path.isfile(os.path.join(parent, name)):
                yield name if rel == os.curdir else os.path.join(rel, name)


def source_uri(path: Path) -> str:
    """The URI of a file as ``discover`` gives it (already resolved)."""
    return path.as_uri()


def decode_article(path: str, data: bytes) -> str:
    """The text of an article file, or InputRejected naming the reason."""
    if not data.strip():
        raise InputRejected(path, "empty file" if not data else "file holds only white space")
    if b"\x00" in data[:8192]:
        raise InputRejected(path, "binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputRejected(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputRejected(path, "binary file (control characters), expected UTF-8 text")
    return text


def read_article(path: Path) -> str:
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputRejected(str(path), f"unsupported file type '{path.suffix}' (supported: .txt)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputRejected(str(path), f"cannot read file ({exc.strerror or exc})") from None
    return decode_article(str(path), data)
