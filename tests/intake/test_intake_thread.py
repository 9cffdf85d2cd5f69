"""Cutting a body into the sender's words and the earlier messages below them."""

from __future__ import annotations

from resguardo.intake.thread import split_thread


def test_no_thread() -> None:
    (only,) = split_thread("Please send his address.\n\nThanks")
    assert only.how == "own" and only.author is None
    assert "send his address" in only.text


def test_outlook_original_message() -> None:
    body = (
        "The purpose is none of your business.\n\n"
        "-----Original Message-----\n"
        "From: Clerk, Ann (TRD-MVD) <ann.clerk@state.nm.us>\n"
        "Sent: Tuesday, March 3, 2026 9:31 AM\n"
        "To: Agent, Bo <bo.agent@hsi.dhs.gov>\n"
        "Subject: RE: lookup\n\n"
        "What is it for?\n\n"
        "-----Original Message-----\n"
        "From: Agent, Bo <bo.agent@hsi.dhs.gov>\n"
        "Sent: Monday, March 2, 2026 4:12 PM\n"
        "To: Clerk, Ann (TRD-MVD) <ann.clerk@state.nm.us>\n"
        "Subject: lookup\n\n"
        "Please send his SSN.\n"
    )
    own, clerk, agent = split_thread(body)
    assert "none of your business" in own.text
    assert clerk.author is not None and clerk.author.address == "ann.clerk@state.nm.us"
    assert clerk.to[0].address == "bo.agent@hsi.dhs.gov"
    assert clerk.subject == "RE: lookup" and clerk.how == "reply"
    assert clerk.text.strip() == "What is it for?"
    assert agent.author is not None and agent.author.address == "bo.agent@hsi.dhs.gov"
    assert "SSN" in agent.text


def test_gmail_forward() -> None:
    body = (
        "FYI see below.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Celia Ruiz <c.ruiz@ice.dhs.gov>\n"
        "Date: Mon, Nov 3, 2025 at 9:12 AM\n"
        "Subject: Garcia\n"
        "To: Sgt. Bob <bob@county.example>\n\n"
        "Looking for his reporting schedule.\n"
    )
    own, fwd = split_thread(body)
    assert own.text.strip() == "FYI see below."
    assert fwd.how == "forward"
    assert fwd.author is not None and fwd.author.address == "c.ruiz@ice.dhs.gov"


def test_spanish_outlook_header_without_banner() -> None:
    body = (
        "Le reenvío esto.\n\n"
        "De: Oficial Pérez <perez@cbp.dhs.gov>\n"
        "Enviado: lunes, 2 de marzo de 2026 10:00\n"
        "Para: Oficina <oficina@state.nm.us>\n"
        "Asunto: consulta\n\n"
        "Necesito su domicilio.\n"
    )
    _, earlier = split_thread(body)
    assert earlier.author is not None and earlier.author.domain == "cbp.dhs.gov"
    assert earlier.subject == "consulta"
    assert "domicilio" in earlier.text


def test_html_rendered_header_without_address_keeps_the_name() -> None:
    body = "Reply.\nFrom: Whitlock, Dana R.\nSent: Monday, 4:12 PM\nSubject: x\nPlease send it.\n"
    _, earlier = split_thread(body)
    assert earlier.author is not None and earlier.author.name == "Whitlock, Dana R."
    assert earlier.author.address == ""


def test_quoted_reply_with_nested_quotes() -> None:
    body = (
        "It's for a federal matter.\n\n"
        "On Thu, Mar 19, 2026 at 2:05 PM Ann Clerk <ann@state.nm.us> wrote:\n"
        "> What is it for?\n"
        ">\n"
        "> On Thu, Mar 19, 2026 at 9:30 AM Bo Agent <bo@ice.dhs.gov> wrote:\n"
        ">> Please send his phone number.\n"
    )
    own, clerk, agent = split_thread(body)
    assert own.text.strip() == "It's for a federal matter."
    assert clerk.author is not None and clerk.author.address == "ann@state.nm.us"
    assert clerk.how == "quote" and "What is it for?" in clerk.text
    assert agent.author is not None and agent.author.address == "bo@ice.dhs.gov"
    assert "phone number" in agent.text


def test_a_rule_of_underscores_is_not_a_separator_without_a_header() -> None:
    body = (
        "Warrant text below.\n\n      /s/ Officer\n      ______________________\n      Signature\n"
    )
    assert len(split_thread(body)) == 1


def test_html_reply_without_quote_marks() -> None:
    body = (
        "Thanks, see below.\n"
        "On Mon, Mar 2, 2026 at 9:00 AM Bo Agent <bo@ice.dhs.gov> wrote:\n"
        "Please send his address.\n"
    )
    own, quoted = split_thread(body)
    assert own.text.strip() == "Thanks, see below."
    assert quoted.author is not None and quoted.author.address == "bo@ice.dhs.gov"
    assert "send his address" in quoted.text
