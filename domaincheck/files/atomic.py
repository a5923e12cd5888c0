"""Writing output files so that a reader never sees half of one, nor half a set of them.

Reports, the project file `init` writes and the registry cache go to a temporary file in the
target's own directory and are then moved over the target with `os.replace`, which is atomic on
POSIX and Windows. A crash, a full disk or Ctrl-C leaves the old file (or none), never a truncated
one and never a temporary file. Several files (`--report` given more than once) are all written
first and then all renamed, with Ctrl-C held back for the few renames, so an interruption leaves
either every new report or none.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from domaincheck.core.errors import OutputFileError


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Writes `data` to `path` atomically: temp file in the same directory, then os.replace.

    Text is written as UTF-8, bytes as they are. Raises `OutputFileError` (a `DomaincheckError`)
    with the path and the reason when the file cannot be written, so the CLI reports one line
    instead of a traceback.
    """
    atomic_write_all([(Path(path), data)])


def atomic_write_all(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Writes every `(path, data)` atomically, and all of them or none.

    Each text is first written to its own temporary file; only when every one is on disk are they
    renamed over their targets. Any failure or interruption before that removes the temporary
    files and leaves every target as it was.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(path, data), path))
        with _interrupts_held():
            for done, (tmp_name, target) in enumerate(staged):
                try:
                    os.replace(tmp_name, target)
                except OSError as exc:
                    staged = staged[done:]
                    raise OutputFileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
            staged = []
    finally:
        for tmp_name, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _stage(target: Path, data: str | bytes) -> str:
    """Writes `data` to a new temporary file beside `target` and returns its name."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputFileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(
                data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
            )
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; a report is an ordinary file, so give it the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OutputFileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
        raise
    return tmp_name


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Holds Ctrl-C (SIGINT) back for the block and raises it after, if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        came.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, note)
    except (ValueError, OSError):  # no signals here (an embedded interpreter)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        raise KeyboardInterrupt
