"""Publication date of an article: stated in a header or dateline, else inferred from the text.

Rules, in order: an explicit date heading the text (``date 2025-04-24``,
``Published: ...``, ``BRUSSELS, Feb 12 (Reuters) -``) is *stated*; otherwise
the date is *inferred* from a relative word paired with an explicit date
("tomorrow (13 February 2025)" -> the day before), from dated photo captions
(the latest caption date: the article cannot predate its pictures), or from
the latest day the text reports in the past tense (a lower bound), checked
against the earliest day it reports in the future tense. A month-day without
a year takes the year after the latest year the text reports as past (annual
figures are reported once the year is over), capped by the earliest year it
speaks of in the future tense. Today's date is never used.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .records import CleanedText, PublicationDate
from .temporal import RawMention, scan, tense_at

_LABEL = re.compile(
    r"\s*(?:(?i:date|dated|published(?:\s+on)?|posted(?:\s+on)?|updated|last\s+updated|first\s+published|publication\s+date)\s*:?\s*)?\Z"
)
_DATELINE_BEFORE = re.compile(r"(?:\A|\n)\s*[A-Z][A-Za-z.'’ -]{1,40},\s*\Z")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^()\n]{1,30}\))?\s*[-–—]")
_LINE_ALONE = re.compile(r"[ \t]*(?:\n|\Z)")
_CAPTION_BEFORE = re.compile(r"(?:,|\s[-–—|]|\()\s*\Z")
_CAPTION_AFTER = re.compile(r"[ \t.)]*(?:\n|\Z)")
_SKIP_REASON = re.compile(r"headline|related|list|footer|share|appeal|nav|menu", re.I)
_HEADER_CHARS = 200


def _day(r: RawMention, year: int | None = None) -> date | None:
    y = r.y if r.y is not None else year
    if r.kind != "date" or y is None or r.end_part is not None:
        return None
    try:
        return date(y, r.m, r.d)
    except ValueError:
        return None


def _quote(text: str, r: RawMention) -> str:
    return text[r.start : r.end]


def _year_rule(text: str, raws: list[RawMention] | tuple[RawMention, ...]) -> tuple[int | None, str]:
    past = [r.y for r in raws if r.kind == "year" and r.end_part is None and r.mod is None and tense_at(text, r.start, r.end) == "past"]
    future = [r.y for r in raws if r.kind == "year" and r.end_part is None and tense_at(text, r.start, r.end) == "future"]
    lo = max(past) if past else None
    hi = min(future) if future else None
    if lo is not None:
        year = lo + 1 if hi is None or hi >= lo + 1 else lo
        why = f"year {year}: after latest past-tense year {lo}"
        return year, why + (f", not after future-tense {hi}" if hi is not None else "")
    if hi is not None:
        return hi, f"year {hi}: earliest future-tense year"
    return None, ""


def _stated(text: str, raws: list[RawMention] | tuple[RawMention, ...]) -> PublicationDate | None:
    lead = len(text) - len(text.lstrip())
    for r in raws:
        if r.start > lead + _HEADER_CHARS:
            break
        if r.kind != "date" or r.end_part is not None:
            continue
        before = text[: r.start]
        labelled = _LABEL.fullmatch(before) is not None
        dateline = _DATELINE_BEFORE.search(before) is not None and _DATELINE_AFTER.match(text, r.end) is not None
        alone = (before.rstrip(" \t").endswith("\n") or labelled) and _LINE_ALONE.match(text, r.end) is not None
        if not (labelled or dateline or alone):
            continue
        d = _day(r)
        why = ""
        if d is None and r.y is None:
            year, why = _year_rule(text, raws)
            d = _day(r, year)
        if d is not None:
            ev = f"{'dateline' if dateline and not labelled else 'header'} '{_quote(text, r)}'"
            return PublicationDate(d, "stated", ev + (f"; {why}" if why else ""))
    return None


def _paired(text: str, raws: list[RawMention] | tuple[RawMention, ...]) -> PublicationDate | None:
    for r in raws:
        d = _day(r)
        if d is not None and r.pair is not None and r.pair.kind == "relday":
            return PublicationDate(d - timedelta(days=r.pair.n), "inferred", f"'{_quote(text, r)}'")
    return None


def _usable(r: RawMention, dropped: tuple[tuple[int, int, str], ...]) -> bool:
    return not any(s <= r.start and r.end <= e and _SKIP_REASON.search(reason) for s, e, reason in dropped)


def _agreeing_weekday(text: str, raws: list[RawMention] | tuple[RawMention, ...], d: date) -> str:
    for w in raws:
        if w.kind == "weekday" and w.qual is None and w.n == d.weekday():
            return f", agrees with '{_quote(text, w)}' in the text"
    return ""


def _captions(text: str, raws: list[RawMention] | tuple[RawMention, ...], dropped: tuple[tuple[int, int, str], ...]) -> PublicationDate | None:
    found: list[tuple[date, RawMention]] = []
    for r in raws:
        d = _day(r)
        if d is None or not _usable(r, dropped):
            continue
        line_start = text.rfind("\n", 0, r.start) + 1
        if r.start - line_start > 300:
            continue
        if _CAPTION_BEFORE.search(text, line_start, r.start) and _CAPTION_AFTER.match(text, r.end):
            found.append((d, r))
    if not found:
        return None
    d, r = max(found, key=lambda f: f[0])
    more = f" (latest of {len(found)} dated captions)" if len(found) > 1 else ""
    ev = f"caption dated '{_quote(text, r)}'{more}{_agreeing_weekday(text, raws, d)}"
    return PublicationDate(d, "inferred", ev)


def _tensed_days(text: str, raws: list[RawMention] | tuple[RawMention, ...]) -> PublicationDate | None:
    days = [r for r in raws if r.kind == "date" and r.end_part is None and (r.pair is None or r.pair.kind == "weekday")]
    if not days:
        return None
    year, why = (None, "")
    if any(r.y is None for r in days):
        year, why = _year_rule(text, raws)
    past: list[tuple[date, RawMention]] = []
    future: list[tuple[date, RawMention]] = []
    for r in days:
        d = _day(r, year)
        if d is None:
            continue
        tense = tense_at(text, r.start, r.end)
        if tense == "past":
            past.append((d, r))
        elif tense == "future":
            future.append((d, r))
    if not past:
        return None
    d, r = max(past, key=lambda f: f[0])
    later = [f for f in future if f[0] > d]
    ev = f"past tense '{text[max(0, r.start - 8) : r.end].lstrip()}' (lower bound)"
    if later:
        nd, nr = min(later, key=lambda f: f[0])
        ev += f", before future-tense '{_quote(text, nr)}'"
    ev += _agreeing_weekday(text, raws, d)
    if r.y is None:
        ev += f"; {why}"
    return PublicationDate(d, "inferred", ev)


def infer_publication_date(text: str, cleaned: CleanedText | None = None) -> PublicationDate:
    """When ``text`` was published, with the basis and a short quote of the evidence."""
    raws = scan(text)
    dropped = cleaned.dropped if cleaned is not None else ()
    found = _stated(text, raws)
    if found:
        return found
    kept = [r for r in raws if _usable(r, dropped)]
    found = _paired(text, kept) or _captions(text, raws, dropped) or _tensed_days(text, kept)
    if found:
        return found
    return PublicationDate(None, "unknown", "no absolute date in the text")
