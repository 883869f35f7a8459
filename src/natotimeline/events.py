"""Event extraction: a typed event wherever a sentence ties an action to a date.

Triggers (verb and noun forms per type) come from ``data/event_types.toml``.
Dating rules, in short:

* A trigger takes the date its clause ties it to: a date just after it
  ("met on 3 May", "summit in June"), a date just before it in the same
  clause ("Today, X hosts ..."), a sentence-initial date ("In 2023, ...
  they agreed"), or a date linked by ", when" ("in March, when X warned").
  Different event types compete for a date; the closest tie wins.
* Reporting verbs (said, wrote, warned ...) are only dated by a date tied to
  the verb itself, never by one inside the reported content ("that ...",
  quotations).
* "N months before <event>" dates the event relative to the date earlier in
  the sentence.
* Triggers inside quotations are ignored unless they belong to a named event
  with an adjacent date ("the 2019 Defence Pledge").
* Vague dates ("recently", "a decade ago", "in previous years") date nothing.
  An unresolved date (a weekday without an anchor) is kept with precision
  ``unknown`` so that reconciliation can date it from other sources.
* Types marked ``undated`` (report releases, meetings, visits) also yield an
  undated mention when a sentence reports one without a date; it is
  dropped in reconciliation unless it matches an event other sources date.
  A sentence never borrows a date from another sentence.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .paths import data_file
from .records import ActorMention, EventActor, EventMention, Sentence, TemporalMention

ROLE_ORDER = ("host", "speaker", "agent", "organiser", "participant", "mentioned")


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    group: str
    rank: int
    verbs: frozenset[str]
    nouns: frozenset[str]
    host: frozenset[str]
    speech: bool
    undated: bool
    near_name: bool
    name_role: str
    requires: tuple[str, ...]
    reject_next: tuple[str, ...]
    reject_forms: frozenset[str]
    reject_near: frozenset[str]
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    types: dict[str, EventType]
    forms: dict[str, tuple[str, ...]]
    first_words: dict[str, tuple[tuple[str, re.Pattern[str] | None], ...]]
    portfolio_re: re.Pattern[str]
    vague_re: re.Pattern[str]
    relative_days: dict[str, int]
    modal_re: re.Pattern[str]
    non_places: frozenset[str]
    habitual_re: re.Pattern[str]
    habitual_words: tuple[str, ...]
    visit_place_re: re.Pattern[str]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger lexicon from ``data/event_types.toml`` (read once)."""
    with open(data_file("event_types.toml"), "rb") as fh:
        raw = tomllib.load(fh)
    types: dict[str, EventType] = {}
    forms: dict[str, list[str]] = {}
    for rank, (name, spec) in enumerate(raw["types"].items()):
        et = EventType(
            name=name,
            group=spec.get("group", name),
            rank=rank,
            verbs=frozenset(w.lower() for w in spec.get("verbs", ())),
            nouns=frozenset(w.lower() for w in spec.get("nouns", ())),
            host=frozenset(w.lower() for w in spec.get("host", ())),
            speech=bool(spec.get("speech", False)),
            undated=bool(spec.get("undated", False)),
            near_name=bool(spec.get("near_name", False)),
            name_role=str(spec.get("name_role", "organiser")),
            requires=tuple(w.lower() for w in spec.get("requires", ())),
            reject_next=tuple(w.lower() for w in spec.get("reject_next", ())),
            reject_forms=frozenset(w.lower() for w in spec.get("reject_forms", spec.get("verbs", ()))),
            reject_near=frozenset(w.lower() for w in spec.get("reject_near", ())),
            titles=tuple(spec.get("titles", ())),
        )
        types[name] = et
        for form in sorted(et.verbs | et.nouns):
            forms.setdefault(form, []).append(name)
    ctx = raw["context"]
    first: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        head, *rest = form.split()
        tail = re.compile(r"".join(r"\s+" + re.escape(w) for w in rest) + r"(?![\w-])", re.I) if rest else None
        first.setdefault(head, []).append((form, tail))
    return Lexicon(
        types=types,
        forms={k: tuple(v) for k, v in forms.items()},
        first_words={k: tuple(v) for k, v in first.items()},
        portfolio_re=re.compile(r"\b(" + _alternation(ctx["portfolios"]) + r")\s+ministers\b", re.I),
        vague_re=re.compile(r"\b(?:" + _alternation(ctx["vague"]) + r")\b", re.I),
        relative_days={k.lower(): int(v) for k, v in ctx["relative_days"].items()},
        modal_re=re.compile(r"\b(?:" + _alternation(ctx["modals"]) + r")\s+(?:\w+ly\s+)?$", re.I),
        non_places=frozenset(ctx["non_places"]),
        habitual_re=re.compile(r"\b(?:" + _alternation(ctx["habitual"]) + r")\b", re.I),
        habitual_words=tuple(sorted({max(p.lower().split(), key=len) for p in ctx["habitual"]})),
        visit_place_re=re.compile(
            r"(?<![\w-])(?i:" + _alternation(list(types["visit"].verbs) if "visit" in types else ["visiting"])
            + r")\s+((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"),
    )


