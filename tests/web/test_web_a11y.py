"""Accessibility of the review service's pages, checked on the HTML the server sends.

A realistic state is built first (a draft case, cases decided by the pack, a case waiting in
review, a reviewed case with a partial release and redacted records, accounts and tokens),
then every page each role can reach is fetched, in English and in Spanish, including the
pages that show a form's error and the error pages, and each is parsed (lxml) and checked:

* ``<html lang>`` is the page's language; the ``<title>`` says what the page is;
* exactly one ``<h1>``, headings have text and never skip a level (h2 → h4);
* every visible form control has an accessible name (``<label for>``, a wrapping
  ``<label>``, ``aria-label`` or ``aria-labelledby``); radio buttons are grouped in a
  ``<fieldset>`` with a ``<legend>``; ids are unique; references to ids resolve;
* every ``<img>`` has ``alt``; every link and button has text; data tables have ``<th>``
  headers (with ``scope``, or in ``<thead>``); no positive ``tabindex``;
* error messages are announced (``role="alert"`` or ``aria-live``), and the pages that show
  a form's error do show one;
* one ``<main>`` landmark, in-page links (the skip link) lead somewhere, menus are ``<nav>``
  landmarks, each with its own name.

The stylesheet's colours are checked too: each pair of text colour and background the pages
use (listed explicitly below, read from the CSS) has a WCAG 2.1 contrast of at least 4.5:1,
focus outlines at least 3:1, and every rule that sets a colour is in the list.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from starlette.responses import HTMLResponse
from webtest_helpers import (
    DEV_EMAILS,
    confirm_as_read,
    csrf,
    log_email,
    login,
    post_form,
    release_part,
)

from resguardo.web.context import STATIC_DIR
from resguardo.web.i18n import LANG_COOKIE, SUPPORTED

RECORDS = (
    b"name,home_address,ssn,dob,a_number,benefits,phone\n"
    b"Marisela Yupanqui Ortega,1420 Calle Luna SW Albuquerque NM 87105,585-20-1234,"
    b"04/05/1990,A220187455,SNAP recipient,(505) 555-0142\n"
)

# --------------------------------------------------------------------------- the checks

# lxml has no type stubs: its elements are Any to mypy.
Element: TypeAlias = Any
CONTROLS_WITHOUT_LABEL = {"hidden", "submit", "button", "reset", "image"}


def _text(el: Element) -> str:
    """The text of ``el`` that assistive technology reads (``aria-hidden`` parts left out)."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        if node.get("aria-hidden") == "true":
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):  # not a comment
                walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def _only_symbols(name: str) -> bool:
    """A name with no letter or digit ("#", "→", "…") says nothing to a screen reader."""
    return bool(name) and not any(c.isalnum() for c in name)


def _describe(el: Element) -> str:
    attrs = " ".join(
        f'{k}="{v}"' for k, v in el.attrib.items() if k in ("id", "name", "type", "href", "class")
    )
    return f"<{el.tag}{' ' + attrs if attrs else ''}>"


def _by_id(doc: Element, ident: str) -> Element | None:
    found = doc.xpath("//*[@id=$i]", i=ident)
    return found[0] if found else None


def _labelledby_text(doc: Element, el: Element) -> str | None:
    """The text of the elements ``aria-labelledby`` names (None when it names none)."""
    ref = el.get("aria-labelledby")
    if ref is None:
        return None
    parts = [_by_id(doc, i) for i in ref.split()]
    return " ".join(_text(p) for p in parts if p is not None)


def _control_name(doc: Element, el: Element) -> str:
    """The accessible name of a form control, as far as the HTML gives one."""
    if (el.get("aria-label") or "").strip():
        return str(el.get("aria-label")).strip()
    by = _labelledby_text(doc, el)
    if by:
        return by
    ident = el.get("id")
    if ident:
        labels = doc.xpath("//label[@for=$i]", i=ident)
        text = " ".join(_text(label) for label in labels)
        if text:
            return text
    wrapping = el.xpath("ancestor::label")
    if wrapping:
        return _text(wrapping[0])
    return ""


