"""Hash-chained, append-only audit log: pure chain functions (``chain``) and the database
side (``log``)."""

from __future__ import annotations

from resguardo.audit.chain import (
    GENESIS_HASH,
    AuditEntry,
    ChainVerifier,
    Problem,
    ProblemKind,
    VerifyResult,
    verify_chain,
)
from resguardo.audit.log import (
    Action,
    AuditError,
    ExportFormat,
    append_event,
    chain_head,
    export_log,
    iter_entries,
    read_export,
    verify_log,
)

__all__ = [
    "GENESIS_HASH",
    "Action",
    "AuditEntry",
    "AuditError",
    "ChainVerifier",
    "ExportFormat",
    "Problem",
    "ProblemKind",
    "VerifyResult",
    "append_event",
    "chain_head",
    "export_log",
    "iter_entries",
    "read_export",
    "verify_chain",
    "verify_log",
]
