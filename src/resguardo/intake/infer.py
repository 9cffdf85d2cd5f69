"""``infer_request``: read the request a message makes, with the reasons and the doubts.

The steps, each explained in its own module:

1. **Who wrote what** (:mod:`~resguardo.intake.thread`): the message body is cut into the
   sender's own words and the earlier messages quoted or forwarded below them; attached
   messages are followed too. Each part has an author.
2. **Who asks** (:mod:`~resguardo.intake.parties`). An author from the receiving agency
   (the recipient's domain, or the same state government) is a colleague: when such a
   colleague forwards a message, the requester is the outside author of the forwarded
   message. When an outside requester passes on another agency's request (a sheriff
   relaying ICE), that agency's kind is ``on_behalf_of``.
3. **What, why, how many, from whom** are read from the requester's words only (never the
   clerk's reply quoted in the thread): categories asked for
   (:mod:`~resguardo.intake.categories`), the purpose (:mod:`~resguardo.intake.purpose`), the
   scope and the record system (:mod:`~resguardo.intake.scope`).
4. **Legal process** (:mod:`~resguardo.intake.process`): every attachment is classified;
   what the body claims to carry is evidence, not process.

Anything that cannot be read is ``unknown`` and listed in :attr:`Inference.unknowns`; where
two readings are possible the one that makes the policy engine more careful is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from resguardo.intake.categories import CategoryHit, asked_categories
from resguardo.intake.message import Mailbox, ParsedMessage
from resguardo.intake.parties import (
    Identity,
    agency_cues,
    identify,
    related_org,
    relay_cue,
    same_org,
    signature_block,
)
from resguardo.intake.process import ProcessReading, body_claims, read_attachment, read_pasted
from resguardo.intake.purpose import federal_law_cited, read_purpose
from resguardo.intake.scope import read_record_system, read_scope
from resguardo.intake.text import compile_phrases, load_data
from resguardo.intake.thread import split_thread
from resguardo.messages import Joined, Localized, Msg, Term
from resguardo.policy.request import (
    AgencyKind,
    ProcessKind,
    Purpose,
    RecordSystem,
    Request,
    Requester,
    Scope,
)
from resguardo.taxonomy import CATEGORY_IDS

__all__ = ["Evidence", "Inference", "infer_request"]

_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|rv|tr|aw|wg)\s*:\s*)+", re.IGNORECASE)
# Process that could permit a release: a claim of one that the attachments do not bear out
# is worth telling the clerk about.
_PERMITTING_KINDS = frozenset(
    {
        ProcessKind.JUDICIAL_WARRANT,
        ProcessKind.COURT_ORDER,
        ProcessKind.GRAND_JURY_SUBPOENA,
        ProcessKind.COURT_SUBPOENA,
        ProcessKind.WRITTEN_CONSENT,
    }
)
_CLAIM_KINDS: dict[str, frozenset[ProcessKind]] = {
    "warrant": frozenset({ProcessKind.JUDICIAL_WARRANT, ProcessKind.ADMINISTRATIVE_WARRANT}),
    "subpoena": frozenset(
        {
            ProcessKind.COURT_SUBPOENA,
            ProcessKind.GRAND_JURY_SUBPOENA,
            ProcessKind.ADMINISTRATIVE_SUBPOENA,
        }
    ),
    "citatorio": frozenset({ProcessKind.COURT_SUBPOENA, ProcessKind.ADMINISTRATIVE_SUBPOENA}),
    "citación": frozenset({ProcessKind.COURT_SUBPOENA, ProcessKind.ADMINISTRATIVE_SUBPOENA}),
    "summons": frozenset({ProcessKind.ADMINISTRATIVE_SUBPOENA, ProcessKind.COURT_SUBPOENA}),
    "order": frozenset({ProcessKind.COURT_ORDER}),
    "orden": frozenset({ProcessKind.COURT_ORDER, ProcessKind.JUDICIAL_WARRANT}),
    "detainer": frozenset({ProcessKind.DETAINER}),
    "consent": frozenset({ProcessKind.WRITTEN_CONSENT}),
    "authorization": frozenset({ProcessKind.WRITTEN_CONSENT}),
    "authorisation": frozenset({ProcessKind.WRITTEN_CONSENT}),
    "autorización": frozenset({ProcessKind.WRITTEN_CONSENT}),
    "consentimiento": frozenset({ProcessKind.WRITTEN_CONSENT}),
    "release": frozenset({ProcessKind.WRITTEN_CONSENT}),
}


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a field has its value: ``requester.kind: federal_immigration (sender domain
    ice.dhs.gov)``.

    ``value`` is a :class:`~resguardo.messages.Term` for an enum value or a category, a
    :class:`~resguardo.messages.Msg` for a word ("none", "all"), else text read from the
    message; ``reason`` is a ``Msg`` (see :mod:`resguardo.messages`): as strings both are
    the English the CLI and the JSON contract show, and a page can render them in Spanish.
    """

    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        return str(Msg("intake.evidence", field=self.field, value=self.value, reason=self.reason))


