"""Temporal tagger: find date expressions in news text and resolve them to TIMEX3 values.

A hand-written regex grammar finds atomic expressions (explicit dates, months,
years, fiscal years, quarters, halves, seasons, weekdays, weekends, relative
words), a second pass joins them into ranges, pairs ("tomorrow (13 February
2025)") and modified expressions ("early 2025", "since February"), and a last
pass resolves them against the anchor (publication date), using the tense of
the surrounding clause for months and weekdays written without a year (a
weekday written next to a day-month picks the year in which the two agree).
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date, timedelta

from .paths import load_data
from .patterns import trie_pattern
from .records import TemporalMention

__all__ = ["RawMention", "mention_to_json", "scan", "tag_dates", "tense_at"]


def _load_words() -> dict:
    return load_data("temporal_words.toml")


_W = _load_words()


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _cased(words: list[str]) -> list[str]:
    return [v for w in words for v in (w, w.upper())]


_MONTH_NUM: dict[str, int] = {}
for _i, (_name, _forms) in enumerate(_W["months"].items(), start=1):
    for _f in _forms:
        _MONTH_NUM[_f.lower()] = _i
_FULL_MONTHS = list(_W["months"])
_ABBR_MONTHS = [f for forms in _W["months"].values() for f in forms[1:]]
_WEAK_MONTHS = set(_W["weak"]["months"])
_STRONG_SET = {v for m in _FULL_MONTHS if m not in _WEAK_MONTHS for v in (m, m.upper())}
_WEEKDAYS = _W["weekdays"]["names"]
_WEEKDAY_NUM = {w.lower(): i for i, w in enumerate(_WEEKDAYS)}
_NUMBERS: dict[str, int] = _W["numbers"]
_SEASONS: dict[str, list[int]] = _W["seasons"]["months"]
_WEAK_SEASONS = set(_W["seasons"]["weak"])
_ORDINALS: dict[str, int] = _W["ordinals"]

_MON = "|".join(sorted([re.escape(w) for w in _cased(_FULL_MONTHS)] + [re.escape(w) + r"\.?" for w in _cased(_ABBR_MONTHS)], key=len, reverse=True))
_WD = _alt(_cased(_WEEKDAYS))
_DAY = r"\d\d?(?:st|nd|rd|th)?(?![\d])"
_CENTURIES = ("19", "20")
_Y4 = rf"(?:{'|'.join(_CENTURIES)})\d{{2}}"
_YEAR = _Y4 + r"(?!\d)"
_DASH = r"\s*[-–—]\s*"
_NOT_AMOUNT = r"(?![.,]\d|\s*(?:%|per\s?cent|percent)|\d)"
_CTX = _alt(_W["weak"]["context"])
_ORD = _alt(list(_ORDINALS))
_NUMW = rf"(?:{_alt(list(_NUMBERS))}|\d{{1,2}})"
_W_BAD = "$€£¥#@/.,:-"

def _trie(words: list[str], space: str) -> str:
    """An alternation of ``words`` as a prefix tree, longer words first (what ``_alt`` matches, faster);
    a space in a word matches ``space``."""
    return trie_pattern(set(words), space=space, any_apostrophe=False)


_ANY_SPACE, _ONE_SPACE = r"\s+", re.escape(" ")
_RELDAY = _trie(["today", "tonight", "yesterday", "tomorrow", "this morning", "this afternoon", "this evening", "last night"], _ANY_SPACE)
_RELUNIT = _trie(["last", "next", "this", "coming", "earlier this", "later this"], _ANY_SPACE)

# (kind, pattern, run on the ASCII-lowercased text, characters not allowed just before the match,
#  strings of which every match contains one: the pattern is skipped when the text has none,
#  the anchor group giving every position where a match can start, or None to search everywhere)
_ATOMS: list[tuple[str, re.Pattern[str], bool, str, tuple[str, ...], str | None]] = [
    ("iso", re.compile(rf"(?P<y>{_Y4})(?P<s>[-/])(?P<m>0?[1-9]|1[0-2])(?P=s)(?P<d>3[01]|[12]\d|0?[1-9])(?!(?!T\d)[\w/-]|\.\d)"), False, "/.-", (), "year"),
    ("numeric", re.compile(rf"(?P<a>\d\d?)(?P<s>[./])(?P<b>\d{{1,2}})(?P=s)(?P<y>{_YEAR})(?![\w/]|[.,]\d)"), False, "/.,-", (), "numeric"),
    ("isoweek", re.compile(rf"(?P<y>{_YEAR})-?W(?P<w>0[1-9]|[1-4]\d|5[0-3])(?!\w)"), False, "-", ("W",), "year"),
    ("isoq", re.compile(rf"(?P<y>{_YEAR})-(?:Q(?P<q>[1-4])|H(?P<h>[12]))(?!\w)"), False, "-", ("-Q", "-H"), "year"),
    ("dmy", re.compile(rf"(?P<d>{_DAY})(?:{_DASH}(?P<d2>{_DAY})|\s+(?:to|and)\s+(?P<d3>{_DAY}))?\s+(?:of\s+)?(?P<mon>{_MON})(?![\w])(?:,?\s+(?P<y>{_YEAR}))?"), False, "$€£.,", (), "day_month"),
    ("mdy", re.compile(rf"(?P<mon>{_MON})\s+(?P<d>{_DAY})(?:{_DASH}(?P<d2>{_DAY})|\s+and\s+(?P<d3>{_DAY}))?{_NOT_AMOUNT}(?:,?\s+(?P<y>{_YEAR}))?(?!\w)"), False, "", (), "month"),
    ("my", re.compile(rf"(?P<mon>{_MON})(?:\s+of)?,?\s+(?P<y>{_YEAR})"), False, "", (), "month"),
    ("mon", re.compile(rf"(?P<mon>{_MON})(?!\w)"), False, "", (), "month"),
    ("yrange", re.compile(rf"(?P<y>{_YEAR})\s*[-–—/]\s*(?P<y2>{_YEAR}|\d{{2}}(?!\d))(?![\w%]|[.,/-]\d)"), False, _W_BAD, (), "year"),
    ("year", re.compile(rf"(?P<y>{_YEAR})(?![\w%/-]|[.,:]\d|\s*(?:%|per\s?cent|percent)|x\d)"), False, _W_BAD, (), "year"),
    ("quarter", re.compile(rf"Q(?P<q>[1-4])(?:(?:\s+of|,)?\s+(?P<y>{_YEAR}))?(?!\w)"), False, "", ("Q",), None),
    ("half", re.compile(rf"H(?P<h>[12])(?:\s+(?P<y>{_YEAR}))?(?!\w)"), False, "", ("H",), None),
    ("fiscal", re.compile(rf"FY\s?(?:(?P<yy>\d{{2}}(?!\d))|(?P<y>{_YEAR}))(?![\w%/-]|[.,]\d)"), False, _W_BAD, ("FY",), None),
    ("fiscal", re.compile(rf"fiscal(?:\s+year)?\s+(?P<y3>{_YEAR})(?![\w%/-]|[.,]\d)"), True, _W_BAD, ("fiscal",), None),
    ("quarter", re.compile(rf"(?P<qo>{_ORD})\s+quarter(?:(?:\s+of|,)?\s+(?P<y>{_YEAR})|\s+(?:of\s+)?(?P<rel>this|last|next|the)\s+year)?(?!\w)"), True, "", ("quarter",), None),
    ("half", re.compile(rf"(?P<ho>first|second|1st|2nd)\s+half(?:(?:\s+of|,)?\s+(?P<y>{_YEAR})|\s+of\s+(?P<rel>this|last|next|the)\s+year)?(?!\w)"), True, "", ("half",), None),
    ("relday", re.compile(r"the\s+day\s+(?:after\s+tomorrow|before\s+yesterday)(?!\w)"), True, "", ("the day",), None),
    ("relday", re.compile(rf"(?P<w>{_RELDAY})(?!\w)"), True, "", (), None),
    ("relunit", re.compile(rf"(?P<q>{_RELUNIT})\s+(?P<u>week|month|year|quarter)(?!\w)"), True, "", ("week", "month", "year", "quarter"), None),
    ("ago", re.compile(r"ago(?!\w)"), True, "", ("ago",), None),
    ("hence", re.compile(r"(?<=['’])\s+time(?!\w)|(?<=\s)from\s+now(?!\w)"), True, "", ("' time", "’ time", "from now"), None),
    ("theunit", re.compile(r"the\s+(?P<u>year|month|week)(?!\w)"), True, "", ("year", "month", "week"), None),
    ("weekday", re.compile(rf"(?P<wd>{_WD})(?!\w)"), False, "", (), "weekday"),
    ("weekend", re.compile(r"(?P<q>this|last|next|coming|the)\s+weekend(?!\w)"), True, "", ("weekend",), None),
    ("weekfrom", re.compile(rf"(?P<n>a|one|two|three)\s+weeks?\s+(?:from|after)\s+(?P<wd>{_alt([w.lower() for w in _WEEKDAYS])}|today|tomorrow)(?!\w)"), True, "", ("week from", "weeks from", "week after", "weeks after"), None),
    ("dom", re.compile(r"the\s+(?P<d>3[01]|[12]\d|[1-9])(?:st|nd|rd|th)(?=\s*[.,;)]|\s+(?:and|at|when|after|before|but|to)(?!\w))"), True, "", ("the",), None),
    ("season", re.compile(rf"(?P<sn>{_alt(list(_SEASONS))})(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?(?!\w)"), True, "", tuple(_SEASONS), None),
]
# Words one of which begins every match of an anchor group's patterns (all run on the text as written);
# "numeric" and "day_month" starts are derived from those of "year" and "month".
_ANCHORS: dict[str, tuple[str, ...]] = {
    "year": _CENTURIES,
    "month": tuple(_cased(_FULL_MONTHS + _ABBR_MONTHS)),
    "weekday": tuple(_cased(_WEEKDAYS)),
}
_DAY_MONTH_GAP = frozenset("stndrhoaf-–—")
_CTX_BEFORE = re.compile(rf"(?<!\w)(?:{_CTX})[\s-]+(?:the\s+)?(?:(?:end|beginning|start|middle)\s+of\s+)?\Z")
_QUAL_BEFORE = re.compile(r"(?<!\w)(?P<q>last|next|this|coming)\s+\Z")
_AGO_BEFORE = re.compile(rf"(?<!\w)(?P<n>{_NUMW})\s+(?P<u>days?|weeks?|months?|years?|decades?)\s+\Z")
_DOM_PREP = re.compile(r"(?<!\w)(?:on|by|until|since|from|for)\s+\Z")
# "Dacian Spring 2025", "the Arab Spring": a capitalised season after a name word names something.
_NAME_WORD_BEFORE = re.compile(r"(?<![\w’'-])([A-Z][a-z][\w’'-]*)(?<!['’]s)[ \t]+\Z")
_TITLE_CASE_LINKS = frozenset({"in", "for", "by", "until", "till", "since", "during", "this", "next", "last", "the",
                               "of", "early", "late", "from", "after", "before", "through", "over", "and", "or"})
# "03/12/2025 at 4:05 PM": a slashed date before a twelve-hour clock is written month first, as in the US
# (not with a zone of a country that writes the day first: "04/11/2025 10:15 AM IST").
_US_CLOCK_AFTER = re.compile(
    r"[ \t,]*(?:at[ \t]+)?\d{1,2}:\d{2}[ \t]*[AaPp]\.?[Mm]\b"
    r"(?![ \t.]*\(?(?:IST|AEST|AEDT|ACST|ACDT|AWST|BST|GMT|UTC|CET|CEST|EET|EEST|WET|WEST|JST|SGT|HKT|NZST|NZDT|SAST|GST|PKT)\b)")
_SEASON_CTX = re.compile(r"(?<!\w)(?:in|during|by|until|since|over|through|this|the)\s+(?:the\s+)?\Z")
_HENCE_BEFORE = re.compile(rf"(?:(?<!\w)in\s+)?(?<!\w)(?P<n>{_NUMW})\s+(?P<u>days?|weeks?|months?|years?)['’]?\s*\Z")
_MID_BEFORE = re.compile(r"(?<!\w)mid-\Z")
_HALF_CTX = re.compile(r"(?<!\w)(?:in|by|during|for|from|until|through|to|and|the|of)\s+\Z")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_MODIFIER = re.compile(
    r"(?i:(?P<m>early|mid|late|the\s+end\s+of|end\s+of|(?:the\s+)?(?:beginning|start)\s+of|(?:the\s+)?middle\s+of))[\s-]*\Z"
)
_MOD_VALUE = {"early": "START", "mid": "MID", "late": "END", "end": "END", "beginning": "START", "start": "START", "middle": "MID"}
_PREP = re.compile(r"(?<![\w])(?P<p>(?i:since|by|until|till|before|after|from|between))\s+\Z")
_PREP_MOD = {"since": "ON_OR_AFTER", "after": "AFTER", "before": "BEFORE", "by": "ON_OR_BEFORE", "until": "ON_OR_BEFORE", "till": "ON_OR_BEFORE"}
_RANGE_GAP = re.compile(r"\s*(?:[-–—]|(?i:to|until|till|through|and))\s*\Z")
_PAIR_GAP = re.compile(r"\s*,?\s*(?P<p>\()?\s*\Z")
_CLOSE = re.compile(r"\s*\)")
_QTY_BEFORE = re.compile(rf"(?i:(?<![\w])(?:{_alt(_W['quantity']['before'])}))\s*\Z|[$€£¥#]\s*\Z")
_QTY_AFTER = re.compile(rf"\s+(?:[a-z-]+\s+)?(?i:{_alt(_W['quantity']['after'])})(?!\w)")
_YEAR_PREP = re.compile(r"(?<!\w)(?i:in|since|until|during|before|after|through)\s+\Z")
_HASHY = re.compile(r"\b\d+x\d+\b|\b(?!\d+[a-z]+\b)(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{4,}\b")
_SENT_BREAK = re.compile(r"[.!?][\"'”’)]?\s|\n")

_fut = _W["tense"]["future"]
_past = _W["tense"]["past"]
_not_past = set(_W["tense"]["not_past"])
_report = set(_W["tense"]["report"])
_CLAUSE_CUT = re.compile(r"(?<!\w)(?:that|which|who|whom|whose|when|while|whereas|because|although|but)(?!\w)|,\s+and(?!\w)|[;:—–\"“”()]")
_SCHED_CONJ = re.compile(r"(?<!\w)(?i:before|until|till|once|ahead\s+of)\s")
_PASSIVE_BE = re.compile(r"(?<!\w)(?i:be|being)\s+\Z")
_ADJACENT = re.compile(r"\s*(?:(?:on|in)\s+)?\Z")


# Cue groups in order of precedence at one position; "'ll" is the only cue after a word character.
_TENSE = re.compile(
    rf"(?<![\w])(?:(?P<i>(?i:{_trie(_W['tense']['intent_past'], _ANY_SPACE)}))(?!\w)"
    rf"|(?P<f>(?i:{_trie(_fut, _ANY_SPACE)}))(?!\w)"
    rf"|(?P<n>{_trie(_W['tense']['present'], _ONE_SPACE)})(?!\w)"
    rf"|(?P<p>{_trie(_past, _ONE_SPACE)}|[a-z]{{2,}}ed)(?!\w))"
    rf"|(?<=\w)(?P<f2>['’]ll)(?!\w)"
)

VALUE_RE = re.compile(r"\A\d{4}(?:-(?:\d{2}(?:-\d{2})?|W\d{2}|Q[1-4]|H[12]))?\Z")


@dataclass(slots=True)
class RawMention:
    """An expression before resolution: what the text says, not yet where it lands."""

    start: int
    end: int
    kind: str
    y: int | None = None
    m: int | None = None
    d: int | None = None
    n: int | None = None
    unit: str | None = None
    qual: str | None = None
    mod: str | None = None
    prep: str | None = None
    end_part: RawMention | None = None
    pair: RawMention | None = None


def _month(s: str) -> int:
    return _MONTH_NUM[s.rstrip(".").lower()]


def _day(s: str) -> int:
    return int(s.rstrip("stndrh"))


def _valid(y: int | None, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y if y else 2000, m)[1]


def _year_is_quantity(text: str, s: int, e: int) -> bool:
    if _QTY_BEFORE.search(text, max(0, s - 16), s):
        return True
    if _QTY_AFTER.match(text, e) and not _YEAR_PREP.search(text, max(0, s - 8), s):
        return True
    ls = max(text.rfind("\n", max(0, s - 40), s) + 1, s - 40)
    le = text.find("\n", e, e + 40)
    return len(_HASHY.findall(text, ls, le if le >= 0 else e + 40)) >= 2


def _atom(kind: str, mt: re.Match[str], text: str, low: str) -> RawMention | None:
    g = mt.groupdict()
    s, e = mt.span()
    y = int(g["y"]) if g.get("y") else None
    if kind == "iso":
        m, d = int(g["m"]), int(g["d"])
        return RawMention(s, e, "date", y, m, d) if _valid(y, m, d) else None
    if kind == "numeric":
        a, b = int(g["a"]), int(g["b"])
        d, m = (a, b) if a > 12 or b <= 12 else (b, a)
        if a <= 12 and b <= 12 and g["s"] == "/" and _US_CLOCK_AFTER.match(text, e):
            d, m = b, a
        return RawMention(s, e, "date", y, m, d) if _valid(y, m, d) else None
    if kind == "isoweek":
        return RawMention(s, e, "week", y, n=int(g["w"]))
    if kind == "isoq":
        return RawMention(s, e, "quarter" if g["q"] else "half", y, n=int(g["q"] or g["h"]))
    if kind in ("dmy", "mdy"):
        m, d = _month(g["mon"]), _day(g["d"])
        if not _valid(y, m, d):
            return None
        raw = RawMention(s, e, "date", y, m, d)
        d2s = g.get("d2") or g.get("d3")
        if d2s:
            d2 = _day(d2s)
            if not _valid(y, m, d2) or d2 <= d:
                return None
            raw.end_part = RawMention(s, e, "date", y, m, d2)
        return raw
    if kind == "my":
        return RawMention(s, e, "month", y, _month(g["mon"]))
    if kind == "mon":
        qm = _QUAL_BEFORE.search(low, max(0, s - 8), s)
        if qm:
            return RawMention(qm.start(), e, "month", None, _month(g["mon"]), qual=qm.group("q"))
        if g["mon"] not in _STRONG_SET and not _CTX_BEFORE.search(low, max(0, s - 30), s):
            return None
        return RawMention(s, e, "month", None, _month(g["mon"]))
    if kind == "yrange":
        y2s = g["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y // 100) * 100 + int(y2s)
        if y2 <= y or _year_is_quantity(text, s, e):
            return None
        return RawMention(s, e, "year", y, end_part=RawMention(s, e, "year", y2))
    if kind == "year":
        return None if _year_is_quantity(text, s, e) else RawMention(s, e, "year", y)
    if kind == "weekend":
        return RawMention(s, e, "weekend", qual=g["q"])
    if kind == "weekfrom":
        wd = g["wd"]
        base = _WEEKDAY_NUM.get(wd, -1 if wd == "today" else -2)
        return RawMention(s, e, "weekfrom", n=base, d=_NUMBERS[g["n"]])
    if kind == "dom":
        return None if not _DOM_PREP.search(low, max(0, s - 7), s) else RawMention(s, e, "dom", d=int(g["d"]))
    if kind == "season":
        qm = _QUAL_BEFORE.search(low, max(0, s - 8), s)
        sn, q = g["sn"], qm.group("q") if qm else None
        s = qm.start() if qm else s
        if not (y or q) and (sn in _WEAK_SEASONS or not _SEASON_CTX.search(low, max(0, s - 12), s)):
            return None
        if not q and text[s].isupper() and (
                (nw := _NAME_WORD_BEFORE.search(text, max(0, s - 30), s)) and nw.group(1).lower() not in _TITLE_CASE_LINKS):
            return None
        m0, m1 = _SEASONS[sn]
        y1 = y + (m1 < m0) if y else None
        return RawMention(s, e, "month", y, m0, qual=q, end_part=RawMention(s, e, "month", y1, m1))
    if kind == "fiscal":
        return RawMention(s, e, "year", int(g["y3"]) if g.get("y3") else y or 2000 + int(g["yy"]))
    if kind == "half" and y is None and g.get("h") and not _HALF_CTX.search(low, max(0, s - 12), s):
        return None
    if kind in ("quarter", "half"):
        n = int(g.get("q") or g.get("h") or 0) or _ORDINALS[(g.get("qo") or g.get("ho")).lower()]
        if kind == "half" and n > 2:
            return None
        rel = g.get("rel")
        return RawMention(s, e, kind, y, n=n, qual="this" if rel == "the" else rel)
    if kind == "relday":
        w = " ".join((g.get("w") or mt.group()).split())
        off = {"yesterday": -1, "tomorrow": 1, "last night": -1, "the day after tomorrow": 2, "the day before yesterday": -2}.get(w, 0)
        return RawMention(s, e, "relday", n=off, qual=w)
    if kind == "relunit":
        return RawMention(s, e, "relunit", unit=g["u"], qual=" ".join(g["q"].split()))
    if kind == "ago":
        am = _AGO_BEFORE.search(low, max(0, s - 24), s)
        if not am:
            return None
        ns = am.group("n")
        n = int(ns) if ns.isdigit() else _NUMBERS[ns]
        return RawMention(am.start(), e, "ago", n=n, unit=am.group("u").rstrip("s"))
    if kind == "hence":
        hm = _HENCE_BEFORE.search(low, max(0, s - 24), s)
        if not hm:
            return None
        ns = hm.group("n")
        n = int(ns) if ns.isdigit() else _NUMBERS[ns]
        return RawMention(hm.start(), e, "ago", n=-n, unit=hm.group("u").rstrip("s"))
    if kind == "theunit":
        if not _MODIFIER.search(text, max(0, s - 20), s):
            return None
        return RawMention(s, e, "relunit", unit=g["u"], qual="this")
    if kind == "weekday":
        qm = _QUAL_BEFORE.search(low, max(0, s - 8), s)
        wd = _WEEKDAY_NUM[g["wd"].lower()]
        return RawMention(qm.start() if qm else s, e, "weekday", n=wd, qual=qm.group("q") if qm else None)
    return None


def _anchor_scanner() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One pattern finding every anchor word, and the groups each word it finds starts a match of
    (every group with an anchor that is a prefix of the word)."""
    words = sorted({w for ws in _ANCHORS.values() for w in ws}, key=lambda w: (-len(w), w))
    owners = {w: tuple(sorted(g for g, ws in _ANCHORS.items() if any(w.startswith(v) for v in ws))) for w in words}
    words = [w for w in words if not any(v != w and w.startswith(v) and owners[v] == owners[w] for v in words)]
    return re.compile("|".join(map(re.escape, words))), owners


