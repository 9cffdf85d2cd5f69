"""Who is asking: sender domains, signature blocks and self-descriptions → agency kind.

A government domain (``ice.dhs.gov``, ``fbi.gov``, ``*.state.nm.us``) is the strongest
evidence and a signature cannot overrule it. Reserved and private domains say nothing, so
the signature decides ("Sheriff's Office" → local law enforcement, "Attorney at Law" →
private). A personal webmail address establishes nobody's agency: a signature claiming one
from there leaves the kind unknown. The tables are in ``data/requesters.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from resguardo.intake.message import Mailbox
from resguardo.intake.text import compile_entries, compile_phrases, find_hits, load_data, units
from resguardo.messages import Msg, Term
from resguardo.policy.request import AgencyKind

__all__ = [
    "AgencyCue",
    "DomainInfo",
    "Identity",
    "agency_cues",
    "domain_info",
    "identify",
    "is_webmail",
    "related_org",
    "same_org",
    "signature_block",
]

_SELF_INTRO = re.compile(
    r"^\W*(?:i am|i'm|i work|this is|we are|my name is|i serve|soy|me llamo|trabajo|somos)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DomainInfo:
    """What the domain table says about a sender domain."""

    kind: AgencyKind | None
    agency: str | None
    matched: str


@dataclass(frozen=True, slots=True)
class AgencyCue:
    """An agency (or a job title) named in a signature or a self-description."""

    kind: AgencyKind
    phrase: str
    line: str
    title: bool = False


@dataclass(frozen=True, slots=True)
class Identity:
    """The inferred identity of one author, with the reasons."""

    kind: AgencyKind
    agency: str | None
    name: str | None
    reasons: tuple[tuple[str, str], ...]
    """(field, reason) pairs: ``("kind", "sender domain ice.dhs.gov")``, each reason a
    :class:`~resguardo.messages.Msg`."""
    self_records: bool = False
    claimed: AgencyKind | None = None
    """A kind the signature claims but the sender's address does not support."""


@cache
def _tables() -> dict[str, Any]:
    raw: Any = load_data("requesters.yaml")
    suffixes: list[tuple[str, DomainInfo]] = []
    patterns: list[tuple[re.Pattern[str], DomainInfo]] = []
    for row in raw["domains"]:
        kind = AgencyKind(row["kind"]) if row.get("kind") else None
        agency = row.get("agency")
        if "pattern" in row:
            patterns.append((re.compile(row["pattern"], re.I), DomainInfo(kind, agency, "")))
        else:
            suffix = str(row["domain"]).lower()
            suffixes.append((suffix, DomainInfo(kind, agency, suffix)))
    agencies = compile_entries(raw["agencies"], "kind")
    titles = compile_entries(
        [{"kind": r["kind"], "phrases": r.get("titles") or []} for r in raw["agencies"]], "kind"
    )
    return {
        "suffixes": suffixes,
        "patterns": patterns,
        "webmail": frozenset(str(d).lower() for d in raw["webmail"]),
        "agencies": agencies,
        "titles": titles,
        "order": {AgencyKind(r["kind"]): i for i, r in enumerate(raw["agencies"])},
        "self_records": compile_phrases(raw["self_records"]),
        "relay": compile_phrases(raw["relay_cues"]),
        "closings": compile_phrases(raw["closings"]),
        "disclaimers": compile_phrases(raw["disclaimers"]),
        "prefixes": frozenset(str(p).lower().rstrip(".") for p in raw["name_prefixes"]),
    }


def domain_info(domain: str) -> DomainInfo | None:
    """The domain table's entry for ``domain``: the longest suffix match, else a pattern."""
    domain = domain.lower().strip(".")
    if not domain:
        return None
    t = _tables()
    best: tuple[str, DomainInfo] | None = None
    for suffix, info in t["suffixes"]:
        matches = domain == suffix or domain.endswith("." + suffix)
        if matches and (best is None or len(suffix) > len(best[0])):
            best = (suffix, info)
    if best is not None:
        return best[1]
    for pattern, info in t["patterns"]:
        if pattern.search(domain):
            return DomainInfo(info.kind, info.agency, domain)
    return None


