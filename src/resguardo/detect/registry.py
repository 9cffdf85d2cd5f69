"""The built-in detectors, in one list: where to look first for what the scanner runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from resguardo.detect.base import Detector

__all__ = ["default_detectors"]


def default_detectors(lexicon_files: Sequence[Path] = ()) -> list[Detector]:
    """Identifier, status and locating detectors; user lexicons feed the status detectors."""
    from resguardo.detect import identifiers, locating, statuses
    from resguardo.detect.lexicon import load_user_lexicon

    user = [load_user_lexicon(p) for p in lexicon_files]
    return [*identifiers.detectors(), *statuses.detectors(user), *locating.detectors()]
