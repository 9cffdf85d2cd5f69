"""Intake pages: "Someone asked me for information", the case list and the case page.

A clerk pastes or uploads the email (or fills the request by hand), uploads the legal
document that came with it, checks the request as read (a form pre-filled from the
inference, with the evidence beside it), and confirms: the decision appears with its
explanation and a reply to send. Email content is always shown as escaped text.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from resguardo.policy import AgencyKind, ProcessKind, Purpose, RecordSystem
from resguardo.policy import Request as PolicyRequest
from resguardo.policy import Scope as RequestScope
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
from resguardo.store.models import Role, User
from resguardo.taxonomy import CATEGORY_IDS
from resguardo.web import services
from resguardo.web.deps import (
    Principal,
    RowId,
    WebError,
    app_ctx,
    render,
    request_lang,
    require_user,
    see_other,
)
from resguardo.web.explain import Explained, classification_view, inference_view
from resguardo.web.format import duration, size, when
from resguardo.web.i18n import Translator
from resguardo.web.services import Upload

__all__ = ["read_upload", "request_from_form", "router"]

router = APIRouter(include_in_schema=False)

CASE_STATUSES = [s.value for s in CaseStatus]
_STAFF = (Role.CLERK, Role.REVIEWER, Role.AUDITOR)


async def read_upload(form: FormData, name: str) -> Upload | None:
    """The file uploaded in field ``name``, or None if none was chosen."""
    item = form.get(name)
    if not isinstance(item, UploadFile) or not item.filename:
        return None
    data = await item.read()
    if not data:
        return None
    return Upload(item.filename, item.content_type or "application/octet-stream", data)


async def read_uploads(form: FormData, name: str) -> list[Upload]:
    """Every file uploaded in field ``name``."""
    out = []
    for item in form.getlist(name):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if data:
                out.append(
                    Upload(item.filename, item.content_type or "application/octet-stream", data)
                )
    return out


# --------------------------------------------------------------------------- new request


@router.get("/intake/new", response_class=HTMLResponse)
def intake_form(
    request: Request, *, user: Annotated[User, Depends(require_user(Role.CLERK))]
) -> Response:
    """The intake page."""
    return render(request, "intake_new.html", {"error": None})


@router.post("/intake/new", response_class=HTMLResponse)
async def intake_submit(
    request: Request, *, user: Annotated[User, Depends(require_user(Role.CLERK))]
) -> Response:
    """Store the email and documents, read the request, show it for confirmation."""
    form = await request.form()
    email = await read_upload(form, "email_file")
    pasted = str(form.get("email_text", ""))
    legal = await read_uploads(form, "legal_file")
    pasted_legal = str(form.get("legal_text", "")).strip()
    if pasted_legal:
        legal.append(Upload("pasted-document.txt", "text/plain", pasted_legal.encode("utf-8")))
    source = CaseSource.EMAIL if (email is not None or pasted.strip()) else CaseSource.FORM
    ctx = app_ctx(request)
    lang = request_lang(request)
    principal = Principal.for_user(user)

    def work() -> int:
        with ctx.store.transaction() as db:
            case = services.create_case(
                db,
                principal,
                source=source,
                email=email,
                pasted=pasted,
                legal_documents=legal,
                lang=lang,
            )
            return case.id

    try:
        case_id = await run_in_threadpool(work)
    except WebError as exc:
        if exc.code != "email_unreadable":
            raise
        return render(request, "intake_new.html", {"error": "error.email_unreadable"}, status=400)
    return see_other(f"/cases/{case_id}")


# --------------------------------------------------------------------------- lists


@router.get("/cases", response_class=HTMLResponse)
def case_list(
    request: Request, *, status: str = "", user: Annotated[User, Depends(require_user(*_STAFF))]
) -> Response:
    """The cases this person may see (a clerk's own; everything for reviewers/auditors)."""
    principal = Principal.for_user(user)
    stmt = services.visible_cases(principal)
    if status in CASE_STATUSES:
        stmt = stmt.where(Case.status == CaseStatus(status))
    with app_ctx(request).store.read_session() as db:
        cases = list(db.scalars(stmt.order_by(Case.id.desc()).limit(500)))
    return render(
        request,
        "case_list.html",
        {"cases": cases, "status": status, "statuses": CASE_STATUSES, "when": when},
    )


# --------------------------------------------------------------------------- the case page


def _blank_request() -> dict[str, Any]:
    return {
        "requester": {"name": "", "agency": "", "kind": "unknown"},
        "on_behalf_of": None,
        "purpose": "unknown",
        "legal_process": [],
        "scope": "individual",
        "record_system": "other",
        "categories": [],
        "written_consent": False,
        "federal_law_cited": None,
    }


def _choices() -> dict[str, list[str]]:
    return {
        "agency_kinds": [k.value for k in AgencyKind],
        "purposes": [p.value for p in Purpose],
        "scopes": [s.value for s in RequestScope],
        "record_systems": [r.value for r in RecordSystem],
        "process_kinds": [p.value for p in ProcessKind],
        "categories": list(CATEGORY_IDS),
    }


def case_page_context(
    request: Request, db: Any, case: Case, principal: Principal
) -> dict[str, Any]:
    """Everything the case page shows, read in one session."""
    lang = request_lang(request)
    documents = list(
        db.scalars(
            select(CaseDocument).where(CaseDocument.case_id == case.id).order_by(CaseDocument.id)
        )
    )
    decisions = list(
        db.scalars(
            select(CaseDecision).where(CaseDecision.case_id == case.id).order_by(CaseDecision.id)
        )
    )
    pack_decision = next((d for d in reversed(decisions) if d.source is DecisionSource.PACK), None)
    reviews = list(db.scalars(select(Review).where(Review.case_id == case.id).order_by(Review.id)))
    releases = list(
        db.scalars(
            select(ReleasedFile).where(ReleasedFile.case_id == case.id).order_by(ReleasedFile.id)
        )
    )
    assignments = list(
        db.scalars(select(Assignment).where(Assignment.case_id == case.id).order_by(Assignment.id))
    )
    user = principal.user
    reviewers: list[User] = []
    if user is not None and user.role is Role.REVIEWER:
        reviewers = list(
            db.scalars(
                select(User)
                .where(User.role == Role.REVIEWER, User.is_active)
                .order_by(User.username)
            )
        )
    names = {u.id: u.username for u in db.scalars(select(User))}
    inference = case.inference or {}
    values = case.request or inference.get("request") or _blank_request()
    is_owner = user is not None and case.created_by_user_id == user.id
    # What the reader and the classifier said, in the page's language (stored in English
    # with its structure; an older case shows its English).
    explained = Explained(Translator(lang))
    explanation = inference_view(inference, explained)
    classified = {
        d.id: classification_view(d.classification, explained)
        for d in documents
        if d.kind is DocumentKind.LEGAL_DOCUMENT
    }
    return {
        "case": case,
        "documents": documents,
        "email_docs": [d for d in documents if d.kind is DocumentKind.EMAIL],
        "legal_docs": [d for d in documents if d.kind is DocumentKind.LEGAL_DOCUMENT],
        "pack_decision": pack_decision.decision if pack_decision is not None else None,
        "reviews": reviews,
        "releases": releases,
        "assignments": assignments,
        "reviewers": reviewers,
        "names": names,
        "inference": inference,
        "explanation": explanation,
        "classified": classified,
        "said": explained.said,
        "values": values,
        "inferred_lp": (inference.get("request") or {}).get("legal_process", []),
        "choices": _choices(),
        "can_confirm": case.status is CaseStatus.DRAFT
        and is_owner
        and user is not None
        and user.role is Role.CLERK,
        "can_review": user is not None
        and user.role is Role.REVIEWER
        and case.status is CaseStatus.IN_REVIEW
        and case.assigned_to_user_id in (None, user.id),
        "can_assign": user is not None
        and user.role is Role.REVIEWER
        and case.status is CaseStatus.IN_REVIEW,
        "can_release": services.can_release(principal, case),
        "can_download": services.can_download(principal, case),
        "waited": duration(lang, case.escalated_at)
        if case.status is CaseStatus.IN_REVIEW
        else None,
        "when": when,
        "size": size,
        "form_error": None,
        "review_error": None,
    }


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request, *, case_id: RowId, user: Annotated[User, Depends(require_user(*_STAFF))]
) -> Response:
    """One case: the email (inert), the request, the decision, the review and releases."""
    principal = Principal.for_user(user)
    with app_ctx(request).store.read_session() as db:
        case = services.get_visible_case(db, principal, case_id)
        context = case_page_context(request, db, case, principal)
    return render(request, "case.html", context)