_SCANNER = _anchor_scanner()


def _anchor_starts(text: str) -> dict[str, list[int]]:
    """Every position of ``text`` where an anchor word of each group starts."""
    rx, owners = _SCANNER
    found: dict[str, list[int]] = {g: [] for g in _ANCHORS}
    pos = 0
    while (mt := rx.search(text, pos)) is not None:
        pos = mt.start()
        for g in owners[mt.group()]:
            found[g].append(pos)
        pos += 1
    return found


def _numeric_starts(text: str, years: list[int]) -> list[int]:
    """Where "d/m/yyyy" can start: one or two digits, a separator and one or two digits before a year."""
    return sorted({y - k for y in years if y and text[y - 1] in "./" for k in (4, 5, 6) if y >= k})


def _day_month_starts(text: str, months: list[int]) -> list[int]:
    """Where "4 June" can start: a digit in the run of digits, spaces, dashes and joining words before a month."""
    found: set[int] = set()
    for m in months:
        s = m
        while s > 0 and (text[s - 1].isdigit() or text[s - 1].isspace() or text[s - 1] in _DAY_MONTH_GAP):
            s -= 1
        found.update(p for p in range(s, m) if text[p].isdigit())
    return sorted(found)


def _starts(text: str) -> dict[str, list[int]]:
    """For each anchor group, every position where one of its patterns can match ``text``."""
    found = _anchor_starts(text)
    found["numeric"] = _numeric_starts(text, found["year"])
    found["day_month"] = _day_month_starts(text, found["month"])
    return found


