"""Scanner throughput on one core: MB/s and documents/s over ≥ 50 MB of agency-like text.

Usage: python benchmarks/scan_throughput.py [--mb 50]

Prints the figures; asserts nothing (timings belong in notes, not tests).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import documents
from resguardo.detect import Scanner
from resguardo.detect.patterns import HAVE_HYPERSCAN


def main() -> None:
    """Build the corpus in memory, scan it once, print MB/s, docs/s and peak RSS."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size in MB (default 50)")
    ap.add_argument(
        "--record-share",
        type=float,
        default=0.05,
        help="share of paragraphs that are SPI-dense records (default 0.05; 1.0 = all records)",
    )
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, honestly
    t0 = time.perf_counter()
    docs = list(documents(int(args.mb * 1_000_000), record_share=args.record_share))
    total = sum(len(d.encode("utf-8")) for d in docs)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    scanner = Scanner.default()
    setup = time.perf_counter() - t0
    scanner.scan(docs[0])  # warm caches
    findings = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        findings += len(scanner.scan(d))
    wall, dt = time.perf_counter() - t0, time.process_time() - c0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"backend:        {'hyperscan' if HAVE_HYPERSCAN else 're'}")
    print(f"corpus:         {total / 1e6:.1f} MB in {len(docs)} documents (built in {build:.1f} s)")
    print(f"scanner setup:  {setup:.2f} s")
    print(f"scan time:      {dt:.2f} s CPU on one core ({wall:.2f} s wall)")
    print(f"throughput:     {total / 1e6 / dt:.1f} MB/s, {len(docs) / dt:.0f} documents/s (CPU)")
    print(f"findings:       {findings} ({findings / (total / 1e6):.0f} per MB)")
    print(f"peak RSS:       {rss_mb:.0f} MB (includes the in-memory corpus)")


if __name__ == "__main__":
    main()
