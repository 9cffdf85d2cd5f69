"""The detector interface: small, pluggable recognizers in the manner of Presidio's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.patterns import PatternSpec

__all__ = ["Detector"]


@runtime_checkable
class Detector(Protocol):
    """A recognizer for one family of categories.

    ``patterns()`` declares the prefilter patterns it needs; the scanner compiles the
    patterns of every detector into one set and scans each text once. ``detect()`` then
    confirms candidates (``ctx.hits(key)``, with keys as declared) and yields findings.
    Detectors are pure: same text in, same findings out.
    """

    @property
    def id(self) -> str:
        """Stable detector id, reported in every finding it raises."""
        ...

    @property
    def categories(self) -> tuple[str, ...]:
        """The category ids this detector can raise."""
        ...

    def patterns(self) -> Sequence[PatternSpec]:
        """Prefilter patterns. Keys must be unique across all detectors: prefix with the id."""
        ...

    def detect(self, ctx: ScanContext) -> Iterable[Finding]:
        """Findings in ``ctx.text``."""
        ...
