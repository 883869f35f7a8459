"""Publication date of an article: stated in a header or dateline, else inferred from the text.

Evidence, strongest first (today's date is never used):

1. *stated* header near the top (first ``_HEADER_CHARS`` characters; an
   unlabelled one not after the first long paragraph): a line
   made of an optional label (``Published:``, ``Posted on``, ``Issued on:``,
   ``Updated``), an optional weekday, the date, an optional time and zone and
   a short tail (``by <name>``, ``| 6 comments``, ``Updated 3 hours ago``).
   A published/unlabelled header beats an ``Updated``/``Last modified`` one.
2. *stated* dateline with a year (``BRUSSELS, 4 June 2025 (AFP) -``,
   ``WASHINGTON (AP) — Sept. 24, 2025``, ``RIGA — 4 June 2025 — ...``: see
   ``_is_dateline``); a
   year-less dateline (``BRUSSELS, June 4 (Reuters) -``) takes the year of a
   header timestamp when there is one (*stated*), else the year is *inferred*
   from the copyright year or the latest year reported in the past tense
   (that year or the next), never from a year spoken of in the future tense,
   preferring the year whose calendar puts a weekday of the lead paragraph on
   the dateline day (or the day before).
3. *inferred* from a relative word paired with a date ("tomorrow (13
   February 2025)" -> the day before).
4. *inferred* from dated photo captions (the latest; file photos excluded).
5. *inferred* from the latest day reported in the past tense, only when
   nothing contradicts it: no later past-tense year, no dated future-tense
   day before it, and every past-tense weekday named in the text
   falls on that day (news style names recent days by weekday, so a dated
   day next to other weekdays is an older event, only a lower bound).
6. *unknown*.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .records import CleanedText, PublicationDate
from .temporal import RawMention, scan, tense_at

_HEADER_CHARS = 700
_MAX_HEADER_LINE = 140
_LABELS = (
    r"(?:first\s+|originally\s+)?published|posted|issued|released|created|updated|last\s+updated|last\s+modified|modified"
    r"|publication\s+date|release\s+date|date|dated|broadcast|aired|air\s+date|stand"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"
_TIME = r"\d{1,2}(?:[:.]\d{2}){1,2}(?:[ \t]*[aApP]\.?[ \t]?[mM]\.?)?|\d{1,2}[ \t]*[aApP]\.?[ \t]?[mM]\.?(?!\w)"
_TZ = r"(?:[A-Z]{2,5}(?:[ \t]*[+-][ \t]*\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|Z)(?![\w])"
_PREFIX = re.compile(
    r"[ \t]*(?:[-–—•·|*>][ \t]*)?"
    r"(?:[^\n|·•]{1,60}?[ \t]*[|·•][ \t]*){0,3}"
    rf"(?:(?P<label>(?i:(?:(?:report|article|story|page|release|statement)[ \t]+)?(?:{_LABELS})))(?:[ \t]+(?i:by)[ \t]+[^\n|·•]{{1,60}}?(?=[ \t]+(?i:on)[ \t]))?(?:[ \t]+(?i:on|at))?[ \t]*(?:(?P<colon>:)|[-–—])?[ \t]*)?"
    rf"(?P<time>(?:{_TIME})[ \t]*(?:{_TZ})?[ \t]*,?[ \t]*)?"
    r"(?:[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,2},[ \t]*"
    r"|(?P<dashplace>(?!(?:\S+[ \t]+){0,2}(?i:updated|published|posted|modified|issued|released|date)\b)[A-Z][a-z][\w'’.-]*"
    r"(?:[ \t]+[A-Z][\w'’.-]*){0,2}[ \t]+[-–—][ \t]*))?"
    r"(?:(?i:on)[ \t]+)?"
    rf"(?:(?i:{_WEEKDAY}),?[ \t]+)?"
)
_SUFFIX = re.compile(
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"(?:[ \t]*(?:,|[-–—]|(?i:at)|/|\|)?[ \t]*(?:{_TIME}))?"
    rf"(?:[ \t]*\(?{_TZ}\)?)?"
    r"[ \t.,]*"
    r"(?:(?:[|·•][ \t]*|(?i:by)[ \t]+[A-Z]|(?i:updated|last[ \t]+updated|last[ \t]+modified|modified)\b)[^\n]{0,100}|\([^()\n]{0,40}\)[ \t.]*"
    r"|\d{1,3}[ \t]*(?i:min(?:ute)?s?\.?)[ \t]+(?i:read)[ \t.]*|[-–—])?"
)
_TIME_AFTER = re.compile(rf"[ \t]*(?:,|[-–—]|(?i:at)|/|\|)?[ \t]*(?:{_TIME})")
_URL_SLACK_DAYS = 31
_IMAGE_URL = re.compile(r"(?i)\.(?:jpe?g|png|gif|webp|svg|avif)(?:\?\S*)?\s*$")
_URL_DATE = re.compile(r"https?://\S*?/(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?=/|\b)\S*[ \t]*(?:\n|\Z)")
_SECONDARY = re.compile(r"(?i)updat|modif")
_FREE_LABEL = re.compile(r"(?i)dated?")
_AIRED = re.compile(r"(?i)broadcast|aired|air\s+date")
_DATELINE_BEFORE = re.compile(r"(?:\A|\n)[ \t]*[A-Z][A-Za-z.'’ -]{1,40},[ \t]*\Z")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:\([^()\n]{1,30}\))?[ \t]*[-–—]")
_DATELINE_LEAD = re.compile(
    r"(?:\A|\n)[ \t]*[A-Z][A-Z.'’ -]{1,40}(?:,[ \t]*[A-Z][A-Za-z.'’ -]{1,30})?[ \t]*(?P<outlet>\([^()\n]{1,30}\))?[ \t]*[-–—][ \t]*\Z"
)
_DASH_AFTER = re.compile(r"[ \t]*[-–—]")
_LINE_END_AFTER = re.compile(r"(?:,?[ \t]*\d{1,2}[:.]\d{2}[ \t]*(?:[AaPp]\.?[Mm]\.?)?(?:[ \t]+[A-Z]{2,4})?)?[ \t]*(?:\n|\Z)")
_COPYRIGHT = re.compile(r"(?:©|\([cC]\)|(?i:copyright))[ \t]*(?:(?:19|20)\d{2}[ \t]*[-–][ \t]*)?(?P<y>(?:19|20)\d{2})(?!\d)")
# "budget for 2024", "slip to 2035", "by the end of 2030", "the 2032 deadline": a year aimed at, not one past.
_TARGET_BEFORE = re.compile(r"(?i)\b(?:for|to|by|until|till|through)\s+(?:the\s+)?(?:(?:end|start|middle)\s+of\s+)?\Z")
_TARGET_AFTER = re.compile(r"(?i)\s+(?:date|deadline|target|goal|horizon|timeline|timeframe)\b")
_LONG_LINE = re.compile(r"[^\n]{201,}")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_CAPTION_BEFORE = re.compile(r"(?:,|\s[-–—|]|\()\s*\Z")
_CAPTION_AFTER = re.compile(r"[ \t.)\]]*(?P<credit>\([^()\n]{0,80}\)[ \t.)\]]*)?(?:\n|\Z)")
_FILE_PHOTO = re.compile(r"(?i)\bfile\b")
_SKIP_REASON = re.compile(r"headline|related|list|footer|footnote|share|appeal|nav|menu|comment", re.I)

Raws = list[RawMention] | tuple[RawMention, ...]


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


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, len(text) if le < 0 else le


def _header_kind(text: str, r: RawMention) -> tuple[str | None, bool]:
    """``primary``/``secondary`` when the date is the whole of a header line (else None), and whether it is labelled."""
    ls, le = _line_bounds(text, r.start, r.end)
    m = _PREFIX.fullmatch(text, ls, r.start)
    if m is None:
        return None, False
    label = m.group("label")
    free = label is not None and not _AIRED.match(label) and (
        m.group("colon") is not None or _FREE_LABEL.fullmatch(label) is not None)
    if m.group("dashplace") and not _TIME_AFTER.match(text, r.end):
        return None, False
    if not free:
        if le - ls > _MAX_HEADER_LINE or _SUFFIX.fullmatch(text, r.end, le) is None:
            return None, False
    return ("secondary" if label and _SECONDARY.search(label) else "primary"), label is not None


def _is_dateline(text: str, r: RawMention) -> bool:
    """``BRUSSELS, 4 June 2025 (AFP) -``; or the date after an upper-case
    place and a dash, followed by another dash (``RIGA — 4 June 2025 — ...``)
    or, after a place with its outlet, ending the line (``KYIV, Ukraine (AP)
    — June 4, 2025, 10:42 AM``). Without the outlet, a line ending in a date
    is as likely a headline or a caption (``NATO SUMMIT — 24 June 2025``)."""
    lo = max(0, r.start - 60)
    if _DATELINE_BEFORE.search(text, lo, r.start) is not None and _DATELINE_AFTER.match(text, r.end) is not None:
        return True
    lead = _DATELINE_LEAD.search(text, lo, r.start)
    return lead is not None and (_DASH_AFTER.match(text, r.end) is not None
                                 or (lead.group("outlet") is not None and _LINE_END_AFTER.match(text, r.end) is not None))


def _years(text: str, raws: Raws) -> tuple[int | None, int | None]:
    """Latest year reported in the past tense (not a year aimed at: "for 2024", "slip to 2035"), earliest
    spoken of in the future tense."""
    past = [
        r.y
        for r in raws
        if r.kind == "year" and r.end_part is None and r.mod is None
        and not _TARGET_BEFORE.search(text, max(0, r.start - 25), r.start) and not _TARGET_AFTER.match(text, r.end)
        and tense_at(text, r.start, r.end) == "past"
    ]
    future = [r.y for r in raws if r.kind == "year" and r.end_part is None and tense_at(text, r.start, r.end) == "future"]
    lo = max(past) if past else None
    future = [y for y in future if lo is None or y >= lo]
    return lo, (min(future) if future else None)


def _plain_years(text: str, raws: Raws) -> list[int]:
    return [r.y for r in raws if r.kind == "year" and r.end_part is None and r.mod is None and tense_at(text, r.start, r.end) is None]


def _year_rule(text: str, raws: Raws) -> tuple[int | None, str]:
    """Year for a month-day without one: after the latest past-tense year, capped by future-tense years."""
    lo, hi = _years(text, raws)
    if lo is None:
        return None, ""
    year = lo + 1 if hi is None or hi >= lo + 1 else lo
    why = f"year {year}: after latest past-tense year {lo}"
    return year, why + (f", not after future-tense {hi}" if hi is not None else "")


def _weekday_score(d: date, weekdays: list[int]) -> int:
    if d.weekday() in weekdays:
        return 2
    return 1 if (d - timedelta(days=1)).weekday() in weekdays else 0


def _dateline_year(text: str, raws: Raws, r: RawMention) -> tuple[int | None, str]:
    lo, hi = _years(text, raws)
    cm = _COPYRIGHT.search(text)
    cands: list[tuple[int, str]] = []
    if cm is not None and (lo is None or int(cm.group("y")) >= lo):
        cands.append((int(cm.group("y")), f"copyright year '{cm.group().strip()}'"))
    need_weekday = False
    if lo is None:
        plain = [y for y in _plain_years(text, raws) if hi is None or y <= hi]
        lo, need_weekday = (max(plain), True) if plain else (None, False)
    what = "latest year reported (no tense)" if need_weekday else "latest past-tense year"
    if lo is not None:
        cands += [(y, f"{what} {lo}" + ("" if y == lo else " + 1")) for y in (lo + 1, lo) if all(y != c for c, _ in cands)]
    cands = [(y, why) for y, why in cands if _day(r, y) is not None]
    if not cands:
        return None, ""
    pm = _PARAGRAPH_END.search(text, r.end)
    stop = pm.start() if pm else len(text)
    weekdays = [w.n for w in raws if w.kind == "weekday" and w.qual is None and r.end <= w.start < stop]
    scored = [
        (_weekday_score(_day(r, y), weekdays), hi is None or y <= hi, -i, y, why)
        for i, (y, why) in enumerate(cands)
    ]
    score, _, _, y, why = max(scored)
    if score == 0 and (weekdays or need_weekday):
        return None, ""
    return y, f"year {y} from {why}" + (", weekday of the lead agrees" if score else "")


def _line_quote(text: str, r: RawMention) -> str:
    ls, le = _line_bounds(text, r.start, r.end)
    line = text[ls:le].strip()
    return line if len(line) <= 80 else _quote(text, r)


def _header_end(text: str, dropped: tuple[tuple[int, int, str], ...]) -> int:
    """Where the first ``_HEADER_CHARS`` characters of the text end, not counting what cleaning set
    aside (a cookie banner above the masthead)."""
    end = len(text) - len(text.lstrip()) + _HEADER_CHARS
    for s, e, _ in sorted(dropped):
        if s >= end:
            break
        end += e - s
    return min(end, len(text))


def _body_end(text: str, dropped: tuple[tuple[int, int, str], ...]) -> int:
    """The end of the first long line that cleaning kept: where the article's body has begun."""
    for body in _LONG_LINE.finditer(text, len(text) - len(text.lstrip())):
        if not any(s <= body.start() and body.end() <= e for s, e, _ in dropped):
            return body.end()
    return len(text)


