"""The scanner's unit of output: one piece of sensitive information found in a text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of SPI: ``text[start:end]`` (code-point offsets) is of ``category``.

    ``confidence`` is in [0, 1]; ``detector`` names the detector that raised it and
    ``evidence`` the context words it relied on (empty when the value speaks for itself,
    as a valid VIN does).
    """

    category: str
    start: int
    end: int
    text: str
    confidence: float
    detector: str
    evidence: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the ``scan --format jsonl`` contract."""
        return {
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "detector": self.detector,
            "evidence": list(self.evidence),
        }

    def overlaps(self, other: Finding) -> bool:
        """Whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end
