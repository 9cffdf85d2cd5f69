"""Accuracy and speed of the locating detectors (``scheduled_appearance``, ``employer``) alone.

Usage: python benchmarks/locating_accuracy.py [--labels PATH] [--eml DIR] [--errors] [--mb 10]
       [--reps 5]

Prints, per category, on the labeled corpus (default ``tests/data/spi-dev``):

* document level: a document is predicted positive when any finding of the category is
  raised; precision, recall and F1 against the ``categories`` label;
* span level: recall = gold spans overlapped by a finding of the category; precision =
  findings that overlap a gold span of the category (and exact-boundary matches);
* the same document-level figures on the ``.eml`` messages, decoded with the standard library;
* throughput of a scanner holding only these detectors, in CPU time on one core, on ``--mb``
  MB of the ``scan_throughput`` corpus (where the 15 ms/MB budget is defined), with the cost
  of the prefilter pass and scanner alone for comparison; then on dev texts (all records)
  and on one long text.

``--errors`` lists every document-level miss and false alarm, and the span misses.
Asserts nothing: the figures belong in notes.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import html
import json
import os
import re
import sys
import time
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from collections.abc import Iterable, Sequence  # noqa: E402

from corpus_gen import documents  # noqa: E402
from resguardo.detect import (  # noqa: E402
    Finding,
    Scanner,
    locating,
)
from resguardo.detect.base import Detector  # noqa: E402
from resguardo.detect.context import ScanContext  # noqa: E402
from resguardo.detect.patterns import PatternSpec  # noqa: E402

CATS = ("scheduled_appearance", "employer")
# The family's share of a scan, prefilter pass included: 65 MB/s on one core.
_BUDGET_MS_PER_MB = 15.0
DEV = HERE.parent / "tests" / "data" / "spi-dev"


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _eml_text(path: Path) -> str:
    """Text of a message: plain parts, HTML parts reduced to text, CSV attachments."""
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    parts: list[str] = [f"Subject: {msg['subject']}"]
    plain_seen = False
    for part in msg.walk():
        ctype = part.get_content_type()
        if part.is_multipart():
            continue
        if not isinstance(part, EmailMessage):
            continue
        if ctype == "text/plain" or ctype == "text/csv":
            parts.append(str(part.get_content()))
            plain_seen = plain_seen or ctype == "text/plain"
        elif ctype == "text/html" and not plain_seen:
            raw = str(part.get_content())
            raw = re.sub(r"<(?:br|/p|/tr|/div|/li)[^>]*>", "\n", raw, flags=re.I)
            raw = re.sub(r"</t[dh]>", " | ", raw, flags=re.I)
            parts.append(html.unescape(re.sub(r"<[^>]+>", "", raw)))
    return "\n\n".join(parts)


def evaluate_labels(scanner: Scanner, labels: Path, show_errors: bool) -> None:
    """Document- and span-level figures on a labels.jsonl corpus."""
    docs = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line]
    doc_counts = {c: [0, 0, 0] for c in CATS}
    span_hit = {c: [0, 0] for c in CATS}  # gold spans overlapped, gold spans
    pred_ok = {c: [0, 0, 0] for c in CATS}  # findings overlapping gold, exact, findings
    errors: list[str] = []
    for d in docs:
        found = scanner.scan(d["text"])
        gold_spans = [s for s in d["spans"] if s["category"] in CATS]
        for c in CATS:
            fs = [f for f in found if f.category == c]
            gs = [s for s in gold_spans if s["category"] == c]
            g, p = c in d["categories"], bool(fs)
            doc_counts[c][0] += g and p
            doc_counts[c][1] += p and not g
            doc_counts[c][2] += g and not p
            if show_errors and g != p:
                what = "MISS" if g else "FALSE ALARM"
                shown = [f.text for f in fs] or [s["text"] for s in gs]
                errors.append(f"  {what:11} {c:21} {d['id']}: {shown}")
            for s in gs:
                span_hit[c][1] += 1
                if any(f.start < s["end"] and s["start"] < f.end for f in fs):
                    span_hit[c][0] += 1
                elif show_errors and p:
                    errors.append(f"  span miss   {c:21} {d['id']}: {s['text']!r}")
            for f in fs:
                pred_ok[c][2] += 1
                if any(f.start < s["end"] and s["start"] < f.end for s in gs):
                    pred_ok[c][0] += 1
                    pred_ok[c][1] += any(f.start == s["start"] and f.end == s["end"] for s in gs)
                elif show_errors:
                    errors.append(f"  span extra  {c:21} {d['id']}: {f.text!r} {f.evidence}")
    print(f"corpus: {labels} ({len(docs)} documents)")
    print(
        f"{'category':22} {'doc P':>6} {'doc R':>6} {'doc F1':>6}   {'span R':>13} "
        f"{'span P':>13} {'exact':>6}"
    )
    for c in CATS:
        prec, rec, f1 = _prf(*doc_counts[c])
        hit, tot = span_hit[c]
        ok, exact, n = pred_ok[c]
        print(
            f"{c:22} {prec:6.3f} {rec:6.3f} {f1:6.3f}   {hit:3}/{tot:3} {hit / max(tot, 1):5.3f} "
            f"{ok:3}/{n:3} {ok / max(n, 1):5.3f} {exact:6}"
        )
    if errors:
        print("\n".join(errors))


def evaluate_eml(scanner: Scanner, eml_dir: Path, show_errors: bool) -> None:
    """Document-level figures on the .eml messages."""
    labels_path = eml_dir.parent / "eml-labels.jsonl"
    if not labels_path.exists():
        return
    rows = [json.loads(x) for x in labels_path.read_text(encoding="utf-8").splitlines() if x]
    counts = {c: [0, 0, 0] for c in CATS}
    for row in rows:
        found = scanner.scan(_eml_text(eml_dir / row["file"]))
        for c in CATS:
            g, p = c in row["categories"], any(f.category == c for f in found)
            counts[c][0] += g and p
            counts[c][1] += p and not g
            counts[c][2] += g and not p
            if show_errors and g != p:
                print(f"  eml {'MISS' if g else 'FALSE ALARM'} {c} {row['file']}")
    print(f"\nmessages: {eml_dir} ({len(rows)})")
    for c in CATS:
        prec, rec, f1 = _prf(*counts[c])
        print(f"{c:22} {prec:6.3f} {rec:6.3f} {f1:6.3f}")


class _Silent:
    """A detector with another's patterns and no findings: the cost of the prefilter pass
    and the scanner around the detectors, without the detectors' own work."""

    def __init__(self, detector: Detector) -> None:
        self.inner = detector
        self.id = detector.id
        self.categories = detector.categories

    def patterns(self) -> Sequence[PatternSpec]:
        return self.inner.patterns()

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        return ()