def is_webmail(domain: str) -> bool:
    """Whether ``domain`` is a personal mailbox provider (gmail.com, outlook.com, ...)."""
    return domain.lower() in _tables()["webmail"]


def _gov_family(domain: str) -> str | None:
    # "dws.state.nm.us" and "hca.nm.gov" are both New Mexico state agencies. Only domains the
    # table calls state agencies: state police and courts ask; they are not colleagues.
    info = domain_info(domain)
    if info is None or info.kind is not AgencyKind.STATE_AGENCY:
        return None
    m = re.search(r"(?:^|\.)state\.([a-z]{2})\.us$", domain) or re.search(
        r"(?:^|\.)([a-z]{2})\.gov$", domain
    )
    return m.group(1) if m else None


def same_org(a: Mailbox, b: Mailbox) -> bool:
    """Whether two addresses belong to one organisation (one domain; for webmail, one box)."""
    if not a.address or not b.address:
        return bool(a.name) and _same_name(a.name, b.name)
    if a.address == b.address:
        return True
    if is_webmail(a.domain) or is_webmail(b.domain):
        return False
    return a.domain == b.domain


def related_org(a: Mailbox, b: Mailbox) -> bool:
    """Like :func:`same_org`, but also a parent and a sub-domain, or two agencies of the
    same state government (``state.nm.us`` and ``dws.state.nm.us``)."""
    if same_org(a, b):
        return True
    if not a.domain or not b.domain or is_webmail(a.domain) or is_webmail(b.domain):
        return False
    if a.domain.endswith("." + b.domain) or b.domain.endswith("." + a.domain):
        return True
    fa, fb = _gov_family(a.domain), _gov_family(b.domain)
    return fa is not None and fa == fb


def _tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[^\W\d_]{2,}", name.lower())}


def _same_name(a: str, b: str) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    return len(ta & tb) >= 2 or (bool(ta) and ta == tb)


# --------------------------------------------------------------------------- signatures


_DEVICE_FOOTER = re.compile(
    r"^\s*(?:sent from my\b.*|enviado desde mi\b.*|get outlook for\b.*|sent via\b.*)$", re.I
)
_PHONE_OR_MAIL = re.compile(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}|@")


