"""People, roles, logins and API tokens: the account services the CLI and the web call.

Every function takes the caller's ``Session`` and does not commit: the caller commits once,
and the audit event each change writes commits (or rolls back) with it. Changes that need
an administrator check ``actor`` themselves, so a web handler that forgets its own check
still cannot let a clerk create accounts.
"""

from __future__ import annotations

import getpass
import hashlib
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from resguardo.audit.log import Action, append_event
from resguardo.store.models import USERNAME_MAX, ApiToken, LoginAttempt, Role, Scope, User
from resguardo.store.types import utcnow

__all__ = [
    "DEFAULT_THROTTLE",
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "Actor",
    "ActorKind",
    "LoginFailure",
    "LoginResult",
    "NewToken",
    "PermissionDenied",
    "Role",
    "Scope",
    "ThrottlePolicy",
    "ThrottleStatus",
    "authenticate",
    "authenticate_token",
    "change_password",
    "check_password_policy",
    "check_throttle",
    "clear_failures",
    "create_api_token",
    "create_user",
    "disable_user",
    "enable_user",
    "generate_password",
    "get_user",
    "hash_token",
    "list_api_tokens",
    "list_users",
    "normalize_username",
    "prune_login_attempts",
    "record_failure",
    "reset_password",
    "revoke_api_token",
    "set_role",
]

MIN_PASSWORD_LENGTH = 12
# Long enough for any passphrase; short enough that hashing it cannot be used to tie up
# the server.
MAX_PASSWORD_LENGTH = 1024
TOKEN_PREFIX = "rsg_"
# last_used_at is written at most this often per token: a busy integration must not turn
# every API call into a write (on SQLite, a wait for the one write lock).
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)

_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._@-")

# argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over 64 MiB). Hashes carry
# their parameters, so raising these later upgrades each account at its next login.
_hasher = PasswordHasher()


class AccountError(Exception):
    """A request about an account that cannot be carried out (unknown user, bad password,
    name taken...). The message is fit to show the operator."""


class PermissionDenied(AccountError):
    """The actor may not do this."""


class ActorKind(StrEnum):
    """Who is acting."""

    USER = "user"  # a person logged in to the web
    TOKEN = "token"  # an integration with an API token
    OPERATOR = "operator"  # someone at the server's shell (the CLI), trusted as admin
    SYSTEM = "system"  # Resguardo itself (scheduled jobs)
    ANONYMOUS = "anonymous"  # not (yet) authenticated


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something: the name written to the audit log and what they may do."""

    label: str
    kind: ActorKind
    user_id: int | None = None
    role: Role | None = None

    @classmethod
    def for_user(cls, user: User) -> Actor:
        """A logged-in person."""
        return cls(user.actor, ActorKind.USER, user.id, user.role)

    @classmethod
    def for_token(cls, token: ApiToken) -> Actor:
        """An integration calling the API."""
        return cls(token.actor, ActorKind.TOKEN)

    @classmethod
    def operator(cls, name: str | None = None) -> Actor:
        """Whoever runs the CLI on the server: anyone who can, can read the database anyway."""
        return cls(f"cli:{name or _os_user()}", ActorKind.OPERATOR)

    @property
    def is_admin(self) -> bool:
        """May manage accounts and tokens."""
        return self.kind is ActorKind.OPERATOR or (
            self.kind is ActorKind.USER and self.role is Role.ADMIN
        )


ANONYMOUS = Actor("anonymous", ActorKind.ANONYMOUS)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"only an administrator may {what}")


# --- usernames and passwords ----------------------------------------------------------------


def normalize_username(name: str) -> str:
    """The stored form of a username: NFKC, trimmed, lower-case."""
    return unicodedata.normalize("NFKC", name).strip().lower()


def _valid_username(name: str) -> str:
    norm = normalize_username(name)
    if not norm or len(norm) > USERNAME_MAX:
        raise AccountError(f"a username has 1 to {USERNAME_MAX} characters")
    if not set(norm) <= _USERNAME_CHARS or not norm[0].isalnum():
        # ASCII only: look-alike letters from other scripts could otherwise make two
        # accounts that read the same in the audit log.
        raise AccountError(
            "a username uses only a-z, 0-9 and . _ @ - (and starts with a letter or digit)"
        )
    return norm


def check_password_policy(password: str, username: str | None = None) -> None:
    """Raise AccountError if ``password`` is unacceptable (NIST SP 800-63B: length, not
    composition rules)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if username is not None and normalize_username(password) == normalize_username(username):
        raise AccountError("a password must not be the username")
    if len(set(password)) < 4:
        raise AccountError("a password needs more than three different characters")


def generate_password() -> str:
    """A random temporary password (about 120 bits), easy to read aloud or type."""
    return "-".join(secrets.token_hex(5) for _ in range(3))


