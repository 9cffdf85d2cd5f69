"""Protected-status detectors: immigration status, national origin, public assistance,
crime-victim status, sexual orientation, gender identity, disability, religion and
homelessness, from English and Spanish lexicons with context rules.

The lexicons are data (``resguardo/detect/lexicons/*.yaml``); the context rules live in
:mod:`resguardo.detect.statuses.engine`, with category-specific grammar in the sibling
modules (``origin``, ``immigration``, ``religion``, ``housing``).
"""

from __future__ import annotations

from collections.abc import Sequence

from resguardo.detect.base import Detector
from resguardo.detect.lexicon import UserLexicon
from resguardo.detect.statuses.detector import StatusDetector

__all__ = ["StatusDetector", "detectors"]


def detectors(user_lexicons: Sequence[UserLexicon] = ()) -> list[Detector]:
    """The status detectors, fed with the agency's user lexicons (if any)."""
    return [StatusDetector(user_lexicons)]