def _content_name(doc: Element, el: Element) -> str:
    """The accessible name of a link or button: aria, its text, or its images' alt."""
    if (el.get("aria-label") or "").strip():
        return str(el.get("aria-label")).strip()
    by = _labelledby_text(doc, el)
    if by:
        return by
    if el.tag == "input":
        return (el.get("value") or "").strip()
    alts = " ".join((img.get("alt") or "") for img in el.iter("img"))
    return (_text(el) + " " + alts).strip()


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def page_problems(
    markup: str, lang: str, *, shows_error: bool = False, has_menu: bool = False
) -> list[str]:
    """What is wrong with a page for accessibility; empty when nothing is. ``shows_error``:
    the page must announce an error; ``has_menu``: the person has a menu (a signed-in
    person who need not change their password first), which must be a ``<nav>``."""
    doc = lxml_html.document_fromstring(markup)
    problems: list[str] = []
    add = problems.append

    # Language and title.
    if doc.get("lang") != lang:
        add(f"<html lang={doc.get('lang')!r}>, the page is in {lang!r}")
    titles = doc.xpath("//head/title")
    title = _text(titles[0]) if titles else ""
    if not title.split("·")[0].strip():
        add(f"the <title> says nothing about the page: {title!r}")

    # Headings.
    headings = doc.xpath("//h1|//h2|//h3|//h4|//h5|//h6")
    h1s = [h for h in headings if h.tag == "h1"]
    if len(h1s) != 1:
        add(f"{len(h1s)} <h1> on the page, not exactly one")
    previous = 0
    for h in headings:
        level = int(h.tag[1])
        if previous == 0 and level != 1:
            add(f"the first heading is <{h.tag}> {_text(h)!r}, not <h1>")
        elif level > previous + 1:
            add(f"heading level skipped: <h{previous}> then <{h.tag}> {_text(h)!r}")
        if not _text(h):
            add(f"an empty <{h.tag}>")
        previous = level

    # Ids, and the references to them.
    ids = Counter(str(el.get("id")) for el in doc.xpath("//*[@id]"))
    for ident, n in sorted(ids.items()):
        if n > 1:
            add(f'id="{ident}" is used {n} times')
    for el in doc.xpath("//*[@aria-labelledby or @aria-describedby or @aria-controls]"):
        for attr in ("aria-labelledby", "aria-describedby", "aria-controls"):
            for ref in (el.get(attr) or "").split():
                if ref not in ids:
                    add(f'{_describe(el)} {attr}="{ref}": no element has that id')
    for label in doc.xpath("//label[@for]"):
        target = _by_id(doc, str(label.get("for")))
        if target is None or target.tag not in ("input", "select", "textarea", "button"):
            add(f'<label for="{label.get("for")}"> {_text(label)!r} labels no form control')
    for link in doc.xpath("//a[starts-with(@href, '#')]"):
        target = str(link.get("href"))[1:]
        if target and target not in ids:
            add(f'the in-page link {_text(link)!r} leads to "#{target}", which is not there')

    # Form controls.
    for el in doc.xpath("//input|//select|//textarea"):
        kind = (el.get("type") or "text").lower() if el.tag == "input" else el.tag
        if kind in CONTROLS_WITHOUT_LABEL or el.get("hidden") is not None:
            continue
        name = _control_name(doc, el)
        if not name:
            add(f"the form control {_describe(el)} has no accessible name (no label)")
        elif _only_symbols(name):
            add(f"the form control {_describe(el)} is named only by symbols: {name!r}")
        if kind == "radio" and not el.xpath("ancestor::fieldset[legend[normalize-space()]]"):
            add(f"the radio button {_describe(el)} is not in a <fieldset> with a <legend>")
    for el in doc.xpath("//*[@tabindex]"):
        tabindex = str(el.get("tabindex")).strip()
        if tabindex.lstrip("-").isdigit() and int(tabindex) > 0:
            add(f"{_describe(el)} has tabindex={tabindex}: it breaks the keyboard order")

    # Images, links, buttons.
    for img in doc.xpath("//img[not(@alt)]"):
        add(f"{_describe(img)} has no alt")
    for el in doc.xpath(
        "//a[@href]|//button|//input[@type='submit' or @type='button' or @type='reset']"
    ):
        name = _content_name(doc, el)
        if not name:
            add(f"{_describe(el)} has no text a screen reader can say")
        elif _only_symbols(name):
            add(f"{_describe(el)} is named only by symbols: {name!r}")

    # Data tables.
    for table in doc.xpath("//table"):
        if not table.xpath(".//td"):
            continue
        headers = table.xpath(".//th")
        if not headers:
            add(f"the data table {_describe(table)} has no <th> headers")
        for th in headers:
            if th.get("scope") not in ("col", "row", "colgroup", "rowgroup") and not th.xpath(
                "ancestor::thead"
            ):
                add(f"the header {_text(th)!r} of {_describe(table)} has no scope")
            if not _text(th):
                add(f"an empty header cell in {_describe(table)}")
            elif _only_symbols(_text(th)):
                add(f"the header {_text(th)!r} of {_describe(table)} is only symbols")

    # Error messages are announced.
    for box in doc.xpath(f"//*[{_has_class('error-box')} or {_has_class('error')}]"):
        if box.get("role") != "alert" and box.get("aria-live") not in ("assertive", "polite"):
            add(f'the error message {_describe(box)} is not announced (role="alert")')
    if shows_error:
        alerts = doc.xpath("//*[@role='alert' or @aria-live='assertive' or @aria-live='polite']")
        if not any(_text(a) for a in alerts):
            add('the page shows an error, but nothing is announced (role="alert")')

    # Landmarks and navigation.
    mains = doc.xpath("//main")
    if len(mains) != 1:
        add(f"{len(mains)} <main> landmarks, not exactly one")
    skip = doc.xpath("//body//a[@href][1]")
    if not (mains and skip and skip[0].get("href") == f"#{mains[0].get('id')}"):
        add("the first link of the page does not skip to the <main> content")
    for ul in doc.xpath("//header//ul[.//a]"):
        if not ul.xpath("ancestor::nav"):
            add(f"a menu of links in the header is not in a <nav>: {_text(ul)!r}")
    navs = doc.xpath("//nav")
    names = [(n.get("aria-label") or _labelledby_text(doc, n) or "").strip() for n in navs]
    if len(navs) > 1 and (not all(names) or len(set(names)) != len(names)):
        add(f"{len(navs)} <nav> landmarks without a distinct name each: {names}")
    if has_menu and not doc.xpath("//nav[@id='main-nav']//a"):
        add("the person's menu is not on the page as a <nav> of links")
    return problems


