"""CSV and XLSX: header context, round trips that keep every other cell, workbook extras."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table
from redact_support import xlsx_views

from resguardo.detect.finding import Finding
from resguardo.redact import RedactionStyle, UnreadableFileError, redact_csv, redact_xlsx

LABEL = RedactionStyle.label()
# Values are only recognized next to their context word, as real detectors do.
CONTEXT_PATTERNS = [
    ("ssn", re.compile(r"\bSSN\b[^\n:]*:\s*(\d{9}|\d{3}-\d{2}-\d{4})\b")),
    ("date_of_birth", re.compile(r"\bDOB\b[^\n:]*:\s*(\d{4}-\d{2}-\d{2})\b")),
    ("phone_number", re.compile(r"\b(?:PHONE|Tel)\b[^\n:]*:\s*(\d{10})\b", re.IGNORECASE)),
]


def context_scan(text: str) -> list[Finding]:
    found = []
    for cat, rx in CONTEXT_PATTERNS:
        for m in rx.finditer(text):
            found.append(Finding(cat, m.start(1), m.end(1), m.group(1), 0.9, "ctx"))
    # A name, to check that findings in any cell are redacted.
    for m in re.finditer(r"Juan Pérez", text):
        found.append(Finding("employer", m.start(), m.end(), m.group(), 0.9, "name"))
    return sorted(found, key=lambda f: f.start)


# --- CSV ----------------------------------------------------------------------------------


def rows(data: bytes, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline=""), delimiter=delimiter))


def test_csv_header_gives_context_and_other_cells_are_unchanged() -> None:
    data = (
        b"NAME;SSN_ITIN;CASE_NO;NOTES\r\n"
        b'"Ana Ruiz";585201234;585201234;"line one\r\nline two; with ""quotes"""\r\n'
        b'"Leo Diaz";;77;"none"\r\n'
    )
    result = redact_csv(data, scan=context_scan, style=LABEL, propagate=False)
    before, after = rows(data, delimiter=";"), rows(result.data, delimiter=";")
    assert after[1] == ["Ana Ruiz", "[SSN]", "585201234", before[1][3]]
    assert after[0] == before[0] and after[2] == before[2]
    # The untouched row is copied byte for byte; the line endings stay CRLF.
    assert result.data.endswith(b'"Leo Diaz";;77;"none"\r\n')
    assert result.data.count(b"\r\n") == data.count(b"\r\n")
    assert result.summary.counts == {"ssn": 1}
    assert result.summary.parts == ("column SSN_ITIN",)


def test_csv_propagation_reaches_the_bare_copy() -> None:
    data = b"NAME,SSN,CASE_NO\nAna,585201234,585-20-1234\n"
    after = rows(redact_csv(data, scan=context_scan, style=LABEL).data)
    assert after[1] == ["Ana", "[SSN]", "[SSN]"]


def test_csv_without_findings_is_returned_unchanged() -> None:
    data = b"a,b\n1,2"
    assert redact_csv(data, scan=context_scan, style=LABEL).data == data


def test_csv_quote_all_rows_stay_quoted_and_encoding_is_kept() -> None:
    data = '"NOMBRE","SSN"\n"Juan Pérez","585-20-1234"\n"Ñaño","1"\n'.encode("cp1252")
    result = redact_csv(data, scan=context_scan, style=LABEL)
    assert result.data == '"NOMBRE","SSN"\n"[EMPLOYER]","[SSN]"\n"Ñaño","1"\n'.encode("cp1252")
    masked = redact_csv(data, scan=context_scan, style=RedactionStyle.mask())
    assert rows(masked.data, "utf-8")[1] == ["█" * 10, "█" * 11]  # cp1252 has no █
    assert masked.summary.notes


def test_tsv_keeps_tabs() -> None:
    data = b"NAME\tSSN\nAna\t585201234\n"
    out = redact_csv(data, scan=context_scan, style=LABEL, delimiter="\t").data
    assert out == b"NAME\tSSN\nAna\t[SSN]\n"


# --- XLSX ---------------------------------------------------------------------------------


