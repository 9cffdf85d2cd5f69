"""Who is calling the API: a bearer token or a session cookie, and what it may do."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from sqlalchemy import update

from resguardo.accounts import authenticate_token
from resguardo.store.models import ApiToken, Scope
from resguardo.store.types import utcnow
from resguardo.web.deps import Principal, WebError, app_ctx, current_user
from resguardo.web.security import CSRF_HEADER, csrf_matches, web_session

__all__ = ["api_principal", "need"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _token_principal(request: Request, header: str) -> Principal:
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise WebError(401, "unauthorized")
    store = app_ctx(request).store
    # A read session: most calls only look the token up. Its last-use time is written
    # separately, at most once a minute (authenticate_token decides), so a busy
    # integration does not turn every call into a write.
    with store.read_session() as db:
        token = authenticate_token(db, secret)
        touched = token is not None and token in db.dirty
        if token is not None:
            db.expunge(token)
    if token is None:
        raise WebError(401, "unauthorized")
    if touched:
        with store.transaction() as db:
            db.execute(
                update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=utcnow())
            )
    return Principal.for_token(token)


def api_principal(request: Request) -> Principal:
    """The caller (401 if nobody)."""
    cached = request.scope.setdefault("state", {}).get("principal")
    if isinstance(cached, Principal):
        return cached
    header = request.headers.get("authorization")
    if header:
        principal = _token_principal(request, header)
    else:
        user = current_user(request)
        if user is None:
            raise WebError(401, "unauthorized")
        if user.must_change_password:
            raise WebError(403, "password_change_required")
        if request.method not in _SAFE and not csrf_matches(
            web_session(request), request.headers.get(CSRF_HEADER)
        ):
            raise WebError(403, "csrf")
        principal = Principal.for_user(user)
    request.scope["state"]["principal"] = principal
    return principal


def need(scope: Scope) -> Callable[[Request], Principal]:
    """A dependency: the caller, who must hold ``scope``."""

    def dependency(request: Request) -> Principal:
        principal = api_principal(request)
        if scope not in principal.scopes:
            raise WebError(403, "insufficient_scope", scope=scope.value)
        return principal

    return dependency