# --------------------------------------------------------------------------- the checks fail

BAD_PAGE = """<!doctype html><html lang="en"><head><title> · Resguardo</title></head><body>
<header><ul><li><a href="/cases">Cases</a></li></ul></header>
<h2>First</h2><h4>Skipped</h4><h1>One</h1><h1>Two</h1><h3></h3>
<div class="error-box">Wrong password</div>
<form><input type="text" id="q" name="q"><input type="text" id="q" name="r">
<label for="nothing">Orphan</label><select name="s"><option>x</option></select>
<textarea name="t" aria-describedby="missing-hint"></textarea>
<input type="radio" name="o" id="o1" aria-label="One">
<input type="hidden" name="csrf_token" value="x"><button type="submit"></button>
<a href="/x" tabindex="2"><img src="i.png"></a><a href="#top">top</a></form>
<table><tr><td>1</td><td>2</td></tr></table>
<table><tr><th>Name</th><td>Ana</td></tr></table>
<table><thead><tr><th>#</th></tr></thead><tbody><tr><td><a href="/n">→</a></td></tr></tbody></table>
<nav><a href="/a">A</a></nav><nav><a href="/b">B</a></nav>
</body></html>"""

GOOD_PAGE = """<!doctype html><html lang="es"><head><title>Casos · Resguardo</title></head>
<body><a href="#main">Saltar al contenido</a>
<header><nav aria-label="Menú" id="main-nav"><ul><li><a href="/cases">Casos</a></li></ul></nav>
<nav aria-label="Idioma"><ul><li><a href="/lang/en">English</a></li></ul></nav></header>
<main id="main"><h1>Casos</h1><h2>Filtro</h2><h3>Más</h3><h2>Lista</h2>
<div class="error-box" role="alert">Contraseña incorrecta</div>
<form><label for="q">Buscar</label><input type="search" id="q" name="q">
<label>Estado <select name="s"><option>x</option></select></label>
<textarea name="t" aria-label="Notas"></textarea>
<fieldset><legend>Resultado</legend><label><input type="radio" name="o"> Uno</label></fieldset>
<button type="submit"><img src="i.png" alt="Buscar"></button></form>
<table><thead><tr><th><span aria-hidden="true">#</span> Número</th></tr></thead>
<tbody><tr><td>1</td></tr></tbody></table>
<table><tr><th scope="row">Nombre</th><td>Ana</td></tr></table>
</main></body></html>"""


