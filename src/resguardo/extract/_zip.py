"""Checks on zip-based Office files before any library opens them (zip-bomb protection)."""

from __future__ import annotations

import io
import zipfile

from resguardo.extract._base import human_size
from resguardo.extract.limits import Limits

__all__ = ["OLE_MAGIC", "embedded_note", "ooxml_problem"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ooxml_problem(data: bytes, limits: Limits, kind: str, required: str) -> str | None:
    """Why ``data`` must not be opened as a ``kind`` file (an OOXML zip), or None if it may.

    The sizes checked are the uncompressed sizes in the zip's central directory. That is
    enough: :mod:`zipfile` (which python-docx and openpyxl use) stops reading a member at its
    declared size, so a member that lies about its size cannot inflate past it.
    """
    if data.startswith(OLE_MAGIC):
        return (
            f"not a {kind} file: it is an encrypted (password-protected) Office file "
            "or an old binary Office format"
        )
    if not data.startswith(b"PK"):
        return f"not a {kind} file (it is not a zip archive)"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        return f"not a {kind} file: damaged zip archive ({exc})"
    if len(infos) > limits.max_zip_members:
        return (
            f"{kind} file has {len(infos):,} zip members, over the limit of "
            f"{limits.max_zip_members:,} (max_zip_members); not opened"
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        return (
            f"{kind} file unpacks to {human_size(total)}, over the "
            f"{human_size(limits.max_unzipped_bytes)} limit (max_unzipped_bytes); not opened"
        )
    if not any(i.filename == required for i in infos):
        return f"not a {kind} file: the zip archive has no {required}"
    return None


def embedded_note(data: bytes, folder: str) -> str | None:
    """A note on files embedded in an OOXML package (under ``folder``), which are not read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n for n in zf.namelist() if n.startswith(folder) and not n.endswith("/")]
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    if not names:
        return None
    shown = ", ".join(n.rsplit("/", 1)[-1] for n in names[:3]) + (", ..." if len(names) > 3 else "")
    return f"{len(names)} embedded object(s) not read ({shown})"
