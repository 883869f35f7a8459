"""Peak memory and time of reconciliation alone, for growing corpora.

Reconciling is the stage whose memory still grows with the corpus (README,
Known limits), and inside ``natotimeline run`` it is hidden behind the
load's peak until corpora are large. This extracts the benchmark corpus of
``bench_run.py`` (the same generated articles) once, into a file of packed
extractions in the work directory, then reconciles the first N of them in a
fresh process per size, pinned to one core, as a run's reconcile child does
(``reconcile.Reconciler`` fed one extraction at a time, the events written
to a file, then the links the rows are spooled with), and prints its peak
RSS, its RSS once every extraction was added, the seconds it took, the
growth of the peak per 1000 documents since the size before, and a digest
of the events (keys and mentions) to compare versions by.

    python benchmarks/bench_reconcile.py [--sizes 4000,16000,64000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from multiprocessing import Pool
from pathlib import Path

from bench_run import make_article, seed_paragraphs

from natotimeline.corpus import read_record, write_record
from natotimeline.extract import extract_document
from natotimeline.serialise import pack, unpack


def _extract(item: tuple[int, str]) -> bytes:
    i, text = item
    return pack(extract_document(f"file:///bench/article_{i:06d}.txt", text))


def _articles(n: int, seed: int = 7) -> Iterator[tuple[int, str]]:
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    for i in range(n):
        yield i, make_article(i, paragraphs, rng)


def write_extractions(path: Path, n: int) -> None:
    """The packed extractions of ``n`` generated articles, as records (``corpus.write_record``)."""
    partial = path.with_suffix(".partial")
    with Pool(len(os.sched_getaffinity(0))) as pool, partial.open("wb") as out:
        for blob in pool.imap(_extract, _articles(n), chunksize=64):
            write_record(out, blob)
    partial.rename(path)


def _blobs(path: Path, n: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        for _ in range(n):
            yield read_record(f)


def _rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def reconcile_child(path: Path, n: int) -> None:
    """Reconcile the first ``n`` extractions of ``path``; print peak MiB, MiB once added, seconds, events, digest."""
    from natotimeline.reconcile import Reconciler
    from natotimeline.rows import Links

    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    start = time.perf_counter()
    reconciler = Reconciler()
    for blob in _blobs(path, n):
        reconciler.add(unpack(blob))
    added = _rss_mib()
    gc.freeze()
    with tempfile.TemporaryDirectory(prefix="natotimeline-bench-") as tmp:
        reconciled = reconciler.result(Path(tmp) / "events")
        del reconciler
        Links.of(reconciled)
        digest = hashlib.sha256()
        for event in reconciled.events:
            digest.update(repr((event.key, event.mentions)).encode())
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(peak, added, seconds, len(reconciled.events), digest.hexdigest()[:16])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="4000,16000")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        reconcile_child(Path(args.child[0]), int(args.child[1]))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="natotimeline-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    extractions = workdir / f"extractions_{sizes[-1]}.bin"
    if not extractions.exists():
        started = time.perf_counter()
        write_extractions(extractions, sizes[-1])
        print(f"extracted {sizes[-1]} documents in {time.perf_counter() - started:.0f} s into {extractions}")
    print(f"{'docs':>7} {'peak MiB':>9} {'added MiB':>9} {'seconds':>8} {'MiB/1000':>9} {'events':>8}  digest")
    before: tuple[int, float] | None = None
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(extractions), str(n)],
            capture_output=True, text=True, check=True,
        ).stdout.split()
        peak, added, seconds = (float(v) for v in out[:3])
        slope = f"{(peak - before[1]) / (n - before[0]) * 1000:.2f}" if before else "-"
        print(f"{n:>7} {peak:>9.1f} {added:>9.1f} {seconds:>8.1f} {slope:>9} {out[3]:>8}  {out[4]}")
        before = (n, peak)


if __name__ == "__main__":
    main()
