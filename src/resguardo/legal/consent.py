"""Is a written consent signed by the person it names?

NOTES section 10 (written_consent): consent authorises a release only when the person whose
records are sought signed it (NMSA 66-2-7.1(A)(8), DPPA 2725(5); an electronic signature is
fine). A blanket "release" that only the requester signed, with the subject's line left
blank, is not consent. This module reads the signature lines: a label for the person's
signature ("Signature:", "Subject signature", "Firma de la titular") followed by a mark
("/s/", "(signed)", a typed name) is a signature; followed only by a blank rule it is not.
Labels for a witness, notary, investigator or agency officer are someone else's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from resguardo.legal.markers import SignatureConfig, markers
from resguardo.legal.text import Layout
from resguardo.messages import Msg

__all__ = ["ConsentCheck", "SignatureStatus", "check_signature", "detect_consent"]

_FIELD_BREAK = re.compile(r"\s{3,}(?=[A-Za-z][\w ]{0,24}:)|\b(?:date|fecha|dated)\s*:", re.I)
_LABEL_TAIL = re.compile(r"[^:\n_/(]{0,40}:")
_INSTRUCTION = re.compile(r"\([^)]{0,40}\)")
_BLANK = re.compile(r"[_.\-\s]*")
_LETTERS = re.compile(r"[A-Za-z]{2,}")
# Words of a form's own labels: "Printed Name", "Applicant Name" are not a signature.
_FORM_WORDS = re.compile(
    r"\b(?:name|signature|date|print(?:ed)?|title|address|phone|relationship|firma|nombre|"
    r"fecha|direcci[oó]n)\b",
    re.I,
)
_CAPS_LABEL = re.compile(r"[A-Z0-9 ,.'()/\-]{0,80}")
# "X  Marta L. Quiroz      02/05/2026": optional mark, a capitalised name, maybe a date.
_NAME_LINE = re.compile(
    r"^\s*(?:[xX]\s+)?[A-Z][a-z]+\.?(?:\s+[A-Z][A-Za-z.'\-]*){1,4}\s*(?:\s{2,}\S.*)?$"
)
_CLOSING = re.compile(
    r"^\s*(?:sincerely|respectfully|atentamente|cordialmente|signed)\s*,?\s*$", re.I | re.M
)
_GAP = re.compile(r"[ \t]{3,}|\t")


class SignatureStatus(StrEnum):
    """What the person's signature line shows."""

    SIGNED = "signed"
    BLANK = "blank"
    ABSENT = "absent"


@dataclass(frozen=True, slots=True)
class ConsentCheck:
    """The signature status of a consent text, with the lines that decided it (each a
    :class:`~resguardo.messages.Msg`)."""

    status: SignatureStatus
    evidence: tuple[str, ...]


def _cell_around(line: str, start: int, end: int) -> str:
    # The label's own cell: a "Requested by:" in another column is not part of it.
    left = 0
    for gap in _GAP.finditer(line, 0, start):
        left = gap.end()
    right_gap = _GAP.search(line, end)
    right = right_gap.start() if right_gap else len(line)
    return line[left:right]


def _clip(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _someone_else(lines: list[str], i: int, sig: SignatureConfig) -> bool:
    # The signature line and the two after it carry the signer's title, if any.
    return any(sig.other_labels.search(line) for line in lines[i : i + 3])


def check_signature(layout: Layout, sig: SignatureConfig | None = None) -> ConsentCheck:
    """The status of the data subject's signature in ``layout``."""
    sig = sig or markers().signature
    lines = layout.folded.split("\n")
    shown = layout.text.split("\n")
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    signed: list[str] = []
    blank: list[str] = []
    for idx, line in enumerate(lines):
        for m in sig.subject_labels.finditer(line):
            label_cell = _cell_around(line, m.start(), m.end())
            if sig.other_labels.search(label_cell):
                continue
            label = _clip(shown[idx][m.start() : m.end()].strip(" :"))
            rest = line[m.end() :]
            # "Signature of license holder: ____": the label runs on to its colon.
            colon = _LABEL_TAIL.match(rest)
            if colon:
                rest = rest[colon.end() :]
            elif _CAPS_LABEL.fullmatch(rest) and not sig.marks.search(rest):
                # "SIGNATURE OF DRIVER LICENSE HOLDER      DATE": a label in capitals
                # under the line the person signed on.
                rest = ""
            rest = _FIELD_BREAK.split(rest, maxsplit=1)[0]
            rest_clean = rest.strip(" \t:.-")
            # "(sign here)", "(print)": instructions printed on the line are not a name.
            written = _INSTRUCTION.sub(" ", rest_clean)
            if sig.marks.search(rest):
                signed.append(Msg("legal.consent.marked", label=label))
            elif rest_clean and _BLANK.fullmatch(written):
                blank.append(Msg("legal.consent.blank", label=label))
            elif _LETTERS.search(written):
                signed.append(Msg("legal.consent.filled", label=label))
            else:
                # A label under the line: "/s/ Name" / "______" / "(Signature)".
                pos = bisect.bisect_left(nonempty, idx)
                above = [lines[nonempty[j]] for j in range(max(0, pos - 2), pos)]
                if any(sig.marks.search(a) for a in above):
                    signed.append(Msg("legal.consent.marked", label=label))
                elif (
                    above
                    and _NAME_LINE.match(above[-1])
                    and not _FORM_WORDS.search(above[-1])
                    and not sig.other_labels.search(above[-1])
                ):
                    # A signature scanned or typed above its label reads as a name.
                    signed.append(Msg("legal.consent.name_on_line", label=label))
                elif above and _BLANK.fullmatch(above[-1].strip()):
                    earlier = above[0] if len(above) == 2 else ""
                    if sig.marks.search(earlier):
                        signed.append(Msg("legal.consent.marked", label=label))
                    else:
                        blank.append(Msg("legal.consent.blank", label=label))
            break  # one label per line is enough
    if signed:
        return ConsentCheck(SignatureStatus.SIGNED, tuple(dict.fromkeys(signed)))
    if blank:
        return ConsentCheck(SignatureStatus.BLANK, tuple(dict.fromkeys(blank)))
    # No signature label: a mark on a line, or a letter's closing followed by a name, that
    # is not someone else's (an agent's "/s/" above "Special Agent").
    for i, line in enumerate(lines):
        if sig.marks.search(line) and not _someone_else(lines, i, sig):
            return ConsentCheck(SignatureStatus.SIGNED, (Msg("legal.consent.mark_found"),))
    for m in _CLOSING.finditer(layout.folded):
        start = layout.folded.count("\n", 0, m.end()) + 1
        following = [i for i in range(start, len(lines)) if lines[i].strip()][:1]
        if following:
            name = lines[following[0]]
            if (
                _LETTERS.search(name)
                and ":" not in name
                and not _someone_else(lines, following[0], sig)
            ):
                return ConsentCheck(SignatureStatus.SIGNED, (Msg("legal.consent.letter_closing"),))
    return ConsentCheck(SignatureStatus.ABSENT, (Msg("legal.consent.absent"),))


def detect_consent(text: str) -> ConsentCheck:
    """The signature status of the person named in a consent or authorization text.

    Use :func:`resguardo.legal.classify_process` to decide whether a text *is* a consent; this
    says only whether the subject's signature line is signed, blank, or absent.
    """
    return check_signature(Layout(text))
