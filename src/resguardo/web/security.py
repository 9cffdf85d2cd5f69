"""Sessions, CSRF, security headers and request-size limits for the review service.

- **Sessions** are a signed cookie (itsdangerous): the account id, the account's
  ``session_epoch`` when the person logged in, and a CSRF token. Nothing secret is in it
  (it is signed, not encrypted). The epoch is what lets a password reset, a disabled
  account or a role change end every session at once: :mod:`resguardo.web.deps` rejects a
  cookie whose epoch is not the account's current one. The cookie is HttpOnly,
  SameSite=Lax, and Secure when the request came over TLS (or, only when the operator says
  a proxy may be believed, when ``X-Forwarded-Proto`` says so).
- **CSRF**: a synchronizer token tied to the session. Every form carries it; every unsafe
  request to a page is refused without it (:func:`csrf_guard`, installed for the whole
  app, so a new form cannot forget it). A new token is issued at login and logout.
- **Headers**: a strict Content-Security-Policy (no scripts at all: the pages need none,
  and an email's HTML could never run even if a template forgot to escape it), no
  framing, no sniffing, no caching of pages that show personal information.
- **Size limits**: bodies larger than the configured limits are refused with 413 before
  they are read (Content-Length) or as soon as they pass the limit (chunked uploads).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "BodyTooLarge",
    "CsrfError",
    "SecurityMiddleware",
    "SessionCodec",
    "WebSession",
    "csrf_guard",
    "csrf_matches",
    "is_secure",
    "web_session",
]

SESSION_COOKIE = "resguardo_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class CsrfError(HTTPException):
    """A form or same-origin API call without the session's CSRF token."""

    def __init__(self) -> None:
        super().__init__(status_code=403, detail="csrf")


class BodyTooLarge(HTTPException):
    """The request body is larger than allowed.

    An HTTPException so that FastAPI passes it through body parsing unchanged (it turns
    other errors raised while reading a body into a generic 400).
    """

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail="payload_too_large")
        self.limit = limit


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(slots=True)
class WebSession:
    """The session of one browser, as carried by its cookie.

    ``fresh`` sessions have no cookie yet; one is only sent once the CSRF token is used (a
    form is shown), so API calls and static files do not collect cookies.
    """

    # Empty until a form needs it: most requests (API calls, static files) never do, and
    # drawing 32 random bytes from the OS for each of them showed up in the profile.
    csrf: str = ""
    uid: int | None = None
    epoch: int | None = None
    fresh: bool = True
    dirty: bool = False

    def csrf_token(self) -> str:
        """The token to put in a form (marks a fresh session to be sent)."""
        if not self.csrf:
            self.csrf = _new_token()
        if self.fresh:
            self.dirty = True
        return self.csrf

    def log_in(self, user_id: int, epoch: int) -> None:
        """Bind the session to an account; a new CSRF token defeats session fixation."""
        self.uid, self.epoch, self.csrf = user_id, epoch, _new_token()
        self.dirty = True

    def log_out(self) -> None:
        """Forget the account; the old CSRF token stops working too."""
        self.uid, self.epoch, self.csrf = None, None, _new_token()
        self.dirty = True


class SessionCodec:
    """Signs and checks session cookies. ``max_age`` bounds a login's life (the signature
    carries its time), whatever the browser does with the cookie."""

    def __init__(self, secret: str, *, max_age_s: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="resguardo.session.v1")
        self.max_age_s = max_age_s

    def encode(self, session: WebSession) -> str:
        """The cookie value."""
        if not session.csrf:
            session.csrf = _new_token()
        value: str = self._serializer.dumps(
            {"c": session.csrf, "u": session.uid, "e": session.epoch}
        )
        return value

    def decode(self, value: str) -> WebSession | None:
        """The session in a cookie, or None when forged, expired or malformed."""
        try:
            data: Any = self._serializer.loads(value, max_age=self.max_age_s)
        except BadSignature:  # SignatureExpired is a BadSignature
            return None
        if not isinstance(data, dict):
            return None
        csrf, uid, epoch = data.get("c"), data.get("u"), data.get("e")
        if not isinstance(csrf, str) or len(csrf) < 32:
            return None
        if uid is not None and (not isinstance(uid, int) or not isinstance(epoch, int)):
            return None
        return WebSession(csrf=csrf, uid=uid, epoch=epoch if uid is not None else None, fresh=False)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def is_secure(scope: Scope, *, trust_proxy: bool) -> bool:
    """Whether the browser reached us over TLS. ``X-Forwarded-Proto`` counts only when the
    operator said a proxy sets it (anyone can send the header)."""
    if scope.get("scheme") in ("https", "wss"):
        return True
    if trust_proxy:
        proto = _header(scope, b"x-forwarded-proto")
        if proto and proto.split(",")[0].strip().lower() == "https":
            return True
    return False


