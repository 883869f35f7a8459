"""Publication-date inference on the seeds and on constructed texts."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natotimeline.cleaning import clean_text
from natotimeline.publication import infer_publication_date
from natotimeline.records import CleanedText

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = tomllib.loads((ROOT / "tests" / "fixtures" / "publication_dates.toml").read_text(encoding="utf-8"))
CASES = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in EXPECTED["seeds"]]
CASES = list(zip(CASES, EXPECTED["seeds"].values(), strict=True)) + [(c["text"], c) for c in EXPECTED["cases"]]


@pytest.mark.parametrize(("text", "exp"), CASES, ids=[*EXPECTED["seeds"], *(c["text"][:30] for c in EXPECTED["cases"])])
def test_publication_date(text: str, exp: dict) -> None:
    got = infer_publication_date(text)
    assert (got.value.isoformat() if got.value else "", got.basis) == (exp["value"], exp["basis"])
    assert exp.get("evidence", "") in got.evidence
    if got.basis != "unknown":
        assert got.evidence


def test_cleaned_text_is_accepted() -> None:
    text = "Leaders met yesterday (5 June 2024).\nMore news: Summit set for 1 July 2030, 9 July 2031\n"
    cut = text.index("More news")
    cleaned = CleanedText(kept=((0, cut),), dropped=((cut, len(text), "headline list"),))
    assert infer_publication_date(text, cleaned).value == date(2024, 6, 6)


def test_a_cookie_banner_above_the_masthead_neither_ends_nor_fills_the_header() -> None:
    banner = ("We use cookies to give you the best experience on our website, to personalise content and ads "
              "and to analyse our traffic. By clicking Accept all you agree to the storing of cookies on your "
              "device. You can change your choice at any time under Cookie settings. ") * 2
    text = (f"Skip to content\nMenu\n\n{banner.strip()}\nAccept all\nReject all\n\nNORTHERN FLANK DAILY\n\n"
            "Portuguese F-16s scrambled twice in one day\n\n22 January 2025 · 08:14 CET\nBy Henrik Lund\n\n"
            "Two Portuguese Air Force F-16s were scrambled on Tuesday, 21 January, to identify a Russian aircraft.")
    assert infer_publication_date(text).value != date(2025, 1, 22)
    found = infer_publication_date(text, clean_text(text))
    assert (found.value, found.basis) == (date(2025, 1, 22), "stated")


def test_dated_list_lines_without_a_time_are_no_stated_header() -> None:
    text = ("Who joined NATO last\n\nFinland - 4 April 2023\nSweden - 7 March 2024\n\n"
            "The alliance has grown to 32 members since the war began, and more may follow.")
    assert infer_publication_date(text).basis != "stated"


def test_a_date_in_a_cited_source_is_not_the_publication_date() -> None:
    text = ("Who pays for NATO?\n\nTwenty-three of NATO's 32 allies met the 2% guideline in 2024.\n\n"
            "European allies and Canada spent an estimated USD 485 billion combined.\n\n"
            "[1] NATO Public Diplomacy Division, \"Defence Expenditure of NATO Countries\", press release, 17 June 2024.")
    assert infer_publication_date(text).value == date(2024, 6, 17)
    assert infer_publication_date(text, clean_text(text)).value is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes_and_never_guesses_today(text: str) -> None:
    got = infer_publication_date(text)
    assert got.basis in ("stated", "inferred", "unknown")
    assert (got.value is None) == (got.basis == "unknown")
    assert got.value != date.today() or str(date.today().year) in text


HEADER_FORMATS = [
    "Published: {d} {month} {y}",
    "{month} {d}, {y} {h12}:{mi} PM GMT+2 Updated 3 hours ago",
    "{month} {d}, {y} {h12}:{mi} am CET",
    "Issued on: {dd}/{mm}/{y} - {hh}:{mi}",
    "on {month} {dd}, {y} at {h12}:{mi} AM",
    "Posted on {d} {month} {y} by Ann Berg | 6 comments",
    "{wd} {d} {mon} {y} {hh}.{mi} GMT",
    "Updated {h12}:{mi} PM EDT, {month} {d}, {y}",
    "{y}-{mm}-{dd}T{hh}:{mi}:00Z",
    "{weekday}, {month} {d}, {y}",
    "By Jan Roe | {month} {d}, {y}",
    "Jan Roe | Wire Service | {d}.{m}.{y}",
    "{mon} {d}, {y} · 5 min read",
    "Published {hh}:{mi} BST {d} {month} {y}",
    "Posted by Ann Berg on {d} {month} {y} | 3 comments",
]


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31)),
    st.sampled_from(HEADER_FORMATS),
    st.integers(0, 23),
    st.integers(0, 59),
    st.booleans(),
)
def test_header_line_is_stated(day: date, fmt: str, hour: int, minute: int, standfirst: bool) -> None:
    if "{dd}/{mm}" in fmt and day.day <= 12:
        day = day.replace(day=13)
    header = fmt.format(
        d=day.day, m=day.month, dd=f"{day.day:02d}", mm=f"{day.month:02d}", y=day.year, month=day.strftime("%B"), mon=day.strftime("%b"),
        wd=day.strftime("%a"), weekday=day.strftime("%A"), hh=f"{hour:02d}", h12=hour % 12 or 12, mi=f"{minute:02d}",
    )
    lead = "Ministers back new fund ahead of summit\n\n" + ("The plan is widely believed to fall short.\n\nBy Jan Roe\n" if standfirst else "")
    body = "\n\nOfficials said on 3 March 1999 that the treaty was signed, and spending rose in 1998."
    got = infer_publication_date(lead + header + body)
    assert (got.value, got.basis) == (day, "stated"), (header, got.evidence)
