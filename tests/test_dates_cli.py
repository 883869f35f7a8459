"""`natotimeline dates` in a subprocess: JSON lines only, exact offsets."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from dbdump import CLI


def _dates(text: str, *args: str) -> list[dict]:
    result = subprocess.run([CLI, "dates", *args], input=text, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_stdin_with_anchor_resolves_by_tense() -> None:
    text = "The report was released on Thursday; leaders meet in June. Spending rose 19.4% to $55 billion."
    found = _dates(text, "--anchor", "2025-04-25")
    assert [(d["text"], d["value"], d["precision"]) for d in found] == [
        ("Thursday", "2025-04-24", "day"),
        ("June", "2025-06", "month"),
    ]
    for d in found:
        assert text[d["start"] : d["end"]] == d["text"]


def test_range_has_value_end() -> None:
    (found,) = _dates("The summit takes place on June 24-25, 2025.", "--anchor", "2025-04-25")
    assert (found["value"], found["value_end"], found["precision"]) == ("2025-06-24", "2025-06-25", "day")


def test_file_without_anchor_uses_the_text_s_own_publication_date(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("004_*.txt"))
    result = subprocess.run([CLI, "dates", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    found = {(d["text"], d["value"]) for d in map(json.loads, result.stdout.splitlines())}
    assert ("tomorrow (13 February 2025)", "2025-02-13") in found
    assert ("today", "2025-02-12") in found


def test_no_anchor_and_no_evidence_leaves_relative_dates_unresolved() -> None:
    (found,) = _dates("Ministers met on Thursday.")
    assert (found["value"], found["precision"]) == (None, "unknown")