def web_session(request: Request) -> WebSession:
    """The session of this request (set up by :class:`SecurityMiddleware`)."""
    state: MutableMapping[str, Any] = request.scope.setdefault("state", {})
    session = state.get("web_session")
    if not isinstance(session, WebSession):
        session = state["web_session"] = WebSession()
    return session


def csrf_matches(session: WebSession, token: object) -> bool:
    """Constant-time comparison of a submitted token with the session's."""
    if session.fresh or not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(token.encode("utf-8"), session.csrf.encode("utf-8"))


async def csrf_guard(request: Request) -> None:
    """Refuse any unsafe request to a page unless its form carries the session's token.

    Installed as an app-wide dependency. The API (``/api/``) checks its own: bearer tokens
    need no CSRF token, and session-cookie calls need the ``X-CSRF-Token`` header.
    """
    if request.method in _SAFE_METHODS or request.url.path.startswith("/api/"):
        return
    session = web_session(request)
    token: object = None
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        token = form.get(CSRF_FIELD)
    if not csrf_matches(session, token):
        raise CsrfError()


TooLargeResponder = Callable[[Scope, int], Awaitable[tuple[int, list[tuple[bytes, bytes]], bytes]]]


class SecurityMiddleware:
    """Pure ASGI middleware: session cookie in and out, security headers, body limits."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        codec: SessionCodec,
        trust_proxy: bool,
        max_json_bytes: int,
        max_upload_bytes: int,
        too_large: TooLargeResponder,
    ) -> None:
        self.app = app
        self.codec = codec
        self.trust_proxy = trust_proxy
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.too_large = too_large

    def _limit(self, scope: Scope) -> int:
        ctype = (_header(scope, b"content-type") or "").lower()
        if scope["path"].startswith("/api/") and not ctype.startswith("multipart/form-data"):
            return self.max_json_bytes
        return self.max_upload_bytes

    def _session(self, scope: Scope) -> WebSession:
        raw = _header(scope, b"cookie")
        if raw:
            value = cookie_parser(raw).get(SESSION_COOKIE)
            if value:
                decoded = self.codec.decode(value)
                if decoded is not None:
                    return decoded
        return WebSession()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        secure = is_secure(scope, trust_proxy=self.trust_proxy)
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > limit:
                await self._send_too_large(scope, send, limit, secure)
                return

        session = self._session(scope)
        scope.setdefault("state", {})["web_session"] = session
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                self._add_headers(scope, headers, secure)
                if session.dirty:
                    headers.append((b"set-cookie", self._cookie(session, secure)))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_wrapper)
        except BodyTooLarge:
            if started:
                raise
            await self._send_too_large(scope, send, limit, secure)

    async def _send_too_large(self, scope: Scope, send: Send, limit: int, secure: bool) -> None:
        status, headers, body = await self.too_large(scope, limit)
        headers = list(headers)
        self._add_headers(scope, headers, secure)
        headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _cookie(self, session: WebSession, secure: bool) -> bytes:
        parts = [f"{SESSION_COOKIE}={self.codec.encode(session)}", "Path=/", "HttpOnly"]
        parts.append("SameSite=Lax")
        if secure:
            parts.append("Secure")
        return "; ".join(parts).encode("latin-1")

    @staticmethod
    def _add_headers(scope: Scope, headers: list[tuple[bytes, bytes]], secure: bool) -> None:
        present = {k.lower() for k, _ in headers}
        wanted: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        ]
        if not scope["path"].startswith("/static/"):
            # Pages and API answers carry personal information: no browser or proxy cache.
            wanted.append((b"cache-control", b"no-store"))
        if secure:
            wanted.append((b"strict-transport-security", b"max-age=31536000"))
        headers.extend((k, v) for k, v in wanted if k not in present)
