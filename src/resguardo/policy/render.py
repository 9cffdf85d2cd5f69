"""Explanations and replies in English and Spanish, from ``templates/messages.yaml``.

Rendering is separate from deciding: ``decide`` stays cheap, and the words can be edited
by people who do not read Python. Templates use ``str.format`` placeholders.

Rendering is lazy and cached by what is said. A decision's explanation is rendered from a
key holding exactly the inputs of its templates (outcome, one line per rule with its
categories, reasons, obligations, unconfirmed notes, pack), its reply from the outcome,
the requester's name, the items withheld and the citations; lines and whole texts are kept
in bounded LRU tables, each text with its JSON encoding, so that ``Decision.to_json``
assembles already encoded pieces. Decisions of one request shape share a ``render_cache``
that remembers their keys, so a repeated shape costs a few look-ups.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from functools import cache
from importlib import resources
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from resguardo.policy._lru import LRU
from resguardo.policy.pack import PackError, PackIssue, Text, _validate
from resguardo.taxonomy import categories

if TYPE_CHECKING:
    from resguardo.policy.engine import Decision

__all__ = [
    "Messages",
    "Rendered",
    "decision_json",
    "explanation_texts",
    "messages",
    "render_explanation",
    "render_reply",
    "reply_texts",
]

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


EXPLANATION_CACHE_SIZE = 2048
"""How many explanations (both languages, with their JSON) are kept."""
REPLY_CACHE_SIZE = 4096
"""How many replies (both languages, with their JSON) are kept."""
_PIECES_MAX = 8192  # lines and JSON pieces; they stop being cached beyond this

_LANGS: tuple[Lang, Lang] = ("en", "es")
_NONE_WORD = {"en": "the information requested", "es": "la información solicitada"}
_NO_REVIEW = {"en": "your supervisor", "es": "su supervisor"}


class Rendered:
    """A text in both languages, ``{"en": ..., "es": ...}``, and its JSON encoding."""

    __slots__ = ("json", "texts")

    def __init__(self, en: str, es: str) -> None:
        self.texts = {"en": en, "es": es}
        self.json = '{"en": ' + encode_basestring(en) + ', "es": ' + encode_basestring(es) + "}"


_explanations: LRU[Hashable, Rendered] = LRU(EXPLANATION_CACHE_SIZE)
_replies: LRU[Hashable, Rendered] = LRU(REPLY_CACHE_SIZE)
_pieces: dict[Hashable, Any] = {}

_P = TypeVar("_P")


def _piece(key: Hashable, make: Callable[..., _P], *args: Any) -> _P:
    """A small rendered piece (a line, a JSON fragment): ``make(*args)``, cached while there
    is room (``key`` must determine it)."""
    got: _P | None = _pieces.get(key)
    if got is None:
        got = make(*args)
        if len(_pieces) < _PIECES_MAX:
            _pieces[key] = got
    return got


def _no_cache(key: Hashable, make: Callable[..., _P], *args: Any) -> _P:
    return make(*args)


def _pick(text: Text, lang: Lang) -> str:
    return text.en if lang == "en" else text.es


@cache
def _labels(lang: Lang) -> dict[str, str]:
    return {c: cat.description(lang) for c, cat in categories().items()}


def _label(category: str, lang: Lang) -> str:
    return _labels(lang).get(category, category)


# --------------------------------------------------------------------------- explanation

_Line = tuple[str, str, str, str, tuple[str, ...]]
"""One line of the explanation: (decision, rule text en, es, citation, categories)."""


def _explanation_key(decision: Decision) -> tuple[Any, ...]:
    """Everything the explanation says, and nothing else."""
    # One line per distinct (decision, rule): a clerk reads "these five items: why" once.
    groups: dict[tuple[str, str, str], list[str]] = {}
    rules = {}
    for cat, d in decision.categories.items():
        rule = d.rule
        key: tuple[str, str, str] = (d.decision, rule.id, rule.en)
        group = groups.get(key)
        if group is None:
            groups[key] = [cat]
        else:
            group.append(cat)
        rules[key] = rule
    lines: list[_Line] = []
    for key, cats in groups.items():
        rule = rules[key]
        lines.append((key[0], rule.en, rule.es, rule.citation or rule.id, tuple(cats)))
    return (
        str(decision.outcome),
        decision.review,
        tuple(lines),
        tuple((r.key, r.params) for r in decision.reasons),
        tuple((o.en, o.es, o.within_days, o.citation) for o in decision.obligations),
        tuple((u.en, u.es) for u in decision.unconfirmed),
        decision.pack,
        decision.pack_title,
        decision.pack_version[:12],
    )


def _category_lines(line: _Line) -> tuple[str, str]:
    m = messages()
    decision, en, es, citation, cats = line
    out = [
        _pick(m.blocks.category_line, lang).format(
            label="; ".join(_label(c, lang) for c in cats),
            decision=_pick(getattr(m.decisions, decision), lang),
            explain=(en if lang == "en" else es).strip(),
            citation=citation,
        )
        for lang in _LANGS
    ]
    return out[0], out[1]


def _reason_lines(key: str, params: tuple[tuple[str, str], ...]) -> tuple[str, str]:
    template = messages().reasons.get(key)
    if template is None:
        return f"- {key}", f"- {key}"
    out = []
    for lang in _LANGS:
        try:
            out.append("- " + _pick(template, lang).format(**dict(params)))
        except (KeyError, IndexError, ValueError):
            out.append("- " + _pick(template, lang))
    return out[0], out[1]


def _render_explanation(key: tuple[Any, ...], cache_pieces: bool) -> Rendered:
    m = messages()
    outcome, review, lines, reasons, obligations, unconfirmed, pack, title, version = key
    piece = _piece if cache_pieces else _no_cache
    category_lines = [piece(("line", line), _category_lines, line) for line in lines]
    reason_lines = [piece(("reason", r), _reason_lines, r[0], r[1]) for r in reasons]
    texts = []
    for i, lang in enumerate(_LANGS):
        shown = review[i] or _NO_REVIEW[lang]
        headline = _pick(getattr(m.outcomes, outcome), lang).format(review=shown)
        cat_block = "".join(f"{line[i]}\n" for line in category_lines)
        reasons_block = (
            _pick(m.blocks.reasons_header, lang) + "\n" + "".join(f"{x[i]}\n" for x in reason_lines)
            if reason_lines
            else ""
        )
        ob_lines = []
        for o_en, o_es, days, citation in obligations:
            within = (
                _pick(m.blocks.obligation_days, lang).format(days=days) if days is not None else ""
            )
            ob_lines.append(f"- {(o_en if lang == 'en' else o_es).strip()}{within} [{citation}]")
        ob_block = (
            _pick(m.blocks.obligations_header, lang) + "\n" + "".join(f"{x}\n" for x in ob_lines)
            if ob_lines
            else ""
        )
        un_block = (
            _pick(m.blocks.unconfirmed_header, lang)
            + "\n"
            + "".join(f"- {(u[i]).strip()}\n" for u in unconfirmed)
            if unconfirmed
            else ""
        )
        texts.append(
            _pick(m.explanation, lang).format(
                headline=headline,
                categories=cat_block,
                reasons=reasons_block,
                obligations=ob_block,
                unconfirmed=un_block,
                pack=pack,
                pack_title=title,
                version=version,
            )
        )
    return Rendered(texts[0], texts[1])


def explanation_texts(decision: Decision) -> Rendered:
    """The clerk's explanation of ``decision``, rendered or from the cache."""
    d = decision
    rc = d.render_cache
    got = rc.get("explanation") if type(rc) is dict else None
    if (
        got is not None
        # the same values as when the key was made (a dataclasses.replace()d copy shares
        # the render_cache but may differ)
        and got[0] is d.outcome
        and got[1] is d.categories
        and got[2] is d.reasons
        and got[3] is d.obligations
        and got[4] is d.unconfirmed
        and got[5] is d.review
        and got[6] is d.pack
        and got[7] is d.pack_title
        and got[8] is d.pack_version
    ):
        key = got[9]
    else:
        key = _explanation_key(d)
        if type(rc) is dict:
            rc["explanation"] = (
                d.outcome,
                d.categories,
                d.reasons,
                d.obligations,
                d.unconfirmed,
                d.review,
                d.pack,
                d.pack_title,
                d.pack_version,
                key,
            )
    try:
        rendered = _explanations.fetch(key)
    except TypeError:  # something unhashable in a hand-built decision: render, keep nothing
        return _render_explanation(key, cache_pieces=False)
    if rendered is None:
        rendered = _explanations.store(key, _render_explanation(key, cache_pieces=True))
    return rendered


