"""The reader's sentences in English and Spanish: every message key the code uses has both
templates with the same placeholders, and every sentence an inference gives is structured
(a key and parameters) while still being the English string the contracts print."""

from __future__ import annotations

import copy
import json
import pickle
import re
import string
from pathlib import Path

import pytest
import yaml

from resguardo.intake import Inference, infer_request, parse_email_bytes
from resguardo.messages import (
    CATALOGS,
    LANGS,
    Joined,
    Localized,
    Msg,
    Term,
    catalog,
    from_json,
    render,
    to_json,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "resguardo"
DATA = Path(__file__).resolve().parents[1] / "data"
EMAILS = sorted((DATA / "requests-dev" / "emails").glob("*.eml")) + sorted(
    (DATA / "intake-emails").glob("*.eml")
)
# Keys written out in the code: Msg("intake.scope.bulk", ...) and the keys chosen between in
# a conditional ("intake.who.signature" if ... else "intake.who.display").
_KEY = re.compile(r"""["']((?:intake|legal)\.[a-z_.]+[a-z_])["']""")
# Keys built from a prefix in the code (f"legal.role.{m.role}"), with their catalog prefix.
_PREFIX = re.compile(r"""f["']((?:intake|legal)\.[a-z_.]+)\{""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("namespace", sorted(CATALOGS))
def test_every_entry_has_english_and_spanish_with_the_same_placeholders(namespace: str) -> None:
    entries = catalog(namespace)
    assert entries
    for key, texts in entries.items():
        assert set(texts) == set(LANGS), key
        assert all(t.strip() for t in texts.values()), key
        assert _fields(texts["en"]) == _fields(texts["es"]), key


def _code_keys() -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        keys.update(k for k in _KEY.findall(text) if not k.endswith("."))
        prefixes.update(_PREFIX.findall(text))
    return keys, prefixes


def test_every_key_the_code_uses_is_in_a_catalog() -> None:
    keys, prefixes = _code_keys()
    known = {k for ns in CATALOGS for k in catalog(ns)}
    missing = sorted(k for k in keys if k not in known)
    assert not missing, missing
    assert len(keys) > 100
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in known), prefix


def test_data_file_texts_have_both_languages() -> None:
    raw = yaml.safe_load((SRC / "intake" / "data" / "categories.yaml").read_text("utf-8"))
    whys = [r["why"] for r in raw["implied"]] + [v["why"] for v in raw["record_systems"].values()]
    assert whys
    for why in whys:
        assert set(why) == set(LANGS) and all(why[lang].strip() for lang in LANGS), why


def test_a_message_is_its_english_and_knows_its_spanish() -> None:
    m = Msg("intake.who.domain", domain="ice.dhs.gov")
    assert m == "sender domain ice.dhs.gov"
    assert isinstance(m, str) and json.dumps(m) == '"sender domain ice.dhs.gov"'
    assert m.render("es") == "dominio del remitente ice.dhs.gov"
    assert m.render("fr") == str(m)  # no catalog: the English
    nested = Msg(
        "intake.note.claim_differs",
        phrase="'attached is a signed warrant'",
        found=Joined(", ", [Term("process_kind", "administrative_warrant")]),
    )
    spanish = nested.render("es", lambda group, value: f"<{group}:{value}>")
    assert "'attached is a signed warrant'" in spanish  # quoted material stays as written
    assert "<process_kind:administrative_warrant>" in spanish
    assert Localized({"en": "yes", "es": "sí"}).render("es") == "sí"
    with pytest.raises(KeyError):
        Msg("intake.no.such.key")
    with pytest.raises(KeyError):
        Msg("intake.who.domain")  # a missing parameter


def test_structure_survives_storage_pickling_and_copies() -> None:
    m = Msg(
        "intake.categories.asked",
        why=Joined(
            "; ",
            [Msg("intake.categories.in_subject", phrase="'address'"), "plain"],
        ),
    )
    for again in (
        from_json(json.loads(json.dumps(to_json(m)))),
        pickle.loads(pickle.dumps(m)),
        copy.deepcopy(m),
    ):
        assert isinstance(again, Msg) and again == m
        assert again.render("es") == m.render("es") == "pedido: 'address' en el asunto; plain"
    assert from_json("as written") == "as written"
    with pytest.raises(ValueError):
        from_json(["not", "a", "message"])


def _inference(path: Path) -> Inference:
    return infer_request(parse_email_bytes(path.read_bytes()))


def _structured(value: str) -> bool:
    """Whether ``value`` carries its structure (a plain str is quoted material only)."""
    return isinstance(value, Msg | Term | Localized | Joined)


@pytest.mark.parametrize("path", EMAILS, ids=lambda p: p.name)
def test_every_sentence_of_an_inference_is_structured_and_renders(path: Path) -> None:
    inference = _inference(path)
    sentences = [e.reason for e in inference.evidence] + [*inference.unknowns, *inference.notes]
    assert sentences
    for s in sentences:
        assert isinstance(s, Msg), (path.name, s)
        spanish = s.render("es")
        assert spanish and "{" not in spanish.replace("{{", "")
        assert from_json(json.loads(json.dumps(to_json(s)))) == s
    for e in inference.evidence:
        assert str(e) == f"{e.field}: {e.value} ({e.reason})"
    # The English contract is unchanged by the structure: plain strings, as before.
    data = json.loads(json.dumps(inference.to_dict()))
    assert data["evidence"] == [str(e) for e in inference.evidence]
    assert data["unknowns"] == [str(u) for u in inference.unknowns]


def test_spanish_differs_from_english_across_the_dev_emails() -> None:
    same: list[str] = []
    total = 0
    for path in EMAILS:
        for e in _inference(path).evidence:
            total += 1
            if render(e.reason, "es") == str(e.reason):
                same.append(str(e.reason))
    # Only sentences made wholly of quoted material or names may read alike.
    assert total > 200
    assert len(same) <= total // 20, same[:10]
