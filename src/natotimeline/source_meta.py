"""Title and publisher of a source, from its own text.

The lines above the body are read in order: section labels ("Global",
"Press release"), a ministry letterhead, a short masthead, bylines and
timestamps are skipped; the first remaining headline-like line is the title.
The publisher comes from explicit statements (disclaimers, sign-offs, site
blurbs, wire datelines, bylines, "part of X", "Source: X"), then from the
letterhead or masthead above the title, then from a copyright line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .paths import load_data
from .records import CleanedText

_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"
_NAME = rf"(?:The[ \t]+)?{_WORD}(?:[ \t]+(?:of[ \t]+|the[ \t]+|and[ \t]+)?{_WORD}){{0,5}}"
_TRAILING = re.compile(r"[\s,.;:'’]+$")
_TERMINAL = re.compile(r"[.!?;:…][\"'”’»)\]]*$")
_MAX_TITLE = 200
_MAX_QUESTION_WORDS = 16
_SENTENCE_INSIDE = re.compile(r"[.!?;…][\"'”’»)\]]*\s+\S")
_MAX_HEAD_LINES = 12
_MIN_HEADLINE_INSIDE = 20
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CALENDAR_WORD = (
    r"(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|satur|sat|sun)(?:day)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may"
    r"|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
_TIMESTAMP = re.compile(
    r"(?i)^(?:(?:(?:first\s+|originally\s+)?published|posted|issued|released|updated|last\s+updated|last\s+modified|modified|date|dated"
    r"|broadcast|aired|air\s+date)"
    r"(?:\s+by\s+[^\n|]{1,60}?(?=\s+on\s))?(?:\s+on)?\s*[:–—-]?\s*)?(?:on\s+)?(?:" + _WEEKDAY + r"\s*[,–—-]?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"|" + _MONTH + r"\s+\d{1,2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[:.]\d{2})"
)
_ENDS_IN_YEAR = re.compile(r"(?:19|20)\d{2}\s*$")
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}")
_HAS_YEAR_OR_TIME = re.compile(r"(?:19|20)\d{2}|\d{1,2}[:.]\d{2}")
_PLACE_BEFORE_DATE = re.compile(r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}(?:,|\s+[-–—])\s*")
_BYLINE = re.compile(r"^(?i:by)\s+[A-Z]")
# "Editor's note: This story was updated ...": a note above the headline, not the body's start.
_NOTE_LINE = re.compile(r"(?i:editor['’]s\s+note|correction|clarification|update)\s*:")
_UPDATE_NOTICE = re.compile(
    r"\s*(?i:adds|updates|corrects|changes|recasts|rewrites|tops|writes\s+through)\b[^\n]{0,40}?"
    r"\b(?i:comments?|quotes?|details|paragraphs?|byline|headline|background|reaction|statement|figures?)\b|[^\n]*\)\s*$")
_BYLINE_LINE = re.compile(r"(?m)^[ \t]*(?i:by)[ \t]+[A-Z]")
_BYLINE_NEXT = re.compile(r"\s*(?i:by)[ \t]+[A-Z][\w.'’-]*[ \t]+[A-Z]")
_MINOR = frozenset(("of", "the", "and", "for", "on", "in", "a", "an", "de", "du", "des", "der", "für", "&"))
_CAPITALISED = re.compile(r"^(?:[A-Z0-9][\w&'’.-]*|" + "|".join(map(re.escape, sorted(_MINOR))) + ")$")
_ACRONYM_LINE = re.compile(r"^(?P<acr>[A-Z]{2,8})\s+[-–—|:]\s+(?P<full>[A-Z][^\n]{3,100})$")
_ACRONYM_AFTER_LINE = re.compile(r"^(?P<full>[A-Z][^\n()]{3,100}?)[ \t]*\((?P<acr>[A-Z]{2,8})\)$")
_REFERENCE = re.compile(r"^(?P<label>[^\d()]+?)[ \t]*(?:(?i:no)\.?[ \t]*|#[ \t]*)?[\d(][\d()./ \t-]*$")
_CRUMB_SPLIT = re.compile(r"\s+[|›»>/]\s+")
_DASH_SPLIT = re.compile(r"\s+[—–-]\s+")


@dataclass(frozen=True, slots=True)
class _Vocab:
    sections: frozenset[str]
    letterhead: re.Pattern[str]
    tagline: re.Pattern[str]
    tier: re.Pattern[str]
    masthead_words: frozenset[str]


def _alt(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = load_data("boilerplate.toml")["heading"]
    return _Vocab(
        sections=frozenset(s.lower() for s in raw["sections"]),
        letterhead=re.compile(rf"^(?i:(?:The\s+)?(?:{_alt(raw['letterheads'])})\s+of)\s+\S"),
        tagline=re.compile(rf"^(?P<name>{_NAME})\s+[-–—|:]\s+(?:the|a|an|your)\b[^\n]{{0,200}}?\b(?i:{_alt(raw['site_words'])})\b"),
        tier=re.compile(rf"\s+(?i:{_alt(raw['tiers'])})$"),
        masthead_words=frozenset(w.lower() for w in raw.get("masthead_words", ())),
    )


_BYLINE_ROLE = r"[^\n]*\b(?i:correspondents?|editors?|reporters?|writers?|columnists?|analysts?|contributors?|producers?|bureau(?:\s+chief)?|desk)[ \t]*$"
"""What a byline names after the writer when it is the writer's job, not the outlet ("By X, Defence Correspondent")."""

