"""Extraction: files → documents of text, or errors saying what could not be read.

>>> from pathlib import Path
>>> from resguardo.extract import extract_path, iter_files
>>> for path in iter_files([Path("exports")]):          # doctest: +SKIP
...     for item in extract_path(path):
...         print(item)

Formats (by extension): text (``.txt .text .log .md``), ``.csv .tsv``, ``.html .htm
.xhtml``, email (``.eml``), mailboxes (``.mbox .mbx``, streamed), Outlook ``.msg``,
``.pdf`` (text layer only), ``.docx .docm``, ``.xlsx .xlsm``. Attachments are read
recursively with the same readers. Part ids are described in
:mod:`resguardo.extract.email_message`; limits in :class:`Limits`.
"""

from resguardo.extract.dispatch import extract_path, supported
from resguardo.extract.document import Document, ExtractError
from resguardo.extract.limits import DEFAULT_LIMITS, Limits
from resguardo.extract.walk import iter_files

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "ExtractError",
    "Limits",
    "extract_path",
    "iter_files",
    "supported",
]
