"""Turn marker phrases and regexes into patterns that survive OCR and sloppy spacing.

Scanned forms come back as "UNlTED STATES", "Distr1ct", "A1ien", "I - 2 0 0", "Warrant  for".
Rather than writing every variant into the data file, the data file holds the phrase as a
person would type it and this module widens each letter or digit to the characters OCR
confuses it with, lets letters be spaced out, and treats spaces, dots and dashes loosely.
"""

from __future__ import annotations

import re

__all__ = ["compile_form", "compile_phrase", "compile_regex", "ocr_regex", "phrase_regex"]

# Characters OCR confuses with each other. Matching is case-insensitive, so "i" also stands
# for "I" and "l" for "L"; the classes must therefore not contain a letter that would make an
# ordinary word match another ordinary word in practice.
_CONFUSABLE: dict[str, str] = {
    "i": "il1|!",
    "l": "li1|",
    "1": "1il|",
    "o": "o0",
    "0": "0o",
    "s": "s5",
    "5": "5s",
}
# Letter pairs OCR reads as one letter ("rn" for "m").
_DIGRAPH: dict[str, str] = {"m": "(?:m|rn)"}

_LETTER_GAP = "[ \t]?"  # "W A R R A N T": a letter-spaced title
_WORD_GAP = r"\s*"  # newlines, runs of spaces, or (after OCR) none at all
_DASH = r"[ \t]*[-/][ \t]*"
_OPT_DASH = r"[ \t]*[-/]?[ \t]*"


def _atom(ch: str) -> str:
    low = ch.lower()
    if low in _DIGRAPH:
        return _DIGRAPH[low]
    chars = _CONFUSABLE.get(low)
    if chars is None:
        return re.escape(ch)
    return "[" + re.escape(chars).replace("\\|", "|") + "]"


