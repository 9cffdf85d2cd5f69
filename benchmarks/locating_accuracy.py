"""Accuracy and speed of the locating detectors (``scheduled_appearance``, ``employer``) alone.

Usage: python benchmarks/locating_accuracy.py [--labels PATH] [--eml DIR] [--errors] [--mb 4]

Prints, per category, on the labeled corpus (default ``tests/data/spi-dev``):

* document level: a document is predicted positive when any finding of the category is
  raised; precision, recall and F1 against the ``categories`` label;
* span level: recall = gold spans overlapped by a finding of the category; precision =
  findings that overlap a gold span of the category (and exact-boundary matches);
* the same document-level figures on the ``.eml`` messages, decoded with the standard library;
* throughput of a scanner holding only these detectors, on ``--mb`` MB of the synthetic
  benchmark corpus mixed with the dev texts.

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

from corpus_gen import documents  # noqa: E402
from resguardo.detect import (  # noqa: E402
    Finding,
    Scanner,
    locating,
)

CATS = ("scheduled_appearance", "employer")
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


def throughput(scanner: Scanner, mb: float, labels: Path) -> None:
    """MB/s of the locating detectors alone (prefilter pass included) on one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    dev = [json.loads(x)["text"] for x in labels.read_text(encoding="utf-8").splitlines() if x]
    docs = list(documents(int(mb * 1_000_000 * 0.8)))
    while sum(len(d) for d in dev) < mb * 200_000:
        dev = dev + dev
    docs.extend(dev)
    total = sum(len(d.encode("utf-8")) for d in docs)
    scanner.scan(docs[0])
    findings: list[Finding] = []
    t0 = time.process_time()
    for d in docs:
        findings.extend(scanner.scan(d))
    dt = time.process_time() - t0
    big = "\n\n".join(docs[:400])
    t1 = time.process_time()
    scanner.scan(big)
    dt_big = time.process_time() - t1
    print(
        f"\nthroughput ({scanner.patterns.backend}): {total / 1e6:.1f} MB in {len(docs)} "
        f"documents, {total / 1e6 / dt:.1f} MB/s of CPU time, {len(findings)} findings; "
        f"one {len(big) / 1e6:.2f} MB text: {len(big) / 1e6 / dt_big:.1f} MB/s"
    )


def main() -> None:
    """Run the evaluations and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--labels", type=Path, default=DEV / "labels.jsonl")
    ap.add_argument("--eml", type=Path, default=DEV / "eml")
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    ap.add_argument("--mb", type=float, default=4.0, help="throughput corpus size (0: skip)")
    args = ap.parse_args()
    scanner = Scanner(locating.detectors())
    evaluate_labels(scanner, args.labels, args.errors)
    if args.eml.is_dir():
        evaluate_eml(scanner, args.eml, args.errors)
    if args.mb > 0:
        throughput(scanner, args.mb, args.labels)


if __name__ == "__main__":
    main()
