"""Policy packs: one jurisdiction's disclosure rules as validated data.

A pack is a YAML file in ``packs/``. Its rules are grouped in *regimes*: one statute or
policy, the record systems and categories it governs, the prohibitions it imposes, the
bases on which it permits disclosure, and what it says when nothing permits (deny, or
escalate when the rule turns on a judgment). Federal duties shared by every pack live in
``federal.yaml``; shared scenario requests in ``packs/cases/``.

Loading is strict (unknown keys are errors) and every error names the file, the line and
the field, because the people who edit packs are lawyers and policy staff, not
programmers, and "validation error" alone would not tell them where to look.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from resguardo.policy.request import (
    AgencyKind,
    CategoryId,
    ProcessKind,
    Purpose,
    RecordSystem,
    Request,
    Scope,
)
from resguardo.policy.signers import SignerClass
from resguardo.taxonomy import CATEGORY_IDS

__all__ = [
    "Basis",
    "CaseSet",
    "Condition",
    "FederalOverlay",
    "FederalRules",
    "Obligation",
    "Outcome",
    "Pack",
    "PackError",
    "PackNotFoundError",
    "PackRegistry",
    "Prohibition",
    "Regime",
    "Scenario",
    "default_registry",
    "get_pack",
    "load_pack",
]

PACKS_DIR = Path(str(resources.files(__package__).joinpath("packs")))
FEDERAL_FILE = Path(str(resources.files(__package__).joinpath("federal.yaml")))

_ID = r"^[a-z0-9][a-z0-9_.-]*$"
_MODEL = ConfigDict(extra="forbid", frozen=True)

# Every kind but `private`: an unstated purpose from any public body (or an unknown one)
# might be the prohibited one; a private party's unstated purpose is not enforcement.
_GOVERNMENT_OR_UNKNOWN: list[AgencyKind] = [k for k in AgencyKind if k is not AgencyKind.PRIVATE]


class Outcome(StrEnum):
    """The overall answer to a request."""

    RELEASE = "release"
    RELEASE_REDACTED = "release_redacted"
    DENY = "deny"
    ESCALATE = "escalate"


class Text(BaseModel):
    """A sentence in English and Spanish."""

    model_config = _MODEL

    en: Annotated[str, Field(min_length=1)]
    es: Annotated[str, Field(min_length=1)]


class Source(BaseModel):
    """A legal source the pack is built from."""

    model_config = _MODEL

    citation: Annotated[str, Field(min_length=1)]
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("must be an http(s) URL")
        return value


class Unconfirmed(BaseModel):
    """A point our research notes mark UNCONFIRMED (NOTES section 12)."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    note: Text


class Condition(BaseModel):
    """When a rule applies. Every field left out matches anything; all given fields must hold.

    ``requester_kinds`` must hold for *every* party in a relay (the requester and whoever it
    asks for), so a sheriff relaying ICE does not borrow the sheriff's permissions;
    ``any_party_kinds`` holds when *any* party is of that kind, so the relay does not hide
    ICE from a rule aimed at it.
    """

    model_config = _MODEL

    record_systems: list[RecordSystem] | None = None
    requester_kinds: list[AgencyKind] | None = None
    any_party_kinds: list[AgencyKind] | None = None
    purposes: list[Purpose] | None = None
    process: list[ProcessKind] | None = Field(
        default=None, description="Some produced document is of one of these kinds."
    )
    signers: list[SignerClass] | None = Field(
        default=None, description="…and that document's signer is of one of these classes."
    )
    scopes: list[Scope] | None = None
    consent: bool | None = Field(
        default=None, description="true: the person's written consent was produced."
    )
    federal_law_cited: bool | None = None


class Basis(Condition):
    """A ground on which a regime permits disclosure."""

    id: Annotated[str, Field(pattern=_ID)]
    decide: Literal["release", "escalate"] = Field(
        default="release",
        description="escalate when the ground turns on a judgment or an unconfirmed reading.",
    )
    categories: list[CategoryId] | None = Field(
        default=None, description="The regime categories this ground reaches; all if omitted."
    )
    citation: Annotated[str, Field(min_length=1)]
    explain: Text
    unconfirmed: list[str] = Field(default_factory=list)