_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = frozenset(m.lower() for m in calendar.month_name if m) | frozenset(m.lower() for m in calendar.month_abbr if m)
_QUOTE_OPEN = "“«"
_QUOTE_CLOSE = "”»"
_CAP_TOKEN = re.compile(r"(?:[A-Z][\w’'.-]*|\d{4})(?:\s+(?:[A-Z][\w’'.-]*|\d{4}))*")
_CAP_RUN_BEFORE = re.compile(r"((?:(?:[A-Z][\w’'-]*|\d{4})\s+)+)$")
_CAP_AFTER = re.compile(r"^((?:\s+(?:[A-Z][\w’'-]*|\d{4}))+)")
_OF_THE_NAME = re.compile(r"^\s+of\s+the\s+((?:[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*)*)")
_PLACE = re.compile(r"\b(?:in|at)\s+((?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|de|upon))*)")
_WHEN_LINK = re.compile(r"^,?\s*(?:when|where|at which)\b", re.I)
_TARGET = re.compile(r"^\s+(?:on\s+|against\s+)?((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")
_SENT_START = re.compile(r"^[\W_]*(?:(?:on|in|at|during|by|early|late|last|this|earlier|later)\s+)?$", re.I)
_BREAKER = re.compile(r"\bthat\b|;|:")
_OFFSET_LINK = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"(day|week|month|year)s?\s+(before|after)\b", re.I)
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"a": 1, "an": 1}
_OBJECT_STOP = re.compile(r",|;|\.|:|\s—|\s–|\(|\band that\b|\bwhile\b|\bbut\b")
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"[\w’'-]+")
_NEXT_WORDS = re.compile(r"^\s*([\w’'-]+(?:\s+[\w’'-]+)?)")
_ANAPHORA = re.compile(r"\b(?:the|this|that)\s+((?:[\w’'-]+\s+){0,3})$")
_LEADING_COMMON = frozenset({"the", "a", "an", "in", "on", "at", "last", "this", "since", "during", "more", "by"})
_TITLE_WORD = re.compile(r"[\w-]+")
_LETTERS = re.compile(r"[a-z]+")
_QUOTE_MARK = re.compile(r"[“”\"«»]|\n\s*\n")
_OPEN_START = re.compile(r"\s*(since|until|till|by|before|after)\b", re.I)
_ASIDE = re.compile(r",[^,]{1,15},\s*")
_STOP_TITLE = frozenset({"the", "a", "an", "of", "in", "on", "at", "to", "and", "'s", "for"})


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    form: str
    etype: EventType
    sentence: Sentence
    in_speech: bool
    name: str | None = None
    run: str | None = None
    date: TemporalMention | None = None
    score: float = 0.0
    window: tuple[int, int] = (0, 0)
    collapsed: list["_Trigger"] = field(default_factory=list)


def _may_contain(text: str, word: str) -> bool:
    """False only when ``text`` cannot match ``word`` case-insensitively (ASCII text without it)."""
    return _may_contain_any(text.lower(), (word,))


