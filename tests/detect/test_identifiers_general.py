"""Identifier cases beyond the dev corpus: the kinds of text a held-out corpus missed.

Each group below is one failure pattern (context only in a column header, context on the chat
line above, address blocks and rural routes, Spanish phone sentences, well-known false
alarms), written afresh: the examples are ours, not copies of any held-out document.
"""

from __future__ import annotations

import pytest

from resguardo.detect import identifiers
from resguardo.detect.scanner import Scanner


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(identifiers.detectors())


def found(scanner: Scanner, text: str, category: str) -> list[str]:
    """Texts of the findings of ``category`` in ``text``."""
    return [f.text for f in scanner.scan(text) if f.category == category]


# --- context only in a column header ------------------------------------------------------


def test_csv_whose_only_license_context_is_a_lowercase_dl_no_header(scanner: Scanner) -> None:
    text = (
        "rec_id,last_name,first_name,dl_no,county\n"
        "18,GALINDO,RUBEN,140882317,Luna\n"
        "19,OROZCO,MAYRA,139004562,Grant\n"
    )
    assert found(scanner, text, "drivers_license") == ["140882317", "139004562"]
    # the record ids are not licenses
    assert all(len(v) == 9 for v in found(scanner, text, "drivers_license"))


@pytest.mark.parametrize("header", ["dl_number", "DRV_LIC", "Lic No.", "License #", "DL/ID"])
def test_license_columns_under_other_names(scanner: Scanner, header: str) -> None:
    text = f"name,{header},county\nPEREA JULIAN,131556094,Dona Ana\nLUJAN ROSA,130221778,Otero\n"
    assert found(scanner, text, "drivers_license") == ["131556094", "130221778"]


def test_pipe_roster_whose_birth_dates_are_named_only_in_the_header(scanner: Scanner) -> None:
    text = (
        "Intake roster, week of 6/10\n"
        "\n"
        "| # | Resident | DOB | Bed |\n"
        "|---|----------|-----|-----|\n"
        "| 1 | Tapia, Efrain | 11/02/1979 | B-4 |\n"
        "| 2 | Quezada, Lorena | 3/7/1991 | C-1 |\n"
        "| 3 | Ybarra, Tomas | 1968-05-21 | C-2 |\n"
    )
    assert found(scanner, text, "date_of_birth") == ["11/02/1979", "3/7/1991", "1968-05-21"]


@pytest.mark.parametrize("head", ["D.O.B.", "Birth Date", "Fecha de nac.", "BDAY", "dob*"])
def test_birth_date_columns_under_other_names(scanner: Scanner, head: str) -> None:
    text = f"Name | {head} | Unit\nAragon, Luz | 04/19/1986 | 12\nBeltran, Ivan | 12/30/1977 | 14\n"
    assert found(scanner, text, "date_of_birth") == ["04/19/1986", "12/30/1977"]


def test_a_roster_quoted_in_a_reply_keeps_its_header(scanner: Scanner) -> None:
    text = (
        "> Name | DOB | Plate\n"
        "> Esquibel, Marco | 07/08/1984 | MWT-552\n"
        "> Salas, Irene | 02/14/1990 | none\n"
    )
    assert found(scanner, text, "date_of_birth") == ["07/08/1984", "02/14/1990"]
    assert found(scanner, text, "license_plate") == ["MWT-552"]


def test_dates_in_columns_that_are_not_birth_dates_stay_unmarked(scanner: Scanner) -> None:
    text = "Name | Intake date | Exit date\nAragon, Luz | 04/19/2019 | 05/02/2019\n"
    assert found(scanner, text, "date_of_birth") == []


def test_roster_addresses_named_only_by_the_column(scanner: Scanner) -> None:
    text = (
        "Name | Street | Town\n"
        "Chacon, Rey | 27 County Road 3520 | Flora Vista\n"
        "Nez, Darlene | HC 61 Box 2290 | Estancia\n"
        "Otero, Paz | 811 Tijeras Ave NW #3 | Albuquerque\n"
        "Roybal, Ana | 4 Camino Cuervo | Abiquiu\n"
    )
    assert found(scanner, text, "street_address") == [
        "27 County Road 3520",
        "HC 61 Box 2290",
        "811 Tijeras Ave NW #3",
        "4 Camino Cuervo",
    ]


