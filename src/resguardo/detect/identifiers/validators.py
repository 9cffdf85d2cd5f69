"""Pure validity checks for identifier values.

Each function takes the value as written (separators allowed where noted) and answers from
the value alone: no context, no I/O. Detectors call them after a prefilter match so that a
number shaped like an identifier but impossible as one (an SSN in area 666, a VIN with a wrong
check digit) is never reported.
"""

from __future__ import annotations

import calendar
import re

__all__ = [
    "digits_of",
    "is_placeholder_number",
    "is_plausible_birth_date",
    "is_valid_itin",
    "is_valid_nanp",
    "is_valid_ssn",
    "is_valid_vin",
    "vin_check_digit",
]

# ITIN group (middle two digits) ranges published by the IRS.
_ITIN_GROUPS: frozenset[int] = frozenset(
    [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]
)

# VIN transliteration (ISO 3779 / 49 CFR 565): letters map to digits; I, O and Q never occur.
_VIN_VALUES: dict[str, int] = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS: tuple[int, ...] = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

# Toll-free and other non-geographic area codes: never a person's own line in our texts.
_TOLL_FREE: frozenset[str] = frozenset({"800", "833", "844", "855", "866", "877", "888", "900"})


_NOT_ASCII_DIGIT = re.compile(r"[^0-9]+")


def digits_of(value: str) -> str:
    """The ASCII digits of ``value``, in order (separators dropped)."""
    if value.isdigit() and value.isascii():
        return value  # the common case, without building a new string
    return _NOT_ASCII_DIGIT.sub("", value)


def is_valid_ssn(value: str) -> bool:
    """Whether ``value`` (9 digits, separators allowed) is a possible SSN under SSA rules.

    Area (first 3) not 000, 666 or 900-999; group (middle 2) not 00; serial (last 4) not 0000.
    """
    d = digits_of(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


# Numbers printed as examples so often that they mean "an SSN goes here": the SSA's own
# advertising numbers, the Woolworth wallet card, a famous published one, and sequences.
_PLACEHOLDERS: frozenset[str] = frozenset(
    {"123456789", "012345678", "987654321", "078051120", "219099999", "457555462"}
    | {str(d) * 9 for d in range(10)}
)


def is_placeholder_number(value: str) -> bool:
    """Whether ``value`` (9 digits, separators allowed) is a well-known example number,
    such as 123-45-6789 or 078-05-1120, rather than someone's."""
    return digits_of(value) in _PLACEHOLDERS


def is_valid_itin(value: str) -> bool:
    """Whether ``value`` (9 digits, separators allowed) is a possible ITIN.

    ITINs are 9XX-XX-XXXX with the group digits in 50-65, 70-88, 90-92 or 94-99.
    """
    d = digits_of(value)
    return len(d) == 9 and d[0] == "9" and int(d[3:5]) in _ITIN_GROUPS


def vin_check_digit(vin: str) -> str:
    """The check digit ('0'-'9' or 'X') that position 9 of a 17-character VIN must hold.

    Raises ``ValueError`` for a value that is not 17 VIN characters (I, O and Q are invalid).
    The character at position 9 itself carries weight 0, so any placeholder may stand there.
    """
    v = vin.upper()
    if len(v) != 17:
        raise ValueError("a VIN has 17 characters")
    try:
        total = sum(_VIN_VALUES[c] * w for c, w in zip(v, _VIN_WEIGHTS, strict=True))
    except KeyError as e:
        raise ValueError(f"not a VIN character: {e.args[0]!r}") from None
    r = total % 11
    return "X" if r == 10 else str(r)


def is_valid_vin(vin: str) -> bool:
    """Whether ``vin`` is 17 VIN characters (no I, O, Q) with a correct check digit."""
    v = vin.upper()
    if len(v) != 17 or any(c not in _VIN_VALUES for c in v):
        return False
    return v[8] == vin_check_digit(v)


def is_valid_nanp(value: str) -> bool:
    """Whether ``value`` is a geographic North American number (10 digits, optional leading 1).

    Area code and exchange start with 2-9 and are not N11 service codes; toll-free and
    premium area codes are rejected because they belong to organisations, not to people.
    """
    d = digits_of(value)
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    if len(d) != 10:
        return False
    area, exchange = d[:3], d[3:6]
    if area[0] in "01" or exchange[0] in "01":
        return False
    if area[1:] == "11" or exchange[1:] == "11":
        return False
    return area not in _TOLL_FREE


def is_plausible_birth_date(year: int, month: int, day: int) -> bool:
    """Whether the calendar date exists and the year is a plausible birth year (1900-2099).

    Two-digit years must be expanded by the caller. The upper bound is fixed, not "today", so
    that the scanner stays a pure function of its input.
    """
    if not (1900 <= year <= 2099 and 1 <= month <= 12 and day >= 1):
        return False
    return day <= calendar.monthrange(year, month)[1]
