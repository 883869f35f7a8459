"""Figure extraction: money, percentages, percentages of GDP and counts.

A figure is a number with a unit the text states: a currency ("$55 billion",
"485 billion US dollars", "1.2 billion zlotys": a currency word also matches
in its plural), a percent sign or word ("nearly 20 per cent", "3.19% of
GDP") or a counted noun ("32 member states", "500,000 combat-capable
troops"). Scaled values are computed from the digits as written ("£64.6bn"
-> 64600000000.0 exactly). Bare numbers (years, ordinals, model names,
hashes) are never figures, except a number that restates the previous figure
of the sentence ("a previous forecast of 23"). A small count written in words
of people or countries ("three diplomats", "our two nations") is a figure
only when a metric rule with conditions matches it.

Ranges ("between PLN 25 and 30 billion", "€16-19 billion", "40 to 50 tanks",
"between 5% and 6% of GDP"; not "from 2 to 3 per cent", a change) are one
figure spanning both numbers: value = the lower bound, with the unit and
scale of the upper one, and qualifier "at least", so value + qualifier stay
true on their own; ``values_agree`` reads the upper bound back from the
figure's text and uses the closed interval [low, high].

The metric comes from the rules in ``data/metrics.toml`` applied to the words
of the figure's own clause (first matching rule); a figure whose clause
matches no rule ("In contrast, X accounted for just 36%") takes the metric of
the previous figure of the same unit in its or the preceding sentence, else
its unit's default rule. A bare percent led by a spending verb or "to" right
after a percent of GDP ("... 3% of GDP. Poland will spend more than 4%") is
a percent of GDP too, and so is one that its sentence compares with a
percent of GDP ("3.19% of GDP, down from 3.68%"; "3.2% of GDP, according
to NATO estimates, up from 2.5%").

Subject: a nationality adjective inside a count ("3,500 British soldiers")
names its subject; else an actor followed by "alone" after the figure ("for
Estonia alone"); else the nearest actor before the figure in its sentence
that is not a person, not a recipient or complement ("to/for/of/in/with/
than/behind/provided/paid/owes X", "the second-largest donor after X") and
not inside an aside (", which X claims,", ", criticised by X,"), not after a
possessive determiner ("its U.S. subsidiary"), preferring
an earlier grammatical subject or possessor of the same clause ("Spain's
budget", "Germany will spend") over a nearer actor that is neither; else,
when a pronoun ("they", "their") comes before any actor of the sentence,
the first such actor of the preceding sentences; else the first actor after
the figure that is not a partner ("with/between X"), not in the purpose phrase
right after it ("EUR 8.5 billion for ... Brigade Lithuania") and not the source
of a report (", the US Navy said"); else the rule's default subject. A capital
before a spending or planning verb ("Tallinn would spend") stands for its
country when it comes before the sentence's first figure and no actor does
([capital_subjects] in the data file). Rules may restrict subject types and map a group of members to its
organisation ("collective"). Collective subjects the actor catalogue may not
name come from ``[[subjects]]`` in the data file.

Period: a year, quarter or half (TIMEX3) among the sentence's dates, the
nearest in the same quotation segment (a date joined to the figure by
"in/for/by/during" wins), ignoring comparison and end dates ("from 2023",
"compared with 2023", "until 2030"); a "since 2014" or "since February
2022" date makes the figure cumulative (no period). A year span from the
date tagger ("2024-25", "2027/28", "between 2014 and 2023") gives the period
``2024/2025``; a fiscal year named by one year keeps it ("FY25", "fiscal
2026" -> ``2025``, ``2026``; "FY2024-25" -> ``2024/2025``). A total over
several years ("€100bn over five years", "over the next decade") takes only
a year span of its sentence, else no period. Without any date in the
sentence, the latest year (never a quarter, half or month) of the preceding
sentences of the paragraph, when it opens its sentence ("In 2024, ..."), the
figure has no subject, or the subject is named there (further back only when
the sentence refers back with a pronoun). A date in a closing relative clause
after the figure (", which are to be completed in 2027") is not its period
unless that clause holds a figure too. Day and month dates are statement
dates, not periods, except for a count of things or casualties (not of
members or of people at large) without a year in the sentence of one dated
attack, exercise, deployment or delivery (``dates_counts`` in
event_types.toml): the happening's date ("287 drones ... overnight on March 7"
-> ``2026-03-07``), unless the count adds up ("since", "so far", "in
total"). A baseline figure ("down from 3.68% a decade ago") takes
the date after it.

Qualifiers are mapped to ``records.QUALIFIERS`` by ``[qualifiers]`` in the
data file: almost/close to -> nearly; about/approximately/roughly/some/an
estimated -> around; above/exceeding/in excess of -> over; as many as/less
than/fewer than/under -> up to (a cap).

Agreement between two reports of one figure (``values_agree``) compares the
intervals their wording allows. With ``u`` the place value of the last
significant digit as written (trailing zeros of an integer are not
significant: "20" -> 10, "486" -> 1, "19.4" -> 0.1, "1.3 trillion" -> 0.1e12)
and ``r = u/2``:

- no qualifier: ``[x - r, x + r]`` (anything that rounds to x)
- around: ``x +- max(r, 5% of x)``
- nearly: ``[x - max(r, 10% of x), x]``
- over / more than: ``[x, x + max(u, 10% of x)]``
- at least: ``[x, inf)``
- up to: ``[0, x]``
- fractions in words ("two-thirds"): ``x +- 5`` percentage points

Two figures agree when their intervals intersect (after restating one in the
other's currency through ``alternates``); a claim is consistent when all its
intervals share a point.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache, partial
from typing import Any

from .patterns import trie_pattern
from .paths import load_data
from .records import ActorMention, EventMention, FigureMention, Sentence, TemporalMention

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_BOUNDARY = re.compile(r"[.;:!?—–()\[\]\"“”]|,\s|\s-\s")
_WORD = re.compile(r"\S+")
_CENTURIES = frozenset({"18", "19", "20", "21"})
_PERIOD_VALUE = re.compile(r"^\d{4}(?:-(?:Q[1-4]|H[12]))?$")
_YEAR_VALUE = re.compile(r"^\d{4}$")
_FISCAL = re.compile(r"\b(?:FY\s?'?|[Ff]iscal\s+(?:[Yy]ear\s+)?(?=\d{4}))((?:20)?\d\d)(?:[-/]((?:20)?\d\d))?\b")
_PRONOUN = re.compile(r"\b(?:they|their|them|these|those)\b", re.I)
_NOT_SUBJECT_BEFORE = re.compile(
    r"\b(?:its|their|his|her|to|for|of|in|at|on|into|against|toward|towards|than|behind|unlike|pa(?:y|ys|id|ying)|lend\w*|lent|loan\w*|ow(?:e|es|ed|ing)|transfer\w*|grant\w*|offer\w*|provid\w*|giv\w*|gave|suppl\w*|sen[dt]|deliver\w*|aid|help\w*|support\w*)"
    r"\s+(?:the\s+)?$",
    re.I,
)
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ish|ian|an|ese|ch|i|ic)$")
# "EUR 8.5 billion for air defence and Brigade Lithuania": an actor in the purpose or
# recipient phrase right after the figure is not its subject.
_PURPOSE_GAP = re.compile(r"\s+(?:for|to|towards?)\s+[^,;:.]*\Z")
# "..., the US Navy's Sixth Fleet said": the source of a report, not the subject of its figures.
_SOURCE_AFTER = re.compile(r"(?:['’]s)?(?:\s+[A-Z][\w-]*){0,3}\s+(?:said|says|told|reported|stated|added|noted|confirmed)\b")
# "with Britain and Italy": every name of the list after "with"/"between" is a partner.
_PARTNER_BEFORE = re.compile(r"\b(?:with|between)\s+(?:the\s+)?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*(?:,\s*|\s+and\s+)(?:the\s+)?){0,3}$")
# "U.S.-made Tomahawk missiles": the maker's country, not the subject.
_ORIGIN_AFTER = re.compile(r"-(?:made|built|designed|developed|produced|manufactured|supplied)\b")
_RANKED_AFTER = re.compile(r"\b(?:largest|biggest|second|third|fourth|fifth)\b[^.;:,]{0,50}\bafter\s+(?:the\s+)?$", re.I)
_AGENT_AFTER = re.compile(
    r"(?:['’]s\s+(?:\w+\s+)?(?:budget|spending|expenditures?|outlays?|contributions?|military|defen[cs]e|armed\s+forces|army|navy|government)\b"
    r"|\s+(?:(?:will|would|has|have|had|plans?\s+to|intends?\s+to|is\s+to|aims?\s+to|wants?\s+to|is|was|is\s+set\s+to|also|now)\s+)?"
    r"(?:spen[dt]s?|spending|allocat\w+|budget\w*|pledg\w+|commit\w+|earmark\w+|invest\w*|devot\w+|rais\w+|increas\w+|boost\w*|lift\w*|"
    r"set\s+aside|approv\w+|sign\w*|agree\w*|bought|buy\w*|order\w*|announc\w+|provid\w+|gave|give\w*|sen[dt]s?|deliver\w*|"
    r"contribut\w+|reach\w*|hit|met|meet\w*|exceed\w*|cut\w*|reduc\w+))\b",
    re.I,
)
_CLAUSE_CUT = re.compile(r"[;:]|,\s|\s(?:and|but|while|whereas)\s")
_GDP_ELLIPSIS_BEFORE = re.compile(r"\b(?:spen[dt]\w*|devot\w*|allocat\w*|to|at)\s+(?:\w+\s+)?$", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_ATTACHED_DATE = re.compile(r"\s+(?:in|for|by|during)\s+(?:the\s+)?(?:(?:fiscal|financial|budget)\s+(?:year\s+)?)?", re.I)
_ALONE_AFTER = re.compile(r"\s+alone\b", re.I)
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whom|whose|where|according\s+to|\w+(?:ed|en)\s+by)\b[^,;]*,", re.I)
_CLOSING_RELATIVE = re.compile(r",\s*(?:which|who|where)\b[^,;]*$")
_MULTI_YEAR_AFTER = re.compile(
    r"\s+(?:over|across|during|in)\s+(?:the\s+)?(?:next|coming|following|past|last)?\s*(?:\w+\s+)?(?:years|decades?)\b", re.I
)
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b|^['’]")
_CUMULATIVE_BEFORE = re.compile(r"\b(?:since|after)\s+(?:the\s+)?(?:end\s+of\s+|start\s+of\s+)?$", re.I)
_COMPARISON_BEFORE = re.compile(
    r"\b(?:from|compared\s+(?:with|to)|than|versus|vs\.?|over|against|until|till|through)\s+(?:the\s+)?(?:same\s+period\s+(?:of|in)\s+)?$", re.I
)
_CUMULATIVE_TEXT = re.compile(r"^(?:since|after)\b", re.I)
_COMPARISON_TEXT = re.compile(r"^(?:from|before)\b", re.I)
_BASELINE_FIGURE_BEFORE = re.compile(r"\b(?:from|compared\s+(?:with|to)|than|versus|vs\.?)\s+(?:a\s+|the\s+)?$", re.I)
_TOTAL_BEFORE = re.compile(r"\ball\s+(?:the\s+|its\s+|their\s+|of\s+the\s+)?$", re.I)
_PARTITIVE_OF = re.compile(r"\s+(?:out\s+)?of\s+(?:(?:the|its|their|all)\s+)?(?:[\w.\-]+['’]s\s+)?")
_LINKED_AFTER = re.compile(
    r"^[^.;:!?]{0,40}?\b(?:from|to|than|compared\s+(?:with|to)|versus|vs\.?|plus|and\s+another|and\s+an?\s+(?:further|additional)|or)"
    r"\s+(?:a\s+|the\s+|another\s+)?$", re.I
)
_LINKED_AFTER_ASIDE = re.compile(
    r"^[^.;:!?,]{0,60},\s*(?:according\s+to\s+[^.;:!?,]{1,80}|[^.;:!?,]{1,60}\b(?:said|says|estimated|estimates|reported|reports)"
    r"|(?:the|its|their|a|an)\s+(?![^.;:!?,]*\b(?:is|are|was|were|remains?|remained|has|have|had)\b)[^.;:!?,]{1,80})"
    r",\s*(?:(?:up|down)\s+from|compared\s+(?:with|to))\s+(?:a\s+|the\s+)?$", re.I
)
# "4.1% of GDP on defence, Estonia 3.4%, the United States 3.4%", "4.1% of GDP in 2024 and 4.5% in 2025,
# Estonia at 3.4% and 3.7%": the next item of a list of shares.
_LIST_NEXT = re.compile(
    r"(?:\s+on\s+(?:[a-z]+\s+){0,2}?[a-z]+)?(?:\s+(?:in|for)\s+(?:19|20)\d{2})?(?:\s*,\s*(?:and\s+)?|,?\s+and\s+)"
    r"(?:(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+(?:at\s+)?)?\Z")
# ... which ends like a list item, not like a clause of its own ("and 58% say they back it").
_LIST_ITEM_END = re.compile(
    r"(?:\s+(?:in|for)\s+(?:19|20)\d{2}\b)?(?:\s+(?:on|for)\s+[^,.;\n]{1,40}?)?\s*(?:[,.;)]|and\b|respectively\b|\Z)")
_LINKED_BEFORE = re.compile(r"^\s*(?:to|and|or|-|–)\s*$", re.I)
_SEGMENT = re.compile(r"[\"“”;]")
_LIST_JOIN = re.compile(r",\s*|,?\s+and\s+")
_LIST_LAST_JOIN = re.compile(r",?\s+and\s+")
_NEGATION_AFTER = re.compile(
    r"\s+(?:did\s+not|didn['’]t|have\s+not|haven['’]t|has\s+not|hasn['’]t|had\s+not|hadn['’]t|do\s+not|don['’]t|"
    r"does\s+not|doesn['’]t|were\s+not|weren['’]t|are\s+not|aren['’]t|failed|fell\s+short|fall\s+short|missed|"
    r"remain(?:ed)?\s+below|were\s+below|are\s+below)\b",
    re.I,
)
_MODEL_NAME_BEFORE = re.compile(r"(?<=\w)\s?[A-Z][\w\-]*\s$")
_FRAMING_AFTER = re.compile(r"\s*,")
_SENTENCE_LEAD = re.compile(r"(?:^|[.!?\n]\s*)[\"“'(]?\s*(?:(?:In|During|Throughout|For|Over|Across|By|At\s+the\s+end\s+of)\s+(?:the\s+)?)?$")
_RANGE_JOIN = re.compile(
    r"(?P<pct>\s?(?:%|per\s?cent\b|percent\b))?(?:\s*(?P<j>[-–])\s*|\s+(?P<w>and|to)\s+)(?=\S{0,4}\s?\d)", re.I
)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:\S{1,4}\s?)?$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:\S{1,4}\s?)?$", re.I)
# "several hundred guided missiles", "a few dozen jets": no number to report.
_VAGUE_BEFORE = re.compile(r"\b(?:several|a\s+few|few|many)\s+\Z", re.I)
_PART_WORDS = 14
# No country spends more than this share of GDP on defence: "support has risen to 60%" is no such share.
_MAX_ELLIPTIC_GDP = 15.0
_PART_LEAD = re.compile(r"(?:\w+ly\s+|each\s+year\s+|a\s+year\s+)?(?:for|on|to|towards|in)\b", re.I)
# "since the invasion", "so far": a count that adds up happenings, not one of them.
_CUMULATIVE = re.compile(r"\b(?:since|so\s+far|in\s+total|to\s+date|altogether|cumulative|overall)\b", re.I)
# "Article 5 violations", "Resolution 1701 violations": a numbered text, not a count.
_NUMBERED_TEXT_BEFORE = re.compile(r"\b(?:Article|Resolution|Chapter|Section|Paragraph|Minsk)\s+\Z")
_SMALL_COUNT_CLASSES = frozenset({"people", "members"})
_STOPWORDS = "of|the|and|or|in|to|for|from|by|on|at|with|a|an|as|than|per|percent|which|that|who|were|was|are|is|have|has|had|be"


@dataclass(frozen=True, slots=True)
class _Rule:
    metric: str
    units: frozenset[str]
    nouns: frozenset[str]
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    near: re.Pattern[str] | None
    sentence: re.Pattern[str] | None
    qualifiers: frozenset[str]
    role: str | None
    subject_types: frozenset[str]
    default_subject: str | None
    collective: bool = False
    is_default: bool = False


@dataclass(frozen=True, slots=True)
class _Lexicon:
    token: re.Pattern[str]
    word_token: re.Pattern[str]
    word_token_ci: re.Pattern[str]
    word_needles: re.Pattern[str]
    qualifier: re.Pattern[str]
    qualifier_map: dict[str, str]
    currency_prefix: re.Pattern[str]
    prefix_map: dict[str, str]
    scale: re.Pattern[str]
    scales: dict[str, float]
    percent: re.Pattern[str]
    gdp_tail: re.Pattern[str]
    share_verb: re.Pattern[str]
    gdp_implied: re.Pattern[str]
    gdp_implied_before: re.Pattern[str]
    spending: re.Pattern[str]
    currency_suffix: re.Pattern[str]
    suffix_map: dict[str, str]
    count_noun: re.Pattern[str]
    noun_class: dict[str, str]
    class_metric: dict[str, str]
    class_above: dict[str, tuple[float, str, frozenset[str]]]
    number_words: dict[str, float]
    fractions: dict[str, float]
    restating: re.Pattern[str]
    restating_map: dict[str, str]
    alternate: re.Pattern[str]
    subjects: re.Pattern[str]
    complements: dict[str, str]
    gdp_parts: dict[str, re.Pattern[str]]
    subject_names: tuple[tuple[str, str], ...]
    member_of: dict[str, str]
    rules: tuple[_Rule, ...]
    specific_rules: tuple[_Rule, ...] = ()
    default_rules: tuple[_Rule, ...] = ()
    prefix_ends: frozenset[str] = frozenset()
    qualifier_ends: tuple[str, ...] | None = None
    qualifier_width: int = 0
    fitting: dict[tuple[int, str, str | None, str | None, str | None], tuple[_Rule, ...]] = field(default_factory=dict, compare=False)
    capital_names: tuple[str, ...] = ()
    capital_map: dict[str, str] = field(default_factory=dict)
    capital_re: re.Pattern[str] | None = None


def _first_letters(patterns: Sequence[str]) -> str:
    """A character class of the letters the subject patterns can start with; every letter when unsure."""
    letters: set[str] = set()
    for pattern in patterns:
        for alt in re.split(r"\|(?![^(]*\))", pattern):
            ch = alt[:1]
            if not ch.isalpha():
                return "A-Za-z"
            letters |= {ch.lower(), ch.upper()}
    return "".join(sorted(letters))


def _needles(words: Sequence[str]) -> list[str]:
    """The words that contain no other of them: text holding none of these holds none of ``words``."""
    return [w for w in words if not any(v != w and v in w for v in words)]


def _alternation(words: Sequence[str], escape: bool = True) -> str:
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in items)


def _keywords(words: Sequence[str] | None) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.I)


@cache
def _lexicon() -> _Lexicon:
    raw = load_data("metrics.toml")
    quals = {k.lower(): v for k, v in raw["qualifiers"].items()}
    scales = {k.lower(): float(v) for k, v in raw["scales"].items()}
    spelled_scales = [s for s in scales if len(s) > 1]
    glued_scales = list(scales)
    number_words = {k.lower(): float(v) for k, v in raw["number_words"].items()}
    units_words = [w for w, v in number_words.items() if 1 <= v <= 9]
    tens_words = [w for w, v in number_words.items() if v >= 20 and v % 10 == 0 and v < 100]
    fractions = {k.lower(): float(v) for k, v in raw["fraction_words"].items()}
    word_number = (
        rf"(?:{_alternation(tens_words)})(?:[- ](?:{_alternation(units_words)}))?|{_alternation(list(number_words))}"
    )
    glued_alt = "".join(f"|{g}" for g in sorted(glued_scales, key=len, reverse=True))[1:]
    token = re.compile(
        rf"(?=\d)(?:(?<=\d[-–])|(?<![\w.,/\-−]))(?P<num>{_NUM})(?P<glued>(?i:{glued_alt}))?(?![\w]|[.,:]\d|-(?!(?i:{_alternation(spelled_scales)})\b)[^\W\d])"
    )
    first = "".join(sorted({w[0] for w in list(fractions) + list(number_words)}))
    words_alt = rf"(?<![a-z])(?=[{first}])(?:(?P<frac>{_alternation(list(fractions))})(?=\s+of\b)|(?P<word>{word_number}))(?![a-z])"
    word_token = re.compile(words_alt)
    word_token_ci = re.compile(words_alt, re.I)
    prefix_map = dict(raw["currency_prefix"])
    suffix_map = {k.lower(): v for k, v in raw["currency_suffix"].items()}
    fillers = _alternation(raw.get("currency_fillers", []))
    noun_class: dict[str, str] = {}
    class_metric: dict[str, str] = {}
    class_above: dict[str, tuple[float, str, frozenset[str]]] = {}
    for cls, spec in raw["count_nouns"].items():
        class_metric[cls] = spec["metric"]
        if "above" in spec:
            class_above[cls] = (float(spec["above"]), spec["above_class"], frozenset(spec.get("above_words", spec["words"])))
        for w in spec["words"]:
            noun_class[w.lower()] = cls
    restating_map = {k.lower(): v for k, v in raw["restating_words"].items()}
    quals_alt = _alternation(list(quals))
    prefix_alt = _alternation(list(prefix_map))
    suffix_alt = _alternation(list(suffix_map))
    scale_alt = _alternation(spelled_scales)
    subject_specs = raw.get("subjects", [])
    capital_spec = raw.get("capital_subjects", {})
    capitals: dict[str, str] = dict(capital_spec.get("capitals", {}))
    capital_verbs: list[str] = list(capital_spec.get("verbs", ()))
    subject_names = tuple((spec["name"], spec["type"]) for spec in subject_specs)
    subjects = re.compile(
        r"(?<!\w)(?=[" + _first_letters([p for spec in subject_specs for p in spec["patterns"]]) + r"])(?:"
        + "|".join(f"(?P<s{i}>{'|'.join(spec['patterns'])})" for i, spec in enumerate(subject_specs))
        + r")(?!\w)",
        re.I,
    )
    rules = tuple(
        _Rule(
            metric=r["metric"],
            units=frozenset(r.get("units", ())),
            nouns=frozenset(r.get("nouns", ())),
            before=_keywords(r.get("before")),
            after=_keywords(r.get("after")),
            near=_keywords(r.get("near")),
            sentence=_keywords(r.get("sentence")),
            qualifiers=frozenset(r.get("qualifiers", ())),
            role=r.get("role"),
            subject_types=frozenset(r.get("subject_types", ())),
            default_subject=r.get("default_subject"),
            collective=bool(r.get("collective", False)),
            is_default=not any(r.get(k) for k in ("nouns", "before", "after", "near", "sentence", "qualifiers", "role")),
        )
        for r in raw["rules"]
    )
    return _Lexicon(
        token=token,
        word_token=word_token,
        word_token_ci=word_token_ci,
        word_needles=re.compile(trie_pattern(_needles(list(fractions) + list(number_words)))),
        qualifier=re.compile(rf"(?<![\w])(?P<q>{quals_alt})\s+$", re.I),
        qualifier_map=quals,
        currency_prefix=re.compile(rf"(?:(?<=[\s(\[“\"'])|^)(?P<c>{prefix_alt})\s?$"),
        prefix_map=prefix_map,
        scale=re.compile(rf"(?:\s*|-)(?P<s>{scale_alt})\b", re.I),
        scales=scales,
        percent=re.compile(r"\s?(?:%|per\s?cent\b|percent\b|pct\b)(?P<pp>\s?percentage\s+points?\b)?|\s(?P<pp2>percentage\s+points?)\b", re.I),
        gdp_tail=re.compile(
            r"\s+of\s+(?:[\w'’.\-]+\s+){0,3}?(?:GDP|gross\s+domestic\s+product|economic\s+output)(?:\s*\(GDP\))?(?!\w)",
            re.I,
        ),
        gdp_implied=re.compile(r"\s+(?:" + "|".join(raw.get("gdp_implied_after", ["(?!)"])) + r")(?!\w)", re.I),
        gdp_implied_before=re.compile(r"(?<!\w)(?:" + "|".join(raw.get("gdp_implied_before", ["(?!)"])) + r")\s+$", re.I),
        share_verb=re.compile(r"(?<!\w)(?:" + "|".join(raw["share_verbs"]) + r")\s+(?:\w+\s+)?$", re.I),
        spending=_keywords(raw["spending_words"]) or re.compile(r"(?!)"),
        currency_suffix=re.compile(
            (rf"\s+(?:(?:{fillers})\s+)?" if fillers else r"\s+") + rf"(?P<c>{suffix_alt})(?:(?<=[a-z])e?s)?(?![\w])", re.I
        ),
        suffix_map=suffix_map,
        count_noun=re.compile(
            rf"\s+(?:(?!(?:{_STOPWORDS})\b)[A-Za-z0-9][\w\-]*\s+){{0,2}}?(?P<n>{_alternation(list(noun_class))})(?![\w])",
            re.I,
        ),
        noun_class=noun_class,
        class_metric=class_metric,
        class_above=class_above,
        number_words=number_words,
        fractions=fractions,
        restating=re.compile(rf"\b(?P<w>{_alternation(list(restating_map))})\s+of\s+(?:(?:{quals_alt})\s+)?$", re.I),
        restating_map=restating_map,
        alternate=re.compile(
            rf"(?:\s*\(\s*|,?\s+or\s+)(?:(?:{quals_alt})\s+)?(?P<c1>{prefix_alt})?\s?(?P<n>{_NUM})(?P<g>{_alternation(glued_scales)})?"
            rf"(?:\s*(?P<s>{scale_alt})\b)?(?:\s+(?P<c2>{suffix_alt})(?:(?<=[a-z])e?s)?)?(?:\s*\)|(?=[\s,.;:!?]|$))",
            re.I,
        ),
        subjects=subjects,
        capital_names=tuple(capitals),
        capital_map=capitals,
        capital_re=re.compile(
            rf"(?<![\w-])(?P<c>{_alternation(list(capitals))})(?=\s+(?:{_alternation(capital_verbs)})\b)"
        ) if capitals else None,
        complements=dict(raw.get("complements", {})),
        gdp_parts={part: re.compile("|".join(f"(?:{p})" for p in pats), re.I) for part, pats in raw.get("gdp_parts", {}).items()},
        subject_names=subject_names,
        member_of={spec["name"]: spec["member_of"] for spec in subject_specs if "member_of" in spec},
        rules=rules,
        specific_rules=tuple(r for r in rules if not r.is_default),
        default_rules=tuple(r for r in rules if r.is_default),
        prefix_ends=frozenset(p[-1] for p in prefix_map),
        qualifier_ends=tuple(quals) if all(q.isascii() and q.strip() == q != "" for q in quals) else None,
        qualifier_width=max(map(len, quals), default=0),
    )


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    num_start: int
    value: float
    unit: str
    currency: str | None = None
    qualifier: str | None = None
    noun: str | None = None
    points: bool = False
    has_tail: bool = False
    inherited: _Raw | None = None
    alternates: tuple[tuple[float, str], ...] = ()
    role: str | None = None
    restates: str | None = None
    high: float | None = None
    partitive_of: int | None = None
    metric: str = ""
    rule: _Rule | None = None
    subject: str | None = None
    period: str | None = None


_DIGIT = re.compile(r"\d")


class _Tok:
    """A number token: digits (``num``, ``glued`` scale) or words (``frac``, ``word``)."""

    __slots__ = ("start_", "end_", "num", "glued", "frac", "word")

    def __init__(self, start_: int, end_: int, num: str | None = None, glued: str | None = None,
                 frac: str | None = None, word: str | None = None) -> None:
        self.start_, self.end_, self.num, self.glued, self.frac, self.word = start_, end_, num, glued, frac, word

    def group(self, name: str) -> str | None:
        return getattr(self, name)

    def start(self) -> int:
        return self.start_

    def end(self) -> int:
        return self.end_

    def span(self) -> tuple[int, int]:
        return self.start_, self.end_


def _tokens(lex: _Lexicon, s_text: str) -> list[_Tok]:
    """Numbers in digits and in words, in text order."""
    digit = _DIGIT.search(s_text)
    toks = [_Tok(*m.span(), *m.group("num", "glued")) for m in lex.token.finditer(s_text, digit.start())] if digit else []
    low = s_text.lower()
    if len(low) != len(s_text):
        words = [_Tok(*m.span(), None, None, *m.group("frac", "word")) for m in lex.word_token_ci.finditer(s_text)]
    elif lex.word_needles.search(low):
        words = [_Tok(*m.span(), None, None, *m.group("frac", "word")) for m in lex.word_token.finditer(low)]
    else:
        words = []
    if not toks:
        return words
    if words:
        toks.extend(words)
        toks.sort(key=lambda t: t.start_)
    return toks


def _parse_number(lex: _Lexicon, m: _Tok) -> float | None:
    if m.num:
        return float(m.num.replace(",", ""))
    if m.frac:
        return lex.fractions[m.frac.lower()]
    word = m.word.lower()
    if word in lex.number_words:
        return lex.number_words[word]
    parts = re.split(r"[- ]", word)
    return sum(lex.number_words.get(p, 0.0) for p in parts)


def _may_qualify(lex: _Lexicon, s_text: str, floor: int, pos: int) -> bool:
    """Whether ``lex.qualifier`` can match s_text[floor:pos]: it needs trailing whitespace after a qualifier."""
    if not _space_before(s_text, pos, floor):
        return False
    if lex.qualifier_ends is None:
        return True
    tail = s_text[floor:pos].rstrip()[-lex.qualifier_width:]
    return not tail.isascii() or tail.lower().endswith(lex.qualifier_ends)


def _space_before(s_text: str, pos: int, floor: int) -> bool:
    r"""Whether s_text[floor:pos] ends in whitespace, which patterns ending in ``\s$`` need."""
    return pos > floor and s_text[pos - 1].isspace()


def _year_like(num: str) -> bool:
    """Whether a number token reads as a year 1800-2199."""
    return len(num) == 4 and num[:2] in _CENTURIES and num[2:].isdecimal()


def _scaled(num: str | None, value: float, scale: float) -> float:
    """``value * scale``, exact to the digits written ("64.6" bn -> 64600000000.0, not 64599999999.99999)."""
    if num is None or scale == 1.0:
        return value * scale
    return float(Decimal(num.replace(",", "")) * Decimal(scale))


@dataclass(slots=True)
class _RangeStart:
    start: int
    num: str
    scale: float | None
    currency: str | None
    percent: bool
    next_at: int


_NO_RANGE = _RangeStart(0, "0", None, None, False, -1)


def _range_start(s_text: str, m: _Tok, start: int, pos: int, scale: float | None, currency: str | None) -> _RangeStart | None:
    """The first number of "between 25 and 30 billion", "16-19%", "40 to 50 tanks"."""
    num = m.num
    if not num or (_year_like(num) and scale is None and currency is None):
        return None
    jm = _RANGE_JOIN.match(s_text, pos)
    if not jm:
        return None
    lead = s_text[max(0, start - 12):start]
    between = _BETWEEN_BEFORE.search(lead)
    joiner = (jm.group("j") or jm.group("w")).lower()
    if joiner == "and" and not between:
        return None
    if joiner == "to" and (between or _FROM_BEFORE.search(s_text[max(0, start - 40):start])):
        return None
    if joiner in ("-", "–") and between:
        return None
    first = start - (len(lead) - between.start()) if between else start
    return _RangeStart(first, num, scale, currency, bool(jm.group("pct")), jm.end())


_Bare = tuple[int, int, float, str | None, _Tok]


def _read(lex: _Lexicon, s_text: str, m: _Tok, first: _RangeStart | None) -> tuple[_Raw | None, _Bare | None, _RangeStart | None]:
    """One number token as a figure, a bare number, or the first number of a range."""
    ns, ne = m.span()
    value = _parse_number(lex, m)
    if value is None or not math.isfinite(value):
        return None, None, None
    if m.word and _VAGUE_BEFORE.search(s_text, max(0, ns - 12), ns):
        return None, None, None
    head = s_text[max(0, ns - 40):ns]
    prefix = lex.currency_prefix.search(head) if m.num and not lex.prefix_ends.isdisjoint(head[-3:]) else None
    currency = lex.prefix_map[prefix.group("c")] if prefix else None
    start = ns - (len(head) - prefix.start()) if prefix else ns
    q_lo = max(0, start - 30)
    qm = lex.qualifier.search(s_text[q_lo:start]) if _may_qualify(lex, s_text, q_lo, start) else None
    qualifier = lex.qualifier_map[qm.group("q").lower()] if qm else None
    if qm:
        start = q_lo + qm.start("q")
    pos = ne
    glued = m.glued
    scale: float | None = None
    if glued:
        if currency is None and (first is None or first is _NO_RANGE) and glued.lower() in ("m", "b"):
            return None, None, None
        scale = lex.scales[glued.lower()]
    else:
        sm = lex.scale.match(s_text, pos)
        if sm:
            scale = lex.scales[sm.group("s").lower()]
            pos = sm.end()
    if scale is not None:
        value = _scaled(m.num, value, scale)
    if first is None:
        opened = _range_start(s_text, m, start, pos, scale, currency)
        if opened is not None:
            return None, None, opened
    elif currency is None:
        currency = first.currency
    raw: _Raw | None = None
    if m.frac:
        raw = _Raw(start, ne, ns, value, "percent")
    elif currency:
        raw = _Raw(start, pos, ns, value, "money", currency)
    else:
        pm = lex.percent.match(s_text, pos)
        cm = lex.currency_suffix.match(s_text, pos)
        if pm:
            raw = _Raw(start, pm.end(), ns, value, "percent", points=bool(pm.group("pp") or pm.group("pp2")))
            lead_start = first.start if first else start
            gm = lex.gdp_tail.match(s_text, pm.end())
            implied = lex.gdp_implied.match(s_text, pm.end()) or lex.gdp_implied_before.search(s_text, max(0, lead_start - 40), lead_start)
            if not gm and not raw.points and implied:
                raw.unit = "percent_of_gdp"
            elif gm and not raw.points:
                lead = s_text[max(0, lead_start - 80):lead_start]
                share = lex.share_verb.search(lead)
                if not share or lex.spending.search(lead[: share.start()][-60:]):
                    raw.unit = "percent_of_gdp"
                    raw.end = gm.end()
                    raw.has_tail = True
        elif cm:
            raw = _Raw(start, cm.end(), ns, value, "money", lex.suffix_map[cm.group("c").lower()])
        else:
            nm = lex.count_noun.match(s_text, pos)
            year_like = m.num and _year_like(m.num) and pos == ne
            model_name = ((_space_before(s_text, ns, max(0, ns - 30))
                           and _MODEL_NAME_BEFORE.search(s_text, max(0, ns - 30), ns) and not qm)
                          or _NUMBERED_TEXT_BEFORE.search(s_text, max(0, ns - 15), ns) is not None)
            if nm and not year_like and not model_name and value == int(value) and (m.num or value >= 2):
                word = nm.group("n").lower()
                noun = lex.noun_class[word]
                above = lex.class_above.get(noun)
                if above is not None and value > above[0] and word in above[2]:
                    noun = above[1]
                raw = _Raw(start, nm.end(), ns, value, "count", noun=noun)
                if _TOTAL_BEFORE.search(s_text[max(0, ns - 20):ns]):
                    raw.role = "total"
                elif m.word and value <= 10 and raw.noun in _SMALL_COUNT_CLASSES:
                    raw.role = "small"
            elif m.word or (m.num and not _year_like(m.num)):
                return None, (start, pos, value, qualifier, m), None
    if raw is None:
        return None, None, None
    raw.qualifier = qualifier
    if first is not None and first is not _NO_RANGE:
        if first.percent and raw.unit == "money" or first.currency and first.currency != raw.currency:
            return None, None, None
        low = _scaled(first.num, float(first.num.replace(",", "")), first.scale or scale or 1.0)
        if not low < raw.value:
            return None, None, None
        raw.high, raw.value, raw.start = raw.value, low, first.start
    if raw.unit == "money":
        am = lex.alternate.match(s_text, raw.end)
        if am:
            alt_cur = None
            if am.group("c1"):
                alt_cur = lex.prefix_map.get(am.group("c1"))
            elif am.group("c2"):
                alt_cur = lex.suffix_map.get(am.group("c2").lower())
            if alt_cur and alt_cur != raw.currency:
                alt_scale = am.group("g") or am.group("s")
                alt_value = _scaled(am.group("n"), float(am.group("n").replace(",", "")),
                                    lex.scales[alt_scale.lower()] if alt_scale else 1.0)
                raw.alternates = ((alt_value, alt_cur),)
                raw.end = am.end()
    return raw, None, None


def _scan_sentence(lex: _Lexicon, s_text: str) -> list[_Raw]:
    """Find every figure expression of one sentence (offsets relative to it)."""
    found: list[_Raw] = []
    bare: list[_Bare] = []
    consumed_until = 0
    toks = _tokens(lex, s_text)
    skip_until = -1
    for i, m in enumerate(toks):
        ns = m.start()
        if ns < consumed_until or ns < skip_until:
            continue
        if ns and s_text[ns - 1] in "-–" and m.num:
            continue
        raw, bare_one, opened = _read(lex, s_text, m, None)
        if opened is not None:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and opened.next_at <= nxt.start() <= opened.next_at + 4:
                raw, _, _ = _read(lex, s_text, nxt, opened)
                if raw is not None:
                    skip_until = nxt.end()
            if raw is None:
                raw, bare_one, _ = _read(lex, s_text, m, _NO_RANGE)
        if bare_one is not None:
            bare.append(bare_one)
        if raw is None:
            continue
        found.append(raw)
        consumed_until = raw.end
    for start, end, value, qualifier, m in bare:
        if any(f.start <= start < f.end for f in found):
            continue
        pm = _PARTITIVE_OF.match(s_text, end)
        if pm:
            total = next((f for f in found if f.start == pm.end() and f.unit == "count"), None)
            if total is not None and value <= total.value:
                total.role = "total"
                found.append(_Raw(start, end, m.start(), value, "count", qualifier=qualifier, noun=total.noun,
                                  partitive_of=id(total)))
                continue
        rm = lex.restating.search(s_text[max(0, start - 40):start])
        if rm:
            prev = [f for f in found if f.end <= start and f.restates is None]
            if prev:
                base = max(prev, key=lambda f: f.end)
                found.append(_Raw(start, end, m.start(), value, base.unit, base.currency, qualifier, base.noun,
                                  restates=lex.restating_map[rm.group("w").lower()], partitive_of=id(base)))
    found.sort(key=lambda f: f.start)
    _share_gdp_unit(s_text, found)
    return found


def _share_gdp_unit(s_text: str, found: list[_Raw]) -> None:
    """"3.19% of GDP, down from 3.68%", "4.1% of GDP, Estonia 3.4%": a bare percent next to a
    percent of GDP shares its unit.
    Further from it, only across an attribution ("according to ...", "... estimated") or
    a phrase in apposition ("the highest share since ...") and then "up from", "down from"
    or "compared with/to" ("3.2% of GDP in 2024, according to ..., up from 2.5%"): another
    clause between them ("and support remains strong") is about something else."""
    for i, f in enumerate(found):
        if f.unit != "percent" or f.points:
            continue
        prev = found[i - 1] if i else None
        nxt = found[i + 1] if i + 1 < len(found) else None
        between = s_text[prev.end:f.start] if prev else ""
        if (prev and prev.unit == "percent_of_gdp" and not _OF_AFTER.match(s_text, f.end)
                and (_LINKED_AFTER.search(between) or _LINKED_AFTER_ASIDE.search(between)
                     or (_LIST_NEXT.match(between) and _LIST_ITEM_END.match(s_text, f.end)))):
            f.unit = "percent_of_gdp"
        elif nxt and nxt.unit == "percent_of_gdp" and _LINKED_BEFORE.match(s_text[f.end:nxt.start]):
            f.unit = "percent_of_gdp"


def _elliptic_gdp(lex: _Lexicon, s_text: str, raws: list[_Raw], previous: list[_Raw]) -> None:
    """"... 3% of GDP. Poland will spend more than 4% this year.": a bare percent a spending verb
    or "to" leads to, after a percent of GDP (sums of money may come between), is one too."""
    for i, f in enumerate(raws):
        if f.unit != "percent" or f.points or f.restates is not None:
            continue
        share = next((r for r in reversed(previous + raws[:i]) if r.unit in ("percent", "percent_of_gdp")), None)
        if share is None or share.unit != "percent_of_gdp" or _OF_AFTER.match(s_text, f.end):
            continue
        if f.value <= _MAX_ELLIPTIC_GDP and _GDP_ELLIPSIS_BEFORE.search(s_text, max(0, f.start - 40), f.start):
            f.unit, f.has_tail = "percent_of_gdp", True


def _clause_before(s_text: str, lo: int, start: int, words: int = 10) -> str:
    chunk = s_text[lo:start]
    cuts = list(_BOUNDARY.finditer(chunk))
    if cuts:
        chunk = chunk[cuts[-1].end():]
    toks = _WORD.findall(chunk)
    return " ".join(toks[-words:])


def _clause_after(s_text: str, end: int, hi: int, words: int = 8) -> str:
    chunk = s_text[end:hi]
    cut = _BOUNDARY.search(chunk)
    if cut:
        chunk = chunk[: cut.start()]
    toks = _WORD.findall(chunk)
    return " ".join(toks[:words])


def _fits(rule: _Rule, unit: str, noun: str | None, role: str | None, qualifier: str | None) -> bool:
    """The conditions of a rule on the figure itself (not on its words)."""
    if rule.units and unit not in rule.units:
        return False
    if rule.nouns and noun not in rule.nouns:
        return False
    if rule.role and role != rule.role:
        return False
    if rule.qualifiers and qualifier not in rule.qualifiers:
        return False
    return True


def _fitting(lex: _Lexicon, rules: tuple[_Rule, ...], f: _Raw) -> tuple[_Rule, ...]:
    """The rules, in order, whose conditions on the figure itself hold (cached per kind of figure)."""
    key = (id(rules), f.unit, f.noun, f.role, f.qualifier)
    found = lex.fitting.get(key)
    if found is None:
        found = lex.fitting[key] = tuple(r for r in rules if _fits(r, *key[1:]))
    return found


def _words_match(rule: _Rule, before: str, after: str, sentence: str, in_sentence: dict[re.Pattern[str], bool]) -> bool:
    """The conditions of a rule on the words around a figure; ``in_sentence`` caches sentence searches."""
    if rule.before and not rule.before.search(before):
        return False
    if rule.after and not rule.after.search(after):
        return False
    if rule.near and not (rule.near.search(before) or rule.near.search(after)):
        return False
    if rule.sentence:
        hit = in_sentence.get(rule.sentence)
        if hit is None:
            hit = in_sentence[rule.sentence] = rule.sentence.search(sentence) is not None
        if not hit:
            return False
    return True


def _assign_metrics(lex: _Lexicon, raws: list[_Raw], s_text: str, previous: list[_Raw]) -> None:
    by_id = {id(f): f for f in raws}
    windows: dict[int, tuple[str, str]] = {}
    for i, f in enumerate(raws):
        lo = raws[i - 1].end if i else 0
        hi = raws[i + 1].start if i + 1 < len(raws) else len(s_text)
        windows[id(f)] = (_clause_before(s_text, lo, f.start), _clause_after(s_text, f.end, hi))
    for f in raws:
        if f.partitive_of is not None and f.restates is None:
            total = by_id[f.partitive_of]
            windows[id(f)] = (windows[id(f)][0], windows[id(total)][1])
    in_sentence: dict[re.Pattern[str], bool] = {}
    for f in raws:
        if f.restates is not None:
            continue
        before, after = windows[id(f)]
        chosen = next(
            (r for r in _fitting(lex, lex.specific_rules, f) if _words_match(r, before, after, s_text, in_sentence)), None
        )
        if chosen is None and f.unit in ("percent", "percent_of_gdp") and not f.has_tail:
            earlier = [p for p in previous + [r for r in raws if r.end <= f.start] if p.unit == f.unit and p.rule is not None
                       and not p.rule.is_default and p.restates is None]
            if earlier:
                src = earlier[-1]
                f.metric, f.rule, f.inherited = src.metric, src.rule, src
                continue
        if chosen is None and f.unit == "money":
            rest = s_text[: f.start] + " " + s_text[f.end:]
            chosen = next((r for r in _fitting(lex, lex.specific_rules, f)
                           if r.near and _words_match(r, rest, "", s_text, in_sentence)), None)
        if chosen is None:
            chosen = next((r for r in _fitting(lex, lex.default_rules, f)
                           if _words_match(r, before, after, s_text, in_sentence)), None)
        if chosen is not None:
            f.metric, f.rule = chosen.metric, chosen
        elif f.noun:
            f.metric = lex.class_metric.get(f.noun, f.noun)
            if f.partitive_of is not None:
                f.metric += "_part"
        else:
            f.metric = f.unit
        if f.points:
            f.metric += "_points"
    for i, f in enumerate(raws):
        if f.unit == "percent_of_gdp" and f.restates is None and lex.gdp_parts and "target" in f.metric:
            hi = raws[i + 1].start if i + 1 < len(raws) else len(s_text)
            f.metric = _with_part(lex, f.metric, _clause_after(s_text, f.end, hi, _PART_WORDS))
    for f in raws:
        if f.restates is not None:
            base = by_id[f.partitive_of] if f.partitive_of is not None else None
            f.metric = f"{base.metric}_{f.restates}" if base else f.restates
            f.rule = base.rule if base else None


def _with_part(lex: _Lexicon, metric: str, after: str) -> str:
    """``metric`` for the one part of a share-of-GDP target the phrase right after it names ("3.5%
    for core defence" -> ``..._core``), whatever part it inherited; the total when it names none or
    both, or when the words after it are not such a phrase ("5% of GDP includes spending on
    infrastructure")."""
    for part in lex.gdp_parts:
        if metric.endswith(f"_{part}"):
            metric = metric[: -len(part) - 1]
    lead = _PART_LEAD.match(after)
    if lead is None:
        return metric
    named = [part for part, pattern in lex.gdp_parts.items() if pattern.search(after, lead.end())]
    return f"{metric}_{named[0]}" if len(named) == 1 else metric


_Candidate = tuple[int, int, str, str, bool, bool, bool, bool, bool]


def _candidates(lex: _Lexicon, text: str, s: Sentence, actors: Sequence[ActorMention], spans: list[tuple[int, int]]) -> list[_Candidate]:
    """Subject candidates of one sentence: (start, end, name, type, skipped, possessive, emphatic, partner, agent)."""
    items: list[tuple[int, int, str, str, str]] = [(a.start, a.end, a.name, a.actor_type, a.alias) for a in actors if a.end <= s.end]
    s_text = text[s.start:s.end]
    for m in lex.subjects.finditer(s_text):
        name, typ = lex.subject_names[int(m.lastgroup[1:])] if m.lastgroup else ("", "")
        items.append((s.start + m.start(), s.start + m.end(), name, typ, m.group()))
    first_figure = min((fs for fs, _ in spans), default=s.end)
    lead = s_text[:first_figure - s.start]
    if (lex.capital_re is not None and len(lead) > 6 and not any(it[1] <= first_figure for it in items)
            and any(map(lead.__contains__, lex.capital_names))):
        for m in lex.capital_re.finditer(lead):
            items.append((s.start + m.start(), s.start + m.end(), lex.capital_map[m.group("c")], "country", m.group()))
    items.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, str, str, str]] = []
    for c in items:
        if any(c[0] < k[1] and k[0] < c[1] for k in kept):
            continue
        kept.append(c)
    asides = [(s.start + m.start(), s.start + m.end()) for m in _RELATIVE_CLAUSE.finditer(s_text)] if "," in s_text else []
    out: list[_Candidate] = []
    for start, end, name, typ, alias in sorted(kept):
        modifier = typ == "country" and alias != name and bool(_NATIONALITY.match(alias))
        if typ == "person" or (not modifier and any(start < fe and fs < end for fs, fe in spans)):
            continue
        emphatic = bool(_ALONE_AFTER.match(text, end))
        skipped = not emphatic and (bool(_NOT_SUBJECT_BEFORE.search(text[max(s.start, start - 30):start]))
                                    or ("after" in text[max(s.start, start - 12):start]
                                        and bool(_RANKED_AFTER.search(text[max(s.start, start - 70):start])))
                                    or any(a <= start and end <= b for a, b in asides))
        possessive = bool(_POSSESSIVE_AFTER.match(text[end:end + 2]))
        partner = bool(_PARTNER_BEFORE.search(text, max(s.start, start - 60), start))
        skipped = skipped or bool(_ORIGIN_AFTER.match(text, end))
        agent = bool(_AGENT_AFTER.match(text, end))
        out.append((start, end, name, typ, skipped, possessive, emphatic, partner, agent))
    return out