def render_explanation(decision: Decision) -> dict[str, str]:
    """The clerk's explanation, ``{"en": ..., "es": ...}``."""
    return dict(explanation_texts(decision).texts)


# --------------------------------------------------------------------------- reply


def _reply_parts(decision: Decision) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    withheld = tuple(c for c, d in decision.categories.items() if d.verdict == "withhold")
    citations: list[str] = []
    for c in withheld:
        rule = decision.categories[c].rule
        cite = rule.citation if rule.cite_in_reply else ""
        if cite and cite not in citations:
            citations.append(cite)
    return str(decision.outcome), withheld, tuple(citations)


def _render_reply(parts: tuple[str, tuple[str, ...], tuple[str, ...]], name: str) -> Rendered:
    m = messages()
    outcome, withheld, citations = parts
    texts = []
    for lang in _LANGS:
        greeting = _pick(m.reply.greeting, lang).format(name=name)
        texts.append(
            _pick(getattr(m.reply, outcome), lang).format(
                greeting=greeting,
                withheld="; ".join(_label(c, lang) for c in withheld) or _NONE_WORD[lang],
                citations="; ".join(citations) or "—",
            )
        )
    return Rendered(texts[0], texts[1])


def reply_texts(decision: Decision) -> Rendered:
    """The reply for ``decision``, rendered or from the cache."""
    d = decision
    rc = d.render_cache
    got = rc.get("reply") if type(rc) is dict else None
    if got is not None and got[0] is d.outcome and got[1] is d.categories:
        parts = got[2]
    else:
        parts = _reply_parts(d)
        if type(rc) is dict:
            rc["reply"] = (d.outcome, d.categories, parts)
    name = f" {d.requester}" if d.requester else ""
    key = (parts, name)
    try:
        rendered = _replies.fetch(key)
    except TypeError:
        return _render_reply(parts, name)
    if rendered is None:
        rendered = _replies.store(key, _render_reply(parts, name))
    return rendered


