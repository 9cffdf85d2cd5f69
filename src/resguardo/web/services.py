"""What the review service does with cases, shared by the pages and the API.

Each function takes the caller's database session and a :class:`~resguardo.web.deps.Principal`
and checks, itself, that the principal may do what is asked: a router that forgets a check
still cannot let a clerk decide a review. Each change writes its audit event with
:func:`~resguardo.audit.log.append_event` in the same session, as the last step, so the
event and the change commit (or roll back) together.

Fail closed, everywhere: an email that cannot be read yields no inference (the clerk fills
the form); an inference error yields none either; a clerk's correction that would release
what the request as read would not goes to central review; a redaction that fails stores
and releases nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from resguardo.audit.log import Action, append_event
from resguardo.detect import Finding, Scanner
from resguardo.intake import (
    Attachment,
    BodyPart,
    Inference,
    MessageError,
    ParsedMessage,
    infer_request,
    parse_email_bytes,
    parse_msg_bytes,
)
from resguardo.intake.message import attachment_text
from resguardo.legal import classify_process
from resguardo.policy import Decision, Pack, ProcessKind, Request, decide
from resguardo.redact import RedactionStyle, redact_bytes
from resguardo.store.cases import (
    Assignment,
    Case,
    CaseDecision,
    CaseDocument,
    CaseSource,
    CaseStatus,
    DecisionSource,
    DocumentKind,
    ReleasedFile,
    Review,
)
from resguardo.store.models import Role, Scope, User
from resguardo.store.types import utcnow
from resguardo.web.deps import Principal, WebError
from resguardo.web.explain import public, stored_classification, stored_inference

__all__ = [
    "CONTRACT_KEYS",
    "RELEASING_OUTCOMES",
    "REVIEW_OUTCOMES",
    "QueueFilters",
    "Upload",
    "assign_case",
    "can_download",
    "can_release",
    "case_summary",
    "clean_request",
    "confirm_case",
    "contract",
    "create_case",
    "decide_stateless",
    "decision_record",
    "download_release",
    "get_visible_case",
    "message_text",
    "read_message",
    "redact_records",
    "release_records",
    "review_case",
    "review_queue",
    "visible_cases",
]

CONTRACT_KEYS = (
    "outcome",
    "pack",
    "pack_version",
    "categories",
    "obligations",
    "explanation",
    "reply",
    "inferred_request",
)
RELEASING_OUTCOMES = frozenset({"release", "release_redacted"})
REVIEW_OUTCOMES = ("release", "release_redacted", "deny")
RECORD_SUFFIXES = (".csv", ".xlsx")
MAX_REASON = 5000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Legal process that could let information out: a kind the clerk sets that no document
# was read as must be checked by a person.
_PERMITTING = frozenset(
    {
        ProcessKind.JUDICIAL_WARRANT,
        ProcessKind.COURT_ORDER,
        ProcessKind.GRAND_JURY_SUBPOENA,
        ProcessKind.COURT_SUBPOENA,
        ProcessKind.WRITTEN_CONSENT,
    }
)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file received from a form or the API."""

    filename: str | None
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the bytes."""
        return hashlib.sha256(self.data).hexdigest()


# --------------------------------------------------------------------------- reading email


def read_message(upload: Upload | None, pasted: str = "") -> ParsedMessage | None:
    """The message in an uploaded ``.eml``/``.msg`` or in pasted text (None if neither).

    Pasted text with no header lines is taken as the body alone (clerks often copy only
    the text). Raises ``WebError(400, "email_unreadable")`` for a file that is not a
    message.
    """
    try:
        if upload is not None and upload.data:
            name = (upload.filename or "").lower()
            if name.endswith(".msg") or upload.data.startswith(_OLE_MAGIC):
                return parse_msg_bytes(upload.data)
            return parse_email_bytes(upload.data)
        text = pasted.replace("\r\n", "\n").strip()
        if not text:
            return None
        try:
            message = parse_email_bytes(text.encode("utf-8"))
            if message.from_ is not None or message.subject:
                return message
        except MessageError:
            pass
        return ParsedMessage(bodies=(BodyPart("text/plain", text),))
    except MessageError as exc:
        raise WebError(400, "email_unreadable") from exc
    except Exception as exc:  # a parser failure nobody foresaw: no inference, no decision
        raise WebError(400, "email_unreadable") from exc


def message_text(message: ParsedMessage) -> str:
    """The message as plain text for people to read: headers, body, attachment names."""
    lines = []
    for label, boxes in (("From", message.sender), ("To", message.to), ("Cc", message.cc)):
        if boxes:
            lines.append(f"{label}: " + ", ".join(str(b) for b in boxes))
    if message.subject:
        lines.append(f"Subject: {message.subject}")
    if message.date:
        lines.append(f"Date: {message.date}")
    lines.append("")
    lines.append(message.body)
    for att in message.attachments:
        lines.append(f"\n[attachment: {att.label} ({att.content_type})]")
        if att.message is not None:
            lines.append(message_text(att.message))
    return "\n".join(lines)


def _legal_attachment(upload: Upload) -> tuple[Attachment, dict[str, Any] | None]:
    text, problem = attachment_text(upload.data, upload.filename, upload.content_type)
    name = upload.filename or "document"
    att = Attachment(name=name, content_type=upload.content_type, text=text, problem=problem)
    # Stored with its sentences structured, so the case page can show them in Spanish.
    classification = (
        stored_classification(classify_process(text)) if text and text.strip() else None
    )
    return att, classification


def _infer(message: ParsedMessage | None, legal: Sequence[Attachment]) -> Inference | None:
    if message is None and not legal:
        return None
    base = message or ParsedMessage()
    if legal:
        # The documents the clerk uploaded are read exactly as if attached to the email.
        base = replace(base, attachments=base.attachments + tuple(legal))
    try:
        return infer_request(base)
    except Exception:  # fail closed: no pre-filled form, the clerk reads the email
        return None


# --------------------------------------------------------------------------- visibility


def _may_read_cases(principal: Principal) -> bool:
    return Scope.REQUESTS_READ in principal.scopes


def _sees_all(principal: Principal) -> bool:
    return principal.user is not None and principal.user.role in (Role.REVIEWER, Role.AUDITOR)


def visible_cases(principal: Principal) -> Select[Case]:
    """The cases ``principal`` may see: a clerk (or token) its own, reviewers and auditors
    all, administrators none (they manage accounts, not cases)."""
    stmt = select(Case)
    if not _may_read_cases(principal):
        return stmt.where(Case.id.is_(None))
    if _sees_all(principal):
        return stmt
    if principal.token is not None:
        return stmt.where(Case.created_by_token_id == principal.token.id)
    if principal.user is not None and principal.user.role is Role.CLERK:
        return stmt.where(Case.created_by_user_id == principal.user.id)
    return stmt.where(Case.id.is_(None))


def get_visible_case(db: Session, principal: Principal, case_id: int) -> Case:
    """The case, if ``principal`` may see it; otherwise 404, whether or not it exists, so
    guessing ids tells nothing."""
    case = db.scalars(visible_cases(principal).where(Case.id == case_id)).one_or_none()
    if case is None:
        raise WebError(404, "not_found")
    return case


def _owns(principal: Principal, case: Case) -> bool:
    if principal.token is not None:
        return case.created_by_token_id == principal.token.id
    return principal.user is not None and case.created_by_user_id == principal.user.id


def can_release(principal: Principal, case: Case) -> bool:
    """May ``principal`` upload records to release on ``case``: a reviewer on a case whose
    final decision releases something, or the clerk who logged a case the pack itself
    decided to release (in part)."""
    if case.final_outcome not in RELEASING_OUTCOMES or not case.released_categories:
        return False
    if principal.user is None:
        return False
    if principal.user.role is Role.REVIEWER:
        return True
    return (
        principal.user.role is Role.CLERK
        and case.status is CaseStatus.DECIDED
        and _owns(principal, case)
    )


def can_download(principal: Principal, case: Case) -> bool:
    """May ``principal`` download released (redacted) records of a case it can see."""
    if principal.user is None:
        return False
    if principal.user.role in (Role.REVIEWER, Role.AUDITOR):
        return True
    return principal.user.role is Role.CLERK and _owns(principal, case)


# --------------------------------------------------------------------------- intake


def _document(
    case: Case,
    kind: DocumentKind,
    upload: Upload,
    *,
    text: str | None,
    classification: dict[str, Any] | None,
    actor: str,
) -> CaseDocument:
    return CaseDocument(
        case_id=case.id,
        kind=kind,
        filename=_cut(upload.filename, 255),
        content_type=(upload.content_type or "application/octet-stream")[:200],
        size=len(upload.data),
        sha256=upload.sha256,
        content=upload.data,
        text=text.replace("\x00", "") if text is not None else None,
        classification=_strip_nul(classification),
        uploaded_by=actor,
    )


def _cut(value: str | None, n: int) -> str | None:
    # PostgreSQL stores no NUL characters in text; they mean nothing in these fields.
    return value.replace("\x00", "")[:n] or None if value else None


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_nul(v) for k, v in value.items()}
    return value


def clean_request(request: Request) -> Request:
    """``request`` without NUL characters (which PostgreSQL cannot store)."""
    data = request.to_dict()
    cleaned = _strip_nul(data)
    return request if cleaned == data else Request.model_validate(cleaned)


def create_case(
    db: Session,
    principal: Principal,
    *,
    source: CaseSource,
    email: Upload | None,
    pasted: str,
    legal_documents: Sequence[Upload],
    lang: str,
) -> Case:
    """Log a request: store the email and documents, read the request from them.

    The case starts as a draft: nothing is decided until the request is confirmed.
    """
    if Scope.REQUESTS_WRITE not in principal.scopes:
        raise WebError(403, "forbidden")
    message = read_message(email, pasted)
    legal = [(u, *_legal_attachment(u)) for u in legal_documents if u.data]
    inference = _infer(message, [att for _, att, _ in legal])
    req = inference.request if inference is not None else None
    sender = message.from_ if message is not None else None
    case = Case(
        status=CaseStatus.DRAFT,
        source=source,
        created_by=principal.actor.label,
        created_by_user_id=principal.user.id if principal.user is not None else None,
        created_by_token_id=principal.token.id if principal.token is not None else None,
        subject=(_cut(message.subject, 500) if message is not None else None) or "",
        requester_name=_cut(req.requester.name if req else None, 300),
        requester_agency=_cut(req.requester.agency if req else None, 300),
        requester_address=_cut(sender.address if sender else None, 320),
        requester_kind=req.requester.kind.value if req else None,
        record_system=req.record_system.value if req else None,
        lang=lang,
        inference=_strip_nul(stored_inference(inference)) if inference is not None else None,
    )
    db.add(case)
    db.flush()
    documents: list[dict[str, Any]] = []
    if message is not None:
        raw = email if email is not None and email.data else None
        upload = raw or Upload("pasted.txt", "text/plain", pasted.encode("utf-8"))
        db.add(
            _document(
                case,
                DocumentKind.EMAIL,
                upload,
                text=message_text(message),
                classification=None,
                actor=principal.actor.label,
            )
        )
        documents.append({"kind": "email", "sha256": upload.sha256, "size": len(upload.data)})
    for upload, att, classification in legal:
        db.add(
            _document(
                case,
                DocumentKind.LEGAL_DOCUMENT,
                upload,
                text=att.text,
                classification=classification,
                actor=principal.actor.label,
            )
        )
        documents.append(
            {
                "kind": "legal_document",
                "sha256": upload.sha256,
                "size": len(upload.data),
                "classified_as": str(classification["kind"]) if classification else "unread",
            }
        )
    db.flush()
    append_event(
        db,
        actor=principal.actor.label,
        action=Action.REQUEST_CREATE,
        object_type="case",
        object_id=case.id,
        details={
            "source": source.value,
            "requester_kind": case.requester_kind,
            "requester_agency": case.requester_agency,
            "record_system": case.record_system,
            "inferred": inference is not None,
            "documents": documents,
        },
    )
    return case


def _inferred_request(case: Case) -> Request | None:
    data = (case.inference or {}).get("request")
    if not isinstance(data, dict):
        return None
    try:
        return Request.model_validate(data)
    except Exception:
        return None


def decision_record(decision: Decision) -> dict[str, Any]:
    """The decision as stored: the ``resguardo check`` contract plus the finer detail the
    pages show (held for review versus withheld; obligation texts)."""
    record = decision.to_dict()
    record["detail"] = {
        "categories": {c: d.decision for c, d in decision.categories.items()},
        "obligations": [
            {
                "id": o.id,
                "en": o.en.strip(),
                "es": o.es.strip(),
                "citation": o.citation,
                "within_days": o.within_days,
            }
            for o in decision.obligations
        ],
    }
    return record


def contract(record: Mapping[str, Any]) -> dict[str, Any]:
    """The ``resguardo check`` JSON contract out of a stored decision record."""
    return {k: record[k] for k in CONTRACT_KEYS if k in record}


def _review_reason(
    request: Request,
    decision: Decision,
    inferred: Request | None,
    pack: Pack,
    *,
    compare: bool = True,
) -> str | None:
    """Why a decision that would release must first go to central review, if it must.

    A clerk may correct what was read from the email, but a correction must never be the
    thing that lets information out: a legal process that could release (or written
    consent) that no document was read as, or any category the request as read would have
    withheld, sends the case to a person who checks the documents.
    """
    if str(decision.outcome) not in RELEASING_OUTCOMES:
        return None
    read_kinds = {lp.kind for lp in inferred.legal_process} if inferred is not None else set()
    unbacked = [
        lp for lp in request.legal_process if lp.kind in _PERMITTING and lp.kind not in read_kinds
    ]
    consent_claimed = request.written_consent and not (
        inferred is not None and inferred.written_consent
    )
    if unbacked or consent_claimed:
        # Does the claim matter? Decide again without it: anything released only because
        # of it waits for a person who reads the document.
        without = request.model_copy(
            update={
                "legal_process": [lp for lp in request.legal_process if lp not in unbacked],
                "written_consent": False if consent_claimed else request.written_consent,
            }
        )
        baseline = decide(without, pack)
        for category in decision.released:
            earlier = baseline.categories.get(category)
            if earlier is None or earlier.verdict != "release":
                return "process_override"
    if inferred is not None and compare:
        before = decide(inferred, pack)
        for category in decision.released:
            earlier = before.categories.get(category)
            if earlier is not None and earlier.verdict != "release":
                return "correction"
            if earlier is None and str(before.outcome) not in RELEASING_OUTCOMES:
                return "correction"
    return None


def _changes(inferred: Request | None, confirmed: Request) -> list[str]:
    if inferred is None:
        return []
    a, b = inferred.to_dict(), confirmed.to_dict()
    changed: list[str] = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            if isinstance(a.get(key), dict) and isinstance(b.get(key), dict):
                changed.extend(
                    f"{key}.{k}"
                    for k in sorted(set(a[key]) | set(b[key]))
                    if a[key].get(k) != b[key].get(k)
                )
            else:
                changed.append(key)
    return changed


def confirm_case(
    db: Session,
    principal: Principal,
    case: Case,
    request: Request,
    pack: Pack,
    *,
    trust_fields: bool = False,
) -> CaseDecision:
    """Decide a draft case on the request as confirmed, under ``pack``.

    ``trust_fields`` (an integration that sends the request itself, not an email) skips
    comparing the request with the one read from the documents, field by field; legal
    process that could release must still be backed by a document read as such.
    """
    request = clean_request(request)
    if case.status is not CaseStatus.DRAFT:
        raise WebError(409, "not_draft")
    if Scope.REQUESTS_WRITE not in principal.scopes or not _owns(principal, case):
        raise WebError(404, "not_found")
    inferred = _inferred_request(case)
    decision = decide(request, pack).with_inferred_request(request.to_dict())
    reason = "pack" if str(decision.outcome) == "escalate" else None
    reason = reason or _review_reason(request, decision, inferred, pack, compare=not trust_fields)
    record = decision_record(decision)
    row = CaseDecision(
        case_id=case.id,
        source=DecisionSource.PACK,
        outcome=str(decision.outcome),
        pack_id=decision.pack,
        pack_version=decision.pack_version,
        decision=record,
        decided_by=principal.actor.label,
    )
    db.add(row)
    now = utcnow()
    case.request = request.to_dict()
    case.requester_name = _cut(request.requester.name, 300)
    case.requester_agency = _cut(request.requester.agency, 300)
    case.requester_kind = request.requester.kind.value
    case.record_system = request.record_system.value
    case.pack_id = decision.pack
    case.pack_version = decision.pack_version
    case.outcome = str(decision.outcome)
    if reason is not None:
        case.status = CaseStatus.IN_REVIEW
        case.review_reason = reason
        case.escalated_at = now
        case.final_outcome = None
        case.released_categories = []
    else:
        case.status = CaseStatus.DECIDED
        case.final_outcome = str(decision.outcome)
        case.released_categories = (
            list(decision.released) if case.final_outcome in RELEASING_OUTCOMES else []
        )
        case.decided_at = now
    db.flush()
    append_event(
        db,
        actor=principal.actor.label,
        action=Action.DECISION,
        object_type="case",
        object_id=case.id,
        details={
            "outcome": case.outcome,
            "pack": decision.pack,
            "pack_version": decision.pack_version,
            "verdicts": {c: d.verdict for c, d in decision.categories.items()},
            "status": case.status.value,
            "review_reason": reason,
            "corrected": _changes(inferred, request),
            "decision_id": row.id,
        },
    )
    return row


def decide_stateless(request: Request, pack: Pack) -> dict[str, Any]:
    """``resguardo check`` as a function: the contract for ``request`` under ``pack``."""
    decision = decide(request, pack).with_inferred_request(request.to_dict())
    return decision.to_dict()


# --------------------------------------------------------------------------- review


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """The review queue's filters (all optional)."""

    agency: str = ""
    requester: str = ""
    record_system: str = ""
    min_age_hours: int = 0
    assigned: str = ""  # "", "me", "unassigned"


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def review_queue(
    db: Session, principal: Principal, filters: QueueFilters, *, now: datetime | None = None
) -> list[Case]:
    """Cases waiting for review, longest waiting first."""
    if principal.user is None or principal.user.role not in (Role.REVIEWER, Role.AUDITOR):
        raise WebError(403, "forbidden")
    stmt = select(Case).where(Case.status == CaseStatus.IN_REVIEW)
    if filters.agency.strip():
        stmt = stmt.where(
            func.lower(func.coalesce(Case.requester_agency, "")).like(
                _like(filters.agency.strip()), escape="\\"
            )
        )
    if filters.requester.strip():
        pattern = _like(filters.requester.strip())
        stmt = stmt.where(
            or_(
                func.lower(func.coalesce(Case.requester_name, "")).like(pattern, escape="\\"),
                func.lower(func.coalesce(Case.requester_address, "")).like(pattern, escape="\\"),
            )
        )
    if filters.record_system:
        stmt = stmt.where(Case.record_system == filters.record_system)
    if filters.min_age_hours > 0:
        cutoff = (now or utcnow()) - timedelta(hours=filters.min_age_hours)
        stmt = stmt.where(Case.escalated_at <= cutoff)
    if filters.assigned == "me":
        stmt = stmt.where(Case.assigned_to_user_id == principal.user.id)
    elif filters.assigned == "unassigned":
        stmt = stmt.where(Case.assigned_to_user_id.is_(None))
    stmt = stmt.order_by(Case.escalated_at.asc(), Case.id.asc()).limit(500)
    return list(db.scalars(stmt))