# Each rule: (evidence label, literals one of which must occur, pattern with a ``name`` group).
_EARLY_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("disclaimer", ("positions",), re.compile(rf"(?P<name>{_NAME})\s+(?:does not|doesn't|do not) take (?:institutional |editorial )?positions")),
    ("sign-off", ("staff", "team", "newsroom", "editors", "desk"), re.compile(rf"(?m)^[ \t]*(?!(?:For|Notes?(?:[ \t]+to)?|To|Contact)[ \t]+(?:editors|desk)\b)(?:(?i:by)[ \t]+(?:the[ \t]+)?)?(?P<name>{_NAME})\s+(?:staff|team|newsroom|editorial team|editors|desk)[ \t]*$")),
    ("from line", ("From:",), re.compile(rf"(?m)^[ \t]*From:[ \t]*(?P<name>{_NAME})(?=[ \t]+and[ \t]|[ \t]*,|[ \t]*$)"
                                         r"(?=[^\n]*\n(?:[ \t]*\n|[^\n]{0,120}\n){0,3}?[ \t]*(?:Published|Updated|Last\s+updated)\b)")),
    ("site blurb", (" - ", " – ", " — "), re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME})\s+[-–—]\s+(?:the|a|an|your)\b[^\n]{{0,200}}?(?i:news|website|newspaper|magazine|portal|agency|outlet|blog|newsletter|journal|podcast)")),
    ("appeal", ("journalism",), re.compile(rf"(?i:please support|support)\s+(?P<name>{_NAME})['’]s\s+(?i:independent\s+)?(?i:journalism|reporting|work)")),
    ("dateline", (") -", ") –", ") —", ")-", ")–", ")—"), re.compile(r"(?m)^[ \t]*[A-Z][A-Za-z0-9 .,'’-]{1,60}\((?P<name>[A-Z][\w.&' -]{1,30}|[a-z]{2,6})\)\s*[-–—]")),
    ("byline", ("By ",), re.compile(rf"(?m)^By\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}}\s*[,|–—-]\s*(?!{_BYLINE_ROLE})(?P<name>{_NAME})[ \t]*$")),
    ("part of", ("part of", "is from", "brought to you by"), re.compile(rf"(?:This|The)\s+(?:article|story|report|piece|newsletter)\s+(?:is\s+(?:part\s+of|from|published\s+by)|was\s+(?:produced|published)\s+by|is\s+brought\s+to\s+you\s+by)\s+(?P<name>{_NAME})")),
    ("source line", ("Source",), re.compile(rf"(?m)^[ \t]*Source\s*:\s*(?P<name>{_NAME})[ \t.]*$")),
)


_LATE_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("agency tag", (")",), re.compile(r"(?m)^[ \t]*\((?P<name>[A-Za-z][\w.&-]{1,15}(?:[ \t]*/[ \t]*[A-Za-z][\w.&-]{1,15}){0,3})\)[ \t.]*\s*\Z")),
    ("copyright", ("©", "(c)", "Copyright"), re.compile(rf"(?:©|\(c\)|Copyright)(?:\s*(?i:copyright|©))?\s*(?:\d{{4}}\s*)?(?!Copyright\b)(?P<name>{_NAME})")),
    ("originally published", ("riginally", "irst published", "irst appeared"), re.compile(rf"(?i:originally (?:published|appeared)|first (?:published|appeared)) (?i:in|on|by)\s+(?!{_CALENDAR_WORD})(?P<name>{_NAME})")),
)


