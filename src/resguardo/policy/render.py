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
    from resguardo.policy.engine import CategoryDecision, Decision

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


EXPLANATION_CACHE_SIZE = 1024
"""How many explanations (both languages, with their JSON) are kept (least recently used
evicted). The 9 shipped packs give 899 distinct explanations over a 2,000-request sample
of the standard matrix."""
REPLY_CACHE_SIZE = 4096
"""How many replies (both languages, with their JSON) are kept."""
_LINES_MAX = 4096  # rendered lines and JSON heads kept (each table emptied when full)
_FACTS_MAX = 1 << 15  # category decisions whose facts are kept (emptied when full)

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
_heads: dict[str, str] = {}

_P = TypeVar("_P")


def _keep(table: dict[Any, Any], key: Any, value: Any, cap: int = _LINES_MAX) -> None:
    """Remember ``value`` in a small table; a full table is emptied (it refills with what
    is in use): bounded, and never slower than not caching."""
    if len(table) >= cap:
        table.clear()
    table[key] = value


def _piece(key: Hashable, make: Callable[..., _P], *args: Any) -> _P:
    """A small rendered piece (a line of text): ``make(*args)``, cached (``key`` must
    determine it)."""
    got: _P | None = _pieces.get(key)
    if got is None:
        got = make(*args)
        _keep(_pieces, key, got)
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


# --------------------------------------------------------------------------- categories


class _Facts:
    """What rendering needs from one ``CategoryDecision``. The engine reuses its category
    decisions for as long as the pack is loaded and they are frozen, so these are kept by
    identity (``_facts``, which holds the object: its id cannot be reused meanwhile)."""

    __slots__ = ("category", "cd", "cite", "group", "item_json", "line", "withheld")

    def __init__(self, cd: CategoryDecision) -> None:
        rule = cd.rule
        verdict = cd.verdict
        self.cd = cd
        self.category = cd.category
        self.group = (cd.decision, rule.id, rule.en)
        """Categories with the same (decision, rule id, rule text) share a line."""
        self.line = (cd.decision, rule.en, rule.es, rule.citation or rule.id)
        """What that line says."""
        self.withheld = verdict == "withhold"
        self.cite = rule.citation if rule.cite_in_reply else ""
        """The citation the reply gives for withholding it ("" for none)."""
        try:
            self.item_json: str | None = (
                encode_basestring(cd.category)
                + ': {"verdict": '
                + encode_basestring(verdict)
                + ', "rule": '
                + encode_basestring(rule.id)
                + ', "citation": '
                + encode_basestring(rule.citation)
                + "}"
            )
        except TypeError:  # not a string: the decision is encoded by json.dumps instead
            self.item_json = None


_facts: dict[int, _Facts] = {}


def _facts_of(cd: CategoryDecision) -> _Facts:
    facts = _facts.get(id(cd))
    if facts is None or facts.cd is not cd:
        facts = _Facts(cd)
        _keep(_facts, id(cd), facts, _FACTS_MAX)
    return facts


class _Shape:
    """What rendering learned about one decision, kept in its ``render_cache`` (which the
    engine shares between the decisions of one memoised request shape). ``matches`` checks
    that a decision still has the very values it was learned from: a
    ``dataclasses.replace()``d copy shares the ``render_cache`` but may differ."""

    __slots__ = (
        "categories",
        "explanation",
        "explanation_key",
        "head",
        "obligations",
        "outcome",
        "pack",
        "pack_title",
        "pack_version",
        "reasons",
        "reply",
        "reply_name",
        "reply_parts",
        "review",
        "unconfirmed",
    )

    def __init__(self, d: Decision) -> None:
        self.outcome = d.outcome
        self.categories = d.categories
        self.reasons = d.reasons
        self.obligations = d.obligations
        self.unconfirmed = d.unconfirmed
        self.review = d.review
        self.pack = d.pack
        self.pack_title = d.pack_title
        self.pack_version = d.pack_version
        self.explanation_key: tuple[Any, ...] | None = None
        self.explanation: Rendered | None = None
        self.reply_parts: tuple[str, tuple[str, ...], tuple[str, ...]] | None = None
        self.reply: Rendered | None = None
        self.reply_name: str | None = None
        self.head: str | None = None
        """The JSON up to the explanation: outcome, pack, version, categories, obligations
        ("" when the decision holds something ``encode_basestring`` cannot encode)."""

    def matches(self, d: Decision) -> bool:
        return (
            self.outcome is d.outcome
            and self.categories is d.categories
            and self.reasons is d.reasons
            and self.obligations is d.obligations
            and self.unconfirmed is d.unconfirmed
            and self.review is d.review
            and self.pack is d.pack
            and self.pack_title is d.pack_title
            and self.pack_version is d.pack_version
        )

    def learn(self, d: Decision) -> None:
        """One pass over the categories: the explanation's key, the reply's parts and the
        JSON head."""
        # One line per distinct (decision, rule): a clerk reads "these five items: why" once.
        groups: dict[tuple[str, str, str], list[str]] = {}
        says: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
        withheld: list[str] = []
        citations: list[str] = []
        items: list[str] | None = []
        for c, cd in d.categories.items():
            facts = _facts_of(cd)
            group = groups.get(facts.group)
            if group is None:
                groups[facts.group] = [c]
            else:
                group.append(c)
            says[facts.group] = facts.line  # the last one's words, as the lines always were
            if facts.withheld:
                withheld.append(c)
                if facts.cite and facts.cite not in citations:
                    citations.append(facts.cite)
            if items is not None:
                if facts.item_json is not None and c == facts.category:
                    items.append(facts.item_json)
                else:
                    try:
                        items.append(_category_json(c, facts))
                    except TypeError:
                        items = None
        outcome = str(d.outcome)
        self.explanation_key = (
            outcome,
            d.review,
            tuple((*says[g], tuple(cats)) for g, cats in groups.items()),
            tuple((r.key, r.params) for r in d.reasons),
            tuple((o.en, o.es, o.within_days, o.citation) for o in d.obligations),
            tuple((u.en, u.es) for u in d.unconfirmed),
            d.pack,
            d.pack_title,
            d.pack_version[:12],
        )
        self.reply_parts = (outcome, tuple(withheld), tuple(citations))
        self.head = "" if items is None else _json_head(d, outcome, items)


