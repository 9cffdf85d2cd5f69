"""Comparing packs over a standard matrix of requests (``resguardo policy diff``).

The matrix crosses every requester kind, stated purpose and legal-process kind with each
group of categories (identifiers, protected statuses, locating details) and each record
system: "what changes if New Mexico adopts Washington's rule" becomes a list of the cells
where the two packs decide differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from resguardo.policy.engine import Decision, decide
from resguardo.policy.pack import Pack
from resguardo.policy.request import (
    AgencyKind,
    LegalProcess,
    ProcessKind,
    Purpose,
    RecordSystem,
    Request,
    Requester,
    Scope,
)
from resguardo.taxonomy import Group, categories

__all__ = ["Cell", "Difference", "diff_packs", "standard_matrix", "summarize"]


@dataclass(frozen=True, slots=True)
class Cell:
    """One request of the matrix and the coordinates that produced it."""

    record_system: str
    requester_kind: str
    purpose: str
    process: str
    group: str
    request: Request


@dataclass(frozen=True, slots=True)
class Difference:
    """A cell where two packs decide differently."""

    cell: Cell
    a: Decision
    b: Decision

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary of the difference."""
        c = self.cell
        return {
            "record_system": c.record_system,
            "requester_kind": c.requester_kind,
            "purpose": c.purpose,
            "process": c.process,
            "group": c.group,
            "categories": list(c.request.categories),
            "a": {"outcome": str(self.a.outcome), "withheld": list(self.a.withheld)},
            "b": {"outcome": str(self.b.outcome), "withheld": list(self.b.withheld)},
        }


def _group_categories() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {str(g): [] for g in Group}
    for cat in categories().values():
        groups[str(cat.group)].append(cat.id)
    return groups


def standard_matrix(record_systems: Sequence[RecordSystem] | None = None) -> Iterator[Cell]:
    """Every requester kind x purpose x process kind x category group x record system.

    Requests are for one person, without consent beyond what a ``written_consent`` process
    carries, and with judicial documents whose signer is not given (so packs that test the
    signer see an unknown one).
    """
    systems = list(RecordSystem) if record_systems is None else list(record_systems)
    groups = _group_categories()
    for system in systems:
        for kind in AgencyKind:
            for purpose in Purpose:
                for process in ProcessKind:
                    docs = [] if process is ProcessKind.NONE else [LegalProcess(kind=process)]
                    for group, cats in groups.items():
                        yield Cell(
                            record_system=str(system),
                            requester_kind=str(kind),
                            purpose=str(purpose),
                            process=str(process),
                            group=group,
                            request=Request(
                                requester=Requester(kind=kind),
                                purpose=purpose,
                                legal_process=docs,
                                scope=Scope.INDIVIDUAL,
                                record_system=system,
                                categories=cats,
                            ),
                        )


def _same(a: Decision, b: Decision) -> bool:
    return a.outcome == b.outcome and a.withheld == b.withheld


def diff_packs(a: Pack, b: Pack, cells: Iterable[Cell] | None = None) -> list[Difference]:
    """The cells where ``a`` and ``b`` differ in outcome or in what they withhold."""
    out = []
    for cell in standard_matrix() if cells is None else cells:
        da, db = decide(cell.request, a), decide(cell.request, b)
        if not _same(da, db):
            out.append(Difference(cell, da, db))
    return out


def summarize(differences: Iterable[Difference]) -> Counter[tuple[str, str]]:
    """How many cells moved from each outcome under ``a`` to each outcome under ``b``."""
    return Counter((str(d.a.outcome), str(d.b.outcome)) for d in differences)
