"""Status lexicons: loading, validating and compiling phrase lists into prefilter patterns.

The built-in lexicons live in ``lexicons/*.yaml`` next to this module: one file per status
category, plus ``places.yaml`` (countries, regions, demonyms) and ``context.yaml`` (the cue
words the context rules use). Agencies add their own terms (shelter names, program names)
with a *user lexicon*, a small YAML file read by :func:`load_user_lexicon`.

Phrases use a tiny syntax so a lexicon can stay readable and still cover inflections:

- ``(a|b|c)`` is an alternation, ``(...)?`` an optional group; groups may nest;
- a space matches one whitespace character or a hyphen ("same sex" = "same-sex" =
  "same\\nsex");
- ``-`` matches an optional hyphen or space ("non-binary" = "nonbinary" = "non binary");
- ``.`` is optional, and may be followed by a space ("u.s." = "US" = "U. S.");
- ``'`` matches a straight, curly or missing apostrophe;
- an accented letter also matches its bare form, in either case ("situación" matches
  "situacion" and "SITUACIÓN"). Bare letters stay bare, so Spanish phrases are written with
  their accents.

Everything compiles to the regex subset that Hyperscan and Python's ``re`` share. We compile
in byte mode (not Unicode mode) because Hyperscan rejects ``\\b`` in UCP mode; accented
letters become explicit alternations and word boundaries next to them are checked in Python
(:func:`at_word_boundary`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from resguardo.detect.patterns import PatternSpec

__all__ = [
    "STATUS_CATEGORIES",
    "CategoryLexicon",
    "ContextCues",
    "Kind",
    "Place",
    "Term",
    "TermIndex",
    "UserEntry",
    "UserLexicon",
    "at_word_boundary",
    "builtin_lexicons",
    "compile_phrase",
    "context_cues",
    "expand_phrase",
    "fold",
    "load_user_lexicon",
    "places",
    "word_list_regex",
]

STATUS_CATEGORIES: tuple[str, ...] = (
    "immigration_status",
    "national_origin",
    "public_assistance",
    "crime_victim",
    "sexual_orientation",
    "gender_identity",
    "disability",
    "religion",
    "homeless_status",
)

# Hyperscan refuses very long expressions ("Pattern length exceeds limit"); about 1 KB is safe.
_MAX_PATTERN_CHARS = 900


class Kind(StrEnum):
    """How much context a term needs before it counts as a disclosure about a person."""

    #: A status noun or adjective ("undocumented", "SNAP"): needs a person it is said of.
    STATUS = "status"
    #: Common in ordinary prose too ("gay", "deaf", "Catholic"): needs a tight binding
    #: (person + verb, a possessive, a record field), never just a person nearby.
    WEAK = "weak"
    #: Carries its own verb ("overstayed", "vive en su carro"): needs a person in the clause
    #: or a case record around it.
    PREDICATE = "predicate"
    #: A place one stays at or attends ("shelter", "parish", a shelter's name): needs a
    #: stay/attend verb bound to a person.
    PLACE = "place"


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon phrase of one category."""

    category: str
    phrase: str
    kind: Kind
    cased: bool = False
    #: One of these words must occur in the same sentence ("Section 8" needs "housing"...).
    near: tuple[str, ...] = ()
    #: Words that, right after the phrase, show it is not about a person ("transitioning to").
    not_before: tuple[str, ...] = ()
    #: Where the term came from: ``builtin`` or a user lexicon's name.
    source: str = "builtin"
    #: False only for user terms whose every mention is sensitive.
    person_context: bool = True


@dataclass(frozen=True, slots=True)
class CategoryLexicon:
    """The terms and cue words of one status category."""

    category: str
    terms: tuple[Term, ...]
    #: Disclosure verbs specific to this category ("receives", "diagnosed with", "attends").
    verbs: tuple[str, ...] = ()
    #: A term directly followed by one of these is about a thing, not a person
    #: ("Catholic Charities", "disability insurance").
    not_followed_by: tuple[str, ...] = ()
    #: A term directly preceded by one of these is not a status ("economic depression").
    not_preceded_by: tuple[str, ...] = ()
    #: Category-specific cue lists (e.g. national origin's "born in", "from" triggers).
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Place:
    """A country or a foreign region/city, with its names and demonyms in both languages."""

    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    #: Demonyms that are also language names or common words ("Spanish", "chino").
    ambiguous_demonyms: tuple[str, ...] = ()
    country: bool = True