def _search(rx: re.Pattern[str], src: str, pos: int, starts: list[int] | None) -> re.Match[str] | None:
    """``rx.search(src, pos)``, trying only ``starts`` when given."""
    if starts is None:
        return rx.search(src, pos)
    for i in range(bisect_left(starts, pos), len(starts)):
        mt = rx.match(src, starts[i])
        if mt is not None:
            return mt
    return None


def _atoms(text: str) -> list[RawMention]:
    low = text.lower()
    if len(low) != len(text):
        low = text.translate(_ASCII_LOWER)
    cands: list[RawMention] = []
    all_starts = _starts(text)
    for kind, rx, on_low, bad, needles, group in _ATOMS:
        src = low if on_low else text
        if needles and not any(map(src.__contains__, needles)):
            continue
        starts = all_starts[group] if group else None
        pos = 0
        while (mt := _search(rx, src, pos, starts)) is not None:
            s = mt.start()
            prev = text[s - 1] if s else " "
            ok = not (prev.isalnum() or prev == "_") and (
                prev not in bad or (kind == "year" and prev == "-" and _MID_BEFORE.search(low, max(0, s - 5), s))
            )
            raw = _atom(kind, mt, text, low) if ok else None
            if raw is None:
                pos = s + 1
                continue
            cands.append(raw)
            pos = mt.end()
    cands.sort(key=lambda r: (r.start - r.end, r.start))
    taken = _longest_first(cands)
    taken.sort(key=lambda r: r.start)
    return taken