def _stated(text: str, raws: Raws, dropped: tuple[tuple[int, int, str], ...] = ()) -> PublicationDate | None:
    header_end = _header_end(text, dropped)
    body_end = _body_end(text, dropped)
    primary: RawMention | None = None
    secondary: RawMention | None = None
    full_line: RawMention | None = None
    partial_line: RawMention | None = None
    for r in raws:
        if r.start > header_end:
            break
        if r.kind != "date" or r.end_part is not None:
            continue
        if _is_dateline(text, r):
            if r.y is not None and full_line is None:
                full_line = r
            elif r.y is None and partial_line is None:
                partial_line = r
            continue
        if r.y is None or _day(r) is None:
            continue
        kind, labelled = _header_kind(text, r)
        if not labelled and r.start > body_end:
            continue
        if kind == "primary" and primary is None:
            primary = r
        elif kind == "secondary" and secondary is None:
            secondary = r
    for r, what in ((primary, "header"), (full_line, "dateline")):
        if r is not None and _day(r) is not None:
            return PublicationDate(_day(r), "stated", f"{what} '{_line_quote(text, r)}'")
    if partial_line is not None and secondary is not None:
        hd = _day(secondary)
        d = _day(partial_line, hd.year)
        if d is not None and d > hd:
            d = _day(partial_line, hd.year - 1)
        if d is not None:
            return PublicationDate(d, "stated", f"dateline '{_quote(text, partial_line)}', year from header '{_line_quote(text, secondary)}'")
    if secondary is not None:
        return PublicationDate(_day(secondary), "stated", f"header '{_line_quote(text, secondary)}'")
    if partial_line is not None:
        year, why = _dateline_year(text, raws, partial_line)
        d = _day(partial_line, year)
        if d is not None:
            return PublicationDate(d, "inferred", f"dateline '{_quote(text, partial_line)}'; {why}")
    return _footer(text, raws, max(body_end, header_end))


