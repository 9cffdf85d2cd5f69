"""``resguardo demo``: a fresh database with demo accounts and fictional cases.

The cases are the emails in ``demo_data/`` (see its README), logged, confirmed, reviewed and
released through the same service functions the pages use, so the demo's audit log is the
log a real day would leave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from resguardo.accounts import Actor, create_user, generate_password
from resguardo.policy import Request, get_pack
from resguardo.store import open_store
from resguardo.store.cases import Case, CaseSource
from resguardo.store.models import Role, User
from resguardo.web import services
from resguardo.web.context import record_pack_in_use
from resguardo.web.deps import Principal
from resguardo.web.services import Upload
from resguardo.web.settings import WebSettings

__all__ = ["DEMO_ACCOUNTS", "DemoResult", "build_demo"]

DEMO_ACCOUNTS: tuple[tuple[str, Role, str], ...] = (
    ("demo-clerk", Role.CLERK, "Ana Baca (demo clerk)"),
    ("demo-clerk2", Role.CLERK, "Bruno Sena (demo clerk)"),
    ("demo-reviewer", Role.REVIEWER, "Rita Chávez (demo reviewer)"),
    ("demo-auditor", Role.AUDITOR, "Olga Montoya (demo auditor)"),
    ("demo-admin", Role.ADMIN, "Adam Ortiz (demo administrator)"),
)


@dataclass
class DemoResult:
    """What was created: the accounts with their passwords, and the case ids."""

    passwords: dict[str, str] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    cases: list[int] = field(default_factory=list)


def _data(name: str) -> bytes:
    return resources.files(__package__).joinpath("demo_data", name).read_bytes()


def _manifest() -> list[dict[str, Any]]:
    data: Any = yaml.safe_load(_data("cases.yaml"))
    if not isinstance(data, list):
        raise ValueError("demo_data/cases.yaml is not a list")
    return data


def build_demo(settings: WebSettings) -> DemoResult:
    """Create the demo accounts and cases in the (new, empty) database of ``settings``."""
    result = DemoResult()
    pack = get_pack(settings.pack)
    store = open_store(settings)
    try:
        record_pack_in_use(store, pack, actor="cli:demo")
        operator = Actor.operator("demo")
        users: dict[str, User] = {}
        with store.transaction() as db:
            for username, role, display in DEMO_ACCOUNTS:
                password = generate_password()
                users[username] = create_user(
                    db,
                    username=username,
                    password=password,
                    role=role,
                    actor=operator,
                    display_name=display,
                )
                result.passwords[username] = password
                result.roles[username] = role
        reviewer = Principal.for_user(users["demo-reviewer"])
        for entry in _manifest():
            clerk = Principal.for_user(users[str(entry["clerk"])])
            name = str(entry["email"])
            with store.transaction() as db:
                case = services.create_case(
                    db,
                    clerk,
                    source=CaseSource.EMAIL,
                    email=Upload(name, "message/rfc822", _data(name)),
                    pasted="",
                    legal_documents=[],
                    lang="en",
                )
                if entry.get("confirm", True):
                    inferred = Request.model_validate((case.inference or {})["request"])
                    services.confirm_case(db, clerk, case, inferred, pack)
                case_id = case.id
            result.cases.append(case_id)
            review = entry.get("review")
            if review:
                with store.transaction() as db:
                    row = db.get(Case, case_id)
                    assert row is not None
                    services.review_case(
                        db,
                        reviewer,
                        row,
                        outcome=str(review["outcome"]),
                        release_categories=[str(c) for c in review.get("release", [])],
                        reason=" ".join(str(review["reason"]).split()),
                    )
            records = entry.get("records")
            if records:
                upload = Upload(
                    str(records["filename"]), "text/csv", str(records["content"]).encode("utf-8")
                )
                with store.read_session() as db:
                    row = db.get(Case, case_id)
                    assert row is not None
                    released = list(row.released_categories or [])
                redacted, summary = services.redact_records(upload, released, services_scanner())
                with store.transaction() as db:
                    row = db.get(Case, case_id)
                    assert row is not None
                    services.release_records(db, reviewer, row, upload, redacted, summary)
    finally:
        store.dispose()
    return result


def services_scanner() -> Any:
    """The shared scanner (imported late: building it takes seconds)."""
    from resguardo.detect import default_scanner

    return default_scanner()
