"""Shared pieces of the locating detectors: cue data, text windows, tables, who a text is about.

Everything here works on small windows around prefilter candidates; nothing loops a regex
over a whole text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from resguardo.detect.context import ScanContext
from resguardo.detect.patterns import Candidate

__all__ = [
    "CueIndex",
    "PhraseSet",
    "Table",
    "Words",
    "cue_data",
    "fold",
    "fold_word",
    "header_line",
    "line_bounds",
    "mentions_person",
    "norm_set",
    "people_table",
    "person_in",
    "phrase_pattern",
    "quick_fold",
    "record_marker_in",
    "sentence",
    "sentence_words",
    "speaker_prefix_end",
    "table_at",
    "word_list",
    "words_in",
]

# An accented letter in a cue also matches its plain form: mail typed on an English keyboard
# drops the accents. Plain letters stay literal, which keeps the prefilter fast.
_PLAIN = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ü": "u", "ñ": "n"}


@cache
def cue_data() -> dict[str, Any]:
    """The parsed ``cues.yaml`` (loaded once per process)."""
    raw = resources.files(__package__).joinpath("cues.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def word_list(*path: str) -> list[str]:
    """The list at ``path`` in the cue data, as strings."""
    node: Any = cue_data()
    for key in path:
        node = node[key]
    # YAML reads a bare yes/no/on/off as a boolean: every cue must be written as a string.
    bad = [x for x in node if not isinstance(x, str)]
    if bad:
        raise ValueError(f"cues.yaml {'/'.join(path)}: quote {bad!r}")
    return list(node)


def fold(text: str) -> str:
    """Lower case without accents, whitespace runs and hyphens as one space: a lookup key."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("-", " ").split())


_ACCENTS = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN")
_WORD_RX = re.compile(r"[^\W\d_][\w'’]*")


def quick_fold(text: str) -> str:
    """:func:`fold` for hot paths: the same result for Spanish and English text, in C speed."""
    return " ".join(text.lower().translate(_ACCENTS).replace("-", " ").split())


def fold_word(token: str) -> str:
    """:func:`quick_fold` for one word: the same result, in two string operations."""
    if "-" in token or " " in token:
        return quick_fold(token)
    return token.lower().translate(_ACCENTS)


def words_in(text: str, lo: int, hi: int) -> list[str]:
    """The words of ``text[lo:hi]`` (letters first; apostrophes kept: "Pacheco's")."""
    return _WORD_RX.findall(text, lo, hi)


class Words:
    """The words of one window, tokenized and folded once for every check that reads them."""

    __slots__ = ("folded", "padded", "set", "tokens")

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.tokens: list[str] = _WORD_RX.findall(text, lo, hi)
        joined = " ".join(self.tokens).lower().translate(_ACCENTS)
        self.folded = joined.split(" ")
        self.set = frozenset(self.folded)
        self.padded = f" {joined} "


class PhraseSet:
    """A cue list checked against a small window: one-word phrases by set lookup, longer ones
    by substring search in the folded window. No regex loops over the text."""

    __slots__ = ("multi", "single")

    def __init__(self, phrases: Iterable[str]) -> None:
        folded = {fold(p) for p in phrases}
        self.single = frozenset(p for p in folded if " " not in p)
        self.multi = tuple(f" {p} " for p in folded if " " in p)

    def find(self, text: str, lo: int, hi: int) -> str | None:
        """A phrase of the set in ``text[lo:hi]``, or None."""
        return self.find_in(Words(text, lo, hi))

    def find_in(self, words: Words) -> str | None:
        """A phrase of the set among ``words``, or None."""
        hit = self.single.intersection(words.set)
        if hit:
            return next(iter(hit))
        padded = words.padded
        return next((m.strip() for m in self.multi if m in padded), None)


def norm_set(words: Iterable[str]) -> frozenset[str]:
    """The folded forms of ``words``."""
    return frozenset(fold(w) for w in words)