def _may_contain_any(low: str, words: Sequence[str]) -> bool:
    """False only when lowercased ``low`` cannot match any of ``words`` case-insensitively."""
    return not low.isascii() or any(w in low for w in words)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations of six words or more (reported speech)."""
    spans: list[tuple[int, int]] = []
    curly_open: int | None = None
    straight_open: int | None = None
    for m in _QUOTE_MARK.finditer(text):
        ch = m.group()
        if ch in _QUOTE_OPEN:
            curly_open = m.start()
        elif ch in _QUOTE_CLOSE:
            if curly_open is not None:
                spans.append((curly_open, m.end()))
            curly_open = None
        elif ch == '"':
            if straight_open is None:
                straight_open = m.start()
            else:
                spans.append((straight_open, m.end()))
                straight_open = None
        else:
            straight_open = None
    return [(s, e) for s, e in sorted(spans) if len(text[s:e].split()) >= 6]


def _inside(pos: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    i = bisect_left(starts, pos + 1) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _is_vague(d: TemporalMention, lex: Lexicon) -> bool:
    return bool(lex.vague_re.search(d.text))


def _is_relative_unresolved(d: TemporalMention, lex: Lexicon) -> bool:
    words = _LETTERS.findall(d.text.lower())
    return any(w in _WEEKDAYS or w in lex.relative_days for w in words)


def _usable_date(d: TemporalMention, lex: Lexicon) -> bool:
    if _is_vague(d, lex):
        return False
    if d.value is None or d.precision == "unknown" or d.date_start is None:
        return _is_relative_unresolved(d, lex)
    return True


def _open_ended(d: TemporalMention) -> bool:
    return (d.mod or "") in {"AFTER", "BEFORE", "ON_OR_AFTER", "ON_OR_BEFORE"} or bool(
        _OPEN_START.match(d.text))


def _crosses_quote(a: int, b: int, quotes: Sequence[tuple[int, int]]) -> bool:
    return any(a < s < b or a < e - 1 < b for s, e in quotes)


def _date_score(text: str, trig: _Trigger, d: TemporalMention, sent: Sentence,
                quotes: Sequence[tuple[int, int]]) -> float | None:
    """How tightly the clause ties ``d`` to ``trig`` (lower is tighter), or None."""
    speech = trig.etype.speech
    unresolved = 30.0 if d.date_start is None else 0.0
    if d.start >= trig.start and d.end <= trig.end:
        return None
    if d.start >= trig.end:
        gap = text[trig.end:d.start]
        if _open_ended(d) and len(gap.strip()) > 0:
            return None
        if _BREAKER.search(gap) or len(gap) > 70 or _crosses_quote(trig.end, d.start, quotes):
            return None
        if speech and ("," in gap or len(gap) > 50):
            return None
        return len(gap) + unresolved
    gap = text[d.end:trig.start]
    link = _WHEN_LINK.match(gap)
    if link and "," not in gap[link.end():] and len(gap) < 90:
        return len(gap) / 2 + unresolved
    if _open_ended(d) and len(gap.strip()) > 3:
        return None
    if _BREAKER.search(gap) or _crosses_quote(d.end, trig.start, quotes):
        return None
    at_start = bool(_SENT_START.match(text[sent.start:d.start]))
    if speech:
        return len(gap) + 10 + unresolved if at_start and len(gap) <= 80 else None
    if len(gap) <= 40 and gap.count(",") <= 1:
        return len(gap) + 5 + unresolved
    if at_start and len(gap) <= 100:
        return len(gap) + 15 + unresolved
    return None


def _name_of(text: str, trig: _Trigger, sent: Sentence, actor_aliases: set[str]) -> tuple[str | None, str | None]:
    """The capitalised name around a noun trigger and the run before it."""
    if trig.form not in trig.etype.nouns:
        if trig.etype.name == "report_release":
            m = _CAP_RUN_BEFORE.search(text[max(sent.start, trig.start - 80):trig.start])
            if m:
                run = " ".join(m.group(1).split())
                if run not in actor_aliases:
                    return None, run
        return None, None
    before = text[max(sent.start, trig.start - 80):trig.start]
    m = _CAP_RUN_BEFORE.search(before)
    run = " ".join(m.group(1).split()) if m else None
    if run and m is not None and m.start() + max(sent.start, trig.start - 80) == sent.start and run in actor_aliases:
        run = None
    if run:
        words = run.split()
        while words and words[0].lower() in _LEADING_COMMON:
            words.pop(0)
        run = " ".join(words) or None
    word = text[trig.start:trig.end]
    name = None
    if run:
        name = f"{run} {word}"
    elif word[:1].isupper() and trig.start > sent.start + 2:
        name = word
    if name and word[:1].isupper():
        after = _CAP_AFTER.match(text[trig.end:sent.end])
        if after:
            name = name + " " + " ".join(after.group(1).split())
    if name is None:
        of = _OF_THE_NAME.match(text[trig.end:sent.end])
        if of:
            name = f"{' '.join(of.group(1).split())} {word}"
    if trig.etype.near_name and name and run and run in actor_aliases and not word[:1].isupper():
        name = None
    if name is None and trig.etype.near_name:
        window_start = max(sent.start, trig.start - 80)
        best = None
        for cm in _CAP_TOKEN.finditer(text, window_start, trig.start):
            words = cm.group().split()
            while words and words[0].lower() in _LEADING_COMMON:
                words.pop(0)
            phrase = " ".join(words)
            if len(words) >= 2 and phrase not in actor_aliases and not any(w.lower() in _MONTHS for w in words):
                best = phrase
        name = best
    return name, run


def _location(text: str, trig: _Trigger, sent: Sentence, lex: Lexicon, date_spans: list[tuple[int, int]]) -> str | None:
    def ok(candidate: str, pos: int) -> str | None:
        words = candidate.split()
        if words and (words[-1] in lex.non_places or words[-1].lower() in _MONTHS or words[-1].isdigit()):
            return None
        if words and words[0].lower() in _MONTHS | set(_WEEKDAYS):
            return None
        if any(s <= pos < e for s, e in date_spans):
            return None
        cand = " ".join(words)
        return cand[4:] if cand.startswith("the ") else cand

    lo, hi = trig.window if trig.window != (0, 0) else (sent.start, sent.end)
    for m in lex.visit_place_re.finditer(text, max(lo, trig.start - 60), min(hi, trig.end + 60)):
        if m.group(1)[:1].isupper():
            loc = ok(m.group(1), m.start(1))
            if loc:
                return loc
    for m in _PLACE.finditer(text, trig.end, min(hi, trig.end + 90)):
        loc = ok(m.group(1), m.start(1))
        if loc:
            return loc
    for m in _PLACE.finditer(text, max(lo, trig.start - 50), trig.start):
        loc = ok(m.group(1), m.start(1))
        if loc:
            return loc
    return None


def _short(a: ActorMention) -> str:
    return a.name.split()[-1] if a.actor_type == "person" else a.name


def _object(text: str, trig: _Trigger, sent: Sentence) -> str | None:
    tail = text[trig.end:sent.end]
    if trig.date is not None and trig.end <= trig.date.start <= sent.end:
        tail = text[trig.end:trig.date.start]
    stop = _OBJECT_STOP.search(tail)
    if stop:
        tail = tail[:stop.start()]
    words = _WORD.findall(tail)[:14]
    while words and words[-1].lower() in _STOP_TITLE:
        words.pop()
    if len(words) < 2:
        return None
    return " ".join(words).rstrip(".,;")


def _title(trig: _Trigger, fields: dict[str, str]) -> str:
    for template in trig.etype.titles:
        try:
            title = template.format_map(fields)
        except KeyError:
            continue
        return title[:1].upper() + title[1:]
    return trig.etype.name.replace("_", " ").capitalize()


def _clause_gap_ok(gap: str) -> bool:
    """No clause break between an agent and its verb, except a short aside (", centre,")."""
    if "," not in gap:
        return True
    return bool(_ASIDE.fullmatch(gap))


def _actors_for(text: str, trig: _Trigger, sent_actors: list[ActorMention], in_quote: Callable[[int], bool],
                location: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """Roles of the sentence's actors for ``trig`` and the title fields they fill."""
    fields: dict[str, str] = {}
    roles: dict[str, str] = {}
    lo, hi = trig.window
    visible = [a for a in sent_actors if not in_quote(a.start)
               and not (location and a.alias in location and a.actor_type == "country")]
    inside_name = [a for a in visible if trig.name and a.alias in trig.name
                   and trig.start - len(trig.name) - 2 <= a.start < trig.end + len(trig.name)]
    named = {id(a) for a in inside_name}
    before = [a for a in visible if lo <= a.start and a.end <= trig.start and id(a) not in named]
    after = [a for a in visible if a.start >= trig.end and a.end <= hi and id(a) not in named]
    agent: ActorMention | None = None
    if trig.etype.speech:
        persons_b = [a for a in visible if a.end <= trig.start and trig.start - a.end <= 60
                     and a.actor_type == "person"]
        persons_a = [a for a in visible if a.start >= trig.end and a.start - trig.end <= 80
                     and a.actor_type == "person"]
        if persons_b:
            agent = persons_b[-1]
        elif persons_a:
            agent = persons_a[0]
        elif before and _clause_gap_ok(text[before[-1].end:trig.start]):
            agent = before[-1]
        if agent:
            roles[agent.name] = "speaker"
    else:
        for a in inside_name:
            roles.setdefault(a.name, trig.etype.name_role)
        if trig.form in trig.etype.verbs:
            if before and _clause_gap_ok(text[before[-1].end:trig.start]):
                agent = before[-1]
        elif before and (trig.start - before[-1].end <= 3 or before[0] is visible[0]) and before[0].name not in roles:
            agent = before[-1] if trig.start - before[-1].end <= 3 else before[0]
        if agent:
            roles[agent.name] = "host" if trig.form in trig.etype.host else "agent"
        for a in after:
            roles.setdefault(a.name, "participant")
    if agent:
        fields["agent"] = _short(agent)
        fields["agent_poss"] = _short(agent) + ("'" if _short(agent).endswith("s") else "'s")
        if agent.actor_type == "person":
            fields["agent_person"] = _short(agent)
    parts = [a for a in after if roles.get(a.name) == "participant"]
    if parts:
        fields["participant"] = _short(parts[0])
        persons = [a for a in parts if a.actor_type == "person"]
        if persons:
            fields["participant_person"] = _short(persons[0])
    orgs = [a for a in inside_name + visible if a.actor_type == "organisation"]
    if orgs:
        fields["org"] = orgs[0].name
    for a in visible:
        roles.setdefault(a.name, "mentioned")
    return roles, fields


