"""``resguardo serve`` and ``resguardo demo`` (without starting a server), and the web
settings file."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner
from webtest_helpers import login

from resguardo.audit.log import verify_log
from resguardo.cli import web_cmd
from resguardo.cli.app import app as cli
from resguardo.config import ConfigError
from resguardo.store import Store
from resguardo.store.cases import Case, CaseStatus, ReleasedFile
from resguardo.web.app import create_app
from resguardo.web.settings import WebSettings, load_web_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The commands hand settings to the server through the environment; keep it per test.
    # setenv first, so that monkeypatch restores (removes) what the commands set later and
    # nothing leaks into other tests (a leaked RESGUARDO_PACK changes their decisions).
    names = {n for n in os.environ if n.startswith("RESGUARDO_")} | {
        "RESGUARDO_CONFIG",
        "RESGUARDO_DATA_DIR",
        "RESGUARDO_DATABASE_URL",
        "RESGUARDO_PACK",
        "RESGUARDO_TRUST_PROXY",
    }
    for name in names - {"RESGUARDO_TEST_PG_URL"}:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def test_demo_creates_a_working_database(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", "--dir", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    accounts = dict(re.findall(r"^\s+(demo-[a-z0-9]+)\s+\w+\s+(\S+)$", result.output, re.M))
    assert set(accounts) == {
        "demo-clerk",
        "demo-clerk2",
        "demo-reviewer",
        "demo-auditor",
        "demo-admin",
    }
    store = Store(f"sqlite:///{folder / 'resguardo.db'}")
    try:
        with store.read_session() as db:
            cases = list(db.scalars(select(Case)))
            assert len(cases) >= 5
            statuses = {c.status for c in cases}
            assert {CaseStatus.IN_REVIEW, CaseStatus.REVIEWED, CaseStatus.DECIDED} <= statuses
            released = db.scalars(select(ReleasedFile)).one()
            assert b"529-61-4407" not in released.redacted
            assert b"Sandia Tile" in released.redacted
            assert verify_log(db).ok
        settings = load_web_settings(
            data_dir=folder, database_url=f"sqlite:///{folder / 'resguardo.db'}"
        )
        app = create_app(settings, store=store)
        reviewer = TestClient(app)
        login(reviewer, "demo-reviewer", accounts["demo-reviewer"])
        queue = reviewer.get("/review")
        assert queue.status_code == 200 and 'id="queue-row-' in queue.text
    finally:
        store.dispose()
    again = runner.invoke(cli, ["demo", "--dir", str(folder), "--no-serve"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_serve_help_lists_the_environment() -> None:
    result = runner.invoke(cli, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for name in WebSettings.model_fields:
        assert f"RESGUARDO_{name.upper()}" in result.output, name
    assert "RESGUARDO_CONFIG" in result.output


def test_serve_prepares_then_starts_uvicorn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(web_cmd, "_uvicorn_run", lambda **kw: calls.append(kw))
    data = tmp_path / "data"
    result = runner.invoke(
        cli,
        ["serve", "--data-dir", str(data), "--port", "8123", "--workers", "2", "--pack", "nm-2019"],
    )
    assert result.exit_code == 0, result.output
    assert calls == [
        {
            "host": "127.0.0.1",
            "port": 8123,
            "workers": 2,
            "trust_proxy": False,
            "forwarded_allow_ips": "127.0.0.1",
        }
    ]
    assert (data / "resguardo.db").exists() and (data / "secret_key").exists()
    assert os.environ["RESGUARDO_PACK"] == "nm-2019"
    assert os.environ["RESGUARDO_DATA_DIR"] == str(data)
    bad = runner.invoke(cli, ["serve", "--data-dir", str(data), "--pack", "atlantis"])
    assert bad.exit_code == 2 and "atlantis" in bad.output
    assert len(calls) == 1


def test_settings_file_with_a_web_table(tmp_path: Path) -> None:
    config = tmp_path / "resguardo.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "d"}"\n\n[web]\npack = "wa"\ntrust_proxy = true\n'
        "session_hours = 8\n"
    )
    settings = load_web_settings(config)
    assert (settings.pack, settings.trust_proxy, settings.session_hours) == ("wa", True, 8)
    assert settings.database_url.endswith("/d/resguardo.db")
    assert load_web_settings(config, pack="ny").pack == "ny"
    config.write_text('[web]\npackk = "wa"\n')
    with pytest.raises(ConfigError, match=r"web\.packk"):
        load_web_settings(config)
    config.write_text('[web]\ndefault_lang = "fr"\n')
    with pytest.raises(ConfigError):
        load_web_settings(config)