def _signature_like(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 70:
        return False
    if _PHONE_OR_MAIL.search(line):
        return True
    words = line.split()
    # A sentence ("He was last seen near the border.") ends the block.
    return not (line[-1] in ".?!:;" and len(words) >= 4) and ". " not in line[:-1]


def _without_disclaimer(text: str) -> str:
    # Trailing paragraphs that are a disclaimer ("CONFIDENTIALITY NOTICE: ...") come after the
    # signature; leave them out so the signature is found above them.
    rx = _tables()["disclaimers"]
    if rx is None:
        return text
    paragraphs = re.split(r"(\n[ \t]*\n)", text.rstrip())
    while len(paragraphs) >= 3 and rx.search(paragraphs[-1]):
        paragraphs = paragraphs[:-2]
    return "".join(paragraphs)


def signature_block(text: str) -> tuple[int, str]:
    """Where the signature starts in ``text`` (an offset) and the block itself.

    The block starts after the last closing word ("Thanks,", "Respectfully,", "Gracias") in
    the last lines; without one, it is the trailing run of short lines that are not
    sentences (a name, a title, an agency, a phone number).
    """
    text = _without_disclaimer(text)
    lines = text.rstrip().split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    closings = _tables()["closings"]
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    while nonempty and _DEVICE_FOOTER.match(lines[nonempty[-1]]):
        nonempty.pop()
    if not nonempty:
        return len(text), ""
    tail = nonempty[-16:]
    for i in reversed(tail[:-1]):
        line = lines[i].strip().rstrip(",.!")
        m = closings.match(line) if closings is not None else None
        if m and len(line) <= m.end() + 25:
            start = offsets[i + 1] if i + 1 < len(lines) else len(text)
            return start, text[start:]
    asks = _asks()
    start_line = None
    for i in reversed(tail):
        if not _signature_like(lines[i]) or (asks is not None and asks.search(lines[i])):
            break
        start_line = i
    if start_line is None:
        return len(text), ""
    if start_line == nonempty[0]:
        # Nothing but short lines: at most the last few are a signature.
        start_line = nonempty[max(1, len(nonempty) - 4)] if len(nonempty) > 1 else len(lines)
        if start_line >= len(lines):
            return len(text), ""
    return offsets[start_line], text[offsets[start_line] :]


@cache
def _asks() -> re.Pattern[str] | None:
    raw: Any = load_data("asks.yaml")
    return compile_phrases(raw["ask_cues"])


def agency_cues(text: str, *, titles: bool = True) -> list[AgencyCue]:
    """Agencies (and, with ``titles``, job titles) named in ``text``, with their lines."""
    t = _tables()
    entries = (*t["agencies"], *t["titles"]) if titles else t["agencies"]
    title_entries = {id(e) for e in t["titles"]}
    out: list[AgencyCue] = []
    for hit in find_hits(entries, text):
        ls = text.rfind("\n", 0, hit.start) + 1
        le = text.find("\n", hit.end)
        line = text[ls : le if le >= 0 else len(text)].strip()
        phrase = " ".join(hit.text.split())
        out.append(
            AgencyCue(AgencyKind(hit.entry.values[0]), phrase, line, id(hit.entry) in title_entries)
        )
    return out


def _self_intro(text: str) -> list[AgencyCue]:
    out: list[AgencyCue] = []
    for u in units(text):
        sentence = text[u.start : u.end]
        if _SELF_INTRO.search(sentence):
            for cue in agency_cues(sentence):
                out.append(AgencyCue(cue.kind, cue.phrase, " ".join(sentence.split())))
    return out


def _pick(cues: Sequence[AgencyCue]) -> AgencyCue | None:
    # Several kinds named: the order of requesters.yaml is the order of precedence (an
    # immigration agency first: the reading that makes a policy most careful).
    if not cues:
        return None
    order = _tables()["order"]
    return min(cues, key=lambda c: (order.get(c.kind, 99), c.title))


def _agency_line(cue: AgencyCue, block: str) -> str:
    # The most agency-like line of the block with this kind's cue: "U.S. Immigration and
    # Customs Enforcement" rather than "Deportation Officer".
    same = [c for c in agency_cues(block, titles=False) if c.kind is cue.kind and len(c.line) <= 90]
    if same:
        best = max(same, key=lambda c: len(c.phrase))
        return best.line.strip(" ,-")
    return cue.line[:90].strip(" ,-")


def _name(author: Mailbox | None, block: str) -> str | None:
    prefixes = _tables()["prefixes"]
    display = author.name if author else ""
    tokens = _tokens(display) | (_tokens(author.local.replace(".", " ")) if author else set())
    for line in block.split("\n"):
        line = line.strip().strip(",")
        words = line.split()
        if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in line) or "@" in line:
            continue
        while words and words[0].lower().rstrip(".") in prefixes:
            words = words[1:]
        if not words:
            continue
        candidate = " ".join(words)
        if (
            tokens
            and _tokens(candidate) & tokens
            and all(w[:1].isupper() for w in words if w[:1].isalpha())
        ):
            return candidate
    if display:
        name = re.sub(r"\s*\([^)]*\)", "", display).strip()
        if "," in name:
            last, _, first = name.partition(",")
            name = f"{first.strip()} {last.strip()}".strip()
        words = [w for w in name.split() if w.lower().rstrip(".") not in prefixes]
        return " ".join(words) or None
    return None


def _term(kind: AgencyKind) -> Term:
    return Term("agency_kind", kind.value)


