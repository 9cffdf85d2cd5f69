"""Helpers of the browser tests (a module of its own: every test folder has a ``conftest``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEV_EMAILS = REPO / "tests" / "data" / "requests-dev" / "emails"


@dataclass
class LiveServer:
    """The demo service: its base URL and the demo accounts' passwords."""

    url: str
    passwords: dict[str, str] = field(default_factory=dict)
    folder: Path = Path()


def login(page: Any, username: str, password: str) -> None:
    """Log in through the form, as a person would."""
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("#login-submit").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.locator("main").inner_text()
