"""Administration: accounts, API tokens and the settings view, all logged."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from webtest_helpers import post_form

from resguardo.store.models import ApiToken, AuditEvent, User


def _actions(app: FastAPI) -> list[str]:
    with app.state.ctx.store.read_session() as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_account_changes(app: FastAPI, admin: TestClient) -> None:
    made = post_form(
        admin,
        "/admin/users",
        {"username": "Lucia", "role": "reviewer", "display_name": "Lucía Núñez"},
        token_from="/admin/users",
    )
    assert made.status_code == 200 and 'id="new-password"' in made.text
    dup = post_form(
        admin, "/admin/users", {"username": "lucia", "role": "clerk"}, token_from="/admin/users"
    )
    assert dup.status_code == 400 and 'id="admin-error"' in dup.text
    assert (
        post_form(
            admin, "/admin/users/lucia/role", {"role": "auditor"}, token_from="/admin/users"
        ).status_code
        == 303
    )
    assert (
        post_form(admin, "/admin/users/lucia/disable", token_from="/admin/users").status_code == 303
    )
    assert (
        post_form(admin, "/admin/users/lucia/enable", token_from="/admin/users").status_code == 303
    )
    reset = post_form(admin, "/admin/users/lucia/reset", token_from="/admin/users")
    assert 'id="new-password"' in reset.text
    last = post_form(admin, "/admin/users/adam/disable", token_from="/admin/users")
    assert last.status_code == 400  # the last administrator stays
    with app.state.ctx.store.read_session() as db:
        lucia = db.scalars(select(User).where(User.username == "lucia")).one()
        assert lucia.role.value == "auditor" and lucia.is_active and lucia.must_change_password
    actions = _actions(app)
    for action in (
        "user.create",
        "user.role_change",
        "user.disable",
        "user.enable",
        "user.password_reset",
    ):
        assert action in actions, action


def test_tokens_are_shown_once_and_revocable(app: FastAPI, admin: TestClient) -> None:
    page = post_form(
        admin,
        "/admin/tokens",
        {"name": "dmv-gateway", "scopes": ["decisions", "scan"], "expires_days": "30"},
        token_from="/admin/tokens",
    )
    assert page.status_code == 200
    secret = re.search(r'id="token-secret">([^<]+)<', page.text)
    assert secret and secret.group(1).startswith("rsg_")
    listing = admin.get("/admin/tokens")
    assert secret.group(1) not in listing.text
    with app.state.ctx.store.read_session() as db:
        token = db.scalars(select(ApiToken)).one()
        assert token.scopes == "decisions scan"
    api = TestClient(app).post(
        "/api/v1/scan", json={"text": "x"}, headers={"Authorization": f"Bearer {secret.group(1)}"}
    )
    assert api.status_code == 200
    none = post_form(admin, "/admin/tokens", {"name": "x"}, token_from="/admin/tokens")
    assert none.status_code == 400
    revoked = post_form(admin, f"/admin/tokens/{token.id}/revoke", token_from="/admin/tokens")
    assert revoked.status_code == 303
    api = TestClient(app).post(
        "/api/v1/scan", json={"text": "x"}, headers={"Authorization": f"Bearer {secret.group(1)}"}
    )
    assert api.status_code == 401
    assert {"token.create", "token.revoke"} <= set(_actions(app))


def test_settings_view_hides_secrets(app: FastAPI, admin: TestClient) -> None:
    page = admin.get("/admin/settings")
    assert page.status_code == 200
    assert "nm-sb36-2025" in page.text
    assert "test-secret-key" not in page.text


def test_pack_in_use_is_logged_once(app: FastAPI) -> None:
    from resguardo.web.context import record_pack_in_use

    ctx = app.state.ctx
    assert _actions(app).count("pack.change") == 1
    assert record_pack_in_use(ctx.store, ctx.pack) is False
    from resguardo.policy import get_pack

    assert record_pack_in_use(ctx.store, get_pack("nm-2019")) is True
    assert record_pack_in_use(ctx.store, ctx.pack) is True
    assert _actions(app).count("pack.change") == 3