def build_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Claims"
    ws.append(["Name", "SSN", "DOB", "Phone", "Amount", "Note", "Formula"])
    ws.append(["Ana Ruiz", 585201234, dt.datetime(1982, 4, 11), 5055551234.0, 12.5, "ok", None])
    ws.append(["Leo Diaz", "585-20-1235", dt.date(1990, 1, 2), None, 3, "n", '="x"&B2'])
    ws["B4"] = 12345678
    ws["B4"].number_format = "000-00-0000"  # Excel's SSN format: displays 012-34-5678
    ws["A4"] = "Juan Pérez"
    ws["F2"].comment = Comment("Juan Pérez called", "Juan Pérez")
    ws["F3"].hyperlink = "mailto:x@y.gov?subject=Juan%20P%C3%A9rez"
    ws.oddFooter.left.text = "Juan Pérez file"
    tab = Table(displayName="ClaimsTable", ref="A1:G4")
    ws.add_table(tab)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=5, min_row=1, max_row=3), titles_from_data=True)
    ws.add_chart(chart, "I2")
    other = wb.create_sheet("Juan Pérez")
    other["A1"] = "untouched"
    wb.properties.title = "Claims of Juan Pérez"
    wb.properties.creator = "clerk"
    wb.custom_doc_props.append(StringProperty(name="client", value="Juan Pérez"))
    wb.custom_doc_props.append(StringProperty(name="office", value="Gallup"))
    wb.defined_names["who"] = DefinedName("who", attr_text='"Juan Pérez"')
    wb.defined_names["area"] = DefinedName("area", attr_text="Claims!$A$1:$B$2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_cells_numbers_dates_and_formats() -> None:
    data = build_workbook()
    result = redact_xlsx(data, scan=context_scan, style=LABEL, propagate=False)
    wb = load(result.data)
    ws = wb["Claims"]
    before = load(data)["Claims"]
    assert [c.value for c in ws[2]] == [
        "Ana Ruiz",
        "[SSN]",  # an integer cell, scanned as its digits with the SSN header
        "[DOB]",  # a date cell, scanned as YYYY-MM-DD
        "[PHONE]",  # a float cell
        12.5,
        "ok",
        None,
    ]
    assert [c.value for c in ws[3]] == ["Leo Diaz", "[SSN]", "[DOB]", None, 3, "n", '="x"&B2']
    assert ws["B4"].value == "[SSN]"  # 12345678 shown as 012-34-5678
    assert ws["A4"].value == "[EMPLOYER]"
    assert ws["A1"].value == before["A1"].value and ws["E2"].value == before["E2"].value
    assert ws["G3"].data_type == "f"  # a formula without findings stays a formula


def test_xlsx_extras_and_removed_parts() -> None:
    result = redact_xlsx(build_workbook(), scan=context_scan, style=LABEL, propagate=False)
    wb = load(result.data)
    ws = wb["Claims"]
    assert ws["F2"].comment is not None
    assert ws["F2"].comment.text == "[EMPLOYER] called"
    assert ws["F2"].comment.author == "[EMPLOYER]"
    assert ws["F3"].hyperlink is not None and "Juan" not in ws["F3"].hyperlink.target
    assert ws.oddFooter.left.text == "[EMPLOYER] file"
    assert wb.properties.title == "Claims of [EMPLOYER]"
    assert wb.properties.creator == "clerk"
    assert {p.name: p.value for p in wb.custom_doc_props.props} == {
        "client": "[EMPLOYER]",
        "office": "Gallup",
    }
    assert "who" not in wb.defined_names and "area" in wb.defined_names
    assert "_EMPLOYER_" in wb.sheetnames  # a sheet title cannot hold [ ]
    assert ws._charts == []
    assert any("charts" in r for r in result.summary.removed)
    for text in xlsx_views(result.data):
        assert "Juan" not in text and "585201234" not in text and "1982-04-11" not in text


def test_xlsx_table_columns_follow_a_redacted_header() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Juan Pérez", "SSN"])
    ws.append(["a", "585201234"])
    ws.add_table(Table(displayName="T", ref="A1:B2"))
    buf = io.BytesIO()
    wb.save(buf)
    out = redact_xlsx(buf.getvalue(), scan=context_scan, style=LABEL).data
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        table_xml = zf.read(next(n for n in zf.namelist() if n.startswith("xl/tables/"))).decode()
    assert 'name="[EMPLOYER]"' in table_xml and "Juan" not in table_xml


def test_xlsx_round_trip_without_findings_keeps_values() -> None:
    data = build_workbook()
    out = redact_xlsx(data, scan=lambda text: [], style=LABEL).data
    before, after = load(data), load(out)
    assert before.sheetnames == after.sheetnames
    for ws in before.worksheets:
        for row_b, row_a in zip(ws.iter_rows(), after[ws.title].iter_rows(), strict=True):
            assert [c.value for c in row_b] == [c.value for c in row_a]
    assert zipfile.ZipFile(io.BytesIO(out)).testzip() is None


def test_xlsx_that_is_not_a_workbook_raises() -> None:
    with pytest.raises(UnreadableFileError, match="not a readable"):
        redact_xlsx(b"not a zip", scan=context_scan, style=LABEL)


def digits_scan(text: str) -> list[Finding]:
    return [
        Finding("ssn", m.start(), m.end(), m.group(), 0.9, "digits")
        for m in re.finditer(r"\d+", text)
    ]


CELL = st.text(alphabet="ab c,;\"'\r\n123é", max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    table=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    lineterminator=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_round_trip_property(
    table: list[list[str]], delimiter: str, quoting: int, lineterminator: str
) -> None:
    """Every digit is redacted, every other cell is unchanged, the shape is kept."""
    header = ["ha", "hb", "hc"]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=lineterminator)
    writer.writerows([header, *table])
    data = buf.getvalue().encode()
    # Python's writer leaves a lone "\r" unquoted under a "\n" terminator; such a file does
    # not read back as written even before redaction.
    assume(rows(data, delimiter=delimiter) == [header, *table])
    out = redact_csv(data, scan=digits_scan, style=LABEL, delimiter=delimiter).data
    after = rows(out, delimiter=delimiter)
    assert after[0] == header
    assert len(after) == len(table) + 1
    for before_row, after_row in zip(table, after[1:], strict=True):
        for cell_before, cell_after in zip(before_row, after_row, strict=True):
            if any(c.isdigit() for c in cell_before):
                assert not any(c.isdigit() for c in cell_after)
            else:
                assert cell_after == cell_before