class Prohibition(BaseModel):
    """A purpose for which the regime bars disclosure (e.g. immigration enforcement)."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    purposes: Annotated[list[Purpose], Field(min_length=1)]
    categories: list[CategoryId] | None = None
    presumed_for: list[AgencyKind] = Field(
        default_factory=list,
        description=(
            "Requesters (any party) whose request is presumed to be for the barred purpose "
            "unless they produce a document of a `rebutted_by` kind: an immigration agency "
            "saying 'federal investigation' has not shown it is not enforcing immigration law."
        ),
    )
    rebutted_by: list[ProcessKind] = Field(default_factory=list)
    possible_for: list[AgencyKind] = Field(
        default_factory=lambda: list(_GOVERNMENT_OR_UNKNOWN),
        description="Requesters whose unstated purpose might be the barred one (escalate).",
    )
    except_process: list[ProcessKind] = Field(
        default_factory=list, description="Documents that lift the bar (a judge's warrant)."
    )
    except_purposes: list[Purpose] = Field(default_factory=list)
    conflicts_with: list[ProcessKind] = Field(
        default_factory=lambda: [ProcessKind.JUDICIAL_WARRANT, ProcessKind.COURT_ORDER],
        description=(
            "Documents that compel disclosure even though the bar applies: the clash goes to "
            "review instead of a refusal, so that no clerk is told to ignore a court."
        ),
    )
    decide: Literal["deny", "escalate"] = "deny"
    citation: Annotated[str, Field(min_length=1)]
    explain: Text
    unconfirmed: list[str] = Field(default_factory=list)


class RegimeDefault(BaseModel):
    """What a regime says when no ground permits: deny, escalate (a judgment call), release
    (the regime does not restrict) or abstain (the regime says nothing; other rules decide)."""

    model_config = _MODEL

    decide: Literal["deny", "escalate", "release", "abstain"]
    refuse_with_rest: bool = Field(
        default=False,
        description=(
            "An escalation here means only that no known rule permits the item; when the "
            "rest of the request is refused on definite grounds and no process compels "
            "anything, the item is refused with it."
        ),
    )
    citation: str | None = None
    explain: Text | None = None
    unconfirmed: list[str] = Field(default_factory=list)


class Regime(BaseModel):
    """One statute or policy: what it governs and how."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    title: Annotated[str, Field(min_length=1)]
    citation: Annotated[str, Field(min_length=1)]
    record_systems: list[RecordSystem] | Literal["all"] = "all"
    categories: list[CategoryId] | Literal["all"] = "all"
    applies_when: Condition | list[Condition] | None = Field(
        default=None,
        description="The regime applies only when this holds (a list: when any of them holds).",
    )
    prohibitions: list[Prohibition] = Field(default_factory=list)
    bases: list[Basis] = Field(default_factory=list)
    default: RegimeDefault
    unconfirmed: list[str] = Field(default_factory=list)

    def category_ids(self) -> tuple[str, ...]:
        """The categories this regime governs, with ``all`` expanded."""
        return CATEGORY_IDS if self.categories == "all" else tuple(self.categories)

    def record_system_ids(self) -> tuple[str, ...]:
        """The record systems this regime governs, with ``all`` expanded."""
        if self.record_systems == "all":
            return tuple(RecordSystem)
        return tuple(self.record_systems)


class ObligationWhen(Condition):
    """When an obligation attaches; ``outcomes`` restricts it to some decisions."""

    outcomes: list[Outcome] | None = None