def _ms_per_mb(scanner: Scanner, docs: list[str], total_mb: float, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        t0 = time.process_time()
        for d in docs:
            scanner.scan(d)
        best = min(best, time.process_time() - t0)
    return best / total_mb * 1e3


def throughput(scanner: Scanner, mb: float, labels: Path, reps: int) -> None:
    """CPU time of the locating detectors alone (prefilter pass included), on one core.

    The budget (15 ms per MB, i.e. 65 MB/s) is defined on the ``scan_throughput`` corpus:
    ``corpus_gen.documents`` with ``record_share=0.05``. Timings are the best of ``reps``
    runs in CPU time, so that other processes on the machine disturb them less.
    """
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    docs = list(documents(int(mb * 1_000_000), record_share=0.05))
    total = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    floor = Scanner([_Silent(d) for d in scanner.detectors])
    scanner.scan(docs[0])
    floor.scan(docs[0])
    ms = _ms_per_mb(scanner, docs, total, reps)
    ms_floor = _ms_per_mb(floor, docs, total, reps)
    findings = sum(len(scanner.scan(d)) for d in docs)
    verdict = "within" if ms <= _BUDGET_MS_PER_MB else "OVER"
    print(
        f"\nthroughput ({scanner.patterns.backend}, scan_throughput corpus, record_share 0.05): "
        f"{total:.1f} MB in {len(docs)} documents, {findings} findings\n"
        f"  locating scanner: {ms:6.2f} ms/MB = {1e3 / ms:6.1f} MB/s "
        f"({verdict} the {_BUDGET_MS_PER_MB:.0f} ms/MB budget)\n"
        f"  of which prefilter pass and scanner (detectors silenced): {ms_floor:6.2f} ms/MB"
    )
    dev = [json.loads(x)["text"] for x in labels.read_text(encoding="utf-8").splitlines() if x]
    while sum(len(d) for d in dev) < mb * 200_000:
        dev = dev + dev
    dev_mb = sum(len(d.encode("utf-8")) for d in dev) / 1e6
    ms_dev = _ms_per_mb(scanner, dev, dev_mb, reps)
    big = "\n\n".join(docs[:400])
    ms_big = _ms_per_mb(scanner, [big], len(big.encode("utf-8")) / 1e6, reps)
    print(
        f"  dev texts (every one a record): {ms_dev:6.2f} ms/MB = {1e3 / ms_dev:6.1f} MB/s; "
        f"one {len(big) / 1e6:.2f} MB text: {ms_big:6.2f} ms/MB = {1e3 / ms_big:6.1f} MB/s"
    )


def main() -> None:
    """Run the evaluations and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--labels", type=Path, default=DEV / "labels.jsonl")
    ap.add_argument("--eml", type=Path, default=DEV / "eml")
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    ap.add_argument("--mb", type=float, default=10.0, help="throughput corpus size (0: skip)")
    ap.add_argument("--reps", type=int, default=5, help="timed runs; the best one counts")
    args = ap.parse_args()
    scanner = Scanner(locating.detectors())
    evaluate_labels(scanner, args.labels, args.errors)
    if args.eml.is_dir():
        evaluate_eml(scanner, args.eml, args.errors)
    if args.mb > 0:
        throughput(scanner, args.mb, args.labels, args.reps)


if __name__ == "__main__":
    main()