def _pick_subject(
    text: str, f_start: int, f_end: int, cands: list[_Candidate], previous: list[Callable[[], list[_Candidate]]], anaphoric: bool,
    rule: _Rule | None,
) -> str | None:
    types = rule.subject_types if rule else frozenset()

    def ok(c: _Candidate) -> bool:
        return not c[4] and (not types or c[3] in types)

    inside = [c for c in cands if f_start <= c[0] and c[1] <= f_end and ok(c)]
    if inside:
        return inside[0][2]
    emphatic = [c for c in cands if c[6] and c[0] >= f_end and ok(c)]
    if emphatic:
        return emphatic[0][2]
    before = [c for c in cands if c[1] <= f_start and ok(c)]
    before = [c for c in before if not c[7]] or before
    if before:
        agents = [c for c in before if c[8] and not _CLAUSE_CUT.search(text, c[1], f_start)]
        if agents and not before[-1][8]:
            return agents[-1][2]
        return before[-1][2]
    if anaphoric:
        for prev in previous:
            usable = [c for c in prev() if ok(c) and not c[5]]
            if usable:
                return usable[0][2]
    after = [c for c in cands if c[0] >= f_end and ok(c) and not c[7] and not _PURPOSE_GAP.match(text, f_end, c[0])
             and not _SOURCE_AFTER.match(text, c[1])]
    if after:
        return after[0][2]
    return rule.default_subject if rule else None