class Obligation(BaseModel):
    """A duty that comes with a decision (notify the person, central review, …)."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    title: Text
    within_days: Annotated[int, Field(ge=0)] | None = None
    to: str | None = None
    when: ObligationWhen = Field(default_factory=ObligationWhen)
    citation: Annotated[str, Field(min_length=1)]
    unconfirmed: list[str] = Field(default_factory=list)


class Uncovered(BaseModel):
    """What the pack says about a category no regime governs for that record system."""

    model_config = _MODEL

    decide: Literal["deny", "escalate", "release"] = "escalate"
    refuse_with_rest: bool = Field(
        default=False, description="As for a regime default (see RegimeDefault)."
    )
    citation: Annotated[str, Field(min_length=1)]
    explain: Text


class ScenarioExpect(BaseModel):
    """What a scenario must produce."""

    model_config = _MODEL

    outcome: Outcome | Annotated[list[Outcome], Field(min_length=1)]
    withheld: list[CategoryId] = Field(default_factory=list)
    released: list[CategoryId] = Field(default_factory=list)
    obligations: list[str] = Field(default_factory=list)
    no_obligations: list[str] = Field(default_factory=list)
    rules: dict[CategoryId, str] = Field(default_factory=dict)

    def outcomes(self) -> tuple[Outcome, ...]:
        """The acceptable outcomes as a tuple."""
        return (self.outcome,) if isinstance(self.outcome, Outcome) else tuple(self.outcome)


class Scenario(BaseModel):
    """A pack's own test: a request (inline or a shared case) and the expected decision."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    description: str | None = None
    case: str | None = Field(default=None, description="'<case set>/<case id>' in packs/cases/.")
    request: Request | None = None
    expect: ScenarioExpect


class Pack(BaseModel):
    """One jurisdiction's rules."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    jurisdiction: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    status: Literal["enacted", "proposed", "local_policy"]
    effective: date | None = None
    as_of: date | None = Field(default=None, description="Snapshot date for historical packs.")
    superseded_by: str | None = None
    summary: Text
    review: Text = Field(description="Who decides escalated requests, for the clerk.")
    sources: Annotated[list[Source], Field(min_length=1)]
    federal: list[str] = Field(description="Ids of the federal overlays (federal.yaml) in force.")
    unconfirmed: list[Unconfirmed] = Field(default_factory=list)
    regimes: Annotated[list[Regime], Field(min_length=1)]
    uncovered: Uncovered
    obligations: list[Obligation] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)

    _source_file: str = PrivateAttr(default="")
    _federal: FederalRules | None = PrivateAttr(default=None)
    _cases: dict[str, Request] = PrivateAttr(default_factory=dict)
    _compiled: Any = PrivateAttr(default=None)
    _version: str = PrivateAttr(default="")

    @property
    def source_file(self) -> str:
        """The file the pack was loaded from ('' when built in code)."""
        return self._source_file

    @property
    def federal_rules(self) -> FederalRules:
        """The federal overlays this pack was loaded with."""
        if self._federal is None:
            self._federal = load_federal()
        return self._federal

    @property
    def version(self) -> str:
        """sha256 of the canonical pack data and the federal overlays it uses.

        Scenarios are left out: they test the rules, they do not change a decision.
        """
        if not self._version:
            data = self.model_dump(mode="json", exclude={"scenarios"})
            fed = self.federal_rules
            data["_federal"] = [
                o.model_dump(mode="json") for o in fed.overlays if o.id in set(self.federal)
            ]
            data["_federal_obligations"] = [o.model_dump(mode="json") for o in fed.obligations]
            data["_federal_unconfirmed"] = [u.model_dump(mode="json") for u in fed.unconfirmed]
            canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            self._version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        return self._version

    def protected_categories(self) -> tuple[str, ...]:
        """Categories some regime governs, in taxonomy order."""
        seen = {c for r in self.regimes for c in r.category_ids()}
        return tuple(c for c in CATEGORY_IDS if c in seen)

    def scenario_request(self, scenario: Scenario) -> Request:
        """The request a scenario runs: inline, or the shared case it names."""
        if scenario.request is not None:
            return scenario.request
        assert scenario.case is not None  # guaranteed by validation
        return self._cases[scenario.case]

    def unconfirmed_note(self, note_id: str) -> Unconfirmed | None:
        """The pack's (or the federal file's) unconfirmed note with this id."""
        for u in self.unconfirmed:
            if u.id == note_id:
                return u
        for u in self.federal_rules.unconfirmed:
            if u.id == note_id:
                return u
        return None


class FederalOverlay(BaseModel):
    """A federal rule applied after a pack's own rules (8 U.S.C. 1373, PRWORA, DPPA).

    It changes a category's decision from one of ``from_decisions`` to ``to``. With
    ``when_rest_withheld`` set, an escalation it caused becomes that decision when every
    other category of the request is withheld on definite grounds: the agency is refusing
    the request anyway, so declining this item too is discretion, not a state-law bar.
    """

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    title: Text
    categories: list[CategoryId] | Literal["all"] = "all"
    when: Condition = Field(default_factory=Condition)
    unless: list[Condition] = Field(
        default_factory=list, description="The overlay does not apply if any of these holds."
    )
    from_decisions: Annotated[list[Literal["release", "withhold", "escalate"]], Field(min_length=1)]
    to: Literal["release", "withhold", "escalate"]
    when_rest_withheld: Literal["withhold"] | None = None
    rest_withheld_explain: Text | None = None
    obligations: list[str] = Field(default_factory=list)
    citation: Annotated[str, Field(min_length=1)]
    explain: Text
    unconfirmed: list[str] = Field(default_factory=list)

    def category_ids(self) -> tuple[str, ...]:
        """The categories this overlay reaches, with ``all`` expanded."""
        return CATEGORY_IDS if self.categories == "all" else tuple(self.categories)


class FederalRules(BaseModel):
    """The contents of ``federal.yaml``."""

    model_config = _MODEL

    overlays: list[FederalOverlay]
    obligations: list[Obligation] = Field(default_factory=list)
    unconfirmed: list[Unconfirmed] = Field(default_factory=list)


class Case(BaseModel):
    """A shared scenario request."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    description: Annotated[str, Field(min_length=1)]
    request: Request