def _words(line: str) -> list[str]:
    return line.split()


def _is_prose(line: str) -> bool:
    """A line of the body. A short line that asks or exclaims and holds no
    other sentence is a headline ("Can Europe afford the new NATO target?")."""
    words = len(_words(line))
    if len(line) > _MAX_TITLE or words > 30:
        return True
    if _TERMINAL.search(line) is None:
        return False
    asks = line.rstrip("\"'”’»)]").endswith(("?", "!"))
    return not (asks and words <= _MAX_QUESTION_WORDS and _SENTENCE_INSIDE.search(line) is None)


def _is_timestamp(line: str) -> bool:
    """A date line, maybe after its place ("Bucharest, Monday, 3 March 2025") or after labels
    ("Data Brief No. 7/2025 | February 2025")."""
    parts = _CRUMB_SPLIT.split(line)
    if len(parts) > 1:
        return any(_is_timestamp(p) for p in parts)
    place = _PLACE_BEFORE_DATE.match(line)
    if place is not None and "," not in place.group() and _HAS_TIME.search(line) is None and (
            len(_words(place.group().rstrip(" \t-–—"))) > 2 or not _ENDS_IN_YEAR.search(line)):
        return False
    dated = line[place.end():] if place else line
    return _TIMESTAMP.match(dated) is not None and _HAS_YEAR_OR_TIME.search(dated) is not None


def _is_letterhead(line: str, v: _Vocab) -> bool:
    return v.letterhead.match(line) is not None and all(_CAPITALISED.match(w) for w in _words(line))


def _is_masthead_shape(line: str, v: _Vocab) -> bool:
    words = _words(line)
    return (
        2 <= len(words) <= 5
        and line.lower() not in v.sections
        and not any(c.isdigit() or c in ",:;" for c in line)
        and all(_CAPITALISED.match(w) for w in words)
        and words[0][0].isupper()
    )


def _acronym_masthead(line: str) -> str | None:
    """``NATO - North Atlantic Treaty Organization``, ``CENTRE FOR DEFENCE ANALYSIS (CDA)``: an
    acronym spelt out, a site's name. Returns the acronym."""
    m = _ACRONYM_LINE.match(line) or _ACRONYM_AFTER_LINE.match(line)
    if m is None:
        return None
    words = [w for w in m.group("full").split() if w.lower() not in _MINOR]
    if not words or not all(w[0].isupper() for w in words):
        return None
    return m.group("acr") if "".join(w[0] for w in words) == m.group("acr") else None


def _is_reference(line: str, v: _Vocab) -> bool:
    """``Press Release (2025) 045``: a section label followed by a reference number."""
    m = _REFERENCE.match(line)
    return m is not None and m.group("label").lower() in v.sections


def _is_breadcrumb(line: str) -> bool:
    """``Asia | Politics | Defense``: three or more short labels separated by ``|``, ``›``, ``>`` or ``/``."""
    parts = _CRUMB_SPLIT.split(line)
    return len(parts) >= 3 and all(1 <= len(p.split()) <= 3 for p in parts)


def _labelled_masthead(line: str, v: _Vocab) -> str | None:
    """``CBC News | Politics``, ``THE NORTHERN STANDARD — POLITICS``, ``NIKKEI ASIA | Politics &
    Defense``: a site's name and one section label (any short capitalised one after a name in
    capitals after a bar). Returns the name. Before a dash the name begins with "The" or holds a
    word of an outlet's name: a headline's "NATO summit – live" or a kicker's "UKRAINE WAR —
    ANALYSIS" is not one."""
    parts = _CRUMB_SPLIT.split(line)
    dashed = len(parts) == 1
    if dashed:
        parts = _DASH_SPLIT.split(line)
        if len(parts) == 2 and not (parts[0].startswith(("The ", "THE ")) or _has_masthead_word(parts[0], v)):
            return None
    if len(parts) != 2 or parts[0].lower() in v.sections:
        return None
    if parts[1].lower() in v.sections and (_is_masthead_shape(parts[0], v) or len(_words(parts[0])) == 1):
        return parts[0]
    if not dashed and parts[0].isupper() and _is_masthead_shape(parts[0], v) and _is_section_shape(parts[1]):
        return parts[0]
    return None


