"""Reading the files a user hands to domaincheck: size-capped, text only, errors that name the file.

Project files, SDK config sources and console lists all go through `read_text_file`, so a missing
file, a directory, a binary file or a 50 MB file is one clear `InputFileError`, never a traceback
or a long wait. The Alipay key files share its size cap, `read_capped`, and word their own errors.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from domaincheck.core.errors import InputFileError

# Big enough for any hand-written config or init module, even an unminified bundle; small enough
# that a wrong path (a video, a log) is refused at once instead of being parsed.
MAX_INPUT_BYTES = 5 * 1024 * 1024


class NotARegularFileError(OSError):
    """A FIFO, a device or a socket where a file is expected: reading it could wait forever."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"is {kind}, not a regular file", str(path))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


class FileTooLargeError(Exception):
    """A file over the size cap; `size` is its size, or None when it grew while being read."""

    def __init__(self, size: int | None) -> None:
        super().__init__(size)
        self.size = size


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of `path`, refused without reading it when it is over `max_bytes`.

    Raises `FileTooLargeError`, `IsADirectoryError`, `NotARegularFileError` (a FIFO or device,
    which could keep the run waiting forever) or the `OSError` of opening it; each caller words
    them for the file it reads.
    """
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(mode):
        raise NotARegularFileError(path, _kind(mode))
    # Opened without waiting (a FIFO put in its place since would block the open), then checked
    # again on the open file.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFileError(path, _kind(info.st_mode))
        if info.st_size > max_bytes:
            raise FileTooLargeError(info.st_size)
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLargeError(None)
    return data


def read_text_file(path: Path, what: str, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Returns the UTF-8 text of `path` (a BOM is dropped), or raises `InputFileError` naming it.

    `what` says what the file is for ("project file", "SDK config"), so the message tells the user
    which option or key pointed at it.
    """
    try:
        data = read_capped(path, max_bytes)
    except FileTooLargeError as exc:
        if exc.size is None:  # grew while we looked at it
            raise InputFileError(
                f"{path}: {what} is over the {_megabytes(max_bytes)} limit"
            ) from None
        raise InputFileError(
            f"{path}: {what} is {_megabytes(exc.size)}, over the {_megabytes(max_bytes)} limit; "
            "point at the file that holds the configuration itself"
        ) from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: {what} is a directory, expected a file") from None
    except FileNotFoundError:
        raise InputFileError(f"{path}: {what} not found") from None
    except PermissionError:
        raise InputFileError(f"{path}: {what} is not readable (permission denied)") from None
    except NotARegularFileError as exc:
        raise InputFileError(f"{path}: {what} {exc.strerror}") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    return _decode(data, str(path), what)


def read_text_stream(
    stream: BinaryIO, name: str, what: str, max_bytes: int = MAX_INPUT_BYTES
) -> str:
    """The UTF-8 text of an open stream (`-` for standard input), with the checks and messages of
    `read_text_file`; `name` stands for the file in messages (`<stdin>`)."""
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputFileError(f"{name}: cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputFileError(f"{name}: {what} is over the {_megabytes(max_bytes)} limit")
    return _decode(data, name, what)


def _decode(data: bytes, path: str, what: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(f"{path}: {what} is UTF-16 text; save it as UTF-8")
    if b"\x00" in data[:65536]:
        raise InputFileError(f"{path}: {what} is a binary file, expected text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            f"{path}:{line}: {what} is not UTF-8 text (byte 0x{data[exc.start]:02x})"
        ) from None
    return text


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
