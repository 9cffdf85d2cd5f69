"""The request a public agency received, as the decision engine sees it.

A ``Request`` says who asks (and on whose behalf), why, with which legal process, about how
many people, from which record system and for which categories of sensitive personal
information. It is the boundary between request inference (reading an email) and policy
(applying a pack), so it is strict: unknown fields and unknown category ids are rejected.
Values that inference cannot settle have an explicit ``unknown`` so that the engine can fail
closed instead of guessing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from resguardo.taxonomy import CATEGORY_IDS, is_category

__all__ = [
    "AgencyKind",
    "CategoryId",
    "LegalProcess",
    "ProcessKind",
    "Purpose",
    "RecordSystem",
    "Request",
    "Requester",
    "Scope",
]


class AgencyKind(StrEnum):
    """What kind of body the requester is (or relays for)."""

    FEDERAL_IMMIGRATION = "federal_immigration"
    FEDERAL_LAW_ENFORCEMENT = "federal_law_enforcement"
    FEDERAL_STATISTICAL = "federal_statistical"
    FEDERAL_OTHER = "federal_other"
    STATE_LAW_ENFORCEMENT = "state_law_enforcement"
    LOCAL_LAW_ENFORCEMENT = "local_law_enforcement"
    COURT = "court"
    STATE_AGENCY = "state_agency"
    PRIVATE = "private"
    UNKNOWN = "unknown"


class Purpose(StrEnum):
    """The purpose the requester states. Vague phrases ("under federal investigation",
    "violation of federal law") are ``unknown``: they state no purpose a rule can test."""

    IMMIGRATION_ENFORCEMENT = "immigration_enforcement"
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    CIVIL_ENFORCEMENT = "civil_enforcement"
    STATISTICAL = "statistical"
    HEALTH_OR_SAFETY_EMERGENCY = "health_or_safety_emergency"
    AGENCY_FUNCTION = "agency_function"
    UNKNOWN = "unknown"


class ProcessKind(StrEnum):
    """The kind of legal process a document is (NOTES section 10)."""

    JUDICIAL_WARRANT = "judicial_warrant"
    COURT_ORDER = "court_order"
    GRAND_JURY_SUBPOENA = "grand_jury_subpoena"
    COURT_SUBPOENA = "court_subpoena"
    ADMINISTRATIVE_SUBPOENA = "administrative_subpoena"
    ADMINISTRATIVE_WARRANT = "administrative_warrant"
    DETAINER = "detainer"
    WRITTEN_CONSENT = "written_consent"
    NONE = "none"
    UNKNOWN = "unknown"


class Scope(StrEnum):
    """How many people the request reaches."""

    INDIVIDUAL = "individual"
    """One named or otherwise identified person."""
    SEVERAL = "several"
    """A few people: a list of names, or everyone matching a narrow criterion such as an address."""
    BULK = "bulk"
    """A population extract or a recurring feed (every licence holder, every claimant)."""


class RecordSystem(StrEnum):
    """Which agency's records are asked for; packs attach different rules to each."""

    MOTOR_VEHICLES = "motor_vehicles"
    WORKFORCE = "workforce"
    HUMAN_SERVICES = "human_services"
    CORRECTIONS = "corrections"
    HEALTH = "health"
    OTHER = "other"


def _known_category(value: str) -> str:
    if not is_category(value):
        raise ValueError(f"unknown category {value!r}; known: {', '.join(CATEGORY_IDS)}")
    return value


CategoryId = Annotated[
    str,
    AfterValidator(_known_category),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(CATEGORY_IDS),
            "description": "A category id from LABELING.md.",
        }
    ),
]
"""A category id from LABELING.md (validated against the taxonomy data file)."""

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Requester(BaseModel):
    """Who sent the request."""

    model_config = _STRICT

    name: str | None = Field(default=None, description="The person who wrote, as signed.")
    agency: str | None = Field(default=None, description="The agency or firm, as written.")
    kind: AgencyKind = Field(
        default=AgencyKind.UNKNOWN, description="What kind of body the agency is."
    )


class LegalProcess(BaseModel):
    """One document the requester produced, already classified by kind."""

    model_config = _STRICT

    kind: ProcessKind = Field(description="The legal-process kind of the document.")
    document: str | None = Field(
        default=None, description="The document's title or file name, for the record."
    )
    signed_by: str | None = Field(
        default=None,
        description=(
            "The signer's title as printed, e.g. 'United States Magistrate Judge', "
            "'Clerk of Court', 'Authorized Immigration Officer'."
        ),
    )
    issuing_court: str | None = Field(
        default=None,
        description="The court named in the caption, e.g. 'United States District Court'.",
    )
    covers: list[CategoryId] | None = Field(
        default=None,
        description=(
            "Categories the document itself demands, when the reader could tell; null when "
            "not read. A process supports only the categories it covers."
        ),
    )


class Request(BaseModel):
    """A request for someone's information, as the receiving agency understood it."""

    model_config = _STRICT

    requester: Requester = Field(description="Who asks.")
    on_behalf_of: AgencyKind | None = Field(
        default=None,
        description=(
            "The kind of agency the requester relays for (a sheriff passing on ICE's request); "
            "null when the requester asks for itself."
        ),
    )
    purpose: Purpose = Field(default=Purpose.UNKNOWN, description="The stated purpose.")
    legal_process: list[LegalProcess] = Field(
        default_factory=list, description="The documents produced; empty when none."
    )
    scope: Scope = Field(description="How many people the request reaches.")
    record_system: RecordSystem = Field(description="Whose records are asked for.")
    categories: list[CategoryId] = Field(
        description="The categories the requester asks to receive (LABELING.md ids)."
    )
    written_consent: bool = Field(
        default=False,
        description="Whether the person the records describe consented in writing.",
    )
    federal_law_cited: str | None = Field(
        default=None,
        description="A federal statute the requester says requires disclosure, as cited.",
    )

    def to_dict(self) -> dict[str, Any]:
        """The request as JSON-ready data (the ``inferred_request`` of a decision)."""
        return self.model_dump(mode="json")