def _url_date(text: str, raws: Raws) -> PublicationDate | None:
    """The date in the path of the article's address on its first or second line ("https://example.com/
    news/2025/03/14/..."), unless the text reports a day in the past tense more than a month later
    (the address of another story; an update a few days later is no contradiction)."""
    lead = len(text) - len(text.lstrip())
    m = _URL_DATE.match(text, lead)
    if m is None:
        second = text.find("\n", lead)
        m = _URL_DATE.match(text, len(text) - len(text[second:].lstrip())) if second >= 0 else None
    if m is None or _IMAGE_URL.search(m.group()):
        return None
    try:
        d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    if any((day := _day(r)) is not None and day > d + timedelta(days=_URL_SLACK_DAYS)
           and tense_at(text, r.start, r.end) == "past" for r in raws):
        return None
    return PublicationDate(d, "stated", f"address '{m.group().strip()}'")


def _last_line(text: str, pos: int) -> bool:
    """Whether only blank lines follow the line holding ``pos``."""
    nl = text.find("\n", pos)
    return nl < 0 or not text[nl:].strip()


def _footer(text: str, raws: Raws, after: int) -> PublicationDate | None:
    """A labelled date line below the article ("Date 5 June 2025", "Published: 3 March 2025"), or a
    timestamp ending the text ("August 29, 2025 19:05 JST")."""
    tail = max(after, len(text) - _HEADER_CHARS)
    found: dict[str, RawMention] = {}
    for r in raws:
        if r.start < tail or r.kind != "date" or r.end_part is not None or _day(r) is None:
            continue
        kind, labelled = _header_kind(text, r)
        if kind is not None and (labelled or (_TIME_AFTER.match(text, r.end) and _last_line(text, r.end))):
            found.setdefault(kind, r)
    r = found.get("primary") or found.get("secondary")
    return None if r is None else PublicationDate(_day(r), "stated", f"footer '{_line_quote(text, r)}'")


