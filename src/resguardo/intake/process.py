"""The legal process a message carries: every attachment classified, nothing taken on faith.

Each attached document is read by :func:`resguardo.legal.classify_process` (NOTES section
10): what it *is* decides, never what the email calls it. "Attached is a signed warrant" with
no warrant attached, or "we have a subpoena", is recorded as a claim and is not process. A
consent counts only when the classifier finds the person's signature on it; what it
authorises, and what a court's process demands, are read from its own words
(:func:`resguardo.intake.categories.demanded_categories`) so that a policy can tell which
requested categories the document supports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resguardo.intake.categories import demanded_categories
from resguardo.intake.message import Attachment
from resguardo.legal import COMPULSORY_COURT_KINDS, classify_process
from resguardo.legal import ProcessKind as LegalKind
from resguardo.messages import Joined, Msg, Term
from resguardo.policy.request import LegalProcess, ProcessKind

__all__ = ["Claim", "ProcessReading", "body_claims", "read_attachment", "read_pasted"]

#: Below this confidence a body that "reads as" process is an email talking about one.
PASTED_MIN_CONFIDENCE = 0.6
_RELEASING = frozenset(
    {
        ProcessKind.JUDICIAL_WARRANT,
        ProcessKind.COURT_ORDER,
        ProcessKind.GRAND_JURY_SUBPOENA,
        ProcessKind.COURT_SUBPOENA,
        ProcessKind.WRITTEN_CONSENT,
    }
)

# File names that may be a legal document ("Warrant_Smith.pdf", "I-247A.jpg", "scan001.pdf"):
# one of these that cannot be read is a document nobody could classify.
_DOCUMENT_NAME = re.compile(
    r"(?<![a-z])(?:warrant|subpoena|summons|order|detainer|consent|authori[sz]ation|release|"
    r"citatorio|orden|autorizaci[oó]n|consentimiento|i[-_ ]?\d{3}|ao[-_ ]?\d{2,3}|legal|court|"
    r"process|scan|signed|firmad)",
    re.IGNORECASE,
)
_CLAIM = re.compile(
    r"\b(?:attached|enclosed|adjunt[oa]s?|anexo|please find|see the|here is|i have|we have|"
    r"i hold|we hold|(?:he|she|ice|we) (?:has|have) (?:a|an)|le adjunto|les adjunto|tengo|tenemos|"
    r"per the|under the|pursuant to|de acuerdo con)\b[^.\n]{0,60}?\b("
    r"(?:signed |federal |state |judicial |search |arrest |court |administrative |immigration |"
    r"grand jury |trial )*"
    r"(?:warrant|subpoena|court order|order|summons|detainer|consent|authori[sz]ation|release|"
    r"orden(?: judicial)?|citatorio|citación|autorización|consentimiento))\b"
    r"(?!\s+(?:card|number|date|form))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ProcessReading:
    """What one attachment turned out to be."""

    name: str
    kind: ProcessKind
    process: LegalProcess | None
    """The process for the request (``None`` when the document is not process)."""
    evidence: str
    """What it is and why, a :class:`~resguardo.messages.Msg` (an English str)."""
    covers: tuple[str, ...] | None
    signed_consent: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    """What the body says it carries ("attached is a signed warrant")."""

    phrase: str
    noun: str


def _kind(kind: LegalKind) -> ProcessKind:
    return ProcessKind(kind.value)


def _term(kind: ProcessKind) -> Term:
    return Term("process_kind", kind.value)


def read_attachment(att: Attachment) -> ProcessReading | None:
    """Classify one attached file; ``None`` for one that is not worth reporting (a logo)."""
    name = att.label
    if att.text is None or not att.text.strip():
        if att.inline_image or (
            att.content_type.startswith("image/") and not _DOCUMENT_NAME.search(att.name or "")
        ):
            return None
        # An unreadable file may be the very warrant the request rests on: a person must look.
        looks_legal = bool(_DOCUMENT_NAME.search(att.name or "")) or att.content_type in (
            "application/pdf",
            "image/tiff",
        )
        problem = att.problem or Msg("intake.process.no_text")
        if not looks_legal:
            return ProcessReading(
                name,
                ProcessKind.NONE,
                None,
                Msg("intake.process.not_read", name=name, problem=problem),
                None,
            )
        return ProcessReading(
            name,
            ProcessKind.UNKNOWN,
            LegalProcess(kind=ProcessKind.UNKNOWN, document=name),
            Msg("intake.process.unreadable", name=name, problem=problem),
            None,
        )
    result = classify_process(att.text)
    kind = _kind(result.kind)
    read = Msg(
        "intake.process.read",
        name=name,
        kind=_term(kind),
        confidence=f"{result.confidence:.2f}",
    )
    details: list[str] = []
    if result.form:
        details.append(Msg("intake.process.form", form=result.form))
    if result.issuer:
        details.append(Msg("intake.process.issued_by", issuer=result.issuer))
    if result.signed_by:
        details.append(Msg("intake.process.signed_by", signer=result.signed_by))
    if result.evidence:
        details.append(Joined("; ", result.evidence[:3]))
    evidence: str = (
        Msg("intake.process.read_details", read=read, details=Joined("; ", details))
        if details
        else read
    )
    if kind is ProcessKind.NONE:
        return ProcessReading(
            name, kind, None, Msg("intake.process.not_process", reading=evidence), None
        )
    covers: tuple[str, ...] | None = None
    if kind is not ProcessKind.UNKNOWN:
        hits = demanded_categories(att.text)
        if hits is not None:
            covers = tuple(dict.fromkeys(h.category for h in hits))
    court = result.issuer if result.kind in COMPULSORY_COURT_KINDS else None
    signer = (
        result.signed_by
        if kind is not ProcessKind.WRITTEN_CONSENT
        else Msg("intake.process.the_person_named")
    )
    document = f"{name} ({result.form})" if result.form else name
    if kind is ProcessKind.WRITTEN_CONSENT and not covers:
        # A signed consent whose list of records cannot be read: it may not cover what is
        # asked, so it cannot be relied on without a person reading it.
        return ProcessReading(
            name,
            ProcessKind.UNKNOWN,
            LegalProcess(kind=ProcessKind.UNKNOWN, document=document, signed_by=signer),
            Msg("intake.process.consent_unreadable", reading=evidence),
            None,
        )
    process = LegalProcess(
        kind=kind,
        document=document,
        signed_by=signer,
        issuing_court=court,
        covers=list(covers) if covers is not None and kind is not ProcessKind.UNKNOWN else None,
    )
    return ProcessReading(
        name, kind, process, evidence, covers, signed_consent=kind is ProcessKind.WRITTEN_CONSENT
    )


def read_pasted(text: str, where: str) -> ProcessReading | None:
    """A legal document pasted into the body of a message, if the body holds one.

    An email that only describes a warrant must not count as one, so only a confident
    reading counts. A pasted document of a kind that could release data cannot be checked
    against the original (anyone can type "District Judge"), so it is ``unknown``: a person
    must see the document itself.
    """
    if len(text.strip()) < 200:
        return None
    result = classify_process(text)
    kind = _kind(result.kind)
    if kind in (ProcessKind.NONE, ProcessKind.UNKNOWN) or result.confidence < PASTED_MIN_CONFIDENCE:
        return None
    label = Msg("intake.process.pasted", where=where)
    reads = {"label": label, "kind": _term(kind), "confidence": f"{result.confidence:.2f}"}
    detail = (
        Msg("intake.process.pasted_reads_form", **reads, form=result.form)
        if result.form
        else Msg("intake.process.pasted_reads", **reads)
    )
    if kind in _RELEASING:
        return ProcessReading(
            label,
            ProcessKind.UNKNOWN,
            LegalProcess(kind=ProcessKind.UNKNOWN, document=label, signed_by=result.signed_by),
            Msg("intake.process.pasted_original", reading=detail),
            None,
        )
    return ProcessReading(
        label,
        kind,
        LegalProcess(kind=kind, document=label, signed_by=result.signed_by),
        detail,
        None,
    )


def body_claims(text: str) -> list[Claim]:
    """Legal documents the words of a message say it carries or that the sender holds."""
    out: list[Claim] = []
    for m in _CLAIM.finditer(text):
        out.append(Claim(" ".join(m.group(0).split()), m.group(1).lower()))
    return out