def _require_reviewer(principal: Principal) -> User:
    if principal.user is None or principal.user.role is not Role.REVIEWER:
        raise WebError(403, "forbidden")
    return principal.user


def assign_case(
    db: Session, principal: Principal, case: Case, assignee_id: int | None
) -> Assignment:
    """Give a waiting case to a reviewer (``None``: back to the queue)."""
    _require_reviewer(principal)
    if case.status is not CaseStatus.IN_REVIEW:
        raise WebError(409, "not_in_review")
    assignee: User | None = None
    if assignee_id is not None:
        assignee = db.get(User, assignee_id)
        if assignee is None or not assignee.is_active or assignee.role is not Role.REVIEWER:
            raise WebError(400, "bad_assignee")
    previous = case.assigned_to_user_id
    case.assigned_to_user_id = assignee.id if assignee is not None else None
    case.assigned_at = utcnow() if assignee is not None else None
    row = Assignment(
        case_id=case.id,
        assignee_user_id=case.assigned_to_user_id,
        assigned_by=principal.actor.label,
    )
    db.add(row)
    db.flush()
    previous_name = None
    if previous is not None:
        prev_user = db.get(User, previous)
        previous_name = prev_user.username if prev_user is not None else str(previous)
    append_event(
        db,
        actor=principal.actor.label,
        action="review.assign",
        object_type="case",
        object_id=case.id,
        details={
            "to": assignee.username if assignee is not None else None,
            "from": previous_name,
        },
    )
    return row


