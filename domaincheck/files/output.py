"""Where output goes, checked before any work: stdout, a special file, or a file replaced atomically.

`--output` and `--report` name a destination. `-` is stdout. A FIFO, a device (`/dev/null`,
`/dev/stdout`, a terminal) or a socket is written through, as a shell's `>` would, never replaced
by a regular file. A symbolic link is followed and its target is replaced atomically (the link
stays a link). Anything else must be a file in an existing, writable folder; a missing folder, a
directory or an unwritable path is an `OutputFileError` before the run starts, so a long live run
is never lost to a typo.

Every byte reaches its reader: `write_all` writes in a loop until the last byte is taken, waiting
when the descriptor is non-blocking (a pipe shared with a parent or an event loop that made it so)
instead of dropping the rest of a short write, as Python's unbuffered text streams do
(`PYTHONUNBUFFERED=1`).
"""

from __future__ import annotations

import io
import os
import select
import stat
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from domaincheck.core.errors import OutputFileError
from domaincheck.files.atomic import atomic_write_all

STDOUT = "-"

# Paths that name a process's own descriptors: written through even when they lead to a regular
# file (a shell's `> out.txt`), so the bytes go where the descriptor points.
_DESCRIPTOR_DIRS = ("/dev/", "/proc/")


class DestinationKind(Enum):
    """How a destination is written."""

    STDOUT = "stdout"
    SPECIAL = "special"  # FIFO, device, socket, /dev/std*: opened and written through
    FILE = "file"  # a regular file (or none yet): replaced atomically


@dataclass(frozen=True)
class Destination:
    """A checked output destination: what the user wrote, how it is written, and the file written."""

    given: str
    kind: DestinationKind
    path: Path | None = None  # the file to open or replace; symbolic links already followed

    @property
    def is_stdout(self) -> bool:
        return self.kind is DestinationKind.STDOUT


def check_destination(value: str | os.PathLike[str], option: str = "--output") -> Destination:
    """Says how `value` will be written, or raises `OutputFileError` when it cannot be.

    Nothing is opened or created: a FIFO is not opened here (that would wait for a reader).
    """
    given = os.fspath(value)
    if given == STDOUT:
        return Destination(given, DestinationKind.STDOUT)
    if not given or "\x00" in given:
        raise OutputFileError(f"{option} {given!r}: not a file name")
    path = Path(given).expanduser()
    try:
        info = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputFileError(f"{option} {given}: cannot write: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputFileError(f"{option} {given}: is a folder; give a file name")
    if info is not None and (not stat.S_ISREG(info.st_mode) or _names_a_descriptor(path)):
        if not os.access(path, os.W_OK):
            raise OutputFileError(f"{option} {given}: cannot write: permission denied")
        return Destination(given, DestinationKind.SPECIAL, path)
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise OutputFileError(f"{option} {given}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFileError(f"{option} {given}: cannot write in the folder {folder}")
    if info is not None and not os.access(target, os.W_OK):
        raise OutputFileError(f"{option} {given}: cannot write: permission denied")
    return Destination(given, DestinationKind.FILE, target)


def _names_a_descriptor(path: Path) -> bool:
    absolute = os.path.abspath(path)
    return absolute.startswith(_DESCRIPTOR_DIRS) or os.path.realpath(path).startswith("/proc/")


def write_destinations(items: list[tuple[Destination, str | bytes]]) -> None:
    """Writes each text to its destination: stdout and special files first, then every regular
    file at once (all or none of them, even when interrupted)."""
    files: list[tuple[Path, str | bytes]] = []
    for destination, data in items:
        if destination.kind is DestinationKind.FILE:
            assert destination.path is not None
            files.append((destination.path, data))
        elif destination.kind is DestinationKind.STDOUT:
            write_stdout(data)
        else:
            assert destination.path is not None
            _write_special(destination, data)
    if files:
        atomic_write_all(files)


def write_stdout(data: str | bytes) -> None:
    """Writes every byte of `data` to stdout.

    A closed pipe (`| head`) ends the output quietly: stdout is pointed at the null device so that
    nothing later complains. A full disk, a closed stdout (`>&-`) or another write error is an
    `OutputFileError`.
    """
    if sys.stdout is None:  # the program was started with its stdout closed
        raise OutputFileError("stdout: cannot write: it is closed")
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):  # not a real stream (a test's)
        sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8", "replace"))
        sys.stdout.flush()
        return
    try:
        write_all(fd, _encode(data))
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        raise OutputFileError(f"stdout: cannot write: {exc.strerror or exc}") from None


def silence_stdout() -> None:
    """Points stdout at the null device: its reader is gone, and Python's own flush at exit must
    not report a broken pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def write_all(fd: int, data: bytes) -> None:
    """Writes all of `data` to `fd`, however many short writes it takes.

    A non-blocking descriptor that is full is waited on until it takes more; its mode is left as it
    is, since it may belong to another process too.
    """
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view[: 1 << 20])
        except BlockingIOError:
            select.select([], [fd], [])
            continue
        view = view[written:]


def _write_special(destination: Destination, data: str | bytes) -> None:
    assert destination.path is not None
    try:
        fd = os.open(destination.path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
    except OSError as exc:
        raise OutputFileError(f"{destination.given}: cannot write: {exc.strerror or exc}") from None
    try:
        write_all(fd, _encode(data))
    except BrokenPipeError:
        pass  # the reader of a FIFO went away: as with stdout, that ends the output quietly
    except OSError as exc:
        raise OutputFileError(f"{destination.given}: cannot write: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _encode(data: str | bytes) -> bytes:
    # A lone surrogate (from a non-UTF-8 argument or a broken file) must not stop the writer.
    return data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
