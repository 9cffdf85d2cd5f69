"""Who is calling the API: a bearer token or a session cookie, and what it may do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from sqlalchemy import update
from starlette.concurrency import run_in_threadpool

from resguardo.accounts import authenticate_token, hash_token
from resguardo.store.models import ApiToken, Scope
from resguardo.store.types import utcnow
from resguardo.web.deps import Principal, WebError, app_ctx, current_user
from resguardo.web.security import CSRF_HEADER, csrf_matches, web_session

__all__ = ["api_principal", "need"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _bearer_secret(header: str) -> str:
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise WebError(401, "unauthorized")
    return secret


def _token_principal(request: Request, secret: str) -> Principal:
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


def _user_principal(request: Request) -> Principal:
    user = current_user(request)
    if user is None:
        raise WebError(401, "unauthorized")
    if user.must_change_password:
        raise WebError(403, "password_change_required")
    if request.method not in _SAFE and not csrf_matches(
        web_session(request), request.headers.get(CSRF_HEADER)
    ):
        raise WebError(403, "csrf")
    return Principal.for_user(user)


async def api_principal(request: Request) -> Principal:
    """The caller (401 if nobody).

    Async so that a cached token costs no trip through the thread pool; the database is
    only read (in the pool) when the token or session is not known yet.
    """
    state = request.scope.setdefault("state", {})
    cached = state.get("principal")
    if isinstance(cached, Principal):
        return cached
    header = request.headers.get("authorization")
    if header:
        secret = _bearer_secret(header)
        tokens = app_ctx(request).token_cache
        key = hash_token(secret)
        principal = tokens.get(key)
        if principal is None:
            generation = tokens.generation
            principal = await run_in_threadpool(_token_principal, request, secret)
            tokens.put(key, principal, generation=generation)
    else:
        principal = await run_in_threadpool(_user_principal, request)
    state["principal"] = principal
    return principal


def need(scope: Scope) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency: the caller, who must hold ``scope``."""

    async def dependency(request: Request) -> Principal:
        principal = await api_principal(request)
        if scope not in principal.scopes:
            raise WebError(403, "insufficient_scope", scope=scope.value)
        return principal

    return dependency