def _date_kind(text: str, d: TemporalMention, floor: int) -> str | None:
    """'plain', 'cumulative' (since X) or 'comparison' (from X); None when not a period."""
    if not d.value:
        return None
    lead = text[max(floor, d.start - 30):d.start]
    if d.mod in ("AFTER", "ON_OR_AFTER") or _CUMULATIVE_TEXT.match(d.text) or _CUMULATIVE_BEFORE.search(lead):
        return "cumulative"
    if not _PERIOD_VALUE.match(d.value):
        return None
    if d.mod == "BEFORE" or _COMPARISON_TEXT.match(d.text) or _COMPARISON_BEFORE.search(lead):
        return "comparison"
    return "plain"


def _drop_dates(chunk: str, offset: int, dates: Sequence[TemporalMention]) -> str:
    """``chunk`` (starting at ``offset``) with the text of the given dates blanked out."""
    for d in dates:
        lo, hi = d.start - offset, d.end - offset
        if 0 <= lo < hi <= len(chunk):
            chunk = chunk[:lo] + " " * (hi - lo) + chunk[hi:]
    return chunk


def _period_of(d: TemporalMention) -> str | None:
    """A year span ("2024-25", "between 2014 and 2023") as ``2024/2025``; else the TIMEX3 value."""
    if d.value_end and d.value and _YEAR_VALUE.match(d.value) and _YEAR_VALUE.match(d.value_end) and d.value_end > d.value:
        return f"{d.value}/{d.value_end}"
    return d.value


