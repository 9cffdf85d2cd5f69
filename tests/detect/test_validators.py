"""Property tests of the identifier validators (pure functions of the value)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resguardo.detect.identifiers.validators import (
    digits_of,
    is_placeholder_number,
    is_plausible_birth_date,
    is_valid_itin,
    is_valid_nanp,
    is_valid_ssn,
    is_valid_vin,
    vin_check_digit,
)

VIN_CHARS = "".join(c for c in string.ascii_uppercase + string.digits if c not in "IOQ")
ITIN_GROUPS = [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]
NOT_ITIN_GROUPS = [g for g in range(100) if g not in ITIN_GROUPS]


def _fmt(area: int, group: int, serial: int, sep: str) -> str:
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


separators = st.sampled_from(["-", " ", ""])
valid_areas = st.integers(1, 899).filter(lambda a: a != 666)


@given(valid_areas, st.integers(1, 99), st.integers(1, 9999), separators)
def test_every_ssa_valid_ssn_passes(area: int, group: int, serial: int, sep: str) -> None:
    assert is_valid_ssn(_fmt(area, group, serial, sep))


@given(
    st.one_of(st.just(0), st.just(666), st.integers(900, 999)),
    st.integers(0, 99),
    st.integers(0, 9999),
    separators,
)
def test_area_000_666_and_9xx_never_pass(area: int, group: int, serial: int, sep: str) -> None:
    assert not is_valid_ssn(_fmt(area, group, serial, sep))


@given(valid_areas, st.integers(0, 9999))
def test_group_00_fails(area: int, serial: int) -> None:
    assert not is_valid_ssn(_fmt(area, 0, serial, "-"))


@given(valid_areas, st.integers(1, 99))
def test_serial_0000_fails(area: int, group: int) -> None:
    assert not is_valid_ssn(_fmt(area, group, 0, "-"))


@given(st.text(alphabet="0123456789-", max_size=14))
def test_ssn_needs_exactly_nine_digits(value: str) -> None:
    if len(digits_of(value)) != 9:
        assert not is_valid_ssn(value)


@given(st.integers(900, 999), st.sampled_from(ITIN_GROUPS), st.integers(0, 9999), separators)
def test_every_itin_in_the_irs_ranges_passes(area: int, group: int, serial: int, sep: str) -> None:
    value = _fmt(area, group, serial, sep)
    assert is_valid_itin(value)
    assert not is_valid_ssn(value)  # the two never overlap: an ITIN is never also an SSN


@given(st.integers(900, 999), st.sampled_from(NOT_ITIN_GROUPS), st.integers(0, 9999))
def test_itin_groups_outside_the_ranges_fail(area: int, group: int, serial: int) -> None:
    assert not is_valid_itin(_fmt(area, group, serial, "-"))


@given(st.integers(0, 899), st.sampled_from(ITIN_GROUPS), st.integers(0, 9999))
def test_itin_must_start_with_9(area: int, group: int, serial: int) -> None:
    assert not is_valid_itin(_fmt(area, group, serial, "-"))


@given(st.text(alphabet=VIN_CHARS, min_size=17, max_size=17))
def test_vin_check_digit_round_trip(body: str) -> None:
    vin = body[:8] + vin_check_digit(body) + body[9:]
    assert is_valid_vin(vin)
    assert is_valid_vin(vin.lower())
    wrong = next(d for d in "0123456789X" if d != vin[8])
    assert not is_valid_vin(vin[:8] + wrong + vin[9:])


@given(
    st.text(alphabet=VIN_CHARS, min_size=17, max_size=17),
    st.integers(0, 16),
    st.sampled_from("IOQ"),
)
def test_vin_with_i_o_or_q_never_passes(body: str, pos: int, bad: str) -> None:
    vin = body[:8] + vin_check_digit(body) + body[9:]
    assert not is_valid_vin(vin[:pos] + bad + vin[pos + 1 :])


@pytest.mark.parametrize(
    ("vin", "ok"),
    [
        ("1M8GDM9AXKP042788", True),  # the textbook example (check digit X)
        ("11111111111111111", True),
        ("1HGCM82633A004352", True),
        ("1HGCM82643A004352", False),
        ("SMPOOL19QRT000114", False),
        ("1HGCM82633A00435", False),
    ],
)
def test_known_vins(vin: str, ok: bool) -> None:
    assert is_valid_vin(vin) is ok


def test_check_digit_rejects_non_vins() -> None:
    with pytest.raises(ValueError):
        vin_check_digit("SHORT")
    with pytest.raises(ValueError):
        vin_check_digit("1M8GDM9AQKP042788")


@given(st.integers(2, 9), st.integers(0, 99), st.integers(2, 9), st.integers(0, 99))
def test_geographic_nanp_numbers_pass(a: int, b: int, c: int, d: int) -> None:
    area, exchange = f"{a}{b:02d}", f"{c}{d:02d}"
    if (
        area[1:] == "11"
        or exchange[1:] == "11"
        or area in ("800", "833", "844", "855", "866", "877", "888", "900")
    ):
        assert not is_valid_nanp(f"({area}) {exchange}-1234")
    else:
        assert is_valid_nanp(f"({area}) {exchange}-1234")
        assert is_valid_nanp(f"1-{area}-{exchange}-1234")


@pytest.mark.parametrize("value", ["1-800-555-0134", "(505) 123-4567", "105-555-1234", "555-1234"])
def test_non_personal_or_malformed_numbers_fail(value: str) -> None:
    assert not is_valid_nanp(value)


@given(st.dates())
def test_every_real_date_in_range_is_a_plausible_birth_date(d: object) -> None:
    import datetime as dt

    assert isinstance(d, dt.date)
    assert is_plausible_birth_date(d.year, d.month, d.day) is (1900 <= d.year <= 2099)


def test_impossible_dates_fail() -> None:
    assert not is_plausible_birth_date(1990, 2, 30)
    assert not is_plausible_birth_date(1990, 13, 1)
    assert not is_plausible_birth_date(1899, 12, 31)
    assert is_plausible_birth_date(1988, 2, 29)
    assert not is_plausible_birth_date(1989, 2, 29)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_digits_of_keeps_only_ascii_digits_in_order(value: str) -> None:
    assert digits_of(value) == "".join(c for c in value if "0" <= c <= "9")


@pytest.mark.parametrize(
    "value", ["123-45-6789", "123456789", "078-05-1120", "219 09 9999", "111-11-1111", "987654321"]
)
def test_well_known_example_numbers_are_placeholders(value: str) -> None:
    assert is_placeholder_number(value)


@pytest.mark.parametrize("value", ["585-20-1234", "123-45-6780", "912-78-4410"])
def test_ordinary_numbers_are_not_placeholders(value: str) -> None:
    assert not is_placeholder_number(value)