def _offset_dates(text: str, sent: Sentence, dates: list[TemporalMention]) -> list[TemporalMention]:
    """'<date>, two months before <event>': a derived date for the event."""
    out: list[TemporalMention] = []
    for m in _OFFSET_LINK.finditer(text, sent.start, sent.end):
        anchors = [d for d in dates if d.end <= m.start() and d.date_start is not None]
        if not anchors:
            continue
        anchor = anchors[-1]
        word = m.group(1).lower()
        n = int(word) if word.isdigit() else _NUMBERS.get(word, 1)
        unit = m.group(2).lower()
        sign = 1 if m.group(3).lower() == "before" else -1
        out.append(_shift(anchor, n * sign, unit, m.group(), m.start(), m.end()))
    return out


def _shift(anchor: TemporalMention, n: int, unit: str, expr: str, start: int, end: int) -> TemporalMention:
    base = anchor.date_start
    assert base is not None
    if unit == "year":
        y = base.year + n
        return TemporalMention(expr, start, end, f"{y:04d}", "year", "relative", None, date(y, 1, 1), date(y, 12, 31))
    if unit == "month":
        idx = base.year * 12 + base.month - 1 + n
        y, mo = divmod(idx, 12)
        last = calendar.monthrange(y, mo + 1)[1]
        return TemporalMention(expr, start, end, f"{y:04d}-{mo + 1:02d}", "month", "relative", None,
                               date(y, mo + 1, 1), date(y, mo + 1, last))
    days = n * (7 if unit == "week" else 1)
    d = date.fromordinal(base.toordinal() + days)
    return TemporalMention(expr, start, end, d.isoformat(), "day", "relative", None, d, d)


