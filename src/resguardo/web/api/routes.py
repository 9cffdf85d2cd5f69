"""``/api/v1`` endpoints. Answers are built as plain JSON (``JSONResponse``) and documented
with response models in the OpenAPI document, so the hot path (``POST /decisions``) does
not validate its own output twice."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi import Request as HttpRequest
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from resguardo.audit.chain import format_timestamp
from resguardo.audit.log import AuditError
from resguardo.audit.log import Event as AuditEventIn
from resguardo.detect import Finding
from resguardo.extract import DEFAULT_LIMITS, Document, ExtractError
from resguardo.extract._base import Context
from resguardo.extract.dispatch import extract_bytes
from resguardo.intake import infer_request
from resguardo.policy import RecordSystem
from resguardo.policy import Request as PolicyRequest
from resguardo.store.cases import Case, CaseSource, CaseStatus
from resguardo.store.models import AuditEvent, Scope
from resguardo.taxonomy import CATEGORY_IDS, is_category
from resguardo.web import services
from resguardo.web.api.auth import api_principal, need
from resguardo.web.audit import audit_query
from resguardo.web.deps import MAX_ID, Principal, WebError, app_ctx, request_lang
from resguardo.web.services import Upload

__all__ = ["router"]

router = APIRouter(tags=["api"])
log = logging.getLogger("resguardo.web")

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="The request's id.")]


# --------------------------------------------------------------------------- models


class ErrorDetail(BaseModel):
    """What went wrong: ``code`` is stable, ``message`` is for people."""

    code: str
    message: str


class ErrorOut(BaseModel):
    """Every error answer."""

    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (400, "Bad request"),
        (401, "No or invalid credentials"),
        (403, "Not allowed (role, scope or CSRF)"),
        (404, "Not found, or not visible to the caller"),
        (409, "Conflict with the request's state"),
        (413, "Body larger than the limit"),
        (415, "Unsupported media type"),
        (422, "Invalid body or parameters"),
        (503, "The audit log could not be written; nothing was done"),
    )
}


class EmailInput(BaseModel):
    """A request given as the raw email (RFC 5322 text) it came in."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, description="The raw message, headers and body.")
    record_system: RecordSystem | None = Field(
        default=None,
        description="Whose records are asked for, when the recipient does not show it.",
    )


class CategoryVerdict(BaseModel):
    """The verdict on one category."""

    verdict: Literal["release", "withhold"]
    rule: str
    citation: str


class DecisionOut(BaseModel):
    """The decision contract of ``resguardo check --format json``."""

    outcome: Literal["release", "release_redacted", "deny", "escalate"]
    pack: str
    pack_version: str
    categories: dict[str, CategoryVerdict]
    obligations: list[str]
    explanation: dict[str, str]
    reply: dict[str, str]
    inferred_request: dict[str, Any]


class ScanText(BaseModel):
    """Text to scan."""

    model_config = ConfigDict(extra="forbid")

    text: str
    categories: list[str] | None = Field(default=None, description="Only these category ids.")
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)


class FindingOut(BaseModel):
    """One finding, as in ``scan --format jsonl``."""

    category: str
    start: int
    end: int
    text: str
    confidence: float
    detector: str
    evidence: list[str]


class ScanRecord(BaseModel):
    """One document's findings, the ``scan --format jsonl`` record."""

    source: str
    part: str | None
    text_length: int
    categories: list[str]
    findings: list[FindingOut]


class ScanError(BaseModel):
    """A part of the file that could not be read."""

    source: str
    part: str | None
    reason: str


class ScanOut(BaseModel):
    """Findings per document, and what could not be read."""

    documents: list[ScanRecord]
    errors: list[ScanError]


class LegalDocumentIn(BaseModel):
    """A legal document that came with a request, as text (it is classified)."""

    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=1, max_length=255)
    text: str = Field(min_length=1)


class NewRequest(BaseModel):
    """A request to log and decide: the request itself, or the email it came in."""

    model_config = ConfigDict(extra="forbid")

    request: PolicyRequest | None = None
    email: str | None = Field(default=None, min_length=1)
    record_system: RecordSystem | None = None
    legal_documents: list[LegalDocumentIn] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _one_of(self) -> NewRequest:
        if (self.request is None) == (self.email is None):
            raise ValueError("give exactly one of 'request' or 'email'")
        return self


