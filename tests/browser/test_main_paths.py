"""The main paths of the review service in a real browser (headless Chromium) against the
real server (``resguardo demo`` in a subprocess):

* a clerk logs an agent's email with an administrative subpoena attached and gets a denial
  or an escalation, never a release;
* the case goes to central review, a reviewer takes it, decides a partial release with a
  reason, uploads the records and downloads them redacted;
* an auditor finds every step in the log, and the chain verifies;
* switching to Spanish translates the pages.

The fixtures chain (logged case → reviewed case), so each test also runs alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import DEV_EMAILS, LiveServer, login

from resguardo.web.i18n import translate

RECORDS = (
    b"name,home_address,ssn,dob,a_number,benefits,phone\n"
    b"Marisela Yupanqui Ortega,1420 Calle Luna SW Albuquerque NM 87105,585-20-1234,"
    b"04/05/1990,A220187455,SNAP recipient,(505) 555-0142\n"
    b"Tomas Quispe,88 Rio Bravo Blvd SE Albuquerque NM 87102,612-44-9087,11/23/1985,"
    b"A201334876,TANF,(505) 555-0177\n"
)
WITHHELD_VALUES = ("585-20-1234", "612-44-9087", "04/05/1990", "A220187455", "555-0142", "SNAP")
RELEASED_VALUES = ("1420 Calle Luna SW Albuquerque NM 87105", "88 Rio Bravo Blvd SE")
REASON = "Court order on file in matter D-202-CV-2025-0001 covers the home address only."


@dataclass
class LoggedCase:
    id: int
    pack_outcome: str
    status: str


@dataclass
class ReviewedCase:
    id: int
    download: bytes
    download_name: str


def _class_suffix(page: Any, selector: str, prefix: str) -> str:
    classes = (page.locator(selector).get_attribute("class") or "").split()
    found = [c[len(prefix) :] for c in classes if c.startswith(prefix)]
    assert found, (selector, classes)
    return found[0]


@pytest.fixture(scope="module")
def logged_case(new_page: Any) -> LoggedCase:
    """The clerk uploads req-05.eml (an ICE agent's email with an administrative subpoena
    attached), confirms what the system read, and sees the decision."""
    page = new_page("demo-clerk")
    page.get_by_role("link", name=translate("en", "nav.new_request")).first.click()
    assert page.url.endswith("/intake/new")
    page.locator("#email_file").set_input_files(str(DEV_EMAILS / "req-05.eml"))
    page.locator("#intake-submit").click()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    case_id = int(page.url.rsplit("/", 1)[1])
    # The confirmation form shows the inferred request: the subpoena was read as one.
    assert page.locator("#lp-0-kind").input_value() == "administrative_subpoena"
    page.locator("#confirm-submit").click()
    page.wait_for_load_state()
    assert page.locator("#pack-outcome").is_visible()
    assert page.locator("#reply").inner_text().strip()
    return LoggedCase(
        id=case_id,
        pack_outcome=_class_suffix(page, "#pack-outcome", "outcome-"),
        status=_class_suffix(page, "#case-status", "outcome-"),
    )


@pytest.fixture(scope="module")
def reviewed_case(new_page: Any, logged_case: LoggedCase, tmp_path_factory: Any) -> ReviewedCase:
    """A reviewer finds the case in the queue, takes it, releases the address only (with a
    reason), uploads a CSV of records and downloads the redacted file."""
    case_id = logged_case.id
    page = new_page("demo-reviewer")
    page.goto("/review")
    row = page.locator(f"#queue-row-{case_id}")
    assert row.is_visible()
    row.get_by_role("link", name=f"#{case_id}").click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}$"))
    page.locator("#take-case").click()
    page.wait_for_load_state()
    assert page.locator("#take-case").count() == 0  # it is ours now

    # A partial release: one category, a reason.
    page.locator("#outcome-release_redacted").check()
    page.locator("#release-street_address").check()
    page.locator("#reason").fill(REASON)
    page.locator("#review-submit").click()
    page.wait_for_load_state()
    assert _class_suffix(page, "#case-status", "outcome-") == "reviewed"
    assert _class_suffix(page, "#final-outcome", "outcome-") == "release_redacted"
    assert REASON in page.locator("#reviews").inner_text()

    # The records go in, and come out redacted.
    upload = tmp_path_factory.mktemp("records") / "export.csv"
    upload.write_bytes(RECORDS)
    page.locator("#records").set_input_files(str(upload))
    page.locator("#records-submit").click()
    page.wait_for_load_state()
    link = page.locator("#release-table a[id^='download-']").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    body = Path(download.path()).read_bytes()
    return ReviewedCase(id=case_id, download=body, download_name=download.suggested_filename)


def test_clerk_gets_deny_or_escalate_never_release(logged_case: LoggedCase) -> None:
    assert logged_case.pack_outcome in ("deny", "escalate"), logged_case
    assert logged_case.status == "in_review", logged_case


def test_reviewer_partial_release_downloads_redacted_records(reviewed_case: ReviewedCase) -> None:
    text = reviewed_case.download.decode("utf-8")
    assert reviewed_case.download_name.endswith(".csv")
    for value in WITHHELD_VALUES:
        assert value not in text, value
    for value in RELEASED_VALUES:
        assert value in text, value
    assert "[SSN]" in text


def test_auditor_finds_every_step(new_page: Any, reviewed_case: ReviewedCase) -> None:
    page = new_page("demo-auditor")
    page.goto("/audit")
    page.locator("#object_type").fill("case")
    page.locator("[name=object_id]").fill(str(reviewed_case.id))
    page.locator("#audit-filter-submit").click()
    page.wait_for_load_state()
    assert f"object_id={reviewed_case.id}" in page.url
    actions = page.locator("tr[data-action]").evaluate_all(
        "rows => rows.map(r => r.dataset.action)"
    )
    for action in ("request.create", "decision", "review.assign", "review", "release", "download"):
        assert action in actions, (action, actions)
    # The logins of the clerk and the reviewer are there too.
    page.goto("/audit?action=login")
    rows = page.locator("tr[data-action=login]").all_inner_texts()
    for who in ("demo-clerk", "demo-reviewer", "demo-auditor"):
        assert any(who in r for r in rows), (who, rows)
    page.locator("#verify-link").click()
    page.wait_for_load_state()
    assert page.locator("#verify-result").get_attribute("data-ok") == "true"


def test_switching_to_spanish_translates_the_pages(
    new_page: Any, live_server: LiveServer, logged_case: LoggedCase
) -> None:
    page = new_page()
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == translate("en", "login.title")
    page.locator("#lang-es").click()
    page.wait_for_load_state()
    assert page.url.endswith("/login")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == translate("es", "login.title")
    assert page.locator("#login-submit").inner_text() == translate("es", "login.submit")

    # The choice sticks after logging in, on every page the clerk sees.
    login(page, "demo-clerk", live_server.passwords["demo-clerk"])
    for path, key in (
        ("/intake/new", "intake.title"),
        ("/cases", "cases.title"),
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "es", path
        assert page.locator("h1").inner_text() == translate("es", key), path
    nav = page.locator("#main-nav").inner_text()
    assert translate("es", "nav.new_request") in nav
    assert translate("en", "nav.new_request") not in nav
    page.goto(f"/cases/{logged_case.id}")
    status = page.locator("#case-status").inner_text()
    assert status in (translate("es", "status.in_review"), translate("es", "status.reviewed"))
    assert translate("es", "case.decision_heading") in page.locator("#decision").inner_text()

    # And back to English.
    page.locator("#lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.locator("h1")
        .first.inner_text()
        .startswith(translate("en", "case.title", id=logged_case.id))
    )