def _longest_first(cands: list[RawMention]) -> list[RawMention]:
    """The candidates, in order, that overlap none taken before them."""
    taken: list[RawMention] = []
    if any(r.start >= r.end for r in cands):
        occupied: list[tuple[int, int]] = []
        for r in cands:
            if all(r.end <= s or r.start >= e for s, e in occupied):
                taken.append(r)
                occupied.append((r.start, r.end))
        return taken
    starts: list[int] = []
    ends: list[int] = []
    for r in cands:
        i = bisect_left(starts, r.end)
        if i and ends[i - 1] > r.start:
            continue
        taken.append(r)
        starts.insert(i, r.start)
        ends.insert(i, r.end)
    return taken


def _key(r: RawMention) -> tuple[int, int, int]:
    return (r.y or 0, r.m or (3 * (r.n - 1) + 1 if r.kind == "quarter" and r.n else 1), r.d or 1)


_RANGE_FAMILY = {"date": "dm", "month": "dm", "year": "y", "quarter": "q", "half": "h"}


def _merge(text: str, atoms: list[RawMention]) -> list[RawMention]:
    out: list[RawMention] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None:
            gap = text[a.end : b.start]
            pm = _PAIR_GAP.fullmatch(gap) if len(gap) < 6 else None
            if pm and a.kind in ("relday", "weekday") and b.kind == "date" and b.end_part is None:
                end = b.end
                if pm.group("p"):
                    cm = _CLOSE.match(text, b.end)
                    if not cm:
                        pm = None
                    else:
                        end = cm.end()
                if pm:
                    out.append(replace(b, start=a.start, end=end, pair=a))
                    i += 2
                    continue
            if (
                a.end_part is None
                and b.end_part is None
                and _RANGE_FAMILY.get(a.kind)
                and _RANGE_FAMILY.get(a.kind) == _RANGE_FAMILY.get(b.kind)
                and len(gap) < 12
                and _RANGE_GAP.match(gap)
                and not (a.y is not None and b.y is not None and _key(b) < _key(a))
            ):
                word = gap.strip().lower()
                prep = _PREP.search(text, max(0, a.start - 12), a.start)
                pword = prep.group("p").lower() if prep else ""
                if (word != "and" or pword == "between") and (word not in ("to", "until", "till", "through") or pword != "between"):
                    start = prep.start() if pword in ("from", "between") else a.start
                    a2 = replace(a, start=start, end=b.end, end_part=b)
                    if a2.y is None and b.y is not None:
                        a2.y = b.y
                        if (a2.m or 0, a2.d or 0) > (b.m or 0, b.d or 0):
                            a2.y = b.y - 1
                    out.append(a2)
                    i += 2
                    continue
        out.append(a)
        i += 1
    for k, r in enumerate(out):
        if r.kind in ("year", "month", "quarter", "half", "relunit") and r.end_part is None:
            mm = _MODIFIER.search(text, max(0, r.start - 20), r.start)
            if mm:
                g = mm.group("m").lower()
                r = replace(r, start=mm.start(), mod=next(v for w, v in _MOD_VALUE.items() if w in g))
        if r.end_part is None and r.kind not in ("relday", "ago"):
            pm2 = _PREP.search(text, max(0, r.start - 9), r.start)
            if pm2 and pm2.group("p").lower() in _PREP_MOD:
                p = pm2.group("p").lower()
                r = replace(r, start=pm2.start(), prep=p, mod=r.mod or _PREP_MOD[p])
        out[k] = r
    return out