class CaseSet(BaseModel):
    """A file of shared scenario requests (``packs/cases/*.yaml``)."""

    model_config = _MODEL

    id: Annotated[str, Field(pattern=_ID)]
    title: Annotated[str, Field(min_length=1)]
    cases: list[Case]


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, slots=True)
class PackIssue:
    """One problem in a data file: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


class PackError(Exception):
    """A pack (or federal, or case) file that cannot be used; ``issues`` say where and why."""

    def __init__(self, issues: Sequence[PackIssue]) -> None:
        self.issues: tuple[PackIssue, ...] = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))

    @property
    def file(self) -> str:
        """The file of the first issue."""
        return self.issues[0].file if self.issues else ""

    @property
    def line(self) -> int | None:
        """The line of the first issue."""
        return self.issues[0].line if self.issues else None

    @property
    def field(self) -> str:
        """The field path of the first issue, e.g. ``regimes[0].bases[2].decide``."""
        return self.issues[0].field if self.issues else ""


class PackNotFoundError(KeyError):
    """No pack has this id; ``known`` lists the ids there are."""

    def __init__(self, pack_id: str, known: Sequence[str]) -> None:
        self.pack_id = pack_id
        self.known: tuple[str, ...] = tuple(known)
        super().__init__(pack_id)

    def __str__(self) -> str:
        return f"unknown pack {self.pack_id!r}; known packs: {', '.join(self.known) or '(none)'}"


# --------------------------------------------------------------------------- YAML with lines

Loc = tuple[str | int, ...]
_M = TypeVar("_M", bound=BaseModel)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys (PyYAML silently keeps the last one, which
    would let a second `decide:` quietly override the first)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_map(node: yaml.Node, path: Loc = (), out: dict[Loc, int] | None = None) -> dict[Loc, int]:
    """Map each key/index path in a YAML node tree to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            sub = (*path, key)
            # The key's line, not the value's: a list value starts on the next line.
            out[sub] = key_node.start_mark.line + 1
            _line_map(value_node, sub, out)
            out[sub] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), out)
    return out