def _letter(c: str) -> str:
    plain = _PLAIN.get(c)
    return f"[{plain}{c}]" if plain else re.escape(c)


def phrase_pattern(phrases: Iterable[str]) -> str:
    """One prefilter regex for a phrase list (Hyperscan-compatible: no look-around).

    A space matches one whitespace character or a hyphen; an accented letter also matches
    its plain form. ``\\b`` is ASCII-only in the prefilter, so a phrase that ends in an
    accented letter ("será") ends there without one.
    """
    alts: list[str] = []
    # Longest first, ties by text: the same pattern in every process (a set's order depends
    # on the hash seed, and the compiled database is cached by pattern text).
    for phrase in sorted(
        {" ".join(p.lower().replace("-", " ").split()) for p in phrases}, key=lambda p: (-len(p), p)
    ):
        body = r"[\s\-]".join("".join(_letter(c) for c in w) for w in phrase.split(" "))
        alts.append(body if phrase[-1] in _PLAIN else body + r"\b")
    return r"\b(?:" + "|".join(alts) + ")"


class Spans:
    """Sorted, merged intervals with a cheap "does one cover this position" test."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        """Add ``[a, b)``, merging it with the intervals it touches."""
        i = bisect.bisect_left(self.starts, a)
        if i > 0 and self.ends[i - 1] >= a:
            i -= 1
            a = self.starts[i]
        j = i
        while j < len(self.starts) and self.starts[j] <= b:
            b = max(b, self.ends[j])
            j += 1
        self.starts[i:j] = [a]
        self.ends[i:j] = [b]

    def covers(self, pos: int) -> bool:
        """Whether some interval holds ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


class CueIndex:
    """Sorted candidate starts of one pattern key, for range queries by bisection."""

    __slots__ = ("cands", "starts")

    def __init__(self, cands: Sequence[Candidate]) -> None:
        self.cands = list(cands)
        self.starts = [c.start for c in self.cands]

    def __bool__(self) -> bool:
        return bool(self.cands)

    def within(self, lo: int, hi: int) -> list[Candidate]:
        """Candidates starting in ``[lo, hi)``."""
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return self.cands[i:j]

    def any_within(self, lo: int, hi: int) -> bool:
        """Whether a candidate starts in ``[lo, hi)``."""
        i = bisect.bisect_left(self.starts, lo)
        return i < len(self.starts) and self.starts[i] < hi


@cache
def _person_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    # Folded, "él" would be "el", the article of every Spanish noun ("El Paso", "el lunes"):
    # it is looked for with its accent (_ACCENTED_PRONOUNS), the others folded.
    pronouns = [p for p in word_list("person", "pronouns") if p not in _ACCENTED_PRONOUNS]
    return (
        norm_set(pronouns),
        norm_set(word_list("person", "titles")),
        norm_set(word_list("person", "roles")),
        norm_set(word_list("person", "not_persons")),
    )


_ACCENTED_PRONOUNS = frozenset({"él", "Él", "ÉL"})
_DETERMINERS = frozenset(["the", "this", "that", "our", "my", "el", "la", "este", "esta"])


def mentions_person(text: str, lo: int, hi: int) -> str | None:
    """Who ``text[lo:hi]`` is about: a third-person pronoun ("he", "su"), a title with a name
    ("Mr. Ruiz"), a role made specific ("the client", "claimant Rosendo"), or a name as case
    files write it ("Pacheco's", "Maribel ESCAJEDA"). The word found, or None."""
    return person_in(Words(text, lo, hi))