def _fiscal_dates(s_text: str, offset: int, known: list[TemporalMention]) -> list[TemporalMention]:
    """"FY25", "fiscal 2026", "FY2024-25": fiscal years the date tagger may leave out, as year mentions."""
    out = []
    for m in _FISCAL.finditer(s_text):
        a, b = offset + m.start(), offset + m.end()
        if any(d.start < b and a < d.end for d in known):
            continue
        y1 = int(m.group(1)) % 100 + 2000
        y2 = int(m.group(2)) % 100 + 2000 if m.group(2) else None
        end = str(y2) if y2 and y2 > y1 else None
        out.append(TemporalMention(m.group(), a, b, str(y1), "year", "explicit", value_end=end))
    return out


def _starts_sentence(text: str, start: int) -> bool:
    """Whether a date opens its sentence as a framing adverbial ("In 2024, ...")."""
    return bool(_SENTENCE_LEAD.search(text, max(0, start - 40), start))


def _distance(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, b0 - a1, a0 - b1)


@dataclass(slots=True)
class _SentenceInfo:
    sentence: Sentence
    spans: list[tuple[int, int]]
    near_dates: list[TemporalMention]
    starts_paragraph: bool
    cands: list[_Candidate] | None = None
    kinds: list[tuple[str, TemporalMention]] | None = None

    def dates(self, text: str) -> list[tuple[str, TemporalMention]]:
        """The sentence's period-like dates with their kind, read when first needed."""
        if self.kinds is None:
            s = self.sentence
            self.kinds = [(k, d) for d in self.near_dates if d.end <= s.end
                          if (k := _date_kind(text, d, s.start)) is not None]
        return self.kinds


