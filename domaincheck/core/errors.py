"""Fatal problems: anything that stops a run before a report exists.

Check outcomes are never exceptions; they are `CheckResult`s. These are for input that cannot be used
(or, for a sync, a gateway that could not be used). Each class carries its exit code: the one table
of which failure exits how is this family with `ExitCode`.
"""

from __future__ import annotations

from typing import ClassVar

from domaincheck.core.exitcodes import ExitCode


class DomaincheckError(Exception):
    """Base of every fatal domaincheck error; the CLI turns it into one line and `exit_code`."""

    exit_code: ClassVar[ExitCode] = ExitCode.BAD_INPUT


class RegistryError(DomaincheckError):
    """The region registry is unreadable or invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class UsageError(DomaincheckError):
    """An option or argument that cannot be used (unknown region, bad --resolve, ...)."""


class InputFileError(DomaincheckError):
    """A file the user gave (project file, SDK config, console list) is missing or invalid."""


class OutputFileError(DomaincheckError):
    """An output file (report, --output) cannot be written: missing directory, no permission, full disk."""
