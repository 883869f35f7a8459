"""Cross-source reconciliation on hand-made extracts (no other module's state)."""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from pathlib import Path
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from natotimeline.actors import ActorCatalog
from natotimeline.reconcile import reconcile
from natotimeline.records import (
    ActorMention,
    DocumentExtract,
    EventActor,
    EventMention,
    FigureMention,
    PublicationDate,
)

CATALOG = ActorCatalog([])


def mention(event_type: str, value: str | None, precision: str, title: str, *, actors: tuple = (),
            location: str | None = None, expression: str = "", quote: str = "Some sentence.") -> EventMention:
    first = last = None
    if value:
        parts = [int(p) for p in value.split("-")]
        if precision == "day":
            first = last = date(*parts)
        elif precision == "month":
            first = date(parts[0], parts[1], 1)
            last = date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        else:
            first, last = date(parts[0], 1, 1), date(parts[0], 12, 31)
    expression = expression or (value or "")
    return EventMention(event_type, title, value, first, last, precision if value else "unknown", expression,
                        quote, 0, len(quote), 0, len(expression), location,
                        tuple(EventActor(n, r) for n, r in actors))


def doc(uri: str, events: tuple = (), published: date | None = date(2026, 3, 12), figures: tuple = (),
        actors: tuple = ()) -> DocumentExtract:
    pub = PublicationDate(published, "stated" if published else "unknown")
    return DocumentExtract(uri, uri, None, None, "", pub, tuple(events), tuple(figures), tuple(actors))


def figure(value: float, qualifier: str | None = None, metric: str = "defence_spending") -> FigureMention:
    return FigureMention(metric, value, "money", "q", 0, 1, 0, 1, "x", "Europe", "2025", "USD", qualifier)


LOPEZ = (("Ana Lopez", "agent"), ("Karl Berg", "participant"))
CORPUS = [
    doc("a", [mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ, location="Madrid"),
              mention("statement", "2026-03-09", "day", "Statement by Lopez", actors=(("Ana Lopez", "speaker"),))],
        figures=[figure(486e9)], actors=[ActorMention("Ana Lopez", "person", "Ana Lopez", 0, 9, "Foreign Minister")]),
    doc("b", [mention("meeting", "2026-03", "month", "Meeting in Madrid", actors=(("Ana Lopez", "agent"),),
                      location="Madrid"),
              mention("statement", "2026-03-09", "day", "Statement by Berg", actors=(("Karl Berg", "speaker"),))],
        figures=[figure(485e9)], actors=[ActorMention("Ana Lopez", "person", "Lopez", 0, 5)]),
    doc("c", [mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ, location="Paris"),
              mention("summit", "2026-06", "month", "Atlantic Summit in Lisbon", location="Lisbon")],
        figures=[figure(1.0e9, metric="aid")]),
]


def test_same_happening_merges_day_into_month() -> None:
    r = reconcile(CORPUS, CATALOG)
    madrid = [e for e in r.events if e.location == "Madrid"]
    assert len(madrid) == 1
    e = madrid[0]
    assert e.mentions == (("a", 0), ("b", 0))
    assert (e.date_value, e.precision, e.title) == ("2026-03-10", "day", "Lopez meets Berg")
    assert EventActor("Ana Lopez", "agent") in e.actors


def test_conflicting_place_and_speaker_keep_events_apart() -> None:
    r = reconcile(CORPUS, CATALOG)
    paris = [e for e in r.events if e.location == "Paris"]
    assert len(paris) == 1 and paris[0].mentions == (("c", 0),)
    statements = [e for e in r.events if e.event_type == "statement"]
    assert len(statements) == 2