def extract_figures(
    text: str,
    sentences: Sequence[Sentence],
    dates: Sequence[TemporalMention],
    actors: Sequence[ActorMention],
    events: Sequence[EventMention] = (),
) -> list[FigureMention]:
    """Every figure of the given sentences, with metric, subject and period."""
    lex = _lexicon()
    ordered = sorted(sentences, key=lambda s: s.start)
    dates_sorted = sorted(dates, key=lambda d: d.start)
    date_starts = [d.start for d in dates_sorted]
    actors_sorted = sorted(actors, key=lambda a: a.start)
    actor_starts = [a.start for a in actors_sorted]

    def candidates(info: _SentenceInfo) -> list[_Candidate]:
        if info.cands is None:
            s = info.sentence
            inside = actors_sorted[bisect_left(actor_starts, s.start):bisect_left(actor_starts, s.end)]
            info.cands = _candidates(lex, text, s, inside, info.spans)
        return info.cands

    out: list[FigureMention] = []
    history: list[_SentenceInfo] = []
    previous_figs: list[_Raw] = []
    last_raws: list[_Raw] = []
    for s in ordered:
        s_text = text[s.start:s.end]
        new_paragraph = bool(history) and "\n" in text[history[-1].sentence.end:s.start]
        if new_paragraph:
            previous_figs = []
        raws = _scan_sentence(lex, s_text)
        if raws:
            _elliptic_gdp(lex, s_text, raws, [] if new_paragraph else last_raws)
        near_dates = dates_sorted[bisect_left(date_starts, s.start):bisect_left(date_starts, s.end)]
        if "FY" in s_text or "iscal" in s_text:
            near_dates = sorted(near_dates + _fiscal_dates(s_text, s.start, near_dates), key=lambda d: d.start)
        info = _SentenceInfo(s, [(s.start + f.start, s.start + f.end) for f in raws], near_dates,
                             new_paragraph or not history)
        if not raws and last_raws:
            inside = actors_sorted[bisect_left(actor_starts, s.start):bisect_left(actor_starts, s.end)]
            listed = _negated_list(lex, text, s, inside, last_raws)
            if listed is not None:
                raws = [listed]
                info.spans = [(s.start + listed.start, s.start + listed.end)]
                out.append(_mention(text, s, s_text, listed, events))
                history.append(info)
                previous_figs = previous_figs + raws
                last_raws = raws
                continue
        if raws:
            _assign_metrics(lex, raws, s_text, [] if new_paragraph else last_raws)
            raws = [f for f in raws if f.role != "small" or (f.rule is not None and not f.rule.is_default)]
            info.spans = [(s.start + f.start, s.start + f.end) for f in raws]
        if raws:
            back = history[-4:]
            _resolve(text, s, raws, candidates(info), info.dates(text), lex.member_of,
                     [(partial(candidates, h), h.dates(text), h.starts_paragraph) for h in back], new_paragraph)
            out.extend(_mention(text, s, s_text, f, events) for f in raws)
        history.append(info)
        previous_figs = previous_figs + raws
        last_raws = raws
    return out