@dataclass(frozen=True, slots=True)
class ContextCues:
    """Word lists the context rules are built from (``lexicons/context.yaml``)."""

    lists: Mapping[str, tuple[str, ...]]

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self.lists[key]


@dataclass(frozen=True, slots=True)
class UserEntry:
    """Terms a user lexicon adds to one status category."""

    category: str
    terms: tuple[str, ...]
    requires_person_context: bool = True
    kind: Kind = Kind.STATUS


@dataclass(frozen=True, slots=True)
class UserLexicon:
    """An agency's own terms (shelter names, program names), loaded from YAML."""

    name: str
    path: Path | None
    entries: tuple[UserEntry, ...] = field(default=())

    def terms(self) -> list[Term]:
        """The entries as :class:`Term` objects, tagged with this lexicon's name."""
        out: list[Term] = []
        for e in self.entries:
            for phrase in e.terms:
                out.append(
                    Term(
                        category=e.category,
                        phrase=phrase,
                        kind=e.kind,
                        source=self.name,
                        person_context=e.requires_person_context,
                    )
                )
        return out


# --------------------------------------------------------------------------- folding


_NON_ALNUM_ASCII = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, strip accents and drop everything but letters and digits.

    Two spellings that one lexicon phrase matches fold to the same key, so a match can be
    traced back to its term with a dict lookup ("Situación  Migratoria" -> "situacionmigratoria").
    Cached: the same few spellings recur across a corpus.
    """
    low = text.lower()
    if low.isascii():
        return _NON_ALNUM_ASCII.sub("", low)
    decomposed = unicodedata.normalize("NFKD", low)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def at_word_boundary(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is not glued to a letter or digit on either side."""
    if start > 0 and text[start - 1].isalnum():
        return False
    return not (end < len(text) and text[end].isalnum())


# --------------------------------------------------------------------------- phrase syntax


@dataclass
class _Node:
    """A parsed phrase: a sequence of literal chars and groups (alternatives of sequences)."""

    items: list[str | _Group]


@dataclass
class _Group:
    alternatives: list[_Node]
    optional: bool = False


def _parse(phrase: str, pos: int = 0, depth: int = 0) -> tuple[_Node, int]:
    items: list[str | _Group] = []
    while pos < len(phrase):
        ch = phrase[pos]
        if ch == "(":
            alts: list[_Node] = []
            pos += 1
            while True:
                node, pos = _parse(phrase, pos, depth + 1)
                alts.append(node)
                if pos >= len(phrase):
                    raise ValueError(f"unclosed '(' in phrase {phrase!r}")
                if phrase[pos] == "|":
                    pos += 1
                    continue
                break  # ")"
            pos += 1
            optional = pos < len(phrase) and phrase[pos] == "?"
            if optional:
                pos += 1
            items.append(_Group(alts, optional))
        elif ch in "|)":
            if depth == 0:
                raise ValueError(f"unbalanced {ch!r} in phrase {phrase!r}")
            return _Node(items), pos
        elif ch == "?":
            raise ValueError(f"'?' must follow a group in phrase {phrase!r}")
        else:
            items.append(ch)
            pos += 1
    if depth:
        raise ValueError(f"unclosed '(' in phrase {phrase!r}")
    return _Node(items), pos


def _strip_accent(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in base if not unicodedata.combining(c)) or ch


def _char_regex(ch: str, nxt: str | None) -> str:
    if ch == " ":
        # One whitespace or hyphen, not a run: variable-width gaps make Hyperscan's
        # start-of-match tracking several times slower across a few thousand phrases.
        return r"[\s\-]"
    if ch == "-":
        return r"[\s\-]?"
    if ch == ".":
        return r"\.?\s?" if nxt is not None and nxt.isalnum() else r"\.?"
    if ch in "'’":
        return "['’]?"
    if ch == "/":
        return r"\s?/\s?"
    if ch.isascii():
        return re.escape(ch)
    bare = _strip_accent(ch)
    if bare != ch and bare.isascii():
        # Byte-mode caseless folds only ASCII, so spell out both cases of the accented letter.
        variants = [bare, ch.lower(), ch.upper()]
        return "(?:" + "|".join(dict.fromkeys(variants)) + ")"
    variants = [ch.lower(), ch.upper()]
    return "(?:" + "|".join(dict.fromkeys(variants)) + ")"