def test_a_summit_is_one_event_whoever_leads_it_in_each_sentence() -> None:
    summit = [doc("a", [mention("summit", "2026-06-24", "day", "Summit in The Hague", location="The Hague",
                                actors=(("Ana Lopez", "agent"),))]),
              doc("b", [mention("summit", "2026-06-24", "day", "NATO summit in The Hague", location="The Hague",
                                actors=(("NATO", "agent"),))])]
    assert [e.mentions for e in reconcile(summit, CATALOG).events] == [(("a", 0), ("b", 0))]
    named = [doc(uri, [mention("summit", "2022-03-24", "day", f"{org} summit in Brussels", location="Brussels",
                               actors=((org, "agent"),))]) for uri, org in (("a", "NATO"), ("b", "G7"))]
    assert len(reconcile(named, CATALOG).events) == 2
    meetings = [doc("a", [mention("meeting", "2026-06-24", "day", "Meeting in The Hague", location="The Hague",
                                  actors=(("Ana Lopez", "agent"),))]),
                doc("b", [mention("meeting", "2026-06-24", "day", "Meeting in The Hague", location="The Hague",
                                  actors=(("Karl Berg", "agent"),))])]
    assert len(reconcile(meetings, CATALOG).events) == 2


def test_one_source_never_twice_in_an_event() -> None:
    twice = doc("a", [mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ),
                      mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ)])
    r = reconcile([twice], CATALOG)
    assert len(r.events) == 2


def test_the_strongest_link_merges_first() -> None:
    strong = mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ, location="Madrid")
    weak = mention("meeting", "2026-03", "month", "Meeting", actors=(("Ana Lopez", "participant"),))
    same = mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ, location="Madrid")
    r = reconcile([doc("a", [weak, strong]), doc("b", [same])], CATALOG)
    assert sorted(e.mentions for e in r.events) == [(("a", 0),), (("a", 1), ("b", 0))]


def test_equally_strong_links_go_to_the_earlier_report() -> None:
    month = mention("meeting", "2026-03", "month", "Lopez meets Berg", actors=LOPEZ)
    tenth = mention("meeting", "2026-03-10", "day", "Lopez meets Berg", actors=LOPEZ)
    eleventh = mention("meeting", "2026-03-11", "day", "Lopez meets Berg", actors=LOPEZ)
    for later, earlier in ((tenth, eleventh), (eleventh, tenth)):
        r = reconcile([doc("a", [month]), doc("b", [earlier, later])], CATALOG)
        assert sorted(e.mentions for e in r.events) == [(("a", 0), ("b", 0)), (("b", 1),)]


def test_keys_stable_unique_and_independent_of_other_sources() -> None:
    r1 = reconcile(CORPUS, CATALOG)
    keys = {e.title + (e.location or ""): e.key for e in r1.events}
    assert len(set(keys.values())) == len(r1.events)
    more = CORPUS + [doc("d", [mention("attack", "2026-01-02", "day", "Strike on Port Tallis")])]
    r2 = reconcile(more, CATALOG)
    assert {e.title + (e.location or ""): e.key for e in r2.events if e.event_type != "attack"} == keys
    joined = CORPUS + [doc("e", [mention("summit", "2026-06", "month", "Atlantic Summit in Lisbon",
                                         location="Lisbon")])]
    r3 = reconcile(joined, CATALOG)
    summit = [e for e in r3.events if e.event_type == "summit"][0]
    assert len(summit.mentions) == 2 and summit.key == keys["Atlantic Summit in LisbonLisbon"]


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_order_of_sources_does_not_matter(rnd: random.Random) -> None:
    expected = reconcile(CORPUS, CATALOG)
    shuffled = [DocumentExtract(d.uri, d.sha256, d.title, d.publisher, d.publisher_evidence, d.published,
                                tuple(d.events), tuple(d.figures), tuple(d.actors)) for d in CORPUS]
    rnd.shuffle(shuffled)
    assert reconcile(shuffled, CATALOG) == expected


