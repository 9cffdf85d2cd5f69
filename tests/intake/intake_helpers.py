"""Helpers shared by the intake tests."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from resguardo.intake import Inference, ParsedMessage, infer_request, parse_email_bytes

TESTS = Path(__file__).resolve().parents[1]
INTAKE_EMAILS = TESTS / "data" / "intake-emails"
SPECIMENS = TESTS / "data" / "legal-specimens"


def eml(
    body: str,
    *,
    sender: str = '"Agent, Test" <test.agent@ice.dhs.gov>',
    to: str = '"Clerk, Records (TRD-MVD)" <records.clerk@state.nm.us>',
    subject: str = "request",
    cc: str | None = None,
    attachments: tuple[tuple[str, str], ...] = (),
    html: str | None = None,
) -> bytes:
    """An email's bytes: plain body (or HTML only when ``body`` is empty) and text files."""
    m = EmailMessage(policy=default)
    m["From"] = sender
    m["To"] = to
    if cc:
        m["Cc"] = cc
    m["Subject"] = subject
    m["Date"] = "Mon, 02 Mar 2026 10:00:00 -0700"
    if body:
        m.set_content(body)
        if html is not None:
            m.add_alternative(html, subtype="html")
    elif html is not None:
        m.set_content(html, subtype="html")
    for name, text in attachments:
        m.add_attachment(text, filename=name)
    return m.as_bytes()


def parsed(body: str, **kwargs: object) -> ParsedMessage:
    """``eml(...)`` parsed."""
    return parse_email_bytes(eml(body, **kwargs))  # type: ignore[arg-type]


def infer(body: str, **kwargs: object) -> Inference:
    """The inference for ``eml(...)``."""
    return infer_request(parsed(body, **kwargs))
