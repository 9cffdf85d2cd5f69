"""Logging in and out, changing one's password, and choosing the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from resguardo.accounts import AccountError, LoginFailure, authenticate, change_password
from resguardo.audit.log import Action, append_event
from resguardo.store.models import Role, User
from resguardo.web.deps import (
    app_ctx,
    current_user,
    render,
    require_user,
    safe_next,
    see_other,
)
from resguardo.web.i18n import LANG_COOKIE, SUPPORTED
from resguardo.web.security import is_secure, web_session

__all__ = ["HOME_BY_ROLE", "router"]

router = APIRouter(include_in_schema=False)

HOME_BY_ROLE = {
    Role.CLERK: "/cases",
    Role.REVIEWER: "/review",
    Role.AUDITOR: "/audit",
    Role.ADMIN: "/admin/users",
}


def _client_ip(request: Request) -> str | None:
    # The server (uvicorn) already replaced this with the forwarded address when, and only
    # when, the operator trusts the proxy.
    return request.client.host if request.client else None


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """Each role's starting page."""
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if user.must_change_password:
        return RedirectResponse("/account/password", status_code=303)
    return RedirectResponse(HOME_BY_ROLE.get(user.role, "/account/password"), status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    """The login page."""
    if current_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "username": ""})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    """Check the password (throttled, logged) and start a session."""
    form = await request.form()
    username = str(form.get("username", ""))[:200]
    password = str(form.get("password", ""))[:2048]
    target = safe_next(str(form.get("next", "/")))
    store = app_ctx(request).store
    ip = _client_ip(request)

    def work() -> tuple[User | None, LoginFailure | None, int]:
        with store.transaction() as db:
            result = authenticate(db, username, password, ip=ip)
        minutes = 0
        if result.retry_after is not None:
            minutes = max(1, int(result.retry_after.total_seconds() + 59) // 60)
        return result.user, result.failure, minutes

    user, failure, minutes = await run_in_threadpool(work)
    if user is None or failure is not None:
        key = "login.throttled" if failure is LoginFailure.THROTTLED else "login.failed"
        status = 429 if failure is LoginFailure.THROTTLED else 401
        return render(
            request,
            "login.html",
            {"next": target, "error": key, "minutes": minutes, "username": username},
            status=status,
        )
    web_session(request).log_in(user.id, user.session_epoch)
    if user.must_change_password:
        return see_other("/account/password")
    return see_other(target if target != "/" else "/")


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session, logged. The account's session epoch moves on, so a copy of the
    cookie (a shared computer, a stolen value) stops working too: sessions are signed
    cookies, and this is the only way to revoke one before it expires. The price is that
    logging out ends the person's sessions on every device."""
    user = current_user(request)
    if user is not None:
        store = app_ctx(request).store

        def work() -> None:
            with store.transaction() as db:
                fresh = db.get(User, user.id)
                if fresh is not None:
                    fresh.session_epoch += 1
                append_event(
                    db,
                    actor=user.actor,
                    action=Action.LOGOUT,
                    object_type="user",
                    object_id=user.username,
                )

        await run_in_threadpool(work)
    web_session(request).log_out()
    return see_other("/login?done=flash.logged_out")


@router.get("/account/password", response_class=HTMLResponse)
def password_form(
    request: Request, *, user: Annotated[User, Depends(require_user(allow_password_change=True))]
) -> Response:
    """Change one's own password (forced after an administrator's reset)."""
    return render(request, "password.html", {"error": None})


@router.post("/account/password", response_class=HTMLResponse)
async def password_change(
    request: Request, *, user: Annotated[User, Depends(require_user(allow_password_change=True))]
) -> Response:
    """Set a new password; other sessions of this account end (the epoch moves on)."""
    form = await request.form()
    current = str(form.get("current", ""))
    new = str(form.get("new", ""))
    confirm = str(form.get("confirm", ""))
    if new != confirm:
        return render(request, "password.html", {"error": "password.mismatch"}, status=400)
    store = app_ctx(request).store

    def work() -> tuple[int, str | None]:
        with store.transaction() as db:
            fresh = db.get(User, user.id)
            if fresh is None:
                return 0, "error.forbidden"
            try:
                change_password(db, fresh, current, new)
            except AccountError as exc:
                # The account module's messages are English; show a translated one.
                text = str(exc)
                if "current password" in text:
                    return 0, "password.wrong_current"
                if "differ" in text:
                    return 0, "password.same"
                return 0, "password.policy"
            return fresh.session_epoch, None

    epoch, error = await run_in_threadpool(work)
    if error is not None:
        return render(request, "password.html", {"error": error}, status=400)
    web_session(request).log_in(user.id, epoch)
    return see_other(HOME_BY_ROLE.get(user.role, "/") + "?done=flash.password_changed")


@router.get("/lang/{code}")
def set_language(request: Request, code: str, next: str = "/") -> Response:
    """The language switch on every page: remember the choice and go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in SUPPORTED:
        secure = is_secure(request.scope, trust_proxy=app_ctx(request).settings.trust_proxy)
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure,
        )
    return response