def test_corroborated_publication_date_redates_relative_mentions() -> None:
    dated = doc("a", [mention("report_release", "2026-03-10", "day", "Annual Review 2025 released",
                              actors=(("Agency", "agent"),))])
    undated = doc("z", [mention("report_release", None, "unknown", "Report released", expression="Tuesday",
                                actors=(("Agency", "agent"),), quote="The agency released its review Tuesday."),
                        mention("visit", None, "unknown", "Visit to Oslo", expression="today", location="Oslo",
                                quote="The director is visiting Oslo today.")],
                  published=None)
    r = reconcile([dated, undated], CATALOG)
    assert r.publication_overrides["z"].value == date(2026, 3, 10)
    assert r.publication_overrides["z"].basis == "corroborated"
    assert "Tuesday" in r.publication_overrides["z"].evidence
    report = [e for e in r.events if e.event_type == "report_release"][0]
    assert report.mentions == (("a", 0), ("z", 0)) and report.date_value == "2026-03-10"
    visit = [e for e in r.events if e.event_type == "visit"][0]
    assert (visit.date_value, visit.precision) == ("2026-03-10", "day")


def test_no_corroboration_without_matching_weekday() -> None:
    dated = doc("a", [mention("report_release", "2026-03-11", "day", "Annual Review released",
                              actors=(("Agency", "agent"),))])
    undated = doc("z", [mention("report_release", None, "unknown", "Report released", expression="Tuesday",
                                actors=(("Agency", "agent"),))], published=None)
    r = reconcile([dated, undated], CATALOG)
    assert r.publication_overrides == {}
    assert any(e.mentions == (("z", 0),) and e.date_value is None for e in r.events)


def test_undated_mention_joins_recent_event_only() -> None:
    dated = doc("a", [mention("report_release", "2026-03-10", "day", "Annual Review released",
                              actors=(("Agency", "agent"),))])
    recent = doc("r", [mention("report_release", None, "unknown", "Report released", actors=(("Agency", "agent"),))],
                 published=date(2026, 3, 12))
    late = doc("s", [mention("report_release", None, "unknown", "Report released", actors=(("Agency", "agent"),))],
               published=date(2026, 5, 1))
    r = reconcile([dated, recent, late], CATALOG)
    assert [e.mentions for e in r.events] == [(("a", 0), ("r", 0))]


def test_actors_collect_aliases_type_and_role() -> None:
    r = reconcile(CORPUS, CATALOG)
    lopez = [a for a in r.actors if a.name == "Ana Lopez"][0]
    assert lopez.aliases == ("Ana Lopez", "Lopez")
    assert (lopez.actor_type, lopez.role) == ("person", "Foreign Minister")


def test_claims_group_and_flag_conflicts() -> None:
    r = reconcile(CORPUS, CATALOG)
    spending = [c for c in r.claims if c.metric == "defence_spending"]
    assert len(spending) == 1 and spending[0].n_sources == 2
    assert spending[0].consistent is False
    single = [c for c in r.claims if c.metric == "aid"]
    assert len(single) == 1 and single[0].consistent is True
    agree = reconcile([doc("a", figures=[figure(20.0, "nearly")]), doc("b", figures=[figure(19.4)])], CATALOG)
    assert len(agree.claims) == 1 and agree.claims[0].consistent is True


def test_a_claim_counts_each_source_once() -> None:
    r = reconcile([doc("b", figures=[figure(1.3e12), figure(1.3e12, "nearly")]), doc("a", figures=[figure(1.3e12)])],
                  CATALOG)
    assert [(c.n_sources, c.consistent) for c in r.claims] == [(2, True)]
    with pytest.raises(ValueError, match="b was added twice"):
        reconcile([doc("b", figures=[figure(1.3e12)]), doc("b", figures=[figure(1.3e12)])], CATALOG)


def test_a_reconciler_gives_its_result_once() -> None:
    """Merging lets go of the documents' mentions, so a second result would be empty, not equal."""
    from natotimeline.reconcile import Reconciler

    reconciler = Reconciler(CATALOG)
    for d in CORPUS:
        reconciler.add(d)
    assert reconciler.result().events
    with pytest.raises(RuntimeError, match="once"):
        reconciler.result()
    with pytest.raises(RuntimeError, match="no documents"):
        reconciler.add(doc("z"))