def identify(author: Mailbox | None, text: str) -> Identity:
    """The agency kind, agency and name of the person who wrote ``text`` from ``author``."""
    reasons: list[tuple[str, str]] = []
    start, block = signature_block(text)
    sig_cues = agency_cues(block) + _self_intro(text[:start])
    display_cues = agency_cues(author.name) if author and author.name else []
    cue = _pick(sig_cues) or _pick(display_cues)
    name = _name(author, block)
    domain = author.domain if author else ""
    info = domain_info(domain) if domain else None
    self_records = False
    srx = _tables()["self_records"]
    if srx is not None and srx.search(text[:start]):
        self_records = True

    if info is not None and info.kind is not None:
        kind = info.kind
        reasons.append(("kind", Msg("intake.who.domain", domain=domain)))
        agency = info.agency
        if cue is not None and cue.kind is kind:
            agency = _agency_line(cue, block or text)
            reasons.append(("agency", Msg("intake.who.signature", quoted=repr(agency))))
        elif agency:
            reasons.append(("agency", Msg("intake.who.domain", domain=domain)))
        if cue is not None and cue.kind is not kind:
            reasons.append(
                (
                    "kind",
                    Msg("intake.who.overruled", kind=_term(cue.kind), quoted=repr(cue.phrase)),
                )
            )
        return Identity(
            kind, agency, name, tuple(reasons), self_records and kind is AgencyKind.PRIVATE
        )

    if domain and is_webmail(domain):
        if cue is not None and cue.kind is not AgencyKind.PRIVATE:
            agency = _agency_line(cue, block or text)
            reasons.append(
                (
                    "kind",
                    Msg(
                        "intake.who.webmail_claim",
                        kind=_term(cue.kind),
                        quoted=repr(cue.phrase),
                        domain=domain,
                    ),
                )
            )
            return Identity(AgencyKind.UNKNOWN, agency, name, tuple(reasons), False, cue.kind)
        if cue is not None:
            agency = _agency_line(cue, block or text)
            reasons.append(
                ("kind", Msg("intake.who.webmail_private", quoted=repr(cue.phrase), domain=domain))
            )
            return Identity(AgencyKind.PRIVATE, agency, name, tuple(reasons), self_records)
        reasons.append(("kind", Msg("intake.who.webmail_plain", domain=domain)))
        if self_records:
            reasons.append(("kind", Msg("intake.who.own_records")))
        return Identity(AgencyKind.PRIVATE, None, name, tuple(reasons), self_records)

    if cue is not None:
        agency = _agency_line(cue, block or text)
        where = "intake.who.signature" if cue in sig_cues else "intake.who.display"
        if domain:
            reasons.append(("kind", Msg(f"{where}_domain", quoted=repr(cue.phrase), domain=domain)))
        else:
            reasons.append(("kind", Msg(where, quoted=repr(cue.phrase))))
        reasons.append(("agency", Msg(where, quoted=repr(agency))))
        if info is not None and info.agency and cue.kind is AgencyKind.FEDERAL_IMMIGRATION:
            agency = agency or info.agency
        return Identity(
            cue.kind, agency, name, tuple(reasons), self_records and cue.kind is AgencyKind.PRIVATE
        )

    if info is not None and info.agency:
        reasons.append(("kind", Msg("intake.who.domain_vague", domain=domain, agency=info.agency)))
        return Identity(AgencyKind.UNKNOWN, info.agency, name, tuple(reasons))

    if self_records:
        reasons.append(("kind", Msg("intake.who.first_person")))
        return Identity(AgencyKind.PRIVATE, None, name, tuple(reasons), True)
    reasons.append(("kind", Msg("intake.who.nothing", domain=domain or Msg("intake.value.none"))))
    return Identity(AgencyKind.UNKNOWN, None, name, tuple(reasons))


def relay_cue(text: str) -> str | None:
    """A phrase showing the writer passes on another agency's request, if any."""
    rx = _tables()["relay"]
    m = rx.search(text) if rx is not None else None
    return m.group(0) if m else None


def mentioned_agencies(text: str) -> list[AgencyCue]:
    """Agencies named anywhere in ``text`` (for relays: "ICE reached out to us")."""
    return agency_cues(text)
