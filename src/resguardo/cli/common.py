"""Helpers shared by the command modules: option parsing and error output."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from resguardo.taxonomy import CATEGORY_IDS, is_category

__all__ = ["fail", "parse_categories"]


def parse_categories(values: Sequence[str] | None) -> frozenset[str] | None:
    """``--categories ssn,itin --categories vin`` → a set of ids; unknown ids are a usage error."""
    if not values:
        return None
    ids = {v.strip() for raw in values for v in raw.split(",") if v.strip()}
    unknown = sorted(i for i in ids if not is_category(i))
    if unknown:
        raise typer.BadParameter(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}; "
            f"known: {', '.join(CATEGORY_IDS)}",
            param_hint="--categories",
        )
    return frozenset(ids)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)
