"""Translations: both catalogs have every key the pages and the code use, and Spanish pages
show no English interface text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webtest_helpers import DEV_EMAILS, confirm_as_read, log_email, login

from resguardo.policy import AgencyKind, ProcessKind, Purpose, RecordSystem, Scope
from resguardo.store.cases import CaseSource, CaseStatus
from resguardo.store.models import Role
from resguardo.store.models import Scope as TokenScope
from resguardo.taxonomy import CATEGORY_IDS
from resguardo.web.i18n import SUPPORTED, catalog, pick_language, translate

WEB = Path(__import__("resguardo.web", fromlist=["x"]).__file__).parent
TEMPLATE_KEY = re.compile(r"""_\(\s*["']([a-z0-9_.:]+)["']""")
LABEL = re.compile(r"""_\.label\(\s*["']([a-z_]+)["']""")
PY_KEY = re.compile(
    r"""["']((?:flash|login|password|settings|admin\.error|time|error|nav|review\.age|reply)\.[a-z0-9_.]+)["']"""
)
WEB_ERROR = re.compile(r'WebError\(\s*\d+,\s*"([a-z_]+)"')


def _template_keys() -> set[str]:
    keys: set[str] = set()
    for path in (WEB / "templates").glob("*.html"):
        keys.update(k for k in TEMPLATE_KEY.findall(path.read_text()) if not k.endswith("."))
    return keys


def _code_keys() -> set[str]:
    keys: set[str] = set()
    for path in list(WEB.glob("*.py")) + list((WEB / "api").glob("*.py")):
        text = path.read_text()
        keys.update(k for k in PY_KEY.findall(text) if not k.endswith((".html", ".")))
        keys.update(f"error.{code}" for code in WEB_ERROR.findall(text))
    return keys


def _label_keys() -> set[str]:
    groups: dict[str, list[str]] = {
        "agency_kind": [k.value for k in AgencyKind],
        "purpose": [p.value for p in Purpose],
        "scope": [s.value for s in Scope],
        "record_system": [r.value for r in RecordSystem],
        "process_kind": [p.value for p in ProcessKind],
        "category": list(CATEGORY_IDS),
        "role": [r.value for r in Role],
        "status": [s.value for s in CaseStatus],
        "source": [s.value for s in CaseSource],
        "outcome": ["release", "release_redacted", "deny", "escalate"],
        "review_outcome": ["release", "release_redacted", "deny"],
        "review_reason": ["pack", "process_override", "correction"],
        "verdict": ["release", "withhold"],
        "scope_name": [s.value for s in TokenScope],
        "field": [
            "requester",
            "on_behalf_of",
            "purpose",
            "legal_process",
            "scope",
            "record_system",
            "categories",
            "written_consent",
            "federal_law_cited",
        ],
        "review.age": ["0", "24", "72", "168", "720"],
        "reply.after_review": ["release", "release_redacted", "deny"],
    }
    used = set()
    for path in (WEB / "templates").glob("*.html"):
        used.update(LABEL.findall(path.read_text()))
    missing_groups = used - set(groups)
    assert not missing_groups, f"label groups without a value list here: {missing_groups}"
    return {f"{group}.{value}" for group, values in groups.items() for value in values}


def test_both_catalogs_have_the_same_keys_and_no_empty_text() -> None:
    en, es = catalog("en"), catalog("es")
    assert set(en) == set(es), set(en) ^ set(es)
    for lang in SUPPORTED:
        assert all(v.strip() for v in catalog(lang).values()), lang


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_key_used_exists(lang: str) -> None:
    used = _template_keys() | _code_keys() | _label_keys()
    assert len(used) > 300
    missing = sorted(k for k in used if k not in catalog(lang))
    assert not missing, missing


def test_placeholders_agree() -> None:
    field = re.compile(r"{(\w+)}")
    for key, text in catalog("en").items():
        assert set(field.findall(text)) == set(field.findall(catalog("es")[key])), key


def test_translate_and_pick_language() -> None:
    assert translate("es", "login.title") == "Iniciar sesión"
    assert translate("fr", "login.title") == "Log in"
    assert translate("en", "no.such.key") == "no.such.key"
    assert pick_language(None, "fr-CA,es;q=0.8,en;q=0.7") == "es"
    assert pick_language("en", "es") == "en"
    assert pick_language("xx", None, "es") == "es"
    assert pick_language(None, "en;q=0, es;q=0") == "en"  # q=0 means "not this one"


def _english_only_texts() -> list[str]:
    en, es = catalog("en"), catalog("es")
    # Interface strings that differ between the languages and are long enough not to
    # occur by accident in data.
    return [
        text
        for key, text in en.items()
        if text != es[key]
        and len(text) >= 12
        and "{" not in text
        and not key.startswith(("category.", "reply."))
    ]


def test_spanish_pages_have_no_english_interface_text(app: FastAPI) -> None:
    clerk, reviewer, auditor, admin = (TestClient(app) for _ in range(4))
    for person, name in ((clerk, "ana"), (reviewer, "rita"), (auditor, "olga"), (admin, "adam")):
        person.cookies.set("resguardo_lang", "es")
        login(person, name)
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    draft_page = clerk.get(f"/cases/{case_id}")
    confirm_as_read(clerk, case_id)
    pages = {
        "login": TestClient(app, cookies={"resguardo_lang": "es"}).get("/login").text,
        "intake": clerk.get("/intake/new").text,
        "cases": clerk.get("/cases").text,
        "draft": draft_page.text,
        "case": clerk.get(f"/cases/{case_id}").text,
        "queue": reviewer.get("/review").text,
        "review": reviewer.get(f"/cases/{case_id}").text,
        "audit": auditor.get("/audit").text,
        "verify": auditor.get("/audit/verify").text,
        "users": admin.get("/admin/users").text,
        "tokens": admin.get("/admin/tokens").text,
        "settings": admin.get("/admin/settings").text,
        "error": clerk.get("/admin/users").text,
    }
    english = _english_only_texts()
    assert len(english) > 150
    for name, html in pages.items():
        assert '<html lang="es">' in html, name
        # Remove the email and document text (data, in whatever language it came).
        visible = re.sub(r'<pre class="inert".*?</pre>', "", html, flags=re.S)
        visible = re.sub(r'<details open id="evidence">.*?</details>', "", visible, flags=re.S)
        import html as html_lib

        visible = html_lib.unescape(visible)
        leaks = [t for t in english if t in visible]
        assert not leaks, (name, leaks[:5])


# --------------------------------------------------------------------------- evidence


def _english_evidence_fragments() -> list[str]:
    """Words of the reader's and the classifier's English templates that the Spanish ones
    do not share, long enough not to occur by accident (quoted material aside)."""
    from resguardo.messages import CATALOGS
    from resguardo.messages import catalog as message_catalog

    fragments: set[str] = set()
    for namespace in CATALOGS:
        for texts in message_catalog(namespace).values():
            for piece in re.split(r"\{\w+\}", texts["en"]):
                piece = piece.strip(" ()[]:;,'\"-—")
                if len(piece) >= 15 and piece not in texts["es"]:
                    fragments.add(piece)
    return sorted(fragments)


def _explanations(html: str) -> str:
    """The evidence, unknowns, notes and classification lists of a case page, as text."""
    import html as html_lib

    parts = re.findall(
        r'<details open id="evidence">.*?</details>'
        r'|<div class="notice" id="(?:unknowns|notes)">.*?</div>'
        r'|<p id="classified-\d+">.*?</ul>',
        html,
        flags=re.S,
    )
    return html_lib.unescape("\n".join(parts))


def _legal_document(name: str) -> tuple[str, bytes, str]:
    path = REPO_DATA / "requests-dev" / "documents" / name
    return (name, path.read_bytes(), "text/plain")


REPO_DATA = DEV_EMAILS.parents[1]


@pytest.mark.parametrize(
    ("email", "document"),
    [
        ("req-05.eml", None),
        ("req-01.eml", None),
        ("req-12.eml", None),
        ("req-03.eml", "doc-01.txt"),
    ],
)
def test_spanish_case_page_shows_the_evidence_in_spanish(
    app: FastAPI, email: str, document: str | None
) -> None:
    clerk = TestClient(app)
    clerk.cookies.set("resguardo_lang", "es")
    login(clerk, "ana")
    legal = _legal_document(document) if document else None
    case_id = log_email(clerk, (DEV_EMAILS / email).read_bytes(), legal=legal)
    page = clerk.get(f"/cases/{case_id}").text
    shown = _explanations(page)
    assert 'id="evidence"' in page
    # The reader's own words, in Spanish, with the form's names for the fields.
    assert "Tipo de agencia:" in shown
    assert "(dominio del remitente " in shown or "(firma: " in shown
    assert "Cuántas personas:" in shown
    if legal is not None:
        assert re.search(r'<p id="classified-\d+">', page)
    # None of the English sentences: neither whole lines nor the templates' words.
    with app.state.ctx.store.read_session() as db:
        from resguardo.store.cases import Case, CaseDocument

        stored = db.get(Case, case_id)
        assert stored is not None and stored.inference is not None
        english = [
            *stored.inference["evidence"],
            *stored.inference["unknowns"],
            *stored.inference["notes"],
        ]
        for d in db.query(CaseDocument).filter(CaseDocument.case_id == case_id):
            english += (d.classification or {}).get("evidence", [])
    assert english
    leaks = [line for line in english if line in shown]
    assert not leaks, leaks[:3]
    words = [w for w in _english_evidence_fragments() if w in shown]
    assert not words, words[:5]


def test_english_case_page_shows_the_same_evidence_in_english(app: FastAPI) -> None:
    clerk = TestClient(app)
    clerk.cookies.set("resguardo_lang", "en")
    login(clerk, "ana")
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    shown = _explanations(clerk.get(f"/cases/{case_id}").text)
    assert "Kind of agency:" in shown and "(sender domain " in shown
    assert "dominio del remitente" not in shown


def test_cases_stored_with_english_strings_only_still_show_them(app: FastAPI) -> None:
    """A case logged before the sentences were stored structured: its English is shown."""
    clerk = TestClient(app)
    clerk.cookies.set("resguardo_lang", "es")
    login(clerk, "ana")
    case_id = log_email(clerk, (DEV_EMAILS / "req-05.eml").read_bytes())
    from resguardo.store.cases import Case

    with app.state.ctx.store.transaction() as db:
        case = db.get(Case, case_id)
        assert case is not None and case.inference is not None
        old = {k: v for k, v in case.inference.items() if k != "structured"}
        old["evidence"] = [*old["evidence"], "an old line with no structure"]
        case.inference = old
    page = clerk.get(f"/cases/{case_id}")
    assert page.status_code == 200
    shown = _explanations(page.text)
    assert "an old line with no structure" in shown
    assert old["evidence"][0] in shown  # the stored English, not an error


def test_the_api_returns_the_english_contract_without_the_structure(app: FastAPI) -> None:
    clerk = TestClient(app)
    login(clerk, "ana")
    case_id = log_email(
        clerk, (DEV_EMAILS / "req-05.eml").read_bytes(), legal=_legal_document("doc-01.txt")
    )
    r = clerk.get(f"/api/v1/requests/{case_id}")
    assert r.status_code == 200, r.text[:500]
    body = r.json()
    assert set(body["inference"]) == {"request", "evidence", "unknowns", "notes"}
    assert all(isinstance(e, str) for e in body["inference"]["evidence"])
    classified = [d["classification"] for d in body["documents"] if d["classification"]]
    assert classified
    for c in classified:
        assert set(c) == {"kind", "confidence", "evidence", "form", "issuer", "signed_by"}
