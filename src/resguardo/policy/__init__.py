"""Policy: who may receive which sensitive personal information, under which law.

``Request`` (what was asked) + ``Pack`` (one jurisdiction's rules as data) →
``decide()`` → ``Decision`` (outcome, verdict per category, obligations, explanation).
"""

from resguardo.policy.engine import CategoryDecision, Decision, ObligationDue, Rule, decide
from resguardo.policy.pack import (
    Outcome,
    Pack,
    PackError,
    PackNotFoundError,
    PackRegistry,
    default_registry,
    get_pack,
    load_pack,
)
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

__all__ = [
    "AgencyKind",
    "CategoryDecision",
    "Decision",
    "LegalProcess",
    "ObligationDue",
    "Outcome",
    "Pack",
    "PackError",
    "PackNotFoundError",
    "PackRegistry",
    "ProcessKind",
    "Purpose",
    "RecordSystem",
    "Request",
    "Requester",
    "Rule",
    "Scope",
    "decide",
    "default_registry",
    "get_pack",
    "load_pack",
]
