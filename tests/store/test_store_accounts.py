"""Accounts, logins, throttling and API tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from resguardo.accounts import (
    AccountError,
    Actor,
    ActorKind,
    LoginFailure,
    PermissionDenied,
    ThrottlePolicy,
    authenticate,
    authenticate_token,
    change_password,
    check_throttle,
    create_api_token,
    create_user,
    disable_user,
    enable_user,
    get_user,
    list_api_tokens,
    list_users,
    prune_login_attempts,
    record_failure,
    reset_password,
    revoke_api_token,
    set_role,
)
from resguardo.audit.log import iter_entries, verify_log
from resguardo.store import ApiToken, LoginAttempt, Role, Scope, Store, User
from resguardo.store.types import utcnow

OP = Actor.operator("tester")
PW = "correct horse battery staple"
POLICY = ThrottlePolicy(window=timedelta(minutes=15), max_per_username=3, max_per_ip=5)


def add(store: Store, username: str, role: Role = Role.CLERK, password: str = PW) -> None:
    with store.transaction() as s:
        create_user(s, username=username, password=password, role=role, actor=OP)


def user(s: Session, username: str) -> User:
    found = get_user(s, username)
    assert found is not None
    return found


def actions(store: Store) -> list[tuple[str, str, str | None]]:
    with store.read_session() as s:
        return [(e.actor, e.action, e.object_id) for e in iter_entries(s)]


def login(
    store: Store,
    username: str,
    password: str,
    ip: str | None = "10.0.0.1",
    now: datetime | None = None,
) -> tuple[bool, LoginFailure | None, timedelta | None]:
    with store.transaction() as s:
        result = authenticate(s, username, password, ip=ip, policy=POLICY, now=now)
        return result.ok, result.failure, result.retry_after


# --- users -----------------------------------------------------------------------------------


def test_create_user_stores_an_argon2_hash_and_audits(store: Store) -> None:
    with store.transaction() as s:
        user = create_user(
            s, username="  Ana.Perez ", password=PW, role="reviewer", actor=OP, display_name="Ana"
        )
    assert user.username == "ana.perez"
    with store.read_session() as s:
        stored = get_user(s, "ANA.PEREZ")
        assert stored is not None
        assert stored.role is Role.REVIEWER
        assert stored.password_hash.startswith("$argon2id$")
        assert PW not in stored.password_hash
        assert verify_log(s).ok
    assert actions(store) == [("cli:tester", "user.create", "ana.perez")]


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("ana", "short", Role.CLERK, "at least 12"),
        ("ana", "ana", Role.CLERK, "at least 12"),
        ("ana", "aaaaaaaaaaaaaaaa", Role.CLERK, "different characters"),
        ("anaanaanaana", "AnaAnaAnaAna", Role.CLERK, "must not be the username"),
        ("аna", PW, Role.CLERK, "a-z"),  # Cyrillic а
        ("-ana", PW, Role.CLERK, "starts with"),
        ("", PW, Role.CLERK, "1 to 150"),
        ("ana", PW, "superuser", "unknown role"),
    ],
)
def test_create_user_refuses_bad_input(
    store: Store, username: str, password: str, role: Role | str, message: str
) -> None:
    with store.transaction() as s, pytest.raises(AccountError, match=message):
        create_user(s, username=username, password=password, role=role, actor=OP)


def test_usernames_are_unique_whatever_the_case(store: Store) -> None:
    add(store, "ana")
    with store.transaction() as s, pytest.raises(AccountError, match="already exists"):
        create_user(s, username="ANA", password=PW, role=Role.CLERK, actor=OP)


def test_only_administrators_manage_accounts(store: Store) -> None:
    add(store, "boss", Role.ADMIN)
    add(store, "clerk1")
    with store.transaction() as s:
        clerk = Actor.for_user(user(s, "clerk1"))
        admin = Actor.for_user(user(s, "boss"))
        token_actor = Actor("token:1:gw", ActorKind.TOKEN)
        for actor in (clerk, token_actor):
            with pytest.raises(PermissionDenied):
                create_user(s, username="x", password=PW, role=Role.ADMIN, actor=actor)
            with pytest.raises(PermissionDenied):
                disable_user(s, "boss", actor=actor)
            with pytest.raises(PermissionDenied):
                create_api_token(s, name="t", scopes=[Scope.SCAN], actor=actor)
        create_user(s, username="new1", password=PW, role=Role.AUDITOR, actor=admin)
    assert actions(store)[-1] == ("user:boss", "user.create", "new1")


def test_the_last_web_admin_cannot_remove_themselves(store: Store) -> None:
    add(store, "boss", Role.ADMIN)
    with store.transaction() as s:
        boss = Actor.for_user(user(s, "boss"))
        with pytest.raises(AccountError, match="last active administrator"):
            disable_user(s, "boss", actor=boss)
        with pytest.raises(AccountError, match="last active administrator"):
            set_role(s, "boss", Role.CLERK, actor=boss)
    # The shell operator can; they can always put things right from the shell.
    with store.transaction() as s:
        set_role(s, "boss", Role.CLERK, actor=OP)


def test_disable_enable_and_role_change(store: Store) -> None:
    add(store, "ana")
    with store.transaction() as s:
        user = disable_user(s, "ana", actor=OP, reason="left the agency")
        assert not user.is_active and user.disabled_at is not None
        assert user.session_epoch == 1
        with pytest.raises(AccountError, match="already disabled"):
            disable_user(s, "ana", actor=OP)
    assert login(store, "ana", PW)[:2] == (False, LoginFailure.DISABLED)
    with store.transaction() as s:
        enable_user(s, "ana", actor=OP)
        set_role(s, "ana", Role.AUDITOR, actor=OP)
    assert login(store, "ana", PW)[0]
    with store.read_session() as s:
        user = get_user(s, "ana")
        assert user is not None and user.role is Role.AUDITOR and user.session_epoch == 2
        assert [u.username for u in list_users(s)] == ["ana"]
    assert [a for _, a, _ in actions(store)] == [
        "user.create",
        "user.disable",
        "login.failed",
        "user.enable",
        "user.role_change",
        "login",
    ]


def test_reset_password(store: Store) -> None:
    add(store, "ana")
    new = "another long passphrase"
    with store.transaction() as s:
        user = reset_password(s, "ana", new, actor=OP)
        assert user.must_change_password and user.session_epoch == 1
    assert not login(store, "ana", PW)[0]
    ok, _, _ = login(store, "ana", new)
    assert ok
    with store.transaction() as s:
        user = get_user(s, "ana")
        assert user is not None
        with pytest.raises(AccountError, match="not correct"):
            change_password(s, user, "wrong", "my very own passphrase")
        change_password(s, user, new, "my very own passphrase")
        assert not user.must_change_password
    assert login(store, "ana", "my very own passphrase")[0]
    assert "user.password_reset" in [a for _, a, _ in actions(store)]
    assert ("user:ana", "user.password_change", "ana") in actions(store)


# --- logins and throttling -------------------------------------------------------------------


def test_login_success_and_failure_are_recorded(store: Store) -> None:
    add(store, "ana")
    assert login(store, "Ana", PW)[0]
    assert login(store, "ana", "wrong password!!")[1] is LoginFailure.BAD_CREDENTIALS
    assert login(store, "nobody", PW)[1] is LoginFailure.BAD_CREDENTIALS
    with store.read_session() as s:
        entries = list(iter_entries(s))
        user = get_user(s, "ana")
        assert user is not None and user.last_login_at is not None
    assert [(e.actor, e.action) for e in entries] == [
        ("cli:tester", "user.create"),
        ("user:ana", "login"),
        ("anonymous", "login.failed"),
        ("anonymous", "login.failed"),
    ]
    assert entries[2].details == {"ip": "10.0.0.1", "reason": "bad_credentials", "known_user": True}
    assert entries[3].details["known_user"] is False
    # The password never reaches the log.
    assert all(PW not in str(e.details) for e in entries)


def test_throttle_per_username_and_its_window(store: Store) -> None:
    add(store, "ana")
    now = utcnow()
    for i in range(3):
        ok, failure, _ = login(
            store, "ana", "bad", ip=f"10.0.0.{i}", now=now + timedelta(seconds=i)
        )
        assert failure is LoginFailure.BAD_CREDENTIALS
    # Even the right password is not checked while throttled.
    ok, failure, retry = login(store, "ana", PW, ip="10.9.9.9", now=now + timedelta(seconds=10))
    assert (ok, failure) == (False, LoginFailure.THROTTLED)
    assert retry is not None
    assert timedelta(minutes=14) < retry <= timedelta(minutes=15)
    # When the oldest failure leaves the window, one more try is allowed.
    later = now + POLICY.window + timedelta(seconds=0.5)
    assert login(store, "ana", PW, now=later)[0]
    with store.read_session() as s:
        # A success clears the name's failures.
        assert check_throttle(s, "ana", None, now=later, policy=POLICY).allowed
        assert s.scalars(select(LoginAttempt).where(LoginAttempt.username == "ana")).all() == []


def test_throttle_per_ip_across_usernames(store: Store) -> None:
    now = utcnow()
    for i in range(5):
        login(store, f"user{i}", "bad", ip="192.0.2.7", now=now)
    with store.read_session() as s:
        status = check_throttle(s, "someone-else", "192.0.2.7", now=now, policy=POLICY)
        assert not status.allowed and status.reason == "ip"
        assert check_throttle(s, "someone-else", "192.0.2.8", now=now, policy=POLICY).allowed


def test_unknown_usernames_are_throttled_like_real_ones(store: Store) -> None:
    now = utcnow()
    with store.transaction() as s:
        for _ in range(3):
            record_failure(s, "Ghost", None, now=now)
    with store.read_session() as s:
        status = check_throttle(s, "ghost", None, now=now, policy=POLICY)
        assert not status.allowed and status.reason == "username"


def test_old_failures_are_pruned(store: Store) -> None:
    now = utcnow()
    with store.transaction() as s:
        record_failure(s, "a", "1.1.1.1", now=now - timedelta(days=2))
        record_failure(s, "a", "1.1.1.1", now=now)
    with store.transaction() as s:
        assert prune_login_attempts(s, before=now - timedelta(days=1)) == 1
    with store.read_session() as s:
        assert len(s.scalars(select(LoginAttempt)).all()) == 1


def test_weak_hashes_are_upgraded_at_login(store: Store) -> None:
    add(store, "ana")
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PW)
    with store.transaction() as s:
        s.execute(text("UPDATE users SET password_hash = :h"), {"h": weak})
    assert login(store, "ana", PW)[0]
    with store.read_session() as s:
        stored = s.scalar(select(User.password_hash))
    assert stored != weak and "m=65536" in (stored or "")


# --- API tokens ------------------------------------------------------------------------------


def test_token_is_shown_once_stored_hashed_and_scoped(store: Store) -> None:
    with store.transaction() as s:
        new = create_api_token(
            s, name="dmv-gateway", scopes=["requests:read", Scope.SCAN], actor=OP
        )
    assert new.secret.startswith("rsg_") and len(new.secret) > 40
    with store.read_session() as s:
        row = s.scalars(select(ApiToken)).one()
        assert row.token_hash == hashlib.sha256(new.secret.encode()).hexdigest()
        dump = " ".join(str(v) for v in s.execute(text("SELECT * FROM api_tokens")).one())
        assert new.secret not in dump
        assert row.scope_set == {Scope.REQUESTS_READ, Scope.SCAN}
        entries = list(iter_entries(s))
    assert entries[-1].action == "token.create"
    assert new.secret not in str(entries[-1].details)

    with store.transaction() as s:
        token = authenticate_token(s, new.secret)
        assert token is not None and token.name == "dmv-gateway"
        assert Scope.AUDIT_READ not in token.scope_set
        first_use = token.last_used_at
        assert first_use is not None
        assert authenticate_token(s, new.secret + "x") is None
        assert authenticate_token(s, "not-a-token") is None
    with store.transaction() as s:
        again = authenticate_token(s, new.secret, now=first_use + timedelta(seconds=5))
        assert again is not None and again.last_used_at == first_use  # not rewritten yet
        later = authenticate_token(s, new.secret, now=first_use + timedelta(minutes=2))
        assert later is not None and later.last_used_at == first_use + timedelta(minutes=2)


def test_revoked_and_expired_tokens_are_refused(store: Store) -> None:
    with store.transaction() as s:
        a = create_api_token(s, name="a", scopes=["scan"], actor=OP)
        b = create_api_token(
            s, name="b", scopes=["scan"], actor=OP, expires_at=utcnow() + timedelta(hours=1)
        )
    with store.transaction() as s:
        revoke_api_token(s, a.token.id, actor=OP)
        assert authenticate_token(s, a.secret) is None
        assert authenticate_token(s, b.secret) is not None
        assert authenticate_token(s, b.secret, now=utcnow() + timedelta(hours=2)) is None
        assert [t.name for t in list_api_tokens(s)] == ["b"]
        assert [t.name for t in list_api_tokens(s, include_revoked=True)] == ["b", "a"]
        with pytest.raises(AccountError, match="already revoked"):
            revoke_api_token(s, a.token.id, actor=OP)
    assert ("cli:tester", "token.revoke", str(a.token.id)) in actions(store)


@pytest.mark.parametrize(("scopes", "message"), [(["admin"], "unknown scope"), ([], "at least")])
def test_token_scopes_are_checked(store: Store, scopes: list[str], message: str) -> None:
    with store.transaction() as s, pytest.raises(AccountError, match=message):
        create_api_token(s, name="t", scopes=scopes, actor=OP)
