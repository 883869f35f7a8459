"""Throughput of natotimeline.temporal.tag_dates against dateparser's search_dates.

Tags the same corpus (the seed articles plus generated news-like documents)
with both, prints documents/second for each and the ratio, and the import
time of ``natotimeline.temporal`` measured in a fresh interpreter.

    python benchmarks/bench_dates.py [--docs 300] [--dateparser-docs 60]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "Defence ministers will meet in Brussels on {wd} to discuss spending.",
    "The alliance said on {md} that spending rose {pct}% in {y}.",
    "Allies invested ${money} billion in defence in {y}, up from {y0}.",
    "The summit is scheduled for {dmy} in The Hague.",
    "Officials met last week and agreed in {mon} to raise targets by {y2}.",
    "Since {y0}, European allies have added more than USD {money} billion.",
    "The report, released {wd}, showed {n} allies met the 2% target.",
    "Exercises ran from {y0} to {y}, involving {count} troops.",
    "Growth is expected in Q{q} {y2}, officials said yesterday.",
    "In recent years, spending has recently grown, the 10th consecutive year of increases.",
    "Leaders will gather June {d}-{d2} ahead of the vote.",
    "Article 5 was invoked once, and F-16s were delivered in early {y}.",
    "The minister told reporters a year ago that the plan would end in mid-{y2}.",
    "Production doubled between {mon} and December, according to figures published {iso}.",
]


def _sentence(rng: random.Random, anchor: date) -> str:
    d = anchor - timedelta(days=rng.randint(0, 400))
    return rng.choice(TEMPLATES).format(
        wd=rng.choice(WEEKDAYS), md=f"{MONTHS[d.month - 1]} {d.day}", pct=rng.randint(1, 40),
        y=d.year, y0=d.year - rng.randint(1, 10), y2=d.year + rng.randint(0, 5), money=rng.randint(10, 900),
        dmy=f"{d.day} {MONTHS[d.month - 1]} {d.year}", mon=MONTHS[d.month - 1], n=rng.randint(2, 32),
        count=f"{rng.randint(1, 99)},000", q=rng.randint(1, 4), d=min(d.day, 27), d2=min(d.day, 27) + 1, iso=d.isoformat(),
    )


def corpus(n_docs: int) -> list[tuple[str, date]]:
    rng = random.Random(7)
    seeds = [(p.read_text(encoding="utf-8"), date(2025, 4, 24)) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    docs = list(seeds)
    while len(docs) < n_docs:
        anchor = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
        body = " ".join(_sentence(rng, anchor) for _ in range(rng.randint(35, 55)))
        docs.append((body, anchor))
    return docs


def _rate(fn, docs: list[tuple[str, date]]) -> float:
    start = time.perf_counter()
    for text, anchor in docs:
        fn(text, anchor)
    return len(docs) / (time.perf_counter() - start)


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import natotimeline.temporal; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(3)]
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--dateparser-docs", type=int, default=60, help="dateparser is slow: time it on the first N documents")
    args = ap.parse_args()

    imp = import_time()
    from dateparser.search import search_dates

    from natotimeline.temporal import tag_dates

    docs = corpus(args.docs)
    size = sum(len(t) for t, _ in docs) / len(docs)

    def ours(text: str, anchor: date) -> object:
        return tag_dates(text, anchor)

    def theirs(text: str, anchor: date) -> object:
        base = datetime(anchor.year, anchor.month, anchor.day)
        return search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base})

    theirs(docs[0][0], docs[0][1])
    ours(docs[0][0], docs[0][1])
    r_ours = _rate(ours, docs)
    r_theirs = _rate(theirs, docs[: args.dateparser_docs])
    print(f"corpus: {len(docs)} documents, mean {size:.0f} chars")
    print(f"tag_dates:    {r_ours:10.1f} docs/s")
    print(f"search_dates: {r_theirs:10.1f} docs/s (first {min(args.dateparser_docs, len(docs))} documents, languages=['en'])")
    print(f"ratio:        {r_ours / r_theirs:10.1f}x (target >= 10x)")
    print(f"import natotimeline.temporal: {imp * 1000:.0f} ms (target < 500 ms)")


if __name__ == "__main__":
    main()
