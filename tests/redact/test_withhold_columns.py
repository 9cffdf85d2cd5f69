"""Withholding columns (``withhold_columns=True``): a column in which any cell held a finding
goes whole, so what the scan missed in one row does not stay in.

The scans here find "LPR" but not "pending adj.", as a detector that knows one status and
not the other would; the tests check that "pending adj." goes with its column anyway.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import openpyxl
from openpyxl.worksheet.table import Table
from redact_support import literal_scan, occurrences, xlsx_views

from resguardo.detect.finding import Finding
from resguardo.redact import (
    RedactionStyle,
    ScanFn,
    WithheldColumn,
    redact_bytes,
    redact_csv,
    redact_xlsx,
)

LABEL = RedactionStyle.label()
MISSED = "pending adj."
SCAN = literal_scan(
    {
        "LPR": "immigration_status",
        "asylee": "immigration_status",
        "Joy Junction": "homeless_status",
        "(505) 555-0142": "phone_number",
        "1420 Calle Luna SW": "street_address",
        "585-20-1234": "ssn",
    }
)


def without(scan: ScanFn, *released: str) -> ScanFn:
    """``scan`` with the ``released`` categories dropped, as the review service scans."""

    def filtered(text: str) -> Sequence[Finding]:
        return [f for f in scan(text) if f.category not in released]

    return filtered


def rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))


STATUS_CSV = (
    b"Name,Status,Address,Shelter,Notes\r\n"
    b"Ana Ruiz,LPR,1420 Calle Luna SW,Joy Junction,ok\r\n"
    b"Leo Diaz,LPR,88 Rio Bravo Blvd SE,Westside Center,called\r\n"
    b"Eva Soto,,,,\r\n"
    b"Ines Mora,pending adj.,5 Main St,St Martin's,asylee\r\n"
    b"Tomas Quispe,LPR,9 Elm St,,(505) 555-0142\r\n"
)


# --- CSV ----------------------------------------------------------------------------------


def test_csv_column_with_a_finding_is_withheld_in_every_row() -> None:
    result = redact_csv(
        STATUS_CSV,
        scan=without(SCAN, "street_address"),
        style=LABEL,
        withhold_columns=True,
    )
    before, after = rows(STATUS_CSV), rows(result.data)
    assert after[0] == before[0]  # the header row is left alone
    assert [r[0] for r in after] == [r[0] for r in before]  # no finding: untouched
    status = [r[1] for r in after[1:]]
    assert status == ["[IMMIGRATION-STATUS]"] * 2 + [""] + ["[IMMIGRATION-STATUS]"] * 2
    shelter = [r[3] for r in after[1:]]
    assert shelter == ["[HOMELESS-STATUS]"] * 2 + ["", "[HOMELESS-STATUS]", ""]
    # Released: the address column keeps every value, found or not.
    assert [r[2] for r in after] == [r[2] for r in before]
    assert MISSED.encode() not in result.data
    assert b"Westside" not in result.data and b"St Martin" not in result.data
    # Line endings of the rewritten rows are kept.
    assert result.data.count(b"\r\n") == STATUS_CSV.count(b"\r\n")
    assert result.summary.withheld_columns == (
        WithheldColumn("Status", "immigration_status", 4),
        WithheldColumn("Shelter", "homeless_status", 3),
        WithheldColumn("Notes", "immigration_status", 4),
    )
    # Counts stay counts of findings; the withheld cells are listed apart.
    assert result.summary.counts == {
        "homeless_status": 1,
        "immigration_status": 4,
        "phone_number": 1,
    }
    listed = result.summary.to_dict()["withheld_columns"]
    assert listed[0] == {"column": "Status", "category": "immigration_status", "cells": 4}


def test_csv_mixed_column_takes_its_most_frequent_category() -> None:
    data = b"id;notes\n1;asylee\n2;(505) 555-0142\n3;LPR since 2019\n4;nothing to see\n"
    result = redact_csv(data, scan=SCAN, style=LABEL, withhold_columns=True)
    after = rows(result.data, ";")
    assert [r[1] for r in after[1:]] == ["[IMMIGRATION-STATUS]"] * 4
    assert [r[0] for r in after] == ["id", "1", "2", "3", "4"]
    assert result.summary.withheld_columns == (WithheldColumn("notes", "immigration_status", 4),)
    assert b"555-0142" not in result.data and b"nothing to see" not in result.data


def test_csv_ties_go_to_the_first_category_found() -> None:
    data = b"id,notes\n1,(505) 555-0142\n2,asylee\n"
    result = redact_csv(data, scan=SCAN, style=LABEL, withhold_columns=True)
    assert [r[1] for r in rows(result.data)[1:]] == ["[PHONE]", "[PHONE]"]


def test_csv_without_the_option_keeps_what_the_scan_missed() -> None:
    result = redact_csv(STATUS_CSV, scan=SCAN, style=LABEL)
    assert MISSED.encode() in result.data
    assert result.summary.withheld_columns == ()
    assert result.summary.to_dict()["withheld_columns"] == []


def test_csv_with_only_released_findings_is_unchanged() -> None:
    released = without(SCAN, "immigration_status", "homeless_status", "phone_number")
    data = STATUS_CSV.replace(b"1420 Calle Luna SW", b"Calle Sin Nombre")
    result = redact_csv(data, scan=released, style=LABEL, withhold_columns=True)
    assert result.data == data
    assert result.summary.withheld_columns == ()


def test_csv_quoting_and_delimiter_are_kept() -> None:
    data = (
        b'"Name"|"Status"|"Note"\n'
        b'"Ana"|"LPR"|"a ""quoted"" note"\n'
        b'"Leo"|"pending adj."|"b"\n'
        b"Eva|x|c\n"
    )
    result = redact_csv(data, scan=SCAN, style=LABEL, withhold_columns=True)
    assert result.data == (
        b'"Name"|"Status"|"Note"\n'
        b'"Ana"|"[IMMIGRATION-STATUS]"|"a ""quoted"" note"\n'
        b'"Leo"|"[IMMIGRATION-STATUS]"|"b"\n'
        b"Eva|[IMMIGRATION-STATUS]|c\n"
    )


def test_tsv_through_redact_bytes_and_other_formats_ignore_the_option() -> None:
    data = b"Name\tStatus\nAna\tLPR\nLeo\tpending adj.\n"
    out = redact_bytes(data, ".tsv", scan=SCAN, style=LABEL, withhold_columns=True).data
    assert out == b"Name\tStatus\nAna\t[IMMIGRATION-STATUS]\nLeo\t[IMMIGRATION-STATUS]\n"
    # Plain text has no columns: the option changes nothing there.
    text = b"Status: LPR\nStatus: pending adj.\n"
    plain = redact_bytes(text, ".txt", scan=SCAN, style=LABEL, withhold_columns=True)
    assert plain.data == b"Status: [IMMIGRATION-STATUS]\nStatus: pending adj.\n"


def test_csv_header_with_a_finding_withholds_its_column_and_is_not_named_by_it() -> None:
    data = b"Month,Joy Junction\nJan,3 nights\nFeb,\nMar,1 night\n"
    result = redact_csv(data, scan=SCAN, style=LABEL, withhold_columns=True)
    after = rows(result.data)
    assert after == [
        ["Month", "[HOMELESS-STATUS]"],
        ["Jan", "[HOMELESS-STATUS]"],
        ["Feb", ""],
        ["Mar", "[HOMELESS-STATUS]"],
    ]
    (column,) = result.summary.withheld_columns
    assert column == WithheldColumn("[HOMELESS-STATUS]", "homeless_status", 2)
    assert "Joy" not in str(result.summary.to_dict()["withheld_columns"])


def test_csv_unnamed_column_is_named_by_its_number() -> None:
    data = b"Name,,\nAna,LPR,1\nLeo,pending adj.,2\n"
    result = redact_csv(data, scan=SCAN, style=LABEL, withhold_columns=True)
    assert result.summary.withheld_columns == (WithheldColumn("column 2", "immigration_status", 2),)


def test_csv_mask_and_hash_styles_replace_the_whole_cell() -> None:
    data = b"Name,Status\nAna,LPR\nLeo,pending adj.\n"
    masked = redact_csv(data, scan=SCAN, style=RedactionStyle.mask(), withhold_columns=True)
    assert rows(masked.data)[1:] == [["Ana", "█" * 3], ["Leo", "█" * len(MISSED)]]
    style = RedactionStyle.hashed(b"0123456789abcdef0123")
    hashed = redact_csv(data, scan=SCAN, style=style, withhold_columns=True)
    tokens = [r[1] for r in rows(hashed.data)[1:]]
    assert all(t.startswith("[IMMIGRATION-STATUS:") for t in tokens)
    assert tokens[0] != tokens[1] and MISSED.encode() not in hashed.data


def test_propagated_copies_count_and_propagation_still_works() -> None:
    # The SSN is only recognised next to its header (as a detector would); its bare copy in
    # the Notes column is found by the second pass, and then takes Notes with it.
    def ssn_in_context(text: str) -> list[Finding]:
        i = text.find("SSN: 585-20-1234")
        if i < 0:
            return []
        return [Finding("ssn", i + 5, i + 16, "585-20-1234", 0.9, "ctx")]

    data = b"SSN,Notes\n585-20-1234,ref 585201234\n,called back\n"
    result = redact_csv(data, scan=ssn_in_context, style=LABEL, withhold_columns=True)
    assert rows(result.data) == [["SSN", "Notes"], ["[SSN]", "[SSN]"], ["", "[SSN]"]]
    assert [c.column for c in result.summary.withheld_columns] == ["SSN", "Notes"]
    one_pass = redact_csv(
        data, scan=ssn_in_context, style=LABEL, withhold_columns=True, propagate=False
    )
    assert rows(one_pass.data)[1:] == [["[SSN]", "ref 585201234"], ["", "called back"]]


# --- XLSX ---------------------------------------------------------------------------------


def build_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "People"
    ws.append([])  # a blank first row: the header is the first row with text
    ws.append([None, "Name", "Status", "Address", "Undocumented", "Since", "Count"])
    ws.append([None, "Ana Ruiz", "LPR", "1420 Calle Luna SW", True, dt.date(2019, 5, 1), 3])
    ws.append([None, "Leo Diaz", MISSED, "88 Rio Bravo Blvd SE", False, dt.date(2020, 1, 2), 4])
    ws.append([None, "Eva Soto", None, None, None, None, None])
    ws.append([None, "Ines Mora", "LPR", "5 Main St", True, dt.date(2021, 3, 4), 5])
    ws["C4"].hyperlink = "https://example.gov/status?q=pending%20adj."
    ws.auto_filter.ref = "B2:G6"
    ws.auto_filter.add_filter_column(1, [MISSED, "LPR"])  # column C
    ws.auto_filter.add_filter_column(0, ["Ana Ruiz"])  # column B: kept
    # Column E is withheld through a finding in its own cells.
    ws["E3"] = "asylee"
    other = wb.create_sheet("Other")
    other.append(["Name", "Status"])
    other.append(["Mia", MISSED])
    other.append(["Sol", "asylee"])
    other.add_table(Table(displayName="OtherTable", ref="A1:B3"))
    third = wb.create_sheet("Clean")
    third.append(["Name", "Status"])
    third.append(["Rae", MISSED])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def values(ws: object, column: str) -> list[object]:
    return [c.value for c in ws[column]]  # type: ignore[index]


def test_xlsx_columns_are_withheld_per_sheet() -> None:
    data = build_workbook()
    result = redact_xlsx(
        data, scan=without(SCAN, "street_address"), style=LABEL, withhold_columns=True
    )
    assert zipfile.ZipFile(io.BytesIO(result.data)).testzip() is None
    wb, before = load(result.data), load(data)
    ws = wb["People"]
    token = "[IMMIGRATION-STATUS]"
    assert values(ws, "C") == [None, "Status", token, token, None, token]
    # The boolean column held a finding in one cell: every value goes, booleans included.
    assert values(ws, "E") == [None, "Undocumented", token, token, None, token]
    assert ws["E4"].data_type == "s"
    # Columns without unreleased findings keep their values and types.
    for column in "BDFG":
        assert values(ws, column) == values(before["People"], column), column
    assert ws["C4"].hyperlink is None
    kept = {fc.colId for fc in ws.auto_filter.filterColumn}
    assert kept == {0}
    other = wb["Other"]
    assert values(other, "B") == ["Status", token, token]
    assert values(other, "A") == ["Name", "Mia", "Sol"]
    assert values(wb["Clean"], "B") == ["Status", MISSED]  # no finding on that sheet
    assert [c.to_dict() for c in result.summary.withheld_columns] == [
        {"column": "Status", "category": "immigration_status", "sheet": "People", "cells": 3},
        {"column": "Undocumented", "category": "immigration_status", "sheet": "People", "cells": 3},
        {"column": "Status", "category": "immigration_status", "sheet": "Other", "cells": 2},
    ]


def test_xlsx_no_withheld_value_survives_in_the_xml() -> None:
    data = build_workbook()
    out = redact_xlsx(data, scan=SCAN, style=LABEL, withhold_columns=True).data
    views = [v for v in xlsx_views(out) if "Rae" not in v]  # the clean sheet keeps its value
    assert not occurrences(views, MISSED)
    assert not occurrences(views, "pending%20adj")
    sheet_xml = [v for v in xlsx_views(out) if "Rae" in v]
    assert any(MISSED in v for v in sheet_xml)


def test_xlsx_without_the_option_is_as_before() -> None:
    data = build_workbook()
    plain = redact_xlsx(data, scan=SCAN, style=LABEL)
    ws = load(plain.data)["People"]
    assert ws["C4"].value == MISSED
    assert plain.summary.withheld_columns == ()


def test_xlsx_with_only_released_findings_keeps_every_cell() -> None:
    data = build_workbook()
    scan = without(SCAN, "immigration_status", "street_address")
    result = redact_xlsx(data, scan=scan, style=LABEL, withhold_columns=True)
    before, after = load(data), load(result.data)
    for ws in before.worksheets:
        for row_b, row_a in zip(ws.iter_rows(), after[ws.title].iter_rows(), strict=True):
            assert [c.value for c in row_b] == [c.value for c in row_a]
    assert result.summary.withheld_columns == ()


def test_xlsx_through_redact_bytes() -> None:
    out = redact_bytes(build_workbook(), ".xlsx", scan=SCAN, style=LABEL, withhold_columns=True)
    assert load(out.data)["People"]["C4"].value == "[IMMIGRATION-STATUS]"
    # People: Status, Address, Undocumented; Other: Status.
    assert len(out.summary.withheld_columns) == 4


def test_a_header_that_held_a_value_is_not_named_by_it_in_the_summary() -> None:
    # A pivot-style export: a shelter's name is a column header.
    data = b"Name,Joy Junction,Notes\r\nAna Ruiz,yes,LPR\r\nLeo Diaz,no,called\r\n"
    result = redact_bytes(data, ".csv", scan=SCAN, style=LABEL)
    assert b"Joy Junction" not in result.data
    summary = repr(result.summary.to_dict())
    assert "Joy Junction" not in summary
    assert "column Notes" in summary

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Joy Junction", "Notes"])
    ws.append(["Ana Ruiz", "yes", "LPR"])
    buf = io.BytesIO()
    wb.save(buf)
    result = redact_bytes(buf.getvalue(), ".xlsx", scan=SCAN, style=LABEL)
    summary = repr(result.summary.to_dict())
    assert "Joy Junction" not in summary
    assert "(Notes)" in summary