def _paired(text: str, raws: Raws) -> PublicationDate | None:
    for r in raws:
        d = _day(r)
        if d is not None and r.pair is not None and r.pair.kind == "relday":
            return PublicationDate(d - timedelta(days=r.pair.n), "inferred", f"'{_quote(text, r)}'")
    return None


def _usable(r: RawMention, dropped: tuple[tuple[int, int, str], ...]) -> bool:
    return not any(s <= r.start and r.end <= e and _SKIP_REASON.search(reason) for s, e, reason in dropped)


def _past_weekdays(text: str, raws: Raws) -> list[RawMention]:
    return [w for w in raws if w.kind == "weekday" and w.qual is None and w.pair is None and tense_at(text, w.start, w.end) == "past"]


def _agreeing_weekday(text: str, raws: Raws, d: date) -> str:
    for w in raws:
        if w.kind == "weekday" and w.qual is None and w.n == d.weekday():
            return f", agrees with '{_quote(text, w)}' in the text"
    return ""


def _captions(text: str, raws: Raws, dropped: tuple[tuple[int, int, str], ...]) -> PublicationDate | None:
    found: list[tuple[date, RawMention]] = []
    for r in raws:
        d = _day(r)
        if d is None or not _usable(r, dropped):
            continue
        line_start = text.rfind("\n", 0, r.start) + 1
        if r.start - line_start > 300:
            continue
        after = _CAPTION_AFTER.match(text, r.end)
        if not _CAPTION_BEFORE.search(text, line_start, r.start) or after is None:
            continue
        if after.group("credit") and _FILE_PHOTO.search(after.group("credit")):
            continue
        found.append((d, r))
    if not found:
        return None
    d, r = max(found, key=lambda f: f[0])
    more = f" (latest of {len(found)} dated captions)" if len(found) > 1 else ""
    ev = f"caption dated '{_quote(text, r)}'{more}{_agreeing_weekday(text, raws, d)}"
    return PublicationDate(d, "inferred", ev)


