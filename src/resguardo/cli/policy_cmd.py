"""``resguardo check`` and ``resguardo policy …``: apply, inspect, test and compare packs.

A thin shell: it reads files, turns them into core values (``Request``, ``Pack``), calls the
pure engine and prints. ``check`` takes the request either as JSON or as the email itself
(``--email MSG.eml`` or ``.msg``), in which case the request is inferred from the message
(:mod:`resguardo.intake`) and shown with its evidence before the decision. Every error path
exits non-zero with a message and prints no decision, so a malformed request, an unreadable
email or a broken pack never releases anything.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from resguardo.cli.common import fail
from resguardo.intake import Inference, MessageError, ParsedMessage, infer_request
from resguardo.intake.message import parse_email_bytes, parse_msg_bytes
from resguardo.policy.engine import Decision, decide
from resguardo.policy.matrix import diff_packs, standard_matrix, summarize
from resguardo.policy.pack import (
    Condition,
    Pack,
    PackError,
    PackNotFoundError,
    PackRegistry,
    load_pack,
)
from resguardo.policy.request import RecordSystem, Request
from resguardo.policy.scenarios import run_scenarios

__all__ = ["register"]

_OUTCOME_STYLE = {
    "release": "bold green",
    "release_redacted": "bold yellow",
    "deny": "bold red",
    "escalate": "bold magenta",
}

PacksDir = Annotated[
    Path | None,
    typer.Option(
        "--packs-dir",
        help="Read packs from this folder instead of the packs shipped with Resguardo.",
        file_okay=False,
        show_default=False,
    ),
]


class Format(StrEnum):
    """Output formats."""

    TEXT = "text"
    JSON = "json"


# --------------------------------------------------------------------------- loading


def _registry(packs_dir: Path | None) -> PackRegistry:
    return PackRegistry(packs_dir)


def _pack_error(exc: PackError) -> typer.Exit:
    typer.echo("error: the policy pack is not valid; nothing was decided.", err=True)
    for issue in exc.issues:
        typer.echo(f"  {issue}", err=True)
    return typer.Exit(2)


def _load(pack_ref: str, packs_dir: Path | None) -> Pack:
    """A pack by id, or by path to a ``.yaml`` file (for authors testing a draft)."""
    try:
        path = Path(pack_ref)
        if pack_ref.endswith((".yaml", ".yml")) and path.is_file():
            return load_pack(path)
        return _registry(packs_dir).get(pack_ref)
    except PackNotFoundError as exc:
        raise fail(str(exc)) from exc
    except PackError as exc:
        raise _pack_error(exc) from exc


def _read_request(path: str) -> Request:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read request {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(
            f"{path}:{exc.lineno}:{exc.colno}: malformed JSON ({exc.msg}); nothing was decided"
        ) from exc
    try:
        return Request.model_validate(data)
    except ValidationError as exc:
        typer.echo(f"error: {path}: not a valid request; nothing was decided.", err=True)
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"]) or "(request)"
            typer.echo(f"  {loc}: {err['msg']}", err=True)
        raise typer.Exit(2) from exc


#: Largest email read (mail servers limit messages to 25-35 MB).
MAX_EMAIL_BYTES = 32 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_email(path: str) -> ParsedMessage:
    """The message at ``path`` ('-' for stdin), parsed; a clear error for anything else."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_EMAIL_BYTES + 1)
        else:
            file = Path(path)
            if file.is_dir():
                raise fail(f"cannot read email {path}: it is a folder; nothing was decided")
            with file.open("rb") as fh:
                data = fh.read(MAX_EMAIL_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read email {path}: {exc.strerror or exc}; nothing was decided") from exc
    if len(data) > MAX_EMAIL_BYTES:
        raise fail(f"{path}: the email is larger than 32 MB; nothing was decided")
    try:
        if path.lower().endswith(".msg") or data.startswith(_OLE_MAGIC):
            message = parse_msg_bytes(data)
        else:
            message = parse_email_bytes(data)
    except MessageError as exc:
        raise fail(f"{path}: {exc}; nothing was decided") from exc
    except Exception as exc:  # a parser failure nobody foresaw: still no decision
        raise fail(
            f"{path}: the email could not be read ({type(exc).__name__}); nothing was decided"
        ) from exc
    if not message.has_content():
        raise fail(f"{path}: the email has no text to read a request from; nothing was decided")
    return message


def _infer(message: ParsedMessage, path: str, record_system: RecordSystem | None) -> Inference:
    try:
        return infer_request(message, record_system=record_system)
    except Exception as exc:  # fail closed: an inference error is no decision, not a release
        raise fail(
            f"{path}: the request could not be read from the email ({type(exc).__name__}); "
            "nothing was decided"
        ) from exc


# --------------------------------------------------------------------------- rendering


def _print_inference(console: Console, inference: Inference) -> None:
    r = inference.request
    table = Table(title="Request read from the email", title_justify="left", show_header=False)
    table.add_column("field", no_wrap=True, style="bold")
    table.add_column("value", overflow="fold")
    who = ", ".join(x for x in (r.requester.name, r.requester.agency) if x) or "—"
    table.add_row("requester", f"{who} [{r.requester.kind.value}]")
    if r.on_behalf_of is not None:
        table.add_row("on behalf of", r.on_behalf_of.value)
    table.add_row("purpose", r.purpose.value)
    procs = ", ".join(
        f"{p.kind.value} ({p.document})" if p.document else p.kind.value for p in r.legal_process
    )
    table.add_row("legal process", procs or "none")
    table.add_row("scope", r.scope.value)
    table.add_row("record system", r.record_system.value)
    table.add_row("categories", ", ".join(r.categories) or "none")
    table.add_row("written consent", "yes" if r.written_consent else "no")
    if r.federal_law_cited:
        table.add_row("federal law cited", r.federal_law_cited)
    console.print(table, markup=False)
    console.print("[bold]How it was read[/bold]")
    for e in inference.evidence:
        console.print(f"  • {e}", markup=False, highlight=False)
    if inference.unknowns:
        console.print("[bold]Could not be read (treated the careful way)[/bold]")
        for u in inference.unknowns:
            console.print(f"  ? {u}", markup=False, highlight=False)
    if inference.notes:
        console.print("[bold]Notes[/bold]")
        for n in inference.notes:
            console.print(f"  ! {n}", markup=False, highlight=False)
    console.print()


def _print_decision(console: Console, decision: Decision) -> None:
    outcome = str(decision.outcome)
    console.print(
        Panel(
            RichText(outcome.upper().replace("_", " "), style=_OUTCOME_STYLE.get(outcome, "bold")),
            title=f"{decision.pack} · {decision.pack_version[:12]}",
            expand=False,
        )
    )
    if decision.categories:
        table = Table(show_lines=False)
        table.add_column("category", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("rule", no_wrap=True)
        table.add_column("citation", overflow="fold")
        for cat, d in decision.categories.items():
            style = "green" if d.verdict == "release" else "red"
            label = d.verdict if d.decision != "escalate" else "withhold (review)"
            table.add_row(cat, RichText(label, style=style), d.rule.id, d.rule.citation)
        console.print(table)
    if decision.obligations:
        console.print("[bold]Obligations[/bold]")
        for o in decision.obligations:
            days = f" (within {o.within_days} days)" if o.within_days is not None else ""
            console.print(f"  • {o.id}{days}: {o.en.strip()}", markup=False)
    for lang, title in (("en", "Explanation"), ("es", "Explicación")):
        console.print(Panel(decision.explanation[lang], title=title, expand=True), markup=False)
    for lang, title in (("en", "Reply"), ("es", "Respuesta")):
        console.print(Panel(decision.reply[lang], title=title, expand=True), markup=False)


def _condition_text(c: Condition) -> str:
    parts = []
    for name in type(c).model_fields:
        if name in Condition.model_fields:
            value = getattr(c, name)
            if value is not None:
                shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
                parts.append(f"{name}={shown}")
    return "; ".join(parts) or "always"


def _print_pack(console: Console, pack: Pack) -> None:
    console.print(f"[bold]{pack.id}[/bold] — {pack.title}", markup=True, highlight=False)
    console.print(
        f"status: {pack.status}   jurisdiction: {pack.jurisdiction}   "
        f"effective: {pack.effective or '—'}   version: {pack.version[:12]}",
        markup=False,
    )
    console.print(pack.summary.en.strip(), markup=False)
    console.print("[bold]Sources[/bold]")
    for s in pack.sources:
        console.print(f"  • {s.citation}" + (f" <{s.url}>" if s.url else ""), markup=False)
    console.print(f"[bold]Federal overlays[/bold]: {', '.join(pack.federal) or '—'}")
    for regime in pack.regimes:
        systems = "all" if regime.record_systems == "all" else ", ".join(regime.record_systems)
        cats = "all" if regime.categories == "all" else ", ".join(regime.categories)
        table = Table(title=f"{regime.id}: {regime.title}", title_justify="left")
        table.add_column("rule", no_wrap=True)
        table.add_column("decides", no_wrap=True)
        table.add_column("when", overflow="fold")
        table.add_column("citation", overflow="fold")
        for p in regime.prohibitions:
            when = f"purposes={', '.join(p.purposes)}"
            if p.presumed_for:
                when += f"; presumed for {', '.join(p.presumed_for)}"
            table.add_row(f"⊘ {p.id}", p.decide, when, p.citation)
        for b in regime.bases:
            table.add_row(b.id, b.decide, _condition_text(b), b.citation)
        table.add_row(
            "default", regime.default.decide, "nothing above applies", regime.default.citation or ""
        )
        console.print(
            f"\n[dim]{regime.citation} · record systems: {systems} · categories: {cats}[/dim]",
            markup=True,
        )
        if regime.applies_when is not None:
            conds = (
                regime.applies_when
                if isinstance(regime.applies_when, list)
                else [regime.applies_when]
            )
            console.print(
                "  applies when: " + " OR ".join(_condition_text(c) for c in conds), markup=False
            )
        console.print(table)
    console.print(f"uncovered items: {pack.uncovered.decide}", markup=False)
    if pack.obligations:
        console.print("[bold]Obligations[/bold]")
        for o in pack.obligations:
            console.print(
                f"  • {o.id}: {o.title.en.strip()} [{_condition_text(o.when)}]", markup=False
            )
    if pack.unconfirmed:
        console.print("[bold]Unconfirmed[/bold]")
        for u in pack.unconfirmed:
            console.print(f"  • {u.id}: {u.note.en.strip()}", markup=False)
    console.print(f"scenarios: {len(pack.scenarios)}", markup=False)


# --------------------------------------------------------------------------- commands


def check(
    pack: Annotated[
        str, typer.Option("--pack", help="Pack id (see `policy list`) or a pack .yaml file.")
    ],
    request_file: Annotated[
        str | None,
        typer.Argument(
            metavar="[REQUEST.json]",
            help="The request as JSON ('-' for stdin). Give this or --email, not both.",
            show_default=False,
        ),
    ] = None,
    email: Annotated[
        str | None,
        typer.Option(
            "--email",
            metavar="MSG.eml",
            help="Read the request from this email (.eml or Outlook .msg; '-' for stdin).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        Format, typer.Option("--format", help="text (for people) or json (the contract).")
    ] = Format.TEXT,
    record_system: Annotated[
        RecordSystem | None,
        typer.Option(
            "--record-system",
            help="Whose records are asked for, when the recipient does not show it.",
            show_default=False,
        ),
    ] = None,
    packs_dir: PacksDir = None,
) -> None:
    """Decide whether a request may be answered, under one pack.

    The request is a JSON file, or an email the request is read from (--email). With an
    email, the text output first shows what was read and why, and what could not be read.
    """
    if (request_file is None) == (email is None):
        raise fail("give the request as REQUEST.json or as --email MSG.eml (exactly one of them)")
    the_pack = _load(pack, packs_dir)
    inference: Inference | None = None
    if email is not None:
        inference = _infer(_read_email(email), email, record_system)
        request = inference.request
    else:
        assert request_file is not None
        request = _read_request(request_file)
        if record_system is not None:
            request = request.model_copy(update={"record_system": record_system})
    decision = decide(request, the_pack).with_inferred_request(request.to_dict())
    if output_format is Format.JSON:
        typer.echo(decision.to_json(indent=2))
        return
    console = Console()
    if inference is not None:
        _print_inference(console, inference)
    _print_decision(console, decision)


policy_app = typer.Typer(
    name="policy",
    help="Inspect, test and compare policy packs.",
    no_args_is_help=True,
)


@policy_app.command("list")
def list_packs(packs_dir: PacksDir = None) -> None:
    """List the packs available."""
    registry = _registry(packs_dir)
    table = Table()
    for col in ("id", "status", "effective", "scenarios"):
        table.add_column(col, no_wrap=True)
    for col in ("jurisdiction", "title"):
        table.add_column(col, overflow="fold")
    broken: list[PackError] = []
    for pack_id in registry.ids():
        try:
            p = registry.get(pack_id)
        except PackError as exc:
            broken.append(exc)
            table.add_row(
                pack_id, RichText("INVALID", style="bold red"), "", "", "", exc.issues[0].message
            )
            continue
        table.add_row(
            p.id, p.status, str(p.effective or "—"), str(len(p.scenarios)), p.jurisdiction, p.title
        )
    Console().print(table)
    if broken:
        for error in broken:
            for issue in error.issues:
                typer.echo(f"error: {issue}", err=True)
        raise typer.Exit(2)


@policy_app.command("show")
def show(
    pack_id: Annotated[str, typer.Argument(metavar="ID", help="Pack id or pack .yaml file.")],
    output_format: Annotated[Format, typer.Option("--format")] = Format.TEXT,
    packs_dir: PacksDir = None,
) -> None:
    """Show a pack's rules, sources and unconfirmed points."""
    pack = _load(pack_id, packs_dir)
    if output_format is Format.JSON:
        data: dict[str, Any] = pack.model_dump(mode="json")
        data["version"] = pack.version
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _print_pack(Console(), pack)


@policy_app.command("test")
def test(
    pack_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="One pack; all packs when omitted.")
    ] = None,
    packs_dir: PacksDir = None,
) -> None:
    """Run the packs' scenario tests; exit 1 if any fails."""
    registry = _registry(packs_dir)
    packs = [_load(pack_id, packs_dir)] if pack_id else []
    if not pack_id:
        try:
            packs = registry.all()
        except PackError as exc:
            raise _pack_error(exc) from exc
    console = Console()
    failed = total = 0
    for pack in packs:
        for result in run_scenarios(pack):
            total += 1
            if result.passed:
                console.print(
                    f"[green]PASS[/green] {pack.id} {result.scenario} → {result.decision.outcome}"
                )
            else:
                failed += 1
                console.print(f"[bold red]FAIL[/bold red] {pack.id} {result.scenario}")
                for failure in result.failures:
                    console.print(f"       {failure}", markup=False)
    console.print(f"{total - failed} passed, {failed} failed")
    if failed or not total:
        raise typer.Exit(1)


@policy_app.command("diff")
def diff(
    first: Annotated[str, typer.Argument(metavar="ID1")],
    second: Annotated[str, typer.Argument(metavar="ID2")],
    record_system: Annotated[
        list[RecordSystem] | None,
        typer.Option("--record-system", help="Limit the matrix to these record systems."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows to print in text mode (0: all).")] = 40,
    output_format: Annotated[Format, typer.Option("--format")] = Format.TEXT,
    packs_dir: PacksDir = None,
) -> None:
    """Where two packs decide a standard matrix of requests differently."""
    a, b = _load(first, packs_dir), _load(second, packs_dir)
    cells = list(standard_matrix(record_system or None))
    differences = diff_packs(a, b, cells)
    if output_format is Format.JSON:
        typer.echo(
            json.dumps(
                {
                    "a": a.id,
                    "b": b.id,
                    "cells": len(cells),
                    "differences": [d.to_dict() for d in differences],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    console = Console()
    console.print(
        f"{len(differences)} of {len(cells)} requests decided differently by "
        f"[bold]{a.id}[/bold] and [bold]{b.id}[/bold]"
    )
    if not differences:
        return
    summary = Table(title="outcome changes", title_justify="left")
    summary.add_column(a.id)
    summary.add_column(b.id)
    summary.add_column("requests", justify="right")
    for (oa, ob), n in summarize(differences).most_common():
        summary.add_row(oa, ob, str(n))
    console.print(summary)
    table = Table(title="differences", title_justify="left")
    for col in ("record system", "requester", "purpose", "process", "categories", a.id, b.id):
        table.add_column(col, overflow="fold")
    shown = differences if limit <= 0 else differences[:limit]
    for d in shown:
        c = d.cell
        table.add_row(
            c.record_system,
            c.requester_kind,
            c.purpose,
            c.process,
            c.group,
            f"{d.a.outcome} (withhold {len(d.a.withheld)})",
            f"{d.b.outcome} (withhold {len(d.b.withheld)})",
        )
    console.print(table)
    if len(shown) < len(differences):
        console.print(f"… {len(differences) - len(shown)} more (use --limit 0 or --format json)")


def register(app: typer.Typer) -> None:
    """Add ``check`` and the ``policy`` group to the application."""
    app.command("check")(check)
    app.add_typer(policy_app, name="policy")
