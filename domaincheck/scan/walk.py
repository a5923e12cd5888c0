"""The files a scan reads: the app's own code under the root, minus packages, build output and the
exclude globs; each read size-capped and checked for binary content and minification.

A directory reached twice through symlinks (a loop) is skipped with a note, as are binary files,
files that are not UTF-8 and files over the size cap. A minified bundle (very long lines) is
reported as not analysable instead of being guessed at.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from domaincheck.scan.model import NoteKind, Place, ScanNote

# Packages and build output: not the app's own code (imports are followed into packages).
EXCLUDED_DIRS = frozenset(
    {
        "node_modules",
        "miniprogram_npm",
        "unpackage",
        "dist",
        ".git",
        ".hg",
        ".svn",
        ".idea",
        ".vscode",
        ".hbuilderx",
        "__pycache__",
    }
)
PACKAGE_DIRS = ("node_modules", "miniprogram_npm")
SCRIPT_SUFFIXES = frozenset(
    {".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".vue", ".nvue"}
)
TEMPLATE_SUFFIXES = frozenset({".wxml", ".axml", ".swan", ".ttml", ".qml", ".ksml", ".jxml"})
MAX_FILE_BYTES = 2 * 1024 * 1024
# A line this long is machine-written; a file whose lines average this much is a bundle.
_MINIFIED_LINE = 1000


@dataclass(frozen=True)
class SourceText:
    """A file's text, its path relative to the scan root (with `/`), and its package, if any."""

    path: Path
    rel: str
    text: str
    package: str = ""


def relative(root: Path, path: Path) -> str:
    """`path` relative to `root` with `/`, or the path itself when it is outside the root."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def matches(rel: str, patterns: tuple[str, ...]) -> bool:
    """True when `rel` matches one of the globs (fnmatch, `*` spans folders; `dir/` a folder)."""
    for pattern in patterns:
        if pattern.endswith("/"):
            if rel.startswith(pattern) or f"/{pattern}" in f"/{rel}":
                return True
        elif fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, f"*/{pattern}"):
            return True
    return False


def find_sources(
    root: Path, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
) -> tuple[list[Path], list[ScanNote]]:
    """The script and template files of the app under `root`, sorted, and notes on what was skipped."""
    found: list[Path] = []
    notes: list[ScanNote] = []
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
        except OSError as exc:
            notes.append(_note(root, folder, f"cannot read this folder: {exc.strerror or exc}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            notes.append(_note(root, folder, "a symlink loop: this folder was already scanned"))
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            notes.append(_note(root, folder, f"cannot read this folder: {exc.strerror or exc}"))
            continue
        for entry in reversed(entries):
            path = Path(entry.path)
            rel = relative(root, path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in EXCLUDED_DIRS or matches(rel + "/", exclude):
                    continue
                stack.append(path)
                continue
            suffix = path.suffix.lower()
            if suffix not in SCRIPT_SUFFIXES and suffix not in TEMPLATE_SUFFIXES:
                continue
            if exclude and matches(rel, exclude):
                continue
            if include and not matches(rel, include):
                continue
            found.append(path)
    found.sort()
    return found, notes


def _note(root: Path, path: Path, message: str, line: int = 1) -> ScanNote:
    return ScanNote(NoteKind.SKIPPED, Place(relative(root, path), line), message)


def read_source(
    root: Path, path: Path, package: str = "", max_bytes: int = MAX_FILE_BYTES
) -> SourceText | ScanNote:
    """The text of `path`, or a note saying why it is not read (size, binary, encoding, minified)."""
    rel = relative(root, path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            with path.open("rb") as handle:
                head = handle.read(65536).decode("utf-8", errors="replace")
            if is_minified(head, sample=True):
                return ScanNote(NoteKind.MINIFIED, Place(rel, 1), _MINIFIED_NOTE)
            return ScanNote(
                NoteKind.SKIPPED,
                Place(rel, 1),
                f"{size / 1024 / 1024:.1f} MB, over the {max_bytes // 1024 // 1024} MB cap: not read",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return ScanNote(NoteKind.SKIPPED, Place(rel, 1), f"cannot read: {exc.strerror or exc}")
    if b"\x00" in data[:8192]:
        return ScanNote(NoteKind.SKIPPED, Place(rel, 1), "a binary file: not read")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return ScanNote(NoteKind.SKIPPED, Place(rel, line), "not UTF-8 text: not read")
    if is_minified(text):
        return ScanNote(NoteKind.MINIFIED, Place(rel, 1), _MINIFIED_NOTE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path, rel, text, package)


_MINIFIED_NOTE = (
    "a minified bundle: not analysable statically (scan its sources instead, or exclude it)"
)


def is_minified(text: str, sample: bool = False) -> bool:
    """True for machine-written code: long lines that average over `_MINIFIED_LINE` characters.
    `sample` when `text` is only the start of the file."""
    if len(text) < 20_000 and not sample:
        return False
    lines = text.count("\n") + 1
    return len(text) / lines > _MINIFIED_LINE
