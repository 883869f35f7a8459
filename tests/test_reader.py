"""Finding article files: which files a run reads, in which order, and what it rejects."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from natotimeline.reader import discover


def _tree(root: Path) -> None:
    for name in ("a/b/1.txt", "a-b/2.txt", ".hidden/3.txt", "a/.h.txt", "c/.x/4.txt", "c/5", "Z.txt", "z/6.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "z" / "folder-link").symlink_to(root / "a")
    (root / "z" / "file-link.txt").symlink_to(root / "Z.txt")
    (root / "z" / "broken.txt").symlink_to(root / "nowhere")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs symbolic links and named pipes")
def test_discover_finds_each_visible_file_once_in_path_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root)
    os.mkfifo(root / "z" / "pipe")
    files, rejected = discover([root / "Z.txt", root, tmp_path / "missing", root / "z" / "pipe"])
    assert files == [str(root / n) for n in ("Z.txt", "a/b/1.txt", "a-b/2.txt", "c/5", "z/6.txt")]
    assert [(r.path, r.reason) for r in rejected] == [
        (str(tmp_path / "missing"), "no such file or folder"),
        (str(root / "z" / "pipe"), "not a regular file or folder"),
    ]


def test_discover_gives_resolved_paths(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert discover(["in", "in/a.txt", "./in/../in"]) == ([str(tmp_path.resolve() / "in" / "a.txt")], [])