def _shape(d: Decision) -> _Shape:
    rc = d.render_cache
    shape: _Shape | None = rc.get(_Shape) if type(rc) is dict else None
    if shape is None or not shape.matches(d):
        shape = _Shape(d)
        if type(rc) is dict:
            rc[_Shape] = shape
    if shape.explanation_key is None:
        shape.learn(d)
    return shape


# --------------------------------------------------------------------------- explanation

_Line = tuple[str, str, str, str, tuple[str, ...]]
"""One line of the explanation: (decision, rule text en, es, citation, categories)."""


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


def explanation_texts(decision: Decision, shape: _Shape | None = None) -> Rendered:
    """The clerk's explanation of ``decision``, rendered or from the cache."""
    if shape is None:
        shape = _shape(decision)
    rendered = shape.explanation
    if rendered is None:
        key = shape.explanation_key
        assert key is not None  # learnt by _shape()
        try:
            rendered = _explanations.fetch(key)
        except TypeError:  # something unhashable in a hand-built decision: render, keep nothing
            return _render_explanation(key, cache_pieces=False)
        if rendered is None:
            rendered = _explanations.store(key, _render_explanation(key, cache_pieces=True))
        shape.explanation = rendered
    return rendered


def render_explanation(decision: Decision) -> dict[str, str]:
    """The clerk's explanation, ``{"en": ..., "es": ...}``."""
    return dict(explanation_texts(decision).texts)


# --------------------------------------------------------------------------- reply


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


def reply_texts(decision: Decision, shape: _Shape | None = None) -> Rendered:
    """The reply for ``decision``, rendered or from the cache."""
    if shape is None:
        shape = _shape(decision)
    name = f" {decision.requester}" if decision.requester else ""
    if shape.reply is not None and shape.reply_name == name:
        return shape.reply
    parts = shape.reply_parts
    assert parts is not None  # learnt by _shape()
    key = (parts, name)
    try:
        rendered = _replies.fetch(key)
    except TypeError:
        return _render_reply(parts, name)
    if rendered is None:
        rendered = _replies.store(key, _render_reply(parts, name))
    shape.reply, shape.reply_name = rendered, name
    return rendered


def render_reply(decision: Decision) -> dict[str, str]:
    """The reply the clerk can send, ``{"en": ..., "es": ...}``."""
    return dict(reply_texts(decision).texts)


# --------------------------------------------------------------------------- JSON


def _category_json(category: str, facts: _Facts) -> str:
    """One entry of ``categories`` under a key other than the decision's own category."""
    cd = facts.cd
    return (
        encode_basestring(category)
        + ': {"verdict": '
        + encode_basestring(cd.verdict)
        + ', "rule": '
        + encode_basestring(cd.rule.id)
        + ', "citation": '
        + encode_basestring(cd.rule.citation)
        + "}"
    )


def _json_head(d: Decision, outcome: str, items: list[str]) -> str:
    """The contract's JSON up to the explanation ("" if something is not a string)."""
    try:
        head = "".join(
            (
                '{"outcome": ',
                encode_basestring(outcome),
                ', "pack": ',
                encode_basestring(d.pack),
                ', "pack_version": ',
                encode_basestring(d.pack_version),
                ', "categories": {',
                ", ".join(items),
                '}, "obligations": [',
                ", ".join([encode_basestring(o.id) for o in d.obligations]),
                '], "explanation": ',
            )
        )
    except TypeError:
        return ""
    # Many shapes decide the categories alike: keep one copy of each head.
    kept = _heads.get(head)
    if kept is None:
        _keep(_heads, head, head)
        return head
    return kept


def decision_json(decision: Decision) -> str | None:
    """``json.dumps(decision.to_dict(), ensure_ascii=False)``, byte for byte, assembled
    from cached pieces; None when the decision holds anything but plain strings where the
    contract has strings (the caller then encodes ``to_dict()``)."""
    d = decision
    try:
        shape = _shape(d)
        head = shape.head
        if not head:
            return None
        explanation = explanation_texts(d, shape)
        reply = reply_texts(d, shape)
        inferred = dict(d.inferred_request)
    except TypeError:  # e.g. an unhashable value in a hand-built decision
        return None
    own = d.__dict__
    if "explanation" in own and own["explanation"] != explanation.texts:
        return None  # the cached property was changed in place: encode what it holds
    if "reply" in own and own["reply"] != reply.texts:
        return None
    return "".join(
        (
            head,
            explanation.json,
            ', "reply": ',
            reply.json,
            ', "inferred_request": ',
            json.dumps(inferred, ensure_ascii=False) if inferred else "{}",
            "}",
        )
    )
