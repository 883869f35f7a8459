"""What the job holds of reconciliation's decisions while it spools each source's rows."""

from __future__ import annotations

from datetime import date

import pytest

from natotimeline.keys import stable_key
from natotimeline.reconcile import Event, Reconciled
from natotimeline.records import DocumentExtract, EventMention, PublicationDate
from natotimeline.rows import EventKeys, Links


def event(key: str, *mentions: tuple[str, int]) -> Event:
    return Event(key, "meeting", "Talks", None, None, None, "unknown", None, (), mentions)


def test_event_keys_give_back_each_mentions_event_by_source_and_index() -> None:
    keys = EventKeys()
    a, b = stable_key("event", 1), stable_key("event", 2)
    keys.add("s1", 3, a)
    keys.add("s1", 0, b)
    keys.freeze()
    keys.add("s1", 5, a)
    keys.add("s2", 1, b)
    keys.freeze()
    assert dict(keys) == {"s1": {0: b, 3: a, 5: a}, "s2": {1: b}}
    assert keys.get("s3") is None and len(keys) == 2
    for bad in ("abc", "ab", a.upper(), a + "00"):
        with pytest.raises(ValueError, match="not an event key"):
            keys.add("s1", 1, bad)


def test_a_sources_links_key_hashes_its_mentions_events_as_pairs() -> None:
    """The links key stored with every source must not change with how the
    events are held, else the first run after an upgrade rebuilds every source."""
    a, b = stable_key("event", 1), stable_key("event", 2)
    reconciled = Reconciled((event(a, ("s1", 2), ("s2", 0)), event(b, ("s1", 0))), (), (), {})
    m = EventMention("meeting", "Talks", None, None, None, "unknown", "", "q", 0, 1, 0, 0)
    doc = DocumentExtract("s1", "s1", None, None, "", PublicationDate(date(2025, 1, 1), "stated"), (m, m, m), (), ())
    links = Links.of(reconciled)
    assert links.event_of["s1"] == {0: b, 2: a}
    assert links.key(doc) == stable_key("links", [(0, b), (2, a)], [], None, [])