def test_an_office_directory_column_is_still_not_a_residence(scanner: Scanner) -> None:
    text = (
        "Site | Street | Hours\n"
        "Gallup ISD | 1900 E Aztec Ave | 8-5\n"
        "Grants ISD | 1000 Roosevelt Ave | 8-5\n"
    )
    assert found(scanner, text, "street_address") == []


# --- context on the chat line above -------------------------------------------------------


def test_a_number_answering_the_question_on_the_line_above(scanner: Scanner) -> None:
    chat = (
        "[9:02 AM] Ochoa (HSI): morning. what's her NM DL number\n"
        "[9:04 AM] Trujillo: 041597730\n"
        "[9:04 AM] Ochoa (HSI): thx\n"
    )
    assert found(scanner, chat, "drivers_license") == ["041597730"]


def test_answers_to_other_questions_on_the_line_above(scanner: Scanner) -> None:
    chat = (
        "Agent Marsh: and his date of birth?\n"
        "Clerk: 08/23/1983\n"
        "Agent Marsh: SSN on file?\n"
        "Clerk: 585-71-2209\n"
        "Agent Marsh: A number?\n"
        "Clerk: 208 553 017\n"
    )
    assert found(scanner, chat, "date_of_birth") == ["08/23/1983"]
    assert found(scanner, chat, "ssn") == ["585-71-2209"]
    assert found(scanner, chat, "a_number") == ["208 553 017"]


def test_a_bare_number_after_an_unrelated_line_is_nothing(scanner: Scanner) -> None:
    chat = "Agent Marsh: how many came in today\nClerk: 041597730\n"
    assert found(scanner, chat, "drivers_license") == []
    assert found(scanner, chat, "ssn") == []


# --- addresses: blocks, routes, units, copies ---------------------------------------------


def test_an_address_block_wrapping_onto_its_city_line(scanner: Scanner) -> None:
    text = (
        "Please mail the determination to the claimant:\n"
        "\n"
        "Rosalinda Archibeque\n"
        "1450 Avenida Cesar Chavez SE, Unit 214\n"
        "Albuquerque, NM 87108\n"
    )
    assert found(scanner, text, "street_address") == [
        "1450 Avenida Cesar Chavez SE, Unit 214\nAlbuquerque, NM 87108"
    ]


def test_a_labelled_street_line_then_its_city_line(scanner: Scanner) -> None:
    text = "Home address:\n  9 Paseo del Rio\n  Bernalillo, NM 87004\nPhone: none on file"
    assert found(scanner, text, "street_address") == ["9 Paseo del Rio\n  Bernalillo, NM 87004"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("He lives out at RR 2 Box 118, Estancia.", "RR 2 Box 118, Estancia"),
        ("Residence: HC 32 Box 407B, Mountainair NM 87036", "HC 32 Box 407B, Mountainair NM 87036"),
        ("she stays at Rural Route 4, Box 12, Moriarty", "Rural Route 4, Box 12, Moriarty"),
    ],
)
def test_rural_routes_and_highway_contract_boxes(scanner: Scanner, text: str, span: str) -> None:
    assert found(scanner, text, "street_address") == [span]


def test_post_office_boxes_are_not_where_anyone_lives(scanner: Scanner) -> None:
    text = "Her mailing address is PO Box 1130, Santa Rosa NM 88435. P.O. Box 7, Vaughn."
    assert found(scanner, text, "street_address") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "Lives at 3600 Coors Blvd SW Lot 7, Albuquerque.",
            "3600 Coors Blvd SW Lot 7, Albuquerque",
        ),
        ("Res: 215 Hermosa Dr NE Apt 4B", "215 Hermosa Dr NE Apt 4B"),
        (
            "vive en 1822 Calle Sombra, apto. 3, Las Cruces",
            "1822 Calle Sombra, apto. 3, Las Cruces",
        ),
        (
            "Address: 77 Vista Grande Rd, Space 12, Edgewood",
            "77 Vista Grande Rd, Space 12, Edgewood",
        ),
        ("staying at 600 Oak St apt 2c for now", "600 Oak St apt 2c"),
    ],
)
def test_spans_take_in_the_unit(scanner: Scanner, text: str, span: str) -> None:
    assert found(scanner, text, "street_address") == [span]