def render_reply(decision: Decision) -> dict[str, str]:
    """The reply the clerk can send, ``{"en": ..., "es": ...}``."""
    return dict(reply_texts(decision).texts)


# --------------------------------------------------------------------------- JSON


def _category_json(category: str, verdict: str, rule_id: str, citation: str) -> str:
    return (
        encode_basestring(category)
        + ': {"verdict": '
        + encode_basestring(verdict)
        + ', "rule": '
        + encode_basestring(rule_id)
        + ', "citation": '
        + encode_basestring(citation)
        + "}"
    )


def decision_json(decision: Decision) -> str | None:
    """``json.dumps(decision.to_dict(), ensure_ascii=False)``, byte for byte, assembled
    from cached pieces; None when the decision holds anything but plain strings where the
    contract has strings (the caller then encodes ``to_dict()``)."""
    d = decision
    try:
        out = [
            '{"outcome": ',
            encode_basestring(str(d.outcome)),
            ', "pack": ',
            encode_basestring(d.pack),
            ', "pack_version": ',
            encode_basestring(d.pack_version),
            ', "categories": {',
        ]
        first = True
        for c, cd in d.categories.items():
            rule = cd.rule
            key = (c, cd.verdict, rule.id, rule.citation)
            if not first:
                out.append(", ")
            first = False
            out.append(_piece(key, _category_json, *key))
        out.append('}, "obligations": [')
        out.append(", ".join([encode_basestring(o.id) for o in d.obligations]))
        explanation = explanation_texts(d)
        own = d.__dict__.get("explanation")
        if own is not None and own != explanation.texts:
            return None  # the cached property was changed in place: encode what it holds
        reply = reply_texts(d)
        own = d.__dict__.get("reply")
        if own is not None and own != reply.texts:
            return None
        inferred = dict(d.inferred_request)
    except TypeError:  # a non-string where encode_basestring wants one, or unhashable key
        return None
    out.append('], "explanation": ')
    out.append(explanation.json)
    out.append(', "reply": ')
    out.append(reply.json)
    out.append(', "inferred_request": ')
    out.append(json.dumps(inferred, ensure_ascii=False) if inferred else "{}")
    out.append("}")
    return "".join(out)
