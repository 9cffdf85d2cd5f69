"""Audit pages (auditors): browse and filter the log, export it (CSV, JSON), verify it.

Auditors change nothing. Their exports are themselves logged (who took a copy of the log
and when), which appends to the log but alters no entry.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy import Select, func, select

from resguardo.audit.log import Action, ExportFormat, append_event, export_log, verify_log
from resguardo.store.models import AuditEvent, Role, User
from resguardo.web.deps import WebError, app_ctx, clean_text, render, require_user
from resguardo.web.format import when

__all__ = ["PAGE_SIZE", "audit_query", "router"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
KNOWN_ACTIONS = sorted(
    {str(a) for a in Action} | {"review.assign", "audit.export", "decision.check"}
)


def _day(value: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
    except ValueError:
        return None


def audit_query(
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    before_seq: int | None = None,
    after_seq: int | None = None,
) -> Select[AuditEvent]:
    """Audit entries matching the filters (exact action, actor substring, object)."""
    stmt = select(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor:
        escaped = actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(AuditEvent.actor).like(f"%{escaped}%", escape="\\"))
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    if before_seq is not None:
        stmt = stmt.where(AuditEvent.seq < before_seq)
    if after_seq is not None:
        stmt = stmt.where(AuditEvent.seq > after_seq)
    return stmt


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    since: str = "",
    until: str = "",
    before: str = "",
    user: Annotated[User, Depends(require_user(Role.AUDITOR))],
) -> Response:
    """The log, newest first, 50 entries a page."""
    since_dt = _day(since) if since else None
    until_day = _day(until) if until else None
    until_dt = until_day + timedelta(days=1) if until_day is not None else None
    # Bounded: a huge number from a hand-edited URL must not overflow the database integer.
    before_seq = int(before) if before.isdigit() and len(before) < 19 else None
    stmt = audit_query(
        action=clean_text(action, 100),
        actor=clean_text(actor),
        object_type=clean_text(object_type, 100),
        object_id=clean_text(object_id),
        since=since_dt,
        until=until_dt,
        before_seq=before_seq,
    )
    with app_ctx(request).store.read_session() as db:
        entries = list(db.scalars(stmt.order_by(AuditEvent.seq.desc()).limit(PAGE_SIZE + 1)))
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    rows = [
        (e, json.dumps(e.details, ensure_ascii=False, sort_keys=True, indent=1)) for e in entries
    ]
    filters = {
        "action": action,
        "actor": actor,
        "object_type": object_type,
        "object_id": object_id,
        "since": since,
        "until": until,
    }
    next_before = entries[-1].seq if more and entries else None
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "audit_log.html",
        {
            "rows": rows,
            "filters": filters,
            "actions": KNOWN_ACTIONS,
            "next_before": next_before,
            "query": query,
            "when": when,
        },
    )


@router.get("/audit/export")
def audit_export(
    request: Request,
    *,
    format: str = "csv",
    since: str = "",
    until: str = "",
    user: Annotated[User, Depends(require_user(Role.AUDITOR))],
) -> Response:
    """The log as CSV or JSON (every stored field, so the copy can be verified alone)."""
    if format not in ("csv", "json"):
        raise WebError(400, "bad_request")
    fmt = ExportFormat(format)
    since_dt = _day(since) if since else None
    until_day = _day(until) if until else None
    until_dt = until_day + timedelta(days=1) if until_day else None
    store = app_ctx(request).store
    with store.transaction() as db:
        append_event(
            db,
            actor=user.actor,
            action="audit.export",
            object_type="audit_log",
            details={
                "format": format,
                "since": since_dt.date().isoformat() if since_dt else None,
                "until": until_day.date().isoformat() if until_day else None,
            },
        )
    # Closed by chunks() once the response is sent, not by a with-block here.
    spool: Any = tempfile.SpooledTemporaryFile(  # noqa: SIM115
        max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8"
    )
    with store.read_session() as db:
        export_log(db, spool, fmt, since=since_dt, until=until_dt)
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while True:
                block = spool.read(64 * 1024)
                if not block:
                    return
                yield block.encode("utf-8")
        finally:
            spool.close()

    media = "text/csv; charset=utf-8" if fmt is ExportFormat.CSV else "application/json"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return StreamingResponse(
        chunks(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="resguardo-audit-{stamp}.{format}"'},
    )


@router.get("/audit/verify", response_class=HTMLResponse)
def audit_verify(
    request: Request, *, user: Annotated[User, Depends(require_user(Role.AUDITOR))]
) -> Response:
    """Check the whole hash chain now and show the first problem, if any."""
    with app_ctx(request).store.read_session() as db:
        result = verify_log(db)
    return render(request, "audit_verify.html", {"result": result})
