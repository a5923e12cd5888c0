"""The crash guard every check family shares: an unexpected exception becomes an `error` result.

A static whitelist rule, an SDK-option check, the console diff, the HTTP-DNS fetch and each live
probe run inside `guarded` (or, for coroutines, their runner turns the exception into
`crash_results`), so a bug in one check is reported as that check's `error`, naming it and the
exception, and the run goes on; the gate then fails (exit 1), and no traceback reaches the user.
Fatal input problems are not checks: they are `DomaincheckError`s and pass through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from domaincheck.core.catalog import CheckId
from domaincheck.core.errors import DomaincheckError
from domaincheck.core.model import CheckResult, Status

T = TypeVar("T")

# How much of an exception's text a result shows: it may quote untrusted input.
MAX_EXCEPTION_TEXT = 300


def _exception_text(exc: BaseException) -> str:
    text = str(exc)
    shown = "".join(
        ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text[:MAX_EXCEPTION_TEXT]
    )
    return shown + ("..." if len(text) > MAX_EXCEPTION_TEXT else "")


def crash_results(target: str, checks: Sequence[CheckId], exc: BaseException) -> list[CheckResult]:
    """One `error` result per id of the check that crashed, naming the check and the exception."""
    name = type(exc).__name__
    message = f"internal error in the {checks[0]} check: {name}: {_exception_text(exc)}"
    fix = "This is a bug in domaincheck; please report it with the command that ran."
    return [
        CheckResult(target, check, Status.ERROR, message, {"exception": name}, fix)
        for check in checks
    ]


def guarded(
    check: CheckId, target: str, action: Callable[[], Iterable[CheckResult]]
) -> tuple[CheckResult, ...]:
    """The results of `action`, or, when it raises unexpectedly, one `error` result for `check`.

    A `DomaincheckError` (bad input: exit 2) is not a crash and propagates.
    """
    crashed: list[CheckResult] = []
    results = run_guarded(check, target, lambda: tuple(action()), crashed)
    return results if results is not None else tuple(crashed)


def run_guarded(
    check: CheckId, target: str, action: Callable[[], T], crashes: list[CheckResult]
) -> T | None:
    """`action()`, or None with an `error` result for `check` added to `crashes` when it raises.

    For checks that record their findings as they go and return something else (a region).
    """
    try:
        return action()
    except DomaincheckError:
        raise
    except Exception as exc:
        crashes.extend(crash_results(target, (check,), exc))
        return None