def test_undated_mention_needs_specific_shared_evidence() -> None:
    dated = doc("a", [mention("report_release", "2026-03-11", "day", "Report released",
                              actors=(("Ruritania", "mentioned"), ("Alliance", "mentioned")))])
    unrelated = doc("u", [mention("report_release", None, "unknown", "Report released",
                                  actors=(("Jan Kowal", "agent"), ("Alliance", "mentioned")))])
    related = doc("v", [mention("report_release", None, "unknown", "Report released",
                                actors=(("Ruritania", "agent"),))])
    r = reconcile([dated, unrelated], CATALOG)
    assert [e.mentions for e in r.events] == [(("a", 0),)]
    r = reconcile([dated, related], CATALOG)
    assert [e.mentions for e in r.events] == [(("a", 0), ("v", 0))]


def test_differently_dated_mentions_sharing_only_a_country_stay_apart() -> None:
    day = doc("a", [mention("meeting", "2026-02-20", "day", "Lopez meets Berg",
                            actors=(("Ana Lopez", "agent"), ("Ruritania", "participant")))],
              actors=[ActorMention("Ruritania", "country", "Ruritania", 0, 9)])
    month = doc("b", [mention("meeting", "2026-02", "month", "Contact Group meeting",
                              actors=(("Ruritania", "agent"),))],
                actors=[ActorMention("Ruritania", "country", "Ruritania", 0, 9)])
    r = reconcile([day, month], CATALOG)
    assert sorted(e.mentions for e in r.events) == [(("a", 0),), (("b", 0),)]
    same = doc("c", [mention("meeting", "2026-02-20", "day", "Meeting", actors=(("Ruritania", "agent"),))],
               actors=[ActorMention("Ruritania", "country", "Ruritania", 0, 9)])
    r = reconcile([day, same], CATALOG)
    assert [e.mentions for e in r.events] == [(("a", 0), ("c", 0))]


def test_lead_present_perfect_is_dated_on_the_publication_day() -> None:
    lead = mention("announcement", None, "unknown", "Lopez announces new jets", expression="has announced",
                   actors=(("Ana Lopez", "speaker"),))
    r = reconcile([doc("a", [lead], published=date(2026, 3, 12))], CATALOG)
    assert [(e.date_value, e.precision) for e in r.events] == [("2026-03-12", "day")]
    r = reconcile([doc("b", [lead], published=None)], CATALOG)
    assert [(e.date_value, e.precision) for e in r.events] == [(None, "unknown")]


def test_reconciler_fed_one_document_at_a_time_in_any_order_gives_one_result(seeds_dir: Path) -> None:
    from natotimeline.extract import extract_document
    from natotimeline.reconcile import Reconciler

    unseen = Path(__file__).resolve().parent / "fixtures" / "unseen"
    paths = sorted(seeds_dir.glob("*.txt")) + sorted(unseen.glob("*.txt"))
    docs = [extract_document(p.as_uri(), p.read_text(encoding="utf-8")) for p in paths]
    assert sum(len(d.events) + len(d.figures) for d in docs) > 100
    expected = reconcile(docs)
    assert any(c.n_sources > 1 for c in expected.claims) and any(len(e.mentions) > 1 for e in expected.events)
    for seed in range(3):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        reconciler = Reconciler()
        for d in shuffled:
            reconciler.add(d)
        assert reconciler.result() == expected


@contextmanager
def _set(module: ModuleType, name: str, value: object) -> Iterator[None]:
    """``module.name`` set to ``value`` for a block (hypothesis tests cannot take ``monkeypatch``)."""
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


_TYPES = ("meeting", "summit", "statement", "report_release")
_PEOPLE = ("Ana Lopez", "Karl Berg", "Mia Holm")


@st.composite
def _dated_mention(draw: st.DrawFn) -> EventMention:
    precision = draw(st.sampled_from(("day", "month", "year")))
    year = draw(st.integers(2023, 2025))
    month = draw(st.integers(1, 12))
    value = {"day": f"{year}-{month:02d}-{draw(st.integers(1, 28)):02d}",
             "month": f"{year}-{month:02d}", "year": str(year)}[precision]
    cast = draw(st.lists(st.sampled_from(_PEOPLE), max_size=2, unique=True))
    return mention(draw(st.sampled_from(_TYPES)), value, precision, draw(st.sampled_from(("Talks", "Review", "Pledge"))),
                   actors=tuple((n, "participant") for n in cast),
                   location=draw(st.sampled_from((None, "Madrid", "Oslo"))))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_dated_mention(), min_size=1, max_size=4), min_size=2, max_size=12))
