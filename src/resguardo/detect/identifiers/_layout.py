"""Cheap views of the text around a candidate: lines, clauses and label-to-value gaps.

Everything here looks at bounded stretches of text (a line, a few hundred characters) and
uses string searches that run in C, so the cost per candidate does not grow with the text.
"""

from __future__ import annotations

import re

from resguardo.detect.identifiers._index import Index
from resguardo.detect.identifiers._words import Label, words

__all__ = [
    "clause_start",
    "gap_ok",
    "has_stop",
    "is_blank",
    "label_before",
    "line_bounds",
    "signature_block",
]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# What may sit between a label and its value without meaning anything: "DOB:", "DL#", "A# ",
# "> " quote markers. "|" cell walls are not among them.
_FILLER = re.compile(r"[\s:#.\-–=>*•(]*")
_QUOTE_ONLY = re.compile(r"[\s>|]*")


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, newline excluded) of the line holding ``pos``."""
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e == -1 else e)


def is_blank(line: str) -> bool:
    """Whether a line is empty or holds only quote markers ("> >")."""
    return _QUOTE_ONLY.fullmatch(line) is not None


def _abbreviation_before(text: str, dot: int) -> bool:
    j = dot
    while j > 0 and dot - j < 6 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    return text[j:dot].lower() in words().abbreviations


# A blank line (or one of quote markers only) ends what came before; its own newline is
# matched by the look-ahead, so the clause starts right after it.
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v>|]*(?=\n)")
# A run of dots is a form's leader ("ADDRESS ...... 412 Elm St") or an ellipsis, not the
# period that ends a sentence.
_SENTENCE_MARK = re.compile(r"(?<!\.)(?:[.?!][ \n]|\.\t)")
# A form's field with its answer ("Date first enrolled in a U.S. school: 08/2019"): a form
# line, never the office line of a signature, though it names an organisation.
_FORM_FIELD = re.compile(r"[^:\n]{3,60}:[ \t]+[^\s:][^\n]*\d")
_SENTENCE_END = re.compile(r"[.?!][\"')\]]*$")
_LONE_STOP = re.compile(r"(?<!\.)[.?!](?!\.)")


def has_stop(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` holds a sentence-ending mark; dot leaders and ellipses
    ("MAILING ADDR ...... 9413 Snow Cir") are not one."""
    return _LONE_STOP.search(text, lo, hi) is not None


def clause_start(text: str, pos: int, limit: int = 250) -> int:
    """Where the sentence holding ``pos`` starts, looking back at most ``limit`` characters.

    Single line breaks do not end a sentence (mail wraps lines); a blank line does, and so
    does ". " unless the word before the dot is an abbreviation ("Mr.", "St.", "No.").
    """
    lo = max(0, pos - limit)
    start = lo
    # the last blank line before pos: two newlines with only spaces or quote markers between
    for m in _BLANK_LINE.finditer(text, lo, pos):
        start = m.end() + 1
    marks = [m.start() for m in _SENTENCE_MARK.finditer(text, start, pos)]
    for cut in reversed(marks):
        if text[cut] != "." or not _abbreviation_before(text, cut):
            return cut + 1
    return start


def gap_ok(
    index: Index, start: int, end: int, *, max_chars: int = 25, allow_lines: int = 0
) -> bool:
    """Whether a value at ``end`` may belong to a label ending at ``start``.

    The gap may hold filler ("DOB: ", "DL# ") and a few plain words ("license now",
    "CLASS D NO", "born in Ciudad Juárez, Chihuahua, on"), but no digits, no other label, no
    sentence end and no word that starts a new statement ("and arrived on"). ``allow_lines``
    line breaks are allowed when the gap is only filler ("DOB:\\n  03/14/1988").
    """
    gap = index.text[start:end]
    if _FILLER.fullmatch(gap):
        return gap.count("\n") <= allow_lines
    if "\n" in gap or "|" in gap or ";" in gap or any(c.isdigit() for c in gap):
        return False
    if len(gap) - sum(1 for c in gap if c.isspace()) > max_chars:
        return False
    if index.last_label(start, end) is not None:
        return False
    for i, c in enumerate(gap):
        # a sentence end inside the gap cuts the label off; a final dot ("no. 123") does not
        if (
            c in ".!?"
            and gap[i + 1 :].strip()
            and (i + 1 < len(gap) and gap[i + 1].isspace())
            and not (c == "." and _abbreviation_before(gap, i))
        ):
            return False
    breakers = words().breakers
    return all(m.group().lower() not in breakers for m in _WORD.finditer(gap))


def label_before(index: Index, pos: int, *, width: int = 60, max_gap: int = 25) -> Label | None:
    """The nearest label before ``pos`` on its line, if it can reach ``pos``."""
    ls, _ = line_bounds(index.text, pos)
    last = index.last_label(max(ls, pos - width), pos)
    if last is None:
        return None
    return last if gap_ok(index, last.end, pos, max_chars=max_gap) else None


def signature_block(index: Index, pos: int, *, lines_up: int = 4) -> bool:
    """Whether the line holding ``pos`` sits in a signature block.

    That is: the line is short, and one of the few lines above it in the same block (no blank
    line between) is a short line that names an office or a job title ("Probation & Parole
    Officer", "ISD Santa Fe County Office"), not a sentence and not a field label.
    """
    text = index.text
    ls, le = line_bounds(text, pos)
    if le - ls > 100:
        return False
    org = index.words("org")
    titles = index.words("title")
    cur = ls
    for _ in range(lines_up):
        if cur == 0:
            return False
        ps, pe = line_bounds(text, cur - 1)
        line = text[ps:pe].strip(" \t>")
        if is_blank(line):
            return False
        if len(line) > 80 and _SENTENCE_END.search(line):
            return False  # a long line that ends a sentence is prose: the block ends above it
        # "High Desert Office Supply, Inc.": a company's abbreviation ends no sentence
        if (
            len(line) <= 80
            and not line.endswith(("?", "!", ":", ","))
            and not (line.endswith(".") and not _abbreviation_before(line, len(line) - 1))
            and (org.any_in(ps, pe) or titles.any_in(ps, pe))
            and not any(lab.is_for("street_address") for lab in index.labels_in(ps, pe))
            and not _FORM_FIELD.match(line)
        ):
            return True
        cur = ps
    return False