def test_the_checks_catch_what_they_are_for() -> None:
    problems = "\n".join(page_problems(BAD_PAGE, "es", shows_error=True, has_menu=True))
    for expected in (
        "<html lang='en'>, the page is in 'es'",
        "the <title> says nothing",
        "2 <h1> on the page",
        "the first heading is <h2> 'First', not <h1>",
        "heading level skipped: <h2> then <h4>",
        "an empty <h3>",
        'id="q" is used 2 times',
        'aria-describedby="missing-hint": no element has that id',
        "<label for=\"nothing\"> 'Orphan' labels no form control",
        '"#top", which is not there',
        '<select name="s"> has no accessible name',
        '<textarea name="t"> has no accessible name',
        "is not in a <fieldset> with a <legend>",
        "has tabindex=2",
        "<img> has no alt",
        '<button type="submit"> has no text',
        '<a href="/x"> has no text',
        "the data table <table> has no <th> headers",
        "the header 'Name' of <table> has no scope",
        'the error message <div class="error-box"> is not announced',
        "the page shows an error, but nothing is announced",
        "0 <main> landmarks",
        "does not skip to the <main> content",
        "a menu of links in the header is not in a <nav>",
        "2 <nav> landmarks without a distinct name each",
        "the header '#' of <table> is only symbols",
        "<a href=\"/n\"> is named only by symbols: '→'",
        "the person's menu is not on the page",
    ):
        assert expected in problems, (expected, problems)
    assert '<input type="text" id="q" name="q"> has no accessible name' in problems
    assert page_problems(GOOD_PAGE, "es", shows_error=True, has_menu=True) == []


# --------------------------------------------------------------------------- every page


@dataclass
class Visit:
    """One page as one person saw it."""

    who: str
    what: str
    response: httpx.Response
    status: int = 200
    shows_error: bool = False


@dataclass
class State:
    draft: int
    decided_deny: int
    decided_release: int
    in_review: int
    reviewed: int


def _build_state(app: FastAPI, clerk: TestClient, reviewer: TestClient, admin: TestClient) -> State:
    def log(name: str) -> int:
        return log_email(clerk, (DEV_EMAILS / name).read_bytes(), name=name)

    draft = log("req-05.eml")
    decided = []
    for name in ("req-01.eml", "req-11.eml", "req-05.eml", "req-05.eml"):
        case_id = log(name)
        assert confirm_as_read(clerk, case_id).status_code == 303
        decided.append(case_id)
    deny, release, in_review, reviewed = decided
    took = post_form(reviewer, f"/cases/{in_review}/take", token_from=f"/cases/{in_review}")
    assert took.status_code == 303
    decision = release_part(reviewer, reviewed)
    assert decision.status_code == 303, decision.text[:500]
    upload = post_form(
        reviewer,
        f"/cases/{reviewed}/records",
        files=[("records", ("export.csv", RECORDS, "text/csv"))],
        token_from=f"/cases/{reviewed}",
    )
    assert upload.status_code == 303, upload.text[:500]
    token = post_form(
        admin, "/admin/tokens", {"name": "gateway", "scopes": ["scan"]}, token_from="/admin/tokens"
    )
    assert token.status_code == 200
    return State(draft, deny, release, in_review, reviewed)


