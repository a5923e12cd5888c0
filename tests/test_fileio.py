"""atomic_write: the whole text or the old file, never a torn one, and no temp files left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from domaincheck.core.errors import DomaincheckError, OutputFileError
from domaincheck.files.atomic import atomic_write


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    atomic_write(target, "first\n")
    atomic_write(target, "second — 第二\n")
    assert target.read_text(encoding="utf-8") == "second — 第二\n"
    assert os.listdir(tmp_path) == ["report.json"]


def test_file_gets_an_ordinary_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.xml"
    atomic_write(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match=r"no-such-dir/r\.json: cannot write"):
        atomic_write(tmp_path / "no-such-dir" / "r.json", "x")
    assert issubclass(OutputFileError, DomaincheckError)


def test_failed_replace_keeps_the_old_file_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    def refuse(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputFileError, match="No space left on device"):
        atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["r.json"]


def test_a_directory_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(OutputFileError, match="out: cannot write"):
        atomic_write(tmp_path / "out", "x")
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_writes_bytes_as_they_are(tmp_path: Path) -> None:
    target = tmp_path / "cache.marshal"
    atomic_write(target, b"\x00\xff\r\n")
    assert target.read_bytes() == b"\x00\xff\r\n"
    assert os.listdir(tmp_path) == ["cache.marshal"]
