"""Table-driven and property tests for natotimeline.temporal."""

from __future__ import annotations

import csv
from collections import OrderedDict
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.temporal import VALUE_RE, mention_to_json, tag_dates

FIXTURE = Path(__file__).parent / "fixtures" / "temporal_cases.tsv"


def _load_cases() -> list[tuple[str, date | None, list[tuple]]]:
    groups: OrderedDict[tuple[str, str], list[tuple]] = OrderedDict()
    with FIXTURE.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["sentence"], row["anchor"])
        groups.setdefault(key, [])
        if row["text"]:
            value = None if row["value"] == "None" else row["value"]
            groups[key].append((row["text"], value, row["precision"], row["value_end"] or None, row["mod"] or None))
    return [(s, None if a == "-" else date.fromisoformat(a), exp) for (s, a), exp in groups.items()]


CASES = _load_cases()


def test_fixture_is_large_enough() -> None:
    assert sum(max(1, len(e)) for _, _, e in CASES) >= 60
    assert sum(1 for _, _, e in CASES if not e) >= 15


@pytest.mark.parametrize(("sentence", "anchor", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_case(sentence: str, anchor: date | None, expected: list[tuple]) -> None:
    got = [(m.text, m.value, m.precision, m.value_end, m.mod) for m in tag_dates(sentence, anchor)]
    assert got == expected


def test_json_keys() -> None:
    m = tag_dates("Leaders will meet June 24-25 in The Hague.", date(2025, 4, 24))[0]
    j = mention_to_json(m)
    assert {"text", "start", "end", "value", "precision", "value_end", "resolution"} <= set(j)
    assert j["value_end"] == "2025-06-25"
    assert j["date_start"] == "2025-06-24" and j["date_end"] == "2025-06-25"


def test_unresolved_without_anchor() -> None:
    m = tag_dates("The deal was signed yesterday.")[0]
    assert (m.value, m.precision, m.resolution) == (None, "unknown", "unresolved")


def test_resolution_labels() -> None:
    a = date(2025, 2, 12)
    got = {m.text: m.resolution for m in tag_dates("On 3 March 2025 and yesterday, as agreed in December.", a)}
    assert got == {"3 March 2025": "explicit", "yesterday": "relative", "December": "tense"}


def test_modifier_narrows_days() -> None:
    m = tag_dates("Production will peak in early 2026.")[0]
    assert m.date_start == date(2026, 1, 1) and m.date_end < date(2026, 6, 1)


def test_since_runs_to_anchor() -> None:
    m = tag_dates("Prices have risen since February.", date(2025, 4, 24))[0]
    assert (m.date_start, m.date_end) == (date(2025, 2, 1), date(2025, 4, 24))


def _check_mentions(text: str, anchor: date | None) -> None:
    ms = tag_dates(text, anchor)
    last_end = -1
    for m in ms:
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end
        last_end = m.end
        assert m.precision in ("day", "week", "month", "quarter", "half", "year", "unknown")
        if m.value is None:
            assert m.precision == "unknown" and m.resolution == "unresolved"
        else:
            assert VALUE_RE.match(m.value), m.value
            assert m.date_start is not None and m.date_end is not None and m.date_start <= m.date_end
        if m.value_end is not None:
            assert VALUE_RE.match(m.value_end)


WORDS = st.sampled_from(
    ["in", "on", "since", "by", "May", "March", "June", "Thursday", "2024", "2025", "-", "to", "and", "between",
     "last", "next", "year", "week", "ago", "a", "two", "early", "mid-", "Q2", "first", "half", "of", "13", "24th",
     "Feb.", "tomorrow", "(", ")", ",", "%", "$", "will", "said", "12/03/2025", "2025-02-31", "2024-25", "\n", "x",
     "the", "weekend", "12th", "spring", "winter", "FY25", "fiscal", "H2", "day", "after", "before", "from", "Sunday", "2"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2060, 12, 31))))
def test_arbitrary_text(text: str, anchor: date | None) -> None:
    _check_mentions(text, anchor)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=25).map(" ".join), st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2060, 12, 31))))
def test_date_like_text(text: str, anchor: date | None) -> None:
    _check_mentions(text, anchor)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _abbr(month: int) -> str:
    name = MONTHS[month - 1]
    return name if len(name) <= 4 else name[:3] + "."


FORMATS = [
    lambda d: d.isoformat(),
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{_ordinal(d.day)} {MONTHS[d.month - 1]}, {d.year}",
    lambda d: f"{_abbr(d.month)} {_ordinal(d.day)}, {d.year}",
    lambda d: f"the {_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}".removeprefix("the "),
    lambda d: f"{WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}" if d.day > 12 else d.isoformat(),
]


@settings(max_examples=400, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.sampled_from(range(len(FORMATS))), st.sampled_from(["The talks were held on {}.", "{}", "On {} allies met.", "Report ({})"]))
def test_rendered_date_round_trips(d: date, fmt: int, frame: str) -> None:
    rendered = FORMATS[fmt](d)
    text = frame.format(rendered)
    ms = tag_dates(text, d + timedelta(days=3))
    assert [(m.text, m.value, m.precision, m.resolution) for m in ms] == [(rendered, d.isoformat(), "day", "explicit")]


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2099), st.integers(1, 12), st.sampled_from(["in {m} {y}", "in {y}", "in Q{q} {y}"]))
def test_rendered_period_round_trips(y: int, month: int, fmt: str) -> None:
    q = (month - 1) // 3 + 1
    text = "Spending rose " + fmt.format(m=MONTHS[month - 1], y=y, q=q) + "."
    ms = tag_dates(text)
    expected = {"in {m} {y}": f"{y:04d}-{month:02d}", "in {y}": f"{y}", "in Q{q} {y}": f"{y}-Q{q}"}[fmt]
    assert [m.value for m in ms] == [expected]


@settings(max_examples=300, deadline=None)
@given(
    st.dates(date(1950, 1, 1), date(2080, 12, 31)),
    st.integers(-300, 300),
    st.sampled_from(["The ministers met on {}.", "Leaders will gather in Rome on {}.", "The summit, on {}, was moved."]),
)
def test_weekday_selects_year_of_day_month(d: date, shift: int, frame: str) -> None:
    rendered = f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"
    ms = tag_dates(frame.format(rendered), d + timedelta(days=shift))
    assert [(m.text, m.value) for m in ms] == [(rendered, d.isoformat())]