@lru_cache(maxsize=32)
def scan(text: str) -> tuple[RawMention, ...]:
    """Unresolved expressions in ``text``, sorted and non-overlapping (do not mutate them)."""
    return tuple(_merge(text, _atoms(text)))


@lru_cache(maxsize=32)  # repeats come from one document; a larger cache would keep many documents' texts alive
def tense_at(text: str, start: int, end: int) -> str | None:
    """``past``/``future`` from the cue nearest to text[start:end] in its sentence, else None."""
    lo = max(0, start - 300)
    for mt in _SENT_BREAK.finditer(text, lo, start):
        lo = mt.end()
    hm = _SENT_BREAK.search(text, end, min(len(text), end + 300))
    hi = hm.start() if hm else min(len(text), end + 300)
    for mt in _CLAUSE_CUT.finditer(text, lo, start):
        lo = mt.end()
    cm = _CLAUSE_CUT.search(text, end, hi)
    if cm:
        hi = cm.start()
    best: tuple[int, str | None, int] | None = None
    for mt in _TENSE.finditer(text, lo, hi):
        if mt.start() < end and mt.end() > start:
            continue
        p = mt.group("p")
        if p and (
            p in _not_past
            or (p in _report and not (mt.end() <= start and _ADJACENT.match(text, mt.end(), start)))
            or _PASSIVE_BE.search(text, max(lo, mt.start() - 7), mt.start())
        ):
            continue
        dist = start - mt.end() if mt.end() <= start else (mt.start() - end) * 2
        tense = "past" if p else None if mt.group("n") or mt.group("i") else "future"
        if best is None or dist < best[0]:
            best = (dist, tense, 0 if mt.group("n") and mt.group("n").lower() not in ("has", "have") else -1)
    if best is None:
        return None
    if best[2] >= 0 and _SCHED_CONJ.search(text, lo, start):
        return "future"
    return best[1]


