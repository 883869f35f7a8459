"""End-to-end benchmark of `natotimeline run` into DuckDB.

Generates corpora by recombining the seed articles' paragraphs while varying
names, dates and numbers, then runs the real CLI in a subprocess and prints:
documents per second for the first run, the time of a second run with
nothing changed, the time of a third run after 1% of the files changed (the
scheduled job's usual case), and the peak memory (max RSS) of each run, for
growing corpus sizes so that memory growth is visible.

    python benchmarks/bench_run.py [--sizes 500,1000,2000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTHS = "January February March April May June July August September October November December".split()
SURNAMES = ["Lindqvist", "Okafor", "Moreau", "Kowalski", "Brennan", "Haddad", "Novak", "Varga", "Ortega", "Jensen"]
FIRST = ["Anna", "Piotr", "Claire", "Tomas", "Ines", "Jonas", "Maria", "Erik", "Sofia", "Luca"]
TITLES = ["Defence Minister", "Foreign Minister", "General", "Chancellor", "Prime Minister"]
CAPITALS = ["Brussels", "Vilnius", "Warsaw", "Oslo", "Madrid", "Ottawa", "Rome", "Berlin", "Riga", "Tallinn"]


def seed_paragraphs() -> list[str]:
    paragraphs: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            para = para.strip()
            if len(para) > 60 and para.count(".") >= 1:
                paragraphs.append(para)
    return paragraphs


def vary(paragraph: str, rng: random.Random) -> str:
    text = re.sub(r"\b(19|20)\d\d\b", lambda m: str(rng.randint(2012, 2027)), paragraph)
    text = re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda m: rng.choice(MONTHS), text)
    text = re.sub(
        r"(?<![\d.])(\d{1,3})(?=(\.\d+)?(%| per cent| billion| trillion| allies| troops))",
        lambda m: str(max(1, int(int(m.group(1)) * rng.uniform(0.7, 1.3)))),
        text,
    )
    surname = rng.choice(SURNAMES)
    text = re.sub(r"\bRutte\b", surname, text)
    text = re.sub(r"\bMark\b", rng.choice(FIRST), text)
    text = re.sub(r"\bBrussels\b", rng.choice(CAPITALS), text)
    return text


def make_article(i: int, paragraphs: list[str], rng: random.Random) -> str:
    day = f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    chosen = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(8, 14)))
    who = f"{rng.choice(TITLES)} {rng.choice(FIRST)} {rng.choice(SURNAMES)}"
    lead = f"{who} said on {rng.randint(1, 28)} {rng.choice(MONTHS)} that spending rose by {rng.randint(2, 30)}% in {day[:4]}."
    body = "\n\n".join(vary(p, rng) for p in chosen)
    return f"Article {i}: allies debate defence budgets\n\ndate {day} {lead}\n\n{body}\n"


def make_corpus(folder: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        text = make_article(i, paragraphs, rng)
        (folder / f"article_{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def touch_some(folder: Path, k: int, seed: int = 11) -> int:
    """Append a dated sentence to ``k`` files, as new reporting would; returns k."""
    rng = random.Random(seed)
    for path in rng.sample(sorted(folder.glob("*.txt")), k):
        extra = f"\n\nOn {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2026)} ministers met in {rng.choice(CAPITALS)}.\n"
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return k


def timed_run(folder: Path, db: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS in MiB of the child, and the summary line."""
    cli = shutil.which("natotimeline", path=str(Path(sys.executable).parent)) or "natotimeline"
    code = (
        "import os, resource, subprocess, sys, time;"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
        "t = time.perf_counter();"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "d = time.perf_counter() - t;"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "print(d, r / 1024, p.returncode, p.stdout.splitlines()[0] if p.stdout else p.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, cli, "run", str(folder), "--database", f"duckdb:///{db}", "-q"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    seconds, rss, returncode, summary = out.split(" ", 3)
    if returncode != "0":
        raise SystemExit(f"natotimeline run failed ({returncode}): {summary}")
    return float(seconds), float(rss), summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,1000,2000")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="natotimeline-bench-"))
    print(f"workdir {workdir}; each run pinned to one core")
    print(
        f"{'docs':>6} {'MB':>6} {'first s':>8} {'docs/s':>8} {'rerun s':>8} {'rerun/first':>11}"
        f" {'1% s':>6} {'peak MiB':>9} {'rerun MiB':>9} {'1% MiB':>7}"
    )
    for n in sizes:
        folder = workdir / f"corpus_{n}"
        db = workdir / f"bench_{n}.duckdb"
        db.unlink(missing_ok=True)
        chars = make_corpus(folder, n)
        first, rss1, _ = timed_run(folder, db)
        second, rss2, summary = timed_run(folder, db)
        if f"{n} unchanged" not in summary:
            raise SystemExit(f"second run was not a no-op: {summary}")
        touched = touch_some(folder, max(1, n // 100))
        third, rss3, summary = timed_run(folder, db)
        if f"{touched} changed" not in summary:
            raise SystemExit(f"third run did not see {touched} changed files: {summary}")
        print(
            f"{n:>6} {chars / 1e6:>6.1f} {first:>8.2f} {n / first:>8.1f} {second:>8.2f}"
            f" {second / first:>11.3f} {third:>6.2f} {rss1:>9.0f} {rss2:>9.0f} {rss3:>7.0f}"
        )


if __name__ == "__main__":
    main()