def _node_regex(node: _Node) -> str:
    out: list[str] = []
    items = node.items
    for i, item in enumerate(items):
        if isinstance(item, _Group):
            body = "|".join(_node_regex(a) for a in item.alternatives)
            out.append(f"(?:{body})" + ("?" if item.optional else ""))
        else:
            nxt = items[i + 1] if i + 1 < len(items) else None
            out.append(_char_regex(item, nxt if isinstance(nxt, str) else "a"))
    return "".join(out)


def _edge_is_plain(node: _Node, first: bool) -> bool:
    """Whether the phrase surely starts (ends) with a bare ASCII letter or digit."""
    if not node.items:
        return False
    item = node.items[0] if first else node.items[-1]
    if isinstance(item, _Group):
        if item.optional:
            return False
        return all(_edge_is_plain(a, first) for a in item.alternatives)
    return item.isascii() and item.isalnum()


def _compile_parts(phrase: str) -> tuple[bool, str, bool]:
    """(plain left edge, body regex, plain right edge) of one phrase."""
    node, _ = _parse(phrase.strip())
    return _edge_is_plain(node, True), _node_regex(node), _edge_is_plain(node, False)


def compile_phrase(phrase: str) -> str:
    """The prefilter regex (Hyperscan/``re`` common subset) for one lexicon phrase."""
    left, body, right = _compile_parts(phrase)
    # ASCII \b only where the phrase edge is a bare ASCII alnum; elsewhere Python checks.
    return ("\\b" if left else "") + body + ("\\b" if right else "")


def _expand(node: _Node) -> list[str]:
    results = [""]
    for item in node.items:
        if isinstance(item, _Group):
            options: list[str] = []
            for alt in item.alternatives:
                options.extend(_expand(alt))
            if item.optional:
                options.append("")
            results = [r + o for r in results for o in options]
        else:
            results = [r + item for r in results]
        if len(results) > 8192:
            raise ValueError("phrase expands to too many variants (split it)")
    return results


def expand_phrase(phrase: str) -> list[str]:
    """Every spelling a phrase stands for, with groups expanded (for the term index)."""
    node, _ = _parse(phrase.strip())
    return _expand(node)


class _Trie:
    __slots__ = ("children", "end")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.end = False

    def add(self, atoms: Sequence[str]) -> None:
        node = self
        for a in atoms:
            node = node.children.setdefault(a, _Trie())
        node.end = True

    def regex(self) -> str:
        alts = [a + child.regex() for a, child in self.children.items()]
        if not alts:
            return ""
        if len(alts) == 1 and not self.end:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if self.end else "")


def _atoms(variant: str) -> list[str]:
    out: list[str] = []
    for i, ch in enumerate(variant):
        nxt = variant[i + 1] if i + 1 < len(variant) else None
        out.append(_char_regex(ch, nxt))
    return out


def word_list_regex(words: Iterable[str]) -> str:
    """An alternation of phrases for Python-side regexes (``re`` only, not prefiltering).

    Built as a trie ("re(?:ceives|fugee)"): Python's ``re`` tries alternatives one by one,
    so a flat list of a few hundred phrases costs that many attempts at every position of
    the text; a trie costs about one phrase length. Word boundaries are factored out.
    """
    tries: dict[tuple[bool, bool], _Trie] = {}
    for w in words:
        if not w.strip():
            continue
        left, _, right = _compile_parts(w)
        trie = tries.setdefault((left, right), _Trie())
        for variant in expand_phrase(w):
            trie.add(_atoms(variant.strip()))
    alts = [
        ("\\b" if left else "") + f"(?:{trie.regex()})" + ("\\b" if right else "")
        for (left, right), trie in sorted(tries.items(), reverse=True)
    ]
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


# --------------------------------------------------------------------------- term index


class TermIndex:
    """Maps a matched span back to its term, by folded spelling."""

    def __init__(self) -> None:
        self._by_key: dict[str, Term] = {}

    def add(self, term: Term) -> None:
        """Index every spelling of ``term``; the first term to claim a spelling keeps it."""
        for variant in expand_phrase(term.phrase):
            key = fold(variant)
            if key:
                self._by_key.setdefault(key, term)

    def get(self, matched: str) -> Term | None:
        """The term whose spelling ``matched`` is, if any."""
        return self._by_key.get(fold(matched))

    def __len__(self) -> int:
        return len(self._by_key)


