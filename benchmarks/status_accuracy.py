"""Accuracy of the protected-status detectors.

Prints, for the nine status categories:

- document-level precision / recall / F1 on ``tests/data/spi-dev/labels.jsonl`` (a document
  is predicted positive for a category when any finding of it is raised);
- the false-alarm rate (status findings per message) on ``tests/data/ordinary-mail/`` and,
  when present, on the Python standard library's email test messages;
- throughput (CPU time) of the status detectors alone, on the throughput benchmark's
  synthetic agency mail (``corpus_gen``; the family's budget is 25 ms per MB there) and
  on the texts above.

Usage::

    .venv/bin/python benchmarks/status_accuracy.py [--verbose] [--no-speed] [--stdlib DIR]

``--verbose`` lists every false positive / false negative document with the findings.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

from resguardo.detect import statuses
from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import STATUS_CATEGORIES
from resguardo.detect.scanner import Scanner

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "spi-dev" / "labels.jsonl"
ORDINARY = ROOT / "tests" / "data" / "ordinary-mail"
STDLIB_MAIL = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def dev_accuracy(scanner: Scanner, verbose: bool) -> dict[str, tuple[float, float, float]]:
    """Per-category document-level P/R/F1 on the dev corpus."""
    docs = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    counts = {c: Counter[str]() for c in STATUS_CATEGORIES}
    problems: list[str] = []
    for d in docs:
        found = scanner.scan(d["text"])
        predicted = {f.category for f in found}
        gold = set(d["categories"])
        for c in STATUS_CATEGORIES:
            if c in predicted and c in gold:
                counts[c]["tp"] += 1
            elif c in predicted:
                counts[c]["fp"] += 1
                problems.append(_describe("FP", d["id"], c, found, d))
            elif c in gold:
                counts[c]["fn"] += 1
                problems.append(_describe("FN", d["id"], c, found, d))
    out = {c: _prf(k["tp"], k["fp"], k["fn"]) for c, k in counts.items()}
    print(f"spi-dev: {len(docs)} documents, document-level, status categories")
    print(f"  {'category':<20} {'tp':>3} {'fp':>3} {'fn':>3}   {'P':>5} {'R':>5} {'F1':>5}")
    for c in STATUS_CATEGORIES:
        k = counts[c]
        p, r, f = out[c]
        print(f"  {c:<20} {k['tp']:>3} {k['fp']:>3} {k['fn']:>3}   {p:5.3f} {r:5.3f} {f:5.3f}")
    if verbose and problems:
        print("\n".join(problems))
    return out


def _describe(kind: str, doc_id: str, cat: str, found: list[Finding], d: dict[str, object]) -> str:
    if kind == "FP":
        fs = [f for f in found if f.category == cat]
        return f"  {kind} {doc_id} {cat}: " + "; ".join(
            f"{f.text!r} {f.confidence:.2f} {list(f.evidence)}" for f in fs
        )
    spans = [s for s in d["spans"] if s["category"] == cat]  # type: ignore[attr-defined]
    return f"  {kind} {doc_id} {cat}: gold " + "; ".join(repr(s["text"]) for s in spans)


def _message_text(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts: list[str] = []
    for name in ("subject",):
        if msg[name]:
            parts.append(str(msg[name]))
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(part.get_content())
            except Exception:
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode("latin-1"))
    return "\n".join(parts)


def false_alarms(scanner: Scanner, folder: Path, pattern: str, label: str, verbose: bool) -> float:
    """Status findings per message over the files of ``folder``."""
    files = sorted(folder.glob(pattern))
    if not files:
        print(f"{label}: no files")
        return 0.0
    total = 0
    flagged: list[str] = []
    for f in files:
        if pattern.endswith(".txt") and f.parent == ORDINARY:
            text = f.read_text(encoding="utf-8")
        else:
            text = _message_text(f.read_bytes())
        found = scanner.scan(text)
        total += len(found)
        for x in found:
            flagged.append(
                f"  {f.name}: {x.category} {x.text!r} {x.confidence:.2f} {list(x.evidence)}"
            )
    rate = total / len(files)
    print(f"{label}: {len(files)} messages, {total} status findings, {rate:.3f} per message")
    if verbose:
        print("\n".join(flagged))
    return rate


def _rate(scanner: Scanner, texts: list[str], mb: float) -> tuple[float, float, int, float]:
    """MB, MB/s, documents and findings per MB, scanning ``texts`` (repeated to about
    ``mb`` MB) doc by doc. CPU time, best of three: the machine may be shared."""
    size1 = sum(len(t.encode("utf-8")) for t in texts)
    docs = texts * max(1, int(mb * 1e6 / size1))
    size = sum(len(t.encode("utf-8")) for t in docs) / 1e6
    scanner.scan("warm up")
    n = 0
    best = float("inf")
    for _ in range(3):
        n = 0
        t0 = time.process_time()
        for t in docs:
            n += len(scanner.scan(t))
        best = min(best, time.process_time() - t0)
    return size, size / best, len(docs), n / size


def _corpus_gen(mb: float, record_share: float) -> list[str]:
    """The synthetic agency mail of ``benchmarks/corpus_gen.py`` (the throughput budget's
    corpus): mostly ordinary office prose, ``record_share`` of it case records."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus_gen import documents

    return list(documents(int(mb * 1e6), record_share=record_share))


