"""Settings of the review service: the core settings plus what only the web server needs.

The core fields (``data_dir``, ``database_url``, ``secret_key``) come from
:class:`resguardo.config.Settings`; the fields below are added here so the rest of Resguardo
is unaffected. Sources, strongest first: values passed in code (command-line options),
``RESGUARDO_*`` environment variables, the TOML file (``--config`` or ``RESGUARDO_CONFIG``),
then the defaults. In the TOML file the core keys are top-level and the web keys sit in a
``[web]`` table, so a shared file reads the same for every command::

    data_dir = "/var/lib/resguardo"
    database_url = "postgresql+psycopg://resguardo@db.internal/resguardo"

    [web]
    pack = "nm-sb36-2025"
    trust_proxy = true
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from resguardo.config import (
    CONFIG_ENV_VAR,
    ConfigError,
    Settings,
    build_settings,
    read_toml_file,
)

__all__ = ["WebSettings", "environment_lines", "load_web_settings"]

MIB = 1024 * 1024


class WebSettings(Settings):
    """Core settings plus the web server's own (env ``RESGUARDO_<NAME>``, TOML ``[web]``)."""

    pack: str = Field(
        default="nm-sb36-2025",
        description="Policy pack every decision is made under (env RESGUARDO_PACK).",
    )
    trust_proxy: bool = Field(
        default=False,
        description=(
            "Believe X-Forwarded-Proto/-For from the proxies in forwarded_allow_ips (env "
            "RESGUARDO_TRUST_PROXY). Only turn on behind a reverse proxy that sets them."
        ),
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies trusted when trust_proxy is on (env RESGUARDO_FORWARDED_ALLOW_IPS).",
    )
    session_hours: int = Field(
        default=12,
        ge=1,
        le=24 * 7,
        description="How long a login lasts, in hours (env RESGUARDO_SESSION_HOURS).",
    )
    max_json_bytes: int = Field(
        default=1 * MIB,
        ge=1024,
        description="Largest JSON body the API accepts (env RESGUARDO_MAX_JSON_BYTES).",
    )
    max_upload_bytes: int = Field(
        default=32 * MIB,
        ge=1024,
        description=(
            "Largest upload (email, legal document, records, form post) "
            "(env RESGUARDO_MAX_UPLOAD_BYTES)."
        ),
    )
    audit_api_checks: bool = Field(
        default=True,
        description=(
            "Log each stateless POST /api/v1/decisions in the audit log "
            "(env RESGUARDO_AUDIT_API_CHECKS). Turning it off trades accountability for "
            "throughput: only do so when the caller keeps its own record."
        ),
    )
    api_token_cache_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description=(
            "How long a worker trusts an API token it has just checked before reading it "
            "from the database again (env RESGUARDO_API_TOKEN_CACHE_SECONDS). A token revoked "
            "from another worker or the CLI keeps working this long at most; 0 checks every "
            "call."
        ),
    )
    default_lang: str = Field(
        default="en",
        description="Language for people who have not chosen one (env RESGUARDO_DEFAULT_LANG).",
    )

    @field_validator("default_lang")
    @classmethod
    def _known_lang(cls, value: str) -> str:
        if value not in ("en", "es"):
            raise ValueError("default_lang is 'en' or 'es'")
        return value


_CORE_KEYS = frozenset(Settings.model_fields)
_WEB_KEYS = frozenset(WebSettings.model_fields) - _CORE_KEYS


def _read_toml(path: Path) -> dict[str, Any]:
    data = read_toml_file(path)
    web = data.pop("web", {})
    if not isinstance(web, dict):
        raise ConfigError(f"{path}: [web] must be a table")
    unknown = sorted(set(data) - _CORE_KEYS) + sorted(f"web.{k}" for k in set(web) - _WEB_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: "
            f"{', '.join(sorted(_CORE_KEYS))}, and in [web]: {', '.join(sorted(_WEB_KEYS))}"
        )
    return {**data, **web}


def load_web_settings(config_file: Path | str | None = None, **overrides: Any) -> WebSettings:
    """Build the web settings from ``overrides`` (non-None values), env and the TOML file.

    Raises :class:`~resguardo.config.ConfigError` for a missing or malformed file or a value
    that does not validate.
    """
    path = config_file if config_file is not None else os.environ.get(CONFIG_ENV_VAR)
    toml_data = _read_toml(Path(path).expanduser()) if path else {}
    return build_settings(WebSettings, toml_data, overrides)


def environment_lines() -> list[str]:
    """One line per ``RESGUARDO_*`` variable, for ``resguardo serve --help``."""
    lines = [f"{CONFIG_ENV_VAR}: TOML settings file (same as --config)."]
    for name, info in WebSettings.model_fields.items():
        text = (info.description or "").split(" (env ")[0].rstrip(".")
        default = info.default
        if name == "data_dir":
            shown = " Default: the platform's data folder (~/.local/share/resguardo)."
        elif name == "database_url":
            shown = " Default: sqlite:///<data_dir>/resguardo.db."
        elif name == "secret_key":
            shown = " Default: generated once into <data_dir>/secret_key."
        elif isinstance(default, bool | int | str):
            shown = f" Default: {str(default).lower() if isinstance(default, bool) else default}."
        else:
            shown = ""
        lines.append(f"RESGUARDO_{name.upper()}: {text}.{shown}")
    return lines
