"""Sentence splitting with exact offsets into the original text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .records import Sentence

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt cpt sgt adm cmdr brig gov sen rep rev hon pres supt insp
    st no nos vs v etc al approx est fig figs vol ed eds inc corp ltd co jr sr dept univ
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    e.g i.e cf ca a.m p.m viz
    """.split()
)
_SOFT_ABBREVIATIONS = frozenset({"etc", "al", "inc", "corp", "ltd", "co", "jr", "sr", "a.m", "p.m"})
_STARTERS = frozenset(
    """
    The A An He She It They We I You This That These Those There But And Or So Yet However In On At
    For With After Before When While As If Since Although Meanwhile Still Also His Her Its Their Our
    """.split()
)
_CANDIDATE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_OPENERS = "\"'“‘«([—–-"
_QUOTES = "\"'“‘«(["
_TERMINAL_LINE = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){1,}[A-Za-z]$")
_WORDLIKE = re.compile(r"\w")
# A wire dateline opening a paragraph ("Kiel, Germany (dpa) -", "BRUSSELS, June 4 (Reuters) -",
# "Bucharest, 3 March 2025 (Defence Wire) -", "SYDNEY —"): a sentence of its own, so that the place
# and outlet it names are not read as the subject or the name of what follows.
_DATELINE = re.compile(
    r"[ \t]*(?:"
    r"[A-Z][A-Za-z.'’-]*(?:[ \t]+[A-Z][A-Za-z.'’-]*){0,3}"
    r"(?:,[ \t]*(?:[A-Z][A-Za-z.'’-]*(?:[ \t]+[A-Z][A-Za-z.'’-]*){0,2}(?:[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)?"
    r"|\d{1,2}[ \t]+[A-Z][a-z]+\.?(?:[ \t]+\d{4})?)){0,3}"
    r"[ \t]*\((?:[A-Z][\w.&'-]*(?:[ \t]+[A-Z][\w.&'-]*){0,3}|[a-z]{2,6})\)"
    r"|[A-Z]{2,}(?:(?:[ \t]+|/)[A-Z]{2,}){0,2}(?:,[ \t]*[A-Z][A-Za-z.'’-]*(?:[ \t]+[A-Z][A-Za-z.'’-]*){0,2})?"
    r"(?=[ \t]+(?:--|[-–—])[ \t]*[A-Z“\"‘']|[ \t]*(?:--|[–—])[ \t]+[A-Z“\"‘'])"
    r")[ \t]*(?:--|[-–—])")


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs and lines of one range; a hard-wrapped line joins the next."""
    out: list[tuple[int, int]] = []
    block_start = start
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            out.append((block_start, end))
            return out
        line = text[pos:nl]
        wrapped = (
            line.strip()
            and not _TERMINAL_LINE.search(line)
            and _next_char(text, nl + 1, end).islower()
        )
        if not wrapped:
            out.append((block_start, nl))
            block_start = nl + 1
        pos = nl + 1


def _next_char(text: str, pos: int, end: int) -> str:
    """The first character of text[pos:end] that is not a space or tab, or ''."""
    while pos < end and text[pos] in " \t":
        pos += 1
    return text[pos] if pos < end else ""


def _next_start(text: str, pos: int, end: int) -> tuple[str, str]:
    """The first character of the next sentence after ``pos`` and its word."""
    i = pos
    while i < end and text[i].isspace():
        i += 1
    while i < end and text[i] in _OPENERS:
        i += 1
    j = i
    while j < end and (text[j].isalnum() or text[j] in "'’"):
        j += 1
    return (text[i] if i < end else ""), text[i:j]


def _is_boundary(text: str, block_start: int, m: re.Match[str], end: int) -> bool:
    first, word = _next_start(text, m.end(), end)
    if not first or not (first.isupper() or first.isdigit()):
        return False
    punct = m.group()
    if not punct.startswith(".") or punct.startswith(".."):
        return True
    k = m.start()
    while k > block_start and not text[k - 1].isspace() and text[k - 1] not in _QUOTES:
        k -= 1
    token = text[k : m.start()]
    if not token:
        return True
    low = token.lower()
    if _DOTTED.match(token) and len(token) > 1:
        return word in _STARTERS
    if low in _SOFT_ABBREVIATIONS:
        return word in _STARTERS
    if low in _ABBREVIATIONS:
        return False
    return not (len(token) == 1 and token.isupper())


def _emit(text: str, s: int, e: int, out: list[Sentence]) -> None:
    chunk = text[s:e]
    stripped = chunk.strip()
    if stripped and _WORDLIKE.search(stripped):
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Sentence(stripped, s + lead, s + lead + len(stripped)))


def split_sentences(text: str, kept: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Sentences of the kept ranges, in text order, each stripped of surrounding whitespace."""
    out: list[Sentence] = []
    for start, end in kept:
        for b_start, b_end in _blocks(text, start, end):
            s = b_start
            if b_start < b_end and text[b_start].isupper():
                dl = _DATELINE.match(text, b_start, b_end)
                if dl and dl.end() < b_end:
                    _emit(text, s, dl.end(), out)
                    s = dl.end()
            for m in _CANDIDATE.finditer(text, b_start, b_end):
                if _is_boundary(text, b_start, m, b_end):
                    _emit(text, s, m.end(), out)
                    s = m.end()
            _emit(text, s, b_end, out)
    return out