def _visits(
    app: FastAPI,
    lang: str,
    state: State,
    people: dict[str, TestClient],
) -> Iterator[Visit]:
    """Every page each role can reach, in ``lang``, with the states that change them."""
    for person in people.values():
        person.cookies.set(LANG_COOKIE, lang)
    anonymous, clerk, reviewer = people["anonymous"], people["clerk"], people["reviewer"]
    auditor, admin = people["auditor"], people["admin"]
    s = state

    # Anyone.
    yield Visit("anonymous", "login", anonymous.get("/login"))
    yield Visit("anonymous", "login after logout", anonymous.get("/login?done=flash.logged_out"))
    bad_login = anonymous.post(
        "/login",
        data={"username": "nobody", "password": "wrong", "csrf_token": csrf(anonymous)},
    )
    yield Visit("anonymous", "login error", bad_login, 401, shows_error=True)
    yield Visit("anonymous", "404", anonymous.get("/no-such-page"), 404, shows_error=True)

    # The clerk.
    yield Visit("clerk", "intake form", clerk.get("/intake/new"))
    refused = post_form(
        clerk,
        "/intake/new",
        files=[("email_file", ("x.eml", bytes(range(256)) * 20, "message/rfc822"))],
        token_from="/intake/new",
    )
    yield Visit("clerk", "intake error", refused, 400, shows_error=True)
    yield Visit("clerk", "my cases", clerk.get("/cases"))
    yield Visit("clerk", "my cases, filtered", clerk.get("/cases?status=in_review"))
    yield Visit("clerk", "no cases", clerk.get("/cases?status=nothing"))
    yield Visit("clerk", "draft case", clerk.get(f"/cases/{s.draft}"))
    bad_confirm = confirm_as_read(clerk, s.draft, purpose="world_domination")
    yield Visit("clerk", "confirmation error", bad_confirm, 400, shows_error=True)
    for what, case_id in (
        ("denied case", s.decided_deny),
        ("released case", s.decided_release),
        ("case in review", s.in_review),
        ("reviewed case", s.reviewed),
    ):
        yield Visit("clerk", what, clerk.get(f"/cases/{case_id}?done=flash.decided"))
    yield Visit("clerk", "password", clerk.get("/account/password"))
    wrong = post_form(
        clerk,
        "/account/password",
        {"current": "not it", "new": "a new long password", "confirm": "a new long password"},
        token_from="/account/password",
    )
    yield Visit("clerk", "password error", wrong, 400, shows_error=True)
    yield Visit("clerk", "403", clerk.get("/review"), 403, shows_error=True)
    yield Visit("clerk", "404", clerk.get("/cases/999999"), 404, shows_error=True)

    # The reviewer.
    yield Visit("reviewer", "queue", reviewer.get("/review"))
    for query in (
        "agency=ice+enforcement&requester=pruett&record_system=human_services&assigned=me",
        "assigned=unassigned&age=24",
        "agency=sheriff",
    ):
        yield Visit("reviewer", f"queue?{query}", reviewer.get(f"/review?{query}"))
    yield Visit("reviewer", "all cases", reviewer.get("/cases"))
    yield Visit("reviewer", "case in review", reviewer.get(f"/cases/{s.in_review}"))
    yield Visit("reviewer", "unassigned case", reviewer.get(f"/cases/{s.draft}"))
    no_reason = post_form(
        reviewer,
        f"/cases/{s.in_review}/review",
        {"outcome": "release_redacted", "release_categories": ["street_address"], "reason": " "},
        token_from=f"/cases/{s.in_review}",
    )
    yield Visit("reviewer", "review error", no_reason, 400, shows_error=True)
    yield Visit(
        "reviewer", "reviewed case", reviewer.get(f"/cases/{s.reviewed}?done=flash.released")
    )
    yield Visit("reviewer", "denied case", reviewer.get(f"/cases/{s.decided_deny}"))
    yield Visit("reviewer", "403", reviewer.get("/audit"), 403, shows_error=True)

    # The auditor.
    yield Visit("auditor", "audit log", auditor.get("/audit"))
    for query in (
        f"object_type=case&object_id={s.reviewed}",
        "action=login&actor=ana&since=2000-01-01&until=2100-01-01",
        "actor=nobody",
    ):
        yield Visit("auditor", f"audit?{query}", auditor.get(f"/audit?{query}"))
    yield Visit("auditor", "verify", auditor.get("/audit/verify"))
    yield Visit("auditor", "all cases", auditor.get("/cases"))
    yield Visit("auditor", "reviewed case", auditor.get(f"/cases/{s.reviewed}"))
    yield Visit("auditor", "403", auditor.get("/admin/users"), 403, shows_error=True)

    # The administrator.
    yield Visit("admin", "accounts", admin.get("/admin/users"))
    username = f"nuevo{lang}"
    made = post_form(
        admin, "/admin/users", {"username": username, "role": "clerk"}, token_from="/admin/users"
    )
    yield Visit("admin", "new account", made)
    dup = post_form(
        admin, "/admin/users", {"username": username, "role": "clerk"}, token_from="/admin/users"
    )
    yield Visit("admin", "accounts error", dup, 400, shows_error=True)
    yield Visit("admin", "tokens", admin.get("/admin/tokens"))
    token = post_form(
        admin,
        "/admin/tokens",
        {"name": f"t-{lang}", "scopes": ["scan"]},
        token_from="/admin/tokens",
    )
    yield Visit("admin", "new token", token)
    no_name = post_form(admin, "/admin/tokens", {"name": " "}, token_from="/admin/tokens")
    yield Visit("admin", "tokens error", no_name, 400, shows_error=True)
    yield Visit("admin", "settings", admin.get("/admin/settings"))

    # Someone whose password was reset is sent to change it.
    password = re.search(r'id="new-password">([^<]+)<', made.text)
    assert password, made.text[:500]
    newcomer = TestClient(app, cookies={LANG_COOKIE: lang})
    login(newcomer, username, password.group(1))
    forced = newcomer.get("/cases")
    assert str(forced.url).endswith("/account/password")
    yield Visit("new clerk", "forced password change", forced)