class ReviewIn(BaseModel):
    """A reviewer's decision."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["release", "release_redacted", "deny"]
    release_categories: list[str] = Field(default_factory=list, max_length=50)
    reason: str = Field(min_length=1, max_length=services.MAX_REASON)


class CaseOut(BaseModel):
    """A logged request and where it stands (the detail adds request, decision, reviews,
    releases and documents)."""

    model_config = ConfigDict(extra="allow")

    id: int
    status: Literal["draft", "decided", "in_review", "reviewed"]
    source: str
    created_at: str | None
    created_by: str
    requester: dict[str, Any]
    record_system: str | None
    outcome: str | None
    final_outcome: str | None
    released_categories: list[str]


class CaseListOut(BaseModel):
    """A page of requests, newest first."""

    requests: list[CaseOut]


class AuditEventOut(BaseModel):
    """One audit entry with both hashes (an export record)."""

    seq: int
    ts: str
    actor: str
    action: str
    object_type: str | None
    object_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditEventsOut(BaseModel):
    """A page of the audit log in ``seq`` order."""

    events: list[AuditEventOut]
    next_after_seq: int | None


# --------------------------------------------------------------------------- decisions


# How long a decision waits for its audit entry to be written before failing with 503.
AUDIT_WAIT_SECONDS = 10.0


def _clean(value: str) -> str:
    # PostgreSQL stores no NUL characters; they carry no meaning in a request anyway.
    return value.replace("\x00", "")


def _request_from_email(body: EmailInput) -> PolicyRequest:
    message = services.read_message(None, _clean(body.email))
    if message is None or not message.has_content():
        raise WebError(400, "email_unreadable")
    try:
        return infer_request(message, record_system=body.record_system).request
    except Exception as exc:  # fail closed: no inference, no decision
        raise WebError(422, "inference_failed") from exc


@router.post(
    "/decisions",
    response_model=None,
    responses={200: {"model": DecisionOut, "description": "The decision"}, **_ERRORS},
    summary="Decide a request (stateless)",
)
async def post_decision(
    body: PolicyRequest | EmailInput,
    *,
    request: HttpRequest,
    principal: Annotated[Principal, Depends(need(Scope.DECISIONS))],
) -> JSONResponse:
    """Decide a request under the server's pack and return the ``resguardo check`` JSON.

    The body is a request (the ``Request`` schema) or ``{"email": "<raw message>"}``, from
    which the request is read first. Nothing is stored but an audit entry (unless the
    server is configured not to log checks).
    """
    ctx = app_ctx(request)
    if isinstance(body, EmailInput):
        the_request = await run_in_threadpool(_request_from_email, body)
    else:
        the_request = body
    # Async and inline: a decision is a few microseconds of pure work (the engine memoizes
    # request shapes), less than a trip through the thread pool.
    result = services.decide_stateless(the_request, ctx.pack)
    if ctx.settings.audit_api_checks:
        event = AuditEventIn.checked(
            actor=principal.actor.label,
            action="decision.check",
            object_type="pack",
            object_id=ctx.pack.id,
            details={
                "outcome": result["outcome"],
                "pack_version": result["pack_version"],
                "requester_kind": the_request.requester.kind.value,
                "record_system": the_request.record_system.value,
                "verdicts": {c: v["verdict"] for c, v in result["categories"].items()},
                "from_email": isinstance(body, EmailInput),
            },
        )
        # Fail closed: the decision is only answered once its entry is durable.
        try:
            await asyncio.wait_for(
                asyncio.wrap_future(ctx.audit_writer.submit(event)), AUDIT_WAIT_SECONDS
            )
        except (AuditError, TimeoutError) as exc:
            log.error("decision not answered: its audit entry was not written: %r", exc)
            raise WebError(503, "audit_unavailable") from exc
    return JSONResponse(result)


# --------------------------------------------------------------------------- scan


def _record(doc: Document, findings: list[Finding]) -> dict[str, Any]:
    return {
        "source": doc.source,
        "part": doc.part,
        "text_length": len(doc.text),
        "categories": sorted({f.category for f in findings}),
        "findings": [f.to_dict() for f in findings],
    }


def _categories(values: list[str] | None) -> frozenset[str] | None:
    if not values:
        return None
    unknown = sorted(v for v in values if not is_category(v))
    if unknown:
        raise WebError(422, "unknown_category", known=", ".join(CATEGORY_IDS))
    return frozenset(values)


_SCAN_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ScanText.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "categories": {"type": "string", "description": "comma-separated ids"},
                        "min_confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                }
            },
        },
    }
}


@router.post(
    "/scan",
    response_model=None,
    responses={200: {"model": ScanOut, "description": "Findings"}, **_ERRORS},
    openapi_extra=_SCAN_BODY,
    summary="Find sensitive personal information in text or a file",
)
async def post_scan(
    request: HttpRequest, *, principal: Annotated[Principal, Depends(need(Scope.SCAN))]
) -> JSONResponse:
    """Scan JSON ``{"text": ...}`` or an uploaded file (multipart field ``file``); the
    answer has one ``scan --format jsonl`` record per document read."""
    ctype = request.headers.get("content-type", "").lower()
    documents: list[Document] = []
    errors: list[dict[str, Any]] = []
    if ctype.startswith("application/json"):
        try:
            body = ScanText.model_validate_json(await request.body())
        except ValidationError as exc:
            raise WebError(422, "invalid_request") from exc
        wanted = _categories(body.categories)
        min_conf = body.min_confidence
        documents.append(Document(source="text", part=None, text=body.text))
    elif ctype.startswith("multipart/form-data"):
        form = await request.form()
        item = form.get("file")
        if not isinstance(item, UploadFile):
            raise WebError(422, "invalid_request")
        data = await item.read()
        raw_cats = str(form.get("categories", "") or "")
        wanted = _categories([c.strip() for c in raw_cats.split(",") if c.strip()])
        try:
            min_conf = float(str(form.get("min_confidence", "0") or "0"))
        except ValueError:
            raise WebError(422, "invalid_request") from None
        if not 0.0 <= min_conf <= 1.0:
            raise WebError(422, "invalid_request")
        name = (item.filename or "upload")[:255]

        def extract() -> None:
            ctx = Context.top(name, DEFAULT_LIMITS)
            try:
                for got in extract_bytes(data, ctx, filename=name, content_type=item.content_type):
                    if isinstance(got, Document):
                        documents.append(got)
                    elif isinstance(got, ExtractError):
                        errors.append(
                            {"source": got.source, "part": got.part, "reason": got.reason}
                        )
            except Exception as exc:  # a reader failure is an error entry, not a 500
                errors.append({"source": name, "part": None, "reason": type(exc).__name__})

        await run_in_threadpool(extract)
    else:
        raise WebError(415, "unsupported_media_type")
    ctx = app_ctx(request)

    def scan_all() -> list[dict[str, Any]]:
        scanner = ctx.scanner()
        return [
            _record(d, scanner.scan(d.text, categories=wanted, min_confidence=min_conf))
            for d in documents
        ]

    records = await run_in_threadpool(scan_all)
    return JSONResponse({"documents": records, "errors": errors})


# --------------------------------------------------------------------------- requests


@router.post(
    "/requests",
    response_model=None,
    status_code=201,
    responses={201: {"model": CaseOut, "description": "Logged and decided"}, **_ERRORS},
    summary="Log a request and decide it",
)
def post_request(
    body: NewRequest,
    *,
    request: HttpRequest,
    principal: Annotated[Principal, Depends(need(Scope.REQUESTS_WRITE))],
) -> JSONResponse:
    """Log a request (as JSON, or as the raw email it came in) and decide it under the
    server's pack. A request the pack leaves open waits for central review."""
    ctx = app_ctx(request)
    legal = [
        Upload(d.filename, "text/plain", _clean(d.text).encode("utf-8"))
        for d in body.legal_documents
    ]
    lang = request_lang(request)
    with ctx.store.transaction() as db:
        case = services.create_case(
            db,
            principal,
            source=CaseSource.API,
            email=None,
            pasted=_clean(body.email or ""),
            legal_documents=legal,
            lang=lang,
        )
        if body.request is not None:
            confirmed = services.clean_request(body.request)
        else:
            data = (case.inference or {}).get("request")
            if not isinstance(data, dict):
                raise WebError(422, "inference_failed")
            confirmed = PolicyRequest.model_validate(data)
        if body.record_system is not None:
            confirmed = confirmed.model_copy(update={"record_system": body.record_system})
        services.confirm_case(
            db, principal, case, confirmed, ctx.pack, trust_fields=body.request is not None
        )
        out = services.case_summary(db, case, detail=True)
    return JSONResponse(out, status_code=201, headers={"Location": f"/api/v1/requests/{out['id']}"})


