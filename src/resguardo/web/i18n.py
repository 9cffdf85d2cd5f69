"""Translations of the review service: English and Spanish message catalogs (YAML data).

Every string a person reads on a page, a flash message or an error comes from
``web/locales/<lang>.yaml`` by key; templates call ``_("key", name=value)``. The two
catalogs must have the same keys (a test checks it, and that every key the templates and
the code use exists), so no page ever shows a stray English string to a Spanish reader.
Values are plain text with ``{name}`` placeholders; Jinja escapes them like any other value.

The person picks the language with the switch on every page (a cookie); before that the
browser's ``Accept-Language`` decides, then the configured default.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "LANG_COOKIE",
    "LANG_NAMES",
    "SUPPORTED",
    "Translator",
    "catalog",
    "pick_language",
    "translate",
]

SUPPORTED: tuple[str, ...] = ("en", "es")
LANG_NAMES: Mapping[str, str] = {"en": "English", "es": "Español"}
LANG_COOKIE = "resguardo_lang"


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """The message catalog of ``lang`` (one of :data:`SUPPORTED`)."""
    if lang not in SUPPORTED:
        raise KeyError(f"no catalog for language {lang!r}")
    text = resources.files(__package__).joinpath("locales", f"{lang}.yaml").read_text("utf-8")
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"locales/{lang}.yaml is not a mapping")
    out: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError(f"locales/{lang}.yaml: {key!r} is not a string entry")
        out[key] = value.strip()
    return out


def translate(lang: str, key: str, /, **params: object) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` placeholders filled.

    A key missing from a catalog falls back to English, then to the key itself, so a
    mistake shows as an odd word rather than a server error (the tests keep it from
    happening).
    """
    text = catalog(lang).get(key) if lang in SUPPORTED else None
    if text is None:
        text = catalog("en").get(key, key)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


class Translator:
    """``_`` in templates: ``_("key", n=3)`` in one language; ``label("outcome", v)`` for
    enum values (``outcome.release``), falling back to the raw value."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in SUPPORTED else "en"

    def __call__(self, key: str, /, **params: object) -> str:
        return translate(self.lang, key, **params)

    def label(self, group: str, value: object) -> str:
        """The name of an enum value, e.g. ``label("category", "ssn")``."""
        if value is None:
            return ""
        key = f"{group}.{value}"
        text = catalog(self.lang).get(key) or catalog("en").get(key)
        return text if text is not None else str(value)


def _accept_language(header: str) -> list[str]:
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:20]):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().lower().split("-")[0]))
    return [tag for q, _, tag in sorted(ranked) if q < 0]


def pick_language(cookie: str | None, accept_language: str | None, default: str = "en") -> str:
    """The language for a request: the chosen one, else the browser's, else ``default``."""
    if cookie in SUPPORTED:
        return str(cookie)
    for tag in _accept_language(accept_language or ""):
        if tag in SUPPORTED:
            return tag
    return default if default in SUPPORTED else "en"
