"""Administration (admins only): accounts, API tokens, and a view of the settings.

New accounts and password resets get a generated temporary password, shown once, which the
person must change at first login. Token secrets are shown once too; only their hash is
kept. Every change is logged by the account services in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from resguardo import __version__
from resguardo.accounts import (
    AccountError,
    Actor,
    create_api_token,
    create_user,
    disable_user,
    enable_user,
    generate_password,
    list_api_tokens,
    list_users,
    reset_password,
    revoke_api_token,
    set_role,
)
from resguardo.store.models import Role, Scope, User
from resguardo.store.types import utcnow
from resguardo.web.deps import RowId, app_ctx, render, require_user, see_other
from resguardo.web.format import when

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_admin = require_user(Role.ADMIN)


def _error_key(exc: AccountError) -> str:
    # The account module speaks English to the CLI; pages show a translated message.
    text = str(exc)
    for needle, key in (
        ("already exists", "admin.error.exists"),
        ("username", "admin.error.username"),
        ("last active administrator", "admin.error.last_admin"),
        ("already disabled", "admin.error.already_disabled"),
        ("already enabled", "admin.error.already_enabled"),
        ("already revoked", "admin.error.already_revoked"),
        ("token name", "admin.error.token_name"),
        ("scope", "admin.error.scopes"),
        ("display name", "admin.error.display_name"),
    ):
        if needle in text:
            return key
    return "admin.error.generic"


def _users_page(request: Request, **extra: Any) -> Response:
    with app_ctx(request).store.read_session() as db:
        users = list_users(db)
    context: dict[str, Any] = {
        "users": users,
        "roles": [r.value for r in Role],
        "when": when,
        "error": None,
        "new_password": None,
        "password_for": None,
    }
    context.update(extra)
    return render(request, "admin_users.html", context, status=400 if context["error"] else 200)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, *, user: Annotated[User, Depends(_admin)]) -> Response:
    """Accounts."""
    return _users_page(request)


async def _run(request: Request, fn: Any) -> Any:
    ctx = app_ctx(request)

    def work() -> Any:
        with ctx.store.transaction() as db:
            return fn(db)

    return await run_in_threadpool(work)


@router.post("/admin/users", response_class=HTMLResponse)
async def create_account(request: Request, *, user: Annotated[User, Depends(_admin)]) -> Response:
    """Create an account with a temporary password shown once."""
    form = await request.form()
    username = str(form.get("username", ""))
    role = str(form.get("role", ""))
    display_name = str(form.get("display_name", ""))
    password = generate_password()
    actor = Actor.for_user(user)
    try:
        created = await _run(
            request,
            lambda db: (
                create_user(
                    db,
                    username=username,
                    password=password,
                    role=role,
                    actor=actor,
                    display_name=display_name,
                    must_change_password=True,
                ).username
            ),
        )
    except AccountError as exc:
        return _users_page(request, error=_error_key(exc))
    except ValueError:
        return _users_page(request, error="admin.error.generic")
    return _users_page(request, new_password=password, password_for=created)


@router.post("/admin/users/{username}/{action}", response_class=HTMLResponse)
async def change_account(
    request: Request, *, username: str, action: str, user: Annotated[User, Depends(_admin)]
) -> Response:
    """Disable, enable, change role, or reset the password of an account."""
    form = await request.form()
    actor = Actor.for_user(user)
    password = generate_password()
    try:
        if action == "disable":
            await _run(request, lambda db: disable_user(db, username, actor=actor))
        elif action == "enable":
            await _run(request, lambda db: enable_user(db, username, actor=actor))
        elif action == "role":
            role = str(form.get("role", ""))
            if role not in {r.value for r in Role}:
                return _users_page(request, error="admin.error.generic")
            await _run(request, lambda db: set_role(db, username, role, actor=actor))
        elif action == "reset":
            await _run(request, lambda db: reset_password(db, username, password, actor=actor))
            return _users_page(request, new_password=password, password_for=username)
        else:
            return _users_page(request, error="admin.error.generic")
    except AccountError as exc:
        return _users_page(request, error=_error_key(exc))
    return see_other("/admin/users?done=flash.account_changed")


def _tokens_page(request: Request, **extra: Any) -> Response:
    with app_ctx(request).store.read_session() as db:
        tokens = list_api_tokens(db, include_revoked=True)
    context: dict[str, Any] = {
        "tokens": tokens,
        "scopes": [s.value for s in Scope],
        "when": when,
        "error": None,
        "secret": None,
    }
    context.update(extra)
    return render(request, "admin_tokens.html", context, status=400 if context["error"] else 200)


@router.get("/admin/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, *, user: Annotated[User, Depends(_admin)]) -> Response:
    """API tokens."""
    return _tokens_page(request)


@router.post("/admin/tokens", response_class=HTMLResponse)
async def create_token(request: Request, *, user: Annotated[User, Depends(_admin)]) -> Response:
    """Create a token; its secret is shown on this page only."""
    form = await request.form()
    name = str(form.get("name", ""))
    scopes = [str(s) for s in form.getlist("scopes")]
    days_raw = str(form.get("expires_days", "")).strip()
    expires = None
    if days_raw:
        if not days_raw.isdigit() or not 1 <= int(days_raw) <= 3650:
            return _tokens_page(request, error="admin.error.expiry")
        expires = utcnow() + timedelta(days=int(days_raw))
    actor = Actor.for_user(user)
    try:
        secret = await _run(
            request,
            lambda db: (
                create_api_token(
                    db, name=name, scopes=scopes, actor=actor, expires_at=expires
                ).secret
            ),
        )
    except AccountError as exc:
        return _tokens_page(request, error=_error_key(exc))
    return _tokens_page(request, secret=secret)


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
async def revoke_token(
    request: Request, *, token_id: RowId, user: Annotated[User, Depends(_admin)]
) -> Response:
    """Revoke a token for good."""
    actor = Actor.for_user(user)
    try:
        await _run(request, lambda db: revoke_api_token(db, token_id, actor=actor))
    except AccountError as exc:
        return _tokens_page(request, error=_error_key(exc))
    app_ctx(request).token_cache.clear()
    return see_other("/admin/tokens?done=flash.token_revoked")


@router.get("/admin/settings", response_class=HTMLResponse)
def settings_page(request: Request, *, user: Annotated[User, Depends(_admin)]) -> Response:
    """The settings in force (the database password is never shown)."""
    ctx = app_ctx(request)
    s = ctx.settings
    url = make_url(s.database_url).render_as_string(hide_password=True)
    rows = [
        ("settings.version", __version__),
        ("settings.pack", f"{ctx.pack.id} — {ctx.pack.title}"),
        ("settings.pack_version", ctx.pack.version),
        ("settings.database", url),
        ("settings.backend", ctx.store.dialect),
        ("settings.data_dir", str(s.data_dir)),
        ("settings.trust_proxy", str(s.trust_proxy)),
        ("settings.session_hours", str(s.session_hours)),
        ("settings.max_json_bytes", str(s.max_json_bytes)),
        ("settings.max_upload_bytes", str(s.max_upload_bytes)),
        ("settings.audit_api_checks", str(s.audit_api_checks)),
        ("settings.api_token_cache_seconds", f"{s.api_token_cache_seconds:g}"),
        ("settings.default_lang", s.default_lang),
        (
            "settings.secret_key",
            "settings.secret_configured" if s.secret_key else "settings.secret_file",
        ),
    ]
    return render(request, "admin_settings.html", {"rows": rows})