def test_the_quoted_copy_of_an_address_is_marked_too(scanner: Scanner) -> None:
    text = (
        "Confirmed, that's still current.\n"
        "\n"
        "> Is she still living at 2418 Sunset Gardens Rd SW, ABQ 87121?\n"
        "> The file also lists\n"
        "> 2418 Sunset Gardens Rd SW, ABQ 87121\n"
        "> as the mailing address.\n"
    )
    assert found(scanner, text, "street_address") == [
        "2418 Sunset Gardens Rd SW, ABQ 87121",
        "2418 Sunset Gardens Rd SW, ABQ 87121",
    ]


# --- phones in Spanish sentences ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Mi número es el 575-555-0138, gracias.", "575-555-0138"),
        ("Si no contesto, mi cel es 575 555 0154.", "575 555 0154"),
        ("Por favor llámeme al (505) 555-0117 después de las 5.", "(505) 555-0117"),
        ("Su teléfono: 505.555.0171", "505.555.0171"),
    ],
)
def test_spanish_phone_sentences(scanner: Scanner, text: str, span: str) -> None:
    assert found(scanner, text, "phone_number") == [span]


# --- false alarms -------------------------------------------------------------------------


def test_the_textbook_placeholder_ssn_in_a_tech_post(scanner: Scanner) -> None:
    post = (
        "Re: [data-eng] masking test fixtures\n"
        "Don't use real values in fixtures. Our validator test feeds the classic "
        "123-45-6789 and 078-05-1120, and expects both to be masked as SSN-shaped."
    )
    assert found(scanner, post, "ssn") == []


def test_plate_stock_series_in_a_vendor_letter(scanner: Scanner) -> None:
    letter = (
        "Per the 2019 contract, we will ship passenger plate stock for series BAA-000 through "
        "BAZ-999 in March, and the motorcycle series MAA-100 to MAZ-999 in April. Sample "
        "plates are stamped ABC-000."
    )
    assert found(scanner, letter, "license_plate") == []


def test_a_consulate_appointment_line_in_a_newsletter(scanner: Scanner) -> None:
    newsletter = (
        "COMMUNITY NOTES - JUNE\n"
        "\n"
        "The Mexican Consulate will hold a mobile consulate at Sacred Heart on June 22. "
        "Passports and matrículas by appointment only; call the consulate's appointment "
        "line at (505) 555-0190 to reserve a time.\n"
        "El Consulado de México atenderá citas por teléfono al 505-555-0191."
    )
    assert found(scanner, newsletter, "phone_number") == []


def test_a_restaurant_address_in_a_review(scanner: Scanner) -> None:
    review = (
        "My husband and I finally tried Casa Nopal at 2930 Isleta Blvd SW last Friday. "
        "The red chile was great and the staff were friendly. They're open till 9. "
        "Five stars from us!"
    )
    assert found(scanner, review, "street_address") == []


def test_an_eatery_named_before_its_address(scanner: Scanner) -> None:
    review = "We stopped at Tacos Chano, 1804 Bridge Blvd SW, on the way home. Loved it."
    assert found(scanner, review, "street_address") == []


# --- more shapes of the same patterns -----------------------------------------------------


def test_a_tab_separated_export_with_a_license_number_column(scanner: Scanner) -> None:
    text = "Last\tFirst\tDL Number\tExp\nVALDEZ\tNORMA\t120558731\t03/2021\n"
    assert found(scanner, text, "drivers_license") == ["120558731"]
    assert found(scanner, text, "date_of_birth") == []