def _hypothetical(text: str, trig: _Trigger, lex: Lexicon) -> bool:
    if trig.form not in trig.etype.verbs:
        return False
    return bool(lex.modal_re.search(text[max(trig.sentence.start, trig.start - 25):trig.start]))


def _anaphoric(text: str, trig: _Trigger, seen_types: set[str]) -> bool:
    if trig.form not in trig.etype.nouns or trig.name:
        return False
    if trig.etype.group not in seen_types:
        return False
    before = text[max(trig.sentence.start, trig.start - 40):trig.start].lower()
    m = _ANAPHORA.search(before)
    return bool(m) and all(w in _MONTHS or w.isdigit() or w == "same" for w in m.group(1).split())


def _rejected(text: str, trig: _Trigger, sentence_lower: str) -> bool:
    et = trig.etype
    if et.requires and not any(w in sentence_lower for w in et.requires):
        return True
    if (et.reject_next or et.reject_near) and trig.form in et.reject_forms:
        nxt = _NEXT_WORDS.match(text[trig.end:trig.end + 40])
        if nxt:
            words = nxt.group(1).lower()
            first = words.split()[0]
            if first in et.reject_next or words in et.reject_next:
                return True
        near = _TOKEN.findall(text[trig.end:trig.end + 40].split(",")[0].lower())[:3]
        if any(w in et.reject_near for w in near):
            return True
    return False