def _mention(text: str, s: Sentence, s_text: str, f: _Raw, events: Sequence[EventMention]) -> FigureMention:
    a, b = s.start + f.start, s.start + f.end
    event_index = next((i for i, e in enumerate(events) if e.char_start <= a and b <= e.char_end), None)
    period = f.period
    if (period is None and f.unit == "count" and f.noun != "members" and f.metric != "people"
            and not _CUMULATIVE.search(s_text)):
        period = _happening_date(events, a, b)
    return FigureMention(
        metric=f.metric, value=f.value, unit=f.unit, quote=s_text,
        char_start=a, char_end=b, sentence_start=s.start, sentence_end=s.end, text=text[a:b],
        subject=f.subject, period=period, currency=f.currency, qualifier="at least" if f.high is not None else f.qualifier,
        alternates=f.alternates, event_index=event_index,
    )


def _happening_date(events: Sequence[EventMention], a: int, b: int) -> str | None:
    """The date of the one dated happening of a type whose counts it dates (an attack, an
    exercise, a delivery: ``dates_counts`` in event_types.toml) reported in the figure's
    sentence: what a count in it ("287 drones ... overnight on March 7") refers to."""
    dates = {e.date_value for e in events if e.char_start <= a and b <= e.char_end and e.date_value
             and e.event_type in _counting_types()}
    return dates.pop() if len(dates) == 1 else None


