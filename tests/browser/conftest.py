"""Fixtures for the browser tests: the real service in a subprocess, Debian's Chromium driven
by Playwright for Python.

``resguardo demo --dir TMP --port PORT`` builds a fresh demo database and serves it on
127.0.0.1; the accounts' passwords are read from what it prints. Chromium is
``/usr/bin/chromium`` (or ``RESGUARDO_CHROMIUM``): Playwright cannot download its own browser
here. When Chromium or Playwright is missing the tests fail in CI (CI=true) and are skipped
elsewhere, with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import LiveServer, login

from resguardo.web.testing import ServerStartError, free_port, resguardo_subprocess

CHROMIUM = os.environ.get("RESGUARDO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 120


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if _running_in_ci():
        pytest.fail(f"browser tests cannot run: {reason} (required in CI)", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def _accounts(stdout: str) -> dict[str, str]:
    """``username role password`` lines of ``resguardo demo``."""
    found = re.findall(r"^\s+(demo-[\w-]+)\s+\w+\s+(\S+)\s*$", stdout, re.M)
    return dict(found)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``resguardo demo`` on a free port of 127.0.0.1, up until the session ends."""
    folder = tmp_path_factory.mktemp("browser-demo")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out_path, err_path = folder / "stdout.log", folder / "stderr.log"
    args = ["demo", "--dir", str(folder / "demo"), "--port", str(port)]
    try:
        with resguardo_subprocess(
            args,
            url=url,
            stdout=out_path,
            stderr=err_path,
            env={"PYTHONUNBUFFERED": "1"},
            cwd=folder,
            startup_seconds=STARTUP_SECONDS,
        ):
            passwords = _accounts(out_path.read_text())
            assert {"demo-clerk", "demo-reviewer", "demo-auditor"} <= set(passwords), passwords
            yield LiveServer(url=url, passwords=passwords, folder=folder / "demo")
    except ServerStartError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), one for the session."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Open a page in a new browser context (own cookies), optionally logged in:
    ``new_page("demo-clerk")``."""
    contexts: list[Any] = []

    def make(username: str | None = None, *, lang: str = "en") -> Any:
        context = browser.new_context(
            base_url=live_server.url, accept_downloads=True, locale="en-US"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        if lang != "en":
            page.goto(f"/lang/{lang}?next=/login")
        if username is not None:
            login(page, username, live_server.passwords[username])
        return page

    yield make
    for context in contexts:
        context.close()