def test_merging_window_by_window_equals_merging_all_at_once(sources: list[list[EventMention]]) -> None:
    import natotimeline.reconcile as rec

    docs = [doc(f"s{i}", events) for i, events in enumerate(sources)]
    by_window = rec.reconcile_events(docs)

    def whole_groups(self: rec._Clusters):
        by_group: dict[str, list[int]] = {}
        for p, rep in enumerate(self.reps):
            by_group.setdefault(rep.group, []).append(p)
        for pids in by_group.values():
            yield sorted(pids, key=lambda p: (self.reps[p].date_start or date.min, self.reps[p].ref))

    windows = rec._Clusters._windows
    rec._Clusters._windows = whole_groups
    try:
        at_once = rec.reconcile_events(docs)
    finally:
        rec._Clusters._windows = windows
    assert by_window == at_once


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_dated_mention(), min_size=1, max_size=4), min_size=2, max_size=12))
def test_a_compatibility_cache_of_one_pair_merges_as_the_full_one(sources: list[list[EventMention]]) -> None:
    import natotimeline.reconcile as rec

    docs = [doc(f"s{i}", events) for i, events in enumerate(sources)]
    full = rec.reconcile_events(docs)
    with _set(rec, "COMPAT_CACHE", 1):
        assert rec.reconcile_events(docs) == full


@settings(max_examples=60, deadline=None)
@given(st.lists(_dated_mention(), min_size=1, max_size=30))
def test_windows_partition_profiles_and_no_dates_overlap_across_them(events: list[EventMention]) -> None:
    from natotimeline.reconcile import _Clusters, _make

    clusters = _Clusters([_make(i, 0, m, frozenset()) for i, m in enumerate(events)])
    windows = list(clusters._windows())
    assert sorted(p for w in windows for p in w) == list(range(len(clusters.reps)))
    for i, first in enumerate(windows):
        for second in windows[i + 1:]:
            for p in first:
                for q in second:
                    a, b = clusters.reps[p], clusters.reps[q]
                    assert a.group != b.group or a.date_end < b.date_start or b.date_end < a.date_start



@st.composite
def _crowded_mention(draw: st.DrawFn) -> EventMention:
    """A meeting in early 2024: many mentions link, in orders unlike their sources' order."""
    precision = draw(st.sampled_from(("day", "month", "year")))
    month, day = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    value = {"day": f"2024-{month:02d}-{day:02d}", "month": f"2024-{month:02d}", "year": "2024"}[precision]
    cast = draw(st.lists(st.sampled_from(_PEOPLE[:2]), max_size=2, unique=True))
    return mention("meeting", value, precision, draw(st.sampled_from(("Talks", "Review"))),
                   actors=tuple((n, "participant") for n in cast), location=draw(st.sampled_from((None, "Oslo"))))


_ANA = (("Ana Lopez", "participant"),)


@settings(max_examples=150, deadline=None)
@given(st.lists(_crowded_mention(), min_size=1, max_size=10), st.lists(st.integers(0, 9), min_size=1, max_size=30))
@example([mention("meeting", "2024", "year", "Talks", actors=_ANA), mention("meeting", "2024-02", "month", "Talks", actors=_ANA),
          mention("meeting", "2024-01", "month", "Talks", actors=_ANA)], [0, 1, 2])
def test_pairs_come_strongest_first_then_in_ref_order(pool: list[EventMention], picks: list[int]) -> None:
    from natotimeline.reconcile import _Clusters, _make

    clusters = _Clusters([_make(i, 0, pool[k % len(pool)], frozenset()) for i, k in enumerate(picks)])
    for window in clusters._windows():
        assert list(clusters._pairs(window)) == _every_linked_pair(clusters, window)


