"""Accuracy (and optionally speed) of the identifier detectors on a labeled corpus.

Usage::

    .venv/bin/python benchmarks/identifier_accuracy.py [labels.jsonl] [--show] [--mb 4]

Prints, per identifier category: span recall (a labeled span counts as found when a finding of
its category overlaps it), span precision (findings overlapping a labeled span of their
category) and document-level precision, recall and F1 (is the category predicted in the
document / labeled in it). ``--show`` lists every miss and every false finding with context;
``--mb N`` also times the detectors alone on the corpus texts repeated to N MB.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from resguardo.detect import identifiers
from resguardo.detect.finding import Finding
from resguardo.detect.scanner import Scanner

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "data" / "spi-dev" / "labels.jsonl"
CATEGORIES = (
    "ssn",
    "itin",
    "a_number",
    "uscis_receipt",
    "drivers_license",
    "license_plate",
    "vin",
    "date_of_birth",
    "phone_number",
    "street_address",
)


def _ctx(text: str, s: int, e: int) -> str:
    return (text[max(0, s - 40) : s] + "[[" + text[s:e] + "]]" + text[e : e + 25]).replace(
        "\n", "⏎"
    )


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(docs: list[dict[str, Any]], scanner: Scanner, show: bool) -> bool:
    """Print the accuracy table; return whether every category meets the targets."""
    span_total: Counter[str] = Counter()
    span_found: Counter[str] = Counter()
    pred_total: Counter[str] = Counter()
    pred_true: Counter[str] = Counter()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc in docs:
        text = doc["text"]
        findings: list[Finding] = scanner.scan(text)
        gold = [s for s in doc["spans"] if s["category"] in CATEGORIES]
        for sp in gold:
            cat = sp["category"]
            span_total[cat] += 1
            hit = any(
                f.category == cat and f.start < sp["end"] and sp["start"] < f.end for f in findings
            )
            span_found[cat] += hit
            if not hit and show:
                print(f"MISS {doc['id']:9} {cat:16} {_ctx(text, sp['start'], sp['end'])}")
        findings = [f for f in findings if f.category in CATEGORIES]
        for f in findings:
            pred_total[f.category] += 1
            ok = any(
                f.category == sp["category"] and f.start < sp["end"] and sp["start"] < f.end
                for sp in gold
            )
            pred_true[f.category] += ok
            if not ok and show:
                print(f"FP   {doc['id']:9} {f.category:16} {_ctx(text, f.start, f.end)}")
        gold_cats = {s["category"] for s in gold}
        pred_cats = {f.category for f in findings}
        for cat in CATEGORIES:
            if cat in gold_cats and cat in pred_cats:
                tp[cat] += 1
            elif cat in pred_cats:
                fp[cat] += 1
            elif cat in gold_cats:
                fn[cat] += 1
    print(
        f"\n{'category':16} {'spans':>5} {'recall':>7} {'span P':>7}  "
        f"{'doc P':>6} {'doc R':>6} {'doc F1':>6}"
    )
    ok_all = True
    for cat in CATEGORIES:
        rec = span_found[cat] / span_total[cat] if span_total[cat] else 1.0
        sp_p = pred_true[cat] / pred_total[cat] if pred_total[cat] else 1.0
        p = tp[cat] / (tp[cat] + fp[cat]) if tp[cat] + fp[cat] else 1.0
        r = tp[cat] / (tp[cat] + fn[cat]) if tp[cat] + fn[cat] else 1.0
        f1 = _f1(p, r)
        ok_all &= rec >= 0.98 and f1 >= 0.95
        print(f"{cat:16} {span_total[cat]:5} {rec:7.3f} {sp_p:7.3f}  {p:6.3f} {r:6.3f} {f1:6.3f}")
    return ok_all


def evaluate_eml(labels: Path, scanner: Scanner) -> None:
    """Document-level P/R/F1 on the ``.eml`` messages next to ``labels`` (decoded first)."""
    from resguardo.extract import Document, extract_path

    eml_labels = labels.parent / "eml-labels.jsonl"
    if not eml_labels.exists():
        return
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for line in eml_labels.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = set(row["categories"]) & set(CATEGORIES)
        pred: set[str] = set()
        for item in extract_path(labels.parent / "eml" / row["file"]):
            if isinstance(item, Document):
                pred |= {f.category for f in scanner.scan(item.text) if f.category in CATEGORIES}
        for cat in CATEGORIES:
            tp[cat] += cat in gold and cat in pred
            fp[cat] += cat in pred and cat not in gold
            fn[cat] += cat in gold and cat not in pred
    print(f"\n{'messages':16} {'doc P':>6} {'doc R':>6} {'doc F1':>6}")
    for cat in CATEGORIES:
        p = tp[cat] / (tp[cat] + fp[cat]) if tp[cat] + fp[cat] else 1.0
        r = tp[cat] / (tp[cat] + fn[cat]) if tp[cat] + fn[cat] else 1.0
        print(f"{cat:16} {p:6.3f} {r:6.3f} {_f1(p, r):6.3f}")


def _cpu_mbps(scanner: Scanner, texts: list[str], repeat: int = 3) -> float:
    """Best-of-``repeat`` MB/s of CPU time to scan ``texts`` one by one."""
    size = sum(len(t.encode()) for t in texts) / 1_000_000
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for t in texts:
            scanner.scan(t)
        best = min(best, time.process_time() - t0)
    return size / best


def throughput(docs: list[dict[str, Any]], scanner: Scanner, mb: float) -> None:
    """CPU-time MB/s of the identifier detectors (prefilter pass included) on ``mb`` MB of:
    the labeled corpus (very dense in identifiers), as one text and as documents; ordinary
    mail (almost none); the synthetic agency mail of ``corpus_gen`` (realistic mix, record
    share 0.05); and its records alone (record share 1.0, a quarter of ``mb``)."""
    scanner.scan("warm up")
    dense = "\n\n".join(d["text"] for d in docs) + "\n\n"
    reps = max(1, int(mb * 1_000_000 / len(dense.encode())))
    print(f"\nthroughput, backend {scanner.patterns.backend}, MB/s of CPU time (best of 3):")
    print(f"  labeled corpus, one {mb:.0f} MB text:   {_cpu_mbps(scanner, [dense * reps]):6.1f}")
    texts = [d["text"] for d in docs] * reps
    print(f"  labeled corpus, {len(texts)} documents: {_cpu_mbps(scanner, texts):6.1f}")
    mail_dir = ROOT / "tests" / "data" / "ordinary-mail"
    mail = [p.read_text(encoding="utf-8") for p in sorted(mail_dir.glob("*.txt"))]
    if mail:
        reps = max(1, int(mb * 1_000_000 / sum(len(m.encode()) for m in mail)))
        rate = _cpu_mbps(scanner, mail * reps)
        print(f"  ordinary mail, {len(mail) * reps} messages:   {rate:6.1f}")
    try:
        from corpus_gen import documents  # benchmarks/corpus_gen.py, when run from here
    except ImportError:
        return
    synthetic = list(documents(int(mb * 1_000_000)))
    print(f"  synthetic agency mail, {len(synthetic)} docs: {_cpu_mbps(scanner, synthetic):6.1f}")
    # every paragraph a record: the per-finding cost, with no prose to dilute it
    records = list(documents(int(mb * 1_000_000 / 4), record_share=1.0))
    print(f"  synthetic records only, {len(records)} docs: {_cpu_mbps(scanner, records):6.1f}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--show", action="store_true", help="list misses and false findings")
    ap.add_argument("--mb", type=float, default=0.0, help="also measure speed on N MB")
    ap.add_argument("--no-hyperscan", action="store_true", help="use the re fallback")
    ap.add_argument("--eml", action="store_true", help="also score the decoded .eml messages")
    args = ap.parse_args(argv)
    docs = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines()]
    scanner = Scanner(identifiers.detectors(), use_hyperscan=False if args.no_hyperscan else None)
    ok = evaluate(docs, scanner, args.show)
    if args.eml:
        evaluate_eml(args.labels, scanner)
    if args.mb:
        throughput(docs, scanner, args.mb)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
