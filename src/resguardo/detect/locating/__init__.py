"""Locating information: when a person is due somewhere, and where a person works.

``detectors()`` is what the registry loads; each detector lives in its own module, and the
English and Spanish cue words they share are data, in ``cues.yaml``.
"""

from __future__ import annotations

from resguardo.detect.base import Detector
from resguardo.detect.locating.appointments import AppointmentDetector
from resguardo.detect.locating.employers import EmployerDetector

__all__ = ["AppointmentDetector", "EmployerDetector", "detectors"]


def detectors() -> list[Detector]:
    """The locating detectors: scheduled appearances and employers."""
    return [AppointmentDetector(), EmployerDetector()]
