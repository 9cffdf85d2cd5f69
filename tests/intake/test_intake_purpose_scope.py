"""Purpose, scope and record system."""

from __future__ import annotations

import pytest

from resguardo.intake import Mailbox
from resguardo.intake.purpose import federal_law_cited, read_purpose
from resguardo.intake.scope import read_record_system, read_scope
from resguardo.policy import AgencyKind, Purpose

IMMIGRATION = {AgencyKind.FEDERAL_IMMIGRATION}
POLICE = {AgencyKind.LOCAL_LAW_ENFORCEMENT}


def purpose(text: str, kinds: set[AgencyKind], signature: str = "") -> Purpose:
    return read_purpose([text], [signature], kinds).purpose


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He is subject to a final order of removal.", Purpose.IMMIGRATION_ENFORCEMENT),
        ("Estamos por deportarlo.", Purpose.IMMIGRATION_ENFORCEMENT),
        ("This is a homicide investigation.", Purpose.CRIMINAL_INVESTIGATION),
        ("He is a fugitive.", Purpose.CRIMINAL_INVESTIGATION),
        ("The data are for statistical programs under Title 13.", Purpose.STATISTICAL),
        ("A missing child; AMBER Alert issued.", Purpose.HEALTH_OR_SAFETY_EMERGENCY),
        ("We represent the plaintiff in a civil matter.", Purpose.CIVIL_ENFORCEMENT),
        ("The subject is under federal investigation.", Purpose.UNKNOWN),
        ("For violations of federal law.", Purpose.UNKNOWN),
        ("Please send his address.", Purpose.UNKNOWN),
    ],
)
def test_stated_purposes(text: str, expected: Purpose) -> None:
    assert purpose(text, POLICE) is expected


def test_immigration_and_customs_enforcement_is_not_immigration_enforcement() -> None:
    assert purpose("Special Agent, U.S. Immigration and Customs Enforcement", IMMIGRATION) is (
        Purpose.UNKNOWN
    )


def test_removal_officer_title_states_the_purpose() -> None:
    assert purpose("Send his address.", IMMIGRATION, "DO Jo Smith\nICE ERO Denver") is (
        Purpose.IMMIGRATION_ENFORCEMENT
    )


def test_exigency_claimed_by_immigration_is_not_an_emergency() -> None:
    reading = read_purpose(
        ["EXIGENT - officer safety. He is armed and dangerous; imminent danger to the team."],
        ["ICE ERO"],
        IMMIGRATION,
    )
    assert reading.purpose is Purpose.IMMIGRATION_ENFORCEMENT
    assert any("not read as a health or safety emergency" in d for d in reading.doubts)


def test_exigency_alone_is_not_a_purpose() -> None:
    reading = read_purpose(["URGENT, this is exigent, ASAP."], [""], POLICE)
    assert reading.purpose is Purpose.UNKNOWN
    assert any("urgency claimed" in d for d in reading.doubts)


def test_a_genuine_emergency_from_police_wins_over_the_crime() -> None:
    assert purpose("Kidnapping: the child was abducted an hour ago.", POLICE) is (
        Purpose.HEALTH_OR_SAFETY_EMERGENCY
    )


def test_conflict_keeps_the_restrictive_reading() -> None:
    reading = read_purpose(["A smuggling prosecution; he is also removable."], [""], IMMIGRATION)
    assert reading.purpose is Purpose.IMMIGRATION_ENFORCEMENT
    assert any("more restrictive" in d for d in reading.doubts)


def test_a_court_asks_in_its_own_proceeding() -> None:
    assert purpose("Please deliver the records to the clerk.", {AgencyKind.COURT}) is (
        Purpose.AGENCY_FUNCTION
    )


def test_federal_law_cited() -> None:
    assert federal_law_cited(["8 U.S.C. 1373 requires you to share his status."])
    assert federal_law_cited(["Under the authority of 13 U.S.C. 6 we request an extract."]) is None


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Please send his address.", "individual"),
        ("All DL holders registered at 1412 Main St, please.", "several"),
        ("Everyone living at the address below.", "several"),
        ("Records for the six employees listed below.", "several"),
        ("Her address and the members of her household.", "several"),
        ("1. Ana Ruiz\n2. Pedro Soto\n3. Luis Vega\n", "several"),
        ("A monthly extract of all license records.", "bulk"),
        ("A list of all clients of the program.", "bulk"),
        ("All driver license records for the individual below.", "individual"),
    ],
)
def test_scope(text: str, scope: str) -> None:
    assert read_scope([text]).value == scope


@pytest.mark.parametrize(
    ("box", "system"),
    [
        (Mailbox("Lee, Ann (TRD-MVD)", "ann.lee@state.nm.us"), "motor_vehicles"),
        (Mailbox("MVD Records", "mvd.records@state.nm.us"), "motor_vehicles"),
        (Mailbox("Thao (DOL)", "t@dol.wa.gov"), "motor_vehicles"),
        (Mailbox("Gil (DWS)", "gil@dws.state.nm.us"), "workforce"),
        (Mailbox("Baca, L (HCA-ISD)", "lb@state.nm.us"), "human_services"),
        (Mailbox("Lucero, A (NMCD-PPD)", "al@state.nm.us"), "corrections"),
        (Mailbox("Holguin, P (DOH)", "ph@state.nm.us"), "health"),
    ],
)
def test_record_system_from_the_recipient(box: Mailbox, system: str) -> None:
    assert read_record_system([(box,)], []).value == system


def test_record_system_from_the_request_and_unknown() -> None:
    nobody = (Mailbox("Pat", "pat@city.example"),)
    assert read_record_system([nobody], ["He is on your caseload."]).value == "corrections"
    unknown = read_record_system([nobody], ["Please send it."])
    assert unknown.value == "other" and not unknown.certain