@cache
def _counting_types() -> frozenset[str]:
    from .events import lexicon

    return frozenset(name for name, t in lexicon().types.items() if t.dates_counts)


def _negated_list(
    lex: _Lexicon, text: str, s: Sentence, actors: Sequence[ActorMention], previous: list[_Raw]
) -> _Raw | None:
    """"A, B, C and D did not.": the countries a previous count leaves out, as a count of its complement."""
    base = next((f for f in reversed(previous) if f.unit == "count" and f.restates is None and f.rule is not None), None)
    if base is None:
        return None
    countries = [a for a in actors if a.actor_type == "country" and a.end <= s.end]
    best: list[ActorMention] = []
    run: list[ActorMention] = []
    for a in countries:
        if run and _LIST_JOIN.fullmatch(text[run[-1].end:a.start]):
            run.append(a)
        else:
            run = [a]
        if len(run) > len(best):
            best = list(run)
    if len(best) < 3 or not _LIST_LAST_JOIN.fullmatch(text[best[-2].end:best[-1].start]):
        return None
    if len({a.name for a in best}) != len(best) or not _NEGATION_AFTER.match(text, best[-1].end):
        return None
    metric = lex.complements.get(base.metric, f"{base.metric}_not")
    return _Raw(best[0].start - s.start, best[-1].end - s.start, best[0].start - s.start, float(len(best)), "count",
                noun=base.noun, metric=metric, rule=base.rule, subject=base.subject, period=base.period)


