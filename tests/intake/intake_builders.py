"""Builders for intake fixtures made in code: Outlook .msg files and PDFs."""

from __future__ import annotations


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (the writer of tests/data/intake-emails)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "intake-emails" / "make_emails.py"
    spec = importlib.util.spec_from_file_location("intake_make_emails", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pdf: bytes = module.make_pdf(lines)
    return pdf