def _has_masthead_word(line: str, v: _Vocab) -> bool:
    """A word of an outlet's name ("Times of Malta", "ANKARA DAILY POST"); "daily" first names a
    newsletter ("DAILY BRIEFING") unless another such word follows."""
    words = [w.lower() for w in _words(line)]
    return any(w in v.masthead_words for w in words[1:]) or (bool(words) and words[0] in v.masthead_words
                                                               and words[0] != "daily")


def _is_kicker(line: str, v: _Vocab) -> bool:
    """A topic and a section after a dash ("UKRAINE WAR — ANALYSIS")."""
    parts = _DASH_SPLIT.split(line)
    return len(parts) == 2 and parts[1].lower() in v.sections and len(_words(parts[0])) <= 3


def _is_section_shape(label: str) -> bool:
    """A section label not in the vocabulary: at most four capitalised words ("Politics & Defense")."""
    words = _words(label)
    return 1 <= len(words) <= 4 and all(_CAPITALISED.match(w) for w in words) and not any(c.isdigit() for c in label)


def _is_furniture(line: str, v: _Vocab) -> bool:
    """A line above the headline that is not one: label, letterhead, tagline, byline, timestamp."""
    return (
        len(_words(line)) < 3
        or line.lower() in v.sections
        or _is_letterhead(line, v)
        or v.tagline.match(line) is not None
        or _BYLINE.match(line) is not None
        or _is_timestamp(line)
        or _is_breadcrumb(line)
        or _is_reference(line, v)
        or _acronym_masthead(line) is not None
        or _labelled_masthead(line, v) is not None
    )


def _head_lines(text: str, cleaned: CleanedText) -> list[str]:
    """Kept lines above the body (the first prose line ends them; an editor's note does not). A
    short line of sentences right above a byline is a headline ("NATO's real test is not money.
    It is nerve.")."""
    out: list[str] = []
    for start, end in cleaned.kept:
        pos = start
        for raw in text[start:end].split("\n"):
            pos += len(raw) + 1
            line = raw.strip()
            if not line or _is_note(line):
                continue
            if len(out) >= _MAX_HEAD_LINES or (_is_prose(line) and not (
                    len(_words(line)) <= _MAX_QUESTION_WORDS and _BYLINE_NEXT.match(text, min(pos, len(text))))):
                return out
            out.append(line)
    return out


def _is_masthead(lines: list[str], text: str, v: _Vocab) -> bool:
    """The first line names the site: masthead-shaped, and either short, followed by a section label
    or a breadcrumb ("News | Local | Catterick Garrison"), in capitals or after "The" with a word of
    an outlet's or institution's name ("NORDHAVEN INSTITUTE FOR DEFENCE ECONOMICS", "The New York
    Sentinel", not "DAILY BRIEFING"), or named again below."""
    if not lines or not _is_masthead_shape(lines[0], v):
        return False
    first = lines[0]
    labelled = len(lines) > 1 and (lines[1].lower() in v.sections or _is_breadcrumb(lines[1]))
    named = (first.isupper() or first.startswith("The ")) and any(w.lower() in v.masthead_words for w in _words(first)[1:])
    return len(_words(first)) <= 2 or labelled or named or text.count(first) > 1


def _line_at(text: str, lines: list[str], i: int) -> int:
    """Where head line ``i`` stands in the text (each head line found after the one before)."""
    at = 0
    for j, line in enumerate(lines[:i + 1]):
        found = text.find(line, at)
        if found < 0 or j == i:
            return found
        at = found + len(line)
    return -1


def _crumbs(lines: list[str], text: str, v: _Vocab) -> set[int]:
    """Short lines right below a "Home" line, with no blank line between them, down to a section
    label: a breadcrumb, one item a line. The last head line is never one."""
    out: set[int] = set()
    for i, line in enumerate(lines):
        if line.lower() != "home":
            continue
        at = _line_at(text, lines, i)
        j = i + 1
        while j < len(lines) - 1 and len(_words(lines[j])) <= 4 and lines[j].lower() not in v.sections:
            nxt = text.find(lines[j], at + len(line))
            if nxt < 0 or "\n\n" in text[at:nxt].replace(" ", "").replace("\t", ""):
                break
            out.add(j)
            at, line = nxt, lines[j]
            j += 1
    return out


