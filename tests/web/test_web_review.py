"""Central review end to end: a case goes to review, a reviewer releases part of it, the
records come out redacted, and the auditor finds every step in an intact log."""

from __future__ import annotations

import csv
import io
import json
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webtest_helpers import DEV_EMAILS, confirm_as_read, log_email, login, post_form, release_part

from resguardo.audit.log import verify_log
from resguardo.store.cases import Case, CaseStatus

RECORDS = (
    b"name,home_address,ssn,dob,a_number,benefits,phone\n"
    b"Marisela Yupanqui Ortega,1420 Calle Luna SW Albuquerque NM 87105,585-20-1234,"
    b"04/05/1990,A220187455,SNAP recipient,(505) 555-0142\n"
    b"Tomas Quispe,88 Rio Bravo Blvd SE Albuquerque NM 87102,612-44-9087,11/23/1985,"
    b"A201334876,TANF,(505) 555-0177\n"
)
WITHHELD_VALUES = ("585-20-1234", "612-44-9087", "04/05/1990", "A220187455", "555-0142", "SNAP")
RELEASED_VALUES = ("1420 Calle Luna SW Albuquerque NM 87105", "88 Rio Bravo Blvd SE")


def _escalated_case(app: FastAPI, clerk: TestClient) -> int:
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes(), name="req-05.eml")
    assert confirm_as_read(clerk, case_id).status_code == 303
    with app.state.ctx.store.read_session() as db:
        case = db.get(Case, case_id)
        assert case is not None and case.status is CaseStatus.IN_REVIEW
    return case_id


def test_partial_release_end_to_end(backend_app: FastAPI) -> None:
    app = backend_app
    clerk, reviewer, auditor = TestClient(app), TestClient(app), TestClient(app)
    login(clerk, "ana")
    login(reviewer, "rita")
    login(auditor, "olga")
    case_id = _escalated_case(app, clerk)

    # The queue shows it, with the time waited, and the filters find it.
    queue = reviewer.get("/review")
    assert f'id="queue-row-{case_id}"' in queue.text
    for params, present in (
        ({"agency": "ice enforcement"}, True),
        ({"agency": "sheriff"}, False),
        ({"requester": "pruett"}, True),
        ({"record_system": "human_services"}, True),
        ({"record_system": "motor_vehicles"}, False),
        ({"age": "24"}, False),
        ({"assigned": "unassigned"}, True),
        ({"assigned": "me"}, False),
    ):
        page = reviewer.get("/review", params=params)
        assert (f'id="queue-row-{case_id}"' in page.text) is present, params

    took = post_form(reviewer, f"/cases/{case_id}/take", token_from=f"/cases/{case_id}")
    assert took.status_code == 303
    mine = reviewer.get("/review", params={"assigned": "me"})
    assert f'id="queue-row-{case_id}"' in mine.text

    # A decision needs a reason; a partial release needs some categories, not all.
    no_reason = post_form(
        reviewer,
        f"/cases/{case_id}/review",
        {"outcome": "release_redacted", "release_categories": ["street_address"], "reason": " "},
        token_from=f"/cases/{case_id}",
    )
    assert no_reason.status_code == 400
    assert 'id="review-error"' in no_reason.text
    decided = release_part(reviewer, case_id)
    assert decided.status_code == 303, decided.text[:1000]
    with app.state.ctx.store.read_session() as db:
        case = db.get(Case, case_id)
        assert case is not None
        assert case.status is CaseStatus.REVIEWED
        assert case.final_outcome == "release_redacted"
        assert case.released_categories == ["street_address"]

    # The clerk sees the state and a reply to send.
    clerk_view = clerk.get(f"/cases/{case_id}")
    assert 'id="final-outcome"' in clerk_view.text and 'id="reply"' in clerk_view.text

    # The reviewer uploads the records and downloads them redacted.
    upload = post_form(
        reviewer,
        f"/cases/{case_id}/records",
        files=[("records", ("export.csv", RECORDS, "text/csv"))],
        token_from=f"/cases/{case_id}",
    )
    assert upload.status_code == 303, upload.text[:1000]
    page = reviewer.get(f"/cases/{case_id}")
    link = re.search(rf'href="(/cases/{case_id}/releases/(\d+))"', page.text)
    assert link
    download = reviewer.get(link.group(1))
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    body = download.content.decode("utf-8")
    for value in WITHHELD_VALUES:
        assert value not in body, value
    for value in RELEASED_VALUES:
        assert value in body, value
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["name", "home_address", "ssn", "dob", "a_number", "benefits", "phone"]
    assert rows[1][2] == "[SSN]"
    # The unredacted upload is not kept anywhere.
    with app.state.ctx.store.read_session() as db:
        from resguardo.store.cases import CaseDocument, ReleasedFile

        for row in db.scalars(select(ReleasedFile)):
            assert b"585-20-1234" not in row.redacted
        for doc in db.scalars(select(CaseDocument)):
            assert b"585-20-1234" not in doc.content

    # The clerk who logged it may download it too; the auditor finds every step.
    assert clerk.get(link.group(1)).status_code == 200
    log = auditor.get("/audit", params={"object_type": "case", "object_id": str(case_id)})
    assert log.status_code == 200
    actions = re.findall(r'data-action="([^"]+)"', log.text)
    for action in ("request.create", "decision", "review.assign", "review", "release", "download"):
        assert action in actions, (action, actions)
    assert actions.count("download") == 2
    logins = auditor.get("/audit", params={"action": "login"})
    assert logins.text.count('data-action="login"') >= 3
    exported = auditor.get("/audit/export", params={"format": "json"})
    entries = json.loads(exported.text)
    assert any(e["action"] == "review" and e["object_id"] == str(case_id) for e in entries)
    verified = auditor.get("/audit/verify")
    assert 'data-ok="true"' in verified.text
    with app.state.ctx.store.read_session() as db:
        assert verify_log(db).ok