def _period(kind: str, y: int, m: int | None = None, d: int | None = None, n: int | None = None) -> tuple[str, str, date, date]:
    if kind == "date":
        dd = date(y, m, d)
        return f"{y:04d}-{m:02d}-{d:02d}", "day", dd, dd
    if kind == "month":
        return f"{y:04d}-{m:02d}", "month", date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    if kind == "quarter":
        m0 = 3 * (n - 1) + 1
        return f"{y:04d}-Q{n}", "quarter", date(y, m0, 1), date(y, m0 + 2, calendar.monthrange(y, m0 + 2)[1])
    if kind == "half":
        m0 = 6 * (n - 1) + 1
        return f"{y:04d}-H{n}", "half", date(y, m0, 1), date(y, m0 + 5, calendar.monthrange(y, m0 + 5)[1])
    if kind == "week":
        return f"{y:04d}-W{n:02d}", "week", date.fromisocalendar(y, n, 1), date.fromisocalendar(y, n, 7)
    return f"{y:04d}", "year", date(y, 1, 1), date(y, 12, 31)


_SOON_DAYS = 7


def _pick_year(r: RawMention, anchor: date, tense: str | None) -> int:
    opts = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            opts.append((y, _period(r.kind, y, r.m, r.d, r.n)))
        except ValueError:
            continue
    if tense == "past":
        ok = [y for y, p in opts if p[2] <= anchor]
        if ok:
            # A day almost a year back versus the same day a few days ahead: news
            # writes the year for old dates, so a bare day next week is meant
            # ("declared March 9 a day of mourning" on March 8).
            if r.kind == "date":
                past = dict(opts)[max(ok)][2]
                soon = [y for y, p in opts if anchor < p[2] <= anchor + timedelta(days=_SOON_DAYS)]
                if soon and (anchor - past).days > 300:
                    return soon[0]
            return max(ok)
    elif tense == "future":
        ok = [y for y, p in opts if p[3] >= anchor]
        if ok:
            return min(ok)

    def dist(p: tuple[str, str, date, date]) -> int:
        return 0 if p[2] <= anchor <= p[3] else min(abs((p[2] - anchor).days), abs((p[3] - anchor).days))

    return min(opts, key=lambda o: (dist(o[1]), o[0] > anchor.year))[0]