def _resolve(
    text: str,
    s: Sentence,
    raws: list[_Raw],
    cands: list[_Candidate],
    s_dates: list[tuple[str, TemporalMention]],
    member_of: dict[str, str],
    history: list[tuple[Callable[[], list[_Candidate]], list[tuple[str, TemporalMention]], bool]],
    starts_new_paragraph: bool,
) -> None:
    """Fill subject and period of one sentence's figures."""
    back: list[tuple[Callable[[], list[_Candidate]], list[tuple[str, TemporalMention]], bool]] = []
    in_paragraph = not starts_new_paragraph
    for prev_c, prev_d, starts_paragraph in reversed(history):
        back.append((prev_c, prev_d, in_paragraph))
        if starts_paragraph:
            in_paragraph = False
    by_id = {id(f): f for f in raws}
    s_text = text[s.start:s.end]
    all_plain = [d for k, d in s_dates if k == "plain"]
    # "EUR 300 million ..., including new barracks, which are to be completed in 2027": a date in a
    # closing relative clause after a figure belongs to that clause (a sentence has at most one).
    rel = _CLOSING_RELATIVE.search(s_text) if all_plain else None
    if rel and any(c.isdigit() for c in _drop_dates(rel.group(), s.start + rel.start(), all_plain)):
        rel = None
    for f in raws:
        if f.restates is not None:
            continue
        a, b = s.start + f.start, s.start + f.end
        pm = _PRONOUN.search(s_text[: f.start])
        anaphoric = bool(pm) and not any(c[0] < s.start + pm.start() for c in cands)
        f.subject = _pick_subject(text, a, b, cands, [c for c, _, _ in back], anaphoric, f.rule)
        if f.rule is not None and f.rule.collective and f.subject is not None:
            f.subject = member_of.get(f.subject, f.subject)
        plain = all_plain
        if rel is not None and rel.start() >= f.end:
            plain = [d for d in all_plain if d.start < s.start + rel.start()]
        if _MULTI_YEAR_AFTER.match(s_text, f.end):
            spans = [d for d in plain if d.value_end]
            f.period = _period_of(min(spans, key=lambda d: _distance(a, b, d.start, d.end))) if spans else None
            continue
        if _BASELINE_FIGURE_BEFORE.search(s_text[max(0, f.start - 25):f.start]):
            later = [d for d in plain if d.start >= b]
            f.period = _period_of(later[0]) if later else None
            continue
        if plain:
            segment = len(_SEGMENT.findall(s_text, 0, f.start))
            same = [d for d in plain if len(_SEGMENT.findall(s_text, 0, d.start - s.start)) == segment]
            f.period = _period_of(min(same or plain, key=lambda d: 0 if _ATTACHED_DATE.fullmatch(text, b, d.start)
                                      else _distance(a, b, d.start, d.end) + 1))
            continue
        if any(k == "cumulative" for k, _ in s_dates):
            continue
        if f.inherited is not None and f.inherited.period is not None:
            f.period = f.inherited.period
            continue
        for prev_c, prev_d, same_paragraph in back:
            if not same_paragraph and not anaphoric:
                break
            prev_plain = [d for k, d in prev_d if k == "plain" and _YEAR_VALUE.match(d.value or "")]
            if prev_plain:
                framing = any(_FRAMING_AFTER.match(text, d.end) and _starts_sentence(text, d.start) for d in prev_plain)
                if framing or f.subject is None or any(c[2] == f.subject for c in prev_c()):
                    f.period = _period_of(prev_plain[-1])
                break
    for f in raws:
        if f.restates is not None and f.partitive_of is not None:
            base = by_id[f.partitive_of]
            f.subject, f.period = base.subject, base.period




@lru_cache(maxsize=4096)
def _half_widths(text: str) -> tuple[float, ...]:
    """Half of the place value of the last significant digit, per number written in ``text``."""
    lex = _lexicon()
    out: list[float] = []
    for m in _tokens(lex, text):
        if m.group("frac"):
            out.append(5.0)
            continue
        if m.group("word"):
            place = 1.0
        else:
            digits = m.group("num").replace(",", "")
            if "." in digits:
                place = 10.0 ** -len(digits.split(".")[1])
            else:
                stripped = digits.rstrip("0")
                place = 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0
        scale = 1.0
        glued = m.group("glued")
        if glued:
            scale = lex.scales[glued.lower()]
        else:
            sm = lex.scale.match(text, m.end())
            if sm:
                scale = lex.scales[sm.group("s").lower()]
        out.append(place * scale / 2)
    return tuple(out)


def _interval(value: float, half: float, qualifier: str | None) -> tuple[float, float, bool]:
    """(low, high, high_is_closed) of the values the wording allows."""
    unit = 2 * half
    x = abs(value)
    if qualifier == "around":
        w = max(half, 0.05 * x)
        return value - w, value + w, True
    if qualifier == "nearly":
        return value - max(half, 0.1 * x), value, True
    if qualifier in ("over", "more than"):
        return value, value + max(unit, 0.1 * x), True
    if qualifier == "at least":
        return value, math.inf, True
    if qualifier == "up to":
        return min(0.0, value), value, True
    return value - half, value + half, half == 0


@lru_cache(maxsize=4096)
def _range_high(text: str) -> float | None:
    """The upper bound of a range figure's text ("between 25 and 30 billion" -> 30e9)."""
    return next((r.high for r in _scan_sentence(_lexicon(), text) if r.high is not None), None)


def _intervals_by_currency(f: FigureMention) -> dict[str | None, tuple[float, float, bool]]:
    halves = _half_widths(f.text)
    main_half = halves[0] if halves else 0.0
    high = _range_high(f.text) if f.qualifier == "at least" else None
    if high is not None and high > f.value:
        out = {f.currency: (f.value, high, True)}
    else:
        out = {f.currency: _interval(f.value, main_half, f.qualifier)}
    for i, (value, currency) in enumerate(f.alternates, start=1):
        half = halves[i] if i < len(halves) else main_half * abs(value) / abs(f.value) if f.value else 0.0
        out.setdefault(currency, _interval(value, half, f.qualifier))
    return out


@dataclass(slots=True)
class _Bounds:
    """The intersection of one currency's intervals so far."""

    count: int = 0
    low: float = -math.inf
    high: float = math.inf
    high_closed: bool = True
    first: Any = None
    """The earliest order of a figure stated in this currency."""


class Agreement:
    """``claims_consistent`` folded one figure at a time, in constant space
    per currency: a claim's figures need not be kept to judge them.

    ``order`` says which figure came first (its reference, its position):
    the common currency is that of the first figure stated in one."""

    __slots__ = ("n", "units", "bounds", "max_abs")

    def __init__(self) -> None:
        self.n = 0
        self.units: set[str] = set()
        self.bounds: dict[str | None, _Bounds] = {}
        self.max_abs = 0.0

    def add(self, f: FigureMention, order: Any) -> None:
        self.n += 1
        self.units.add(f.unit)
        self.max_abs = max(self.max_abs, abs(f.value))
        for currency, (low, high, closed) in _intervals_by_currency(f).items():
            b = self.bounds.get(currency)
            if b is None:
                b = self.bounds[currency] = _Bounds()
            b.count += 1
            b.low = max(b.low, low)
            if high < b.high:
                b.high, b.high_closed = high, closed
            elif high == b.high:
                b.high_closed = b.high_closed and closed
            if currency == f.currency and (b.first is None or order < b.first):
                b.first = order

    @property
    def consistent(self) -> bool:
        """Whether one value lies within what every figure's wording allows."""
        if not self.n:
            return True
        if len(self.units) > 1:
            return False
        shared = {c: b for c, b in self.bounds.items() if b.count == self.n}
        if not shared:
            return False
        stated = [c for c, b in shared.items() if b.first is not None]
        if stated:
            b = shared[min(stated, key=lambda c: shared[c].first)]
        else:
            b = shared[sorted(shared, key=str)[0]]
        eps = 1e-9 * (self.max_abs or 1.0)
        return b.low <= b.high + eps if b.high_closed else b.low < b.high - eps


def claims_consistent(figs: Sequence[FigureMention]) -> bool:
    """Whether one value lies within what every figure's wording allows."""
    agreement = Agreement()
    for i, f in enumerate(figs):
        agreement.add(f, i)
    return agreement.consistent


def values_agree(a: FigureMention, b: FigureMention) -> bool:
    """Whether two reports of one claim agree within what their qualifiers allow."""
    return claims_consistent((a, b))


def claim_key(f: FigureMention, uri: str) -> tuple:
    """What makes two figures reports of the same claim: metric, subject, period, unit, currency.
    A figure with neither subject nor period is tied to no other source's ("about 900 soldiers"
    and "more than 10,000 soldiers" of two articles need not be one claim), so its source is
    part of its key."""
    key = (f.metric, f.subject, f.period, f.unit, f.currency if f.unit == "money" else None)
    return key if f.subject is not None or f.period is not None else (*key, uri)
