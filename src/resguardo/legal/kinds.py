"""The kinds of legal process and the classifier's result."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["COMPULSORY_COURT_KINDS", "ProcessClassification", "ProcessKind"]


class ProcessKind(StrEnum):
    """What a requester produced (DESIGN "Legal process kind"; NOTES section 10).

    ``none`` means the text is not legal process for a disclosure (an e-mail, a memo, a
    Notice to Appear, an immigration judge's order); ``unknown`` means the classifier could
    not tell, and the policy engine must escalate.
    """

    JUDICIAL_WARRANT = "judicial_warrant"
    COURT_ORDER = "court_order"
    GRAND_JURY_SUBPOENA = "grand_jury_subpoena"
    COURT_SUBPOENA = "court_subpoena"
    ADMINISTRATIVE_SUBPOENA = "administrative_subpoena"
    ADMINISTRATIVE_WARRANT = "administrative_warrant"
    DETAINER = "detainer"
    WRITTEN_CONSENT = "written_consent"
    NONE = "none"
    UNKNOWN = "unknown"


# Issued by a court (a judge, or a clerk or attorney acting for it).
COMPULSORY_COURT_KINDS: frozenset[ProcessKind] = frozenset(
    {
        ProcessKind.JUDICIAL_WARRANT,
        ProcessKind.COURT_ORDER,
        ProcessKind.GRAND_JURY_SUBPOENA,
        ProcessKind.COURT_SUBPOENA,
    }
)


@dataclass(frozen=True, slots=True)
class ProcessClassification:
    """What kind of legal process a text is, how sure we are, and why.

    ``evidence`` quotes the markers that decided (form numbers, title lines, the signer's
    title, court captions, statutes), never names or numbers of people. Each line is a
    :class:`~resguardo.messages.Msg`: a str in English that a page can render in Spanish.
    ``form`` is the form number found (``"I-200"``, ``"AO 93"``), ``issuer`` the court or
    agency named, and ``signed_by`` the signatory's title (``"United States Magistrate
    Judge"``, ``"Supervisory Detention and Deportation Officer"``), each ``None`` when not
    found.
    """

    kind: ProcessKind
    confidence: float
    evidence: tuple[str, ...]
    form: str | None = None
    issuer: str | None = None
    signed_by: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is not in [0, 1]")

    def to_dict(self) -> dict[str, object]:
        """The JSON contract: exactly these six keys, ``evidence`` as a list."""
        return {
            "kind": self.kind.value,
            "confidence": self.confidence,
            "evidence": list(self.evidence),
            "form": self.form,
            "issuer": self.issuer,
            "signed_by": self.signed_by,
        }
