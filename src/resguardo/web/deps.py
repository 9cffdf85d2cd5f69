"""Request-level helpers shared by the routers: who is asking, what they may do, errors,
and rendering a page in the person's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from resguardo.accounts import Actor
from resguardo.store.models import ApiToken, Role, Scope, User
from resguardo.web.context import AppContext
from resguardo.web.i18n import (
    LANG_COOKIE,
    LANG_NAMES,
    SUPPORTED,
    Translator,
    catalog,
    pick_language,
)
from resguardo.web.security import web_session

__all__ = [
    "MAX_ID",
    "ROLE_SCOPES",
    "LoginRequired",
    "PasswordChangeRequired",
    "Principal",
    "RowId",
    "WebError",
    "app_ctx",
    "clean_text",
    "current_user",
    "render",
    "request_lang",
    "require_user",
    "safe_next",
    "see_other",
]

MAX_ID = 2_147_483_647
# Ids in URLs are bounded: a guessed id larger than any row is "not found", never a
# database overflow error.
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]

# What a logged-in person may do through the API with their session cookie, by role. An
# administrator manages accounts and tokens, not cases: no case data through the API.
ROLE_SCOPES: Mapping[Role, frozenset[Scope]] = {
    Role.CLERK: frozenset({Scope.DECISIONS, Scope.SCAN, Scope.REQUESTS_READ, Scope.REQUESTS_WRITE}),
    Role.REVIEWER: frozenset({Scope.DECISIONS, Scope.SCAN, Scope.REQUESTS_READ}),
    Role.AUDITOR: frozenset({Scope.DECISIONS, Scope.SCAN, Scope.REQUESTS_READ, Scope.AUDIT_READ}),
    Role.ADMIN: frozenset(),
}


class WebError(Exception):
    """An error shown to the person (page) or caller (JSON), with a stable ``code``.

    ``key`` is the catalog key of the message; ``params`` fill its placeholders.
    """

    def __init__(self, status: int, code: str, key: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.key = key or f"error.{code}"
        self.params = params


class LoginRequired(Exception):
    """The page needs a logged-in person: send them to the login page."""


class PasswordChangeRequired(Exception):
    """The person must choose a new password before anything else."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a person (session cookie) or an integration (API token)."""

    actor: Actor
    user: User | None = None
    token: ApiToken | None = None

    @property
    def role(self) -> Role | None:
        """The person's role (None for a token)."""
        return self.user.role if self.user is not None else None

    @property
    def scopes(self) -> frozenset[Scope]:
        """What the caller may do through the API."""
        if self.token is not None:
            return self.token.scope_set
        if self.user is not None:
            return ROLE_SCOPES.get(self.user.role, frozenset())
        return frozenset()

    @classmethod
    def for_user(cls, user: User) -> Principal:
        """A logged-in person."""
        return cls(Actor.for_user(user), user=user)

    @classmethod
    def for_token(cls, token: ApiToken) -> Principal:
        """An integration."""
        return cls(Actor.for_token(token), token=token)


def app_ctx(request: Request) -> AppContext:
    """The application's shared state."""
    ctx: AppContext = request.app.state.ctx
    return ctx


def request_lang(request: Request) -> str:
    """The language of this request's pages and messages."""
    state = request.scope.setdefault("state", {})
    lang = state.get("lang")
    if not isinstance(lang, str):
        lang = pick_language(
            request.cookies.get(LANG_COOKIE),
            request.headers.get("accept-language"),
            app_ctx(request).settings.default_lang,
        )
        state["lang"] = lang
    return lang


_NO_USER = object()


def current_user(request: Request) -> User | None:
    """The logged-in person, or None. A session whose account is gone, disabled, or has
    had its password reset or role changed since (another ``session_epoch``) is ended."""
    state = request.scope.setdefault("state", {})
    cached = state.get("user", _NO_USER)
    if cached is not _NO_USER:
        return cached if isinstance(cached, User) else None
    session = web_session(request)
    user: User | None = None
    if session.uid is not None:
        with app_ctx(request).store.read_session() as db:
            found = db.get(User, session.uid)
        if found is not None and found.is_active and found.session_epoch == session.epoch:
            user = found
        else:
            session.log_out()
    state["user"] = user
    return user


def require_user(*roles: Role, allow_password_change: bool = False) -> Callable[[Request], User]:
    """A dependency: the logged-in person, who must have one of ``roles`` (any if none)."""

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise LoginRequired()
        if user.must_change_password and not allow_password_change:
            raise PasswordChangeRequired()
        if roles and user.role not in roles:
            raise WebError(403, "forbidden")
        return user

    return dependency


def clean_text(value: str, limit: int = 200) -> str:
    """A form or query value fit for a database filter: no NUL characters (PostgreSQL
    refuses them), at most ``limit`` characters, trimmed."""
    return value.replace("\x00", "")[:limit].strip()


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to; anything that could lead off-site becomes ``default``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(c) < 32 for c in value):
        return default
    return value


def see_other(url: str) -> RedirectResponse:
    """The redirect after a successful POST (303: the browser follows with a GET)."""
    return RedirectResponse(url, status_code=303)


def _nav(user: User | None) -> list[tuple[str, str]]:
    if user is None or user.must_change_password:
        return []
    items: dict[Role, list[tuple[str, str]]] = {
        Role.CLERK: [("/intake/new", "nav.new_request"), ("/cases", "nav.my_requests")],
        Role.REVIEWER: [("/review", "nav.review_queue"), ("/cases", "nav.all_requests")],
        Role.AUDITOR: [
            ("/audit", "nav.audit_log"),
            ("/cases", "nav.all_requests"),
            ("/audit/verify", "nav.audit_verify"),
        ],
        Role.ADMIN: [
            ("/admin/users", "nav.accounts"),
            ("/admin/tokens", "nav.tokens"),
            ("/admin/settings", "nav.settings"),
        ],
    }
    return items.get(user.role, [])


def _flash(request: Request) -> str | None:
    # Messages after a redirect travel as a catalog key in the query string: only keys that
    # exist are shown, so nobody can make the page say something of their choosing.
    key = request.query_params.get("done")
    if key and key.startswith("flash.") and key in catalog("en"):
        return key
    return None


def render(
    request: Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render ``template`` in the request's language with the common page context."""
    ctx = app_ctx(request)
    lang = request_lang(request)
    user = current_user(request)
    path = request.url.path
    here = path + (f"?{request.url.query}" if request.url.query else "")
    base: dict[str, Any] = {
        "_": Translator(lang),
        "lang": lang,
        "languages": [(code, LANG_NAMES[code]) for code in SUPPORTED],
        "user": user,
        "csrf_token": web_session(request).csrf_token(),
        "here": quote(here, safe="/"),
        "path": path,
        "nav": _nav(user),
        "flash": _flash(request),
        "pack": ctx.pack,
    }
    base.update(context or {})
    html = ctx.templates.get_template(template).render(base)
    return HTMLResponse(html, status_code=status)
