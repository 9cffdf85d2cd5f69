"""Walking folders and the file-level errors of extract_path."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from extract_builders import collect, write

from resguardo.extract import ExtractError, Limits, extract_path, iter_files, supported


def _tree(root: Path) -> None:
    for rel in [
        "b.txt",
        "a/z.eml",
        "a/y/x.csv",
        "A.txt",
        ".hidden/secret.txt",
        ".dot.txt",
        "c.bin",
    ]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")


def test_iter_files_is_sorted_and_complete(tmp_path: Path) -> None:
    _tree(tmp_path)
    got = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    assert got == [
        ".dot.txt",
        ".hidden/secret.txt",
        "A.txt",
        "a/y/x.csv",
        "a/z.eml",
        "b.txt",
        "c.bin",
    ]
    assert list(iter_files([tmp_path])) == list(iter_files([tmp_path]))


def test_iter_files_mixed_arguments_missing_and_duplicates(tmp_path: Path) -> None:
    _tree(tmp_path)
    missing = tmp_path / "nope.txt"
    got = list(iter_files([tmp_path / "b.txt", missing, tmp_path / "a", tmp_path / "b.txt"]))
    assert got == [tmp_path / "b.txt", missing, tmp_path / "a/y/x.csv", tmp_path / "a/z.eml"]


def test_iter_files_survives_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    got = list(iter_files([tmp_path]))
    assert got == [tmp_path / "d" / "f.txt"]


def test_supported() -> None:
    for name in [
        "a.txt",
        "A.EML",
        "x.mbox",
        "m.msg",
        "p.pdf",
        "d.docx",
        "s.xlsx",
        "c.csv",
        "h.htm",
    ]:
        assert supported(name), name
    for name in ["a.doc", "b.xls", "c.zip", "noext", "d.jsonl"]:
        assert not supported(Path(name)), name


def test_unsupported_missing_folder(tmp_path: Path) -> None:
    _, errors = collect(write(tmp_path, "x.jsonl", b"{}"))
    assert [e.reason for e in errors] == ["unsupported file type '.jsonl'"]
    _, errors = collect(write(tmp_path, "README", b"hi"))
    assert [e.reason for e in errors] == ["unsupported file type (no extension)"]
    _, errors = collect(tmp_path / "missing.txt")
    assert [e.reason for e in errors] == ["file not found"]
    _, errors = collect(tmp_path)
    assert errors[0].reason.startswith("is a folder")


def test_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result: list[ExtractError] = []
    worker = threading.Thread(target=lambda: result.extend(collect(fifo)[1]), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a FIFO hung"
    assert [e.reason for e in result] == ["not a regular file (a pipe, socket or device)"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", b"x")
    path.chmod(0)
    _, errors = collect(path)
    assert errors[0].reason.startswith("cannot")


def test_display_names_the_source(tmp_path: Path) -> None:
    path = write(tmp_path, "m.mbox", b"From x\nSubject: s\n\nbody\n")
    items = list(extract_path(path, display="inbox.mbox"))
    assert {i.source for i in items} == {"inbox.mbox#1"}
    items = list(extract_path(write(tmp_path, "t.txt", b"x"), display="shown"))
    assert [i.source for i in items] == ["shown"]


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="max_depth"):
        Limits(max_depth=0)