def _paired_year(r: RawMention, anchor: date) -> int | None:
    """The year in which a day-month agrees with the weekday or relative day written next to it."""
    p = r.pair
    years = []
    for y in range(anchor.year - 1, anchor.year + 2):
        try:
            dd = date(y, r.m, r.d)
        except ValueError:
            continue
        if p.kind == "weekday" and dd.weekday() == p.n:
            years.append(y)
        elif p.kind == "relday" and dd == anchor + timedelta(days=p.n):
            years.append(y)
    return years[0] if len(years) == 1 else None


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _narrow(ds: date, de: date, mod: str | None) -> tuple[date, date]:
    if mod not in ("START", "MID", "END") or ds == de:
        return ds, de
    span = (de - ds).days + 1
    third = span // 3
    if mod == "START":
        return ds, ds + timedelta(days=third - 1)
    if mod == "MID":
        return ds + timedelta(days=third), de - timedelta(days=third)
    return de - timedelta(days=third - 1), de


_Resolved = tuple[str, str, date, date, str]


def _resolve_core(r: RawMention, text: str, anchor: date | None, tense: str | None) -> _Resolved | None:
    k = r.kind
    if k in ("date", "month", "year", "quarter", "half", "week") and r.y is not None:
        return (*_period(k, r.y, r.m, r.d, r.n), "explicit")
    if anchor is None:
        return None
    if k in ("date", "month", "quarter", "half"):
        if r.qual in ("this", "last", "next"):
            y = anchor.year + {"this": 0, "last": -1, "next": 1}[r.qual]
            if k == "month" and r.qual != "this":
                y = anchor.year - (r.m >= anchor.month) if r.qual == "last" else anchor.year + (r.m <= anchor.month)
                season = r.end_part is not None and (r.end_part.start, r.end_part.end) == (r.start, r.end)
                if season and r.qual == "last" and r.end_part.m:
                    # "last autumn" in October is the autumn before: a season counts only once it has ended
                    # ("last winter" in January is the winter that ended a year before).
                    end_m = r.end_part.m
                    y = anchor.year - (end_m >= anchor.month) - (end_m < r.m)
            return (*_period(k, y, r.m, r.d, r.n), "relative")
        if r.qual == "coming":
            tense = "future"
        y = _paired_year(r, anchor) if k == "date" and r.pair is not None else None
        return (*_period(k, y or _pick_year(r, anchor, tense), r.m, r.d, r.n), "tense")
    if k == "relday":
        dd = anchor + timedelta(days=r.n)
        return (*_period("date", dd.year, dd.month, dd.day), "relative")
    if k == "weekend":
        a = anchor.weekday()
        sat = anchor - timedelta(days=(a - 5) % 7)
        weekend = a >= 5
        if r.qual == "last":
            sat -= timedelta(days=7 * weekend)
        elif r.qual == "next":
            sat += timedelta(days=7)
        elif (r.qual in ("this", "coming") or tense == "future") and not weekend:
            sat += timedelta(days=7)
        return sat.isoformat(), "day", sat, sat + timedelta(days=1), "relative" if r.qual != "the" else "tense"
    if k == "weekfrom":
        a = anchor.weekday()
        delta = -r.n - 1 if r.n < 0 else (r.n - a) % 7
        dd = anchor + timedelta(days=delta + 7 * r.d)
        return (*_period("date", dd.year, dd.month, dd.day), "relative")
    if k == "dom":
        dd = None
        y, m = anchor.year, anchor.month
        for step in ((0, -1, 1) if tense is None else (0, -1) if tense == "past" else (0, 1)):
            yy, mm = _shift_month(y, m, step)
            if not _valid(yy, mm, r.d):
                continue
            c = date(yy, mm, r.d)
            if (tense == "past" and c > anchor) or (tense == "future" and c < anchor):
                continue
            if dd is None or abs((c - anchor).days) < abs((dd - anchor).days):
                dd = c
        return (*_period("date", dd.year, dd.month, dd.day), "tense") if dd else None
    if k == "weekday":
        a = anchor.weekday()
        if r.qual == "last":
            delta = -((a - r.n) % 7 or 7)
        elif r.qual == "next":
            delta = 7 - a + r.n
        elif r.qual in ("this", "coming") or tense == "future":
            delta = (r.n - a) % 7
        else:
            delta = -((a - r.n) % 7)
        dd = anchor + timedelta(days=delta)
        return (*_period("date", dd.year, dd.month, dd.day), "relative" if r.qual else "tense")
    if k == "relunit":
        step = {"last": -1, "next": 1, "coming": 1}.get(r.qual, 0)
        if r.unit == "week":
            dd = anchor + timedelta(days=7 * step)
            iy, iw, _ = dd.isocalendar()
            res = _period("week", iy, n=iw)
        elif r.unit == "month":
            y, m = _shift_month(anchor.year, anchor.month, step)
            res = _period("month", y, m)
        elif r.unit == "quarter":
            y, m = _shift_month(anchor.year, anchor.month, 3 * step)
            res = _period("quarter", y, n=(m - 1) // 3 + 1)
        else:
            res = _period("year", anchor.year + step)
        v, p, ds, de = res
        if r.qual == "earlier this":
            de = anchor
        elif r.qual == "later this":
            ds = anchor
        return v, p, ds, de, "relative"
    if k == "ago":
        if r.unit == "day":
            dd = anchor - timedelta(days=r.n)
            return (*_period("date", dd.year, dd.month, dd.day), "relative")
        if r.unit == "week":
            iy, iw, _ = (anchor - timedelta(days=7 * r.n)).isocalendar()
            return (*_period("week", iy, n=iw), "relative")
        if r.unit == "month":
            y, m = _shift_month(anchor.year, anchor.month, -r.n)
            return (*_period("month", y, m), "relative")
        return (*_period("year", anchor.year - r.n * (10 if r.unit == "decade" else 1)), "relative")
    return None


def _tense_for(r: RawMention, text: str) -> str | None:
    if r.prep in ("since", "after"):
        return "past" if r.prep == "since" else tense_at(text, r.start, r.end)
    if r.qual == "coming":
        return "future"
    return tense_at(text, r.start, r.end)


def _resolve(r: RawMention, text: str, anchor: date | None) -> TemporalMention:
    needs_tense = anchor is not None and r.y is None and r.kind in ("date", "month", "quarter", "half", "weekday", "weekend", "dom")
    tense = _tense_for(r, text) if needs_tense else None
    try:
        core = _resolve_core(r, text, anchor, tense)
    except (ValueError, OverflowError):
        core = None
    span = text[r.start : r.end]
    if core is None:
        return TemporalMention(span, r.start, r.end, None, "unknown", "unresolved", mod=r.mod)
    value, precision, ds, de, how = core
    ds, de = _narrow(ds, de, r.mod)
    value_end = de.isoformat() if r.kind == "weekend" else None
    if r.end_part is not None:
        e = r.end_part
        ey = e.y
        if ey is None:
            ey = int(value[:4])
            if (e.m or 0, e.d or 0) < (r.m or 0, r.d or 0):
                ey += 1
        try:
            value_end, _, _, end_de = _period(e.kind, ey, e.m, e.d, e.n)
        except ValueError:
            value_end, end_de = None, de
        if end_de < ds:
            value_end, end_de = None, de
        de = end_de
    if r.prep == "since" and anchor is not None and anchor > de:
        de = anchor
    return TemporalMention(span, r.start, r.end, value, precision, how, value_end, ds, de, r.mod)


def tag_dates(text: str, anchor: date | None = None) -> list[TemporalMention]:
    """Every date expression in ``text``, resolved against ``anchor``."""
    return [_resolve(r, text, anchor) for r in scan(text)]


def mention_to_json(m: TemporalMention) -> dict:
    """A JSON-ready dict of a mention (ranges add ``value_end``, modified ones ``mod``)."""
    out: dict = {"text": m.text, "start": m.start, "end": m.end, "value": m.value, "precision": m.precision}
    if m.value_end is not None:
        out["value_end"] = m.value_end
    out["resolution"] = m.resolution
    if m.mod:
        out["mod"] = m.mod
    out["date_start"] = m.date_start.isoformat() if m.date_start else None
    out["date_end"] = m.date_end.isoformat() if m.date_end else None
    return out
