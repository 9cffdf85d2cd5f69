"""The pure core of redaction: replace the spans of findings in one string.

Everything else in :mod:`resguardo.redact` (plain text, CSV, XLSX, HTML, email) reduces to
calls of :func:`redact_text` or, where one value is split over several pieces of a
document, of :func:`redact_spans`.

Decisions worth knowing:

- **Merging.** Spans that overlap or touch (one ends where the next starts) become one
  replaced region, so no stray character of a value survives between two tokens.
- **Merged categories.** A region made of several categories gets every distinct label,
  in order of first start, joined by ``+``: ``[ADDRESS+HOMELESS-STATUS]``. Picking only the first
  would hide from the reader that a status was withheld as well.
- **Mask** keeps line breaks (``\\r``/``\\n``) so fixed-width screen prints keep their
  rows; every other character becomes ``█``. Lengths in code points are preserved.
- **Hash** tokens are HMAC-SHA256 of a normalized value under a caller's secret key,
  truncated (12 hex characters by default; 8 collides too often across a large
  production). Identifier values are normalized to their letters and digits in upper case,
  so ``585-20-1234`` and ``585 20 1234`` give the same token; other values are case-folded
  with runs of whitespace collapsed. The category is *not* part of the hashed message, so an
  ITIN that one detector calls ``ssn`` and another ``itin`` still links.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from resguardo.detect.finding import Finding
from resguardo.taxonomy import Group, categories

__all__ = [
    "MASK_CHAR",
    "RedactionStyle",
    "Replacement",
    "Span",
    "StyleKind",
    "label_for",
    "normalize_value",
    "plan_redactions",
    "redact_spans",
    "redact_text",
]

MASK_CHAR = "█"
_LINE_BREAKS = frozenset("\r\n")
_MIN_KEY_BYTES = 16


class StyleKind(StrEnum):
    """How a redacted region is written."""

    LABEL = "label"
    MASK = "mask"
    HASH = "hash"


@dataclass(frozen=True, slots=True)
class RedactionStyle:
    """A redaction style: ``label`` (``[SSN]``), ``mask`` (``███``) or keyed ``hash``.

    Build it with :meth:`label`, :meth:`mask` or :meth:`hashed`. The key never appears in
    ``repr`` so a logged style does not leak it.
    """

    kind: StyleKind = StyleKind.LABEL
    key: bytes | None = field(default=None, repr=False)
    hash_chars: int = 12

    def __post_init__(self) -> None:
        if self.kind is StyleKind.HASH:
            if self.key is None or len(self.key) < _MIN_KEY_BYTES:
                raise ValueError(
                    f"the hash style needs a secret key of at least {_MIN_KEY_BYTES} bytes"
                )
            if not 8 <= self.hash_chars <= 64:
                raise ValueError("hash_chars must be between 8 and 64")

    @classmethod
    def label(cls) -> RedactionStyle:
        """Replace each region with its category labels, e.g. ``[SSN]``."""
        return cls(StyleKind.LABEL)

    @classmethod
    def mask(cls) -> RedactionStyle:
        """Replace each character (line breaks excepted) with ``█``."""
        return cls(StyleKind.MASK)

    @classmethod
    def hashed(cls, key: bytes, hash_chars: int = 12) -> RedactionStyle:
        """Replace each region with ``[LABEL:hmac]``; equal values give equal tokens per key."""
        return cls(StyleKind.HASH, key=key, hash_chars=hash_chars)


@dataclass(frozen=True, slots=True)
class Span:
    """A region to redact in one string: the lower-level input of :func:`redact_spans`.

    ``value`` is the whole value the span belongs to (what the hash style hashes); it
    differs from the covered text when a value was split over several pieces, e.g. HTML
    text nodes. ``lead`` is false for the later pieces of such a split value: with the label
    and hash styles they are replaced by nothing, so the token appears once.
    """

    start: int
    end: int
    category: str
    value: str
    lead: bool = True


@dataclass(frozen=True, slots=True)
class Replacement:
    """One merged region ``text[start:end]`` and what replaces it."""

    start: int
    end: int
    categories: tuple[str, ...]
    text: str


def label_for(category_id: str) -> str:
    """The redaction label of a category; unknown ids (user lexicons) give their upper-case id."""
    cat = categories().get(category_id)
    if cat is not None:
        return cat.label
    return category_id.upper().replace("_", "-")


def redact_text(text: str, findings: Sequence[Finding], style: RedactionStyle) -> str:
    """``text`` with every finding's span replaced according to ``style``.

    Overlapping and touching spans are merged first. A finding whose offsets fall outside
    ``text`` or whose ``text`` does not match ``text[start:end]`` raises ``ValueError``: it
    means the offsets belong to another string, and guessing would risk leaving the value.

    >>> from resguardo.detect.finding import Finding
    >>> f = Finding("ssn", 4, 15, "585-20-1234", 1.0, "test")
    >>> redact_text("SSN 585-20-1234.", [f], RedactionStyle.label())
    'SSN [SSN].'
    """
    return redact_spans(text, [_span_of(text, f) for f in findings], style)


def redact_spans(text: str, spans: Sequence[Span], style: RedactionStyle) -> str:
    """``text`` with ``spans`` replaced; see :class:`Span` for split values."""
    plan = _plan(text, spans, style)
    if not plan:
        return text
    out: list[str] = []
    pos = 0
    for r in plan:
        out.append(text[pos : r.start])
        out.append(r.text)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


def plan_redactions(
    text: str, findings: Sequence[Finding], style: RedactionStyle
) -> list[Replacement]:
    """The merged regions :func:`redact_text` would replace, in order (for previews and diffs)."""
    return _plan(text, [_span_of(text, f) for f in findings], style)


def _span_of(text: str, f: Finding) -> Span:
    if not 0 <= f.start <= f.end <= len(text):
        raise ValueError(
            f"finding {f.category} [{f.start}:{f.end}] is outside a text of length {len(text)}"
        )
    if text[f.start : f.end] != f.text:
        raise ValueError(
            f"finding {f.category} [{f.start}:{f.end}] does not match the text at that place"
        )
    return Span(f.start, f.end, f.category, f.text)


def _plan(text: str, spans: Sequence[Span], style: RedactionStyle) -> list[Replacement]:
    ordered = sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, -s.end))
    for s in ordered:
        if s.start < 0 or s.end > len(text):
            raise ValueError(f"span [{s.start}:{s.end}] is outside a text of length {len(text)}")
    plan: list[Replacement] = []
    i = 0
    while i < len(ordered):
        group = [ordered[i]]
        end = ordered[i].end
        i += 1
        while i < len(ordered) and ordered[i].start <= end:
            group.append(ordered[i])
            end = max(end, ordered[i].end)
            i += 1
        start = group[0].start
        cats = tuple(dict.fromkeys(s.category for s in group))
        plan.append(Replacement(start, end, cats, _token(text, start, end, group, cats, style)))
    return plan


def _token(
    text: str, start: int, end: int, group: list[Span], cats: tuple[str, ...], style: RedactionStyle
) -> str:
    if style.kind is StyleKind.MASK:
        return "".join(c if c in _LINE_BREAKS else MASK_CHAR for c in text[start:end])
    if not any(s.lead for s in group):
        return ""
    labels = "+".join(dict.fromkeys(label_for(c) for c in cats))
    if style.kind is StyleKind.LABEL:
        return f"[{labels}]"
    values = {s.value for s in group}
    value = values.pop() if len(values) == 1 else text[start:end]
    return f"[{labels}:{_digest(value, cats, style)}]"


_IDENTIFIER_IDS = frozenset(c.id for c in categories().values() if c.group is Group.IDENTIFIER)
_NOT_ALNUM = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def normalize_value(value: str, category_ids: Sequence[str]) -> str:
    """The form of ``value`` that the hash style hashes (see the module notes)."""
    if any(c in _IDENTIFIER_IDS for c in category_ids):
        return _NOT_ALNUM.sub("", value).upper()
    return _SPACES.sub(" ", value).strip().casefold()


def _digest(value: str, cats: Sequence[str], style: RedactionStyle) -> str:
    if style.key is None:  # unreachable: RedactionStyle.__post_init__ requires a key
        raise ValueError("the hash style needs a key")
    mac = hmac.new(style.key, normalize_value(value, cats).encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[: style.hash_chars]