def _pages_of(app: FastAPI) -> list[APIRoute]:
    """The app's HTML pages (GET routes that answer with a page)."""
    not_pages = {"/", "/lang/{code}"}  # redirects only
    return [
        r
        for r in app.routes
        if isinstance(r, APIRoute)
        and "GET" in (r.methods or set())
        and r.response_class is HTMLResponse
        and r.path not in not_pages
    ]


@pytest.fixture
def people(
    app: FastAPI,
    client: TestClient,
    clerk: TestClient,
    reviewer: TestClient,
    auditor: TestClient,
    admin: TestClient,
) -> dict[str, TestClient]:
    return {
        "anonymous": client,
        "clerk": clerk,
        "reviewer": reviewer,
        "auditor": auditor,
        "admin": admin,
    }


def test_every_page_passes_the_checks(app: FastAPI, people: dict[str, TestClient]) -> None:
    state = _build_state(app, people["clerk"], people["reviewer"], people["admin"])
    report: list[str] = []
    seen_paths: set[str] = set()
    checked = 0
    for lang in SUPPORTED:
        for visit in _visits(app, lang, state, people):
            response = visit.response
            where = f"[{lang}] {visit.who}: {visit.what} ({response.request.url.path})"
            assert response.status_code == visit.status, (where, response.text[:500])
            assert response.headers["content-type"].startswith("text/html"), where
            seen_paths.add(response.url.path)
            checked += 1
            has_menu = visit.who in ("clerk", "reviewer", "auditor", "admin")
            for problem in page_problems(
                response.text, lang, shows_error=visit.shows_error, has_menu=has_menu
            ):
                report.append(f"{where}: {problem}")
    assert not report, "accessibility problems:\n" + "\n".join(report)
    assert checked >= 40 * len(SUPPORTED), checked
    missed = [
        r.path
        for r in _pages_of(app)
        if not any(r.path_regex.match(p) for p in seen_paths if p != "/no-such-page")
    ]
    assert not missed, f"pages no test visits: {missed}"


# --------------------------------------------------------------------------- contrast