def review_case(
    db: Session,
    principal: Principal,
    case: Case,
    *,
    outcome: str,
    release_categories: Iterable[str],
    reason: str,
) -> Review:
    """A reviewer decides a waiting case: release, release part, or deny, with a reason."""
    reviewer = _require_reviewer(principal)
    if case.status is not CaseStatus.IN_REVIEW:
        raise WebError(409, "not_in_review")
    if case.assigned_to_user_id not in (None, reviewer.id):
        raise WebError(409, "assigned_elsewhere")
    if outcome not in REVIEW_OUTCOMES:
        raise WebError(400, "bad_outcome")
    reason = reason.strip()
    if not reason:
        raise WebError(400, "reason_required")
    if len(reason) > MAX_REASON:
        raise WebError(400, "reason_too_long")
    requested = [str(c) for c in (case.request or {}).get("categories", [])]
    chosen = list(dict.fromkeys(str(c) for c in release_categories))
    if any(c not in requested for c in chosen):
        raise WebError(400, "bad_categories")
    if outcome == "release":
        released = requested
        if not released:
            raise WebError(400, "nothing_to_release")
    elif outcome == "release_redacted":
        released = [c for c in requested if c in chosen]
        if not released or len(released) == len(requested):
            raise WebError(400, "partial_needs_some")
    else:
        released = []
    withheld = [c for c in requested if c not in released]
    if case.assigned_to_user_id is None:
        case.assigned_to_user_id = reviewer.id
        case.assigned_at = utcnow()
        db.add(
            Assignment(
                case_id=case.id, assignee_user_id=reviewer.id, assigned_by=principal.actor.label
            )
        )
    pack_decision = db.scalars(
        select(CaseDecision)
        .where(CaseDecision.case_id == case.id, CaseDecision.source == DecisionSource.PACK)
        .order_by(CaseDecision.id.desc())
        .limit(1)
    ).one_or_none()
    record = {
        "outcome": outcome,
        "released": released,
        "withheld": withheld,
        "reason": reason,
        "reviewer": principal.actor.label,
        "pack": case.pack_id,
        "pack_version": case.pack_version,
        "pack_outcome": case.outcome,
        "pack_decision_id": pack_decision.id if pack_decision is not None else None,
    }
    row = CaseDecision(
        case_id=case.id,
        source=DecisionSource.REVIEW,
        outcome=outcome,
        pack_id=case.pack_id,
        pack_version=case.pack_version,
        decision=record,
        decided_by=principal.actor.label,
    )
    db.add(row)
    db.flush()
    review = Review(
        case_id=case.id,
        decision_id=row.id,
        reviewer_user_id=reviewer.id,
        reviewer=principal.actor.label,
        outcome=outcome,
        released_categories=released,
        withheld_categories=withheld,
        reason=reason,
    )
    db.add(review)
    case.status = CaseStatus.REVIEWED
    case.final_outcome = outcome
    case.released_categories = released
    case.decided_at = utcnow()
    db.flush()
    append_event(
        db,
        actor=principal.actor.label,
        action=Action.REVIEW,
        object_type="case",
        object_id=case.id,
        details={
            "outcome": outcome,
            "released": released,
            "withheld": withheld,
            "reason": reason,
            "pack_outcome": case.outcome,
            "review_id": review.id,
        },
    )
    return review


