"""Legal process: what the attachments are, not what the email calls them."""

from __future__ import annotations

from intake_helpers import SPECIMENS

from resguardo.intake import Attachment
from resguardo.intake.process import body_claims, read_attachment, read_pasted
from resguardo.policy import ProcessKind


def specimen(name: str) -> Attachment:
    return Attachment(name, "text/plain", text=(SPECIMENS / name).read_text(encoding="utf-8"))


def test_an_administrative_warrant_is_not_a_judge_s_warrant() -> None:
    reading = read_attachment(specimen("i200-alt-layout.txt"))
    assert reading is not None and reading.kind is ProcessKind.ADMINISTRATIVE_WARRANT
    assert reading.process is not None and reading.process.issuing_court is None
    assert reading.process.signed_by


def test_a_magistrate_judge_s_search_warrant_keeps_signer_and_court() -> None:
    reading = read_attachment(specimen("ao93c-electronic-warrant-magistrate.txt"))
    assert reading is not None and reading.kind is ProcessKind.JUDICIAL_WARRANT
    process = reading.process
    assert process is not None
    assert process.signed_by == "United States Magistrate Judge"
    assert process.issuing_court and "District Court" in process.issuing_court
    assert "AO 93C" in (process.document or "")


def test_an_immigration_judge_s_order_is_not_process() -> None:
    reading = read_attachment(specimen("ij-decision-and-order.txt"))
    assert reading is not None and reading.kind is ProcessKind.NONE and reading.process is None


def test_signed_and_unsigned_consents() -> None:
    signed = read_attachment(specimen("consent-health-records-english.txt"))
    assert signed is not None and signed.signed_consent
    assert signed.process is not None and signed.process.covers
    unsigned = read_attachment(specimen("consent-template-unsigned.txt"))
    assert unsigned is not None and not unsigned.signed_consent
    assert unsigned.process is None or unsigned.process.kind is not ProcessKind.WRITTEN_CONSENT


def test_an_unreadable_warrant_is_unknown_but_a_logo_is_ignored() -> None:
    scan = read_attachment(Attachment("warrant_scan.pdf", "application/pdf", problem="no text"))
    assert scan is not None and scan.kind is ProcessKind.UNKNOWN
    assert scan.process is not None and scan.process.kind is ProcessKind.UNKNOWN
    logo = Attachment("image001.png", "image/png", problem="images are not read", inline_image=True)
    assert read_attachment(logo) is None


def test_a_pasted_document_and_a_described_one() -> None:
    pasted = read_pasted((SPECIMENS / "email-with-pasted-i205.txt").read_text(), "the body")
    assert pasted is not None and pasted.kind is ProcessKind.ADMINISTRATIVE_WARRANT
    described = read_pasted((SPECIMENS / "email-claims-signed-warrant.txt").read_text(), "the body")
    assert described is None


def test_body_claims() -> None:
    claims = body_claims("Attached is a signed warrant for his arrest. We have a subpoena too.")
    assert [c.noun for c in claims] == ["signed warrant", "subpoena"]
    assert body_claims("Is his card a Driving Authorization Card?") == []
