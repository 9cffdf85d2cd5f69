"""Redaction: write a copy of a file with every finding of a scan replaced.

The core is :func:`redact_text` (pure). The handlers take a file's bytes, a ``scan``
function (``str -> list[Finding]``, e.g. ``Scanner.scan``) and a :class:`RedactionStyle`,
and return the redacted bytes with a :class:`RedactionSummary`. :func:`redact_file` picks
the handler by extension. For tables (CSV, TSV, XLSX), ``withhold_columns=True`` also
withholds whole every column in which some cell held a finding (see
:mod:`resguardo.redact.tables`).

>>> from resguardo.detect.finding import Finding
>>> def scan(text: str) -> list[Finding]:
...     i = text.find("585-20-1234")
...     return [Finding("ssn", i, i + 11, "585-20-1234", 1.0, "demo")] if i >= 0 else []
>>> redact_bytes(b"SSN 585-20-1234\\n", ".txt", scan=scan, style=RedactionStyle.label()).data
b'SSN [SSN]\\n'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from resguardo.redact.csvfile import redact_csv
from resguardo.redact.eml import redact_eml
from resguardo.redact.encoding import UndecodableError
from resguardo.redact.htmldoc import redact_html
from resguardo.redact.session import (
    RedactedFile,
    RedactionSummary,
    ScanFn,
    UnreadableFileError,
    WithheldColumn,
)
from resguardo.redact.text import (
    RedactionStyle,
    Replacement,
    StyleKind,
    label_for,
    plan_redactions,
    redact_text,
)
from resguardo.redact.txt import redact_txt
from resguardo.redact.xlsx import redact_xlsx

__all__ = [
    "SUPPORTED_SUFFIXES",
    "TABLE_SUFFIXES",
    "RedactedFile",
    "RedactionStyle",
    "RedactionSummary",
    "Replacement",
    "ScanFn",
    "StyleKind",
    "UndecodableError",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "WithheldColumn",
    "label_for",
    "plan_redactions",
    "redact_bytes",
    "redact_csv",
    "redact_eml",
    "redact_file",
    "redact_html",
    "redact_text",
    "redact_txt",
    "redact_xlsx",
]


class UnsupportedFormatError(ValueError):
    """The file's extension names a format that cannot be redacted."""


def _tsv(
    data: bytes,
    *,
    scan: ScanFn,
    style: RedactionStyle,
    propagate: bool,
    withhold_columns: bool = False,
) -> RedactedFile:
    return redact_csv(
        data,
        scan=scan,
        style=style,
        propagate=propagate,
        delimiter="\t",
        withhold_columns=withhold_columns,
    )


_Handler = Callable[..., RedactedFile]
_HANDLERS: dict[str, _Handler] = {
    ".txt": redact_txt,
    ".text": redact_txt,
    ".csv": redact_csv,
    ".tsv": _tsv,
    ".xlsx": redact_xlsx,
    ".eml": redact_eml,
    ".html": redact_html,
    ".htm": redact_html,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_HANDLERS)
"""The extensions :func:`redact_file` accepts (lower case)."""
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".xlsx")
"""The extensions whose handlers can withhold columns (``withhold_columns``)."""


def redact_bytes(
    data: bytes,
    suffix: str,
    *,
    scan: ScanFn,
    style: RedactionStyle,
    propagate: bool = True,
    withhold_columns: bool = False,
) -> RedactedFile:
    """Redact ``data`` as a file with extension ``suffix`` (e.g. ``".csv"``).

    ``propagate`` (default on) also redacts other copies, anywhere in the file, of every
    identifier the scan found (see :mod:`resguardo.redact.session`). ``withhold_columns``
    (default off) withholds every data cell of each table column in which some cell held
    a finding; it applies to :data:`TABLE_SUFFIXES` and means nothing for other formats,
    which have no columns. Raises :class:`UnsupportedFormatError` for other extensions.
    """
    handler = _handler_for(suffix)
    return handler(
        data, scan=scan, style=style, propagate=propagate, **_options(suffix, withhold_columns)
    )


def _options(suffix: str, withhold_columns: bool) -> dict[str, bool]:
    # Only the table handlers take the option; the others have no columns to withhold.
    if withhold_columns and suffix.lower() in TABLE_SUFFIXES:
        return {"withhold_columns": True}
    return {}


def _handler_for(suffix: str) -> _Handler:
    handler = _HANDLERS.get(suffix.lower())
    if handler is None:
        supported = ", ".join(SUPPORTED_SUFFIXES)
        raise UnsupportedFormatError(
            f"cannot redact {suffix or 'files without an extension'}: supported are {supported}"
        )
    return handler


def redact_file(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    style: RedactionStyle,
    scan: ScanFn,
    propagate: bool = True,
    withhold_columns: bool = False,
) -> RedactionSummary:
    """Redact the file at ``path`` into ``out``; the handler is chosen by ``path``'s extension.

    ``withhold_columns`` is as for :func:`redact_bytes`. ``out`` is written atomically (a
    temporary file in the same folder, then renamed), so a failure never leaves a
    half-redacted file, and ``out`` may be ``path`` itself. Raises
    :class:`UnsupportedFormatError` for an unsupported extension (before reading the file),
    :class:`UndecodableError` for text that is not text, :class:`UnreadableFileError` for a
    workbook that cannot be opened (all three are ``ValueError``), and ``OSError``.
    """
    src, dst = Path(path), Path(out)
    handler = _handler_for(src.suffix)
    result = handler(
        src.read_bytes(),
        scan=scan,
        style=style,
        propagate=propagate,
        **_options(src.suffix, withhold_columns),
    )
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(result.data)
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result.summary
