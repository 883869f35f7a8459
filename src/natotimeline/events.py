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
* A date far after the verb still counts when only names and place phrases
  lie between ("met <titled names> at the White House on Tuesday"); a date
  inside a ", who ..." clause, or after a subordinate clause ("before X takes
  over on 1 May"), dates neither the main verb nor the event before it. A date
  between coordinated verbs ("visited X in May and signed ...") dates both, and
  the second verb takes the first one's subject. Offsets ("a week before") and
  a year ending a name ("Exercise X 2024", "the exercise X 2025, which will
  take place between 5 and 20 May") yield to the event's own date; a date
  opening the sentence reaches further than one inside it.
* No event from negation, failure or hope ("without agreement", "will not
  hold", "failed to agree", "had hoped to reach a deal"), nor from "host"
  with an object that is neither a guest nor an event ("host 5,000 troops").
* Modal/infinitive verbs are hypothetical, except scheduled ones ("is due to
  visit", "expect X to meet") that have their own date; "leaders meet/gather"
  is a summit, and "meet ... for the summit" is the summit itself; so is "host"
  before another type's noun ("X will host the annual exercise": X hosts the
  exercise, and no meeting is made of it).
* A present perfect in the lead ("X has announced ...") with no date is dated
  by its verb phrase; reconciliation puts it on the publication day. Each post
  of a live blog, below its time ("15:20 CET"), has a lead of its own.
* An event named as what an anniversary recalls ("the 25th anniversary of X's
  accession") or as lasting into a later year ("as the invasion entered its
  second year"), or an unnamed noun after "under the ..." ("deliveries under
  the new contract"), is not dated by the sentence's date. A ", which ..."
  clause after a date ("in fiscal 2026, which begins Oct. 1") dates nothing.
* A reporting verb takes its speaker across a long appositive ("Gen. X, the
  Army's program executive officer ..., told"); a passive one ("announced by
  the prime minister") takes no speaker from the clause before it; "he/she
  said" takes the one person the sentence before names.
* A place before a coordinated verb ("stationed in Lithuania and held talks")
  is not its subject.
* Types marked ``undated`` (report releases, meetings, visits) also yield an
  undated mention when a sentence reports one without a date; it is
  dropped in reconciliation unless it matches an event other sources date.
  A sentence never borrows a date from another sentence.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from itertools import accumulate, compress, count
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .paths import load_data
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
    name_modifiers: frozenset[str] = frozenset()
    reject_named: bool = False
    one_per_place: bool = False
    reject_percent_next: bool = False
    gerund_forms: frozenset[str] = frozenset()
    dates_counts: bool = False
    object_forms: frozenset[str] = frozenset()
    object_words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Lexicon:
    types: dict[str, EventType]
    forms: dict[str, tuple[str, ...]]
    first_words: dict[str, tuple[tuple[str, re.Pattern[str] | None], ...]]
    portfolio_re: re.Pattern[str]
    vague_re: re.Pattern[str]
    relative_days: dict[str, int]
    modal_re: re.Pattern[str]
    irrealis_re: re.Pattern[str]
    non_places: frozenset[str]
    habitual_re: re.Pattern[str]
    habitual_words: tuple[str, ...]
    visit_place_re: re.Pattern[str]
    ascii_first_words: dict[bytes, str] | None


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The trigger lexicon from ``data/event_types.toml`` (read once)."""
    raw = load_data("event_types.toml")
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
            name_modifiers=frozenset(w.lower() for w in spec.get("name_modifiers", ())),
            reject_named=bool(spec.get("reject_named", False)),
            one_per_place=bool(spec.get("one_per_place", False)),
            reject_percent_next=bool(spec.get("reject_percent_next", False)),
            gerund_forms=frozenset(w.lower() for w in spec.get("gerund_forms", ())),
            dates_counts=bool(spec.get("dates_counts", False)),
            object_forms=frozenset(w.lower() for w in spec.get("object_forms", ())),
            object_words=frozenset(w.lower() for w in spec.get("object_words", ())),
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
        irrealis_re=re.compile(r"\b(?:" + _alternation(ctx["irrealis"]) + r")\s+(?:(?:a|an|the|any|all|its|their)\s+)?(?:[\w-]+\s+){0,2}$", re.I),
        non_places=frozenset(ctx["non_places"]),
        habitual_re=re.compile(r"\b(?:" + _alternation(ctx["habitual"]) + r")\b", re.I),
        habitual_words=tuple(sorted({max(p.lower().split(), key=len) for p in ctx["habitual"]})),
        visit_place_re=re.compile(
            r"(?<![\w-])(?i:" + _alternation(list(types["visit"].verbs) if "visit" in types else ["visiting"])
            + r")\s+((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)"),
        ascii_first_words={w.encode(): w for w in first} if all(w.isascii() for w in first) else None,
    )


_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTHS = frozenset(m.lower() for m in calendar.month_name if m) | frozenset(m.lower() for m in calendar.month_abbr if m)
_QUOTE_OPEN = "“«"
_QUOTE_CLOSE = "”»"
_CAP_TOKEN = re.compile(r"(?:[A-Z][\w’'.-]*|\d{4})(?:\s+(?:[A-Z][\w’'.-]*|\d{4}))*")
_CAP_RUN_BEFORE = re.compile(r"((?:(?:[A-Z][\w’'-]*|\d{4})\s+)+)$")
_LOWER_WORD_BEFORE = re.compile(r"(?<![\w’'-])([a-z][a-z-]*)\s+$")
_CAP_AFTER = re.compile(r"^((?:\s+(?:[A-Z][\w’'-]*|\d{4}))+)")
_OF_THE_NAME = re.compile(r"^\s+of\s+the\s+((?:[A-Z][\w’'-]*)(?:\s+[A-Z][\w’'-]*)*)")
_PLACE = re.compile(r"\b(?:in|at)\s+((?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|de|upon|ten|van|von|der|den|del|di|da|du|la|le)(?=\s+[A-Z]|$|[^\w\s]))*(?:\s+[A-Z][\w’'-]*)*)")
_NAME_LIST_COMMA = re.compile(r"(?<=[A-Za-z]),(?=\s+[A-Z])")
_WHEN_LINK = re.compile(r"^,?\s*(?:when|where|at which)\b", re.I)
_TARGET = re.compile(r"^\s+(?:on\s+|against\s+)?((?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")
_SENT_START = re.compile(r"^[\W_]*(?:(?:on|in|at|during|by|early|late|last|this|earlier|later)\s+)?$", re.I)
_BREAKER = re.compile(r"\bthat\b|;|:")
_OFFSET_LINK = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"(day|week|month|year)s?\s+(before|after)\b", re.I)
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"a": 1, "an": 1}
_OBJECT_STOP = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|;|\.(?!\d)|:|\s—|\s–|\(|\band that\b|\bwhile\b|\bbut\b")
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"[\w’'-]+")
_TOKEN_CHAR = re.compile(r"[\w’'-]")
_ASCII_TOKEN_BYTES = bytes(c if chr(c).isalnum() or chr(c) in "_'-" else 32 for c in range(128)) + b" " * 128
_NEXT_WORDS = re.compile(r"^\s*([\w’'-]+(?:\s+[\w’'-]+)?)")
_ANAPHORA = re.compile(r"\b(?:the|this|that)\s+((?:[\w’'-]+\s+){0,3})$")
_LEADING_COMMON = frozenset({"the", "a", "an", "in", "on", "at", "last", "this", "since", "during", "more", "by"})
_TITLE_WORD = re.compile(r"[\w-]+")
_LETTERS = re.compile(r"[a-z]+")
_QUOTE_MARK = re.compile(r"[“”\"«»]|\n\s*\n")
# _QUOTE_MARK led by one character class (found faster); it also matches a lone newline, to be skipped.
_QUOTE_MARK_OR_NEWLINE = re.compile(r"[“”\"«»\n](?:(?<=\n)\s*\n)?")
_OPEN_START = re.compile(r"\s*(since|until|till|by|before|after)\b", re.I)
_NAME_RUN = re.compile(r"(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w’'.-]*)*")
_SCHEDULED = re.compile(
    r"\b(?:due|set|scheduled|slated|expected|planned|plans|plan|planning|going|poised|is|are|am|agreed|decided"
    r"|expects?(?:\s+[\w’'-]+){1,6})\s+to\s+(?:\w+ly\s+)?$", re.I)
_NEGATION = re.compile(
    r"(?:\b(?:without|no|not|never|cannot|failed\s+to|fails\s+to|fail\s+to|hoped\s+to|hopes\s+to|hope\s+to"
    r"|wanted\s+to|refused\s+to|refuses\s+to|declined\s+to|unable\s+to)|n't|n’t)\s+"
    r"(?:(?:a|an|the|any|its|their|his|her|to|be|been|yet|hold|host|have|reach|sign|seal|strike|conclude|make"
    r"|attend|stage|formal|final|new|further|joint|single|firm|binding)\s+){0,3}$", re.I)
_SUBORDINATE = re.compile(
    r"\b(?:before|after|until|since|while|because|once|although|though|when|whereas)\s+(?:[\w’'.-]+\s+){0,4}?"
    r"(?:[a-z]+(?:s|ed)|will|would|has|had|have|is|was|were|are|took|can|could|must|met|began|won|fell|rose)\b")
_TRAILING_PREPOSITIONS = frozenset({"from", "by", "until", "since", "with", "about", "around", "before", "after",
                                    "between", "as", "over", "into", "during", "than"})
_NAME_BEFORE_YEAR = re.compile(r"\b([A-Z][\w’'-]+)\s+$")
_NAME_YEAR_BEFORE = re.compile(r"\b([A-Z][\w’'-]+)\s+\d{4}$")
# "the exercise Dacian Trident 2025": a name after the noun, ending in its year.
_NAME_YEAR_AFTER = re.compile(r"[ \t]+((?:[A-Z][\w’'-]*[ \t]+){1,3}(?:19|20)\d{2})\b")
# "On 14 August 2025, in the presence of <long titled names>, the agency signed ...": how far a
# date opening the sentence reaches.
_LEAD_DATE_GAP = 160
_DATE_LINE = re.compile(
    r"(?:(?:report|article|story|page|release)\s+)?(?:(?:first|originally|last)\s+)?"
    r"(?:published|posted|updated|issued|released|modified)\b(?!\s+(?:a|an|the|its|their|his|her)\b)", re.I)
_MAX_DATE_LINE = 140
_CLAUSE_AFTER_COMMA = re.compile(r",\s+(?:the|a|an|its|their|it|they|he|she|we|this|that)\b", re.I)
# A live blog's post begins below its time ("15:20 CET"): its first sentences are a lead of their own.
_POST_STAMP = re.compile(r"(?:\A|\n)[ \t]*\d{1,2}[:.]\d{2}(?:[ \t]*[AaPp]\.?[Mm]\.?)?(?:[ \t]+[A-Z]{2,5})?[ \t]*\n[ \t]*\Z")
_OBJECT_WORDS_WINDOW = 10
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "nato's"})
_PERCENT_NEXT = re.compile(r"[ \t]+(?:the[ \t]+|a[ \t]+)?\d[\d.,]*[ \t]*(?:%|per[ \t]*cent\b|percent\b)", re.I)
_YEAR_NEXT = re.compile(r"[ \t]+(?:19|20)\d{2}(?!\d)")
_CAP_WORD_BEFORE = re.compile(r"(?<![\w’'-])[A-Z][\w’'-]*[ \t]+$")
_YEAR_PREPOSITIONS = frozenset({"from", "until", "till", "of", "for", "to", "before", "after", "between", "through"})
_APPOSITIVE_TO = re.compile(r",\s+(?:the|a|an|its|their|his|her)\s+[^,;]*")
LEAD_SENTENCES = 2
_BODY_SENTENCE = re.compile(r"^(?:\S+\s+){9,}.*[.!?][”\"’']?\s*$", re.S)
_CLOSING_QUOTES = "”\"’'"
# The only non-ASCII characters re matches case-insensitively to ASCII letters are İ ı ſ K (Kelvin);
# these are what they leave in a lowercased text ("K" becomes an ASCII "k").
_CASE_TWINS_LOWER = "\u0307\u0131\u017f"
_PERFECT_BEFORE = re.compile(r"\b(?:has|have)\s+(?:(?:now|just|also|formally|officially)\s+)?$", re.I)
_PERFECT_EXPRESSION = re.compile(r"(?:has|have)\s+(?:(?:now|just|also|formally|officially)\s+)?[a-z]+(?:\s+[a-z]+)?",
                                 re.I)
_CLAUSE_VERB = re.compile(r"\b(?:would|will|could|should|might|may|must|has|have|had|is|are|was|were|can|did)\b")
_RELATIVE_IN_GAP = re.compile(r"\S.*?,\s+(?:who|whose)\b")
# "due in fiscal 2026, which begins Oct. 1": a clause describing a date, not the event.
_DATE_RELATIVE = re.compile(
    r"(?:\d|\b(?:year|month|week|quarter|half|spring|summer|autumn|fall|winter))\s*,\s+which\b", re.I)
# "deliveries under the new contract": a noun naming the instrument something happens under.
_UNDER_INSTRUMENT = re.compile(r"\bunder\s+(?:the|this|that|its|their|his|her|a|an)\s+(?:[\w-]+\s+){0,2}$", re.I)
_RELATIVE_OPEN = re.compile(r",\s+(?:who|which|whose)\b[^,;]*$")
_NEGATION_HINTS = ("no", "never", "n't", "n’t", "without", "fail", "hope", "wanted", "refuse", "declined", "unable")
_NEGATION_HINT = re.compile("|".join(map(re.escape, _NEGATION_HINTS)))
_ANNIVERSARY_OF = re.compile(r"\banniversar(?:y|ies)\s+of\s+(?:[\w’'-]+\s+){0,4}$", re.I)
_ENTERED_ITS = re.compile(
    r"(?:\s+of\s+[A-Z][\w’'-]*)?\s+(?:has\s+|had\s+)?(?:entered|enters|entering|enter|marked|marks|mark)\s+(?:its|the)\s+"
    r"(?:\w+\s+){0,2}(?:year|month|week|day|anniversary)\b")
_HOST_OBJECT = re.compile(r"[^,;:]*?(?=[,;:]|\.(?!\d)|$)")
_HOST_OBJECT_END = frozenset({"in", "on", "at", "for", "from", "with", "by", "during", "until", "possibly", "and"})
_GENERIC_EVENT_NOUNS = frozenset({"event", "events", "forum", "conference", "gathering", "session", "ceremony",
                                  "dinner", "reception", "round", "visit", "visits", "delegation", "delegations",
                                  "leaders", "ministers", "counterpart", "counterparts", "president", "minister"})
# "host the annual Spring Storm exercise": a determiner and the event's words, no guest or preposition between.
_HOSTED_EVENT = re.compile(
    r"[ \t]+(?:the|a|an|this|next|its|their|his|her|our|[\w’'-]+['’]s)[ \t]+"
    r"(?:(?!(?:in|at|on|before|after|ahead|during|for|with|to|of|and|while)\b)[\w’'-]+[ \t]+){0,4}")
_FOR_EVENT = re.compile(r"(?:\s+in\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)?\s+(?:for|at)\s+"
                        r"(?:[\w’'-]+\s+){0,5}")
_OBJECT_END_WORDS = {"to": 3, "with": 5, "which": 1, "who": 1, "after": 3, "before": 3, "because": 1,
                     "including": 2, "amid": 2, "whose": 1}
# The object of a noun trigger is its complement ("delivery of 20 jets", "contract for ..."); a finite
# verb ends an object ("deployment of 150 troops began on ...").
_NOUN_OBJECT_LINKS = frozenset({"of", "for", "with", "to", "on", "worth", "in", "at"})
_FINITE_AFTER_OBJECT = frozenset({"are", "is", "was", "were", "will", "would", "has", "have", "had", "began", "begins",
                                  "started", "starts", "ended", "ends"})
_DOUBLED = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.I)
_WORD_RUN = re.compile(r"\w+")
_LEADERS_BEFORE = re.compile(r"\b(?:leaders|heads\s+of\s+state(?:\s+and\s+government)?)\s+(?:\w+\s+){0,2}$", re.I)
_SIDELINES = re.compile(r"[^,.;]{0,40}\bsidelines\b", re.I)
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|inside|into)\s+(?:the\s+)?$")
_LOWER_NEXT = re.compile(r"\s+\w")
_ADJECTIVE_ENDINGS = ("an", "sh", "se", "ch", "ic", "i")
_AGENT_GAP = re.compile(
    r",\s+(?:(?:the|a|an|his|her|its|their)\s+[^,;:“”\"]{1,60}?\s+(?:who|which)\s+(?:\w+ly\s+)?"
    r"|(?:the|a|an|his|her|its|their)\s+[^,;:“”\"]{1,60},\s+(?:\w+ly\s+)?"
    r"|(?:who|which)\s+(?:\w+ly\s+)?"
    r"|(?:who|which)\s+[^,;:“”\"]{1,80},\s+(?:\w+ly\s+)?)")
_VP_AND = re.compile(r"\band\s+(?:then\s+|also\s+|later\s+)?$")
# "Gen. X, the Army's program executive officer for missiles and space, told reporters": a long appositive.
_SPEAKER_APPOSITIVE = re.compile(r",\s+(?:the|a|an|his|her|its|their)\s+[^,;:“”\"]{1,110},\s+(?:\w+ly\s+)?")
# "the increase announced by the prime minister": a passive reporting verb; its agent follows "by".
_PASSIVE_BY = re.compile(r"\s+by\s+(?:the\s+)?")
# "..., he told reporters": a pronoun subject right before a reporting verb.
_PRONOUN_SUBJECT = re.compile(r"(?:^|[\s,”\"])(?:[Hh]e|[Ss]he)\s+(?:\w+ly\s+)?\Z")
_QUOTE_BEFORE = re.compile(r"[,.!?]?[”\"]\s*$")
_COORDINATED = re.compile(r"\s*,?\s+and\s+(?:then\s+|also\s+)?")
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
    scheduled: bool = False


def _may_contain(text: str, word: str) -> bool:
    """False only when ``text`` cannot match ``word`` case-insensitively (ASCII text without it)."""
    return _may_contain_any(text.lower(), (word,))


def _may_contain_any(low: str, words: Sequence[str]) -> bool:
    """False only when lowercased ``low`` cannot match any of the ASCII ``words`` case-insensitively."""
    if any(map(low.__contains__, words)):
        return True
    if low.isascii():
        return False
    return any(map(low.__contains__, _CASE_TWINS_LOWER)) or not all(w.isascii() for w in words)


def _is_body_sentence(text: str) -> bool:
    """``_BODY_SENTENCE.search(text)``, skipped when it cannot match (fewer than ten words, no final stop)."""
    tail = text.rstrip()[-2:]
    if not tail or not (tail[-1] in ".!?" or (tail[-1] in _CLOSING_QUOTES and tail[:1] in (".", "!", "?"))):
        return False
    return len(text.split()) >= 10 and _BODY_SENTENCE.search(text) is not None


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations of six words or more (reported speech)."""
    spans: list[tuple[int, int]] = []
    curly_open: int | None = None
    straight_open: int | None = None
    for m in _QUOTE_MARK_OR_NEWLINE.finditer(text):
        ch = m.group()
        if ch == "\n":
            continue
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
    return _vague_expression(d.text) if lex is lexicon() else bool(lex.vague_re.search(d.text))


@lru_cache(maxsize=4096)
def _vague_expression(expression: str) -> bool:
    return bool(lexicon().vague_re.search(expression))


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


def _in_name(text: str, d: TemporalMention, sent: Sentence) -> bool:
    """A year that ends a capitalised name ("Steadfast Defender 2024")."""
    m = _NAME_BEFORE_YEAR.search(text, max(sent.start, d.start - 30), d.start)
    return bool(m) and m.group(1).lower() not in _LEADING_COMMON and m.group(1).lower() not in _YEAR_PREPOSITIONS


def _describes_date(gap: str) -> bool:
    """A ", which ..." clause after a date ("in fiscal 2026, which begins Oct. 1"), not after
    a name ending in a year ("the exercise Dacian Trident 2025, which will run ...")."""
    for m in _DATE_RELATIVE.finditer(gap):
        name = _NAME_YEAR_BEFORE.search(gap, 0, m.start() + 1)
        if name is None or name.group(1).lower() in _MONTHS or name.group(1).lower() in _LEADING_COMMON:
            return True
    return False


def _crosses_quote(a: int, b: int, quotes: Sequence[tuple[int, int]]) -> bool:
    return any(a < s < b or a < e - 1 < b for s, e in quotes)


def _date_penalty(text: str, d: TemporalMention, sent: Sentence) -> float:
    """Added to a tie's score: an unresolved date, an offset ("a week before"), a year ending a name."""
    unresolved = 30.0 if d.date_start is None else 0.0
    if _OFFSET_LINK.fullmatch(d.text):
        unresolved += 35.0
    if d.precision == "year" and _in_name(text, d, sent):
        unresolved += 80.0
    return unresolved


# "from 2.3 per cent of GDP in 2024": a year right after a percentage is the figure's period.
_FIGURE_PERIOD = re.compile(r"(?:%|\bper\s*cent|\bpercent)(?:\s+of\s+(?:its\s+|their\s+|the\s+)?(?:GDP|gross\s+domestic\s+product))?\s+(?:in|by)\s+(?:fiscal\s+)?$", re.I)


def _date_score(text: str, trig: _Trigger, d: TemporalMention, sent: Sentence,
                quotes: Sequence[tuple[int, int]]) -> float | None:
    """How tightly the clause ties ``d`` to ``trig`` (lower is tighter), or None."""
    if d.start >= trig.start and d.end <= trig.end:
        return None
    if d.start >= trig.end:
        score = _score_after(text, trig, d, sent, quotes)
    else:
        score = _score_before(text, trig, d, sent, quotes)
    return None if score is None else score + _date_penalty(text, d, sent)


def _score_after(text: str, trig: _Trigger, d: TemporalMention, sent: Sentence,
                 quotes: Sequence[tuple[int, int]]) -> float | None:
    speech = trig.etype.speech
    gap = text[trig.end:d.start]
    comma = "," in gap
    if comma and len(gap) > 70:
        return None
    if _open_ended(d) and len(gap.strip()) > 0:
        return None
    if "%" in gap or "cent" in gap:
        if _FIGURE_PERIOD.search(gap):
            return None
    if (_BREAKER.search(gap) or _SUBORDINATE.search(gap) or (comma and "who" in gap and _RELATIVE_IN_GAP.search(gap))
            or (comma and "which" in gap and _describes_date(gap))
            or _crosses_quote(trig.end, d.start, quotes)):
        return None
    size = len(gap) if len(gap) <= 70 or comma else len(_NAME_RUN.sub("N", gap))
    if size > 70:
        return None
    if speech and _CLAUSE_VERB.search(gap):
        return None
    if speech and (comma or size > 50) and not (
            _QUOTE_BEFORE.search(text, max(sent.start, trig.start - 4), trig.start)
            and size <= 110 and gap.count(",") <= 2 and not _QUOTE_MARK.search(gap)):
        return None
    return size


def _score_before(text: str, trig: _Trigger, d: TemporalMention, sent: Sentence,
                  quotes: Sequence[tuple[int, int]]) -> float | None:
    speech = trig.etype.speech
    gap = text[d.end:trig.start]
    link = _WHEN_LINK.match(gap)
    if link and "," not in _NAME_LIST_COMMA.sub(" ", gap[link.end():]) and len(gap) < 90:
        return len(gap) / 2
    if len(gap) > (_LEAD_DATE_GAP if _at_sentence_start(text, d, sent) else 100):
        return None
    if _open_ended(d) and len(gap.strip()) > 3:
        return None
    if _BREAKER.search(gap) or _crosses_quote(d.end, trig.start, quotes):
        return None
    if "," in gap and _RELATIVE_OPEN.search(text, max(sent.start, d.start - 80), d.start):
        return None
    if speech:
        return len(gap) + 10 if len(gap) <= 80 and _at_sentence_start(text, d, sent) else None
    if len(gap) <= 40 and gap.count(",") <= 1:
        return len(gap) + 5
    if _at_sentence_start(text, d, sent):
        return len(gap) + 15
    return None


def _at_sentence_start(text: str, d: TemporalMention, sent: Sentence) -> bool:
    return bool(_SENT_START.match(text[sent.start:d.start]))


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
    if m is None and trig.etype.name_modifiers:
        # "the BALTOPS naval exercise": a descriptive word between the name and the noun
        mod = _LOWER_WORD_BEFORE.search(before)
        while mod is not None and mod.group(1) in trig.etype.name_modifiers:
            before = before[:mod.start(1)]
            mod = _LOWER_WORD_BEFORE.search(before)
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
    if name is None and not word[:1].isupper():
        after = _NAME_YEAR_AFTER.match(text, trig.end, sent.end)
        if after:
            name = f"{' '.join(after.group(1).split())} {word}"
    if trig.etype.near_name and name and run and run in actor_aliases and not word[:1].isupper():
        name = None
    if name is None and trig.etype.near_name:
        window_start = max(sent.start, trig.start - 80)
        cut = max(text.rfind(",", window_start, trig.start), text.rfind(";", window_start, trig.start))
        if cut >= 0 and not _APPOSITIVE_TO.fullmatch(text, cut, trig.start):
            window_start = cut + 1
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
    """A person's surname (the whole name when it ends in a hyphenated given name, "Lai Ching-te")."""
    if a.actor_type != "person":
        return a.name
    words = a.name.split()
    head, _, tail = words[-1].partition("-")
    if tail[:1].islower() and len(words) > 1:
        return a.name
    i = len(words) - 1
    while i > 1 and words[i - 1].islower():
        i -= 1
    return " ".join(words[i:])


def _object(text: str, trig: _Trigger, sent: Sentence) -> str | None:
    tail = text[trig.end:sent.end]
    if trig.date is not None and trig.end <= trig.date.start <= sent.end:
        tail = text[trig.end:trig.date.start]
    stop = _OBJECT_STOP.search(tail)
    if stop:
        tail = tail[:stop.start()]
    words = _WORD.findall(tail)[:14]
    noun = trig.form in trig.etype.nouns and trig.form not in trig.etype.verbs
    if noun and words and words[0].lower() not in _NOUN_OBJECT_LINKS:
        return None
    to = next((i for i, w in enumerate(words) if i >= _OBJECT_END_WORDS.get(w.lower(), 99)
               or (noun and i >= 1 and w.lower() in _FINITE_AFTER_OBJECT)), None)
    if to is not None:
        words = words[:to]
    while words and (words[-1].lower() in _STOP_TITLE or words[-1].lower() in _TRAILING_PREPOSITIONS):
        words.pop()
    if len(words) < 2:
        return None
    return " ".join(words).rstrip(".,;")


def _undouble(title: str) -> str:
    """``title`` without a word repeated right after itself ("meeting meeting")."""
    if title.isascii():
        words = _WORD_RUN.findall(title.lower())
        if len(set(words)) == len(words):
            return title
    return _DOUBLED.sub(r"\1", title)


def _title(trig: _Trigger, fields: dict[str, str]) -> str:
    for template in trig.etype.titles:
        try:
            title = template.format_map(fields)
        except KeyError:
            continue
        title = _undouble(title)
        return title[:1].upper() + title[1:]
    return trig.etype.name.replace("_", " ").capitalize()


def _adjectival(text: str, a: ActorMention) -> bool:
    """A country named by its adjective before a noun ("the Lithuanian politician", "Russian Defense Minister")."""
    return (a.actor_type == "country" and a.alias != a.name and a.alias.endswith(_ADJECTIVE_ENDINGS)
            and bool(_LOWER_NEXT.match(text, a.end)))


def _locative(text: str, a: ActorMention) -> bool:
    """An actor named as a place ("stationed in Lithuania and held talks"): not the verb's subject."""
    return _LOCATIVE_BEFORE.search(text, max(0, a.start - 16), a.start) is not None


def _clause_gap_ok(gap: str) -> bool:
    """No clause break between an agent and its verb, except a short aside (", centre,")."""
    if "," not in gap:
        return True
    return bool(_ASIDE.fullmatch(gap))


def _actors_for(text: str, trig: _Trigger, sent_actors: list[ActorMention], in_quote: Callable[[int], bool],
                location: str | None, referent: ActorMention | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Roles of the sentence's actors for ``trig`` and the title fields they fill."""
    fields: dict[str, str] = {}
    roles: dict[str, str] = {}
    lo, hi = trig.window
    visible = [a for a in sent_actors if not in_quote(a.start)
               and not (location and a.alias in location and a.actor_type != "person")]
    d = trig.date
    if d is not None and d.start >= trig.end and d.start < hi:
        comma = text.find(",", d.end, hi)
        if comma >= 0:
            hi = comma
    inside_name = [a for a in visible if trig.name and a.alias in trig.name
                   and trig.start - len(trig.name) - 2 <= a.start < trig.end + len(trig.name)]
    named = {id(a) for a in inside_name}
    before = [a for a in visible if lo <= a.start and a.end <= trig.start and id(a) not in named]
    after = [a for a in visible if a.start >= trig.end and a.end <= hi and id(a) not in named]
    agent: ActorMention | None = None
    if trig.etype.speech:
        persons_b = [a for a in visible if a.end <= trig.start and a.actor_type == "person" and (
            trig.start - a.end <= 60 or _SPEAKER_APPOSITIVE.fullmatch(text, a.end, trig.start))]
        persons_a = [a for a in visible if a.start >= trig.end and a.start - trig.end <= 80
                     and a.actor_type == "person"]
        passive = _PASSIVE_BY.match(text, trig.end)
        if passive:
            by = next((a for a in visible if a.start == passive.end()), None)
            persons_b, persons_a, before = [], [by] if by else [], []
        if referent is not None and not persons_b:
            agent = referent
        elif persons_b:
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
            plain = [a for a in before if not _adjectival(text, a)]
            while plain and _locative(text, plain[-1]):
                plain.pop()
            if _VP_AND.search(text, max(trig.sentence.start, trig.start - 12), trig.start) and not (
                    before and text[before[-1].end:trig.start].strip() == "and"):
                agent = next((a for a in visible if a.end <= trig.start and not _adjectival(text, a)
                              and not _locative(text, a)), None)
            elif plain and _clause_gap_ok(text[plain[-1].end:trig.start]):
                agent = plain[-1]
            else:
                agent = next((a for a in reversed(visible) if a.end <= trig.start and id(a) not in named
                              and _AGENT_GAP.fullmatch(text, a.end, trig.start)), None)
            if agent is None and before and not _locative(text, before[-1]) and _clause_gap_ok(
                    text[before[-1].end:trig.start]):
                agent = before[-1]
        elif before and (trig.start - before[-1].end <= 3 or before[0] is visible[0]) and before[0].name not in roles:
            agent = before[-1] if trig.start - before[-1].end <= 3 else before[0]
        if agent:
            roles[agent.name] = "host" if trig.form in trig.etype.host else "agent"
        for a in after:
            roles.setdefault(a.name, "participant")
    co_agent = None
    if agent and not trig.etype.speech:
        co_agent = next((a for a in visible if a.end <= agent.start and a.name != agent.name
                         and text[a.end:agent.start].strip() == "and"), None)
        if co_agent:
            roles[co_agent.name] = roles[agent.name]
    if agent:
        fields["agent"] = f"{_short(co_agent)} and {_short(agent)}" if co_agent else _short(agent)
        fields["agent_poss"] = _short(agent) + ("'" if _short(agent).endswith("s") else "'s")
        if agent.actor_type == "person":
            fields["agent_person"] = _short(agent)
    parts = [a for a in after if roles.get(a.name) == "participant"]
    if parts:
        fields["participant"] = _short(parts[0])
        persons = [a for a in parts if a.actor_type == "person"]
        if persons:
            fields["participant_person"] = _short(persons[0])
    orgs = [a for a in inside_name + visible if a.actor_type == "organisation"
            and (a in inside_name or "," not in text[min(a.end, trig.start):max(a.start, trig.end)])]
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
    """A modal or infinitive verb, or a noun only in prospect or halted ("to discuss a possible ceasefire",
    "paused military aid deliveries");
    "is due to visit" only marks ``trig`` scheduled (kept when dated)."""
    if trig.form not in trig.etype.verbs:
        before = text[max(trig.sentence.start, trig.start - 40):trig.start]
        return trig.form in trig.etype.nouns and lex.irrealis_re.search(before) is not None
    before = text[max(trig.sentence.start, trig.start - 60):trig.start]
    if not lex.modal_re.search(before[-25:]):
        return False
    if _SCHEDULED.search(before):
        trig.scheduled = True
        return False
    return True


def _schedule_dated(text: str, trig: _Trigger) -> bool:
    """A scheduled event needs its own date: after the verb (not "for next year") or opening the sentence."""
    d = trig.date
    if d is None:
        return False
    if d.start >= trig.end:
        return not text[trig.end:d.start].rstrip().lower().endswith(" for")
    return bool(_SENT_START.match(text[trig.sentence.start:d.start]))


def _negated(text: str, trig: _Trigger) -> bool:
    """Negation, failure or a mere hope right before the trigger ("without agreement", "failed to agree")."""
    before = text[max(trig.sentence.start, trig.start - 60):trig.start]
    if not _NEGATION_HINT.search(before.lower()):
        return False
    return bool(_NEGATION.search(before))


def _anniversary(text: str, trig: _Trigger) -> bool:
    """An event named as the one an anniversary recalls ("the 25th anniversary of Poland's accession"), or
    as lasting into a later year ("as the invasion entered its second year"): the sentence's date is
    the anniversary, not the event."""
    before = text[max(trig.sentence.start, trig.start - 60):trig.start]
    if "nniversar" in before and _ANNIVERSARY_OF.search(before) is not None:
        return True
    return trig.form in trig.etype.nouns and _ENTERED_ITS.match(text, trig.end, trig.sentence.end) is not None


def _under_instrument(text: str, trig: _Trigger) -> bool:
    """An unnamed noun after "under the ..." ("deliveries under the new contract"): an existing instrument."""
    if trig.form not in trig.etype.nouns or trig.name:
        return False
    before = text[max(trig.sentence.start, trig.start - 40):trig.start]
    return "nder" in before and _UNDER_INSTRUMENT.search(before) is not None


def _host_without_event(text: str, trig: _Trigger, lex: Lexicon) -> bool:
    """"host" whose object is neither a name nor an event ("host 5,000 troops", "host a command")."""
    if trig.form not in trig.etype.host or trig.form not in trig.etype.verbs:
        return False
    words: list[str] = []
    for w in _HOST_OBJECT.match(text, trig.end, trig.sentence.end).group().split()[:7]:
        if w.lower() in _HOST_OBJECT_END:
            break
        words.append(w)
    if not words or (words[0][:1].isupper() and words[0].lower() not in _STOP_TITLE):
        return False
    nouns = _event_nouns()
    return not any(w.lower().strip("’'s") in nouns or w.lower() in nouns for w in words)


# "the summit in Vilnius": a place after the noun names another gathering, not the one seen before.
_PLACED = re.compile(r"[ \t]+in[ \t]+(?:the[ \t]+|The[ \t]+)?[A-Z][a-z]")


@lru_cache(maxsize=1)
def _event_nouns() -> frozenset[str]:
    lex = lexicon()
    nouns = {n for et in lex.types.values() for n in et.nouns if " " not in n}
    return frozenset(nouns | _GENERIC_EVENT_NOUNS)


def _anaphoric(text: str, trig: _Trigger, seen_types: set[str]) -> bool:
    if trig.form not in trig.etype.nouns or trig.name:
        return False
    if trig.etype.group not in seen_types:
        return False
    if _PLACED.match(text, trig.end):
        return False
    before = text[max(trig.sentence.start, trig.start - 40):trig.start].lower()
    m = _ANAPHORA.search(before)
    return bool(m) and all(w in _MONTHS or w.isdigit() or w == "same" for w in m.group(1).split())


def _in_year_name(text: str, trig: _Trigger) -> bool:
    """A capitalised noun inside a name that ends in a year ("Saber Strike 2025")."""
    return (trig.form in trig.etype.nouns and text[trig.start].isupper() and trig.start > trig.sentence.start
            and _YEAR_NEXT.match(text, trig.end) is not None
            and _CAP_WORD_BEFORE.search(text, trig.sentence.start, trig.start) is not None)


def _rejected(text: str, trig: _Trigger, sentence_lower: str) -> bool:
    et = trig.etype
    if et.requires and not any(map(sentence_lower.__contains__, et.requires)):
        return True
    if et.reject_named and _in_year_name(text, trig):
        return True
    if trig.form in et.object_forms and et.object_words.isdisjoint(
            _TOKEN.findall(text[trig.end:min(trig.sentence.end, trig.end + 120)].lower())[:_OBJECT_WORDS_WINDOW]):
        return True
    if et.reject_percent_next and (trig.form in et.reject_forms or trig.form in et.gerund_forms) and _PERCENT_NEXT.match(
            text, trig.end):
        return True
    if trig.form in et.gerund_forms:
        words = _TOKEN.findall(text[trig.end:trig.end + 60].lower())
        if words and words[0] in _DETERMINERS and any(w in et.reject_near for w in words[1:5]):
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


def _is_date_line(line: str) -> bool:
    """A header's date line ("Posted on 8 April 2025 by Nordic Defence Review", "Report published:
    Tuesday 21 October 2025"): when the article was published, not an event it reports."""
    return (len(line) <= _MAX_DATE_LINE and not line.rstrip(_CLOSING_QUOTES + ")]").endswith(".")
            and _DATE_LINE.match(line) is not None and _CLAUSE_AFTER_COMMA.search(line) is None)


def _first_word_tokens(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, lowercased token) of every token of ``text`` that begins a trigger form, in text order."""
    low = text.lower()
    first_words = lex.first_words
    if len(low) != len(text) or lex.ascii_first_words is None:
        src = low if len(low) == len(text) else text
        return [(m.start(), m.end(), w) for m in _TOKEN.finditer(src) if (w := m.group().lower()) in first_words]
    # One byte per character: ASCII runs of token characters, split at every other character.
    pieces = low.encode("ascii", "replace").translate(_ASCII_TOKEN_BYTES).split(b" ")
    words = lex.ascii_first_words
    hits = list(compress(count(), map(words.__contains__, pieces)))
    if not hits:
        return []
    offsets = list(accumulate(map(len, pieces), initial=0))
    out: list[tuple[int, int, str]] = []
    for i in hits:
        start = offsets[i] + i
        end = start + len(pieces[i])
        if (start == 0 or not _TOKEN_CHAR.match(low, start - 1)) and not _TOKEN_CHAR.match(low, end):
            out.append((start, end, words[pieces[i]]))
    return out


def _find_triggers(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """(start, end, form) of every trigger form in ``text``, longest form first; a word inside a
    longer form ("conference" in "press conference") starts no trigger of its own."""
    out: list[tuple[int, int, str]] = []
    first_words = lex.first_words
    covered = 0
    for start, end, word in _first_word_tokens(text, lex):
        if start < covered:
            continue
        for form, tail in first_words[word]:
            if tail is None:
                out.append((start, end, form))
                break
            t = tail.match(text, end)
            if t:
                out.append((start, t.end(), form))
                covered = t.end()
                break
    return out


def _assign_dates(text: str, triggers: list[_Trigger], usable: list[TemporalMention], sent: Sentence,
                  quotes: Sequence[tuple[int, int]], in_quote: Callable[[int], bool]) -> None:
    """Give each trigger the date its clause ties it to; types compete for a date.

    A date linked by ", when"/", where" may also date a second type, and so may
    a date between two coordinated verbs ("visited X in May and signed ...").
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
                if d.end <= trig.start and (_WHEN_LINK.match(text[d.end:trig.start])
                                            or _COORDINATED.fullmatch(text[d.end:trig.start])):
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


def _date_perfect_lead(text: str, triggers: list[_Trigger]) -> None:
    """"X has announced ..." in the lead, with no date: dated by its own verb phrase, which
    reconciliation places on the publication day (see ``lead_perfect``)."""
    for t in triggers:
        if t.date is None and not t.in_speech and t.form in t.etype.verbs:
            m = _PERFECT_BEFORE.search(text, max(t.sentence.start, t.start - 30), t.start)
            if m:
                t.date = TemporalMention(text[m.start():t.end], m.start(), t.end, None, "unknown", "unresolved")
                t.score = 90.0


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


def _leaders_summit(text: str, triggers: list[_Trigger], lex: Lexicon) -> None:
    """"Leaders gather in X on <date>": a meeting verb of heads of state is a summit."""
    summit = lex.types.get("summit")
    if summit is None:
        return
    for t in triggers:
        if (t.form in t.etype.verbs and t.etype.name == "meeting" and t.etype.group != summit.group
                and _LEADERS_BEFORE.search(text, max(t.sentence.start, t.start - 40), t.start)
                and not _SIDELINES.match(text, t.end, t.sentence.end)):
            t.etype = summit


def _absorb_gatherings(text: str, triggers: list[_Trigger]) -> tuple[list[_Trigger], list[tuple[_Trigger, _Trigger]]]:
    """"Leaders meet in X for the summit", "X will host the annual exercise": the meeting verb
    is the named event itself."""
    absorbed: list[tuple[_Trigger, _Trigger]] = []
    keep: list[_Trigger] = []
    nouns = [t for t in triggers if t.form in t.etype.nouns]
    for t in triggers:
        owner = None
        if t.form in t.etype.verbs and t.etype.group == "meeting":
            owner = next((o for o in nouns if o.etype.group != t.etype.group and 0 < o.start - t.end < 90
                          and (_FOR_EVENT.fullmatch(text, t.end, o.start)
                               or (t.form in t.etype.host and _HOSTED_EVENT.fullmatch(text, t.end, o.start)))), None)
        if owner is None:
            keep.append(t)
        else:
            absorbed.append((t, owner))
    return keep, absorbed


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
    body_sentences = 0
    in_post = False
    previous: Sentence | None = None
    for sent in sorted(sentences, key=lambda s: s.start):
        before_sent, previous = previous, sent
        if _POST_STAMP.search(text, max(0, sent.start - 40), sent.start):
            body_sentences, in_post = 0, True
        lead = body_sentences < LEAD_SENTENCES and (
            _is_body_sentence(sent.text) or (in_post and sent.text.endswith((".", "!"))))
        body_sentences += lead
        found = [t for t in all_triggers[bisect_left(t_starts, sent.start):bisect_left(t_starts, sent.end)]
                 if t[1] <= sent.end]
        if not found or _is_date_line(sent.text):
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
        recalls = "nniversar" in sentence_lower or "enter" in sentence_lower or "mark" in sentence_lower
        under = "under " in sentence_lower
        for t_start, t_end, form in found:
            for tname in lex.forms.get(form, ()):
                trig = _Trigger(t_start, t_end, form, lex.types[tname], sent, in_quote(t_start))
                if (_rejected(text, trig, sentence_lower) or _hypothetical(text, trig, lex)
                        or _negated(text, trig) or _host_without_event(text, trig, lex)
                        or (recalls and _anniversary(text, trig))):
                    continue
                trig.name, trig.run = _name_of(text, trig, sent, aliases)
                if not _anaphoric(text, trig, seen_groups) and not (under and _under_instrument(text, trig)):
                    triggers.append(trig)
        sent_quotes = [q for q in quotes[max(0, bisect_left(q_starts, sent.start) - 1):bisect_left(q_starts, sent.end)]
                       if q[1] > sent.start]
        _assign_dates(text, triggers, usable, sent, sent_quotes, in_quote)
        if lead and not vaguely_dated:
            _date_perfect_lead(text, triggers)
        triggers = [t for t in triggers if not t.scheduled or _schedule_dated(text, t)]
        triggers, absorbed = _absorb_gatherings(text, triggers)
        _leaders_summit(text, triggers, lex)
        _set_windows(text, triggers + [a for a, _ in absorbed], sent)
        chosen = _collapse(triggers, vaguely_dated)
        for meet, owner in absorbed:
            if owner in chosen:
                owner.collapsed.append(meet)
        for trig in sorted(chosen, key=lambda t: t.start):
            referent = None
            if trig.etype.speech and before_sent is not None and _PRONOUN_SUBJECT.search(
                    text[max(sent.start, trig.start - 14):trig.start]):
                referent = _sole_person(actors_sorted, a_starts, before_sent)
            mention = _mention(text, trig, sent, sent_actors, in_quote, lex, date_spans, referent)
            if trig.date is None and not (trig.etype.requires or mention.location or trig.name
                                          or any(a.role == "participant" for a in mention.actors)):
                continue
            seen_groups.add(trig.etype.group)
            out.append(mention)
    return out


def _sole_person(actors_sorted: list[ActorMention], a_starts: list[int], sent: Sentence) -> ActorMention | None:
    """The one person a sentence names (several mentions of one name count once), else None."""
    people = [a for a in actors_sorted[bisect_left(a_starts, sent.start):bisect_left(a_starts, sent.end)]
              if a.actor_type == "person" and a.end <= sent.end]
    return people[-1] if people and len({a.name for a in people}) == 1 else None


def _mention(text: str, trig: _Trigger, sent: Sentence, sent_actors: list[ActorMention],
             in_quote: Callable[[int], bool], lex: Lexicon, date_spans: list[tuple[int, int]],
             referent: ActorMention | None = None) -> EventMention:
    location = None
    if not trig.etype.speech:
        for t in [trig, *trig.collapsed]:
            location = _location(text, t, sent, lex, date_spans)
            if location:
                break
    roles, fields = _actors_for(text, trig, sent_actors, in_quote, location, referent)
    passive = trig.etype.speech and trig.form in trig.etype.verbs and _PASSIVE_BY.match(text, trig.end) is not None
    for other in [] if passive else trig.collapsed:
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
    pm = None
    if _may_contain(sent.text, "ministers"):
        for t in (trig, *trig.collapsed):
            lo, hi = t.window if t.window != (0, 0) else (sent.start, sent.end)
            pm = lex.portfolio_re.search(text, max(sent.start, lo - 30), hi)
            if pm:
                break
    fields["trigger_noun"] = "meetings" if trig.form in ("meetings", "talks") else "meeting"
    if pm:
        fields["portfolio"] = pm.group(1).lower()
        fields["portfolio_cap"] = pm.group(1).capitalize()
    obj = None if passive else _object(text, trig, sent)
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


def lead_perfect(expression: str) -> bool:
    """Whether a mention is dated only by a lead's present perfect ("has announced"): the publication day."""
    return bool(_PERFECT_EXPRESSION.fullmatch(expression))


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
