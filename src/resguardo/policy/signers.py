"""Signer classes: who signed a legal document, as far as a rule needs to know.

Packs test the class, not the words: New York wants a judge "appointed pursuant to
article III", Washington's licensing policy a federal judge or magistrate. The words that
decide the class live in ``signers.yaml`` so that policy staff can extend them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["SignerClass", "classify_signer"]


class SignerClass(StrEnum):
    """What kind of official signed a document."""

    ARTICLE_III_JUDGE = "article_iii_judge"
    FEDERAL_MAGISTRATE_JUDGE = "federal_magistrate_judge"
    STATE_JUDGE = "state_judge"
    IMMIGRATION_JUDGE = "immigration_judge"
    IMMIGRATION_OFFICER = "immigration_officer"
    CLERK = "clerk"
    ATTORNEY = "attorney"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class _Rule:
    signer: SignerClass
    federal_only: bool
    pattern: re.Pattern[str]


@cache
def _rules() -> tuple[tuple[re.Pattern[str], ...], tuple[_Rule, ...]]:
    raw: Any = yaml.safe_load(
        resources.files(__package__).joinpath("signers.yaml").read_text(encoding="utf-8")
    )
    courts = tuple(re.compile(p, re.IGNORECASE) for p in raw["federal_courts"])
    rules: list[_Rule] = []
    for entry in raw["classes"]:
        joined = "|".join(f"(?:{p})" for p in entry["patterns"])
        rules.append(
            _Rule(
                signer=SignerClass(entry["id"]),
                federal_only=entry.get("court") == "federal",
                pattern=re.compile(joined, re.IGNORECASE),
            )
        )
    return courts, tuple(rules)


@lru_cache(maxsize=4096)  # titles come from email text: bounded, or a long run leaks
def classify_signer(signed_by: str | None, issuing_court: str | None = None) -> SignerClass:
    """The signer class of a title such as "United States Magistrate Judge".

    ``issuing_court`` (the caption) settles titles that federal and state courts share,
    such as "District Judge". Anything unrecognised is ``UNKNOWN``.
    """
    if not signed_by or not signed_by.strip():
        return SignerClass.UNKNOWN
    courts, rules = _rules()
    federal = bool(issuing_court) and any(c.search(issuing_court or "") for c in courts)
    for rule in rules:
        if rule.federal_only and not federal:
            continue
        if rule.pattern.search(signed_by):
            return rule.signer
    return SignerClass.UNKNOWN