def _hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- users ----------------------------------------------------------------------------------


def get_user(session: Session, username: str) -> User | None:
    """The account named ``username`` (any case), or None."""
    return session.scalars(
        select(User).where(User.username == normalize_username(username))
    ).one_or_none()


def _require_user(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise AccountError(f"no user named {normalize_username(username)!r}")
    return user


def list_users(session: Session, *, include_disabled: bool = True) -> list[User]:
    """All accounts, by username."""
    stmt = select(User).order_by(User.username)
    if not include_disabled:
        stmt = stmt.where(User.is_active.is_(True))
    return list(session.scalars(stmt))


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role | str,
    actor: Actor,
    display_name: str = "",
    must_change_password: bool = False,
) -> User:
    """Create an account (administrators only)."""
    _require_admin(actor, "create accounts")
    name = _valid_username(username)
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(
            f"unknown role {role!r}; roles: {', '.join(r.value for r in Role)}"
        ) from None
    check_password_policy(password, name)
    if get_user(session, name) is not None:
        raise AccountError(f"a user named {name!r} already exists")
    display_name = display_name.strip()
    if len(display_name) > 200:
        raise AccountError("a display name has at most 200 characters")
    user = User(
        username=name,
        display_name=display_name,
        role=role,
        password_hash=_hash_password(password),
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    append_event(
        session,
        actor=actor.label,
        action=Action.USER_CREATE,
        object_type="user",
        object_id=user.username,
        details={"role": role.value, "display_name": display_name},
    )
    return user


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active)
        )
        or 0
    )


def _guard_last_admin(session: Session, user: User, actor: Actor) -> None:
    # The shell operator can always repair things; a web admin removing the last admin
    # would leave nobody able to manage accounts from the web.
    if (
        actor.kind is not ActorKind.OPERATOR
        and user.role is Role.ADMIN
        and user.is_active
        and _active_admins(session) <= 1
    ):
        raise AccountError("this is the last active administrator")


def disable_user(session: Session, username: str, *, actor: Actor, reason: str = "") -> User:
    """Disable an account: it can no longer log in, and its sessions end."""
    _require_admin(actor, "disable accounts")
    user = _require_user(session, username)
    if not user.is_active:
        raise AccountError(f"{user.username!r} is already disabled")
    _guard_last_admin(session, user, actor)
    user.is_active = False
    user.disabled_at = utcnow()
    user.session_epoch += 1
    append_event(
        session,
        actor=actor.label,
        action=Action.USER_DISABLE,
        object_type="user",
        object_id=user.username,
        details={"reason": reason} if reason else {},
    )
    return user


def enable_user(session: Session, username: str, *, actor: Actor) -> User:
    """Re-enable a disabled account."""
    _require_admin(actor, "enable accounts")
    user = _require_user(session, username)
    if user.is_active:
        raise AccountError(f"{user.username!r} is already enabled")
    user.is_active = True
    user.disabled_at = None
    append_event(
        session,
        actor=actor.label,
        action=Action.USER_ENABLE,
        object_type="user",
        object_id=user.username,
    )
    return user


def set_role(session: Session, username: str, role: Role | str, *, actor: Actor) -> User:
    """Change an account's role; its sessions end so the new rights apply at once."""
    _require_admin(actor, "change roles")
    user = _require_user(session, username)
    new_role = Role(role)
    if new_role is user.role:
        return user
    if new_role is not Role.ADMIN:
        _guard_last_admin(session, user, actor)
    old_role = user.role
    user.role = new_role
    user.session_epoch += 1
    append_event(
        session,
        actor=actor.label,
        action=Action.USER_ROLE_CHANGE,
        object_type="user",
        object_id=user.username,
        details={"from": old_role.value, "to": new_role.value},
    )
    return user


def reset_password(
    session: Session,
    username: str,
    new_password: str,
    *,
    actor: Actor,
    require_change: bool = True,
) -> User:
    """Set a new password for someone else (administrators only). By default the person must
    choose their own at next login, since the administrator knows this one."""
    _require_admin(actor, "reset passwords")
    user = _require_user(session, username)
    check_password_policy(new_password, user.username)
    user.password_hash = _hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = require_change
    user.session_epoch += 1
    append_event(
        session,
        actor=actor.label,
        action=Action.USER_PASSWORD_RESET,
        object_type="user",
        object_id=user.username,
        details={"require_change": require_change},
    )
    return user


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """A person changes their own password; the current one is required."""
    if not _verify_password(user.password_hash, current):
        raise AccountError("the current password is not correct")
    if new == current:
        raise AccountError("the new password must differ from the current one")
    check_password_policy(new, user.username)
    user.password_hash = _hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.session_epoch += 1
    append_event(
        session,
        actor=user.actor,
        action=Action.USER_PASSWORD_CHANGE,
        object_type="user",
        object_id=user.username,
    )