def _find_triggers(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, form) of every trigger form in ``text``, longest form first."""
    out: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(text):
        options = lex.first_words.get(m.group().lower())
        if not options:
            continue
        for form, tail in options:
            if tail is None:
                out.append((m.start(), m.end(), form))
                break
            t = tail.match(text, m.end())
            if t:
                out.append((m.start(), t.end(), form))
                break
    return out


def _assign_dates(text: str, triggers: list[_Trigger], usable: list[TemporalMention], sent: Sentence,
                  quotes: Sequence[tuple[int, int]], in_quote: Callable[[int], bool]) -> None:
    """Give each trigger the date its clause ties it to; types compete for a date.

    A date linked by ", when"/", where" may also date a second type.
    """
    pairs: list[tuple[float, int, int]] = []
    linked: set[tuple[int, int]] = set()
    for ti, trig in enumerate(triggers):
        for di, d in enumerate(usable):
            if trig.in_speech or in_quote(d.start):
                if not (trig.name and trig.in_speech and in_quote(d.start)
                        and abs(d.end - trig.start) <= len(trig.name) + 2):
                    continue
            score = _date_score(text, trig, d, sent, quotes)
            if score is not None:
                pairs.append((score, ti, di))
                if d.end <= trig.start and _WHEN_LINK.match(text[d.end:trig.start]):
                    linked.add((ti, di))
    pairs.sort(key=lambda p: (p[0], triggers[p[1]].start, p[2]))
    date_owner: dict[int, str] = {}
    for score, ti, di in pairs:
        trig = triggers[ti]
        if trig.date is not None:
            continue
        owner = date_owner.get(di)
        if owner is not None and owner != trig.etype.group and (ti, di) not in linked:
            continue
        if (ti, di) not in linked:
            date_owner.setdefault(di, trig.etype.group)
        trig.date, trig.score = usable[di], score


def _set_windows(text: str, triggers: list[_Trigger], sent: Sentence) -> None:
    """Each trigger's stretch of the sentence: up to the neighbouring triggers (or their names)."""
    starts = set()
    for t in triggers:
        name_at = text.rfind(t.run, sent.start, t.start) if t.run else -1
        starts.add(name_at if name_at >= 0 else t.start)
    bounds = sorted(starts | {t.end for t in triggers})
    for trig in triggers:
        lo = max([b for b in bounds if b < trig.start] or [sent.start])
        hi = min([b for b in bounds if b > trig.end] or [sent.end])
        trig.window = (lo, hi)