def _every_linked_pair(clusters, window: list[int]) -> list[tuple[int, int]]:
    """What ``_Clusters._pairs`` should give: every pair of the window scored, strongest first, ties in ``ref`` order."""
    from natotimeline.reconcile import _link

    expected = []
    for i, p in enumerate(window):
        shared = len(clusters.prof_members(p)) > 1
        for q in window[i:] if shared else window[i + 1:]:
            score = _link(clusters.reps[p], clusters.reps[q])
            if score is not None:
                expected.append((-score, p, q))
    return [(p, q) for _, p, q in sorted(expected)]


_WORDS = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")


@st.composite
def _worded_mention(draw: st.DrawFn) -> EventMention:
    """A summit in early 2024 that few actors attend: its title words and place are most of what links it."""
    precision = draw(st.sampled_from(("day", "month", "year")))
    month, day = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    value = {"day": f"2024-{month:02d}-{day:02d}", "month": f"2024-{month:02d}", "year": "2024"}[precision]
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5, unique=True))
    cast = draw(st.lists(st.sampled_from(_PEOPLE), max_size=1))
    return mention("summit", value, precision, " ".join(words), actors=tuple((n, "participant") for n in cast),
                   location=draw(st.sampled_from((None, "Oslo", "Oslo Harbour", "Harbour", "Bergen"))))


@settings(max_examples=200, deadline=None)
@given(st.lists(_worded_mention(), min_size=2, max_size=30))
@example([mention("summit", "2024", "year", "Alpha Bravo Charlie"), mention("summit", "2024", "year", "Alpha Bravo Delta"),
          mention("summit", "2024", "year", "Alpha Echo"), mention("summit", "2024", "year", "Alpha Bravo")])
def test_pairs_found_through_shared_names_words_and_places_are_every_linked_pair(events: list[EventMention]) -> None:
    """Only profiles sharing a name, a rare title word or a place are scored (``_Shared``); no link is missed."""
    import natotimeline.reconcile as rec

    clusters = rec._Clusters([rec._make(i, 0, m, frozenset()) for i, m in enumerate(events)])
    for window in clusters._windows():
        with _set(rec, "SHARED_FROM", 2):
            assert list(clusters._pairs(window)) == _every_linked_pair(clusters, window)


@settings(max_examples=150, deadline=None)
@given(st.lists(_crowded_mention(), min_size=1, max_size=10), st.lists(st.integers(0, 9), min_size=1, max_size=30),
       st.integers(1, 12))
def test_pairs_kept_on_disk_come_as_those_kept_in_memory(pool: list[EventMention], picks: list[int],
                                                         spill_at: int) -> None:
    """A window's pair runs go to a file per score once they hold ``SPILL_PAIRS`` numbers; read back, they
    give the same pairs in the same order."""
    import natotimeline.reconcile as rec

    clusters = rec._Clusters([rec._make(i, 0, pool[k % len(pool)], frozenset()) for i, k in enumerate(picks)])
    for window in clusters._windows():
        with _set(rec, "SPILL_PAIRS", spill_at):
            assert list(clusters._pairs(window)) == _every_linked_pair(clusters, window)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_dated_mention(), min_size=1, max_size=4), min_size=2, max_size=12))
def test_profiles_found_by_hash_are_kept_apart_when_their_hashes_collide(
        sources: list[list[EventMention]]) -> None:
    import natotimeline.reconcile as rec

    docs = [doc(f"s{i}", events) for i, events in enumerate(sources)]
    expected = rec.reconcile_events(docs)
    rec.hash = lambda _: 0
    try:
        assert rec.reconcile_events(docs) == expected
    finally:
        del rec.hash


