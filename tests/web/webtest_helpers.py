"""Helpers shared by the review service tests: accounts, logging in, CSRF tokens, intake."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from resguardo.store.models import Role

PASSWORD = "correct horse battery staple"
USERS: dict[str, Role] = {
    "ana": Role.CLERK,
    "bruno": Role.CLERK,
    "rita": Role.REVIEWER,
    "raul": Role.REVIEWER,
    "olga": Role.AUDITOR,
    "adam": Role.ADMIN,
}
REPO = Path(__file__).resolve().parents[2]
DEV_EMAILS = REPO / "tests" / "data" / "requests-dev" / "emails"

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of the session, read from a form on ``path``."""
    page = client.get(path)
    match = _CSRF.search(page.text)
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    """Log in through the form; assert it worked."""
    token = csrf(client)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return response


def post_form(
    client: TestClient,
    path: str,
    data: dict[str, Any] | None = None,
    *,
    files: Any = None,
    token_from: str = "/",
) -> httpx.Response:
    """POST a form with the session's CSRF token (taken from a page that has a form)."""
    token = csrf(client, token_from)
    payload = {**(data or {}), "csrf_token": token}
    return client.post(path, data=payload, files=files, follow_redirects=False)


def log_email(
    client: TestClient,
    eml: bytes,
    *,
    name: str = "request.eml",
    legal: tuple[str, bytes, str] | None = None,
) -> int:
    """Log an email through the intake form; the new case's id."""
    files: list[tuple[str, tuple[str, bytes, str]]] = [
        ("email_file", (name, eml, "message/rfc822"))
    ]
    if legal is not None:
        files.append(("legal_file", legal))
    response = post_form(client, "/intake/new", files=files, token_from="/intake/new")
    assert response.status_code == 303, response.text[:1000]
    location = response.headers["location"]
    match = re.fullmatch(r"/cases/(\d+)", location)
    assert match, location
    return int(match.group(1))


def confirm_as_read(client: TestClient, case_id: int, **overrides: Any) -> httpx.Response:
    """Submit the confirmation form with the values it was pre-filled with."""
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    data = form_values(page.text, "confirm-form")
    data.update(overrides)
    return client.post(f"/cases/{case_id}/confirm", data=data, follow_redirects=False)


_INPUT = re.compile(r"<input\b([^>]*)>", re.S)
_SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S)
_TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S)
_ATTR = re.compile(r'(\w[\w-]*)(?:="([^"]*)")?')


COURT_ORDER_REASON = "Court order on file in matter D-202-CV-2025-0001 covers the address only."


def release_part(
    reviewer: TestClient,
    case_id: int,
    categories: tuple[str, ...] = ("street_address",),
    reason: str = COURT_ORDER_REASON,
) -> httpx.Response:
    """A reviewer's partial release (``release_redacted``) of ``categories`` of a case."""
    return post_form(
        reviewer,
        f"/cases/{case_id}/review",
        {"outcome": "release_redacted", "release_categories": list(categories), "reason": reason},
        token_from=f"/cases/{case_id}",
    )


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) or "" for m in _ATTR.finditer(text)}


def form_values(html: str, form_id: str) -> dict[str, Any]:
    """What a browser would submit for the form ``form_id`` as filled in (checked boxes,
    selected options), as a dict (lists for repeated names)."""
    start = html.index(f'id="{form_id}"')
    end = html.index("</form>", start)
    body = html[start:end]
    import html as html_lib

    out: dict[str, Any] = {}

    def add(name: str, value: str) -> None:
        value = html_lib.unescape(value)
        if name in out:
            current = out[name]
            out[name] = [*current, value] if isinstance(current, list) else [current, value]
        else:
            out[name] = value

    for m in _INPUT.finditer(body):
        a = _attrs(m.group(1))
        name = a.get("name")
        if not name:
            continue
        kind = a.get("type", "text")
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                add(name, a.get("value", "on"))
        elif kind != "file":
            add(name, a.get("value", ""))
    for m in _SELECT.finditer(body):
        a = _attrs(m.group(1))
        options = re.findall(r"<option\b([^>]*)>", m.group(2))
        chosen = next(
            (o for o in options if "selected" in _attrs(o)), options[0] if options else ""
        )
        add(a["name"], _attrs(chosen).get("value", ""))
    for m in _TEXTAREA.finditer(body):
        a = _attrs(m.group(1))
        add(a["name"], m.group(2))
    return out
