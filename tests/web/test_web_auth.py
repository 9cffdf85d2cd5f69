"""Logging in and out, throttling, sessions, cookies, CSRF and security headers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webtest_helpers import PASSWORD, csrf, login, post_form

from resguardo.accounts import Actor, disable_user, reset_password
from resguardo.store.models import AuditEvent, User
from resguardo.web.security import SESSION_COOKIE


def _actions(app: FastAPI) -> list[tuple[str, str, str | None]]:
    with app.state.ctx.store.read_session() as db:
        return [
            (e.actor, e.action, e.object_id)
            for e in db.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        ]


def test_login_page_sets_a_safe_session_cookie(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back


def test_secure_cookie_only_behind_a_trusted_proxy(app: FastAPI) -> None:
    untrusted = TestClient(app).get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in untrusted.headers["set-cookie"]
    app.state.ctx.settings.trust_proxy = True
    # The middleware reads the setting at start-up; a fresh app shows the trusted case.
    from resguardo.web.app import create_app

    trusted_app = create_app(app.state.ctx.settings, store=app.state.ctx.store)
    trusted = TestClient(trusted_app).get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in trusted.headers["set-cookie"]
    assert "max-age" in trusted.headers["strict-transport-security"]
    over_tls = TestClient(app, base_url="https://testserver").get("/login")
    assert "Secure" in over_tls.headers["set-cookie"]


def test_security_headers(client: TestClient) -> None:
    page = client.get("/login")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"


def test_login_and_logout_are_logged(app: FastAPI, client: TestClient) -> None:
    response = login(client, "ana")
    assert response.headers["location"] == "/"
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/cases"
    assert client.get("/cases").status_code == 200
    copied = client.cookies.get(SESSION_COOKIE)
    out = post_form(client, "/logout", token_from="/cases")
    assert out.status_code == 303
    assert client.get("/cases", follow_redirects=False).status_code == 303
    # A copy of the cookie taken before logging out no longer works either.
    thief = TestClient(app)
    thief.cookies.set(SESSION_COOKIE, str(copied))
    assert thief.get("/cases", follow_redirects=False).status_code == 303
    actions = _actions(app)
    assert ("user:ana", "login", "ana") in actions
    assert ("user:ana", "logout", "ana") in actions


def test_wrong_password_is_refused_and_logged(app: FastAPI, client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/login", data={"username": "ana", "password": "nope nope nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert 'id="login-error"' in response.text
    unknown = client.post(
        "/login", data={"username": "nobody", "password": PASSWORD, "csrf_token": token}
    )
    assert unknown.status_code == 401
    # The same message whether or not the account exists.
    assert unknown.text.count("login-error") == response.text.count("login-error")
    failed = [a for a in _actions(app) if a[1] == "login.failed"]
    assert [a[2] for a in failed] == ["ana", "nobody"]


def test_login_is_throttled_after_repeated_failures(app: FastAPI, client: TestClient) -> None:
    token = csrf(client)
    for _ in range(10):
        r = client.post(
            "/login", data={"username": "rita", "password": "wrong-password!", "csrf_token": token}
        )
        assert r.status_code == 401
    blocked = client.post(
        "/login", data={"username": "rita", "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429
    assert "rita" not in str(client.cookies.get(SESSION_COOKIE))
    assert client.get("/review", follow_redirects=False).status_code == 303
    assert any(a[1] == "login.throttled" for a in _actions(app))


def test_login_without_csrf_token_is_refused(app: FastAPI, client: TestClient) -> None:
    client.get("/login")
    no_token = client.post("/login", data={"username": "ana", "password": PASSWORD})
    assert no_token.status_code == 403
    bad = client.post(
        "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": "x" * 43}
    )
    assert bad.status_code == 403
    assert not any(a[1] == "login" for a in _actions(app))


def test_token_from_another_session_is_refused(app: FastAPI) -> None:
    mallory = TestClient(app)
    login(mallory, "bruno")
    stolen = csrf(mallory, "/cases")
    victim = TestClient(app)
    login(victim, "ana")
    forged = victim.post("/logout", data={"csrf_token": stolen}, follow_redirects=False)
    assert forged.status_code == 403


def test_logged_in_forms_need_the_token(app: FastAPI, clerk: TestClient, admin: TestClient) -> None:
    assert clerk.post("/logout", follow_redirects=False).status_code == 403
    assert clerk.post("/intake/new", data={"email_text": "hello"}).status_code == 403
    assert clerk.post("/cases/1/confirm", data={"purpose": "unknown"}).status_code == 403
    created = admin.post("/admin/users", data={"username": "eve", "role": "admin"})
    assert created.status_code == 403
    with app.state.ctx.store.read_session() as db:
        assert db.scalars(select(User).where(User.username == "eve")).first() is None
    # A JSON body to a page is not a form: refused as well.
    assert admin.post("/admin/users", json={"username": "eve"}).status_code == 403


def test_forged_cookie_is_ignored(app: FastAPI, clerk: TestClient) -> None:
    value = clerk.cookies.get(SESSION_COOKIE)
    assert value
    payload, _, signature = value.rpartition(".")
    forged = TestClient(app)
    forged.cookies.set(SESSION_COOKIE, payload + "." + ("A" * len(signature)))
    assert forged.get("/cases", follow_redirects=False).status_code == 303


def test_password_reset_and_disable_end_sessions(app: FastAPI) -> None:
    ana = TestClient(app)
    login(ana, "ana")
    rita = TestClient(app)
    login(rita, "rita")
    store = app.state.ctx.store
    with store.transaction() as db:
        reset_password(db, "ana", "a brand new password", actor=Actor.operator("t"))
        disable_user(db, "rita", actor=Actor.operator("t"))
    assert ana.get("/cases", follow_redirects=False).headers["location"].startswith("/login")
    assert rita.get("/review", follow_redirects=False).headers["location"].startswith("/login")
    # The disabled account cannot log in again either.
    token = csrf(rita)
    again = rita.post(
        "/login", data={"username": "rita", "password": PASSWORD, "csrf_token": token}
    )
    assert again.status_code == 401


def test_must_change_password_first(app: FastAPI, admin: TestClient) -> None:
    created = post_form(
        admin,
        "/admin/users",
        {"username": "nuevo", "role": "clerk", "display_name": "N"},
        token_from="/admin/users",
    )
    assert created.status_code == 200
    import re

    temporary = re.search(r'id="new-password">([^<]+)<', created.text)
    assert temporary
    person = TestClient(app)
    first = login(person, "nuevo", temporary.group(1))
    assert first.headers["location"] == "/account/password"
    assert person.get("/cases", follow_redirects=False).headers["location"] == "/account/password"
    changed = post_form(
        person,
        "/account/password",
        {
            "current": temporary.group(1),
            "new": "my own long password",
            "confirm": "my own long password",
        },
        token_from="/account/password",
    )
    assert changed.status_code == 303
    assert person.get("/cases").status_code == 200


def test_language_switch_and_open_redirects(client: TestClient) -> None:
    spanish = client.get("/login", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert '<html lang="es">' in spanish.text
    assert "Iniciar sesión" in spanish.text
    switched = client.get("/lang/en?next=/login", follow_redirects=False)
    assert switched.headers["location"] == "/login"
    assert "resguardo_lang=en" in switched.headers["set-cookie"]
    english = client.get("/login", headers={"Accept-Language": "es"})
    assert '<html lang="en">' in english.text  # the choice beats the browser
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"):
        r = client.get("/lang/es", params={"next": evil}, follow_redirects=False)
        assert r.headers["location"] == "/", evil
    login_redirect = client.get("/login", params={"next": "https://evil.example"})
    assert 'value="/"' in login_redirect.text


def test_healthz_and_static(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert ":focus-visible" in css.text
