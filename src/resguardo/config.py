"""Runtime settings: where the data lives, which database, the session secret.

Sources, strongest first: values passed to :func:`load_settings` (command-line options),
``RESGUARDO_*`` environment variables, an optional TOML file (``RESGUARDO_CONFIG`` or
``--config``), and the defaults below. A TOML file uses the field names as top-level keys::

    data_dir = "/var/lib/resguardo"
    database_url = "postgresql+psycopg://resguardo@db.internal/resguardo"
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

__all__ = [
    "CONFIG_ENV_VAR",
    "ConfigError",
    "Settings",
    "default_data_dir",
    "ensure_secret_key",
    "load_settings",
]

CONFIG_ENV_VAR = "RESGUARDO_CONFIG"
SECRET_KEY_FILE = "secret_key"

# The TOML values for the Settings being built right now. A context variable rather than a
# class attribute so that two threads loading different files cannot see each other's.
_toml_values: ContextVar[dict[str, Any] | None] = ContextVar("resguardo_toml_values", default=None)


class ConfigError(Exception):
    """The configuration cannot be used: a bad TOML file, a bad value, an unsafe secret file."""


def default_data_dir() -> Path:
    """The platform's per-user data folder, e.g. ``~/.local/share/resguardo`` on Linux."""
    return Path(platformdirs.user_data_dir("resguardo", appauthor=False))


class _TomlSource(InitSettingsSource):
    """The values of the TOML file named for this load (see :func:`load_settings`)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls, dict(_toml_values.get() or {}))


class Settings(BaseSettings):
    """Resguardo's settings. Each field can be set as ``RESGUARDO_<NAME>`` or in the TOML file."""

    model_config = SettingsConfigDict(
        env_prefix="RESGUARDO_",
        extra="ignore",
        validate_default=True,
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description=(
            "Folder for the SQLite database, the generated secret key and other local state "
            "(env RESGUARDO_DATA_DIR; default: the platform data folder, e.g. "
            "~/.local/share/resguardo)."
        ),
    )
    database_url: str = Field(
        default="",
        description=(
            "SQLAlchemy URL of the database (env RESGUARDO_DATABASE_URL; default "
            "sqlite:///<data_dir>/resguardo.db). For PostgreSQL: "
            "postgresql+psycopg://user@host:5432/dbname."
        ),
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key that signs web sessions (env RESGUARDO_SECRET_KEY). If unset, a random key is "
            "generated once and kept in <data_dir>/secret_key, readable by its owner only. "
            "Set it explicitly when several workers or hosts must share sessions."
        ),
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values, then environment, then the TOML file; no .env or secrets dir."""
        return (init_settings, env_settings, _TomlSource(settings_cls))

    @model_validator(mode="after")
    def _fill_database_url(self) -> Settings:
        self.data_dir = self.data_dir.expanduser()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'resguardo.db'}"
        return self


def read_toml_file(path: Path) -> dict[str, Any]:
    """The tables of a configuration file; :class:`ConfigError` when it is missing or bad."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        # A configuration file that was named but is missing must not silently fall back to
        # defaults: the defaults could point at another database.
        raise ConfigError(f"configuration file {path} does not exist") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read configuration file {path}: {exc}") from exc


def _read_toml(path: Path) -> dict[str, Any]:
    data = read_toml_file(path)
    known = set(Settings.model_fields)
    # The web server's own settings live in a [web] table of the same file (web/settings.py);
    # commands that do not serve read past it.
    unknown = sorted(set(data) - known - {"web"})
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return {k: v for k, v in data.items() if k != "web"}


SettingsT = TypeVar("SettingsT", bound="Settings")


def build_settings(
    cls: type[SettingsT], toml_data: dict[str, Any], overrides: dict[str, Any]
) -> SettingsT:
    """``cls`` from ``overrides`` (non-None values), then env, then ``toml_data``.

    Raises :class:`ConfigError` when a value does not validate.
    """
    explicit = {k: v for k, v in overrides.items() if v is not None}
    token = _toml_values.set(toml_data)
    try:
        return cls(**explicit)
    except ValidationError as exc:
        raise ConfigError(str(exc)) from exc
    finally:
        _toml_values.reset(token)


def load_settings(config_file: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the settings from ``overrides`` (non-None values), env, and the TOML file.

    ``config_file`` wins over ``RESGUARDO_CONFIG``. Raises :class:`ConfigError` when the file
    is missing or malformed or a value does not validate.
    """
    path = config_file if config_file is not None else os.environ.get(CONFIG_ENV_VAR)
    toml_data = _read_toml(Path(path).expanduser()) if path else {}
    return build_settings(Settings, toml_data, overrides)


def ensure_secret_key(settings: Settings) -> str:
    """The session secret: the configured one, else the one kept in the data folder.

    On first use a 256-bit key is written to ``<data_dir>/secret_key`` with mode 0600. An
    existing key file that others can read is refused rather than used, since anyone who
    can read it can forge sessions.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = settings.data_dir / SECRET_KEY_FILE
    if not path.exists():
        _create_key_file(path)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{path} is readable by other users (mode {stat.S_IMODE(mode):o}); "
            f"run: chmod 600 {path}"
        )
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError(f"{path} does not hold a usable key; delete it to generate a new one")
    return key


def _create_key_file(path: Path) -> None:
    # Written whole to a private temporary file, then hard-linked into place: link() fails if
    # the name exists, so two processes starting at once agree on one key, and neither can
    # read a half-written file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
