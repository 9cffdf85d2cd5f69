"""``resguardo check --email``: the contract, the text view, errors, and arbitrary bytes."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_helpers import INTAKE_EMAILS, TESTS
from typer.testing import CliRunner

from msg_builder import make_msg
from resguardo.cli.policy_cmd import register

runner = CliRunner()
DEV = TESTS / "data" / "requests-dev" / "emails"
CONTRACT = {
    "outcome",
    "pack",
    "pack_version",
    "categories",
    "obligations",
    "explanation",
    "reply",
    "inferred_request",
}


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    return app


APP = make_app()


def test_json_is_exactly_the_contract() -> None:
    result = runner.invoke(
        APP, ["check", "--pack", "ny", "--email", str(DEV / "req-03.eml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == CONTRACT
    assert data["outcome"] == "deny"
    req = data["inferred_request"]
    assert req["requester"]["kind"] == "federal_immigration"
    assert req["legal_process"][0]["kind"] == "administrative_warrant"
    assert req["record_system"] == "motor_vehicles"


def test_text_shows_what_was_read_then_the_decision() -> None:
    result = runner.invoke(
        APP, ["check", "--pack", "nm-sb36-2025", "--email", str(DEV / "req-02.eml")]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Request read from the email" in out
    assert "sender domain hsi.dhs.gov" in out
    assert "Could not be read" in out and "purpose" in out
    assert out.index("How it was read") < out.index("Explanation")
    assert "DENY" in out or "ESCALATE" in out


def test_record_system_override() -> None:
    result = runner.invoke(
        APP,
        [
            "check",
            "--pack",
            "nm-sb36-2025",
            "--email",
            str(INTAKE_EMAILS / "05-gmail-vague.eml"),
            "--record-system",
            "corrections",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inferred_request"]["record_system"] == "corrections"


def test_msg_file(tmp_path: Path) -> None:
    path = tmp_path / "request.msg"
    path.write_bytes(
        make_msg(
            "lookup",
            "Please send his home address. He is in removal proceedings.\r\n\r\nJo\r\nICE ERO\r\n",
            headers="From: Jo <jo@ice.dhs.gov>\r\nTo: MVD Records <mvd.records@state.nm.us>",
        )
    )
    result = runner.invoke(APP, ["check", "--pack", "ny", "--email", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["outcome"] == "deny"
    assert data["inferred_request"]["requester"]["kind"] == "federal_immigration"


def test_email_from_stdin() -> None:
    data = (DEV / "req-13.eml").read_bytes()
    result = runner.invoke(
        APP, ["check", "--pack", "nm-sb36-2025", "--email", "-", "--format", "json"], input=data
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["outcome"] in ("release", "release_redacted")


def test_exactly_one_of_request_and_email(tmp_path: Path) -> None:
    neither = runner.invoke(APP, ["check", "--pack", "ny"])
    assert neither.exit_code == 2 and "exactly one" in neither.stderr
    req = tmp_path / "r.json"
    req.write_text("{}", encoding="utf-8")
    both = runner.invoke(
        APP, ["check", "--pack", "ny", str(req), "--email", str(DEV / "req-01.eml")]
    )
    assert both.exit_code == 2 and "exactly one" in both.stderr
    assert both.stdout == ""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\xff\xfe" * 50, "binary"),
        (b"no headers here, just words\n", "not an email"),
        (b"From: a@b.example\nSubject:  \n\n  \n", "no text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "Outlook"),
    ],
)
def test_bad_email_is_a_clear_error(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.eml"
    path.write_bytes(content)
    result = runner.invoke(APP, ["check", "--pack", "ny", "--email", str(path), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "nothing was decided" in result.stderr
    assert result.stdout == ""


def test_missing_and_folder(tmp_path: Path) -> None:
    missing = runner.invoke(APP, ["check", "--pack", "ny", "--email", str(tmp_path / "no.eml")])
    assert missing.exit_code == 2 and "cannot read email" in missing.stderr
    folder = runner.invoke(APP, ["check", "--pack", "ny", "--email", str(tmp_path)])
    assert folder.exit_code == 2 and "folder" in folder.stderr


def test_json_request_still_works(tmp_path: Path) -> None:
    req = tmp_path / "r.json"
    req.write_text(
        json.dumps(
            {
                "requester": {"kind": "federal_immigration"},
                "purpose": "immigration_enforcement",
                "scope": "individual",
                "record_system": "motor_vehicles",
                "categories": ["street_address"],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        APP, ["check", "--pack", "ny", str(req), "--record-system", "health", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inferred_request"]["record_system"] == "health"


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


HEADERS = [b"From: x@y.example\n", b"To: a@state.nm.us\n", b"Subject: s\n", b"\n"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.lists(st.sampled_from(HEADERS), max_size=4).flatmap(
            lambda h: st.binary(max_size=800).map(lambda b: b"".join(h) + b)
        ),
    ),
    pack=st.sampled_from(["nm-sb36-2025", "ny", "wa", "nm-2019", "santa-fe"]),
)
def test_arbitrary_bytes_never_crash_and_never_release(
    folder: Path, data: bytes, pack: str
) -> None:
    path = folder / "any.eml"
    path.write_bytes(data)
    result = runner.invoke(APP, ["check", "--pack", pack, "--email", str(path), "--format", "json"])
    # Handled: a decision or a clear error, never a traceback.
    assert result.exit_code in (0, 2), (result.exit_code, result.output, result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit)
    if result.exit_code == 0:
        assert json.loads(result.stdout)["outcome"] != "release"
    else:
        assert "nothing was decided" in result.stderr
