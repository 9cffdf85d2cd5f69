"""Settings: defaults, TOML file, environment, explicit values, and the secret key file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from resguardo.config import ConfigError, Settings, ensure_secret_key, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("RESGUARDO_"):
            monkeypatch.delenv(name)
    # platformdirs follows XDG_DATA_HOME: keeps the default inside the test's folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CI", raising=False)


def test_defaults_use_the_platform_data_folder(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == tmp_path / "xdg" / "resguardo"
    assert settings.database_url == f"sqlite:///{tmp_path / 'xdg' / 'resguardo' / 'resguardo.db'}"
    assert settings.secret_key is None


def test_data_dir_from_env_moves_the_default_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RESGUARDO_DATA_DIR", str(tmp_path / "d"))
    assert load_settings().database_url == f"sqlite:///{tmp_path / 'd' / 'resguardo.db'}"


def test_env_overrides_toml_and_explicit_overrides_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    toml = tmp_path / "resguardo.toml"
    toml.write_text(
        f'data_dir = "{tmp_path / "from-toml"}"\n'
        'database_url = "postgresql+psycopg://toml@db/x"\n'
        'secret_key = "from-toml-0123456789abcdef0123456789"\n'
    )
    settings = load_settings(toml)
    assert settings.data_dir == tmp_path / "from-toml"
    assert settings.database_url == "postgresql+psycopg://toml@db/x"

    monkeypatch.setenv("RESGUARDO_DATABASE_URL", "postgresql+psycopg://env@db/x")
    settings = load_settings(toml)
    assert settings.database_url == "postgresql+psycopg://env@db/x"
    assert settings.data_dir == tmp_path / "from-toml"  # not overridden, still from TOML

    settings = load_settings(toml, database_url="sqlite:////tmp/cli.db")
    assert settings.database_url == "sqlite:////tmp/cli.db"


def test_config_file_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('database_url = "sqlite:////srv/r.db"\n')
    monkeypatch.setenv("RESGUARDO_CONFIG", str(toml))
    assert load_settings().database_url == "sqlite:////srv/r.db"


def test_bad_config_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("database_url = \n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(bad)
    typo = tmp_path / "typo.toml"
    typo.write_text('databse_url = "sqlite:///x.db"\n')
    with pytest.raises(ConfigError, match=r"unknown setting.*databse_url"):
        load_settings(typo)


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description and len(field.description) > 20, name


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data")
    key = ensure_secret_key(settings)
    path = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 40
    assert ensure_secret_key(load_settings(data_dir=tmp_path / "data")) == key
    assert ensure_secret_key(load_settings(data_dir=tmp_path / "other")) != key
    assert list((tmp_path / "data").iterdir()) == [path]  # no temporary file left behind


def test_configured_secret_key_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RESGUARDO_SECRET_KEY", "k" * 40)
    assert ensure_secret_key(load_settings(data_dir=tmp_path)) == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_a_secret_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    path.write_text("x" * 43)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by other users"):
        ensure_secret_key(load_settings(data_dir=tmp_path))