NORMAL_TEXT = 4.5  # WCAG 2.1 AA, 1.4.3
NON_TEXT = 3.0  # WCAG 2.1 AA, 1.4.11 (focus indicators, control borders)


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rgb`` or ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        raise ValueError(f"not a hex colour: {hex_colour!r}")

    def channel(i: int) -> float:
        c = int(value[i : i + 2], 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio, from 1 to 21."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_ratio_is_computed_as_wcag_says() -> None:
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < NORMAL_TEXT  # the classic near miss
    assert contrast_ratio("#0a4b8c", "#fff") == contrast_ratio("#fff", "#0a4b8c")


Rules = dict[str, dict[str, str]]


def parse_css(text: str) -> tuple[Rules, dict[str, str]]:
    """Declarations by single selector (a group ``a, b {…}`` counts for each), and the
    custom properties of ``:root``. Flat CSS only: the stylesheet has no @media."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    assert "@" not in text, "the stylesheet has at-rules: teach parse_css about them"
    rules: Rules = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        for selector in selectors.split(","):
            key = " ".join(selector.split())
            rules.setdefault(key, {}).update(declarations)
    return rules, {k: v for k, v in rules.get(":root", {}).items() if k.startswith("--")}


def _stylesheet() -> tuple[Rules, dict[str, str]]:
    files = sorted(Path(STATIC_DIR).glob("*.css"))
    assert files, STATIC_DIR
    return parse_css("\n".join(f.read_text() for f in files))


def colour(selector: str, prop: str) -> str:
    """The colour ``selector`` sets for ``prop`` (``color``, ``background``,
    ``outline``, ``border-left``...), as ``#rrggbb``, custom properties resolved."""
    rules, variables = _stylesheet()
    assert selector in rules, f"no rule for {selector!r} in the stylesheet"
    names = (prop, f"{prop}-color") if prop != "color" else (prop,)
    value = next((rules[selector][n] for n in names if n in rules[selector]), None)
    assert value is not None, f"{selector!r} sets no {prop}"
    for token in value.split():
        var = re.fullmatch(r"var\((--[\w-]+)\)", token)
        if var:
            token = variables[var.group(1)]
        if re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", token):
            return token.lower()
    raise AssertionError(f"{selector!r} {prop}: no colour in {value!r}")


# (what, (selector, property) of the text, (selector, property) of what is behind it).
# Text that sets no colour of its own inherits body's; boxes that set no background sit on
# the page (body) or on the header.
FIELDS = [
    *(f'input[type="{t}"]' for t in ("text", "password", "search", "number", "date", "file")),
    "select",
    "textarea",
]
PAGE = ("body", "background")
HEADER = (".site-header", "background")
INK = ("body", "color")
TEXT_PAIRS: list[tuple[str, tuple[str, str], tuple[str, str]]] = [
    ("body text", INK, PAGE),
    ("links", ("a", "color"), PAGE),
    ("header text", INK, HEADER),
    ("header links (menu, language, password)", ("a", "color"), HEADER),
    ("site name", (".brand a", "color"), HEADER),
    ("skip link", (".skip-link", "color"), (".skip-link", "background")),
    ("hints", (".hint", "color"), PAGE),
    ("footer", ("footer", "color"), PAGE),
    ("buttons", ("button", "color"), ("button", "background")),
    ("link buttons", (".button", "color"), (".button", "background")),
    ("secondary buttons", ("button.secondary", "color"), ("button.secondary", "background")),
    ("secondary link buttons", (".button.secondary", "color"), (".button.secondary", "background")),
    ("danger buttons", ("button", "color"), ("button.danger", "background")),
    ("table headers", INK, ("thead th", "background")),
    ("flash messages", INK, (".flash", "background")),
    ("notices", INK, (".notice", "background")),
    ("links in notices", ("a", "color"), (".notice", "background")),
    ("error messages", (".error-box", "color"), (".error-box", "background")),
    ("email and document text", INK, ("pre.inert", "background")),
    ("replies", INK, (".reply", "background")),
    ("secrets shown once", INK, (".secret", "background")),
    ("outcome: release", (".outcome-release", "color"), (".outcome-release", "background")),
    (
        "outcome: partial release",
        (".outcome-release_redacted", "color"),
        (".outcome-release_redacted", "background"),
    ),
    ("outcome: deny", (".outcome-deny", "color"), (".outcome-deny", "background")),
    ("outcome: escalate", (".outcome-escalate", "color"), (".outcome-escalate", "background")),
    ("status: in review", (".outcome-in_review", "color"), (".outcome-in_review", "background")),
    ("status: draft", (".outcome-draft", "color"), (".outcome-draft", "background")),
    ("verdict: release", (".verdict-release", "color"), PAGE),
    ("verdict: withhold", (".verdict-withhold", "color"), PAGE),
] + [(f"form fields: {field}", INK, (field, "background")) for field in FIELDS]
# The focus outline is drawn outside the control (``outline-offset``, checked below), so it
# sits on what is around the control: the page or the header, never the button's own colour.
NON_TEXT_PAIRS: list[tuple[str, tuple[str, str], tuple[str, str]]] = [
    ("focus outline on the page", (":focus-visible", "outline"), PAGE),
    ("focus outline in the header", (":focus-visible", "outline"), HEADER),
    ("form field borders", ("textarea", "border"), PAGE),
    ("form field borders in the header", ("textarea", "border"), HEADER),
    ("button borders", ("button", "border"), PAGE),
]
FOCUSABLE = ("a", "button", "input", "select", "textarea", "summary")


@pytest.mark.parametrize(
    ("what", "foreground", "background", "minimum"),
    [(w, f, b, NORMAL_TEXT) for w, f, b in TEXT_PAIRS]
    + [(w, f, b, NON_TEXT) for w, f, b in NON_TEXT_PAIRS],
    ids=[w for w, _, _ in TEXT_PAIRS + NON_TEXT_PAIRS],
)
def test_colour_contrast(
    what: str, foreground: tuple[str, str], background: tuple[str, str], minimum: float
) -> None:
    fg, bg = colour(*foreground), colour(*background)
    ratio = contrast_ratio(fg, bg)
    assert ratio >= minimum, f"{what}: {fg} on {bg} is {ratio:.2f}:1, below {minimum}:1"


def test_every_colour_in_the_stylesheet_is_checked() -> None:
    """A rule that sets a text or background colour must be in the lists above, so a new
    colour cannot escape the contrast check."""
    rules, _ = _stylesheet()
    pairs = TEXT_PAIRS + NON_TEXT_PAIRS
    checked = {sel for _, fg, bg in pairs for sel, _ in (fg, bg)}
    colour_props = ("color", "background", "background-color")
    unchecked = [
        selector
        for selector, declarations in rules.items()
        if selector != ":root"
        and any(
            p in declarations and declarations[p] not in ("inherit", "transparent", "none")
            for p in colour_props
        )
        and selector not in checked
    ]
    assert not unchecked, f"colours no contrast pair checks: {unchecked}"


def test_focus_is_always_visible_in_the_stylesheet() -> None:
    """Every focusable element gets the outline, drawn outside it; no rule takes it away
    from anything a person can focus (``main`` is focused only by the skip link)."""
    rules, _ = _stylesheet()
    for selector in (":focus-visible", *(f"{element}:focus" for element in FOCUSABLE)):
        assert selector in rules, f"no {selector} rule"
        assert rules[selector].get("outline", "none").split()[0] not in ("none", "0"), selector
    offset = rules[":focus-visible"].get("outline-offset", "0")
    assert float(re.sub(r"[a-z]+$", "", offset)) > 0, offset
    width = rules[":focus-visible"]["outline"].split()[0]
    assert float(re.sub(r"[a-z]+$", "", width)) >= 2, width
    hidden = [
        selector
        for selector, declarations in rules.items()
        if declarations.get("outline", "").split()[:1] in (["none"], ["0"])
        and selector not in ("main:focus",)
    ]
    assert not hidden, f"rules that hide the focus: {hidden}"


def test_colour_lookup_fails_loudly() -> None:
    """A pair that names a rule or a property the stylesheet lacks fails, never passes."""
    with pytest.raises(AssertionError, match="no rule"):
        colour(".no-such-rule", "color")
    with pytest.raises(AssertionError, match="sets no color"):
        colour("main", "color")
    assert colour("body", "background") == colour(":root", "--paper")
