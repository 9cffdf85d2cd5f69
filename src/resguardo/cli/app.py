"""The ``resguardo`` Typer application. Each command group lives in its own module and
registers itself here, so a newcomer finds ``resguardo scan`` in ``cli/scan.py``."""

from __future__ import annotations

import typer

from resguardo import __version__

app = typer.Typer(
    name="resguardo",
    help=(
        "Keep sensitive personal information inside the agency that collected it.\n\n"
        "Find it (scan), remove it (redact), and decide whether a request may be answered."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"resguardo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Resguardo: find, withhold and account for sensitive personal information."""


def _register_all() -> None:
    # Imported here, not at module top, so that each module's register() sees the app.
    from resguardo.cli import (
        audit_cmd,
        evaluate_cmd,
        legal_cmd,
        policy_cmd,
        redact_cmd,
        scan_cmd,
        user_cmd,
        web_cmd,
    )

    for module in (
        scan_cmd,
        redact_cmd,
        policy_cmd,
        legal_cmd,
        evaluate_cmd,
        user_cmd,
        audit_cmd,
        web_cmd,
    ):
        module.register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()