@settings(max_examples=60, deadline=None)
@given(st.lists(_dated_mention(), min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_clusters_merge_mentions_given_in_any_order_alike(events: list[EventMention], rnd: random.Random) -> None:
    from natotimeline.reconcile import _Clusters, _make

    mentions = [_make(i, 0, m, frozenset()) for i, m in enumerate(events)]
    shuffled = mentions[:]
    rnd.shuffle(shuffled)
    in_order, out_of_order = _Clusters(mentions), _Clusters(shuffled)
    in_order.merge_all()
    out_of_order.merge_all()
    assert out_of_order.groups() == in_order.groups()


@settings(max_examples=60, deadline=None)
@given(st.lists(_dated_mention(), min_size=1, max_size=30))
def test_each_window_merges_without_the_sources_and_profiles_of_the_ones_before(
        events: list[EventMention]) -> None:
    """What ``_try_union`` reads of a cluster is let go when its window is merged."""
    from natotimeline.reconcile import _Clusters, _make

    clusters = _Clusters([_make(i, i % 3, m, frozenset()) for i, m in enumerate(events)])
    windows = clusters._windows

    def checked():
        for window in windows():
            assert not clusters.sources and not clusters.profs
            yield window

    clusters._windows = checked
    clusters.merge_all()
    assert not clusters.sources and not clusters.profs
    assert sorted(m.ref for g in clusters.groups() for m in g) == sorted(m.ref for m in clusters.mentions)


@st.composite
def _early_january(draw: st.DrawFn) -> DocumentExtract:
    """A source of early January 2024, some of whose mentions are undated and may join a dated event."""
    events = []
    for _ in range(draw(st.integers(1, 3))):
        dated = draw(st.booleans())
        value = f"2024-01-{draw(st.integers(1, 4)):02d}" if dated else None
        cast = draw(st.lists(st.sampled_from(_PEOPLE), max_size=2, unique=True))
        events.append(mention(draw(st.sampled_from(("meeting", "report_release"))), value, "day" if dated else "unknown",
                              draw(st.sampled_from(("Talks", "Review released", "Report released"))),
                              actors=tuple((n, "agent") for n in cast), location=draw(st.sampled_from((None, "Oslo")))))
    return doc(f"s{draw(st.integers(0, 10 ** 6)):07d}", events, published=date(2024, 1, draw(st.integers(4, 8))))


@settings(max_examples=80, deadline=None)
@given(st.lists(_early_january(), min_size=2, max_size=14, unique_by=lambda d: d.uri))
def test_a_facts_cache_of_one_cluster_attaches_as_the_full_one(docs: list[DocumentExtract]) -> None:
    import natotimeline.reconcile as rec

    full = rec.reconcile_events(docs)
    with _set(rec, "FACTS_CACHE", 1):
        assert rec.reconcile_events(docs) == full


def test_the_facts_of_the_least_recently_used_cluster_are_let_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    import natotimeline.reconcile as rec

    monkeypatch.setattr(rec, "FACTS_CACHE", 2)
    mentions = [rec._make(i, 0, mention("meeting", "2024-01-02", "day", f"Talks {i}"), frozenset())
                for i in range(4)]
    candidates = rec._Candidates([[m] for m in mentions[:3]])
    candidates.facts(0)
    candidates.facts(1)
    candidates.facts(0)
    candidates.facts(2)
    assert sorted(candidates._facts) == [0, 2]
    candidates.add(0, mentions[3])
    assert candidates.facts(0).sources == {0, 3}


def test_a_reconciler_holds_no_mention_of_its_documents_once_it_has_given_its_result() -> None:
    from natotimeline.reconcile import Reconciler

    reconciler = Reconciler(CATALOG)
    for d in CORPUS:
        reconciler.add(d)
    reconciler.result()
    assert reconciler._mentions is None and not reconciler._uris


def test_reconcile_events_refuses_a_source_given_twice() -> None:
    """As ``Reconciler.add`` does: two extractions of one URI would be one source in two events' mentions."""
    from natotimeline.reconcile import reconcile_events

    with pytest.raises(ValueError, match="file:///a.txt was given twice"):
        reconcile_events([doc("file:///a.txt"), doc("file:///b.txt"), doc("file:///a.txt")])
    assert reconcile_events([doc("file:///a.txt"), doc("file:///b.txt")]) == ([], {})


def test_events_written_to_a_file_are_the_events_given_in_memory(tmp_path: Path) -> None:
    """``Reconciler.result(events_to)`` writes the same events, a type group's after another."""
    from natotimeline.mention_files import RecordLog
    from natotimeline.reconcile import Reconciler, _event_order, _group

    results = []
    for events_to in (None, tmp_path / "events"):
        reconciler = Reconciler(CATALOG)
        for d in CORPUS:
            reconciler.add(d)
        results.append(reconciler.result(events_to))
    in_memory, on_disk = results
    assert isinstance(on_disk.events, RecordLog) and isinstance(in_memory.events, tuple)
    written = list(on_disk.events)
    assert len({_group(e.event_type) for e in written}) > 1
    assert sorted(written, key=_event_order) == list(in_memory.events)
    groups = [_group(e.event_type) for e in written]
    assert groups == sorted(groups)
    assert (on_disk.actors, on_disk.claims, on_disk.publication_overrides) == (
        in_memory.actors, in_memory.claims, in_memory.publication_overrides)


def test_a_reconciler_keeps_the_mentions_it_is_given_out_of_memory() -> None:
    """What ``add`` keeps of 2000 documents of 10 mentions, each with a title of its own,
    is a small part of their titles' 5 MB."""
    import tracemalloc

    from natotimeline.reconcile import Reconciler

    from datetime import timedelta

    days = [(date(2020, 1, 1) + timedelta(days=i)).isoformat() for i in range(2000)]
    docs = [doc(f"s{i}", tuple(mention("meeting", days[i], "day", f"Talks {i} {k} " + "x" * 220)
                               for k in range(10))) for i in range(2000)]
    reconciler = Reconciler(CATALOG)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for d in docs:
            reconciler.add(d)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1 << 20
    assert sum(len(e.mentions) for e in reconciler.result().events) == 20000


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_dated_mention(), min_size=1, max_size=4), min_size=1, max_size=10))
def test_the_corpus_wide_rows_give_each_key_once(sources: list[list[EventMention]]) -> None:
    """Nothing drops repeated keys from them, so reconciling must not make any
    (the generated mentions repeat titles, dates and casts, which is what
    gives two events the same base key)."""
    from natotimeline.rows import reconciled_rows

    cast = tuple(ActorMention(name, "person", name.split()[-1], 0, 1) for name in _PEOPLE)
    docs = [doc(f"s{i}", events, actors=cast) for i, events in enumerate(sources)]
    rows = reconciled_rows(reconcile(docs))
    for table, items in rows.items():
        keys = [row["id"] for row in items]
        assert len(keys) == len(set(keys)), table


