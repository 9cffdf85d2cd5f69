"""The categories of sensitive personal information, loaded from ``categories.yaml``.

Every other part of Resguardo takes category ids, groups and labels from here, so the
contract in LABELING.md lives in exactly one data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["CATEGORY_IDS", "Category", "Group", "categories", "category", "is_category"]


class Group(StrEnum):
    """The three families of categories."""

    IDENTIFIER = "identifier"
    STATUS = "status"
    LOCATING = "locating"


@dataclass(frozen=True, slots=True)
class Category:
    """One category: its id, group, redaction label and descriptions in English and Spanish."""

    id: str
    group: Group
    label: str
    en: str
    es: str

    def description(self, lang: str = "en") -> str:
        """The one-line description in ``lang`` (``en`` or ``es``; anything else gives English)."""
        return self.es if lang == "es" else self.en


@cache
def categories() -> dict[str, Category]:
    """All categories keyed by id, in the order of the data file."""
    raw: Any = yaml.safe_load(
        resources.files(__package__).joinpath("categories.yaml").read_text(encoding="utf-8")
    )
    result: dict[str, Category] = {}
    for entry in raw["categories"]:
        cat = Category(
            id=str(entry["id"]),
            group=Group(entry["group"]),
            label=str(entry["label"]),
            en=str(entry["en"]),
            es=str(entry["es"]),
        )
        if cat.id in result:
            raise ValueError(f"categories.yaml: duplicate category id {cat.id!r}")
        result[cat.id] = cat
    return result


def category(category_id: str) -> Category:
    """The category with this id; ``KeyError`` naming the id when there is none."""
    try:
        return categories()[category_id]
    except KeyError:
        raise KeyError(f"unknown category {category_id!r}") from None


def is_category(category_id: str) -> bool:
    """Whether ``category_id`` is one of the known ids."""
    return category_id in categories()


CATEGORY_IDS: tuple[str, ...] = tuple(categories())