def _tensed_days(text: str, raws: Raws) -> PublicationDate | None:
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
    lo, _ = _years(text, raws)
    if lo is not None and lo > d.year:
        return None
    if any(f[0] < d and f[1].y is not None for f in future):
        return None
    weekdays = _past_weekdays(text, raws)
    if any(w.n != d.weekday() for w in weekdays):
        return None
    ev = f"latest past-tense day '{text[max(0, r.start - 8) : r.end].lstrip()}' (lower bound; no weekday or later year contradicts)"
    later = [f for f in future if f[0] > d]
    if later:
        nd, nr = min(later, key=lambda f: f[0])
        ev += f", before future-tense '{_quote(text, nr)}'"
    if weekdays:
        ev += f", agrees with '{_quote(text, weekdays[0])}' in the text"
    if r.y is None:
        ev += f"; {why}"
    return PublicationDate(d, "inferred", ev)


def infer_publication_date(text: str, cleaned: CleanedText | None = None) -> PublicationDate:
    """When ``text`` was published, with the basis and a short quote of the evidence."""
    raws = scan(text)
    dropped = cleaned.dropped if cleaned is not None else ()
    kept = [r for r in raws if _usable(r, dropped)]
    found = _stated(text, kept, dropped) or _url_date(text, kept)
    if found:
        return found
    found = _paired(text, kept) or _captions(text, raws, dropped) or _tensed_days(text, kept)
    if found:
        return found
    return PublicationDate(None, "unknown", "no absolute date in the text")