# --------------------------------------------------------------------------- release


def _records_suffix(upload: Upload) -> str:
    name = (upload.filename or "").lower()
    for suffix in RECORD_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    raise WebError(415, "unsupported_records")


def redact_records(
    upload: Upload, released: Iterable[str], scanner: Scanner
) -> tuple[bytes, dict[str, Any]]:
    """``upload`` (CSV or XLSX) with every piece of sensitive information redacted except
    the categories in ``released``.

    What the scanner finds is redacted unless its category was released. Columns are
    withheld too (fail closed): a column in which any cell held a finding of a category
    not released has every data cell replaced, since a scanner that recognised "LPR" in
    nine rows of a Status column can miss "pending adj." in the tenth. The summary's
    ``withheld_columns`` lists them. So anything the decision does not name stays in only
    if no detector recognises it as sensitive anywhere in its column. Any failure raises
    ``WebError(422, "redaction_failed")``: nothing half-redacted comes out.
    """
    suffix = _records_suffix(upload)
    keep = frozenset(released)

    # Released findings are dropped here, before the redaction core sees them, so they
    # neither redact their cell nor make their column withheld.
    def scan(text: str) -> list[Finding]:
        return [f for f in scanner.scan(text) if f.category not in keep]

    try:
        result = redact_bytes(
            upload.data,
            suffix,
            scan=scan,
            style=RedactionStyle.label(),
            withhold_columns=True,
        )
    except Exception as exc:
        raise WebError(422, "redaction_failed") from exc
    summary = result.summary.to_dict()
    return result.data, summary