# --- login throttling -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How many failed logins are tolerated within ``window``, per username and per IP.

    Per username stops guessing one account's password from many addresses; per IP stops
    one address trying many accounts. The username limit is what an attacker can use to
    lock someone out, so it is a temporary slowdown, never a permanent lock.
    """

    window: timedelta = timedelta(minutes=15)
    max_per_username: int = 10
    max_per_ip: int = 50

    def __post_init__(self) -> None:
        if self.window <= timedelta(0) or self.max_per_username < 1 or self.max_per_ip < 1:
            raise ValueError("a throttle needs a positive window and limits of at least 1")


DEFAULT_THROTTLE = ThrottlePolicy()


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """Whether a login may be attempted now; if not, for how long and because of what."""

    allowed: bool
    retry_after: timedelta | None = None
    reason: str | None = None  # "username" or "ip"


def _key_username(username: str) -> str:
    # Names with no account are throttled too (so answers do not reveal which exist); a
    # cut keeps an attacker from storing megabytes per attempt.
    return normalize_username(username)[:USERNAME_MAX]


def _key_ip(ip: str | None) -> str | None:
    return ip.strip()[:64] if ip else None


def _blocked_until(
    session: Session, column: InstrumentedAttribute[Any], value: str, limit: int, since: datetime
) -> datetime | None:
    # The limit-th most recent failure in the window: once it leaves the window, fewer than
    # `limit` remain and attempts are allowed again.
    stmt = (
        select(LoginAttempt.attempted_at)
        .where(column == value, LoginAttempt.attempted_at > since)
        .order_by(LoginAttempt.attempted_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    return session.scalar(stmt)


def check_throttle(
    session: Session,
    username: str,
    ip: str | None,
    *,
    now: datetime | None = None,
    policy: ThrottlePolicy = DEFAULT_THROTTLE,
) -> ThrottleStatus:
    """May ``username`` try to log in from ``ip`` now? Call before checking the password."""
    now = now or utcnow()
    since = now - policy.window
    checks: list[tuple[str, InstrumentedAttribute[Any], str, int]] = [
        ("username", LoginAttempt.username, _key_username(username), policy.max_per_username)
    ]
    ip_key = _key_ip(ip)
    if ip_key:
        checks.append(("ip", LoginAttempt.ip, ip_key, policy.max_per_ip))
    worst: ThrottleStatus = ThrottleStatus(True)
    for reason, column, value, limit in checks:
        oldest = _blocked_until(session, column, value, limit, since)
        if oldest is not None:
            wait = oldest + policy.window - now
            if worst.retry_after is None or wait > worst.retry_after:
                worst = ThrottleStatus(False, max(wait, timedelta(seconds=1)), reason)
    return worst


def record_failure(
    session: Session, username: str, ip: str | None, *, now: datetime | None = None
) -> None:
    """Count one failed login for ``username`` and ``ip``."""
    session.add(
        LoginAttempt(username=_key_username(username), ip=_key_ip(ip), attempted_at=now or utcnow())
    )
    session.flush()


def clear_failures(session: Session, username: str) -> None:
    """Forget ``username``'s failures (after a successful login). The IP's failures stay:
    one good login must not reset an address that is guessing at other accounts."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == _key_username(username)))