@dataclass(frozen=True)
class Inference:
    """The request read from a message, how each field was read, and what could not be."""

    request: Request
    evidence: tuple[Evidence, ...]
    unknowns: tuple[str, ...]
    """What could not be read, each a :class:`~resguardo.messages.Msg` (an English str)."""
    notes: tuple[str, ...] = field(default=())
    """Other remarks for the clerk (claims made in the body, urgency asserted), each a
    :class:`~resguardo.messages.Msg`."""

    def for_field(self, name: str) -> list[Evidence]:
        """The evidence for one field (``"purpose"``, ``"requester.kind"``, ...)."""
        return [e for e in self.evidence if e.field == name or e.field.startswith(name + ".")]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the request, the evidence as strings, the unknowns and the notes."""
        return {
            "request": self.request.to_dict(),
            "evidence": [str(e) for e in self.evidence],
            "unknowns": list(self.unknowns),
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class _Turn:
    author: Mailbox | None
    to: tuple[Mailbox, ...]
    subject: str
    text: str
    how: str
    where: str
    message: ParsedMessage | None


# The label group of each enum a field's value may be (as the web catalog names them).
_TERM_GROUPS: tuple[tuple[type, str], ...] = (
    (AgencyKind, "agency_kind"),
    (Purpose, "purpose"),
    (Scope, "scope"),
    (RecordSystem, "record_system"),
    (ProcessKind, "process_kind"),
)


class _Collector:
    def __init__(self) -> None:
        self.evidence: list[Evidence] = []
        self.unknowns: list[str] = []
        self.notes: list[str] = []

    def add(self, name: str, value: object, reason: str) -> None:
        # An enum's str() is its value (StrEnum): what the English contract shows.
        shown: str = value if isinstance(value, str) else str(value)
        for kind, group in _TERM_GROUPS:
            if isinstance(value, kind):
                shown = Term(group, str(value))
                break
        item = Evidence(name, shown, reason)
        if item not in self.evidence:
            self.evidence.append(item)

    def unknown(self, text: str) -> None:
        if text not in self.unknowns:
            self.unknowns.append(text)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


# --------------------------------------------------------------------------- turns


def _turns(msg: ParsedMessage, how: str, where: str, depth: int = 0) -> Iterator[_Turn]:
    segments = split_thread(msg.body)
    yield _Turn(msg.from_, msg.to or msg.cc, msg.subject, segments[0].text, how, where, msg)
    for seg in segments[1:]:
        first = seg.header.split("\n", 1)[0] if seg.header else ""
        inside = Msg(
            "intake.where.forwarded" if seg.how == "forward" else "intake.where.earlier",
            where=where,
        )
        yield _Turn(
            seg.author,
            seg.to,
            seg.subject or "",
            seg.text,
            seg.how,
            Msg("intake.where.with_header", where=inside, header=first) if first else inside,
            None,
        )
    if depth >= 6:
        return
    for att in msg.attachments:
        if att.message is not None:
            yield from _turns(
                att.message,
                "attached",
                Msg("intake.where.attached", name=repr(att.label)),
                depth + 1,
            )


def _resolve(author: Mailbox | None, known: Sequence[Mailbox]) -> Mailbox | None:
    # A header block rendered from HTML may keep the name and lose the address.
    if author is None or author.address:
        return author
    for box in known:
        if box.address and same_org(author, Mailbox(box.name, "")):
            return box
    return author


def _known_mailboxes(msg: ParsedMessage) -> list[Mailbox]:
    out: list[Mailbox] = []
    for m in msg.walk():
        out.extend(m.sender)
        out.extend(m.to)
        out.extend(m.cc)
    return out


def _own_text(turn: _Turn) -> tuple[str, int, str]:
    """The turn's words before its signature, the signature's offset and the block."""
    start, block = signature_block(turn.text)
    return turn.text[:start], start, block


_RULE = re.compile(r"^[ \t]*[-_=*~]{10,}[ \t]*$", re.MULTILINE)


def _before_rule(text: str) -> str:
    m = _RULE.search(text)
    return text[: m.start()] if m else text


def _subject(turn: _Turn) -> str:
    return _PREFIX.sub("", turn.subject).strip()


# --------------------------------------------------------------------------- implied


@cache
def _implied() -> tuple[
    list[tuple[tuple[str, ...], Localized, re.Pattern[str] | None]],
    dict[str, tuple[tuple[str, ...], Localized]],
]:
    raw: Any = load_data("categories.yaml")
    rules = [
        (tuple(r["categories"]), Localized(r["why"]), compile_phrases(r["phrases"]))
        for r in raw.get("implied") or []
    ]
    systems = {
        str(k): (tuple(v["categories"]), Localized(v["why"]))
        for k, v in (raw.get("record_systems") or {}).items()
    }
    return rules, systems


# --------------------------------------------------------------------------- inference


def infer_request(
    message: ParsedMessage, *, record_system: RecordSystem | None = None
) -> Inference:
    """The request ``message`` makes, as a ``Request`` with the evidence for each field.

    ``record_system`` overrides the record system read from the recipient (the CLI's
    ``--record-system``). Never raises on a message that parsed; what cannot be read is
    ``unknown`` and listed in ``Inference.unknowns``.
    """
    return _Reader(message).read(record_system)


class _Reader:
    """One inference: the message's turns and what has been read from them so far."""

    def __init__(self, message: ParsedMessage) -> None:
        self.message = message
        self.c = _Collector()
        known = _known_mailboxes(message)
        self.turns = [
            _Turn(_resolve(t.author, known), t.to, t.subject, t.text, t.how, t.where, t.message)
            for t in _turns(message, "message", Msg("intake.where.message"))
        ]
        self.top = self.turns[0]
        self.receivers = self.top.to or message.cc

    def internal(self, box: Mailbox | None) -> bool:
        """Whether ``box`` belongs to the receiving agency (a colleague, not a requester)."""
        return box is not None and any(related_org(box, r) for r in self.receivers)

    def read(self, record_system: RecordSystem | None) -> Inference:
        requester_turn, identity = self.requester()
        speaking, on_behalf = self.relay(requester_turn, identity)
        readings, pasted = self.process(requester_turn, speaking)
        # A document pasted below the requester's words is read as a document, not as what
        # the requester says (its boilerplate states no purpose and asks for nothing).
        speaking = [replace(t, text=_before_rule(t.text)) if t in pasted else t for t in speaking]
        own_texts: list[str] = []
        signatures: list[str] = [identity.agency or ""]
        for t in speaking:
            text, _, sig = _own_text(t)
            own_texts.append(text)
            signatures.append(sig)
        # Only the requester's subject lines: a forwarding colleague's "FW: ..." is not theirs.
        subjects = [s for s in dict.fromkeys(_subject(t) for t in speaking if t.subject) if s]
        texts = [*own_texts, *subjects]

        _claims(self.c, texts, readings)
        kinds = {identity.kind} | ({on_behalf} if on_behalf else set())
        purpose = self.purpose(texts, signatures, kinds)
        law = federal_law_cited(own_texts)
        if law:
            self.c.add("federal_law_cited", law, Msg("intake.purpose.law_cited"))
        system = self.record_system(requester_turn, texts, record_system)
        categories = self.categories(speaking, subjects, readings, own_texts, system)
        scope = read_scope(texts)
        for e in scope.evidence:
            self.c.add("scope", Scope(scope.value), e)
        consent = self.consent(readings, categories, identity)
        request = Request(
            requester=Requester(name=identity.name, agency=identity.agency, kind=identity.kind),
            on_behalf_of=on_behalf,
            purpose=purpose,
            legal_process=[r.process for r in readings if r.process is not None],
            scope=Scope(scope.value),
            record_system=system,
            categories=categories,
            written_consent=consent,
            federal_law_cited=law,
        )
        c = self.c
        return Inference(request, tuple(c.evidence), tuple(c.unknowns), tuple(c.notes))

    # ------------------------------------------------------------ who asks

    def requester(self) -> tuple[_Turn, Identity]:
        """The turn that makes the request and who wrote it.

        A colleague inside the receiving agency who forwards a message is not the
        requester: the first outside author below is.
        """
        top, c = self.top, self.c
        turn = top
        if self.internal(top.author):
            outside = [t for t in self.turns[1:] if t.author and not self.internal(t.author)]
            if outside:
                turn = outside[0]
                c.add(
                    "requester",
                    str(turn.author),
                    Msg("intake.who.forwarded", forwarder=str(top.author), where=turn.where),
                )
        if turn.author is None:
            c.unknown(Msg("intake.unknown.no_sender"))
        identity = identify(turn.author, turn.text)
        for name, reason in identity.reasons:
            c.add(f"requester.{name}", identity.kind if name == "kind" else identity.agency, reason)
        if identity.kind is AgencyKind.UNKNOWN:
            c.unknown(Msg("intake.unknown.requester_kind"))
        if identity.self_records:
            c.add("requester", Msg("intake.value.self"), Msg("intake.who.own_records"))
        return turn, identity

    def relay(self, turn: _Turn, identity: Identity) -> tuple[list[_Turn], AgencyKind | None]:
        """The turns that speak for the request (the requester's own, and those of an agency
        the requester relays for) and that agency's kind."""
        c = self.c
        mine = [
            t
            for t in self.turns
            if t is turn
            or (
                t.author is not None
                and turn.author is not None
                and same_org(t.author, turn.author)
                and not self.internal(t.author)
            )
        ]
        own, _, _ = _own_text(turn)
        cue = relay_cue(own)
        for t in self.turns:
            if t in mine or t.author is None or self.internal(t.author):
                continue
            if t is self.top and turn is not self.top:
                continue
            # A forwarded message passes on a request; a quoted one only with the requester
            # saying so ("ICE reached out to us").
            if t.how not in ("forward", "attached") and cue is None:
                continue
            other = identify(t.author, t.text)
            if other.kind in (AgencyKind.UNKNOWN, identity.kind):
                continue
            passes_on = {"requester": str(turn.author), "other": str(t.author), "where": t.where}
            c.add(
                "on_behalf_of",
                other.kind,
                Msg("intake.who.relay_cue", **passes_on, cue=repr(cue))
                if cue
                else Msg("intake.who.relay", **passes_on),
            )
            return [*mine, t], other.kind
        if cue is not None:
            for mention in agency_cues(own):
                if mention.kind in (identity.kind, AgencyKind.PRIVATE, AgencyKind.STATE_AGENCY):
                    continue
                c.add(
                    "on_behalf_of",
                    mention.kind,
                    Msg("intake.who.relay_named", agency=repr(mention.phrase), cue=repr(cue)),
                )
                return mine, mention.kind
        return mine, None

    # ------------------------------------------------------------ process

    def process(
        self, turn: _Turn, speaking: Sequence[_Turn]
    ) -> tuple[list[ProcessReading], list[_Turn]]:
        """Every attached file of the message (and of attached messages), classified, and
        any document pasted into the requester's words (with the turns that hold one)."""
        c = self.c
        readings: list[ProcessReading] = []
        holding: list[_Turn] = []
        for t in speaking:
            pasted = read_pasted(t.text, t.where)
            if pasted is not None:
                holding.append(t)
                readings.append(pasted)
                c.add("legal_process", pasted.kind, pasted.evidence)
                if pasted.kind is ProcessKind.UNKNOWN:
                    c.unknown(Msg("intake.unknown.legal_process", reason=pasted.evidence))
        holders = [turn.message] if turn.message is not None else []
        holders += [m for m in self.message.walk() if m not in holders]
        for holder in holders:
            for att in holder.attachments:
                if att.message is not None:
                    continue
                reading = read_attachment(att)
                if reading is None:
                    continue
                readings.append(reading)
                c.add("legal_process", reading.kind, reading.evidence)
                if reading.kind is ProcessKind.UNKNOWN:
                    c.unknown(Msg("intake.unknown.legal_process", reason=reading.evidence))
        for m in self.message.walk():
            for problem in m.problems:
                c.unknown(Msg("intake.unknown.message", problem=problem))
        if not any(r.process for r in readings):
            c.add(
                "legal_process",
                ProcessKind.NONE,
                Msg(
                    "intake.process.none_is_process"
                    if readings
                    else "intake.process.nothing_attached"
                ),
            )
        return readings, holding

    # ------------------------------------------------------------ purpose, system

    def purpose(
        self, texts: Sequence[str], signatures: Sequence[str], kinds: set[AgencyKind]
    ) -> Purpose:
        c = self.c
        reading = read_purpose(texts, signatures, kinds)
        for e in reading.evidence:
            c.add("purpose", reading.purpose, e)
        for doubt in reading.doubts:
            if reading.purpose is Purpose.UNKNOWN:
                c.add("purpose", Purpose.UNKNOWN, doubt)
            else:
                c.note(Msg("intake.note.purpose", doubt=doubt))
        if reading.purpose is Purpose.UNKNOWN:
            c.unknown(Msg("intake.unknown.purpose"))
        return reading.purpose

    def record_system(
        self, turn: _Turn, texts: Sequence[str], override: RecordSystem | None
    ) -> RecordSystem:
        c = self.c
        if override is not None:
            c.add("record_system", override, Msg("intake.system.override"))
            return override
        receiving: list[tuple[Mailbox, ...]] = [tuple(self.top.to), tuple(self.message.cc)]
        if turn is not self.top:
            receiving.append(tuple(turn.to))
        reading = read_record_system(receiving, texts)
        system = RecordSystem(reading.value)
        for e in reading.evidence:
            c.add("record_system", system, e)
        if not reading.certain:
            c.unknown(Msg("intake.unknown.record_system"))
        return system

    # ------------------------------------------------------------ categories

    def categories(
        self,
        speaking: Sequence[_Turn],
        subjects: Sequence[str],
        readings: Sequence[ProcessReading],
        own_texts: Sequence[str],
        system: RecordSystem,
    ) -> list[str]:
        """The categories asked for, demanded by the attached process, or implied."""
        c = self.c
        # Each hit with where it was found: (message key, its parameters besides the phrase).
        hits: list[tuple[CategoryHit, str, dict[str, str]]] = []
        for t in speaking:
            _, stop, _ = _own_text(t)
            hits.extend(
                (h, "intake.categories.in_context", {"context": repr(h.context)})
                for h in asked_categories(t.text, stop=stop)
            )
        if not any(h.category for h, _, _ in hits):
            for s in subjects:
                hits.extend((h, "intake.categories.in_subject", {}) for h in asked_categories(s))
        if not hits:
            # Quoted text nobody signed: read only when the requester's own words ask nothing.
            for t in self.turns:
                if t not in speaking and t.author is None:
                    hits.extend(
                        (h, "intake.categories.in_where", {"where": t.where})
                        for h in asked_categories(t.text)
                    )
        categories: list[str] = []
        for h, _, _ in hits:
            if h.category and h.category not in categories:
                categories.append(h.category)
        for category in categories:
            why = [
                Msg(key, phrase=repr(" ".join(h.phrase.split())), **where)
                for h, key, where in hits
                if h.category == category
            ]
            c.add(
                "categories",
                Term("category", category),
                Msg("intake.categories.asked", why=Joined("; ", why[:2])),
            )
        for r in readings:
            if r.process is None or r.kind in (ProcessKind.WRITTEN_CONSENT, ProcessKind.UNKNOWN):
                continue
            for cat in r.covers or ():
                if cat not in categories:
                    categories.append(cat)
                    c.add(
                        "categories",
                        Term("category", cat),
                        Msg(
                            "intake.categories.demanded",
                            kind=Term("process_kind", r.kind.value),
                            name=r.name,
                        ),
                    )
        if not categories:
            other = [" ".join(h.phrase.split()) for h, _, _ in hits if not h.category]
            if other:
                c.add(
                    "categories",
                    Msg("intake.value.none"),
                    Msg(
                        "intake.categories.no_category",
                        phrases=", ".join(repr(o) for o in dict.fromkeys(other)),
                    ),
                )
                return []
            # Nothing recognisable is asked for: "everything you have on him" must not read
            # as a request for nothing. Every category is assumed, so that a policy withholds
            # what it protects and a person looks at the rest.
            c.add("categories", Msg("intake.value.all"), Msg("intake.categories.all_assumed"))
            c.unknown(Msg("intake.unknown.categories"))
            return list(CATEGORY_IDS)
        self._implied(categories, own_texts, system)
        return [cat for cat in CATEGORY_IDS if cat in categories]

    def _implied(
        self, categories: list[str], own_texts: Sequence[str], system: RecordSystem
    ) -> None:
        rules, by_system = _implied()
        for cats, why, rx in rules:
            m = next((m for m in (rx.search(t) for t in own_texts) if m), None) if rx else None
            if m is None:
                continue
            for cat in cats:
                if cat not in categories:
                    categories.append(cat)
                    quoted = " ".join(m.group(0).split())
                    self.c.add(
                        "categories",
                        Term("category", cat),
                        Msg("intake.categories.implied_phrase", why=why, quoted=repr(quoted)),
                    )
        cats_for_system, why_for_system = by_system.get(system.value, ((), ""))
        for cat in cats_for_system:
            if cat not in categories:
                categories.append(cat)
                self.c.add(
                    "categories",
                    Term("category", cat),
                    Msg("intake.categories.implied", why=why_for_system),
                )

    # ------------------------------------------------------------ consent

    def consent(
        self, readings: Sequence[ProcessReading], categories: Sequence[str], identity: Identity
    ) -> bool:
        """True only when a consent the person signed is attached and covers everything
        asked; a consent covering part of it still supports that part, as legal process."""
        c = self.c
        consent = False
        for r in readings:
            if not r.signed_consent:
                continue
            missing = [cat for cat in categories if cat not in set(r.covers or ())]
            if missing:
                c.add(
                    "written_consent",
                    Msg("intake.value.false"),
                    Msg(
                        "intake.consent.not_covering",
                        name=r.name,
                        missing=Joined(", ", [Term("category", cat) for cat in missing]),
                    ),
                )
            else:
                consent = True
                c.add(
                    "written_consent",
                    Msg("intake.value.true"),
                    Msg("intake.consent.covers", name=r.name),
                )
        if identity.kind is AgencyKind.PRIVATE and identity.self_records and not consent:
            c.note(Msg("intake.note.self_no_consent"))
        return consent


def _claims(c: _Collector, texts: Sequence[str], readings: Sequence[ProcessReading]) -> None:
    """Record what the body says it carries against what is attached (one note each way)."""
    kinds_found = {r.kind for r in readings}
    for claim in (cl for text in texts for cl in body_claims(text)):
        expected = _CLAIM_KINDS.get(claim.noun.split()[-1], frozenset())
        if not readings:
            c.note(Msg("intake.note.claim_not_attached", phrase=repr(claim.phrase)))
            c.unknown(Msg("intake.unknown.claim_not_attached", noun=claim.noun))
            return
        if expected & _PERMITTING_KINDS and not (kinds_found & expected & _PERMITTING_KINDS):
            found = Joined(
                ", ", [Term("process_kind", k) for k in sorted(k.value for k in kinds_found)]
            )
            c.note(Msg("intake.note.claim_differs", phrase=repr(claim.phrase), found=found))
            return
