"""Which categories a request asks for — and which it only mentions."""

from __future__ import annotations

import pytest

from resguardo.intake.categories import asked_categories, demanded_categories


def asked(text: str) -> set[str]:
    return {h.category for h in asked_categories(text) if h.category}


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("Please send his current address and DOB.", {"street_address", "date_of_birth"}),
        ("Can you confirm his date of birth?", {"date_of_birth"}),
        ("Need DL # and plate/VIN.", {"drivers_license", "license_plate", "vin"}),
        ("We need all vehicles registered to him.", {"license_plate", "vin"}),
        ("Please provide his SSN or ITIN.", {"ssn", "itin"}),
        ("Is he legal? Please confirm his immigration status.", {"immigration_status"}),
        ("Is the card a Driving Authorization Card?", {"immigration_status"}),
        ("Please confirm his country of birth.", {"national_origin"}),
        ("Can you confirm she is a Honduran national?", {"national_origin"}),
        ("Is she receiving SNAP or Medicaid benefits?", {"public_assistance"}),
        ("Please send his employer and wage records.", {"employer"}),
        ("When is his next hearing date?", {"scheduled_appearance"}),
        ("I need any mental health history you have.", {"disability"}),
        ("Please send the phone number on file.", {"phone_number"}),
        ("Necesito su domicilio y su fecha de nacimiento.", {"street_address", "date_of_birth"}),
        ("¿Me podría decir cuándo es su próxima cita?", {"scheduled_appearance"}),
        ("Les pido que envíen su número de seguro social.", {"ssn"}),
        (
            "Quisiera saber su situación migratoria y su nacionalidad.",
            {"immigration_status", "national_origin"},
        ),
    ],
)
def test_asks(text: str, categories: set[str]) -> None:
    assert asked(text) == categories


@pytest.mark.parametrize(
    "text",
    [
        "Subject: GARCIA, Pedro\nDOB: 01/30/1985",  # identifies the person
        "Need the RO name for NM plate BRZ592.",  # the plate is given, not asked
        "Mi licencia es la número 172408665.",  # a value, and no ask
        "A family enrolled in the rental assistance program is under investigation.",
        "Please do not disclose this summons to the employer.",  # a negation
        "My former employer did not pay me.",  # a story, not an ask
        "Please send the business location address and the registered agent.",
        "Please send his DL photo and the vehicle description.",
    ],
)
def test_mentions_are_not_asks(text: str) -> None:
    assert asked(text) == set()


def test_list_items_under_a_lead() -> None:
    text = "Please provide:\n\n  - current residential address\n  - driver license number\n"
    assert asked(text) == {"street_address", "drivers_license"}
    fields = "Fields requested:\n  - date of birth\n  - citizenship or lawful presence indicator\n"
    assert asked(fields) == {"date_of_birth", "immigration_status"}


def test_a_bare_list_of_fields_after_an_ask() -> None:
    text = "Need everyone registered at 12 Main St. Names, DOB, DL#, phone."
    assert asked(text) == {"date_of_birth", "drivers_license", "phone_number"}


def test_stop_leaves_the_signature_out() -> None:
    text = "Please send his address.\n\nJo\nCan you text my cell phone\n"
    assert asked(text) == {"street_address", "phone_number"}
    assert {h.category for h in asked_categories(text, stop=text.index("Jo"))} == {"street_address"}


def test_non_category_asks_are_reported_as_such() -> None:
    hits = asked_categories("Please send copies of the business license records.")
    assert hits and all(h.category == "" for h in hits)


def test_demand_section_of_a_warrant() -> None:
    doc = (
        "SEARCH WARRANT\n\nFor JOHN DOE, date of birth 04/27/1998:\n"
        "ITEMS TO BE SEIZED\n  a. the name and address of every employer;\n"
        "  b. every residential and mailing address of record;\n"
        "  c. the Social Security number on file.\n\n"
        "Issued: November 18, 2025\n/s/ Judge\n"
    )
    hits = demanded_categories(doc)
    assert hits is not None
    assert {h.category for h in hits} == {"employer", "street_address", "ssn"}


def test_unticked_options_are_not_authorised() -> None:
    consent = (
        "I authorize the Division to release the following records about me:\n"
        "  [X] My driving record\n  [ ] My Social Security number\n  [X] My address\n\n"
        "Signature: /s/ Ana Ruiz\n"
    )
    hits = demanded_categories(consent)
    assert hits is not None
    assert {h.category for h in hits} == {"drivers_license", "street_address"}


def test_no_demand_section() -> None:
    assert demanded_categories("ARREST WARRANT\nYou are commanded to arrest JOHN DOE.") is None
