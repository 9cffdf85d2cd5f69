"""Identifier detectors: one small module per family of identifiers.

Each detector declares prefilter patterns (matched for all detectors in one pass) and confirms
its candidates with exact code: validation (``validators``), nearby labels and table columns.
The context words they rely on live in ``context.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable

from resguardo.detect.base import Detector
from resguardo.detect.identifiers.a_number import ANumberDetector
from resguardo.detect.identifiers.address import AddressDetector
from resguardo.detect.identifiers.date_of_birth import DateOfBirthDetector
from resguardo.detect.identifiers.drivers_license import DriversLicenseDetector
from resguardo.detect.identifiers.license_plate import LicensePlateDetector
from resguardo.detect.identifiers.phone import PhoneDetector
from resguardo.detect.identifiers.ssn import SsnItinDetector
from resguardo.detect.identifiers.uscis_receipt import UscisReceiptDetector
from resguardo.detect.identifiers.vin import VinDetector

__all__ = [
    "ANumberDetector",
    "AddressDetector",
    "DateOfBirthDetector",
    "DriversLicenseDetector",
    "LicensePlateDetector",
    "PhoneDetector",
    "SsnItinDetector",
    "UscisReceiptDetector",
    "VinDetector",
    "detectors",
]


def detectors() -> list[Detector]:
    """A fresh instance of every identifier detector, in a stable order.

    The first one declares the context-word patterns that all of them share.
    """
    classes: tuple[Callable[..., Detector], ...] = (
        SsnItinDetector,
        ANumberDetector,
        UscisReceiptDetector,
        DriversLicenseDetector,
        LicensePlateDetector,
        VinDetector,
        DateOfBirthDetector,
        PhoneDetector,
        AddressDetector,
    )
    return [cls(declare_shared=i == 0) for i, cls in enumerate(classes)]