def release_records(
    db: Session,
    principal: Principal,
    case: Case,
    upload: Upload,
    redacted: bytes,
    summary: Mapping[str, Any],
) -> ReleasedFile:
    """Store records already redacted by :func:`redact_records` for ``case`` and log the
    release. The caller redacts outside the transaction (it takes seconds) with the
    categories it read; they are checked again here against the case as it is now."""
    if not can_release(principal, case):
        raise WebError(403, "forbidden")
    decision = db.scalars(
        select(CaseDecision)
        .where(CaseDecision.case_id == case.id)
        .order_by(CaseDecision.id.desc())
        .limit(1)
    ).one_or_none()
    if decision is None:
        raise WebError(409, "not_decided")
    suffix = _records_suffix(upload)
    released = list(case.released_categories or [])
    name = (upload.filename or f"records{suffix}").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    content_type = (
        "text/csv"
        if suffix == ".csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    row = ReleasedFile(
        case_id=case.id,
        decision_id=decision.id,
        filename=f"redacted-{name}"[:255],
        content_type=content_type,
        original_sha256=upload.sha256,
        original_size=len(upload.data),
        redacted=redacted,
        redacted_sha256=hashlib.sha256(redacted).hexdigest(),
        redacted_size=len(redacted),
        released_categories=released,
        summary=dict(summary),
        created_by=principal.actor.label,
        created_by_user_id=principal.user.id if principal.user is not None else None,
    )
    db.add(row)
    db.flush()
    counts = summary.get("counts", {})
    append_event(
        db,
        actor=principal.actor.label,
        action=Action.RELEASE,
        object_type="case",
        object_id=case.id,
        details={
            "file_id": row.id,
            "filename": row.filename,
            "original_sha256": row.original_sha256,
            "redacted_sha256": row.redacted_sha256,
            "released_categories": released,
            "redacted_counts": {str(k): int(v) for k, v in dict(counts).items()},
            # The log must show what was taken out whole, not only what was found.
            "withheld_columns": [dict(c) for c in summary.get("withheld_columns", [])],
            "decision_id": decision.id,
        },
    )
    return row