def test_deny_and_csv_export(
    app: FastAPI, clerk: TestClient, reviewer: TestClient, auditor: TestClient
) -> None:
    case_id = _escalated_case(app, clerk)
    denied = post_form(
        reviewer,
        f"/cases/{case_id}/review",
        {"outcome": "deny", "reason": "Administrative subpoena; SB 36 bars disclosure."},
        token_from=f"/cases/{case_id}",
    )
    assert denied.status_code == 303
    # Nothing can be released on a denied case.
    refused = post_form(
        reviewer,
        f"/cases/{case_id}/records",
        files=[("records", ("export.csv", RECORDS, "text/csv"))],
        token_from=f"/cases/{case_id}",
    )
    assert refused.status_code == 403
    export = auditor.get("/audit/export", params={"format": "csv"})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text)))
    review = [r for r in rows if r["action"] == "review"]
    assert review and json.loads(review[0]["details"])["outcome"] == "deny"


def test_assignment_to_another_reviewer(
    app: FastAPI, clerk: TestClient, reviewer: TestClient
) -> None:
    case_id = _escalated_case(app, clerk)
    page = reviewer.get(f"/cases/{case_id}")
    raul = re.search(r'<option value="(\d+)">Raul \(raul\)</option>', page.text)
    assert raul
    moved = post_form(
        reviewer,
        f"/cases/{case_id}/assign",
        {"assignee": raul.group(1)},
        token_from=f"/cases/{case_id}",
    )
    assert moved.status_code == 303
    blocked = post_form(
        reviewer,
        f"/cases/{case_id}/review",
        {"outcome": "deny", "reason": "not mine"},
        token_from=f"/cases/{case_id}",
    )
    assert blocked.status_code == 409
    bad = post_form(
        reviewer, f"/cases/{case_id}/assign", {"assignee": "1"}, token_from=f"/cases/{case_id}"
    )
    assert bad.status_code == 400  # user 1 is a clerk, not a reviewer