def request_from_form(form: FormData, inferred_lp: list[dict[str, Any]]) -> dict[str, Any]:
    """The request a confirmation form describes, as a dict for ``Request``.

    Documents read from the email keep what the classifier found (document name, signer,
    court, coverage); only their kind can be corrected. One more document can be added.
    """

    def text(name: str) -> str | None:
        value = str(form.get(name, "")).strip()
        return value[:500] or None

    processes: list[dict[str, Any]] = []
    for i, doc in enumerate(inferred_lp):
        kind = str(form.get(f"lp-{i}-kind", doc.get("kind", "unknown")))
        processes.append({**doc, "kind": kind})
    new_kind = str(form.get("lp-new-kind", "")).strip()
    if new_kind:
        processes.append(
            {
                "kind": new_kind,
                "document": text("lp-new-document"),
                "signed_by": text("lp-new-signed_by"),
                "issuing_court": text("lp-new-issuing_court"),
            }
        )
    behalf = str(form.get("on_behalf_of", "")).strip()
    return {
        "requester": {
            "name": text("requester_name"),
            "agency": text("requester_agency"),
            "kind": str(form.get("requester_kind", "unknown")),
        },
        "on_behalf_of": behalf or None,
        "purpose": str(form.get("purpose", "unknown")),
        "legal_process": processes,
        "scope": str(form.get("scope", "")),
        "record_system": str(form.get("record_system", "")),
        "categories": [str(c) for c in form.getlist("categories")],
        "written_consent": form.get("written_consent") == "yes",
        "federal_law_cited": text("federal_law_cited"),
    }


@router.post("/cases/{case_id}/confirm", response_class=HTMLResponse)
async def confirm(
    request: Request, *, case_id: RowId, user: Annotated[User, Depends(require_user(Role.CLERK))]
) -> Response:
    """Decide the case on the request as the clerk confirmed (or corrected) it."""
    form = await request.form()
    ctx = app_ctx(request)
    principal = Principal.for_user(user)

    def work() -> Response | None:
        with ctx.store.transaction() as db:
            case = services.get_visible_case(db, principal, case_id)
            inferred_lp = ((case.inference or {}).get("request") or {}).get("legal_process", [])
            data = request_from_form(form, inferred_lp)
            try:
                confirmed = PolicyRequest.model_validate(data)
            except ValidationError as exc:
                fields = sorted({".".join(str(p) for p in e["loc"][:1]) for e in exc.errors()})
                context = case_page_context(request, db, case, principal)
                context["values"] = data
                context["form_error"] = fields
                return render(request, "case.html", context, status=400)
            services.confirm_case(db, principal, case, confirmed, ctx.pack)
            return None

    page = await run_in_threadpool(work)
    if page is not None:
        return page
    return see_other(f"/cases/{case_id}?done=flash.decided")