def test_a_fixed_width_screen_print_with_a_license_column(scanner: Scanner) -> None:
    text = (
        "LAST NAME       FIRST        LIC NO        CLASS\n"
        "MONDRAGON       ESTEVAN      129467005     D\n"
        "PADILLA         TERESA       133010288     D\n"
    )
    assert found(scanner, text, "drivers_license") == ["129467005", "133010288"]


def test_text_message_answers_without_time_stamps(scanner: Scanner) -> None:
    sms = "Me: whats the tag on the truck\nThem: MXR 441\nMe: and her dob\nThem: 3/14/88\n"
    assert found(scanner, sms, "license_plate") == ["MXR 441"]
    assert found(scanner, sms, "date_of_birth") == ["3/14/88"]


def test_an_address_block_with_zip_plus_four(scanner: Scanner) -> None:
    text = "Send it to the tenant:\nOctavio Serna\n31 Calle Estrella\nSanta Fe NM 87507-2214\n"
    assert found(scanner, text, "street_address") == ["31 Calle Estrella\nSanta Fe NM 87507-2214"]


def test_a_signature_block_under_a_closing_is_not_a_home(scanner: Scanner) -> None:
    text = (
        "Let me know if you need anything else.\n"
        "\n"
        "Thanks,\n"
        "Marisa Quintana\n"
        "1200 Pennsylvania St NE\n"
        "Albuquerque, NM 87110\n"
    )
    assert found(scanner, text, "street_address") == []


def test_public_lines_in_spanish_notices(scanner: Scanner) -> None:
    text = "Para citas llame al 505-555-0199 de lunes a viernes. Oficina: 505-555-0123."
    assert found(scanner, text, "phone_number") == []


@pytest.mark.parametrize("number", ["111-11-1111", "219-09-9999", "123 45 6789"])
def test_other_example_numbers_are_not_ssns(scanner: Scanner, number: str) -> None:
    assert found(scanner, f"SSN: {number}", "ssn") == []


def test_a_real_looking_ssn_next_to_the_placeholder_is_still_found(scanner: Scanner) -> None:
    text = "Replace the sample 123-45-6789 with hers: SSN 585-31-7742."
    assert found(scanner, text, "ssn") == ["585-31-7742"]


def test_one_plate_near_a_series_is_still_a_plate(scanner: Scanner) -> None:
    text = "The truck's plate is NRV-204; the new series starts at NZA-000."
    assert found(scanner, text, "license_plate") == ["NRV-204"]


def test_answers_with_a_few_words_before_them(scanner: Scanner) -> None:
    chat = "Ochoa: what's his DL number\nTrujillo: its 041597730\n"
    assert found(scanner, chat, "drivers_license") == ["041597730"]


def test_an_address_and_a_phone_answering_the_line_above(scanner: Scanner) -> None:
    chat = (
        "Agent Marsh: where is she staying now?\n"
        "Clerk: 4410 Montano Rd NW, Albuquerque\n"
        "Agent Marsh: and a good number for her?\n"
        "Clerk: 505-555-0142\n"
    )
    assert found(scanner, chat, "street_address") == ["4410 Montano Rd NW, Albuquerque"]
    assert found(scanner, chat, "phone_number") == ["505-555-0142"]


def test_an_address_block_with_the_unit_on_the_city_line(scanner: Scanner) -> None:
    text = "Tenant of record:\nAurora Benavidez\n7 Calle Alegre\nApt 3, Taos, NM 87571\n"
    assert found(scanner, text, "street_address") == ["7 Calle Alegre\nApt 3, Taos, NM 87571"]


def test_an_office_asked_about_on_the_line_above_is_no_home(scanner: Scanner) -> None:
    chat = "Ochoa: what's the clinic's address?\nTrujillo: 2211 Lomas Blvd NE\n"
    assert found(scanner, chat, "street_address") == []


def test_a_business_name_heading_an_address_block_is_no_person(scanner: Scanner) -> None:
    text = "Where we had lunch:\nEl Pinto\n10500 4th St NW\nAlbuquerque, NM 87114\n"
    assert found(scanner, text, "street_address") == []
