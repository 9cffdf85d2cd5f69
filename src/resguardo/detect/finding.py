"""The scanner's unit of output: one piece of sensitive information found in a text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding"]


@dataclass(frozen=True, slots=True, init=False)
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

    def __init__(
        self,
        category: str,
        start: int,
        end: int,
        text: str,
        confidence: float,
        detector: str,
        evidence: tuple[str, ...] = (),
    ) -> None:
        # What the generated __init__ of a frozen dataclass does, at half the price: it
        # looks up object.__setattr__ and resolves each slot by name, per field, for the
        # tens of thousands of findings a large export raises; the slots' own setters
        # (bound once, below the class) store straight into the slot.
        _set_category(self, category)
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)
        _set_confidence(self, confidence)
        _set_detector(self, detector)
        _set_evidence(self, evidence)

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


# The slot descriptors' setters. They bypass the frozen __setattr__ exactly as the
# generated __init__ (object.__setattr__) does; nothing else may use them.
_slots = vars(Finding)
_set_category = _slots["category"].__set__
_set_start = _slots["start"].__set__
_set_end = _slots["end"].__set__
_set_text = _slots["text"].__set__
_set_confidence = _slots["confidence"].__set__
_set_detector = _slots["detector"].__set__
_set_evidence = _slots["evidence"].__set__
del _slots