def person_in(words: Words, *, pronouns: bool = True) -> str | None:
    """:func:`mentions_person` over words already tokenized; ``pronouns=False`` asks for
    stronger evidence: a title with a name, a role or a possessive name, not "he" or "su"."""
    pron, titles, roles, institutions = _person_words()
    if pronouns and not words.set.isdisjoint(pron):
        return next(t for t, f in zip(words.tokens, words.folded, strict=True) if f in pron)
    if pronouns and "el" in words.set:
        said = next((t for t in words.tokens if t in _ACCENTED_PRONOUNS), None)
        if said is not None:
            return said
    toks = words.tokens
    prev = ""
    for i, tok in enumerate(toks):
        low = words.folded[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if pronouns and low in pron:
            return tok
        if low in titles and nxt[:1].isupper() and not tok.isupper():
            return f"{tok} {nxt}"  # "Mr. Ruiz", "Sra. Loera"; not "MS Windows"
        if low in roles and (
            prev.lower() in _DETERMINERS or nxt[:1].isupper() or (i == 0 and tok[:1].isupper())
        ):
            return tok  # "the client", "claimant Rosendo", "Claimant must attend ..."
        if (
            tok.endswith(("'s", "’s"))
            and tok[:1].isupper()
            and len(tok) > 3
            and low[:-2] not in institutions
        ):
            return tok
        if (
            pronouns
            and len(tok) >= 4
            and tok.isupper()
            and prev[:1].isupper()
            and not prev.isupper()
        ):
            return f"{prev} {tok}"  # "Maribel ESCAJEDA"; too loose alone ("Enter NOTE")
        prev = tok
    return None


def line_bounds(text: str, pos: int, cap: int = 1000) -> tuple[int, int]:
    """The line around ``pos``, at most ``cap`` characters each way (one huge line stays cheap)."""
    lo = max(0, pos - cap)
    s = text.rfind("\n", lo, pos) + 1 or lo
    e = text.find("\n", pos, pos + cap)
    return s, (min(len(text), pos + cap) if e == -1 else e)


# Mail headers and reply banners: their dates are when mail was sent, not appearances.
_HEADER = re.compile(
    r"[ \t>]*(?:date|sent|fecha|enviado|received|from|to|cc|subject|asunto|de|para)[ \t]*:",
    re.IGNORECASE,
)


def header_line(line: str) -> bool:
    """Whether ``line`` is a mail header, a "wrote:" banner or a quoted-header line."""
    if _HEADER.match(line):
        return True
    tail = line.rstrip().lower()
    return tail.endswith(("wrote:", "escribió:", "escribio:", ">>>"))


# A chat or SMS line: "08:52  Gallegos:", "[SMS] Tull -> Maestas 8/1 6:02 PM:", "Apodaca:".
# The prefix ends at the first colon followed by a space that is not inside a clock time.
_SPEAKER = re.compile(r"^[ \t>]*(?:\[[^\]\n]{1,20}\][ \t]*)?(?:[^\n:]|\d:\d){1,60}?:[ \t]+")


def speaker_prefix_end(line: str) -> int:
    """Where the message body of a chat line begins (0 when the line has no speaker prefix)."""
    if ":" not in line[:90]:
        return 0  # the common case, decided without the (backtracking) pattern
    m = _SPEAKER.match(line)
    return m.end() if m else 0


def _soft_wrapped(text: str, line_start: int) -> bool:
    """Whether the line before ``line_start`` runs on into it (a hard-wrapped paragraph).

    A long line that ends without punctuation runs on. So does a narrow one (mail wrapped at
    40 columns) when a lower-case word ends it and a lower-case word or a number opens the
    next: "his next court date\nis January 22", "reports to me Mondays at\n10:00". A name
    over a street ("Rosa Quintana\n1450 ...") or a heading over a list does not.
    """
    if line_start <= 0:
        return False
    lo = max(0, line_start - 1000)
    prev_start = text.rfind("\n", lo, line_start - 1) + 1 or lo
    prev = text[prev_start : line_start - 1].rstrip()
    if len(prev) < 10 or prev[-1] in ".!?:;|" or _tabular(prev):
        return False
    nl = text.find("\n", line_start, line_start + 1000)
    cur = text[line_start : nl if nl != -1 else line_start + 1000]
    nxt = cur.lstrip("> \t")
    if not nxt or nxt[0] in "-*•|#" or _tabular(cur):
        return False
    if len(prev) >= 55:
        return True
    last = prev.rsplit(None, 1)[-1]
    if last in _WRAP_WORDS:
        return True  # "is set for a status conference on\nMonday ...": a clause left open
    return prev[-1].islower() and last.isalpha() and (nxt[0].islower() or nxt[0].isdigit())


# A line that ends in one of these leaves its clause open: the next line goes on with it.
_WRAP_WORDS = frozenset(word_list("phrasing", "wrap_words"))


def _tabular(line: str) -> bool:
    """A table row or a fixed-width record, which never wraps into the next line. A CSV row
    is told from prose by its commas: prose puts a space after each, a CSV row seldom."""
    return (
        "|" in line
        or "\t" in line
        or "   " in line.strip()
        or line.count(",") - line.count(", ") >= 3
    )


# A period after these is not a sentence end ("Mr. Ruiz", "PPO A. Ortiz", "No. 5"), nor
# after a single letter (an initial). (Word lists in cues.yaml.)
_TITLE_WORDS = frozenset(word_list("phrasing", "title_abbreviations"))
# After these a period ends a sentence only before a capital: "9:00 a.m. The tribunal".
_SOFT_WORDS = frozenset(word_list("phrasing", "soft_abbreviations"))
_AFTER_END = frozenset(" \t\r\n\"'’”)]")
_TERMINATOR = re.compile(r"[.!?\n]")


def _is_end(text: str, p: int) -> bool:
    """Whether the terminator at ``p`` ends a sentence. String tests, not a regex search per
    period: this runs for every period near every cue."""
    ch = text[p]
    if ch == "\n":
        return True
    if p + 1 < len(text) and text[p + 1] not in _AFTER_END:
        return False  # "3.5", "a.m" inside, "U.S."
    if ch != ".":
        return True
    i = p
    lo = max(0, p - 12)
    while i > lo and text[i - 1].isalnum():
        i -= 1
    if i == p and p > 0 and text[p - 1] == ".":
        # A run of dots: a form's leader ("NEXT COURT ...... 11/04/2025") goes on to its
        # value; an ellipsis ends a sentence only before a capital.
        j = p
        while j > lo and text[j - 1] == ".":
            j -= 1
        nxt = text[p + 1 : p + 4].lstrip(" \t")
        return not (j == 0 or text[j - 1] in " \t" or not nxt or not nxt[0].isupper())
    word = text[i:p].lower()
    if (
        word in _SOFT_WORDS
        or (word == "m" and text[i - 2 : i].lower() in ("a.", "p."))
        # "EE.UU.", "U.S.": a dotted abbreviation ends a sentence only before a capital
        or (i > 0 and text[i - 1] == "." and word.isalpha())
    ):
        nxt = text[p + 1 : p + 4].lstrip()
        return not nxt or nxt[0].isupper()
    return not (word in _TITLE_WORDS or (len(word) == 1 and word.isalpha()))


def _bounds(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    lo = max(0, start - limit)
    s = lo
    p = start
    while p > lo:
        p = max(
            text.rfind(".", lo, p), text.rfind("\n", lo, p), text.rfind("!", lo, p),
            text.rfind("?", lo, p),
        )  # fmt: skip
        if p < 0:
            break
        if _is_end(text, p):
            s = p + 1
            break
    hi = min(len(text), end + limit)
    e = hi
    for m in _TERMINATOR.finditer(text, end, hi):
        if _is_end(text, m.start()):
            e = m.start()
            break
    return s, e


def sentence(ctx: ScanContext, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``: titles and initials ("Mr.", "A.") do not end it,
    and a hard-wrapped line break joins the lines it splits."""
    text = ctx.text
    s, e = _bounds(text, start, end)
    # narrow mail wraps one sentence over several lines: follow a few wraps each way
    for _ in range(_MAX_WRAPS):
        if not (s > 0 and text[s - 1] == "\n" and _soft_wrapped(text, s)):
            break
        s, _ = _bounds(text, s - 1, s - 1)
    for _ in range(_MAX_WRAPS):
        if not (e < len(text) and text[e] == "\n" and _soft_wrapped(text, e + 1)):
            break
        _, e = _bounds(text, e + 1, e + 1)
    return s, e


_MAX_WRAPS = 4


def _sentence_cache(_ctx: ScanContext) -> dict[tuple[int, int], Words]:
    return {}


def sentence_words(
    ctx: ScanContext, start: int, end: int, known: tuple[int, int] | None = None
) -> tuple[int, int, Words]:
    """:func:`sentence` around ``[start, end)`` (or ``known``, when the caller found it
    already) and its words. Several phrases and cues share a sentence, and both locating
    detectors read it, so its words are tokenized once per text."""
    s, e = known if known is not None else sentence(ctx, start, end)
    cache = ctx.shared("locating.sentence_words", _sentence_cache)
    words = cache.get((s, e))
    if words is None:
        words = cache[(s, e)] = Words(ctx.text, s, e)
    return s, e, words


@cache
def _people_columns() -> frozenset[str]:
    return norm_set(word_list("person", "columns"))


def people_table(header_cells: Sequence[str]) -> bool:
    """Whether a table lists people: a short header cell such as "Name", "DOB", "Offender"."""
    columns = _people_columns()
    return any(
        len(words) <= 3 and bool(set(words) & columns)
        for words in (h.replace("(", " ").replace(")", " ").split() for h in header_cells)
    )


@dataclass(frozen=True, slots=True)
class Table:
    """A delimited or fixed-width table found from its header line."""

    header_start: int
    column: int  # index of the cue's column
    header_cells: tuple[str, ...]
    cells: tuple[tuple[int, int], ...]  # the cue column's cell in each row, as text offsets


_HEADER_MAX = 800  # characters each way from the cue: wider than any real header row
_SEP_ROW = re.compile(r"^[\s|:+=\-]+$")
_FIXED_SPLIT = re.compile(r"\S+(?: \S+)*")
_CSV_CELL = re.compile(r'"(?:[^"]|"")*"|[^,]*')


def _split(line: str, kind: str) -> list[tuple[int, int]]:
    """Cell spans (relative to the line) for one table row."""
    if kind == "|":
        spans, pos = [], 0
        for part in line.split("|"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
        if line.lstrip().startswith("|"):
            spans = spans[1:]
        return spans
    if kind == "\t":
        spans, pos = [], 0
        for part in line.split("\t"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
        return spans
    if kind == ",":
        spans, pos = [], 0
        while pos <= len(line):
            m = _CSV_CELL.match(line, pos)
            assert m is not None  # the pattern matches the empty string
            spans.append((m.start(), m.end()))
            pos = m.end() + 1
        return spans
    # Fixed width: cells are separated by two or more spaces.
    return [(m.start(), m.end()) for m in _FIXED_SPLIT.finditer(line.replace("\t", "  "))]


def _kind(line: str) -> str | None:
    """The delimiter of a table row: "|", tab, "," or " " (fixed width), or None for prose."""
    if len(line) > 2000:
        return None
    if line.count("|") >= 2:
        return "|"
    if line.count("\t") >= 2:
        return "\t"
    stripped = line.strip()
    if stripped.count(",") >= 2 and "  " not in stripped:
        # A CSV row has short cells; a sentence with two commas has long ones.
        cells = stripped.split(",")
        if all(len(c.split()) <= 4 for c in cells):
            return ","
        return None
    if len(_FIXED_SPLIT.findall(stripped)) >= 3 and re.search(r"\S {2,}\S", stripped):
        return " "
    return None


def _trim(line: str, a: int, b: int) -> tuple[int, int]:
    while a < b and line[a] in ' \t"':
        a += 1
    while b > a and line[b - 1] in ' \t"':
        b -= 1
    return a, b


def table_at(ctx: ScanContext, cue: Candidate, *, max_rows: int = 1_000_000) -> Table | None:
    """The table whose header line holds ``cue``, with the cell of the cue's column per row."""
    text = ctx.text
    ls, le = line_bounds(text, cue.start, cap=_HEADER_MAX)
    if (ls > 0 and text[ls - 1] != "\n") or (le < len(text) and text[le] != "\n"):
        return None  # longer than any header row: prose, decided without reading it
    header = text[ls:le]
    if not (
        header.count("|") >= 2
        or header.count("\t") >= 2
        or header.count(",") >= 2
        or "  " in header.strip()
    ):
        return None  # prose: the common case, decided without splitting the line
    kind = _kind(header)
    if kind is None:
        return None
    nl = text.find("\n", le + 1, le + 2001)
    first_row = text[le + 1 : nl if nl != -1 else min(len(text), le + 2001)]
    if _SEP_ROW.match(first_row or "x"):
        nl2 = text.find("\n", nl + 1, nl + 2001) if nl != -1 else -1
        first_row = text[nl + 1 : nl2 if nl2 != -1 else min(len(text), nl + 2001)]
    if _kind(first_row) != kind:
        return None  # a header needs at least one row of the same shape under it
    hcells = _split(header, kind)
    rel = cue.start - ls
    col = next((i for i, (a, b) in enumerate(hcells) if a <= rel < b), None)
    if col is None or len(hcells) < 3:
        return None
    names = tuple(fold(header[a:b]) for a, b in hcells)
    if any(len(n.split()) > 5 for n in names):
        return None  # a row of prose cells, not a header
    cells: list[tuple[int, int]] = []
    pos = le + 1
    fixed_lo = hcells[col][0]
    fixed_hi = hcells[col + 1][0] if col + 1 < len(hcells) else None
    for _ in range(max_rows):
        if pos >= len(text):
            break
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        row = text[pos:end]
        if not row.strip():
            break
        if _SEP_ROW.match(row):
            pos = end + 1
            continue
        if kind == " ":
            if len(_FIXED_SPLIT.findall(row)) < 2:
                break
            a = fixed_lo
            b = len(row) if fixed_hi is None else min(len(row), fixed_hi)
            # A cell may start a little left of its header; snap to the token that covers a.
            while a > 0 and row[a - 1] != " ":
                a -= 1
            a, b = _trim(row, a, b)
        else:
            if _kind(row) != kind and row.count(kind) < len(hcells) - 2:
                break
            rcells = _split(row, kind)
            if col >= len(rcells):
                pos = end + 1
                continue
            a, b = _trim(row, *rcells[col])
        if b > a:
            cells.append((pos + a, pos + b))
        pos = end + 1
    return Table(ls, col, names, tuple(cells))


@cache
def _marker_rx(*path: str) -> re.Pattern[str]:
    # Lower-case literals only, no leading \b: Python's ``re`` then skips ahead to the
    # markers' first letters in C; word boundaries are checked on the few hits.
    markers = {quick_fold(m) for m in word_list(*path)}
    longest_first = sorted(markers, key=lambda m: (-len(m), m))
    return re.compile("|".join(re.escape(m) for m in longest_first))


def record_marker_in(
    text: str, lo: int, hi: int, path: tuple[str, ...] = ("phrasing", "record_markers")
) -> str | None:
    """A record marker ("DOB", "SSN", "claimant"; the list at ``path`` in ``cues.yaml``)
    standing as a word in ``text[lo:hi]``: the block is a record about somebody. An
    underscore separates words here, so a field such as "hoh_dob" holds "dob". The marker
    found, or None."""
    low = text[lo:hi].lower()
    for m in _marker_rx(*path).finditer(low):
        a, b = m.start(), m.end()
        if (a == 0 or not low[a - 1].isalnum()) and (b == len(low) or not low[b].isalnum()):
            return m.group()
    return None
