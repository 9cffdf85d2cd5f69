"""Load and validate ``markers.yaml`` once: the markers of each legal-process kind.

The data file holds every phrase, regex and weight; this module checks its shape with
pydantic (unknown keys, unknown kinds, bad regexes and missing patterns are errors that name
the marker), expands group weights into per-kind weights, and compiles the patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from resguardo.legal.kinds import ProcessKind
from resguardo.legal.patterns import compile_form, compile_phrase, compile_regex
from resguardo.messages import Localized

__all__ = [
    "CompiledMarker",
    "DecisionConfig",
    "LayoutConfig",
    "MarkerSet",
    "Role",
    "RoleFactors",
    "SignatureConfig",
    "load_markers",
    "markers",
]

Role = Literal[
    "form",
    "title",
    "issuer",
    "signer",
    "party",
    "statute",
    "operative",
    "structure",
    "descriptive",
]

_FLAGS = re.IGNORECASE | re.MULTILINE | re.ASCII


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleFactors(_Strict):
    """How much a marker of one role counts, by where it was found."""

    structural: float = Field(ge=0, le=2)
    prose: float = Field(ge=0, le=2)
    quoted: float = Field(ge=0, le=2)
    unticked: float = Field(ge=0, le=2)
    edge: float | None = Field(default=None, ge=0, le=2)
    signature: float | None = Field(default=None, ge=0, le=2)
    head_bonus: float = Field(default=1.0, ge=1, le=2)
    # Letters may be spaced out ("O R D E R", "S U B P O E N A"): typesetters do it to
    # titles. Allowing it everywhere would triple the size of every pattern.
    letter_spacing: bool = False
    # Repeated occurrences: each one after the first adds ``repeat_step`` times the weight,
    # up to ``repeat_cap`` times the weight in all (memos repeat their advice; forms do not).
    repeat_step: float = Field(default=0.0, ge=0, le=1)
    repeat_cap: float = Field(default=1.0, ge=1, le=5)


class LayoutConfig(_Strict):
    """Sizes of the zones the scorer looks at."""

    head_lines: int = Field(ge=1)
    tail_lines: int = Field(ge=0)
    signature_window: int = Field(ge=0)


class DecisionConfig(_Strict):
    """Thresholds of the decision step (see ``classify.py``)."""

    min_score: float = Field(gt=0)
    unknown_floor: float = Field(gt=0)
    unknown_instrument: float = Field(ge=0)
    conflict_ratio: float = Field(gt=0, le=1)
    none_ratio: float = Field(gt=0, le=2)
    instrument_cap: float = Field(gt=0)
    descriptive_cap: float = Field(gt=0)
    genre_prior: float = Field(gt=0)
    many_kinds: int = Field(ge=2)
    many_kinds_descriptive: float = Field(ge=0)
    many_kinds_min_weight: float = Field(gt=0)
    strength_scale: float = Field(gt=0)
    unsigned_factor: float = Field(gt=0, le=1)
    unknown_confidence_max: float = Field(gt=0, le=1)
    mixed_descriptive: float = Field(gt=0)
    consent_signed_bonus: float = Field(ge=0)


class _Text(_Strict):
    """Words evidence shows a person, in English and Spanish."""

    en: str = Field(min_length=1)
    es: str = Field(min_length=1)

    def localized(self) -> Localized:
        """The text as the evidence carries it (an English str that knows its Spanish)."""
        return Localized({"en": self.en, "es": self.es})


def _localized(text: _Text | None) -> Localized | None:
    return text.localized() if text is not None else None


class _SignatureSpec(_Strict):
    cues: list[str]
    marks: list[str]
    subject_labels: list[str]
    other_labels: list[str]


class _MarkerSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    role: Role
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    form: str | None = None
    ocr: bool = True
    case_sensitive: bool = False
    weights: dict[str, float]
    defining: bool = False
    canonical: str | None = None
    canonical_from_match: bool = False
    alias_canonical: list[tuple[str, str]] = Field(default_factory=list)
    issuer_template: str | None = None
    instrument: float = Field(default=0.0, ge=0)
    descriptive: float = Field(default=0.0, ge=0)
    # What the evidence adds after the marker ("a DHS warrant, not signed by a judge").
    note: _Text | None = None
    # A marker that, found outside prose, rules out the kinds it weighs against, with this
    # reason ("[PROPOSED] ORDER" is not an order yet).
    veto: _Text | None = None
    # What evidence quotes: the matched text, or (for patterns whose gaps can span a name,
    # a date of birth or a number) this fixed description instead.
    show: _Text | None = None
    # The word evidence puts before the quote, when the role's ("issued by") would mislead.
    label: _Text | None = None
    # An issuer marker that shows a court issued the text without naming it ("Plaintiff").
    names_issuer: bool = True
    # A court named without its place ("MAGISTRATE COURT"): add the caption's county/state.
    add_caption_place: bool = False
    # Among signer titles, prefer rank 1 (a title: "Field Office Director") over rank 0 (a
    # label or a generic word: "Signature of ...", "Judge").
    signer_rank: int = Field(default=1, ge=0, le=1)
    # Titles and labels of one signatory ("CLERK OF COURT" and "Signature of Clerk"): a
    # blank clerk's line with a signed attorney's line means the attorney signed.
    signer_class: str = "other"

    @model_validator(mode="after")
    def _has_something_to_match(self) -> _MarkerSpec:
        if not (self.phrases or self.patterns or self.form):
            raise ValueError(f"marker {self.id!r} has no phrases, patterns or form")
        if self.form and (self.phrases or self.patterns):
            raise ValueError(f"marker {self.id!r}: a form marker takes no phrases or patterns")
        if any(not p.strip() for p in self.phrases + self.patterns):
            raise ValueError(f"marker {self.id!r} has an empty phrase or pattern")
        return self


class _FileSpec(_Strict):
    version: Literal[1]
    kinds: list[str]
    groups: dict[str, list[str]]
    families: dict[str, list[str]]
    roles: dict[Role, RoleFactors]
    layout: LayoutConfig
    decision: DecisionConfig
    signature: _SignatureSpec
    markers: list[_MarkerSpec]


@dataclass(frozen=True, slots=True)
class CompiledMarker:
    """A marker ready to match: its regex, role, per-kind weights and how to report it."""

    id: str
    role: Role
    regex: re.Pattern[str]
    weights: dict[ProcessKind, float]
    defining: bool
    canonical: str | None
    canonical_from_match: bool
    alias_canonical: tuple[tuple[re.Pattern[str], str], ...]
    issuer_template: str | None
    instrument: float
    descriptive: float
    note: Localized | None
    veto: Localized | None
    show: Localized | None
    label: Localized | None
    names_issuer: bool
    add_caption_place: bool
    signer_rank: int
    signer_class: str
    # Each phrase with its own regex, to name which phrase matched (OCR text reads
    # "Superv1sory"; the report should say "Supervisory").
    phrase_regexes: tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True, slots=True)
class SignatureConfig:
    """Compiled signature cues, marks of a filled signature, and signature-line labels."""

    cues: re.Pattern[str]
    marks: re.Pattern[str]
    subject_labels: re.Pattern[str]
    other_labels: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class MarkerSet:
    """Everything loaded from the data file."""

    markers: tuple[CompiledMarker, ...]
    roles: dict[Role, RoleFactors]
    families: dict[ProcessKind, str]
    layout: LayoutConfig
    decision: DecisionConfig
    signature: SignatureConfig


def _compile(source: str, flags: int, where: str) -> re.Pattern[str]:
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ValueError(f"markers.yaml: {where}: bad regex: {exc}") from None


def _join(patterns: list[str], where: str, ocr: bool = False) -> re.Pattern[str]:
    return _compile(compile_regex(patterns, ocr=ocr), _FLAGS, where)


def _expand_weights(
    spec: _MarkerSpec, groups: dict[str, list[ProcessKind]]
) -> dict[ProcessKind, float]:
    out: dict[ProcessKind, float] = {}
    # Groups first, kinds after: a kind named explicitly overrides its group's weight.
    for key, value in spec.weights.items():
        if key in groups:
            for kind in groups[key]:
                out[kind] = value
    for key, value in spec.weights.items():
        if key in groups:
            continue
        try:
            out[ProcessKind(key)] = value
        except ValueError:
            raise ValueError(
                f"markers.yaml: marker {spec.id!r}: {key!r} is neither a kind nor a group"
            ) from None
    return out


def _build(raw: Any) -> MarkerSet:
    try:
        spec = _FileSpec.model_validate(raw)
    except ValidationError as exc:
        raise ValueError(f"markers.yaml is invalid: {exc}") from None
    kinds = {k.value for k in ProcessKind}
    if set(spec.kinds) != kinds - {ProcessKind.UNKNOWN.value}:
        raise ValueError("markers.yaml: `kinds` must list every kind except 'unknown'")
    groups: dict[str, list[ProcessKind]] = {}
    for name, members in spec.groups.items():
        if name in kinds:
            raise ValueError(f"markers.yaml: group {name!r} has the name of a kind")
        try:
            groups[name] = [ProcessKind(m) for m in members]
        except ValueError as exc:
            raise ValueError(f"markers.yaml: group {name!r}: {exc}") from None
    families: dict[ProcessKind, str] = {}
    for name, members in spec.families.items():
        for member in members:
            families[ProcessKind(member)] = name
    missing_roles = set(get_args(Role)) - set(spec.roles)
    if missing_roles:
        raise ValueError(f"markers.yaml: no factors for roles {sorted(missing_roles)}")

    compiled: list[CompiledMarker] = []
    seen: set[str] = set()
    for m in spec.markers:
        if m.id in seen:
            raise ValueError(f"markers.yaml: duplicate marker id {m.id!r}")
        seen.add(m.id)
        if m.form:
            try:
                source = compile_form(m.form)
            except ValueError as exc:
                raise ValueError(f"markers.yaml: marker {m.id!r}: {exc}") from None
        else:
            spacing = spec.roles[m.role].letter_spacing if m.role in spec.roles else False
            parts = []
            if m.phrases:
                parts.append(compile_phrase(m.phrases, spacing))
            if m.patterns:
                parts.append(compile_regex(m.patterns, ocr=m.ocr, spacing=spacing))
            source = "|".join(parts)
        flags = (re.MULTILINE | re.ASCII) if m.case_sensitive else _FLAGS
        regex = _compile(source, flags, f"marker {m.id!r}")
        aliases = tuple(
            (_compile(pat, _FLAGS, f"marker {m.id!r} alias"), name)
            for pat, name in m.alias_canonical
        )
        compiled.append(
            CompiledMarker(
                id=m.id,
                role=m.role,
                regex=regex,
                weights=_expand_weights(m, groups),
                defining=m.defining,
                canonical=m.canonical,
                canonical_from_match=m.canonical_from_match,
                alias_canonical=aliases,
                issuer_template=m.issuer_template,
                instrument=m.instrument,
                descriptive=m.descriptive,
                note=_localized(m.note),
                veto=_localized(m.veto),
                show=_localized(m.show),
                label=_localized(m.label),
                names_issuer=m.names_issuer,
                add_caption_place=m.add_caption_place,
                signer_rank=m.signer_rank,
                signer_class=m.signer_class,
                phrase_regexes=tuple(
                    (p, _compile(compile_phrase([p], False), _FLAGS, f"marker {m.id!r}"))
                    for p in m.phrases
                )
                if m.canonical_from_match
                else (),
            )
        )
    sig = spec.signature
    signature = SignatureConfig(
        cues=_join(sig.cues, "signature.cues"),
        marks=_join(sig.marks, "signature.marks"),
        subject_labels=_join(sig.subject_labels, "signature.subject_labels"),
        other_labels=_join(sig.other_labels, "signature.other_labels"),
    )
    return MarkerSet(
        markers=tuple(compiled),
        roles=dict(spec.roles),
        families=families,
        layout=spec.layout,
        decision=spec.decision,
        signature=signature,
    )


def load_markers(text: str) -> MarkerSet:
    """Parse and validate marker data given as YAML text (``ValueError`` says what is wrong)."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"markers.yaml is not valid YAML: {exc}") from None
    return _build(raw)


@cache
def markers() -> MarkerSet:
    """The package's markers, loaded and compiled on first use."""
    data = resources.files(__package__).joinpath("markers.yaml").read_text(encoding="utf-8")
    return load_markers(data)