def pattern_specs(prefix: str, terms: Sequence[Term]) -> list[PatternSpec]:
    """Chunked alternations of the terms' regexes, caseless or cased as the terms say.

    Phrases are grouped by whether their edges take a word boundary, so that each chunk is
    ``\\b(?:a|b|c)\\b`` rather than ``(?:\\ba\\b|\\bb\\b|...)``: Hyperscan compiles
    the factored form several times faster.
    """
    specs: list[PatternSpec] = []
    for cased in (False, True):
        groups: dict[tuple[bool, bool], set[str]] = {}
        for t in terms:
            if t.cased != cased:
                continue
            left, body, right = _compile_parts(t.phrase)
            groups.setdefault((left, right), set()).add(body)
        n = 0
        for (left, right), bodies in sorted(groups.items()):
            lb = "\\b" if left else ""
            rb = "\\b" if right else ""
            chunk: list[str] = []
            size = 0
            # Longest first: Python's re (the fallback backend) takes the first alternative
            # that matches, Hyperscan reports the longest; this way both agree.
            for body in [*sorted(bodies, key=lambda b: (-len(b), b)), ""]:
                if chunk and (not body or size + len(body) > _MAX_PATTERN_CHARS):
                    tag = "c" if cased else "i"
                    specs.append(
                        PatternSpec(
                            key=f"{prefix}:{tag}{n}",
                            regex=f"{lb}(?:{'|'.join(chunk)}){rb}",
                            caseless=not cased,
                        )
                    )
                    n += 1
                    chunk, size = [], 0
                if body:
                    chunk.append(body)
                    size += len(body) + 1
    return specs


# --------------------------------------------------------------------------- built-in data


class _WordsLoader(yaml.SafeLoader):
    """A YAML loader that keeps every scalar a string.

    Word lists hold "no", "on", "is"...; YAML 1.1 would turn the first two into booleans.
    """


_WordsLoader.yaml_implicit_resolvers = {}


def _data(name: str) -> Any:
    text = resources.files("resguardo.detect").joinpath("lexicons", name).read_text("utf-8")
    try:
        return yaml.load(text, Loader=_WordsLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"lexicons/{name}: invalid YAML: {exc}") from exc


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _parse_category_file(raw: Any, fname: str) -> CategoryLexicon:
    if not isinstance(raw, dict) or raw.get("category") not in STATUS_CATEGORIES:
        raise ValueError(f"{fname}: needs 'category', one of the status categories")
    cat = str(raw["category"])
    near_map = raw.get("requires_near") or {}
    not_before_map = raw.get("not_followed_by_term") or {}
    terms: list[Term] = []
    for section, cased in (("terms", False), ("cased", True)):
        groups = raw.get(section) or {}
        if not isinstance(groups, dict):
            raise ValueError(f"{fname}: '{section}' must map kinds to phrase lists")
        for kind_name, phrases in groups.items():
            try:
                kind = Kind(kind_name)
            except ValueError:
                raise ValueError(f"{fname}: unknown term kind {kind_name!r}") from None
            for phrase in _str_list(phrases, f"{fname}: {section}.{kind_name}"):
                try:
                    _parse(phrase)  # syntax check now, with the file name in the error
                except ValueError as exc:
                    raise ValueError(f"{fname}: {exc}") from None
                terms.append(
                    Term(
                        category=cat,
                        phrase=phrase,
                        kind=kind,
                        cased=cased,
                        near=_str_list(near_map.get(phrase), f"{fname}: requires_near"),
                        not_before=_str_list(not_before_map.get(phrase), f"{fname}: not_followed"),
                    )
                )
    verbs = raw.get("verbs") or {}
    extra_raw = raw.get("extra") or {}
    if not isinstance(extra_raw, dict):
        raise ValueError(f"{fname}: 'extra' must map names to phrase lists")
    extra = {str(k): _str_list(v, f"{fname}: extra.{k}") for k, v in extra_raw.items()}
    return CategoryLexicon(
        category=cat,
        terms=tuple(terms),
        verbs=_str_list(verbs.get("en"), f"{fname}: verbs.en")
        + _str_list(verbs.get("es"), f"{fname}: verbs.es"),
        not_followed_by=_str_list(raw.get("not_followed_by"), f"{fname}: not_followed_by"),
        not_preceded_by=_str_list(raw.get("not_preceded_by"), f"{fname}: not_preceded_by"),
        extra=extra,
    )


@cache
def builtin_lexicons() -> dict[str, CategoryLexicon]:
    """The built-in lexicon of every status category, keyed by category id."""
    out: dict[str, CategoryLexicon] = {}
    for cat in STATUS_CATEGORIES:
        fname = f"{cat}.yaml"
        out[cat] = _parse_category_file(_data(fname), fname)
    return out


