"""Turn extracts plus their reconciliation into table rows with stable keys (pure).

Rows come in two kinds, so that a run can stream them:

* reconciled rows (actors, aliases, events, event actors, figure claims),
  one set for the whole corpus, built from ``Reconciled`` alone;
* document rows (the source, its event mentions and figures), built one
  document at a time from its extract and a ``Links`` lookup that says which
  event and claim each of its mentions and figures joined.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from typing import TYPE_CHECKING

from . import PARSER_VERSION
from .figures import claim_key
from .keys import stable_key
from .records import DocumentExtract, FigureMention, PublicationDate
from .serialise import pack

if TYPE_CHECKING:
    from .reconcile import Reconciled

Rows = dict[str, list[dict]]


def source_id(uri: str) -> str:
    return stable_key("source", uri)


def actor_id(name: str) -> str:
    return stable_key("actor", name)


def claim_id(f: FigureMention, uri: str) -> str:
    """The key of the claim ``f`` (of source ``uri``) reports: figures with one ``figures.claim_key`` report one claim."""
    return claim_key_id(claim_key(f, uri))


def claim_key_id(key: tuple) -> str:
    """The key of the claim whose ``figures.claim_key`` is ``key``."""
    return stable_key("claim", *key)


class EventKeys(Mapping[str, Mapping[int, str]]):
    """The event each mention joined: per source URI, a mapping from the
    mention's index to the event's key. Held packed, one bytes object per
    source (per mention index a flag byte and the key's 10 bytes), as the
    job holds it for every source while it spools their rows."""

    _SLOT = 11

    def __init__(self) -> None:
        self._packed: dict[str, bytes | bytearray] = {}

    def add(self, uri: str, index: int, key: str) -> None:
        try:
            raw = bytes.fromhex(key)
        except ValueError:
            raw = b""
        if len(raw) != self._SLOT - 1 or raw.hex() != key:
            raise ValueError(f"not an event key: {key!r}")
        slots = self._packed.get(uri)
        if slots is None or isinstance(slots, bytes):
            slots = self._packed[uri] = bytearray(slots or b"")
        end = (index + 1) * self._SLOT
        if len(slots) < end:
            slots.extend(bytes(end - len(slots)))
        slots[end - self._SLOT:end] = b"\x01" + raw

    def freeze(self) -> None:
        """Let go of the room each source's packed keys grew into."""
        for uri, slots in self._packed.items():
            self._packed[uri] = bytes(slots)

    def __getitem__(self, uri: str) -> dict[int, str]:
        slots = self._packed[uri]
        return {i // self._SLOT: slots[i + 1:i + self._SLOT].hex()
                for i in range(0, len(slots), self._SLOT) if slots[i]}

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@dataclass(frozen=True)
class Links:
    """What reconciliation decided, looked up per document: the event each
    mention joined, the actors that have rows and corroborated publication
    dates. (The claim a figure joined follows from the figure: ``claim_id``.)"""

    event_of: Mapping[str, Mapping[int, str]]
    actors: frozenset[str]
    published: Mapping[str, PublicationDate]

    @classmethod
    def of(cls, reconciled: Reconciled) -> Links:
        event_of = EventKeys()
        for event in reconciled.events:
            for uri, index in event.mentions:
                event_of.add(uri, index, event.key)
        event_of.freeze()
        return cls(event_of, frozenset(a.name for a in reconciled.actors), dict(reconciled.publication_overrides))

    def key(self, doc: DocumentExtract) -> str:
        """A hash of everything here that ``document_rows`` reads for ``doc``:
        equal keys mean equal rows for an unchanged extract."""
        published = self.published.get(doc.uri)
        subjects = sorted({f.subject for f in doc.figures if f.subject in self.actors})
        return stable_key("links", sorted(self.event_of.get(doc.uri, {}).items()),
                          [(i, claim_id(f, doc.uri)) for i, f in enumerate(doc.figures)],
                          published and (published.value, published.basis, published.evidence), subjects)


def reconciled_rows(reconciled: Reconciled) -> dict[str, Iterator[dict]]:
    """The corpus-wide rows: actors, aliases, events, event actors, figure
    claims, each table's made as it is read (by ``spool.RowSpool.add``), so
    that a large corpus's rows are never all in memory, not even their keys.
    Each key comes once by construction: one actor per name, each alias once
    per actor, event keys made unique within a type group and holding it
    (``reconcile._keyed_events``), each participant once per role in an event,
    one claim per claim key. (A set of the keys seen, to drop repeats, held
    18 MiB for the 187,552 event actors of 64,000 generated documents.)"""
    return {
        "actors": _actor_rows(reconciled),
        "actor_aliases": _alias_rows(reconciled),
        "events": _event_rows(reconciled),
        "event_actors": _event_actor_rows(reconciled),
        "figure_claims": _claim_rows(reconciled),
    }


def _actor_rows(reconciled: Reconciled) -> Iterator[dict]:
    for actor in reconciled.actors:
        yield {"id": actor_id(actor.name), "name": actor.name, "actor_type": actor.actor_type, "role": actor.role}


def _alias_rows(reconciled: Reconciled) -> Iterator[dict]:
    for actor in reconciled.actors:
        aid = actor_id(actor.name)
        for alias in sorted(set(actor.aliases)):
            yield {"id": stable_key("alias", aid, alias), "actor_id": aid, "alias": alias}


def _event_rows(reconciled: Reconciled) -> Iterator[dict]:
    for event in reconciled.events:
        yield {
            "id": event.key,
            "event_type": event.event_type,
            "title": event.title,
            "date_value": event.date_value,
            "date_start": event.date_start,
            "date_end": event.date_end,
            "date_precision": event.precision,
            "location": event.location,
        }


def _event_actor_rows(reconciled: Reconciled) -> Iterator[dict]:
    """An event's participants that have actor rows, once per role."""
    known_actors = {actor.name for actor in reconciled.actors}
    for event in reconciled.events:
        seen_roles = set()
        for participant in event.actors:
            if participant.name not in known_actors or (participant.name, participant.role) in seen_roles:
                continue
            seen_roles.add((participant.name, participant.role))
            aid = actor_id(participant.name)
            yield {
                "id": stable_key("event_actor", event.key, aid, participant.role),
                "event_id": event.key,
                "actor_id": aid,
                "role": participant.role,
            }


def _claim_rows(reconciled: Reconciled) -> Iterator[dict]:
    for claim in reconciled.claims:
        yield {
            "id": claim.key,
            "metric": claim.metric,
            "subject": claim.subject,
            "period": claim.period,
            "unit": claim.unit,
            "currency": claim.currency,
            "n_sources": claim.n_sources,
            "consistent": claim.consistent,
        }


def document_rows(
    doc: DocumentExtract,
    links: Links,
    ingested_at: datetime,
    n_chars: int,
    packed: bytes | None = None,
    links_key: str | None = None,
) -> Rows:
    """One document's rows: its source, its event mentions and its figures.

    ``packed`` is ``serialise.pack(doc)`` and ``links_key`` is
    ``links.key(doc)`` when the caller has them already."""
    sid = source_id(doc.uri)
    published = links.published.get(doc.uri, doc.published)
    source = {
        "id": sid,
        "uri": doc.uri,
        "sha256": doc.sha256,
        "title": doc.title,
        "publisher": doc.publisher,
        "publisher_evidence": doc.publisher_evidence or None,
        "published_on": published.value,
        "published_on_basis": published.basis,
        "published_on_evidence": published.evidence or None,
        "ingested_at": ingested_at,
        "parser_version": PARSER_VERSION,
        "n_chars": n_chars,
        "extract": packed if packed is not None else pack(doc),
        "links_key": links_key or links.key(doc),
    }
    events = links.event_of.get(doc.uri, {})
    mentions = []
    for index, m in enumerate(doc.events):
        event_key = events.get(index)
        if event_key is None:
            continue
        mentions.append(
            {
                "id": stable_key("mention", sid, event_key, m.char_start, m.char_end, m.date_start_char, m.event_type),
                "event_id": event_key,
                "source_id": sid,
                "event_type": m.event_type,
                "sentence": m.quote,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "date_expression": m.date_expression,
                "date_char_start": m.date_start_char,
                "date_char_end": m.date_end_char,
                "date_value": m.date_value,
                "date_precision": m.precision,
            }
        )
    figures = []
    for f in doc.figures:
        alt_value, alt_currency = f.alternates[0] if f.alternates else (None, None)
        figures.append(
            {
                "id": stable_key("figure", sid, f.char_start, f.char_end, f.metric),
                "source_id": sid,
                "event_id": events.get(f.event_index) if f.event_index is not None else None,
                "claim_id": claim_id(f, doc.uri),
                "subject_actor_id": actor_id(f.subject) if f.subject in links.actors else None,
                "metric": f.metric,
                "subject": f.subject,
                "period": f.period,
                "value": float(f.value),
                "unit": f.unit,
                "currency": f.currency,
                "alt_value": alt_value,
                "alt_currency": alt_currency,
                "qualifier": f.qualifier,
                "expression": f.text,
                "quote": f.quote,
                "char_start": f.char_start,
                "char_end": f.char_end,
                "sentence_start": f.sentence_start,
                "sentence_end": f.sentence_end,
            }
        )
    return {"sources": [source], "event_mentions": _dedupe(mentions), "figures": _dedupe(figures)}


def _unique(items: Iterable[dict]) -> Iterator[dict]:
    """``items`` without the rows whose key came before (the first one kept)."""
    seen: set[str] = set()
    for row in items:
        if row["id"] not in seen:
            seen.add(row["id"])
            yield row


def _dedupe(items: list[dict]) -> list[dict]:
    return list(_unique(items))
