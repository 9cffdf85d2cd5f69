"""Explanations and replies in English and Spanish, from ``templates/messages.yaml``.

Rendering is separate from deciding: ``decide`` stays cheap, and the words can be edited
by people who do not read Python. Templates use ``str.format`` placeholders.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from resguardo.policy.pack import PackError, PackIssue, Text, _validate
from resguardo.taxonomy import categories

if TYPE_CHECKING:
    from resguardo.policy.engine import Decision

__all__ = ["Messages", "messages", "render_explanation", "render_reply"]

MESSAGES_FILE = Path(str(resources.files(__package__).joinpath("templates", "messages.yaml")))

Lang = Literal["en", "es"]
_MODEL = ConfigDict(extra="forbid", frozen=True)


class _Decisions(BaseModel):
    model_config = _MODEL
    release: Text
    withhold: Text
    escalate: Text


class _Outcomes(BaseModel):
    model_config = _MODEL
    release: Text
    release_redacted: Text
    deny: Text
    escalate: Text


class _Blocks(BaseModel):
    model_config = _MODEL
    category_line: Text
    reasons_header: Text
    obligations_header: Text
    obligation_days: Text
    unconfirmed_header: Text


class _Reply(BaseModel):
    model_config = _MODEL
    greeting: Text
    release: Text
    release_redacted: Text
    deny: Text
    escalate: Text


class Messages(BaseModel):
    """The contents of ``messages.yaml``."""

    model_config = _MODEL

    rule_texts: Annotated[dict[str, Text], Field(min_length=1)]
    outcomes: _Outcomes
    decisions: _Decisions
    reasons: dict[str, Text]
    explanation: Text
    blocks: _Blocks
    reply: _Reply


@cache
def messages() -> Messages:
    """The message templates (validated; errors name file, line and field)."""
    loaded, lines = _validate(Messages, MESSAGES_FILE)
    missing = sorted(
        {"possible_prohibition", "invalid_request", "refused_with_rest", "court_conflict"}
        - set(loaded.rule_texts)
    )
    if missing:
        raise PackError(
            [
                PackIssue(
                    str(MESSAGES_FILE), lines.get(("rule_texts",)), f"rule_texts.{key}", "required"
                )
                for key in missing
            ]
        )
    return loaded


def _pick(text: Text, lang: Lang) -> str:
    return text.en if lang == "en" else text.es


def _label(category: str, lang: Lang) -> str:
    cat = categories().get(category)
    return category if cat is None else cat.description(lang)


def _render(decision: Decision, lang: Lang) -> str:
    m = messages()
    review = decision.review[0 if lang == "en" else 1] or (
        "your supervisor" if lang == "en" else "su supervisor"
    )
    headline = _pick(getattr(m.outcomes, str(decision.outcome)), lang).format(review=review)
    # One line per distinct (decision, rule): a clerk reads "these five items: why" once.
    groups: dict[tuple[str, str, str], list[str]] = {}
    rules = {}
    for cat, d in decision.categories.items():
        key: tuple[str, str, str] = (d.decision, d.rule.id, d.rule.en)
        groups.setdefault(key, []).append(cat)
        rules[key] = d.rule
    lines = []
    for key, cats in groups.items():
        rule = rules[key]
        explain = rule.en if lang == "en" else rule.es
        lines.append(
            _pick(m.blocks.category_line, lang).format(
                label="; ".join(_label(c, lang) for c in cats),
                decision=_pick(getattr(m.decisions, key[0]), lang),
                explain=explain.strip(),
                citation=rule.citation or rule.id,
            )
        )
    cat_block = "".join(f"{line}\n" for line in lines)
    reason_lines = []
    for r in decision.reasons:
        template = m.reasons.get(r.key)
        if template is None:
            reason_lines.append(f"- {r.key}")
            continue
        params = dict(r.params)
        try:
            reason_lines.append("- " + _pick(template, lang).format(**params))
        except (KeyError, IndexError, ValueError):
            reason_lines.append("- " + _pick(template, lang))
    reasons_block = (
        _pick(m.blocks.reasons_header, lang) + "\n" + "".join(f"{x}\n" for x in reason_lines)
        if reason_lines
        else ""
    )
    ob_lines = []
    for o in decision.obligations:
        days = (
            _pick(m.blocks.obligation_days, lang).format(days=o.within_days)
            if o.within_days is not None
            else ""
        )
        ob_lines.append(f"- {(o.en if lang == 'en' else o.es).strip()}{days} [{o.citation}]")
    ob_block = (
        _pick(m.blocks.obligations_header, lang) + "\n" + "".join(f"{x}\n" for x in ob_lines)
        if ob_lines
        else ""
    )
    un_block = (
        _pick(m.blocks.unconfirmed_header, lang)
        + "\n"
        + "".join(f"- {(u.en if lang == 'en' else u.es).strip()}\n" for u in decision.unconfirmed)
        if decision.unconfirmed
        else ""
    )
    return _pick(m.explanation, lang).format(
        headline=headline,
        categories=cat_block,
        reasons=reasons_block,
        obligations=ob_block,
        unconfirmed=un_block,
        pack=decision.pack,
        pack_title=decision.pack_title,
        version=decision.pack_version[:12],
    )


def render_explanation(decision: Decision) -> dict[str, str]:
    """The clerk's explanation, ``{"en": ..., "es": ...}``."""
    return {"en": _render(decision, "en"), "es": _render(decision, "es")}


def _reply(decision: Decision, lang: Lang) -> str:
    m = messages()
    name = f" {decision.requester}" if decision.requester else ""
    greeting = _pick(m.reply.greeting, lang).format(name=name)
    withheld = [c for c, d in decision.categories.items() if d.verdict == "withhold"]
    citations: list[str] = []
    for c in withheld:
        rule = decision.categories[c].rule
        cite = rule.citation if rule.cite_in_reply else ""
        if cite and cite not in citations:
            citations.append(cite)
    none_word = "the information requested" if lang == "en" else "la información solicitada"
    return _pick(getattr(m.reply, str(decision.outcome)), lang).format(
        greeting=greeting,
        withheld="; ".join(_label(c, lang) for c in withheld) or none_word,
        citations="; ".join(citations) or "—",
    )


def render_reply(decision: Decision) -> dict[str, str]:
    """The reply the clerk can send, ``{"en": ..., "es": ...}``."""
    return {"en": _reply(decision, "en"), "es": _reply(decision, "es")}
