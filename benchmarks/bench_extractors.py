"""Time per seed document of the extractors, alone and together.

Prints the best of several repeats, in milliseconds per document, for
finding actors, finding figures (with the dates tagged beforehand) and the
whole of ``extract_document``. These were timed tests once; timings belong
here, where a busy machine makes a slow figure, not a failed build.

    python benchmarks/bench_extractors.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from natotimeline.actors import ActorCatalog, find_actors
from natotimeline.cleaning import clean_text
from natotimeline.extract import extract_document
from natotimeline.figures import extract_figures
from natotimeline.sentences import split_sentences
from natotimeline.temporal import tag_dates

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def best_ms_per_doc(work: Callable[[], None], docs: int, repeats: int, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(rounds):
            work()
        best = min(best, (time.perf_counter() - start) / (rounds * docs))
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    catalog = ActorCatalog.default()
    prepared = [(t, split_sentences(t, clean_text(t).kept)) for _, t in texts]
    dated = [(t, s, tag_dates(t, date(2025, 4, 24))) for t, s in prepared]
    stages = {
        "actors": lambda: [find_actors(t, s, catalog) for t, s in prepared],
        "figures": lambda: [extract_figures(t, s, d, []) for t, s, d in dated],
        "extract_document": lambda: [extract_document(name, t, catalog) for name, t in texts],
    }
    print(f"{len(texts)} seed documents, best of {args.repeats}")
    for name, work in stages.items():
        work()
        print(f"  {name:<18} {best_ms_per_doc(work, len(texts), args.repeats):7.2f} ms per document")


if __name__ == "__main__":
    main()
