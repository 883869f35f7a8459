"""Title and publisher of a source, from its own text."""

from __future__ import annotations

import re

from .records import CleanedText

_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"
_NAME = rf"(?:The\s+)?{_WORD}(?:\s+(?:of\s+|the\s+|and\s+)?{_WORD}){{0,5}}"
# Each rule: (how the evidence is described, literals one of which must occur
# for the rule to be tried, pattern with a ``name`` group).
_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("disclaimer", ("positions",), re.compile(rf"(?P<name>{_NAME})\s+(?:does not|doesn't|do not) take (?:institutional |editorial )?positions")),
    ("sign-off", ("staff", "team", "newsroom", "editors", "desk"), re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME})\s+(?:staff|team|newsroom|editorial team|editors|desk)[ \t]*$")),
    ("site blurb", (" - ", " – ", " — "), re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME})\s+[-–—]\s+(?:the|a|an|your)\b[^\n]{{0,200}}?(?i:news|website|newspaper|magazine|portal|agency|outlet)")),
    ("appeal", ("journalism",), re.compile(rf"(?i:please support|support)\s+(?P<name>{_NAME})['’]s\s+(?i:independent\s+)?(?i:journalism|reporting|work)")),
    ("dateline", (") -", ") –", ") —", ")-", ")–", ")—"), re.compile(r"(?m)^[A-Z][A-Za-z .,'’-]{1,60}\((?P<name>[A-Z][\w.&' -]{1,30})\)\s*[-–—]")),
    ("copyright", ("©", "(c)", "Copyright"), re.compile(rf"(?:©|\(c\)|Copyright)\s*(?:\d{{4}}\s*)?(?P<name>{_NAME})")),
    ("originally published", ("riginally", "irst published", "irst appeared"), re.compile(rf"(?i:originally (?:published|appeared)|first (?:published|appeared)) (?i:in|on|by)\s+(?P<name>{_NAME})")),
    ("byline", ("By ",), re.compile(rf"(?m)^By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}}\s*[,|–—-]\s*(?P<name>{_NAME})[ \t]*$")),
)
_TRAILING = re.compile(r"[\s,.;:'’]+$")
_TERMINAL = re.compile(r"[.;:][\"'”’)]*$")
_MAX_TITLE = 200


def find_title(text: str, cleaned: CleanedText) -> str | None:
    """The article's first kept line when it reads as a headline."""
    for start, end in cleaned.kept:
        chunk = text[start:end]
        line = chunk.split("\n", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if len(line) > _MAX_TITLE or len(words) < 3 or len(words) > 30 or _TERMINAL.search(line):
            return None
        return line
    return None


def find_publisher(text: str, cleaned: CleanedText) -> tuple[str | None, str]:
    """The publisher the text names, and the evidence: ``(name, "sign-off: 'X staff'")``."""
    for label, triggers, pattern in _RULES:
        if not any(t in text for t in triggers):
            continue
        m = pattern.search(text)
        if m is None:
            continue
        name = _TRAILING.sub("", m.group("name"))
        if len(name) < 2:
            continue
        evidence = _TRAILING.sub("", " ".join(m.group().split()))
        return name, f"{label}: '{evidence}'"
    return None, ""
