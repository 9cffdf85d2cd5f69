"""The FastAPI application of the review service: ``create_app(settings)``.

Pages are rendered on the server (Jinja2) and work without JavaScript; ``/api/v1`` is the
JSON API with its OpenAPI document at ``/api/v1/openapi.json``. Errors on pages are
translated pages; errors under ``/api/`` are ``{"error": {"code", "message"}}`` with a
stable code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from resguardo import __version__
from resguardo.audit.group_commit import GroupCommitter
from resguardo.config import ensure_secret_key
from resguardo.policy import get_pack
from resguardo.store import Store, open_store
from resguardo.web.context import STATIC_DIR, AppContext, record_pack_in_use, template_environment
from resguardo.web.deps import (
    LoginRequired,
    PasswordChangeRequired,
    WebError,
    render,
    request_lang,
)
from resguardo.web.i18n import LANG_COOKIE, pick_language, translate
from resguardo.web.security import SecurityMiddleware, SessionCodec, csrf_guard
from resguardo.web.settings import WebSettings, load_web_settings
from resguardo.web.token_cache import TokenCache

__all__ = ["API_PREFIX", "create_app", "create_app_from_env", "error_body"]

API_PREFIX = "/api/v1"
log = logging.getLogger("resguardo.web")

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The API's error shape."""
    error: dict[str, Any] = {"code": code, "message": message}
    error.update(extra)
    return {"error": error}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(
    request: Request, status: int, code: str, key: str | None = None, **params: object
) -> Response:
    lang = request_lang(request)
    message = translate(lang, key or f"error.{code}", **params)
    if _is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return _error_response(request, exc.status, exc.code, exc.key, **exc.params)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return _error_response(request, 401, "unauthorized")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def password_required(request: Request, exc: PasswordChangeRequired) -> Response:
        if _is_api(request):
            return _error_response(request, 403, "password_change_required")
        return RedirectResponse("/account/password", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = exc.detail if exc.detail in ("csrf", "payload_too_large") else None
        code = code or _STATUS_CODES.get(exc.status_code, "error")
        if exc.status_code >= 500:
            code = "internal_error"
        return _error_response(request, exc.status_code, str(code))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if not _is_api(request):
            return _error_response(request, 400, "bad_request")
        details = [
            {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))}
            for err in exc.errors()[:50]
        ]
        message = translate(request_lang(request), "error.invalid_request")
        return JSONResponse(
            error_body("invalid_request", message, details=details), status_code=422
        )

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> Response:
        # A value the database cannot hold (out of range, an invalid character) that got
        # past validation: the caller's mistake, not the server's. Nothing was stored (the
        # transaction rolled back).
        log.warning(
            "database refused a value on %s %s: %s",
            request.method,
            request.url.path,
            exc.orig or exc,
        )
        return _error_response(request, 400, "bad_request")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        # Logged with its traceback for the operator; the person gets no internals.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        try:
            return _error_response(request, 500, "internal_error")
        except Exception:
            return JSONResponse(error_body("internal_error", "internal error"), status_code=500)


def _too_large_responder(settings: WebSettings) -> Any:
    async def respond(scope: Scope, limit: int) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        headers_in = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        cookie = None
        for part in headers_in.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == LANG_COOKIE:
                cookie = value
        lang = pick_language(cookie, headers_in.get("accept-language"), settings.default_lang)
        message = translate(lang, "error.payload_too_large", limit=f"{limit // 1024} KiB")
        if scope["path"].startswith("/api/"):
            body = json.dumps(error_body("payload_too_large", message), ensure_ascii=False)
            return 413, [(b"content-type", b"application/json")], body.encode("utf-8")
        return 413, [(b"content-type", b"text/plain; charset=utf-8")], message.encode("utf-8")

    return respond


def create_app(
    settings: WebSettings, *, store: Store | None = None, warm_up: bool = False
) -> FastAPI:
    """The application for ``settings``: opens (and migrates) the database, loads the pack
    (an unknown pack stops start-up rather than deciding under the wrong rules), and logs
    the pack in use. ``warm_up`` builds the scanner in the background."""
    pack = get_pack(settings.pack)
    store = store or open_store(settings)
    record_pack_in_use(store, pack)
    codec = SessionCodec(ensure_secret_key(settings), max_age_s=settings.session_hours * 3600)
    ctx = AppContext(
        settings=settings,
        store=store,
        pack=pack,
        codec=codec,
        templates=template_environment(),
        token_cache=TokenCache(settings.api_token_cache_seconds),
        audit_writer=GroupCommitter(store),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # Requests still in flight have finished by now (the server drains them before
        # shutdown); write whatever audit events they queued before the process ends.
        await run_in_threadpool(ctx.audit_writer.close)

    app = FastAPI(
        title="Resguardo review service",
        version=__version__,
        description=(
            "Decide requests for people's sensitive personal information under a policy "
            "pack, scan text for it, log and review requests, and read the audit log."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN; the document is enough
        redoc_url=None,
        dependencies=[Depends(csrf_guard)],
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    _install_handlers(app)

    from resguardo.web import admin, audit, auth, intake, review
    from resguardo.web.api import router as api_router

    for module in (auth, intake, review, audit, admin):
        app.include_router(module.router)
    app.include_router(api_router, prefix=API_PREFIX)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.add_middleware(
        SecurityMiddleware,
        codec=codec,
        trust_proxy=settings.trust_proxy,
        max_json_bytes=settings.max_json_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        too_large=_too_large_responder(settings),
    )
    if warm_up:
        ctx.warm_up()
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (and several workers): settings from the
    environment and ``RESGUARDO_CONFIG``, as ``resguardo serve`` sets them."""
    return create_app(load_web_settings(), warm_up=True)