def prune_login_attempts(session: Session, *, before: datetime) -> int:
    """Delete failures older than ``before`` (run now and then); return how many."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


# --- logging in -----------------------------------------------------------------------------


class LoginFailure(StrEnum):
    """Why a login failed. Show people one generic message; the audit log keeps these."""

    THROTTLED = "throttled"
    BAD_CREDENTIALS = "bad_credentials"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class LoginResult:
    """Outcome of :func:`authenticate`."""

    user: User | None
    failure: LoginFailure | None = None
    retry_after: timedelta | None = None

    @property
    def ok(self) -> bool:
        """True when the person is logged in."""
        return self.user is not None and self.failure is None

    @property
    def must_change_password(self) -> bool:
        """The person must choose a new password before doing anything else."""
        return self.user is not None and self.user.must_change_password


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    ip: str | None = None,
    now: datetime | None = None,
    policy: ThrottlePolicy = DEFAULT_THROTTLE,
) -> LoginResult:
    """Check a login: throttle, password, account state; record the outcome.

    Writes a ``login``, ``login.failed`` or ``login.throttled`` audit event and updates the
    failure counters. Commit the session whatever the result, or failures are not counted.
    """
    now = now or utcnow()
    key = _key_username(username)
    ip_key = _key_ip(ip)
    status = check_throttle(session, key, ip_key, now=now, policy=policy)
    if not status.allowed:
        append_event(
            session,
            actor=ANONYMOUS.label,
            action=Action.LOGIN_THROTTLED,
            object_type="user",
            object_id=key or None,
            details={"ip": ip_key, "limit": status.reason},
        )
        return LoginResult(None, LoginFailure.THROTTLED, status.retry_after)

    user = get_user(session, key) if key else None
    # Hash something even for unknown names, so the time taken does not tell which exist.
    password_ok = _verify_password(user.password_hash if user else _dummy_hash(), password)
    if user is None or not password_ok or not user.is_active:
        failure = (
            LoginFailure.DISABLED
            if user is not None and password_ok
            else LoginFailure.BAD_CREDENTIALS
        )
        record_failure(session, key, ip_key, now=now)
        append_event(
            session,
            actor=ANONYMOUS.label,
            action=Action.LOGIN_FAILED,
            object_type="user",
            object_id=key or None,
            details={"ip": ip_key, "reason": failure.value, "known_user": user is not None},
        )
        return LoginResult(None, failure)

    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hash_password(password)
    user.last_login_at = now
    clear_failures(session, key)
    append_event(
        session,
        actor=user.actor,
        action=Action.LOGIN,
        object_type="user",
        object_id=user.username,
        details={"ip": ip_key},
    )
    return LoginResult(user)


# --- API tokens -----------------------------------------------------------------------------


def hash_token(secret: str) -> str:
    """The stored form of an API token: SHA-256, hex.

    Not Argon2: a slow, salted hash protects secrets people choose, which are guessable.
    These tokens are 256 random bits, which no one can guess whatever the hash's speed, so
    a fast hash loses nothing; and being unsalted it lets a request's token be found with
    one indexed lookup, where Argon2 would cost tens of milliseconds and 64 MiB on every
    API call, and a scan of every stored token.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just created: ``secret`` is shown once and is not stored anywhere."""

    token: ApiToken
    secret: str


def _parse_scopes(scopes: Iterable[Scope | str]) -> list[Scope]:
    parsed: set[Scope] = set()
    for raw in scopes:
        for word in str(raw).replace(",", " ").split():
            try:
                parsed.add(Scope(word))
            except ValueError:
                raise AccountError(
                    f"unknown scope {word!r}; scopes: {', '.join(s.value for s in Scope)}"
                ) from None
    if not parsed:
        raise AccountError("a token needs at least one scope")
    return sorted(parsed, key=lambda s: s.value)


def create_api_token(
    session: Session,
    *,
    name: str,
    scopes: Iterable[Scope | str],
    actor: Actor,
    expires_at: datetime | None = None,
) -> NewToken:
    """Create a token for an integration (administrators only)."""
    _require_admin(actor, "create API tokens")
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("a token name has 1 to 100 characters")
    scope_list = _parse_scopes(scopes)
    if expires_at is not None and expires_at <= utcnow():
        raise AccountError("the expiry time is in the past")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(secret),
        scopes=" ".join(s.value for s in scope_list),
        created_by_user_id=actor.user_id,
        created_by=actor.label,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    append_event(
        session,
        actor=actor.label,
        action=Action.TOKEN_CREATE,
        object_type="api_token",
        object_id=token.id,
        details={
            "name": name,
            "prefix": token.token_prefix,
            "scopes": [s.value for s in scope_list],
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return NewToken(token, secret)


def authenticate_token(
    session: Session, secret: str, *, now: datetime | None = None
) -> ApiToken | None:
    """The active (not revoked, not expired) token ``secret`` is, or None.

    Check ``scope in token.scope_set`` afterwards. Updates ``last_used_at`` (at most once a
    minute per token); commit the session to keep it.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = now or utcnow()
    # Looked up by hash through an index: the timing of the lookup reveals nothing about the
    # secret, only about hashes an attacker cannot invert.
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(secret))
    ).one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        token.last_used_at = now
    return token


def revoke_api_token(session: Session, token_id: int, *, actor: Actor) -> ApiToken:
    """Revoke a token for good (administrators only)."""
    _require_admin(actor, "revoke API tokens")
    token = session.get(ApiToken, token_id)
    if token is None:
        raise AccountError(f"no API token with id {token_id}")
    if token.revoked_at is not None:
        raise AccountError(f"API token {token_id} is already revoked")
    token.revoked_at = utcnow()
    token.revoked_by = actor.label
    append_event(
        session,
        actor=actor.label,
        action=Action.TOKEN_REVOKE,
        object_type="api_token",
        object_id=token.id,
        details={"name": token.name, "prefix": token.token_prefix},
    )
    return token


def list_api_tokens(session: Session, *, include_revoked: bool = False) -> list[ApiToken]:
    """Tokens, newest first."""
    stmt = select(ApiToken).order_by(ApiToken.id.desc())
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(stmt))