def download_release(db: Session, principal: Principal, case: Case, file_id: int) -> ReleasedFile:
    """A released file of ``case``, for download (logged)."""
    if not can_download(principal, case):
        raise WebError(404, "not_found")
    row = db.get(ReleasedFile, file_id)
    if row is None or row.case_id != case.id:
        raise WebError(404, "not_found")
    append_event(
        db,
        actor=principal.actor.label,
        action=Action.DOWNLOAD,
        object_type="case",
        object_id=case.id,
        details={"file_id": row.id, "filename": row.filename, "sha256": row.redacted_sha256},
    )
    return row


# --------------------------------------------------------------------------- views


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def case_summary(db: Session, case: Case, *, detail: bool = False) -> dict[str, Any]:
    """The case as the API returns it (and as tests read it)."""
    out: dict[str, Any] = {
        "id": case.id,
        "status": case.status.value,
        "source": case.source.value,
        "created_at": _iso(case.created_at),
        "created_by": case.created_by,
        "requester": {
            "name": case.requester_name,
            "agency": case.requester_agency,
            "address": case.requester_address,
            "kind": case.requester_kind,
        },
        "record_system": case.record_system,
        "outcome": case.outcome,
        "final_outcome": case.final_outcome,
        "released_categories": list(case.released_categories or []),
        "review_reason": case.review_reason,
        "waiting_since": _iso(case.escalated_at) if case.status is CaseStatus.IN_REVIEW else None,
        "decided_at": _iso(case.decided_at),
        "assigned_to": None,
    }
    if case.assigned_to_user_id is not None:
        assignee = db.get(User, case.assigned_to_user_id)
        out["assigned_to"] = assignee.username if assignee is not None else None
    if not detail:
        return out
    decisions = list(
        db.scalars(
            select(CaseDecision).where(CaseDecision.case_id == case.id).order_by(CaseDecision.id)
        )
    )
    pack_decisions = [d for d in decisions if d.source is DecisionSource.PACK]
    out["request"] = case.request
    out["inference"] = public(case.inference)
    out["decision"] = contract(pack_decisions[-1].decision) if pack_decisions else None
    out["reviews"] = [
        {
            "id": r.id,
            "reviewer": r.reviewer,
            "outcome": r.outcome,
            "released_categories": r.released_categories,
            "withheld_categories": r.withheld_categories,
            "reason": r.reason,
            "created_at": _iso(r.created_at),
        }
        for r in db.scalars(select(Review).where(Review.case_id == case.id).order_by(Review.id))
    ]
    out["releases"] = [
        {
            "id": f.id,
            "filename": f.filename,
            "released_categories": f.released_categories,
            "redacted_sha256": f.redacted_sha256,
            "created_by": f.created_by,
            "created_at": _iso(f.created_at),
        }
        for f in db.scalars(
            select(ReleasedFile).where(ReleasedFile.case_id == case.id).order_by(ReleasedFile.id)
        )
    ]
    out["documents"] = [
        {
            "id": d.id,
            "kind": d.kind.value,
            "filename": d.filename,
            "size": d.size,
            "sha256": d.sha256,
            "classification": public(d.classification),
        }
        for d in db.scalars(
            select(CaseDocument).where(CaseDocument.case_id == case.id).order_by(CaseDocument.id)
        )
    ]
    return out
