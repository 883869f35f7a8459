"""Turn extracts plus their reconciliation into table rows with stable keys (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from . import PARSER_VERSION
from .records import DocumentExtract, PublicationDate
from .keys import stable_key
from .reconcile import Reconciled
from .serialise import dumps

Rows = dict[str, list[dict]]

PARENT_TABLES = ("sources", "actors", "events", "figure_claims")
CHILD_TABLES = ("actor_aliases", "event_actors", "event_mentions", "figures")
CONTENT_TABLES = PARENT_TABLES + CHILD_TABLES


def source_id(uri: str) -> str:
    return stable_key("source", uri)


def actor_id(name: str) -> str:
    return stable_key("actor", name)


def _source_row(
    doc: DocumentExtract, published: PublicationDate, ingested_at: datetime, n_chars: int
) -> dict:
    return {
        "id": source_id(doc.uri),
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
        "extract_json": dumps(doc),
    }


def build_rows(
    docs: Mapping[str, DocumentExtract],
    reconciled: Reconciled,
    ingested_at: Mapping[str, datetime],
    n_chars: Mapping[str, int],
) -> Rows:
    """Every content row the database should hold for these documents."""
    rows: Rows = {table: [] for table in CONTENT_TABLES}
    for uri in sorted(docs):
        doc = docs[uri]
        published = reconciled.publication_overrides.get(uri, doc.published)
        rows["sources"].append(_source_row(doc, published, ingested_at[uri], n_chars[uri]))

    known_actors = set()
    for actor in reconciled.actors:
        aid = actor_id(actor.name)
        known_actors.add(actor.name)
        rows["actors"].append(
            {"id": aid, "name": actor.name, "actor_type": actor.actor_type, "role": actor.role}
        )
        for alias in sorted(set(actor.aliases)):
            rows["actor_aliases"].append(
                {"id": stable_key("alias", aid, alias), "actor_id": aid, "alias": alias}
            )

    event_of_mention: dict[tuple[str, int], str] = {}
    for event in reconciled.events:
        rows["events"].append(
            {
                "id": event.key,
                "event_type": event.event_type,
                "title": event.title,
                "date_value": event.date_value,
                "date_start": event.date_start,
                "date_end": event.date_end,
                "date_precision": event.precision,
                "location": event.location,
            }
        )
        seen_roles = set()
        for participant in event.actors:
            if participant.name not in known_actors or (participant.name, participant.role) in seen_roles:
                continue
            seen_roles.add((participant.name, participant.role))
            aid = actor_id(participant.name)
            rows["event_actors"].append(
                {
                    "id": stable_key("event_actor", event.key, aid, participant.role),
                    "event_id": event.key,
                    "actor_id": aid,
                    "role": participant.role,
                }
            )
        for uri, index in event.mentions:
            event_of_mention[(uri, index)] = event.key
            m = docs[uri].events[index]
            sid = source_id(uri)
            rows["event_mentions"].append(
                {
                    "id": stable_key("mention", sid, event.key, m.char_start, m.char_end, m.date_start_char, m.event_type),
                    "event_id": event.key,
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

    for claim in reconciled.claims:
        uris = {uri for uri, _ in claim.figures}
        rows["figure_claims"].append(
            {
                "id": claim.key,
                "metric": claim.metric,
                "subject": claim.subject,
                "period": claim.period,
                "unit": claim.unit,
                "currency": claim.currency,
                "n_sources": len(uris),
                "consistent": claim.consistent,
            }
        )
        for uri, index in claim.figures:
            f = docs[uri].figures[index]
            sid = source_id(uri)
            alt_value, alt_currency = f.alternates[0] if f.alternates else (None, None)
            event_key = event_of_mention.get((uri, f.event_index)) if f.event_index is not None else None
            rows["figures"].append(
                {
                    "id": stable_key("figure", sid, f.char_start, f.char_end, f.metric),
                    "source_id": sid,
                    "event_id": event_key,
                    "claim_id": claim.key,
                    "subject_actor_id": actor_id(f.subject) if f.subject in known_actors else None,
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
    return {table: _dedupe(items) for table, items in rows.items()}


def _dedupe(items: list[dict]) -> list[dict]:
    unique: dict[str, dict] = {}
    for row in items:
        unique.setdefault(row["id"], row)
    return list(unique.values())
