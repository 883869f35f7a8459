"""Plain data passed between the stages: extract -> reconcile -> load.

Every record is a frozen dataclass of scalars and tuples so that it can be
hashed, compared, serialised to JSON (see ``natotimeline.serialise``) and
handed between stages without touching the database.

All character offsets refer to the original text of the source, so that
``text[start:end]`` is always the span the record came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PRECISIONS = ("day", "week", "month", "quarter", "half", "year", "unknown")
QUALIFIERS = ("nearly", "over", "more than", "around", "at least", "up to")
ACTOR_TYPES = ("person", "organisation", "country", "group")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TemporalMention:
    """One date expression found in a text.

    ``value`` follows TIMEX3: ``2025-02-13``, ``2025-02``, ``2025-W16``,
    ``2025-Q2``, ``2025-H2``, ``2025``; None when it cannot be resolved
    (no anchor for a relative expression). ``date_start``/``date_end`` are
    the first and last calendar day the mention covers (inclusive), for a
    range from the first day of ``value`` to the last day of ``value_end``.
    ``resolution`` is ``explicit``, ``relative`` (to the anchor),
    ``tense`` (month/weekday placed by the verb's tense) or ``unresolved``.
    ``mod`` is a TIMEX3 modifier (START, MID, END, BEFORE, AFTER,
    ON_OR_AFTER, ON_OR_BEFORE) or None.
    """

    text: str
    start: int
    end: int
    value: str | None
    precision: str
    resolution: str
    value_end: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    mod: str | None = None


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """When a source was published and why we believe it.

    ``basis`` is ``stated`` (header or dateline), ``inferred`` (evidence in
    the text), ``corroborated`` (other sources date an event it dates
    relatively) or ``unknown``. ``evidence`` is a short human-readable
    reason, e.g. ``"'tomorrow (13 February 2025)'"``.
    """

    value: date | None
    basis: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CleanedText:
    """Which parts of a raw text are the article.

    ``kept`` are (start, end) ranges of article text; ``dropped`` are
    (start, end, reason) ranges that were set aside (headline lists,
    appeals, share lines, image hashes, footers, disclaimers).
    """

    kept: tuple[tuple[int, int], ...]
    dropped: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a text: ``name`` is the canonical name."""

    name: str
    actor_type: str
    alias: str
    start: int
    end: int
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    actor_type: str
    role: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventActor:
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class EventMention:
    """One source's report of one dated happening.

    ``char_start``/``char_end`` delimit ``quote`` (the sentence) in the
    source text; ``date_start_char``/``date_end_char`` delimit
    ``date_expression``.
    """

    event_type: str
    title: str
    date_value: str | None
    date_start: date | None
    date_end: date | None
    precision: str
    date_expression: str
    quote: str
    char_start: int
    char_end: int
    date_start_char: int
    date_end_char: int
    location: str | None = None
    actors: tuple[EventActor, ...] = ()


@dataclass(frozen=True, slots=True)
class FigureMention:
    """One figure as one source reports it.

    ``unit`` is ``money``, ``percent``, ``percent_of_gdp`` or ``count``;
    ``currency`` is an ISO 4217 code for money, else None. ``alternates``
    holds the same figure restated in other currencies as
    (value, currency) pairs, e.g. "$1.3 trillion (€1.1 trillion)".
    ``period`` is the period the figure refers to (TIMEX3 value) or None.
    ``char_start``/``char_end`` delimit the figure expression itself;
    ``sentence_start``/``sentence_end`` its sentence, which is ``quote``.
    ``event_index`` points into the document's events when the figure
    belongs to one.
    """

    metric: str
    value: float
    unit: str
    quote: str
    char_start: int
    char_end: int
    sentence_start: int
    sentence_end: int
    text: str = ""
    subject: str | None = None
    period: str | None = None
    currency: str | None = None
    qualifier: str | None = None
    alternates: tuple[tuple[float, str], ...] = ()
    event_index: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentExtract:
    """Everything extracted from one source, before reconciliation."""

    uri: str
    sha256: str
    title: str | None
    publisher: str | None
    publisher_evidence: str
    published: PublicationDate
    events: tuple[EventMention, ...] = ()
    figures: tuple[FigureMention, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    dropped: tuple[tuple[int, int, str], ...] = field(default=())