def test_unsupported_records_are_refused(
    app: FastAPI, clerk: TestClient, reviewer: TestClient
) -> None:
    case_id = _escalated_case(app, clerk)
    post_form(
        reviewer,
        f"/cases/{case_id}/review",
        {"outcome": "release", "reason": "Judicial warrant verified by counsel."},
        token_from=f"/cases/{case_id}",
    )
    pdf = post_form(
        reviewer,
        f"/cases/{case_id}/records",
        files=[("records", ("export.pdf", b"%PDF-1.4", "application/pdf"))],
        token_from=f"/cases/{case_id}",
    )
    assert pdf.status_code == 415
    broken = post_form(
        reviewer,
        f"/cases/{case_id}/records",
        files=[("records", ("export.xlsx", b"not a workbook", "application/octet-stream"))],
        token_from=f"/cases/{case_id}",
    )
    assert broken.status_code == 422


STATUS_RECORDS = (
    b"name,home_address,status\n"
    b"Marisela Yupanqui Ortega,1420 Calle Luna SW Albuquerque NM 87105,LPR\n"
    b"Tomas Quispe,88 Rio Bravo Blvd SE Albuquerque NM 87102,pending adj.\n"
    b"Rosa Mamani,,\n"
    b"Ana Ruiz,5 Main St NW Albuquerque NM 87102,LPR\n"
)


def _status_workbook() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in csv.reader(io.StringIO(STATUS_RECORDS.decode())):
        ws.append([cell or None for cell in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_partial_release_withholds_a_column_the_scanner_recognised(
    app: FastAPI, clerk: TestClient, reviewer: TestClient, auditor: TestClient
) -> None:
    """The scanner recognises "LPR" but not "pending adj.": the Status column goes whole,
    while the released address column stays as it was."""
    import zipfile

    case_id = _escalated_case(app, clerk)
    decided = release_part(reviewer, case_id)
    assert decided.status_code == 303, decided.text[:1000]
    for name, data, ctype in (
        ("status.csv", STATUS_RECORDS, "text/csv"),
        ("status.xlsx", _status_workbook(), "application/octet-stream"),
    ):
        upload = post_form(
            reviewer,
            f"/cases/{case_id}/records",
            files=[("records", (name, data, ctype))],
            token_from=f"/cases/{case_id}",
        )
        assert upload.status_code == 303, upload.text[:1000]
    page = reviewer.get(f"/cases/{case_id}")
    links = re.findall(rf'href="(/cases/{case_id}/releases/(\d+))"', page.text)
    assert len(links) == 2
    csv_body = reviewer.get(links[0][0]).content
    xlsx_body = reviewer.get(links[1][0]).content
    rows = list(csv.reader(io.StringIO(csv_body.decode("utf-8"))))
    assert rows[0] == ["name", "home_address", "status"]
    assert [r[2] for r in rows[1:]] == ["[IMMIGRATION-STATUS]"] * 2 + [""] + [
        "[IMMIGRATION-STATUS]"
    ]
    assert [r[1] for r in rows] == [r[1] for r in csv.reader(io.StringIO(STATUS_RECORDS.decode()))]
    assert b"pending adj." not in csv_body
    with zipfile.ZipFile(io.BytesIO(xlsx_body)) as zf:
        xml = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    assert "pending adj." not in xml and "[IMMIGRATION-STATUS]" in xml
    assert "1420 Calle Luna SW Albuquerque NM 87105" in xml
    # The reviewer sees which columns went whole, for each file.
    for _, file_id in links:
        listed = re.search(rf'id="withheld-columns-{file_id}"(.*?)</tr>', page.text, re.S)
        assert listed, page.text
        assert "status" in listed.group(1) and "3" in listed.group(1)
        assert "home_address" not in listed.group(1)
    # And the audit log records them with the release.
    entries = json.loads(auditor.get("/audit/export", params={"format": "json"}).text)
    releases = [e for e in entries if e["action"] == "release"]
    details = [e["details"] for e in releases]
    details = [json.loads(d) if isinstance(d, str) else d for d in details]
    assert details[0]["withheld_columns"] == [
        {"column": "status", "category": "immigration_status", "cells": 3}
    ]
    assert details[1]["withheld_columns"] == [
        {"column": "status", "category": "immigration_status", "sheet": "Sheet", "cells": 3}
    ]