def phrase_regex(phrase: str, spacing: bool = True) -> str:
    """Regex source for a literal phrase, tolerant of OCR errors, spacing and punctuation.

    Punctuation is optional ("U.S." matches "US"), an apostrophe may be any quote or none,
    a hyphen or slash may be dropped or spaced ("I - 200"), a space may be any whitespace.
    With ``spacing``, letters may be spaced out ("O R D E R"), as titles are.
    """
    out: list[str] = []
    prev_alnum = False
    for ch in phrase:
        if ch.isalnum() and ch.isascii():
            if prev_alnum and spacing:
                out.append(_LETTER_GAP)
            out.append(_atom(ch))
            prev_alnum = True
            continue
        prev_alnum = False
        if ch.isspace():
            if not out or out[-1] != _WORD_GAP:
                out.append(_WORD_GAP)
        elif ch in "-/":
            out.append(_OPT_DASH)
        elif ch == ".":
            out.append(r"\.?[ \t]*")  # "U.S.", "US", "U. S."
        elif ch in ",'":
            out.append(re.escape(ch) + "?" if ch != "'" else "'?")
        elif ch in "()":
            out.append(re.escape(ch) + "?")
        elif ch == "§":
            out.append(r"(?:§+|sec(?:tion|\.)?)?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


_GROUP_PREFIX = re.compile(r"\(\?(?:[:=!]|<[=!]|P<\w+>|P=\w+\)|[aiLmsux-]+[:)])")
_QUANT = re.compile(r"\{\d*(?:,\d*)?\}")


def ocr_regex(pattern: str, spacing: bool = True) -> str:
    """Make the literal letters and digits of a regex OCR-tolerant; spaces become ``\\s*``.

    Escapes, character classes, quantifiers and group prefixes are copied as they are, so the
    regex keeps its meaning; only literal alphanumerics are widened.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    prev_alnum = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            prev_alnum = False
            continue
        if c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i : j + 1])
            i = j + 1
            prev_alnum = False
            continue
        if c == "{":
            m = _QUANT.match(pattern, i)
            if m:
                out.append(m.group())
                i = m.end()
                prev_alnum = False
                continue
        if c == "(":
            m = _GROUP_PREFIX.match(pattern, i)
            if m:
                out.append(m.group())
                i = m.end()
                prev_alnum = False
                continue
        if c.isascii() and c.isalnum():
            if prev_alnum and spacing:
                out.append(_LETTER_GAP)
            out.append(_atom(c))
            prev_alnum = True
            i += 1
            continue
        if c == " ":
            out.append(_WORD_GAP)
        else:
            out.append(c)
        prev_alnum = False
        i += 1
    return "".join(out)


def _bounded(source: str, first: str, last: str) -> str:
    # Word boundaries only where the phrase itself begins or ends with a word character, so
    # that "/s/" or "(SEAL)" are not required to touch a letter.
    head = r"(?<![A-Za-z0-9])" if first.isalnum() else ""
    tail = r"(?![A-Za-z0-9])" if last.isalnum() else ""
    return f"{head}(?:{source}){tail}"


def compile_phrase(phrases: list[str], spacing: bool = True) -> str:
    """One regex source matching any of ``phrases`` (OCR-tolerant, bounded at word edges)."""
    parts = [_bounded(phrase_regex(p, spacing), p[0], p[-1]) for p in phrases if p]
    return "|".join(parts)


def compile_regex(patterns: list[str], ocr: bool, spacing: bool = True) -> str:
    """One regex source matching any of ``patterns``; widened for OCR when ``ocr`` is set."""
    parts = []
    for p in patterns:
        src = ocr_regex(p, spacing) if ocr else p
        # A group at either end ("(?:ordered|adjudged)") is bounded too: "AUTHORIZE" must
        # not be found in "AUTHORIZED".
        head = r"(?<![A-Za-z0-9])" if p[:1].isalnum() or p[:3] == "(?:" else ""
        tail = (
            r"(?![A-Za-z0-9])" if p[-1:].isalnum() or (p[-1:] == ")" and p[-2:-1] != "\\") else ""
        )
        parts.append(f"{head}(?:{src}){tail}")
    return "|".join(parts)


_FORM_ID = re.compile(r"^(AO|I|SUBP|CR|EOIR)[- ]?(\d+)([A-Z]?)$")


def compile_form(form_id: str) -> str:
    """Regex source for a form number such as ``AO 93``, ``I-247A`` or ``SUBP-002``.

    A form number is short and digit-heavy, so a loose pattern would fire on room numbers and
    dates. It must be written as a form number: with its letter prefix and (for ``I-``
    forms) a dash, or after the word "Form"; the trailing letter must match exactly, so
    ``AO 88`` is not found in ``AO 88B`` nor ``I-247`` in ``I-247A``.
    """
    m = _FORM_ID.match(form_id)
    if not m:
        raise ValueError(f"form id {form_id!r} is not like 'AO 93', 'I-200' or 'SUBP-002'")
    prefix, digits, suffix = m.groups()
    digit_src = _LETTER_GAP.join(_atom(d) for d in digits)
    suffix_src = ""
    if suffix:
        # OCR reads B as 8 and the suffix can be spaced off: "AO 88 B".
        alt = {"B": "[b8]", "A": "[a4]", "C": "[c]", "D": "[d]", "N": "[n]", "X": "[x]"}
        suffix_src = "[ \t]?" + alt.get(suffix, re.escape(suffix))
    tail = r"(?![A-Za-z0-9])"
    if prefix == "I":
        letter = "[il|]"
        loose = "[il1|]"
        with_dash = rf"(?<![A-Za-z0-9]){letter}{_DASH}{digit_src}{suffix_src}{tail}"
        after_form = (
            rf"(?<![A-Za-z])form{_WORD_GAP}(?:no\.?\s*)?"
            rf"{loose}{_OPT_DASH}{digit_src}{suffix_src}{tail}"
        )
        return f"(?:{with_dash})|(?:{after_form})"
    prefix_src = _LETTER_GAP.join(_atom(ch) if ch != "O" else "[o0]" for ch in prefix)
    return rf"(?<![A-Za-z0-9]){prefix_src}{_OPT_DASH}{digit_src}{suffix_src}{tail}"
