"""The review service with the keyboard only (headless Chromium against ``resguardo demo``):

* the skip link is the first stop, shows itself when focused, and moves focus to the content;
* a clerk logs in with Tab, typing and Enter;
* reaches the intake form from the menu, fills it and reaches its button;
* switches the language;
* and every element the Tab key stops at on these pages shows where the focus is (an
  outline or a box shadow, as ``getComputedStyle`` reports it) and is on the screen.
"""

from __future__ import annotations

from typing import Any

from browser_helpers import LiveServer

from resguardo.web.i18n import translate

# What the focused element is and how it shows its focus.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute('href'),
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
  };
}"""


def _focused(page: Any) -> dict[str, Any] | None:
    result: dict[str, Any] | None = page.evaluate(FOCUSED)
    return result


def _focus_problem(focused: dict[str, Any]) -> str | None:
    """Why the focus on this element cannot be seen, or None when it can."""
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
    shadow = focused["boxShadow"] not in ("", "none")
    if not (outline or shadow):
        return f"no visible focus (outline {focused['outlineStyle']}, box-shadow none)"
    if not focused["visible"]:
        return "focused but not on the screen"
    return None


def _tab_until(page: Any, wanted: Any, *, limit: int = 60) -> list[dict[str, Any]]:
    """Press Tab until ``wanted(focused)`` holds; every stop on the way must show its focus.
    The stops, the last one the wanted element."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused is None:
            continue
        stops.append(focused)
        problem = _focus_problem(focused)
        assert problem is None, (problem, focused, page.url)
        if wanted(focused):
            return stops
    raise AssertionError(f"Tab never reached the element on {page.url}: {stops}")


def _whole_tab_order(page: Any, *, limit: int = 200) -> list[dict[str, Any]]:
    """Every stop of the Tab key on the page, from the top to the last one."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    stops: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str, str]] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused is None:
            break
        key = (focused["tag"], focused["id"], str(focused["href"]), focused["text"])
        if key in seen:  # wrapped around to the top
            break
        seen.add(key)
        stops.append(focused)
    return stops


def test_skip_link_is_first_and_moves_focus_to_the_content(new_page: Any) -> None:
    page = new_page()
    page.goto("/login")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first is not None and first["href"] == "#main", first
    assert first["text"] == translate("en", "a11y.skip")
    assert _focus_problem(first) is None, first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab goes on from the content: the login form.
    page.keyboard.press("Tab")
    after = _focused(page)
    assert after is not None and after["id"] == "username", after


def test_clerk_logs_in_and_logs_a_request_with_the_keyboard(
    new_page: Any, live_server: LiveServer
) -> None:
    page = new_page()
    page.goto("/login")
    _tab_until(page, lambda f: f["id"] == "username")
    page.keyboard.type("demo-clerk")
    page.keyboard.press("Tab")
    assert (_focused(page) or {}).get("id") == "password"
    page.keyboard.type(live_server.passwords["demo-clerk"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url, page.locator("main").inner_text()

    # The menu leads to the intake form.
    _tab_until(page, lambda f: f["href"] == "/intake/new" and f["tag"] == "a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/intake/new")
    assert page.locator("h1").inner_text() == translate("en", "intake.title")

    # Its fields and its button are reached in order, each showing its focus.
    stops = _tab_until(page, lambda f: f["id"] == "email_text")
    assert "email_file" in [s["id"] for s in stops]
    page.keyboard.type("Please send the home address of Jane Doe. Deputy Ruiz, county sheriff.")
    stops = _tab_until(page, lambda f: f["id"] == "intake-submit")
    assert [s["id"] for s in stops] == ["legal_file", "legal_text", "intake-submit"], stops
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/cases/" in page.url, page.url

    # The case page (the confirmation form) is usable from the keyboard too.
    stops = _whole_tab_order(page)
    ids = [s["id"] for s in stops]
    assert "confirm-submit" in ids, ids
    for stop in stops:
        assert _focus_problem(stop) is None, (stop, page.url)


def test_language_switch_with_the_keyboard(new_page: Any, live_server: LiveServer) -> None:
    page = new_page()
    page.goto("/login")
    _tab_until(page, lambda f: f["id"] == "lang-es")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == translate("es", "login.title")
    # And back, now from the Spanish page.
    _tab_until(page, lambda f: f["id"] == "lang-en")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"


def test_every_tab_stop_shows_its_focus(new_page: Any, live_server: LiveServer) -> None:
    """The whole Tab order of the pages of each role: each stop is visibly focused."""
    pages = {
        None: ["/login"],
        "demo-clerk": ["/intake/new", "/cases", "/account/password"],
        "demo-reviewer": ["/review", "/cases", "/cases/1"],
        "demo-auditor": ["/audit", "/audit/verify"],
        "demo-admin": ["/admin/users", "/admin/tokens", "/admin/settings"],
    }
    for username, paths in pages.items():
        if username is not None and username not in live_server.passwords:
            continue  # an account the demo did not print
        page = new_page(username)
        for path in paths:
            page.goto(path)
            stops = _whole_tab_order(page)
            assert len(stops) >= 4, (path, stops)
            problems = [(s, _focus_problem(s)) for s in stops if _focus_problem(s)]
            assert not problems, (username, path, problems)