_TALKS = mention("meeting", "2024-03-05", "day", "Talks", actors=(("Ana Lopez", "participant"),))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_dated_mention(), min_size=1, max_size=4), min_size=1, max_size=10))
@example([[_TALKS, _TALKS], [_TALKS]])  # two events share a base key, one of them with two mentions
def test_events_are_made_one_at_a_time_with_the_keys_a_whole_group_gives(sources: list[list[EventMention]]) -> None:
    """An event's key hashes its type group, date and title, and with its first
    mention when another event has the same: ``_keyed_events`` finds those
    without holding the events, and gives each as its cluster is let go."""
    from collections import Counter

    import natotimeline.reconcile as rec
    from natotimeline.keys import stable_key

    mentions = [rec._make(i, k, m, frozenset()) for i, events in enumerate(sources) for k, m in enumerate(events)]
    uris = [f"s{i:03d}" for i in range(len(sources))]
    clusters = rec._cluster(mentions)
    events = [rec._event(c, uris) for c in clusters]
    base = {e.mentions: stable_key("event", rec._group(e.event_type), e.date_value, e.title) for e in events}
    counts = Counter(base.values())
    expected = {refs: key if counts[key] == 1 else stable_key("event", key, refs[0]) for refs, key in base.items()}
    given = rec._keyed_events(clusters, uris)
    first = next(given)
    assert len(clusters) == len(events) - 1
    keyed = [first, *given]
    assert not clusters
    assert {e.mentions: e.key for e in keyed} == expected
    assert sorted(keyed, key=rec._event_order) == sorted((replace(e, key=expected[e.mentions]) for e in events),
                                                         key=rec._event_order)