def _collapse(triggers: list[_Trigger], vaguely_dated: bool) -> list[_Trigger]:
    """One trigger per (type group, date); the others lend it their name and actors."""
    buckets: dict[tuple[str, int | None], list[_Trigger]] = {}
    dated_groups = {t.etype.group: t.date.start for t in triggers if t.date is not None}
    for trig in triggers:
        if trig.date is None:
            if trig.etype.group in dated_groups:
                buckets.setdefault((trig.etype.group, dated_groups[trig.etype.group]), []).append(trig)
                continue
            if trig.in_speech or not trig.etype.undated or vaguely_dated:
                continue
        buckets.setdefault((trig.etype.group, trig.date.start if trig.date else None), []).append(trig)
    chosen: list[_Trigger] = []
    for members in buckets.values():
        ranked = sorted(members, key=lambda t: (t.date is None, t.etype.rank, t.score, t.start))
        best = ranked[0]
        if not best.name:
            named = [t for t in ranked if t.name]
            if named:
                best.name, best.run = named[0].name, named[0].run
        best.collapsed = ranked[1:]
        chosen.append(best)
    return chosen


def extract_events(
    text: str,
    sentences: Sequence[Sentence],
    dates: Sequence[TemporalMention],
    actors: Sequence[ActorMention],
) -> list[EventMention]:
    """Typed, dated event mentions, one per (sentence, event group, date)."""
    lex = lexicon()
    quotes = _quote_spans(text)
    q_starts = [s for s, _ in quotes]

    def in_quote(pos: int) -> bool:
        return _inside(pos, quotes, q_starts)

    dates_sorted = sorted(dates, key=lambda d: (d.start, d.end))
    actors_sorted = sorted(actors, key=lambda a: (a.start, a.end))
    d_starts = [d.start for d in dates_sorted]
    a_starts = [a.start for a in actors_sorted]
    date_spans = [(d.start, d.end) for d in dates_sorted]
    aliases = {a.alias for a in actors_sorted}
    out: list[EventMention] = []
    seen_groups: set[str] = set()
    all_triggers = _find_triggers(text, lex)
    t_starts = [t[0] for t in all_triggers]
    for sent in sorted(sentences, key=lambda s: s.start):
        found = [t for t in all_triggers[bisect_left(t_starts, sent.start):bisect_left(t_starts, sent.end)]
                 if t[1] <= sent.end]
        if not found:
            continue
        lo, hi = bisect_left(d_starts, sent.start), bisect_left(d_starts, sent.end)
        sent_dates = [d for d in dates_sorted[lo:hi] if d.end <= sent.end]
        sent_actors = [a for a in actors_sorted[bisect_left(a_starts, sent.start):bisect_left(a_starts, sent.end)]
                       if a.end <= sent.end]
        usable = [d for d in sent_dates if _usable_date(d, lex)]
        sentence_lower = sent.text.lower()
        if "before" in sentence_lower or "after" in sentence_lower:
            usable += _offset_dates(text, sent, [d for d in sent_dates if not _is_vague(d, lex)])
        vaguely_dated = any(_is_vague(d, lex) for d in sent_dates) or bool(
            _may_contain_any(sentence_lower, lex.habitual_words) and lex.habitual_re.search(sent.text))
        triggers: list[_Trigger] = []
        for t_start, t_end, form in found:
            for tname in lex.forms.get(form, ()):
                trig = _Trigger(t_start, t_end, form, lex.types[tname], sent, in_quote(t_start))
                if _rejected(text, trig, sentence_lower) or _hypothetical(text, trig, lex):
                    continue
                trig.name, trig.run = _name_of(text, trig, sent, aliases)
                if not _anaphoric(text, trig, seen_groups):
                    triggers.append(trig)
        _assign_dates(text, triggers, usable, sent, quotes, in_quote)
        _set_windows(text, triggers, sent)
        chosen = _collapse(triggers, vaguely_dated)
        for trig in sorted(chosen, key=lambda t: t.start):
            mention = _mention(text, trig, sent, sent_actors, in_quote, lex, date_spans)
            if trig.date is None and not (trig.etype.requires or mention.location or trig.name
                                          or any(a.role == "participant" for a in mention.actors)):
                continue
            seen_groups.add(trig.etype.group)
            out.append(mention)
    return out


