"""Texts the core writes for people, kept structured so that a page can show them in Spanish.

The request reader (:mod:`resguardo.intake`) and the legal-document classifier
(:mod:`resguardo.legal`) explain themselves in sentences: "sender domain ice.dhs.gov",
"form I-200 [footer]". Each such sentence is a :class:`Msg`: a stable key into a message
catalog plus its parameters. The catalogs are YAML data files next to the code that writes
the messages (``intake/data/messages.yaml``, ``legal/messages.yaml``), one entry per key
with an English (``en``) and a Spanish (``es``) template in ``str.format`` syntax.

A ``Msg`` *is* a ``str``: its English text. Everything that took these sentences as strings
(the CLI, ``to_dict()``, the JSON contracts, tests matching substrings) keeps working, and
:meth:`Msg.render` gives the same sentence in another language. Parameters are strings too:
material quoted from a document or an email stays as written, and a parameter that is itself
a :class:`Msg`, a :class:`Term` (an enum value such as ``judicial_warrant``, which a page
may show by its label), a :class:`Localized` text (English and Spanish written in a data
file) or a :class:`Joined` list is rendered in the same language.

:func:`to_json` and :func:`from_json` store the structure beside the English text (a case
keeps its inference in a JSON column), so a page can render it later in any language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "CATALOGS",
    "LANGS",
    "Joined",
    "Labeler",
    "Localized",
    "Msg",
    "Term",
    "catalog",
    "from_json",
    "render",
    "to_json",
]

LANGS: tuple[str, ...] = ("en", "es")

#: Where each namespace's catalog lives: the first segment of a key names its catalog.
CATALOGS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "intake": ("resguardo.intake", ("data", "messages.yaml")),
    "legal": ("resguardo.legal", ("messages.yaml",)),
}

#: How a page names an enum value in its language: ``labeler(group, value)``.
Labeler = Callable[[str, str], str]


@cache
def catalog(namespace: str) -> Mapping[str, Mapping[str, str]]:
    """The message catalog of ``namespace`` (``"intake"``, ``"legal"``): key → lang → template.

    Keys are flattened from the YAML nesting (``scope: {bulk: {en, es}}`` is
    ``intake.scope.bulk``); a mapping whose keys are exactly the languages is an entry.
    """
    package, parts = CATALOGS[namespace]
    node = resources.files(package)
    for part in parts:
        node = node.joinpath(part)
    data: Any = yaml.safe_load(node.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if not isinstance(value, dict):
            raise ValueError(f"{namespace} messages: {prefix!r} is not a mapping")
        if set(value) & set(LANGS):
            if set(value) != set(LANGS) or not all(isinstance(v, str) for v in value.values()):
                raise ValueError(f"{namespace} messages: {prefix!r} needs exactly en and es")
            out[prefix] = {lang: str(v) for lang, v in value.items()}
            return
        for k, v in value.items():
            walk(f"{prefix}.{k}", v)

    walk(namespace, data)
    return out


def _template(key: str, lang: str) -> str:
    entry = catalog(key.split(".", 1)[0]).get(key)
    if entry is None:
        raise KeyError(f"no message {key!r}")
    return entry.get(lang) or entry["en"]


def render(value: str, lang: str, labeler: Labeler | None = None) -> str:
    """``value`` in ``lang``: a :class:`Msg`, :class:`Term`, :class:`Localized` or
    :class:`Joined` is rendered; any other string is shown as written."""
    if isinstance(value, Msg | Term | Localized | Joined):
        return value.render(lang, labeler)
    return str(value)


class Msg(str):
    """A sentence for a person: a catalog key and its parameters; as a ``str``, the English.

    ``Msg("intake.who.domain", domain="ice.dhs.gov")`` is ``"sender domain ice.dhs.gov"``.
    An unknown key or a missing parameter raises: those are mistakes in the code, and the
    completeness test keeps the catalogs and the code in step.
    """

    key: str
    params: Mapping[str, str]

    def __new__(cls, key: str, /, **params: str) -> Msg:
        """The message ``key`` with ``params``, its text the English template filled."""
        text = _template(key, "en").format(**{k: str(v) for k, v in params.items()})
        self = super().__new__(cls, text)
        self.key = key
        self.params = dict(params)
        return self

    def render(self, lang: str, labeler: Labeler | None = None) -> str:
        """The sentence in ``lang`` (English for a language without a catalog entry)."""
        if lang == "en" and labeler is None:
            return str(self)
        filled = {k: render(v, lang, labeler) for k, v in self.params.items()}
        return _template(self.key, lang).format(**filled)

    def __reduce__(self) -> tuple[Any, ...]:
        # ``str`` pickles (and deep-copies) by its value alone; the key and parameters
        # would be lost, and ``__new__`` takes a key, not a text.
        return (_rebuild_msg, (self.key, dict(self.params)))


def _rebuild_msg(key: str, params: dict[str, str]) -> Msg:
    return Msg(key, **params)


class Term(str):
    """An identifier a page may name by its label (``Term("process_kind", "detainer")``);
    as a ``str`` it is the identifier itself, which is what the English contracts show."""

    group: str

    def __new__(cls, group: str, value: str) -> Term:
        """``value`` of the enum ``group`` (``agency_kind``, ``purpose``, ``category``...)."""
        self = super().__new__(cls, value)
        self.group = group
        return self

    def render(self, lang: str, labeler: Labeler | None = None) -> str:
        """The label the ``labeler`` gives, else the identifier."""
        return labeler(self.group, str(self)) if labeler is not None else str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Term, (self.group, str(self)))


class Localized(str):
    """A text written in a data file in both languages (a marker's note, a rule's reason);
    as a ``str`` it is the English."""

    texts: Mapping[str, str]

    def __new__(cls, texts: Mapping[str, str]) -> Localized:
        """The text with its ``en`` and ``es`` versions."""
        self = super().__new__(cls, texts["en"])
        self.texts = dict(texts)
        return self

    def render(self, lang: str, labeler: Labeler | None = None) -> str:
        """The text in ``lang``, or the English."""
        return self.texts.get(lang) or str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Localized, (dict(self.texts),))


class Joined(str):
    """Items shown as one list (``"a; b"``); as a ``str`` the English items joined."""

    sep: str
    items: tuple[str, ...]

    def __new__(cls, sep: str, items: Iterable[str]) -> Joined:
        """``items`` joined by ``sep`` (the separator is the same in every language)."""
        listed = tuple(items)
        self = super().__new__(cls, sep.join(listed))
        self.sep = sep
        self.items = listed
        return self

    def render(self, lang: str, labeler: Labeler | None = None) -> str:
        """Each item in ``lang``, joined."""
        return self.sep.join(render(i, lang, labeler) for i in self.items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.sep, self.items))


# --------------------------------------------------------------------------- storage


def to_json(value: str) -> Any:
    """``value`` as JSON data that :func:`from_json` turns back into the same structure.

    A plain string stays a string; the others become small tagged objects.
    """
    if isinstance(value, Msg):
        return {"key": value.key, "params": {k: to_json(v) for k, v in value.params.items()}}
    if isinstance(value, Term):
        return {"term": value.group, "value": str(value)}
    if isinstance(value, Localized):
        return {"text": dict(value.texts)}
    if isinstance(value, Joined):
        return {"sep": value.sep, "items": [to_json(i) for i in value.items]}
    return str(value)


def from_json(data: Any) -> str:
    """The string :func:`to_json` stored, with its structure.

    Raises ``ValueError`` (or ``KeyError`` for a key no catalog has any more) on data it
    cannot read; callers that show stored data fall back to the stored English text.
    """
    if isinstance(data, str):
        return data
    if not isinstance(data, dict):
        raise ValueError(f"not a stored message: {data!r}")
    if "key" in data:
        params = data.get("params") or {}
        if not isinstance(params, dict):
            raise ValueError("message parameters are not a mapping")
        return Msg(str(data["key"]), **{str(k): from_json(v) for k, v in params.items()})
    if "term" in data:
        return Term(str(data["term"]), str(data["value"]))
    if "text" in data:
        texts = data["text"]
        if not isinstance(texts, dict) or not isinstance(texts.get("en"), str):
            raise ValueError("a localized text needs English")
        return Localized({str(k): str(v) for k, v in texts.items()})
    if "items" in data:
        return Joined(str(data.get("sep", "; ")), [from_json(i) for i in data["items"]])
    raise ValueError(f"not a stored message: {data!r}")