def _title_index(lines: list[str], text: str, v: _Vocab) -> int | None:
    crumbs = _crumbs(lines, text, v)
    cands = [i for i, line in enumerate(lines) if not _is_furniture(line, v) and i not in crumbs]
    if not cands:
        return None
    if len(cands) > 1 and all(_is_furniture(line, v) for line in lines[:cands[0]]) and _is_masthead(
            lines[cands[0]:], text, v):
        cands = cands[1:]
    # A page title holding the headline ("NATO - News: <headline>, 13-Feb.-2025"): the headline.
    if len(cands) > 1 and len(lines[cands[1]]) >= _MIN_HEADLINE_INSIDE and lines[cands[1]] in lines[cands[0]]:
        return cands[1]
    # Topic tags above the headline ("UK defence spending", "The Kyiv Independent / Ukraine War
    # Latest", "UKRAINE WAR — ANALYSIS"): one or two lines of at most three words each, or a topic
    # and a section, followed (furniture aside) by a headline of at least nine; not when a byline
    # stands between and no date line follows the long line (that is a headline and its standfirst).
    for n in (1, 2):
        if (len(cands) > n and all(len(_words(lines[c])) <= 3 or _is_kicker(lines[c], v) for c in cands[:n])
                and 3 <= len(_words(lines[cands[n]])) // 3
                and not _byline_between(text, lines[cands[0]], lines[cands[n]])):
            return cands[n]
    return cands[0]


def _is_note(line: str) -> bool:
    """An editor's note, correction or update notice above the headline ("Editor's note: ...",
    "UPDATE: Adds Kremlin comment"), not a headline that begins "UPDATE:"."""
    m = _NOTE_LINE.match(line)
    if m is None:
        return False
    if not m.group().lower().startswith("update"):
        return True
    return line.endswith(".") or len(line) > _MAX_TITLE // 2 or _UPDATE_NOTICE.match(line, m.end()) is not None


def _byline_between(text: str, first: str, last: str) -> bool:
    """Whether a byline stands between two head lines in the text (cleaning sets bylines aside) and
    no date line follows the last: the first is then the headline and the last its standfirst."""
    start = text.find(first)
    end = text.find(last, start + len(first))
    if start < 0 or end <= start:
        return False
    between = text[start + len(first):end]
    if _BYLINE_LINE.search(between) is None:
        return False
    after = next((line.strip() for line in text[end + len(last):].split("\n") if line.strip()), "")
    return not _is_timestamp(after)


def find_title(text: str, cleaned: CleanedText) -> str | None:
    """The first headline-like line above the body, skipping mastheads, labels, bylines and timestamps."""
    v = _vocab()
    lines = _head_lines(text, cleaned)
    i = _title_index(lines, text, v)
    return lines[i] if i is not None else None


def _masthead(text: str, cleaned: CleanedText) -> tuple[str | None, str]:
    v = _vocab()
    lines = _head_lines(text, cleaned)
    i = _title_index(lines, text, v)
    first = text.lstrip().split("\n", 1)[0].strip()
    above = lines[:i] if i is not None else []
    letterhead = next((line for line in (first, *above) if _is_letterhead(line, v) and len(line) <= 120), None)
    if letterhead is not None:  # first, or below a label ("PRESS RELEASE") above the headline
        return letterhead, f"letterhead: '{letterhead}'"
    acronym = _acronym_masthead(first)
    if acronym is not None:
        return acronym, f"masthead: '{first}'"
    labelled = _labelled_masthead(first, v)
    if labelled is not None and len(first) <= 80:
        return labelled, f"masthead: '{first}'"
    if i is not None and i > 0 and lines[0] == first and _is_masthead(lines, text, v):
        return first, f"masthead: '{first}'"
    return None, ""


def _apply(text: str, rules: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]) -> tuple[str | None, str]:
    v = _vocab()
    for label, triggers, pattern in rules:
        if not any(map(text.__contains__, triggers)):
            continue
        for m in pattern.finditer(text):
            name = _TRAILING.sub("", m.group("name"))
            if label == "part of":
                name = v.tier.sub("", name)
            if len(name) < 2 or (name.lower() in v.sections and (label == "sign-off" or not name.isupper())):
                continue
            evidence = _TRAILING.sub("", " ".join(m.group().split()))
            return name, f"{label}: '{evidence}'"
    return None, ""


def find_publisher(text: str, cleaned: CleanedText) -> tuple[str | None, str]:
    """The publisher the text names, and the evidence: ``(name, "sign-off: 'X staff'")``."""
    found = _apply(text, _EARLY_RULES)
    if found[0] is None:
        found = _masthead(text, cleaned)
    if found[0] is None:
        found = _apply(text, _LATE_RULES)
    return found
