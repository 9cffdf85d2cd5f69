"""Classify a text as a kind of legal process: the scoring and decision logic.

The markers and their weights live in ``markers.yaml``; this module finds them, weighs each
by where it stands, adds up a score per kind and decides.

1. **Find.** Every marker is matched on the text and on its column-ordered view
   (:mod:`resguardo.legal.text`). Where one match lies inside a longer match of another
   marker, the longer, more specific one wins: "Immigration Judge" hides "Judge", "Warrant
   for Arrest of Alien" hides "Warrant for Arrest".
2. **Weigh by place.** A form number in a footer, a title line, a caption at the top and a
   title next to a signature count fully; the same words in running prose or in quotation
   marks are a *mention* and count little; an option whose box is not ticked counts nothing.
3. **Genre.** Form structure (fill-in fields, blanks, signature marks, checkboxes) against
   descriptive language (memo and FAQ headings, "for example", "if you receive", e-mail
   headers). A text that talks *about* process scales every kind down and feeds ``none``.
4. **Decide, failing closed.** A kind needs a *defining* marker (a title, a form number, an
   operative clause of that kind) and, for court and agency kinds, a marker of who issued
   or signed it. Weak evidence, a close call between a court kind and an agency kind, or an
   unsigned consent give ``unknown`` or ``none``, never a kind that could release data.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from resguardo.legal.consent import SignatureStatus, check_signature
from resguardo.legal.kinds import ProcessClassification, ProcessKind
from resguardo.legal.markers import CompiledMarker, MarkerSet, markers
from resguardo.legal.patterns import ocr_regex
from resguardo.legal.text import Layout, Piece
from resguardo.messages import Joined, Msg, Term

__all__ = ["classify_process"]

# Very long inputs (a whole PDF production) are cut: process documents announce themselves
# in their first pages and their footers.
_MAX_HEAD = 60_000
_MAX_TAIL = 20_000
_MAX_PER_MARKER = 60
_EVIDENCE_LIMIT = 8
_SNIPPET = 70

_SMALL_WORDS = frozenset(
    ["of", "the", "for", "and", "in", "on", "at", "to", "a", "an", "de", "del", "y", "or", "by"]
)
_CAPS_FIX = str.maketrans("l1|0", "IIIO")
_LOWER_FIX = str.maketrans("1|0", "iio")
_SCORING_ROLES = frozenset({"form", "title", "issuer", "signer", "party", "statute", "operative"})
_AUTHORITY_ROLES = frozenset({"form", "issuer", "signer", "statute", "party"})
# The message key of each place a marker can be found at (``structural`` goes unsaid).
_PLACE_KEY = {
    "unticked option": "legal.place.unticked",
    "quoted": "legal.place.quoted",
    "prose": "legal.place.prose",
    "signature block": "legal.place.signature",
    "heading": "legal.place.heading",
    "footer": "legal.place.footer",
}
_SEPARATOR = re.compile(
    r"^[ \t]*(?:[-=*~]{10,}|-+ ?(?:original|forwarded) message ?-+|begin forwarded message:?)"
    r"[ \t]*$",
    re.I | re.M,
)
_MIN_SEGMENT = 200
_NOT_PROCESS = frozenset({ProcessKind.NONE, ProcessKind.UNKNOWN})
# Kinds whose presence could lead a policy to release data: never taken from a block of a
# text that as a whole reads as something else.
_RELEASING = frozenset(
    {
        ProcessKind.JUDICIAL_WARRANT,
        ProcessKind.COURT_ORDER,
        ProcessKind.GRAND_JURY_SUBPOENA,
        ProcessKind.COURT_SUBPOENA,
        ProcessKind.WRITTEN_CONSENT,
    }
)
_PROCESS_KINDS = tuple(k for k in ProcessKind if k not in (ProcessKind.NONE, ProcessKind.UNKNOWN))
_RULE = re.compile(r"_{4,}")
_MAIL_HEADER = re.compile(r"\s*(?:subject|asunto|re|fwd?|rv|tema)\s*:", re.I)
_FORM_LEAD = re.compile(r"[\s(\[]*(?:(?:dhs|u\.? ?s\.?|form|formulario|no\.?)[\s.:#]*)*", re.I)
_FORM_REV = re.compile(r"\(\s*rev\b|\bpage \d+ of \d+|\(\d{1,2}/\d{2,4}\)", re.I)
_ADDRESS = re.compile(
    r"[^\s<>()\[\]\"',;@]{1,64}@[^\s<>()\[\]\"',;@]{1,255}|(?:https?://|www\.)\S{1,2000}", re.I
)
_COUNTY = re.compile(ocr_regex(r"^[ \t]*county of[ \t]+") + r"([^\n]{2,40}?)\s*$", re.I | re.M)
_STATE = re.compile(ocr_regex(r"^[ \t]*state of[ \t]+") + r"([^\n]{2,30}?)\s*$", re.I | re.M)


@dataclass(frozen=True, slots=True)
class _Match:
    marker: CompiledMarker
    pieces: tuple[Piece, ...]
    groups: dict[str, str]
    factor: float
    place: str
    snippet: str
    size: int

    def contains(self, other: _Match) -> bool:
        if self.size <= other.size:
            return False
        return all(
            any(q.start <= p.start and p.end <= q.end for q in self.pieces) for p in other.pieces
        )

    def overlaps(self, other: _Match) -> bool:
        return any(p.start < q.end and q.start < p.end for p in self.pieces for q in other.pieces)


def _snippet(layout: Layout, pieces: tuple[Piece, ...]) -> str:
    text = " ".join(" ".join(layout.text[p.start : p.end].split()) for p in pieces)
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def _repair_word(word: str) -> str:
    """Undo OCR swaps inside a word: "DlSTRlCT" -> "DISTRICT", "C0URT" -> "COURT",
    "Mex1co" -> "Mexico". Words without a confusable character are left alone."""
    letters = sum(c.isalpha() for c in word)
    if letters < 2:
        return word
    confusable = sum(c in "01|" for c in word)
    lower_l = word.count("l")
    upper = sum(c.isupper() for c in word)
    body = sum(c.isalnum() or c == "|" for c in word)
    if upper >= 2 and (lower_l or confusable) and upper + lower_l + confusable == body:
        # A word in capitals: a lowercase l, a 1 or a bar is an I, a 0 is an O.
        return word.translate(_CAPS_FIX)
    if confusable and letters >= 2 * confusable:
        return word.translate(_LOWER_FIX)
    return word


def _smart_title(text: str) -> str:
    text = " ".join(_repair_word(w) for w in text.split())
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.7 * len(letters):
        return text
    words = []
    for i, word in enumerate(text.split()):
        low = word.lower()
        if "." in word and len(word) <= 5:
            words.append(word.upper())
        elif i and low in _SMALL_WORDS:
            words.append(low)
        else:
            words.append(low[:1].upper() + low[1:])
    return " ".join(words)


class _Finder:
    """Finds the markers in one layout and weighs each occurrence by its place."""

    def __init__(self, layout: Layout, ms: MarkerSet) -> None:
        self.layout = layout
        self.ms = ms
        cues = ms.signature.cues
        self.cue_cells = [bool(cues.search(c)) for c in layout.folded_cells]
        # Addresses and links: "ice.dhs.gov" names no issuer, "records@x.example.gov" gives
        # no example.
        self.masked = [(m.start(), m.end()) for m in _ADDRESS.finditer(layout.folded)]
        self.masked_starts = [s for s, _ in self.masked]

    def _in_header_line(self, pieces: tuple[Piece, ...]) -> bool:
        # "Subject: RE: Administrative subpoena - ..." names a document; it is not one.
        cell = self.layout.cells[pieces[0].cell]
        return bool(_MAIL_HEADER.match(self.layout.folded, cell.start, pieces[0].start))

    def _form_header(self, pieces: tuple[Piece, ...]) -> bool:
        # "AO 88B (Rev. 02/14) Subpoena to Produce Documents, Information, or Objects or to
        # Permit Inspection of Premises in a Civil Action": a form's own header or footer
        # opens with its number, and its long title is not prose around a mention.
        lay = self.layout
        cell = lay.cells[pieces[0].cell]
        lead = lay.folded[cell.start : pieces[0].start]
        if not _FORM_LEAD.fullmatch(lead):
            return False
        rest = lay.folded[pieces[-1].end : cell.end]
        before, after = lay.line_rank(cell.line)
        edge = before < self.ms.layout.head_lines or after < self.ms.layout.tail_lines
        return edge or bool(_FORM_REV.search(rest)) or len(rest.split()) <= 12

    def _in_address(self, pieces: tuple[Piece, ...]) -> bool:
        if not self.masked:
            return False
        for p in pieces:
            i = bisect.bisect_right(self.masked_starts, p.start) - 1
            if i < 0 or self.masked[i][1] < p.end:
                return False
        return True

    def _place(self, m: CompiledMarker, pieces: tuple[Piece, ...]) -> tuple[float, str]:
        lay = self.layout
        f = self.ms.roles[m.role]
        if lay.is_unticked(pieces):
            return f.unticked, "unticked option"
        if lay.is_quoted(pieces) or self._in_header_line(pieces):
            return f.quoted, "quoted"
        if lay.is_prose(pieces) and not (m.role == "form" and self._form_header(pieces)):
            return f.prose, "prose"
        factor, place = f.structural, "structural"
        first_line = lay.cells[pieces[0].cell].line
        before, after = lay.line_rank(first_line)
        cfg = self.ms.layout
        if f.signature is not None:
            cells = [p.cell for p in pieces]
            lo = max(0, min(cells) - cfg.signature_window)
            hi = min(len(self.cue_cells), max(cells) + cfg.signature_window + 1)
            if any(self.cue_cells[lo:hi]):
                factor, place = max(factor, f.signature), "signature block"
        if f.edge is not None and (before < cfg.head_lines or after < cfg.tail_lines):
            factor, place = (
                max(factor, f.edge),
                ("heading" if before < cfg.head_lines else "footer"),
            )
        if before < cfg.head_lines:
            factor *= f.head_bonus
        return factor, place

    def find(self) -> list[_Match]:
        lay = self.layout
        found: list[_Match] = []
        for m in self.ms.markers:
            own: list[_Match] = []
            # Without columns the view is the text itself, so one pass is enough.
            sources = [(lay.view, lay.pieces_in_view)]
            if lay.has_columns:
                sources.append((lay.folded, lay.pieces_in_text))
            for source, mapper in sources:
                for n, hit in enumerate(m.regex.finditer(source)):
                    if n >= _MAX_PER_MARKER:
                        break
                    if hit.end() <= hit.start():
                        continue
                    pieces = mapper(hit.start(), hit.end())
                    if not pieces or self._in_address(pieces):
                        continue
                    groups = {k: v for k, v in hit.groupdict().items() if v}
                    factor, place = self._place(m, pieces)
                    size = sum(p.end - p.start for p in pieces)
                    own.append(
                        _Match(m, pieces, groups, factor, place, _snippet(lay, pieces), size)
                    )
            # The same occurrence found in both texts: keep the larger reading of it.
            own.sort(key=lambda x: -x.size)
            kept_by_cell: dict[int, list[_Match]] = defaultdict(list)
            for cand in own:
                near = {id(k): k for p in cand.pieces for k in kept_by_cell.get(p.cell, ())}
                if not any(k.overlaps(cand) for k in near.values()):
                    found.append(cand)
                    for p in cand.pieces:
                        kept_by_cell[p.cell].append(cand)
        # Most specific wins: drop a scoring match that lies inside a longer one. Only matches
        # sharing a cell can contain each other, so each is checked against those alone.
        scoring = sorted(
            (x for x in found if x.marker.role in _SCORING_ROLES), key=lambda x: -x.size
        )
        accepted: list[_Match] = []
        by_cell: dict[int, list[_Match]] = defaultdict(list)
        for cand in scoring:
            rivals = by_cell.get(cand.pieces[0].cell, ())
            if not any(a.marker.id != cand.marker.id and a.contains(cand) for a in rivals):
                accepted.append(cand)
                for p in cand.pieces:
                    by_cell[p.cell].append(cand)
        return accepted + [x for x in found if x.marker.role not in _SCORING_ROLES]


@dataclass(slots=True)
class _Tally:
    """Scores and the matches behind them."""

    raw: dict[ProcessKind, float]
    positive: dict[ProcessKind, float]  # the same, counting only evidence *for* each kind
    defining: dict[ProcessKind, float]
    structural_defining: set[ProcessKind]
    instrument: float
    descriptive: float
    best: dict[str, _Match]  # marker id -> its strongest occurrence
    descriptive_hits: list[_Match]


def _tally(matches: list[_Match], ms: MarkerSet) -> _Tally:
    by_marker: dict[str, list[_Match]] = defaultdict(list)
    for x in matches:
        by_marker[x.marker.id].append(x)
    raw: dict[ProcessKind, float] = defaultdict(float)
    positive: dict[ProcessKind, float] = defaultdict(float)
    defining: dict[ProcessKind, float] = defaultdict(float)
    structural_defining: set[ProcessKind] = set()
    instrument = descriptive = 0.0
    best: dict[str, _Match] = {}
    descriptive_hits: list[_Match] = []
    for mid, occ in by_marker.items():
        occ.sort(key=lambda x: (-x.factor, x.pieces[0].start))
        top = occ[0]
        m = top.marker
        f = ms.roles[m.role]
        amount = top.factor
        if f.repeat_step and len(occ) > 1:
            amount = min(
                top.factor * f.repeat_cap,
                top.factor + f.repeat_step * sum(x.factor for x in occ[1:]),
            )
        if amount <= 0:
            continue
        best[mid] = top
        for kind, w in m.weights.items():
            raw[kind] += w * amount
            if w > 0:
                positive[kind] += w * amount
            if m.defining and w > 0:
                defining[kind] = max(defining[kind], w * top.factor)
                # Only specific markers (a form number, a full title) count here: a generic
                # "SUBPOENA" supports three kinds at once without naming any.
                if top.factor >= 0.6 and w * top.factor >= ms.decision.many_kinds_min_weight:
                    structural_defining.add(kind)
        instrument += m.instrument * amount
        if m.descriptive:
            descriptive += m.descriptive * amount
            descriptive_hits.append(top)
    cfg = ms.decision
    return _Tally(
        raw=dict(raw),
        positive=dict(positive),
        defining=dict(defining),
        structural_defining=structural_defining,
        instrument=min(instrument, cfg.instrument_cap),
        descriptive=min(descriptive, cfg.descriptive_cap),
        best=best,
        descriptive_hits=descriptive_hits,
    )


def _canonical(x: _Match) -> str:
    m = x.marker
    if m.issuer_template:
        g = x.groups
        if "place" in g:
            text = m.issuer_template.format(
                **{
                    "for": " for the",
                    "dir": f" {g['dir'].strip().title()}" if g.get("dir") else "",
                    "place": " ".join(_repair_word(w) for w in g["place"].split()).title(),
                }
            )
            return " ".join(text.split())
    for pattern, name in m.alias_canonical:
        if pattern.search(x.snippet):
            return name
    if m.canonical:
        return m.canonical
    if m.canonical_from_match:
        folded = " ".join(x.snippet.split())
        hits = [p for p, rx in m.phrase_regexes if rx.fullmatch(folded)]
        if hits:
            return max(hits, key=len)
    return _smart_title(x.snippet)


def _evidence_line(x: _Match) -> Msg:
    m = x.marker
    role = m.label or Msg(f"legal.role.{m.role}")
    form = str(m.canonical)
    line: Msg
    if m.role == "form":
        if x.snippet.replace(" ", "").lower() != (m.canonical or "").replace(" ", "").lower():
            line = Msg("legal.line.form_seen", form=form, snippet=x.snippet)
        else:
            line = Msg("legal.line.form", form=form)
    elif m.show:
        line = Msg("legal.line.shown", role=role, show=m.show)
    else:
        line = Msg("legal.line.quoted", role=role, snippet=x.snippet)
    if x.place not in ("structural",):
        line = Msg("legal.line.placed", line=line, place=Msg(_PLACE_KEY[x.place]))
    if m.note:
        line = Msg("legal.line.noted", line=line, note=m.note)
    return line


def _kind(kind: ProcessKind) -> Term:
    return Term("process_kind", kind.value)


def _contributions(
    t: _Tally, kind: ProcessKind, positive: bool = True
) -> list[tuple[float, _Match]]:
    out = []
    for x in t.best.values():
        w = x.marker.weights.get(kind, 0.0)
        if (w > 0) == positive and w != 0:
            out.append((w * x.factor, x))
    out.sort(key=lambda p: -abs(p[0]))
    return out


def _issuer(t: _Tally, kind: ProcessKind, layout: Layout, ms: MarkerSet) -> str | None:
    candidates = [
        x
        for x in t.best.values()
        if x.marker.role == "issuer"
        and x.place in ("heading", "footer", "structural")
        # Party captions ("Plaintiff", "United States of America v.") say that a court
        # issued the document but do not name the court.
        and x.marker.names_issuer
    ]
    if kind in ms.families and kind is not ProcessKind.WRITTEN_CONSENT:
        candidates = [x for x in candidates if x.marker.weights.get(kind, 0.0) > 0]
    if not candidates and ms.families.get(kind) == "court":
        # "At IAS Part 14 of the Supreme Court of the State of New York, held in and for
        # the County of Kings": a court document may name its court only in a sentence.
        # (An agency's text names a court in prose only to threaten enforcement.)
        candidates = [
            x
            for x in t.best.values()
            if x.marker.role == "issuer"
            and x.place == "prose"
            and x.marker.weights.get(kind, 0.0) > 0
            and x.marker.names_issuer
        ]
    if not candidates:
        return None
    chosen = min(candidates, key=lambda x: (-x.factor, x.pieces[0].start, -x.size))
    name = _canonical(chosen)
    low = name.lower()
    if chosen.marker.add_caption_place and " of " not in low and " for " not in low:
        head = "\n".join(layout.text.split("\n")[: ms.layout.head_lines])
        county = _COUNTY.search(head)
        state = _STATE.search(head)
        if county:
            name += f", County of {_smart_title(county.group(1))}"
        if state:
            name += f", State of {_smart_title(state.group(1))}"
    return name


class _SignerPicker:
    """Chooses the signatory's title.

    Titles and labels are grouped by signatory (judge, clerk, attorney, immigration officer,
    ...). A signatory whose line carries a mark ("/s/", "(signed)") above it is preferred;
    one whose labelled line is a blank rule with no mark is passed over (a civil subpoena's
    blank clerk line beside the attorney's signed one). Within the signatory, a title beats a
    label ("Field Office Director" over "Signature of immigration officer") and the longer
    title beats the shorter ("United States Magistrate Judge" over "Judge").
    """

    def __init__(self, layout: Layout, ms: MarkerSet) -> None:
        marks = ms.signature.marks
        cells = layout.folded_cells
        self.marked = [bool(marks.search(c)) for c in cells]
        self.rule = [bool(_RULE.search(c)) for c in cells]
        self.window = ms.layout.signature_window

    def _above(self, x: _Match, n: int) -> range:
        first = min(p.cell for p in x.pieces)
        return range(max(0, first - n), max(p.cell for p in x.pieces) + 1)

    def marked_above(self, x: _Match) -> bool:
        return any(self.marked[i] for i in self._above(x, self.window))

    def blank_above(self, x: _Match) -> bool:
        near = self._above(x, 2)
        return any(self.rule[i] for i in near) and not any(self.marked[i] for i in near)

    def pick(self, t: _Tally, kind: ProcessKind, restrict: bool) -> str | None:
        candidates = [
            x
            for x in t.best.values()
            if x.marker.role == "signer"
            and x.factor > 0
            and x.place in ("signature block", "structural", "heading", "footer")
            and (not restrict or x.marker.weights.get(kind, 0.0) > 0)
            # "Applicant's signature" names the data subject only on a consent.
            and x.marker.signer_class != "subject"
        ]
        if not candidates:
            return None
        groups: dict[str, list[_Match]] = defaultdict(list)
        for x in candidates:
            groups[x.marker.signer_class].append(x)

        def status(members: list[_Match]) -> int:
            if any(self.marked_above(x) for x in members):
                return 2
            if any(x.marker.signer_rank == 0 and self.blank_above(x) for x in members):
                return 0
            return 1

        def group_key(members: list[_Match]) -> tuple[int, bool, float]:
            return (
                status(members),
                any(x.place == "signature block" for x in members),
                max(x.factor for x in members),
            )

        members = max(groups.values(), key=group_key)
        chosen = max(
            members,
            key=lambda x: (x.marker.signer_rank, x.place == "signature block", x.size),
        )
        return _canonical(chosen)


def _form(t: _Tally, kind: ProcessKind) -> str | None:
    forms = [
        (x.marker.weights.get(kind, 0.0) * x.factor, x)
        for x in t.best.values()
        if x.marker.role == "form" and x.place != "prose" and x.place != "quoted"
    ]
    forms = [(s, x) for s, x in forms if s > 0]
    if not forms:
        return None
    return max(forms, key=lambda p: p[0])[1].marker.canonical


def _strength(score: float, ms: MarkerSet) -> float:
    return 1.0 - math.exp(-max(score, 0.0) / ms.decision.strength_scale)


def _round(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 3)


def _describe_none(t: _Tally, adj: dict[ProcessKind, float]) -> list[str]:
    ev: list[str] = [_evidence_line(x) for _, x in _contributions(t, ProcessKind.NONE)[:4]]
    hits = sorted(t.descriptive_hits, key=lambda x: -x.marker.descriptive * x.factor)
    ev += [Msg("legal.none.describes", snippet=x.snippet) for x in hits[:3]]
    mentioned = [k for k in _PROCESS_KINDS if adj.get(k, 0.0) > 0 and t.defining.get(k, 0.0) > 0]
    if mentioned and t.descriptive > 0:
        kinds = Joined(", ", [_kind(k) for k in mentioned[:4]])
        ev.append(Msg("legal.none.mentions", kinds=kinds))
    if t.instrument < 2.0:
        ev.append(Msg("legal.none.no_instrument"))
    if not ev:
        ev.append(Msg("legal.none.nothing"))
    return ev


def _classify_one(text: str, ms: MarkerSet) -> ProcessClassification:
    """Classify one block of text (see :func:`classify_process`)."""
    cfg = ms.decision
    layout = Layout(text)
    matches = _Finder(layout, ms).find()
    t = _tally(matches, ms)
    picker = _SignerPicker(layout, ms)

    if (
        len(t.structural_defining - {ProcessKind.NONE, ProcessKind.WRITTEN_CONSENT})
        >= cfg.many_kinds
    ):
        # A real document is one kind (perhaps with one attachment); a list of many kinds'
        # titles and form numbers is a guide to them.
        t.descriptive = min(cfg.descriptive_cap, t.descriptive + cfg.many_kinds_descriptive)
    genre = (t.instrument + cfg.genre_prior) / (t.instrument + cfg.genre_prior + t.descriptive)
    adj: dict[ProcessKind, float] = {
        k: (v * genre if v > 0 else v) for k, v in t.raw.items() if k is not ProcessKind.NONE
    }
    none_score = t.raw.get(ProcessKind.NONE, 0.0) + t.descriptive
    extra: list[str] = []

    consent_status: SignatureStatus | None = None
    if t.defining.get(ProcessKind.WRITTEN_CONSENT, 0.0) > 0:
        check = check_signature(layout, ms.signature)
        consent_status = check.status
        extra.extend(check.evidence)
        if check.status is SignatureStatus.BLANK:
            # An authorization nobody signed is a form, not consent, and nothing else.
            none_score += max(adj.get(ProcessKind.WRITTEN_CONSENT, 0.0), 0.0)
            adj[ProcessKind.WRITTEN_CONSENT] = 0.0
        elif check.status is SignatureStatus.SIGNED:
            # The person's signature is itself evidence of consent.
            wc = ProcessKind.WRITTEN_CONSENT
            adj[wc] = adj.get(wc, 0.0) + cfg.consent_signed_bonus * genre
            t.positive[wc] = t.positive.get(wc, 0.0) + cfg.consent_signed_bonus

    vetoes: dict[ProcessKind, Msg] = {}
    for x in t.best.values():
        if x.marker.veto and x.place not in ("prose", "quoted", "unticked option"):
            for kind, w in x.marker.weights.items():
                if w < 0:
                    vetoes[kind] = Msg("legal.unknown.veto", veto=x.marker.veto, snippet=x.snippet)

    eligible = [k for k in _PROCESS_KINDS if t.defining.get(k, 0.0) > 0 and adj.get(k, 0.0) > 0]
    proc_max = max([adj.get(k, 0.0) for k in _PROCESS_KINDS] + [0.0])
    direct_none = t.defining.get(ProcessKind.NONE, 0.0) >= 2.0

    def none_result() -> ProcessClassification:
        conf = min(0.95, (none_score + 3.0) / (none_score + 3.0 + proc_max))
        ev = _describe_none(t, adj)
        if consent_status is SignatureStatus.BLANK:
            ev = extra + ev
        return ProcessClassification(
            kind=ProcessKind.NONE,
            confidence=_round(conf),
            evidence=tuple(ev[:_EVIDENCE_LIMIT]),
            form=_form(t, ProcessKind.NONE),
            # Only a document that is something else (a Notice to Appear, an immigration
            # judge's order) has an issuer and signer worth naming; a memo does not.
            issuer=_issuer(t, ProcessKind.NONE, layout, ms) if direct_none else None,
            signed_by=picker.pick(t, ProcessKind.NONE, restrict=False) if direct_none else None,
        )

    def unknown_result(reason: Msg, kinds: list[ProcessKind]) -> ProcessClassification:
        conf = min(cfg.unknown_confidence_max, 0.5 * _strength(proc_max, ms))
        ev: list[str] = [reason]
        for k in kinds:
            ev += [
                Msg("legal.line.kind", kind=_kind(k), line=_evidence_line(x))
                for _, x in _contributions(t, k)[:3]
            ]
        return ProcessClassification(
            kind=ProcessKind.UNKNOWN,
            confidence=_round(max(conf, 0.05)),
            evidence=tuple((ev + extra)[:_EVIDENCE_LIMIT]),
            form=None,
            issuer=_issuer(t, ProcessKind.UNKNOWN, layout, ms),
            signed_by=picker.pick(t, ProcessKind.UNKNOWN, restrict=False),
        )

    weak_but_formal = t.instrument >= cfg.unknown_instrument
    if not eligible:
        if proc_max >= cfg.unknown_floor and weak_but_formal and none_score < proc_max:
            top_kind = max(_PROCESS_KINDS, key=lambda k: adj.get(k, 0.0))
            return unknown_result(Msg("legal.unknown.untitled"), [top_kind])
        return none_result()

    best = max(eligible, key=lambda k: adj[k])
    top = adj[best]
    if best in vetoes:
        return unknown_result(vetoes[best], [best])
    if top < cfg.min_score:
        if top >= cfg.unknown_floor and weak_but_formal and none_score < top:
            return unknown_result(Msg("legal.unknown.weak", kind=_kind(best)), [best])
        return none_result()
    if none_score >= top:
        return none_result()
    if none_score >= cfg.none_ratio * top:
        return unknown_result(Msg("legal.unknown.descriptive", kind=_kind(best)), [best])

    family = ms.families.get(best)
    rivals = [k for k in eligible if k is not best and ms.families.get(k) != family]
    if rivals:
        # Compared on the evidence *for* each kind: an I-200 footer pulls the judicial score
        # down, but a judge's signature on the same paper is still a contradiction.
        own = t.positive.get(best, 0.0)
        rival = max(rivals, key=lambda k: t.positive.get(k, 0.0))
        theirs = t.positive.get(rival, 0.0)
        if theirs >= cfg.conflict_ratio * own:
            return unknown_result(
                Msg(
                    "legal.unknown.conflict",
                    kind=_kind(best),
                    score=f"{own:.1f}",
                    rival=_kind(rival),
                    rival_score=f"{theirs:.1f}",
                ),
                [best, rival],
            )

    positives = _contributions(t, best)
    if family in ("court", "agency") and not any(
        x.marker.role in _AUTHORITY_ROLES for _, x in positives
    ):
        return unknown_result(Msg("legal.unknown.no_authority", kind=_kind(best)), [best])
    if best in _RELEASING and t.descriptive >= cfg.mixed_descriptive:
        # A court's process or a consent inside a message, guide or training text: the same
        # layout is how a guide shows a sample. Someone must look at the document itself.
        return unknown_result(Msg("legal.unknown.inside_guide", kind=_kind(best)), [best])
    roles = {x.marker.role for _, x in positives}
    # (A consent's second piece of evidence is the person's signature, checked above.)
    if len(roles) < 2 and best is not ProcessKind.WRITTEN_CONSENT:
        # One kind of evidence alone (a form number, a title) is what OCR junk, a
        # letterhead or a quoted line can produce: a document has a title and an issuer,
        # a form number and a signer.
        which = Msg(f"legal.evidence_kind.{next(iter(roles), 'none')}")
        return unknown_result(
            Msg("legal.unknown.one_kind", kind=_kind(best), evidence=which), [best]
        )
    if best is ProcessKind.WRITTEN_CONSENT and consent_status is SignatureStatus.ABSENT:
        return unknown_result(Msg("legal.unknown.consent_unsigned"), [best])

    # A same-family runner-up (a warrant that also reads as an order of the same court)
    # lowers confidence less than another family or ``none`` does.
    same = [
        adj.get(k, 0.0) for k in _PROCESS_KINDS if k is not best and ms.families.get(k) == family
    ]
    other = [
        adj.get(k, 0.0) for k in _PROCESS_KINDS if k is not best and ms.families.get(k) != family
    ]
    rival_score = max([none_score, 0.5 * max([*same, 0.0]), *other, 0.0])
    margin = min(1.0, max(0.0, (top - rival_score) / top))
    conf = _strength(top, ms) * (0.5 + 0.5 * margin)
    signed = any(x.marker.role == "signer" and x.place == "signature block" for _, x in positives)
    if family in ("court", "agency") and not signed:
        conf *= cfg.unsigned_factor
        extra.append(Msg("legal.no_signature_block"))

    ev: list[str] = [_evidence_line(x) for _, x in positives]
    if best is ProcessKind.WRITTEN_CONSENT:
        ev = extra + ev
        extra = []
    evidence = (ev[: _EVIDENCE_LIMIT - len(extra[:2])] + extra[:2])[:_EVIDENCE_LIMIT]
    return ProcessClassification(
        kind=best,
        confidence=_round(conf),
        evidence=tuple(evidence),
        form=_form(t, best),
        issuer=_issuer(t, best, layout, ms) if best is not ProcessKind.WRITTEN_CONSENT else None,
        signed_by=(
            Msg("legal.signer.data_subject")
            if best is ProcessKind.WRITTEN_CONSENT
            else picker.pick(t, best, restrict=True)
        ),
    )


def _segments(text: str) -> list[str]:
    """Blocks of a text split at separator lines (a rule, a forwarded-message banner)."""
    parts: list[str] = []
    start = 0
    for m in _SEPARATOR.finditer(text):
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    if len(parts) < 2:
        return []
    return [p for p in parts if len(p.strip()) >= _MIN_SEGMENT]


def classify_process(text: str) -> ProcessClassification:
    """Classify ``text`` as a kind of legal process (NOTES section 10), failing closed.

    Never raises on any string. Returns ``unknown`` with low confidence when the evidence
    is weak or conflicts (a court kind against an agency kind), and ``none`` for text that is
    not process at all or only describes it (a memo, a training FAQ, an e-mail, a Notice to
    Appear, an immigration judge's order, a consent the person never signed).

    A document pasted into a message below a separator line is found: the message around it
    reads as correspondence, the block itself as the document. If that document is of a kind
    that could release data (a court's process, a consent), the result is ``unknown`` rather
    than that kind, since the same layout is how a training guide shows a sample form.
    """
    if len(text) > _MAX_HEAD + _MAX_TAIL:
        text = text[:_MAX_HEAD] + "\n" + text[-_MAX_TAIL:]
    ms = markers()
    whole = _classify_one(text, ms)
    if whole.kind not in (ProcessKind.NONE, ProcessKind.UNKNOWN):
        return whole
    blocks = _segments(text)
    if not blocks:
        return whole
    found = [r for r in (_classify_one(b, ms) for b in blocks) if r.kind not in _NOT_PROCESS]
    if not found:
        return whole
    inner = max(found, key=lambda r: r.confidence)
    note = Msg("legal.inner.set_off", kind=_kind(inner.kind))
    if inner.kind in _RELEASING:
        return ProcessClassification(
            kind=ProcessKind.UNKNOWN,
            confidence=_round(min(ms.decision.unknown_confidence_max, inner.confidence / 2)),
            evidence=(Msg("legal.inner.confirm", note=note), *inner.evidence)[:_EVIDENCE_LIMIT],
            form=inner.form,
            issuer=inner.issuer,
            signed_by=inner.signed_by,
        )
    return ProcessClassification(
        kind=inner.kind,
        confidence=_round(inner.confidence * 0.9),
        evidence=(note, *inner.evidence)[:_EVIDENCE_LIMIT],
        form=inner.form,
        issuer=inner.issuer,
        signed_by=inner.signed_by,
    )
