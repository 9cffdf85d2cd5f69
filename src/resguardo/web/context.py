"""What every request handler shares: settings, the store, the pack, the templates.

One :class:`AppContext` per application, kept on ``app.state.ctx``. Nothing in it changes
after start-up (the pack is fixed for the life of the process; changing it is a restart,
which :func:`record_pack_in_use` writes to the audit log).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2
from sqlalchemy import select

from resguardo import __version__
from resguardo.audit.group_commit import GroupCommitter
from resguardo.audit.log import Action, append_event
from resguardo.detect import Scanner, default_scanner
from resguardo.policy import Pack
from resguardo.store import Store
from resguardo.store.models import AuditChainHead, AuditEvent
from resguardo.web.security import SessionCodec
from resguardo.web.settings import WebSettings
from resguardo.web.token_cache import TokenCache

__all__ = ["AppContext", "record_pack_in_use", "template_environment"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def template_environment() -> jinja2.Environment:
    """Jinja2 with autoescaping on for every template and undefined names as errors (a
    typo in a template fails the tests instead of printing nothing)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


@dataclass
class AppContext:
    """The application's shared, read-only state."""

    settings: WebSettings
    store: Store
    pack: Pack
    codec: SessionCodec
    templates: jinja2.Environment
    token_cache: TokenCache
    audit_writer: GroupCommitter

    def scanner(self) -> Scanner:
        """The shared scanner (built on first use: compiling it takes seconds)."""
        return default_scanner()

    def warm_up(self) -> threading.Thread:
        """Build the scanner in the background so the first scan does not wait for it."""
        thread = threading.Thread(target=self.scanner, name="resguardo-warm-up", daemon=True)
        thread.start()
        return thread


def record_pack_in_use(store: Store, pack: Pack, *, actor: str = "system") -> bool:
    """Log a ``pack.change`` event if the pack (or its version) differs from the one last
    logged; return whether one was written. Called at start-up: changing the pack is a
    configuration change and a restart, and the log must show from when each applied."""
    with store.transaction() as session:
        # Queue on the chain head first, so two workers starting together write one event.
        session.execute(select(AuditChainHead.seq).where(AuditChainHead.id == 1).with_for_update())
        last = session.execute(
            select(AuditEvent.details)
            .where(AuditEvent.action == str(Action.PACK_CHANGE))
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        ).scalar_one_or_none()
        if (
            isinstance(last, dict)
            and last.get("pack") == pack.id
            and last.get("version") == pack.version
        ):
            return False
        append_event(
            session,
            actor=actor,
            action=Action.PACK_CHANGE,
            object_type="pack",
            object_id=pack.id,
            details={
                "pack": pack.id,
                "version": pack.version,
                "title": pack.title,
                "previous": last.get("pack") if isinstance(last, dict) else None,
                "previous_version": last.get("version") if isinstance(last, dict) else None,
            },
        )
        return True
