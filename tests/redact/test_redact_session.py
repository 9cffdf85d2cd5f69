"""The session machinery: stitched scanning, propagation of identifiers, scan validation."""

from __future__ import annotations

import re
import time

import pytest

from resguardo.detect.finding import Finding
from resguardo.redact import RedactionStyle, redact_csv, redact_txt
from resguardo.redact.session import Session
from resguardo.redact.stitch import Stitcher

LABEL = RedactionStyle.label()


def test_stitcher_maps_findings_back_to_pieces() -> None:
    s = Stitcher()
    s.glue("SSN: ")
    s.add("585-", origin="a")
    s.add("20-1234 tail", origin="b")
    finding = Finding("ssn", 5, 16, "585-20-1234", 1.0, "t")
    assert s.text[5:16] == "585-20-1234"
    spans, used = s.locate([finding])
    assert [(x.start, x.end, x.value, x.lead) for x in spans["a"]] == [(0, 4, "585-20-1234", True)]
    assert [(x.start, x.end, x.lead) for x in spans["b"]] == [(0, 7, False)]
    assert used == [(finding, "a")]
    # A finding lying only in glue touches no piece and is not counted.
    assert s.locate([Finding("ssn", 0, 3, "SSN", 1.0, "t")]) == ({}, [])


def test_stitcher_joins_pieces_of_one_origin_across_removed_glue() -> None:
    s = Stitcher()
    s.add("585-20-", origin=0, offset=0)
    s.add("1234", origin=0, offset=9)  # two characters (a soft line break) were left out
    spans, _ = s.locate([Finding("ssn", 0, 11, "585-20-1234", 1.0, "t")])
    assert [(x.start, x.end) for x in spans[0]] == [(0, 13)]


def test_propagation_finds_copies_with_other_separators() -> None:
    def scan(text: str) -> list[Finding]:
        i = text.find("SSN 585-20-1234")
        if i < 0:
            return []
        return [Finding("ssn", i + 4, i + 15, "585-20-1234", 1.0, "t")]

    text = (
        "SSN 585-20-1234; also 585201234, 585 20 1234 and 585.20.1234, "
        "but not 5852012345 or x585-20-1234y or 585-20-12."
    )
    out = redact_txt(text.encode(), scan=scan, style=LABEL).data.decode()
    assert out == (
        "SSN [SSN]; also [SSN], [SSN] and [SSN], but not 5852012345 or x585-20-1234y or 585-20-12."
    )


def test_propagation_of_addresses_and_not_of_statuses_or_short_values() -> None:
    def scan(text: str) -> list[Finding]:
        found = []
        for value, cat in (
            ("412 W Avenue C, Lovington", "street_address"),
            ("is homeless", "homeless_status"),
            ("K-26", "license_plate"),
        ):
            i = text.find(value)  # the first copy only, as if only it had context
            if i >= 0:
                found.append(Finding(cat, i, i + len(value), value, 1.0, "t"))
        return found

    text = "Lives at 412 W Avenue C, Lovington. He is homeless. Plate K-26.\n"
    other = "412 w avenue c - lovington / is homeless / K26\n"
    out = redact_txt(f"{text}{other}".encode(), scan=scan, style=LABEL).data.decode()
    assert out.splitlines() == [
        "Lives at [ADDRESS]. He [HOMELESS-STATUS]. Plate [PLATE].",
        "[ADDRESS] / is homeless / K26",
    ]


def test_many_known_values_stay_fast() -> None:
    n = 5000
    ssns = [f"{100 + i // 10000:03d}-{10 + (i // 100) % 90:02d}-{1000 + i:04d}" for i in range(n)]
    rows = "SSN,COPY\n" + "".join(f"{s},{s.replace('-', '')}\n" for s in ssns)

    def dashed_only(text: str) -> list[Finding]:
        return [
            Finding("ssn", m.start(), m.end(), m.group(), 1.0, "t")
            for m in re.finditer(r"\b\d{3}-\d{2}-\d{4}\b", text)
        ]

    start = time.perf_counter()
    out = redact_csv(rows.encode(), scan=dashed_only, style=LABEL).data.decode()
    elapsed = time.perf_counter() - start
    assert out.count("[SSN],[SSN]") == n  # every bare copy was found by propagation
    assert elapsed < 20


def test_scan_offsets_that_do_not_match_raise() -> None:
    session = Session(lambda text: [Finding("ssn", 0, 3, "xyz", 1.0, "bad")], LABEL)
    with pytest.raises(ValueError, match="does not match"):
        session.find("abc def")
