"""The files reconciliation keeps its mentions and events in."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from natotimeline.mention_files import BATCH, GroupedMentions, RecordLog, StringFile
from natotimeline.records import EventActor, EventMention


def mention(event_type: str, title: str, day: date | None, quote: str = "The sentence.") -> EventMention:
    return EventMention(event_type, title, day and day.isoformat(), day, day, "day" if day else "unknown",
                        "Thursday", quote, 5, 18, 7, 15, "Oslo", (EventActor("Ana Lopez", "agent"),))


def test_grouped_mentions_read_back_one_group_in_the_order_added_without_offsets() -> None:
    files = GroupedMentions()
    day = date(2025, 2, 13)
    files.add(1, day, frozenset({"norway"}), [("meeting", 0, mention("meeting", "Talks", day)),
                                                 ("statement", 1, mention("statement", "Said", None))])
    files.add(0, None, frozenset(), [("meeting", 2, mention("meeting", "Talks", None, "It met Thursday."))])
    try:
        assert files.groups == ["meeting", "statement"]
        meeting = list(files.read("meeting"))
        assert [(number, pub, countries) for number, pub, countries, _ in meeting] == [
            (1, day, frozenset({"norway"})), (0, None, frozenset())]
        (_, dated), = meeting[0][3]
        (index, undated), = meeting[1][3]
        assert index == 2
        assert undated.quote == "It met Thursday." and dated.quote == ""
        assert (dated.char_start, dated.char_end, dated.date_start_char, dated.date_end_char) == (0, 0, 0, 0)
        assert (dated.title, dated.date_start, dated.location, dated.actors) == (
            "Talks", day, "Oslo", (EventActor("Ana Lopez", "agent"),))
        assert undated.title is dated.title and undated.actors is dated.actors
        statement = list(files.read("statement"))
        assert [(number, [i for i, _ in events]) for number, _, _, events in statement] == [(1, [1])]
        assert list(files.read("visit")) == []
        assert list(files.read("meeting")) == meeting
    finally:
        files.close()


def test_record_log_reads_back_every_record_in_order_as_often_as_asked(tmp_path: Path) -> None:
    log: RecordLog[tuple[int, str]] = RecordLog(tmp_path / "log")
    log.extend((i, str(i)) for i in range(BATCH + 3))
    log.extend([])
    log.extend([(-1, "last")])
    with pytest.raises(RuntimeError, match="read once it is closed"):
        next(iter(log))
    log.close()
    expected = [(i, str(i)) for i in range(BATCH + 3)] + [(-1, "last")]
    assert list(log) == expected
    assert list(log) == expected
    assert len(log) == BATCH + 4


@given(st.lists(st.text()))
def test_a_string_file_reads_back_each_string_by_position(items: list[str]) -> None:
    strings = StringFile(items)
    try:
        assert len(strings) == len(items)
        assert list(strings) == items
        assert [strings[-k] for k in range(1, len(items) + 1)] == items[::-1]
        assert strings[1:3] == items[1:3]
        with pytest.raises(IndexError):
            strings[len(items)]
        ordered = StringFile(sorted(items))
        try:
            assert all(ordered[bisect_left(ordered, item)] == item for item in items)
        finally:
            ordered.close()
    finally:
        strings.close()
