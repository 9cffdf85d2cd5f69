"""Walking the paths given on a command line into the list of files to read."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["iter_files"]


def iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Every file under ``paths``, in a deterministic order; nothing is left out silently.

    * Each path is taken in the order given; a folder is walked depth-first, its entries
      sorted by name (code-point order, so the same on every machine).
    * Every file is yielded, whatever its type: unsupported ones are reported as such by
      :func:`~resguardo.extract.extract_path`, not dropped here.
    * Hidden files and folders (names starting with ``.``) are included: a records export
      can hold anything under any name, and a skipped file would go unreported.
    * A path that does not exist, or a folder that cannot be listed, is yielded as it is, so
      that ``extract_path`` reports it ("file not found", "cannot open ...").
    * Symbolic links are followed; a folder already walked (a link cycle, or a folder given
      twice) is not walked again, and a file already yielded is not yielded again.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    for path in paths:
        yield from _walk(Path(path), seen_dirs, seen_files)


def _walk(
    root: Path, seen_dirs: set[tuple[int, int]], seen_files: set[tuple[int, int]]
) -> Iterator[Path]:
    # An explicit stack: folder nesting depth is not bounded by anything we control.
    stack = [root]
    while stack:
        path = stack.pop()
        try:
            st = path.stat()
        except OSError:
            yield path  # missing or unreadable: extract_path says which
            continue
        key = (st.st_dev, st.st_ino)
        if not path.is_dir():
            if key not in seen_files:
                seen_files.add(key)
                yield path
            continue
        if key in seen_dirs:
            continue
        seen_dirs.add(key)
        try:
            with os.scandir(path) as it:
                names = sorted(entry.name for entry in it)
        except OSError:
            yield path  # extract_path reports that the folder cannot be opened
            continue
        stack.extend(path / name for name in reversed(names))