def _mention(text: str, trig: _Trigger, sent: Sentence, sent_actors: list[ActorMention],
             in_quote: Callable[[int], bool], lex: Lexicon, date_spans: list[tuple[int, int]]) -> EventMention:
    location = None
    if not trig.etype.speech:
        for t in [trig, *trig.collapsed]:
            location = _location(text, t, sent, lex, date_spans)
            if location:
                break
    roles, fields = _actors_for(text, trig, sent_actors, in_quote, location)
    for other in trig.collapsed:
        more_roles, more_fields = _actors_for(text, other, sent_actors, in_quote, location)
        for name, role in more_roles.items():
            if name not in roles or ROLE_ORDER.index(role) < ROLE_ORDER.index(roles[name]):
                roles[name] = role
        for k, v in more_fields.items():
            fields.setdefault(k, v)
    ev_actors = [EventActor(n, r) for n, r in sorted(roles.items(), key=lambda kv: (ROLE_ORDER.index(kv[1]), kv[0]))]
    if location and not (trig.name and location in trig.name):
        fields["location"] = location
    fields["trigger"] = " ".join(text[trig.start:trig.end].lower().split())
    if trig.name:
        fields["name"] = trig.name
    if trig.run:
        fields["run"] = trig.run
    pm = lex.portfolio_re.search(sent.text) if _may_contain(sent.text, "ministers") else None
    fields["trigger_noun"] = "meetings" if trig.form in ("meetings", "talks") else "meeting"
    if pm:
        fields["portfolio"] = pm.group(1).lower()
        fields["portfolio_cap"] = pm.group(1).capitalize()
    obj = _object(text, trig, sent)
    if obj:
        fields["object"] = obj
    target = _TARGET.match(text[trig.end:sent.end])
    if target and not any(s <= trig.end + target.start(1) < e for s, e in date_spans):
        phrase = " ".join(target.group(1).split())
        if phrase.split()[-1].lower() not in _MONTHS and phrase.split()[-1].lower() not in _WEEKDAYS:
            fields["target"] = phrase[4:] if phrase.startswith("the ") else phrase
    d = trig.date
    resolved = d is not None and d.date_start is not None and d.value is not None
    return EventMention(
        event_type=trig.etype.name,
        title=_title(trig, fields),
        date_value=d.value if resolved and d else None,
        date_start=d.date_start if resolved and d else None,
        date_end=(d.date_end or d.date_start) if resolved and d else None,
        precision=d.precision if resolved and d else "unknown",
        date_expression=d.text if d else "",
        quote=sent.text,
        char_start=sent.start,
        char_end=sent.end,
        date_start_char=d.start if d else trig.start,
        date_end_char=d.end if d else trig.start,
        location=location,
        actors=tuple(ev_actors),
    )


@lru_cache(maxsize=64)
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b")


def relative_day_offset(expression: str) -> int | None:
    """Days from the publication day for 'today', 'yesterday', 'tomorrow' ..."""
    lex = lexicon()
    low = " ".join(_LETTERS.findall(expression.lower()))
    for word, days in lex.relative_days.items():
        if _whole_word(word).search(low):
            return days
    return None


def weekday_of(expression: str) -> int | None:
    """The weekday (Monday=0) an expression names, if any."""
    for word in _LETTERS.findall(expression.lower()):
        if word in _WEEKDAYS:
            return _WEEKDAYS[word]
    return None


@lru_cache(maxsize=1)
def _template_words() -> frozenset[str]:
    words: set[str] = set()
    for et in lexicon().types.values():
        for template in et.titles:
            words.update(re.findall(r"[a-z]+", re.sub(r"\{[^}]*\}", " ", template.lower())))
    return frozenset(words)


@lru_cache(maxsize=4096)
def title_tokens(title: str) -> frozenset[str]:
    """Content words of a title (not the template's own words), for comparing titles."""
    words = _TITLE_WORD.findall(title.lower().replace("’", "'").replace("'s", ""))
    skip = _template_words()
    return frozenset(w for w in words if w not in _STOP_TITLE and w not in skip)
