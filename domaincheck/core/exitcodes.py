"""The process exit codes, the contract of domaincheck as a CI gate."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a domaincheck run tells its caller; documented in the README."""

    PASSED = 0  # every check passed (warnings allowed unless --strict)
    FAILED = 1  # a check failed or could not run
    BAD_INPUT = 2  # bad usage, bad input file or bad registry
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
