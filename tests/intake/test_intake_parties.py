"""Who is asking: domains, signatures, webmail, the person herself."""

from __future__ import annotations

import pytest

from resguardo.intake import Mailbox
from resguardo.intake.parties import (
    domain_info,
    identify,
    is_webmail,
    related_org,
    same_org,
    signature_block,
)
from resguardo.policy import AgencyKind


@pytest.mark.parametrize(
    ("domain", "kind"),
    [
        ("ice.dhs.gov", AgencyKind.FEDERAL_IMMIGRATION),
        ("hsi.dhs.gov", AgencyKind.FEDERAL_IMMIGRATION),
        ("cbp.dhs.gov", AgencyKind.FEDERAL_IMMIGRATION),
        ("fbi.gov", AgencyKind.FEDERAL_LAW_ENFORCEMENT),
        ("ic.fbi.gov", AgencyKind.FEDERAL_LAW_ENFORCEMENT),
        ("usdoj.gov", AgencyKind.FEDERAL_LAW_ENFORCEMENT),
        ("usmarshals.gov", AgencyKind.FEDERAL_LAW_ENFORCEMENT),
        ("census.gov", AgencyKind.FEDERAL_STATISTICAL),
        ("state.nm.us", AgencyKind.STATE_AGENCY),
        ("dws.state.nm.us", AgencyKind.STATE_AGENCY),
        ("hca.nm.gov", AgencyKind.STATE_AGENCY),
        ("nmcourts.gov", AgencyKind.COURT),
        ("nmd.uscourts.gov", AgencyKind.COURT),
    ],
)
def test_domain_table(domain: str, kind: AgencyKind) -> None:
    info = domain_info(domain)
    assert info is not None and info.kind is kind


def test_generic_and_unknown_domains() -> None:
    info = domain_info("dhs.gov")
    assert info is not None and info.kind is None  # a component must be named
    assert domain_info("vcso.example") is None
    assert domain_info("example.com") is None
    assert is_webmail("gmail.com") and not is_webmail("fbi.gov")


def test_organisations() -> None:
    a = Mailbox("A", "a@dws.state.nm.us")
    assert same_org(a, Mailbox("B", "b@dws.state.nm.us"))
    assert not same_org(a, Mailbox("C", "c@state.nm.us"))
    assert related_org(a, Mailbox("C", "c@state.nm.us"))
    assert related_org(a, Mailbox("D", "d@hca.nm.gov"))  # same state government
    assert not related_org(a, Mailbox("E", "e@ice.dhs.gov"))
    assert not same_org(Mailbox("", "x@gmail.com"), Mailbox("", "y@gmail.com"))


def test_signature_after_a_closing() -> None:
    text = "Please send it.\n\nThanks,\n\nJo Smith\nDeportation Officer\nICE ERO Denver\n"
    start, block = signature_block(text)
    assert text[:start].strip() == "Please send it.\n\nThanks,"
    assert "Deportation Officer" in block


def test_signature_without_a_closing_and_a_disclaimer_below() -> None:
    text = (
        "Need the address for the plate below. This is for a burglary case.\n\n"
        "Det. Lee\nTown Police Department\n(505) 555-0100\n\n"
        "CONFIDENTIALITY NOTICE: this message is intended only for the addressee and may "
        "contain privileged information; if you received it in error, delete it.\n"
    )
    _, block = signature_block(text)
    assert "Town Police Department" in block
    assert "burglary" not in block


def test_identify_by_domain_and_signature() -> None:
    who = identify(
        Mailbox("Salcido, Ray", "ray.salcido@ice.dhs.gov"),
        "Please send it.\n\nRay Salcido\nDeportation Officer\n"
        "U.S. Immigration and Customs Enforcement\n",
    )
    assert who.kind is AgencyKind.FEDERAL_IMMIGRATION
    assert who.agency == "U.S. Immigration and Customs Enforcement"
    assert who.name == "Ray Salcido"
    assert ("kind", "sender domain ice.dhs.gov") in who.reasons


def test_reserved_domain_uses_the_signature() -> None:
    sheriff = identify(
        Mailbox("Lt. Kim", "kim@county.example"),
        "Need his address.\n\nLt. Kim\nSierra County Sheriff's Office\n",
    )
    assert sheriff.kind is AgencyKind.LOCAL_LAW_ENFORCEMENT
    lawyer = identify(
        Mailbox("Pat Doe", "pat@doelaw.example"),
        "Please send the records.\n\nPat Doe\nAttorney at Law\n",
    )
    assert lawyer.kind is AgencyKind.PRIVATE


def test_webmail_claiming_an_agency_is_not_believed() -> None:
    who = identify(
        Mailbox("Agent K", "agentk@gmail.com"),
        "Send his address.\n\nAgent K\nHomeland Security Investigations\n",
    )
    assert who.kind is AgencyKind.UNKNOWN
    assert who.claimed is AgencyKind.FEDERAL_IMMIGRATION


def test_webmail_without_agency_is_a_private_person() -> None:
    who = identify(Mailbox("", "someone@yahoo.com"), "just need his address thanks")
    assert who.kind is AgencyKind.PRIVATE


def test_the_person_herself() -> None:
    who = identify(
        Mailbox("Rosa Diaz", "rosa@example.org"),
        "Please send a copy of my driving record to my lawyer.\n\nRosa Diaz\n",
    )
    assert who.kind is AgencyKind.PRIVATE and who.self_records


def test_dhs_parent_domain_needs_a_component() -> None:
    who = identify(Mailbox("X", "x@dhs.gov"), "Send his address.\n\nX\n")
    assert who.kind is AgencyKind.UNKNOWN
    who = identify(
        Mailbox("X", "x@dhs.gov"), "Send his address.\n\nX\nCustoms and Border Protection\n"
    )
    assert who.kind is AgencyKind.FEDERAL_IMMIGRATION


def test_conflicting_signature_keeps_the_domain() -> None:
    who = identify(
        Mailbox("T", "t@fbi.gov"),
        "Send it.\n\nT\nTask Force Officer\nAnytown Police Department\n",
    )
    assert who.kind is AgencyKind.FEDERAL_LAW_ENFORCEMENT
