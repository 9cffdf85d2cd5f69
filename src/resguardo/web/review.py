"""Central review: the queue, assignment, the reviewer's decision, and releasing records.

A release is redacted on the server to exactly what the final decision allows: every
category the scanner finds is redacted unless the decision released it, and a column in
which it found one is withheld whole (see ``services.redact_records``). Only the redacted
file is kept; the upload itself is identified by its hash.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from resguardo.policy import RecordSystem
from resguardo.store.models import Role, User
from resguardo.web import services
from resguardo.web.deps import (
    Principal,
    RowId,
    WebError,
    app_ctx,
    clean_text,
    render,
    request_lang,
    require_user,
    see_other,
)
from resguardo.web.format import duration, when
from resguardo.web.intake import case_page_context, read_upload

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

AGE_CHOICES = (0, 24, 72, 168, 720)  # hours: any, 1 day, 3 days, 1 week, 30 days


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except ValueError:
        return default


@router.get("/review", response_class=HTMLResponse)
def queue(
    request: Request,
    *,
    agency: str = "",
    requester: str = "",
    record_system: str = "",
    age: str = "0",
    assigned: str = "",
    user: Annotated[User, Depends(require_user(Role.REVIEWER))],
) -> Response:
    """Cases waiting for central review, longest waiting first, with filters."""
    filters = services.QueueFilters(
        agency=clean_text(agency),
        requester=clean_text(requester),
        record_system=record_system if record_system in {r.value for r in RecordSystem} else "",
        min_age_hours=max(0, _int(age)),
        assigned=assigned if assigned in ("me", "unassigned") else "",
    )
    principal = Principal.for_user(user)
    lang = request_lang(request)
    with app_ctx(request).store.read_session() as db:
        cases = services.review_queue(db, principal, filters)
        names = {u.id: u.username for u in db.scalars(select(User))}
    rows = [(c, duration(lang, c.escalated_at)) for c in cases]
    return render(
        request,
        "review_queue.html",
        {
            "rows": rows,
            "filters": filters,
            "names": names,
            "record_systems": [r.value for r in RecordSystem],
            "ages": AGE_CHOICES,
            "when": when,
        },
    )


@router.post("/cases/{case_id}/take")
async def take(
    request: Request, *, case_id: RowId, user: Annotated[User, Depends(require_user(Role.REVIEWER))]
) -> Response:
    """Assign the case to oneself."""
    ctx = app_ctx(request)
    principal = Principal.for_user(user)

    def work() -> None:
        with ctx.store.transaction() as db:
            case = services.get_visible_case(db, principal, case_id)
            services.assign_case(db, principal, case, user.id)

    await run_in_threadpool(work)
    return see_other(f"/cases/{case_id}?done=flash.assigned")


@router.post("/cases/{case_id}/assign")
async def assign(
    request: Request, *, case_id: RowId, user: Annotated[User, Depends(require_user(Role.REVIEWER))]
) -> Response:
    """Assign the case to a reviewer, or put it back in the queue."""
    form = await request.form()
    raw = str(form.get("assignee", "")).strip()
    assignee = _int(raw, -1) if raw else None
    if assignee == -1:
        raise WebError(400, "bad_assignee")
    ctx = app_ctx(request)
    principal = Principal.for_user(user)

    def work() -> None:
        with ctx.store.transaction() as db:
            case = services.get_visible_case(db, principal, case_id)
            services.assign_case(db, principal, case, assignee)

    await run_in_threadpool(work)
    return see_other(f"/cases/{case_id}?done=flash.assigned")


@router.post("/cases/{case_id}/review", response_class=HTMLResponse)
async def decide_review(
    request: Request, *, case_id: RowId, user: Annotated[User, Depends(require_user(Role.REVIEWER))]
) -> Response:
    """The reviewer's decision: release, release part, or deny, with a reason."""
    form = await request.form()
    outcome = str(form.get("outcome", ""))
    categories = [str(c) for c in form.getlist("release_categories")]
    reason = str(form.get("reason", ""))
    ctx = app_ctx(request)
    principal = Principal.for_user(user)

    def work() -> Response | None:
        with ctx.store.transaction() as db:
            case = services.get_visible_case(db, principal, case_id)
            try:
                services.review_case(
                    db,
                    principal,
                    case,
                    outcome=outcome,
                    release_categories=categories,
                    reason=reason,
                )
            except WebError as exc:
                # Every 400 is raised before anything changed: show the form again.
                if exc.status != 400:
                    raise
                context = case_page_context(request, db, case, principal)
                context["review_error"] = exc.key
                context["review_values"] = {
                    "outcome": outcome,
                    "categories": categories,
                    "reason": reason,
                }
                return render(request, "case.html", context, status=400)
            return None

    page = await run_in_threadpool(work)
    if page is not None:
        return page
    return see_other(f"/cases/{case_id}?done=flash.reviewed")


@router.post("/cases/{case_id}/records")
async def upload_records(
    request: Request,
    *,
    case_id: RowId,
    user: Annotated[User, Depends(require_user(Role.REVIEWER, Role.CLERK))],
) -> Response:
    """Redact uploaded records (CSV, XLSX) to what the decision allows and keep them for
    download. Redaction runs outside the database transaction; the case is checked again
    before anything is stored."""
    form = await request.form()
    upload = await read_upload(form, "records")
    if upload is None:
        raise WebError(400, "no_file")
    ctx = app_ctx(request)
    principal = Principal.for_user(user)

    def work() -> int:
        with ctx.store.read_session() as db:
            case = services.get_visible_case(db, principal, case_id)
            if not services.can_release(principal, case):
                raise WebError(403, "forbidden")
            released = list(case.released_categories or [])
        redacted, summary = services.redact_records(upload, released, ctx.scanner())
        with ctx.store.transaction() as db:
            case = services.get_visible_case(db, principal, case_id)
            if list(case.released_categories or []) != released:
                # The decision changed while we redacted: redact again rather than release
                # under the old one.
                raise WebError(409, "decision_changed")
            row = services.release_records(db, principal, case, upload, redacted, summary)
            return row.id

    file_id = await run_in_threadpool(work)
    return see_other(f"/cases/{case_id}?done=flash.released#release-{file_id}")


@router.get("/cases/{case_id}/releases/{file_id}")
def download(
    request: Request,
    *,
    case_id: RowId,
    file_id: RowId,
    user: Annotated[User, Depends(require_user(Role.REVIEWER, Role.CLERK, Role.AUDITOR))],
) -> Response:
    """Download a redacted release (logged)."""
    principal = Principal.for_user(user)
    with app_ctx(request).store.transaction() as db:
        case = services.get_visible_case(db, principal, case_id)
        row = services.download_release(db, principal, case, file_id)
        data, name, ctype = row.redacted, row.filename, row.content_type
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return Response(
        data,
        media_type=ctype,
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
            )
        },
    )