@cache
def context_cues() -> ContextCues:
    """The shared cue lists (person references, verbs, generic and memo cues...)."""
    raw = _data("context.yaml")
    if not isinstance(raw, dict):
        raise ValueError("context.yaml: expected a mapping of cue lists")
    return ContextCues({k: _str_list(v, f"context.yaml: {k}") for k, v in raw.items()})


@cache
def places() -> tuple[Place, ...]:
    """Countries and foreign regions/cities with their demonyms (``places.yaml``)."""
    raw = _data("places.yaml")
    out: list[Place] = []
    for section, country in (("countries", True), ("regions", False)):
        for i, row in enumerate(raw.get(section) or []):
            fields = row.split(";") if isinstance(row, str) else []
            if len(fields) != 4:
                raise ValueError(
                    f"places.yaml: {section}[{i}] must be "
                    "'names ; es names ; demonyms ; es demonyms'"
                )
            cols = [[x.strip() for x in f.split(",") if x.strip()] for f in fields]
            names = tuple(n for n in (*cols[0], *cols[1]) if n)
            dems: list[str] = []
            amb: list[str] = []
            for d in (*cols[2], *cols[3]):
                # A leading "~" marks a demonym that is also a language or a common word.
                if d.startswith("~"):
                    amb.append(d[1:])
                    dems.append(d[1:])
                elif d:
                    dems.append(d)
            out.append(Place(names, tuple(dems), tuple(amb), country))
    return tuple(out)


# --------------------------------------------------------------------------- user lexicons


def load_user_lexicon(path: Path) -> UserLexicon:
    """Read and validate a user lexicon YAML file.

    The file looks like::

        name: Albuquerque shelters
        entries:
          - category: homeless_status
            terms: ["Westside Emergency Housing Center"]
            requires_person_context: true   # optional, default true

    Raises ``ValueError`` naming the file and the problem when the YAML is malformed, a
    category is unknown or not a status category, or an entry has no terms.
    """
    path = Path(path)
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"user lexicon {path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"user lexicon {path}: invalid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError(f"user lexicon {path}: expected a mapping with 'name' and 'entries'")
    unknown = set(raw) - {"name", "description", "entries"}
    if unknown:
        raise ValueError(f"user lexicon {path}: unknown keys {sorted(unknown)}")
    name = raw.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"user lexicon {path}: 'name' must be a non-empty string")
    entries_raw = raw.get("entries")
    if not isinstance(entries_raw, list) or not entries_raw:
        raise ValueError(f"user lexicon {path}: 'entries' must be a non-empty list")
    entries: list[UserEntry] = []
    for i, e in enumerate(entries_raw):
        where = f"user lexicon {path}: entries[{i}]"
        if not isinstance(e, dict):
            raise ValueError(f"{where}: expected a mapping with 'category' and 'terms'")
        extra = set(e) - {"category", "terms", "requires_person_context", "kind"}
        if extra:
            raise ValueError(f"{where}: unknown keys {sorted(extra)}")
        cat = e.get("category")
        if cat not in STATUS_CATEGORIES:
            raise ValueError(
                f"{where}: unknown category {cat!r}; user lexicons feed the status "
                f"categories: {', '.join(STATUS_CATEGORIES)}"
            )
        terms = e.get("terms")
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise ValueError(f"{where}: 'terms' must be a non-empty list of non-empty strings")
        rpc = e.get("requires_person_context", True)
        if not isinstance(rpc, bool):
            raise ValueError(f"{where}: 'requires_person_context' must be true or false")
        # Names of places (shelters, parishes) bind to a person through a stay/attend verb.
        default_kind = Kind.PLACE if cat in ("homeless_status", "religion") else Kind.STATUS
        kind_raw = e.get("kind", default_kind.value)
        try:
            kind = Kind(kind_raw)
        except ValueError:
            raise ValueError(
                f"{where}: unknown kind {kind_raw!r} (use one of {[k.value for k in Kind]})"
            ) from None
        cleaned: list[str] = []
        for t in terms:
            # User terms are literal names: neutralize the phrase syntax characters.
            literal = re.sub(r"[()|?]", " ", t).strip()
            literal = re.sub(r"\s+", " ", literal)
            if not fold(literal):
                raise ValueError(f"{where}: term {t!r} has no letters or digits")
            cleaned.append(literal)
        entries.append(UserEntry(cat, tuple(cleaned), rpc, kind))
    return UserLexicon(name=name.strip(), path=path, entries=tuple(entries))