@router.get(
    "/requests",
    response_model=None,
    responses={200: {"model": CaseListOut, "description": "Requests"}, **_ERRORS},
    summary="List the requests the caller may see",
)
def list_requests(
    request: HttpRequest,
    *,
    status: Literal["draft", "decided", "in_review", "reviewed"] | None = None,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=1_000_000),
    principal: Annotated[Principal, Depends(need(Scope.REQUESTS_READ))],
) -> JSONResponse:
    """Newest first: a clerk's or token's own requests; all of them for reviewers and
    auditors."""
    stmt = services.visible_cases(principal)
    if status is not None:
        stmt = stmt.where(Case.status == CaseStatus(status))
    stmt = stmt.order_by(Case.id.desc()).offset(offset).limit(limit)
    with app_ctx(request).store.read_session() as db:
        rows = [services.case_summary(db, c) for c in db.scalars(stmt)]
    return JSONResponse({"requests": rows})


@router.get(
    "/requests/{case_id}",
    response_model=None,
    responses={200: {"model": CaseOut, "description": "The request"}, **_ERRORS},
    summary="One request, with its decision, reviews and releases",
)
def get_request(
    case_id: CaseId,
    *,
    request: HttpRequest,
    principal: Annotated[Principal, Depends(need(Scope.REQUESTS_READ))],
) -> JSONResponse:
    """404 when the request does not exist or the caller may not see it."""
    with app_ctx(request).store.read_session() as db:
        case = services.get_visible_case(db, principal, case_id)
        out = services.case_summary(db, case, detail=True)
    return JSONResponse(out)