def _stdlib_prose() -> list[str]:
    """Docstrings of standard-library modules, read at run time: plain English prose."""
    import importlib
    import inspect

    out: list[str] = []
    for name in (
        "email", "mailbox", "argparse", "logging", "unittest", "asyncio", "http.server",
        "urllib.request", "json", "csv", "sqlite3", "subprocess", "threading", "collections",
        "typing", "datetime", "decimal", "pathlib", "shutil", "tarfile", "zipfile", "pdb",
        "doctest", "inspect", "ast", "locale", "gettext", "calendar", "random", "statistics",
        "socket", "smtplib", "imaplib", "codecs", "re", "string", "textwrap", "difflib",
    ):  # fmt: skip
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        docs = [inspect.getdoc(mod) or ""]
        for _, member in inspect.getmembers(mod):
            if inspect.isclass(member) or inspect.isfunction(member):
                docs.append(inspect.getdoc(member) or "")
        out.append("\n\n".join(d for d in docs if d))
    return out


def throughput(scanner: Scanner, mb: float = 3.0) -> None:
    """MB/s of the status detectors alone, on dense agency text and on ordinary mail.

    The dev corpus is as dense as it gets (several status phrases per KB, every one judged
    in Python); ordinary mail is what most of a real archive looks like.
    """
    dense = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    ordinary = [p.read_text(encoding="utf-8") for p in sorted(ORDINARY.glob("*.txt"))]
    if STDLIB_MAIL.is_dir():
        ordinary += [_message_text(p.read_bytes()) for p in sorted(STDLIB_MAIL.glob("msg_*.txt"))]
    prose = _stdlib_prose()
    for label, texts in (
        ("agency mail (corpus_gen, record_share 0.05)", _corpus_gen(mb, 0.05)),
        ("records (corpus_gen, record_share 1.0)", _corpus_gen(mb / 3, 1.0)),
        ("dense (spi-dev)", dense),
        ("ordinary mail", ordinary),
        ("technical prose (stdlib docstrings)", prose),
    ):
        size, rate, n, per_mb = _rate(scanner, texts, mb)
        print(
            f"throughput, status detectors alone, {label}: {rate:.1f} MB/s "
            f"({size:.1f} MB, {n} docs, {per_mb:.1f} findings/MB)"
        )


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the report."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--stdlib", type=Path, default=STDLIB_MAIL)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    scanner = Scanner(statuses.detectors())
    print(f"scanner built in {time.perf_counter() - t0:.1f}s ({scanner.patterns.backend})")
    dev_accuracy(scanner, args.verbose)
    false_alarms(scanner, ORDINARY, "*.txt", "ordinary-mail", args.verbose)
    if args.stdlib.is_dir():
        false_alarms(scanner, args.stdlib, "msg_*.txt", "stdlib test_email", args.verbose)
    if not args.no_speed:
        throughput(scanner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
