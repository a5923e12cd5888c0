"""Writing output files so that a reader never sees half of one.

Reports, the project file `init` writes and the registry cache go to a temporary file in the
target's own directory and are then moved over the target with `os.replace`, which is atomic on
POSIX and Windows. A crash or a full disk leaves the old file (or none), never a truncated one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from domaincheck.core.errors import OutputFileError


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Writes `data` to `path` atomically: temp file in the same directory, then os.replace.

    Text is written as UTF-8, bytes as they are. Raises `OutputFileError` (a `DomaincheckError`)
    with the path and the reason when the file cannot be written, so the CLI reports one line
    instead of a traceback.
    """
    target = Path(path)
    directory = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputFileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; a report is an ordinary file, so give it the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise OutputFileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
