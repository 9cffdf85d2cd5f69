"""Stream a ~1 GB mbox through extraction (and the scanner, if it works) and report memory.

Usage::

    .venv/bin/python benchmarks/mbox_memory.py               # 1024 MB, in a temp folder
    .venv/bin/python benchmarks/mbox_memory.py --size-mb 200 --no-scan

The mbox is made of rounds of: the 40 labelled messages of ``tests/data/spi-dev/eml``, one
message with a 1 MB CSV attachment in base64, and one with a 200 KB HTML body. It prints
the peak resident memory of the process (which must not grow with the size of the mbox;
the requirement is well under 300 MB) and the throughput in MB/s of the mbox file.
"""

from __future__ import annotations

import argparse
import base64
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from resguardo.extract import Document, ExtractError, extract_path  # noqa: E402

EML_DIR = ROOT / "tests" / "data" / "spi-dev" / "eml"
_FROM_LINE = re.compile(rb"^(>*From )", re.M)


def _csv_rows() -> bytes:
    rows = [b"LAST,FIRST,DOB,DL_NO,SSN,ADDRESS"]
    size = 0
    n = 0
    while size < 1_000_000:
        n += 1
        row = b'GARCIA%d,MARIA,1982-04-11,1277%05d,585-20-%04d,"%d W Avenue C, Lovington, NM 88260"'
        rows.append(row % (n, n % 100000, n % 10000, n))
        size += len(rows[-1]) + 1
    return base64.encodebytes(b"\n".join(rows) + b"\n")


_CSV_BASE64 = _csv_rows()


def _csv_message(i: int) -> bytes:
    body = _CSV_BASE64
    return (
        b"From: Records <mvd.reports@state.nm.us>\nTo: agent@ice.dhs.gov\n"
        b"Subject: export %d\nDate: Thu, 09 May 2019 11:58:36 -0600\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="BOUND"\n\n--BOUND\n'
        b"Content-Type: text/plain; charset=utf-8\n\nRows attached.\n\n--BOUND\n"
        b"Content-Type: text/csv; charset=utf-8\n"
        b'Content-Disposition: attachment; filename="rows.csv"\n'
        b"Content-Transfer-Encoding: base64\n\n" % i + body + b"\n--BOUND--\n"
    )


def _html_message(i: int) -> bytes:
    row = b"<tr><td>CAMPOS, JOSE</td><td>DOB 04/11/1982</td><td>412 W Avenue C</td></tr>\n"
    html = b"<html><body><p>Lookup results</p><table>" + row * 2700 + b"</table></body></html>\n"
    return (
        b"From: clerk@state.nm.us\nTo: agent@hsi.dhs.gov\nSubject: lookup %d\n"
        b"MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" % i + html
    )


def _round(i: int, corpus: list[bytes]) -> Iterator[bytes]:
    yield from corpus
    yield _csv_message(i)
    yield _html_message(i)


def make_mbox(path: Path, size: int) -> int:
    """Write an mbox of about ``size`` bytes at ``path``; return the number of messages."""
    corpus = [p.read_bytes() for p in sorted(EML_DIR.glob("*.eml"))]
    written = 0
    count = 0
    i = 0
    with path.open("wb") as f:
        while written < size:
            i += 1
            for msg in _round(i, corpus):
                chunk = b"From sender@state.nm.us Thu May  9 11:58:36 2019\n"
                chunk += _FROM_LINE.sub(rb">\1", msg.replace(b"\r\n", b"\n"))
                if not chunk.endswith(b"\n"):
                    chunk += b"\n"
                chunk += b"\n"
                f.write(chunk)
                written += len(chunk)
                count += 1
    return count


def _scanner() -> Callable[[str], Any] | None:
    try:
        from resguardo.detect import scan_text

        scan_text("SSN 585-20-1234")
    except Exception as exc:  # the detectors are written by others and may not work yet
        print(f"scanner: not used ({type(exc).__name__}: {exc})")
        return None
    return scan_text


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Build the mbox, stream it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--dir", type=Path, default=None, help="where to write the mbox")
    parser.add_argument("--no-scan", action="store_true", help="extraction only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "big.mbox"
        t0 = time.perf_counter()
        n_messages = make_mbox(path, args.size_mb * 1024 * 1024)
        size = path.stat().st_size
        print(
            f"mbox: {size / 1e6:,.0f} MB, {n_messages:,} messages "
            f"(written in {time.perf_counter() - t0:.0f} s)"
        )
        print(f"peak RSS before reading: {peak_rss_mb():.0f} MB")

        scan = None if args.no_scan else _scanner()
        docs = errors = chars = findings = scan_failures = 0
        t0 = time.perf_counter()
        c0 = time.process_time()
        for item in extract_path(path):
            if isinstance(item, Document):
                docs += 1
                chars += len(item.text)
                if scan is not None:
                    try:
                        findings += len(scan(item.text))
                    except Exception as exc:  # the scanner's bug, not extraction's
                        scan_failures += 1
                        if scan_failures == 1:
                            print(f"  scanner failed on {item.source} [{item.part}]: {exc!r}")
            elif isinstance(item, ExtractError):
                errors += 1
                if errors <= 5:
                    print(f"  error: {item}")
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - c0

    print(f"documents: {docs:,}  errors: {errors:,}  text: {chars / 1e6:,.0f} M chars")
    if scan is not None:
        print(f"findings: {findings:,}  scanner failures: {scan_failures:,}")
    print(f"time: {elapsed:.1f} s  throughput: {size / 1e6 / elapsed:.1f} MB/s (wall clock)")
    print(f"CPU: {cpu:.1f} s  throughput: {size / 1e6 / cpu:.1f} MB/s (CPU time of this process)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