@router.post(
    "/requests/{case_id}/review",
    response_model=None,
    responses={200: {"model": CaseOut, "description": "Reviewed"}, **_ERRORS},
    summary="Decide a request waiting for central review (reviewers only)",
)
def post_review(
    case_id: CaseId,
    *,
    body: ReviewIn,
    request: HttpRequest,
    principal: Annotated[Principal, Depends(api_principal)],
) -> JSONResponse:
    """Release, release part (``release_categories``), or deny, with a reason. Needs a
    reviewer's session: API tokens cannot decide reviews."""
    ctx = app_ctx(request)
    if principal.role is None or Scope.REQUESTS_READ not in principal.scopes:
        raise WebError(403, "forbidden")
    with ctx.store.transaction() as db:
        case = services.get_visible_case(db, principal, case_id)
        services.review_case(
            db,
            principal,
            case,
            outcome=body.outcome,
            release_categories=body.release_categories,
            reason=_clean(body.reason),
        )
        out = services.case_summary(db, case, detail=True)
    return JSONResponse(out)


@router.get(
    "/reviews",
    response_model=None,
    responses={200: {"model": CaseListOut, "description": "Waiting for review"}, **_ERRORS},
    summary="The central review queue (reviewers and auditors)",
)
def list_reviews(
    request: HttpRequest,
    *,
    agency: str = Query(default="", max_length=200),
    requester: str = Query(default="", max_length=200),
    record_system: RecordSystem | None = None,
    min_age_hours: int = Query(default=0, ge=0, le=24 * 3650),
    principal: Annotated[Principal, Depends(api_principal)],
) -> JSONResponse:
    """Requests waiting for review, longest waiting first."""
    filters = services.QueueFilters(
        agency=_clean(agency),
        requester=_clean(requester),
        record_system=record_system.value if record_system else "",
        min_age_hours=min_age_hours,
    )
    with app_ctx(request).store.read_session() as db:
        rows = [services.case_summary(db, c) for c in services.review_queue(db, principal, filters)]
    return JSONResponse({"requests": rows})


# --------------------------------------------------------------------------- audit


@router.get(
    "/audit/events",
    response_model=None,
    responses={200: {"model": AuditEventsOut, "description": "Entries"}, **_ERRORS},
    summary="Read the audit log",
)
def list_audit_events(
    request: HttpRequest,
    *,
    after_seq: int = Query(default=0, ge=0, le=2**62),
    limit: int = Query(default=100, ge=1, le=1000),
    action: str = Query(default="", max_length=100),
    actor: str = Query(default="", max_length=200),
    object_type: str = Query(default="", max_length=100),
    object_id: str = Query(default="", max_length=200),
    principal: Annotated[Principal, Depends(need(Scope.AUDIT_READ))],
) -> JSONResponse:
    """Entries after ``after_seq`` in order, with both hashes so a reader can check the
    chain; page with ``next_after_seq``."""
    stmt = audit_query(
        action=_clean(action),
        actor=_clean(actor),
        object_type=_clean(object_type),
        object_id=_clean(object_id),
        after_seq=after_seq,
    )
    with app_ctx(request).store.read_session() as db:
        rows = list(db.scalars(stmt.order_by(AuditEvent.seq).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    events = [
        {
            "seq": e.seq,
            "ts": format_timestamp(e.occurred_at),
            "actor": e.actor,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "details": e.details,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in rows
    ]
    return JSONResponse(
        {"events": events, "next_after_seq": rows[-1].seq if more and rows else None}
    )
