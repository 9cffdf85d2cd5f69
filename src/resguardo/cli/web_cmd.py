"""``resguardo serve`` and ``resguardo demo``: run the review service.

FastAPI, uvicorn and the app are imported only when one of these commands runs, so every
other command starts as quickly as before.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from resguardo.cli.common import fail

__all__ = ["register"]


def _env_doc() -> str:
    # Generated from the settings model, so the list cannot drift from what is read.
    from resguardo.web.settings import environment_lines

    return (
        "Environment variables (options win over them; they win over the TOML file):\n\n"
        + "\n\n".join(environment_lines())
        + "\n\nIn the TOML file data_dir, database_url and secret_key are top-level keys; "
        "the other settings sit in a \\[web] table (pack, trust_proxy, ...)."
    )


def _uvicorn_run(
    *, host: str, port: int, workers: int, trust_proxy: bool, forwarded_allow_ips: str
) -> None:
    import uvicorn

    uvicorn.run(
        "resguardo.web.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=trust_proxy,
        forwarded_allow_ips=forwarded_allow_ips if trust_proxy else None,
        server_header=False,
        log_level="info",
    )


def _prepare(
    config: Path | None,
    data_dir: Path | None,
    database_url: str | None,
    pack: str | None,
    trust_proxy: bool | None,
) -> tuple[bool, str]:
    """Check the settings, migrate the database once and make the session key, before any
    worker starts; hand the options to the workers through the environment."""
    from resguardo.config import ConfigError, ensure_secret_key
    from resguardo.policy import PackError, PackNotFoundError, get_pack
    from resguardo.store import open_store
    from resguardo.web.settings import load_web_settings

    try:
        settings = load_web_settings(
            config,
            data_dir=data_dir,
            database_url=database_url,
            pack=pack,
            trust_proxy=trust_proxy,
        )
        get_pack(settings.pack)
        ensure_secret_key(settings)
    except (ConfigError, PackNotFoundError) as exc:
        raise fail(str(exc)) from exc
    except PackError as exc:
        raise fail(f"the policy pack {settings.pack} is not valid: {exc}") from exc
    from sqlalchemy.exc import SQLAlchemyError

    try:
        open_store(settings).dispose()
    except SQLAlchemyError as exc:
        raise fail(f"cannot open the database: {getattr(exc, 'orig', None) or exc}", 1) from exc
    for name, value in (
        ("RESGUARDO_CONFIG", str(config) if config else None),
        ("RESGUARDO_DATA_DIR", str(data_dir) if data_dir else None),
        ("RESGUARDO_DATABASE_URL", database_url),
        ("RESGUARDO_PACK", pack),
        ("RESGUARDO_TRUST_PROXY", None if trust_proxy is None else str(trust_proxy).lower()),
    ):
        if value is not None:
            os.environ[name] = value
    return settings.trust_proxy, settings.forwarded_allow_ips


def register(app: typer.Typer) -> None:
    """Add ``resguardo serve`` and ``resguardo demo``."""

    @app.command("serve", epilog=_env_doc())
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
        config: Annotated[
            Path | None,
            typer.Option("--config", help="TOML settings file.", dir_okay=False),
        ] = None,
        data_dir: Annotated[
            Path | None, typer.Option("--data-dir", help="Data folder.", file_okay=False)
        ] = None,
        database_url: Annotated[
            str | None, typer.Option("--database-url", help="Database URL.")
        ] = None,
        pack: Annotated[str | None, typer.Option("--pack", help="Policy pack id.")] = None,
        workers: Annotated[
            int, typer.Option(min=1, max=64, help="Worker processes (PostgreSQL for > 1).")
        ] = 1,
        trust_proxy: Annotated[
            bool | None,
            typer.Option(
                "--trust-proxy/--no-trust-proxy",
                help="Believe a reverse proxy's X-Forwarded-* headers.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Run the review service: staff pages and the /api/v1 API."""
        trusted, allowed = _prepare(config, data_dir, database_url, pack, trust_proxy)
        _uvicorn_run(
            host=host, port=port, workers=workers, trust_proxy=trusted, forwarded_allow_ips=allowed
        )

    @app.command("demo")
    def demo(
        directory: Annotated[
            Path | None,
            typer.Option(
                "--dir",
                help="Folder for the demo database (default: a new temporary folder).",
                file_okay=False,
            ),
        ] = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
        serve_it: Annotated[
            bool, typer.Option("--serve/--no-serve", help="Start the service afterwards.")
        ] = True,
    ) -> None:
        """Create a demo database (accounts for each role, fictional cases) and serve it."""
        folder = (
            Path(tempfile.mkdtemp(prefix="resguardo-demo-"))
            if directory is None
            else directory.expanduser()
        )
        database = folder / "resguardo.db"
        if database.exists():
            raise fail(f"{database} already exists; give --dir a new or empty folder")
        from resguardo.web.demo import build_demo
        from resguardo.web.settings import load_web_settings

        # The demo never reads the operator's configuration file: it must not touch a real
        # database or pack by accident.
        os.environ.pop("RESGUARDO_CONFIG", None)
        settings = load_web_settings(
            data_dir=folder, database_url=f"sqlite:///{database}", pack="nm-sb36-2025"
        )
        typer.echo(f"Creating the demo in {folder} ...", err=True)
        result = build_demo(settings)
        typer.echo(f"\nDemo database: {database}")
        typer.echo(f"Fictional cases: {len(result.cases)}")
        typer.echo("Accounts (the passwords are shown only now):")
        for username, password in result.passwords.items():
            typer.echo(f"  {username:<15} {result.roles[username].value:<9} {password}")
        if not serve_it:
            return
        os.environ["RESGUARDO_DATA_DIR"] = str(folder)
        os.environ["RESGUARDO_DATABASE_URL"] = settings.database_url
        os.environ["RESGUARDO_PACK"] = settings.pack
        typer.echo(f"\nOpen http://{host}:{port}/ and log in. Stop with Ctrl-C.\n")
        _uvicorn_run(
            host=host, port=port, workers=1, trust_proxy=False, forwarded_allow_ips="127.0.0.1"
        )

    _ = (serve, demo)
