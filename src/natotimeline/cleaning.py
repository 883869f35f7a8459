"""Set aside text that is not the article: headline lists, appeals, share
lines, image hashes, foreign-language footers, disclaimers, credits, cited
sources ("[1] ..."), correction notes, author bios ("About the author: ...").

Rules work line by line on the original text; every range refers to it.
Phrase lists live in ``data/boilerplate.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .paths import load_data
from .patterns import trie_pattern
from .records import CleanedText

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_TERMINAL_CHARS = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_CAPTION_DATE = re.compile(
    rf"(?i)(?:\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)"
    r",?\s+(?:19|20)\d{2}\W*$"
)
_TRAILING_PAREN = re.compile(r"\s*\([^()\n]*\)\W*$")
_IMAGE_SIZE = re.compile(r"^\d{2,5}\s*[x×]\s*\d{2,5}\b")
_HASHY = re.compile(r"^(?=[^\W_]*\d)(?=[^\W_]*[a-zA-Z])[^\W_]{4,}$|^[0-9a-f]{6,}$|^\d{5,}$")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|svg)(?:\?\S*)?$", re.I)
_META_PREFIX = re.compile(
    r"^\s*(?:date|published|updated|posted|dateline)\s*:?\s*"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\s*",
    re.I,
)
_SEPARATOR = re.compile(r"^[\W_]{3,}$")
_AGENCY_PHOTO = re.compile(r"\((?:[A-Z][\w.&'’-]*[ \t]+){0,3}(?i:photo|photograph|image|picture)s?[ \t]*/[^()\n]{1,80}\)[\W]*$")
_COMMENT_COUNT = re.compile(r"(?i)^(?:\d{1,5}|no|one|two|three|four|five|six|seven|eight|nine|ten)[ \t]+(?:comments?|responses?|replies|thoughts[ \t]+on\b.*)$")
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and|&)\s*.{0,60})?$")
_WORD = re.compile(r"[^\W\d_]+")
_NAME_WORDS = r"(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,5}"


@dataclass(frozen=True, slots=True)
class _Vocab:
    appeal: re.Pattern[str]
    disclaimer: re.Pattern[str]
    marks: re.Pattern[str]
    max_mark_line: int
    credit_starts: tuple[str, ...]
    related_headings: frozenset[str]
    related_prefixes: tuple[str, ...]
    share: frozenset[str]
    signoff: re.Pattern[str]
    blurb: re.Pattern[str]
    credit_line: re.Pattern[str]
    credit_inline: re.Pattern[str]
    english: frozenset[str]
    english_re: re.Pattern[str]
    foreign: frozenset[str]
    contributor: re.Pattern[str]
    caption: re.Pattern[str]
    comment_headings: frozenset[str]


def _phrases(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(trie_pattern(p.lower() for p in phrases))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = load_data("boilerplate.toml")
    labels = "|".join(sorted((re.escape(w) for w in raw["credit"]["labels"]), key=len, reverse=True))
    signoff = "|".join(sorted((re.escape(w) for w in raw["signoff"]["words"]), key=len, reverse=True))
    blurb = "|".join(sorted((re.escape(w) for w in raw["blurb"]["words"]), key=len, reverse=True))
    return _Vocab(
        appeal=_phrases(raw["appeal"]["phrases"]),
        disclaimer=_phrases(raw["disclaimer"]["phrases"]),
        marks=_phrases(raw["disclaimer"]["marks"]),
        max_mark_line=int(raw["disclaimer"]["max_mark_line"]),
        credit_starts=tuple(p.lower() for p in raw["disclaimer"]["line_starts"]),
        related_headings=frozenset(h.lower() for h in raw["related"]["headings"]),
        related_prefixes=tuple(p.lower() for p in raw["related"]["prefixes"]),
        share=frozenset(w.lower() for w in raw["share"]["words"]),
        signoff=re.compile(rf"^{_NAME_WORDS}\s+(?i:{signoff})$"),
        blurb=re.compile(rf"^{_NAME_WORDS}\s+(?:[-–—]\s+|is\s+)(?:the|a|an|your)\b.{{0,300}}?(?i:{blurb})"),
        credit_line=re.compile(rf"(?i)^\(?\s*(?:{labels})\s*(?:credit)?\s*[:/]\s*[^()\n]{{1,80}}\)?$"),
        credit_inline=re.compile(rf"(?i)\(\s*(?:{labels})\s*(?:credit)?\s*[:/]\s*[^()\n]{{1,80}}\)"),
        english=frozenset(raw["language"]["english"]),
        english_re=re.compile(r"\b(?:" + trie_pattern(raw["language"]["english"]) + r")\b"),
        foreign=frozenset(raw["language"]["foreign"]),
        contributor=_phrases(raw["credit"]["contributors"]),
        caption=re.compile(rf"(?i)^\[\s*(?:{'|'.join(re.escape(w) for w in raw['credit']['captions'])})s?\s*[:/-][^\n]*\]$"),
        comment_headings=frozenset(h.lower() for h in raw["comments"]["headings"]),
    )


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    reason: str | None = None
    blank: bool = False
    headline: bool = False
    prose: bool = False
    meta: bool = False
    """A page's details ("From: Ministry of Defence", "Published 2 June 2025"): neither a listed
    headline nor a break in a list of them, and no footer line either."""


def _ends_sentence(line: str) -> bool:
    """Whether ``line`` ends in sentence punctuation, maybe followed by quotes or brackets."""
    body = line[:-1] if line.endswith("\n") else line
    body = body.rstrip(_CLOSERS)
    return bool(body) and body[-1] in _TERMINAL_CHARS


# "[1] NATO, "Defence Expenditure of NATO Countries", press release, 17 June 2024.": a source cited.
_FOOTNOTE = re.compile(r"\[\d{1,3}\][ \t]+\S")
# "Correction: An earlier version of this story misstated ... as 1.82%": what the story no longer says.
_CORRECTION = re.compile(
    r"(?i:correction|clarification)(?:,[^:\n]{1,30})?\s*:"
    r"|(?i:an\s+earlier\s+version\s+of\s+this\s+(?:story|article)(?:,[^,\n]{1,60},)?\s+(?:\w+ly\s+)?"
    r"(?:said|stated|gave|reported|referred|described|included|mis\w+|wrongly|incorrectly))"
    r"|(?i:an\s+earlier\s+version\s+of\s+this\s+(?:story|article|report)\b[^\n]*"
    r"\b(?:incorrect(?:ly)?|wrong(?:ly)?|mis\w+|in\s+error|should\s+have|erroneous(?:ly)?)\b)"
    r"|(?i:this\s+(?:story|article|report)\s+has\s+been\s+(?:corrected|updated\s+to\s+correct))")
# "Monday, 2 June 2025", "June 2, 2025", "02.06.2025", "2025-06-02": a date written out alone.
_DATE_ONLY = (
    r"(?:[A-Za-z]+,?[ \t]+)?(?:\d{1,2}(?:st|nd|rd|th)?[ \t]+[A-Z][a-z]+\.?,?[ \t]+(?:19|20)\d{2}"
    r"|[A-Z][a-z]+\.?[ \t]+\d{1,2},?[ \t]+(?:19|20)\d{2}|\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})")
# "From: Ministry of Defence", "Published 2 June 2025": a page's details, not a listed headline.
_META_LINE = re.compile(
    r"(?i:from|by|date|dated)[ \t]*:[ \t]*\S[^\n]*"
    r"|(?i:(?:page[ \t]+)?(?:first[ \t]+|last[ \t]+)?(?:published|posted|updated|issued|modified))(?:[ \t]+(?i:on|at))?"
    r"[ \t]*[:–—-]?[ \t]*(?:(?i:on)[ \t]+)?(?:[A-Za-z]+,?[ \t]+)?(?:\d|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:[a-z]*)\b\.?)[^\n]*"
    r"|" + _DATE_ONLY +
    r"(?:[ \t,·|–—-]+(?:(?i:at)[ \t]+)?\d{1,2}[:.]\d{2}[^\n]{0,20})?")
_MAX_META_LINE = 120
_DATE_ONLY_LINE = re.compile(_DATE_ONLY)
_AUTHOR_BIO = re.compile(r"(?i:about\s+the\s+authors?)\s*:")
_LIST_MARK = re.compile(r"[•·▪►*–—-]\s")
# A ranked list item with a figure ("2. China: an estimated $314 billion, 12 per cent"): data, not a headline.
_RANKED_ITEM = re.compile(r"\d{1,2}[.)]\s+[^:\n]{1,40}:\s.*?(?:[$€£¥]\s?\d|\d\s?(?:%|per\s?cent\b))")


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            s = pos + lead
            terminal = _ends_sentence(stripped)
            long = len(stripped) > 160
            caption = not terminal and _is_caption(stripped)
            meta = not terminal and len(stripped) <= _MAX_META_LINE and _META_LINE.fullmatch(stripped) is not None
            headline = (not terminal and not long and not caption and len(stripped.split()) <= 25 and not meta
                        and not (stripped[0].isdigit() and _RANKED_ITEM.match(stripped)))
            out.append(_Line(s, s + len(stripped), stripped, None, False, headline, terminal or long or caption, meta))
        else:
            out.append(_Line(pos, pos, "", None, True))
        pos += len(raw) + 1
    return out


def _is_caption(line: str) -> bool:
    if len(line) <= 30 or not line[-1:].isdigit() and not line.endswith(")"):
        return False
    line = _TRAILING_PAREN.sub("", line)
    return _CAPTION_DATE.search(line) is not None


def _count_upto(pattern: re.Pattern[str], text: str, limit: int) -> int:
    """How many times ``pattern`` occurs in ``text``, counting no further than ``limit``."""
    count = 0
    for _ in pattern.finditer(text):
        count += 1
        if count >= limit:
            break
    return count


def _is_foreign(line: str, v: _Vocab) -> bool:
    low = line.lower()
    enough = (low.count(" ") + 20) // 20
    english = _count_upto(v.english_re, low, enough)
    if english >= enough:
        return False
    words = _WORD.findall(line)
    if len(words) < 2:
        return False
    lower = [w.lower() for w in words]
    nonascii = sum(not w.isascii() for w in words)
    foreign = sum(w in v.foreign for w in lower)
    if english == 0 and (nonascii >= 2 or nonascii * 2 >= len(words) or (foreign >= 2 and len(words) >= 4)):
        return True
    return len(words) >= 6 and english * 20 < len(words) and foreign * 5 >= len(words)


_SHARE_MAX_MISSES = 5  # with at most 15 tokens, 5 that are not share words leave under 70% that are


def _is_share(line: str, v: _Vocab) -> bool:
    if len(line) > 200:
        return False
    count = misses = 0
    first = ""
    for raw in line.lower().split():
        t = raw.strip("|·•,:")
        if not t:
            continue
        count += 1
        first = first or t
        if count > 15:
            return False
        if t not in v.share:
            misses += 1
            if misses >= _SHARE_MAX_MISSES:
                return False
    if not count:
        return False
    return (count - misses) * 10 >= count * 7 and (count >= 2 or first in {"share", "print", "tweet"})


def _is_image_line(line: str) -> bool:
    if _IMAGE_SIZE.match(line) or _IMAGE_FILE.match(line):
        return True
    if len(line) > 200 or _ends_sentence(line):
        return False
    tokens = line.split()
    if len(tokens) < 3:
        return False
    misses = 0
    for t in tokens:
        if _HASHY.match(t) is None:
            misses += 1
            if misses * 2 > len(tokens):
                return False
    return True


def _line_reason(line: str, v: _Vocab) -> str | None:
    """Why one whole line is not article text, or None."""
    low = line.lower()
    if _is_image_line(line):
        return "image metadata"
    if _URL_LINE.match(line):
        return "link"
    if _FOOTNOTE.match(line):
        return "footnote"
    if _CORRECTION.match(line):
        return "correction note"
    if _AUTHOR_BIO.match(line):
        return "author bio"
    if v.credit_line.match(line):
        return "photo credit"
    if v.caption.match(line) or (len(line) <= 400 and _AGENCY_PHOTO.search(line)):
        return "photo caption"
    if _SEPARATOR.match(line):
        return "separator"
    if v.disclaimer.search(low):
        return "disclaimer"
    if low.lstrip("(").startswith(v.credit_starts) or (len(line) <= 200 and v.contributor.search(low)):
        return "staff credit"
    if len(line) <= v.max_mark_line and v.marks.search(low):
        return "footer"
    if _is_share(line, v):
        return "share buttons"
    if len(line) <= 80 and v.signoff.match(line):
        return "sign-off"
    if len(line) <= 600 and v.blurb.match(line):
        return "site blurb"
    if len(line) <= 400 and v.appeal.search(low):
        return "appeal"
    if low.rstrip(":").strip() in v.related_headings or low.startswith(v.related_prefixes):
        return "related content"
    if len(line) <= 80 and _BYLINE.match(line):
        return "byline"
    return None


def _mark_lines(lines: list[_Line], v: _Vocab) -> None:
    first_prose = next((i for i, ln in enumerate(lines) if ln.prose), len(lines))
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        ln.reason = _line_reason(ln.text, v)
        if ln.reason is None and i > first_prose and _is_foreign(ln.text, v):
            ln.reason = "foreign-language footer"
    # A cookie banner above the masthead is prose set aside: the article's head comes after it.
    first_prose = next((i for i, ln in enumerate(lines) if ln.prose and ln.reason is None), len(lines))
    _mark_related_blocks(lines)
    _mark_comments(lines, first_prose, v)
    _mark_headline_runs(lines, first_prose)
    _mark_tail(lines)


def _mark_related_blocks(lines: list[_Line]) -> None:
    """The links below a "Related" heading: headline lines, or bulleted ones that are no sentence
    ("• Analysis: Can X afford 5%?", not "- Poland spent 4.1% of GDP.")."""
    in_block = False
    for ln in lines:
        if ln.reason == "related content":
            in_block = True
        elif in_block and ln.reason is None and not ln.blank and not ln.meta:
            if ln.headline or (len(ln.text) <= 160 and _LIST_MARK.match(ln.text) and not ln.text.endswith(".")):
                ln.reason = "related content"
            else:
                in_block = False


def _mark_comments(lines: list[_Line], first_prose: int, v: _Vocab) -> None:
    """Everything from a reader-comments heading after the article body on."""
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if i > first_prose and not ln.blank and (ln.text.lower().rstrip(":").strip() in v.comment_headings or _COMMENT_COUNT.match(ln.text))
        ),
        None,
    )
    if start is None:
        return
    for ln in lines[start:]:
        if not ln.blank:
            ln.reason = "reader comments"


def _mark_headline_runs(lines: list[_Line], first_prose: int) -> None:
    """Three or more headline lines after the body's start, with only set-aside lines and page
    details between them, are a list of other stories; when date lines stand between its items (a
    timeline), they go with it."""
    run: list[_Line] = []
    dates: list[_Line] = []
    blanks = 0

    def flush() -> None:
        if len(run) >= 3:
            timeline = any(run[0].start < d.start < run[-1].start for d in dates)
            for r in run + [d for d in dates if timeline and d.start < run[-1].start]:
                r.reason = "headline list"
        run.clear()
        dates.clear()

    for i, ln in enumerate(lines):
        if ln.blank:
            blanks += 1
            if blanks > 1:
                flush()
            continue
        if i > first_prose and ln.reason is None and ln.headline:
            run.append(ln)
            blanks = 0
        elif ln.meta and ln.reason is None and i > first_prose:
            if _DATE_ONLY_LINE.fullmatch(ln.text):
                dates.append(ln)
            blanks = 0
        elif ln.reason is not None and run:
            blanks = 0
        else:
            flush()
            blanks = 0
    flush()


def _mark_tail(lines: list[_Line]) -> None:
    """Short unpunctuated lines after the last prose line go with a footer."""
    tail: list[_Line] = []
    for ln in reversed(lines):
        if ln.blank or ln.reason is not None or ln.headline:
            tail.append(ln)
        else:
            break
    if len(tail) == len(lines):
        return
    if any(ln.reason is not None for ln in tail):
        for ln in tail:
            if ln.reason is None and not ln.blank:
                ln.reason = "footer"


def _ranges(text: str, lines: list[_Line], v: _Vocab) -> list[tuple[int, int, str]]:
    dropped: list[tuple[int, int, str]] = []
    for ln in lines:
        if ln.blank:
            continue
        if ln.reason is not None:
            dropped.append((ln.start, ln.end, ln.reason))
            continue
        meta = _META_PREFIX.match(ln.text)
        if meta and meta.end() < len(ln.text):
            dropped.append((ln.start, ln.start + len(meta.group().rstrip()), "metadata"))
        for m in v.credit_inline.finditer(ln.text):
            dropped.append((ln.start + m.start(), ln.start + m.end(), "photo credit"))
    merged: list[tuple[int, int, str]] = []
    for s, e, r in sorted(dropped):
        if merged and merged[-1][2] == r and not text[merged[-1][1]:s].strip():
            merged[-1] = (merged[-1][0], e, r)
        else:
            merged.append((s, e, r))
    return merged


def clean_text(text: str) -> CleanedText:
    """Split ``text`` into kept article ranges and dropped (start, end, reason) ranges."""
    v = _vocab()
    lines = _lines(text)
    _mark_lines(lines, v)
    dropped = _ranges(text, lines, v)
    kept: list[tuple[int, int]] = []
    pos = 0
    for s, e, _ in dropped + [(len(text), len(text), "")]:
        chunk = text[pos:s]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            kept.append((pos + lead, s - trail))
        pos = max(pos, e)
    return CleanedText(kept=tuple(kept), dropped=tuple(dropped))