def _format_path(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _resolve(loc: Sequence[Any], lines: Mapping[Loc, int]) -> tuple[Loc, int | None]:
    """Follow a pydantic error location through the YAML paths that exist.

    Pydantic adds union-branch tags ('list[...]', "literal['all']") and names missing
    fields; those segments are skipped or fall back to the nearest existing parent, so the
    line is always one the editor can find.
    """
    path: Loc = ()
    clean: list[str | int] = []
    for part in loc:
        if not isinstance(part, str | int):
            continue
        candidate = (*path, part)
        if candidate in lines:
            path = candidate
            clean.append(part)
        elif isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue  # a union branch tag, not a field
        else:
            clean.append(part)
    return tuple(clean), lines.get(path)


def _read_yaml(file: Path) -> tuple[Any, dict[Loc, int]]:
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([PackIssue(name, None, "", f"cannot read: {exc}")]) from exc
    try:
        # One parse: the node tree gives the lines, the same tree gives the data.
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise PackError([PackIssue(name, line, "", f"YAML error: {exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:
        raise PackError([PackIssue(name, None, "", f"YAML error: {exc}")]) from exc
    if node is None:
        raise PackError([PackIssue(name, 1, "", "the file is empty")])
    return data, _line_map(node)


def _issues_from_validation(
    name: str, exc: ValidationError, lines: Mapping[Loc, int]
) -> list[PackIssue]:
    resolved: list[tuple[Loc, int | None, str]] = []
    for err in exc.errors(include_url=False):
        loc, line = _resolve(err["loc"], lines)
        resolved.append((loc, line, err["msg"]))
    # A union reports one error per branch; keep the most specific (deepest) ones.
    keep = [
        r for r in resolved if not any(o[0] != r[0] and o[0][: len(r[0])] == r[0] for o in resolved)
    ]
    out: list[PackIssue] = []
    seen: set[tuple[Loc, str]] = set()
    for loc, line, msg in keep:
        if (loc, msg) in seen:
            continue
        seen.add((loc, msg))
        out.append(PackIssue(name, line, _format_path(loc), msg))
    return out


def _validate(model: type[_M], file: Path) -> tuple[_M, dict[Loc, int]]:
    data, lines = _read_yaml(file)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise PackError(_issues_from_validation(str(file), exc, lines)) from exc


# --------------------------------------------------------------------------- semantic checks


def _check_refs(
    name: str,
    lines: Mapping[Loc, int],
    refs: Iterator[tuple[Loc, str]],
    known: set[str],
    what: str,
) -> list[PackIssue]:
    issues = []
    for loc, ref in refs:
        if ref not in known:
            _, line = _resolve(loc, lines)
            issues.append(
                PackIssue(
                    name,
                    line,
                    _format_path(loc),
                    f"unknown {what} {ref!r}; known: {', '.join(sorted(known)) or '(none)'}",
                )
            )
    return issues


def _unconfirmed_refs(pack: Pack) -> Iterator[tuple[Loc, str]]:
    for ri, regime in enumerate(pack.regimes):
        for i, ref in enumerate(regime.unconfirmed):
            yield ("regimes", ri, "unconfirmed", i), ref
        for i, ref in enumerate(regime.default.unconfirmed):
            yield ("regimes", ri, "default", "unconfirmed", i), ref
        rules: list[tuple[str, int, Basis | Prohibition]] = [
            *(("bases", i, b) for i, b in enumerate(regime.bases)),
            *(("prohibitions", i, p) for i, p in enumerate(regime.prohibitions)),
        ]
        for kind, bi, rule in rules:
            for i, ref in enumerate(rule.unconfirmed):
                yield ("regimes", ri, kind, bi, "unconfirmed", i), ref
    for oi, ob in enumerate(pack.obligations):
        for i, ref in enumerate(ob.unconfirmed):
            yield ("obligations", oi, "unconfirmed", i), ref


def _duplicates(
    name: str, lines: Mapping[Loc, int], ids: Iterator[tuple[Loc, str]]
) -> list[PackIssue]:
    seen: set[str] = set()
    issues = []
    for loc, value in ids:
        if value in seen:
            issues.append(
                PackIssue(name, lines.get(loc), _format_path(loc), f"duplicate id {value!r}")
            )
        seen.add(value)
    return issues


def _pack_issues(
    pack: Pack,
    file: Path,
    lines: Mapping[Loc, int],
    federal: FederalRules,
    cases: Mapping[str, Request],
) -> list[PackIssue]:
    name = str(file)
    issues: list[PackIssue] = []
    if pack.id != file.stem:
        issues.append(
            PackIssue(name, lines.get(("id",)), "id", f"must equal the file name {file.stem!r}")
        )
    issues += _duplicates(
        name, lines, ((("regimes", i, "id"), r.id) for i, r in enumerate(pack.regimes))
    )
    for ri, regime in enumerate(pack.regimes):
        rule_ids = [
            (("regimes", ri, "prohibitions", i, "id"), p.id)
            for i, p in enumerate(regime.prohibitions)
        ] + [(("regimes", ri, "bases", i, "id"), b.id) for i, b in enumerate(regime.bases)]
        issues += _duplicates(name, lines, iter(rule_ids))
        if regime.default.decide != "abstain" and regime.default.explain is None:
            issues.append(
                PackIssue(
                    name,
                    lines.get(("regimes", ri, "default")),
                    _format_path(("regimes", ri, "default", "explain")),
                    f"required when decide is {regime.default.decide!r}",
                )
            )
        governed = set(regime.category_ids())
        rules: list[tuple[str, int, Basis | Prohibition]] = [
            *(("bases", i, b) for i, b in enumerate(regime.bases)),
            *(("prohibitions", i, p) for i, p in enumerate(regime.prohibitions)),
        ]
        for kind, bi, rule in rules:
            for ci, cat in enumerate(rule.categories or ()):
                if cat not in governed:
                    loc: Loc = ("regimes", ri, kind, bi, "categories", ci)
                    issues.append(
                        PackIssue(
                            name,
                            lines.get(loc),
                            _format_path(loc),
                            f"{cat!r} is not among the regime's categories",
                        )
                    )
    issues += _duplicates(
        name, lines, ((("scenarios", i, "id"), s.id) for i, s in enumerate(pack.scenarios))
    )
    issues += _duplicates(
        name, lines, ((("unconfirmed", i, "id"), u.id) for i, u in enumerate(pack.unconfirmed))
    )
    known_notes = {u.id for u in pack.unconfirmed} | {u.id for u in federal.unconfirmed}
    issues += _check_refs(name, lines, _unconfirmed_refs(pack), known_notes, "unconfirmed note")
    overlay_ids = {o.id for o in federal.overlays}
    issues += _check_refs(
        name,
        lines,
        ((("federal", i), ref) for i, ref in enumerate(pack.federal)),
        overlay_ids,
        "federal overlay",
    )
    for si, sc in enumerate(pack.scenarios):
        loc = ("scenarios", si)
        if (sc.case is None) == (sc.request is None):
            issues.append(
                PackIssue(
                    name, lines.get(loc), _format_path(loc), "give exactly one of case, request"
                )
            )
        elif sc.case is not None and sc.case not in cases:
            issues += _check_refs(
                name, lines, iter([((*loc, "case"), sc.case)]), set(cases), "case"
            )
    return issues


def _federal_issues(fed: FederalRules, file: Path, lines: Mapping[Loc, int]) -> list[PackIssue]:
    name = str(file)
    known_notes = {u.id for u in fed.unconfirmed}
    known_obligations = {o.id for o in fed.obligations}
    issues = _duplicates(
        name, lines, ((("overlays", i, "id"), o.id) for i, o in enumerate(fed.overlays))
    )
    for oi, ov in enumerate(fed.overlays):
        issues += _check_refs(
            name,
            lines,
            ((("overlays", oi, "unconfirmed", i), r) for i, r in enumerate(ov.unconfirmed)),
            known_notes,
            "unconfirmed note",
        )
        issues += _check_refs(
            name,
            lines,
            ((("overlays", oi, "obligations", i), r) for i, r in enumerate(ov.obligations)),
            known_obligations,
            "obligation",
        )
    return issues


# --------------------------------------------------------------------------- loading


def load_federal(file: Path | None = None) -> FederalRules:
    """Load and check ``federal.yaml`` (or another file of the same shape)."""
    path = FEDERAL_FILE if file is None else file
    if file is None:
        return _default_federal()
    fed, lines = _validate(FederalRules, path)
    issues = _federal_issues(fed, path, lines)
    if issues:
        raise PackError(issues)
    return fed


@cache
def _default_federal() -> FederalRules:
    fed, lines = _validate(FederalRules, FEDERAL_FILE)
    issues = _federal_issues(fed, FEDERAL_FILE, lines)
    if issues:
        raise PackError(issues)
    return fed


def load_cases(directory: Path) -> dict[str, Request]:
    """All shared scenario requests under ``directory``, keyed ``'<set>/<case>'``."""
    out: dict[str, Request] = {}
    if not directory.is_dir():
        return out
    for file in sorted(directory.glob("*.yaml")):
        case_set, lines = _validate(CaseSet, file)
        issues: list[PackIssue] = []
        if case_set.id != file.stem:
            issues.append(
                PackIssue(str(file), lines.get(("id",)), "id", f"must equal {file.stem!r}")
            )
        issues += _duplicates(
            str(file), lines, ((("cases", i, "id"), c.id) for i, c in enumerate(case_set.cases))
        )
        if issues:
            raise PackError(issues)
        for case in case_set.cases:
            out[f"{case_set.id}/{case.id}"] = case.request
    return out


def load_pack(
    file: Path,
    *,
    federal: FederalRules | None = None,
    cases: Mapping[str, Request] | None = None,
) -> Pack:
    """Load, validate and check one pack file.

    Raises ``PackError`` whose issues name the file, the line and the field.
    """
    fed = federal if federal is not None else load_federal()
    case_map = dict(cases) if cases is not None else load_cases(file.parent / "cases")
    pack, lines = _validate(Pack, file)
    issues = _pack_issues(pack, file, lines, fed, case_map)
    if issues:
        raise PackError(issues)
    pack._source_file = str(file)
    pack._federal = fed
    pack._cases = {s.case: case_map[s.case] for s in pack.scenarios if s.case is not None}
    return pack


class PackRegistry:
    """The packs in one directory (``*.yaml``; shared cases in ``cases/``)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = PACKS_DIR if directory is None else Path(directory)
        self._packs: dict[str, Pack] = {}
        self._cases: dict[str, Request] | None = None

    def ids(self) -> list[str]:
        """The pack ids found (file stems), sorted; not yet validated."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.yaml"))

    def get(self, pack_id: str) -> Pack:
        """The pack with this id; ``PackNotFoundError`` or ``PackError`` otherwise."""
        if pack_id in self._packs:
            return self._packs[pack_id]
        known = self.ids()
        if pack_id not in known:
            raise PackNotFoundError(pack_id, known)
        if self._cases is None:
            self._cases = load_cases(self.directory / "cases")
        pack = load_pack(self.directory / f"{pack_id}.yaml", cases=self._cases)
        self._packs[pack_id] = pack
        return pack

    def all(self) -> list[Pack]:
        """Every pack, loaded; the first invalid one raises ``PackError``."""
        return [self.get(i) for i in self.ids()]


@cache
def default_registry() -> PackRegistry:
    """The registry of the packs shipped with Resguardo."""
    return PackRegistry()


def get_pack(pack_id: str) -> Pack:
    """A shipped pack by id (cached)."""
    return default_registry().get(pack_id)
