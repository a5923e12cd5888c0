"""What every renderer needs: ordering, counting, the summary line, the whitelist's lists, details.

Kept apart from the renderers so that the text, Markdown, HTML, JUnit and SARIF outputs agree on
what "worst first", "ignored" and "12 passed, 1 warning, 2 failed" mean.
"""

from __future__ import annotations

import fnmatch
import io
import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import (
    STATUS_ORDER,
    CheckResult,
    ConsoleList,
    Report,
    Status,
    Whitelist,
    WhitelistEntry,
)
from domaincheck.whitelist.profiles import list_title

TOOL_NAME = "domaincheck"

_RANK = {status: index for index, status in enumerate(STATUS_ORDER)}

# Words for the summary line, singular and plural, in the order they are listed there.
_SUMMARY_WORDS: tuple[tuple[Status, str, str], ...] = (
    (Status.PASS, "passed", "passed"),
    (Status.INFO, "note", "notes"),
    (Status.WARN, "warning", "warnings"),
    (Status.FAIL, "failed", "failed"),
    (Status.ERROR, "error", "errors"),
    (Status.SKIP, "skipped", "skipped"),
)

STATUS_LABEL: Mapping[Status, str] = {
    Status.PASS: "PASS",
    Status.INFO: "INFO",
    Status.WARN: "WARN",
    Status.FAIL: "FAIL",
    Status.ERROR: "ERROR",
    Status.SKIP: "SKIP",
}


def whitelist_heading(whitelist: Whitelist) -> str:
    """The whitelist's heading in every report format: `Whitelist to paste (alipay, cn1, cn2)`."""
    return f"Whitelist to paste ({whitelist.platform}, {', '.join(whitelist.regions) or '-'})"


def whitelist_lists(
    whitelist: Whitelist,
) -> list[tuple[ConsoleList, str, tuple[WhitelistEntry, ...]]]:
    """Each console list of the whitelist, in the console's order, with its title and entries.

    The title is the platform console's own name for the list, from the platform's profile.
    """
    return [
        (c, list_title(whitelist.platform, c), whitelist.entries_for(c))
        for c in whitelist.console_lists
    ]


def status_rank(status: Status) -> int:
    """Position of a status in STATUS_ORDER: 0 is the worst."""
    return _RANK[status]


def worst(statuses: Iterable[Status]) -> Status:
    """The worst of some statuses; PASS when there are none."""
    return min(statuses, key=status_rank, default=Status.PASS)


@dataclass(frozen=True)
class Counts:
    """Results per status, not counting ignored ones, plus how many were ignored."""

    by_status: Mapping[Status, int]
    ignored: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values()) + self.ignored


def count(report: Report) -> Counts:
    """Counts the report's results: ignored results go to `ignored`, not to their status."""
    by_status = {status: 0 for status in STATUS_ORDER}
    ignored = 0
    for result in report.results:
        if result.ignored_reason is not None:
            ignored += 1
        else:
            by_status[result.status] += 1
    return Counts(by_status, ignored)


def summary_line(report: Report) -> str:
    """One line for stderr and summaries, such as `12 passed, 1 warning, 2 failed, 1 ignored`."""
    counts = count(report)
    parts = []
    for status, one, many in _SUMMARY_WORDS:
        n = counts.by_status[status]
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    if counts.ignored:
        parts.append(f"{counts.ignored} ignored")
    return ", ".join(parts) if parts else "no checks ran"


OFFLINE_NOTE = "offline: DNS, TLS, HTTPS and WebSocket were not checked"


def scope_note(report: Report) -> str:
    """What a verdict leaves out, to print after it: `; offline: DNS, TLS, ... were not checked`
    for an offline run (so a pass never reads as if the hosts had been probed), else nothing."""
    return f"; {OFFLINE_NOTE}" if report.offline else ""


def sort_results(results: Iterable[CheckResult]) -> list[CheckResult]:
    """Worst first; ignored results after the others; otherwise in the order the checks gave them."""
    indexed = list(enumerate(results))
    indexed.sort(
        key=lambda item: (item[1].ignored_reason is not None, status_rank(item[1].status), item[0])
    )
    return [result for _, result in indexed]


def host_status(results: Iterable[CheckResult]) -> Status:
    """The status a host shows: the worst of its results that are not ignored (PASS if none)."""
    return worst(r.status for r in results if r.ignored_reason is None)


def by_host(report: Report) -> list[tuple[str, list[CheckResult]]]:
    """Results grouped by target, the worst host first, each group sorted worst first."""
    groups: dict[str, list[CheckResult]] = {}
    for result in report.results:
        groups.setdefault(result.target, []).append(result)
    order = {target: index for index, target in enumerate(groups)}
    hosts = sorted(groups, key=lambda t: (status_rank(host_status(groups[t])), order[t]))
    return [(host, sort_results(groups[host])) for host in hosts]


@dataclass(frozen=True)
class FoldedResult:
    """A result as a listing shows it: skipped results that say the same thing share one line.

    `checks` holds the ids of every result folded into this one (just its own id when nothing was
    folded); `result` is the first of them, whose message, fix and status the line shows.
    """

    checks: tuple[str, ...]
    result: CheckResult


def _foldable(result: CheckResult) -> bool:
    return result.status is Status.SKIP and result.ignored_reason is None


def fold_skips(results: Iterable[CheckResult]) -> list[FoldedResult]:
    """Folds consecutive skipped results of one target with the same message and fix into one.

    A host whose DNS failed otherwise lists the same "skipped: DNS failed (...)" once per TLS and
    HTTP check. Only the text listings fold: JSON, JUnit and SARIF keep one result per check.
    """
    folded: list[FoldedResult] = []
    for result in results:
        if folded:
            last = folded[-1].result
            if (
                _foldable(result)
                and _foldable(last)
                and (result.target, result.message, result.fix)
                == (last.target, last.message, last.fix)
            ):
                folded[-1] = FoldedResult((*folded[-1].checks, result.check), last)
                continue
        folded.append(FoldedResult((result.check,), result))
    return folded


def cite_failure(message: str, others: Iterable[tuple[str, str]]) -> str:
    """A skip message with the failing check's own message, when quoted in it, replaced by its id.

    `others` are (message, reference) pairs of the results listed with it, such as
    (`a1.easemob.com does not exist (NXDOMAIN) ...`, `dns above`): the message
    `skipped: DNS failed (a1.easemob.com does not exist ...)` becomes
    `skipped: DNS failed (see dns above)`, so the reason is printed once, where it happened.
    """
    for other, reference in others:
        quoted = f"({other})"
        if other and quoted in message:
            return message.replace(quoted, f"(see {reference})")
    return message


# A check whose failure can repeat another check's on the same target: the other check and the
# `kind`s of its failure that mean the same fault. An expired certificate fails the handshake
# (`tls`, kind `expired`) and the expiry check (`tls.expiry`) alike.
_RESTATED_FAULTS: Mapping[CheckId, tuple[CheckId, frozenset[str]]] = {
    CheckId.TLS_EXPIRY: (CheckId.TLS, frozenset({"expired", "not-yet-valid"})),
}


def restates(result: CheckResult, same_target: Iterable[CheckResult]) -> CheckResult | None:
    """The other result of the same target whose failure this failing result repeats, if any.

    JUnit and SARIF count one fault once: the expiry check's "certificate expired" is the fault
    the `tls` check already failed on, so it is shown with it rather than counted a second time.
    """
    cause = _RESTATED_FAULTS.get(result.check)
    if cause is None or not result.fails_gate:
        return None
    check, kinds = cause
    for other in same_target:
        if (
            other.check == check
            and other.target == result.target
            and other.fails_gate
            and other.details.get("kind") in kinds
        ):
            return other
    return None


def unmatched_ignores(report: Report) -> tuple[str, ...]:
    """Ignored ids (or shell-style patterns such as `whitelist.*`) that no ignored result matched."""
    ignored = {r.check for r in report.results if r.ignored_reason is not None}
    return tuple(
        rule
        for rule in report.ignored_rules
        if not any(fnmatch.fnmatchcase(check, rule) for check in ignored)
    )


def check_family(check_id: str) -> str:
    """The column a check id belongs to in the matrix: `whitelist.scheme` → `whitelist`, `tls` → `tls`."""
    return check_id.split(".", 1)[0]


def check_ids(report: Report) -> list[CheckId]:
    """Distinct check ids in the order they first appear."""
    return list(dict.fromkeys(r.check for r in report.results))


def reproduce_command(report: Report) -> str:
    """The command line that reproduces the run, quoted for a POSIX shell."""
    return shlex.join(report.command) if report.command else TOOL_NAME


# Detail keys read here are declared per family in `core.details` (a test holds them to it).
_LATENCY_KEYS = ("elapsed_ms",)  # the DNS, HTTPS and WebSocket checks
_PHASE_KEYS = (
    "connect_ms",
    "handshake_ms",
)  # the TLS check reports TCP connect and handshake apart


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def latency_ms(result: CheckResult) -> float | None:
    """The time a probe took in milliseconds, from its details, when it says.

    Reads `elapsed_ms`, the TLS check's `connect_ms` + `handshake_ms`, or the slowest
    of the DNS check's `resolvers[].elapsed_ms`.
    """
    for key in _LATENCY_KEYS:
        value = _number(result.details.get(key))
        if value is not None:
            return value
    phases = [v for v in (_number(result.details.get(k)) for k in _PHASE_KEYS) if v is not None]
    if phases:
        return sum(phases)
    # The DNS check times each resolver: the host's figure is the slowest one.
    per_resolver = result.details.get("resolvers")
    if isinstance(per_resolver, list | tuple):
        times = [
            t
            for t in (_number(r.get("elapsed_ms")) for r in per_resolver if isinstance(r, Mapping))
            if t is not None
        ]
        return max(times) if times else None
    return None


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 timestamp from details as an aware datetime (UTC when no zone), else None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CertExpiry:
    """When a host's certificates expire: the leaf and the earliest in the chain the server sent.

    `leaf_not_before` is when the leaf becomes valid, when the details say (a certificate that is
    not valid yet is not a healthy one, however far off its expiry).
    """

    host: str
    leaf_not_after: datetime
    earliest_not_after: datetime
    earliest_subject: str | None
    status: Status
    leaf_not_before: datetime | None = None


def _chain(details: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    chain = details.get("chain")
    if isinstance(chain, list | tuple):
        return [c for c in chain if isinstance(c, Mapping)]
    return []


def _not_after(value: object) -> tuple[datetime | None, str | None]:
    if not isinstance(value, Mapping):
        return None, None
    subject = value.get("subject")
    return parse_time(value.get("not_after")), subject if isinstance(subject, str) else None


def cert_expiry(result: CheckResult) -> CertExpiry | None:
    """Certificate expiry from a TLS result's details, if it has any.

    Reads the shapes the TLS checks write: `chain` (the certificates the server sent, leaf first,
    each with `not_after` and `not_before`), and `leaf` and `earliest` (the expiry check).
    """
    details = result.details
    chain = _chain(details)
    leaf = details.get("leaf")
    leaf_time, _ = _not_after(leaf)
    if leaf_time is None and chain:
        leaf, leaf_time = chain[0], _not_after(chain[0])[0]
    not_before = parse_time(leaf.get("not_before")) if isinstance(leaf, Mapping) else None
    if not_before is None and chain:
        not_before = parse_time(chain[0].get("not_before"))
    if leaf_time is None:
        return None
    earliest, subject = leaf_time, None
    candidates = [_not_after(cert) for cert in chain]
    candidates.append(_not_after(details.get("earliest")))
    for when, name in candidates:
        if when is not None and when < earliest:
            earliest, subject = when, name
    return CertExpiry(result.target, leaf_time, earliest, subject, result.status, not_before)


def report_time(report: Report) -> datetime | None:
    """The time the report was made, the "now" of timelines (never the clock: renderers are pure)."""
    return parse_time(report.generated_at)


def vantage_matrix(report: Report) -> list[tuple[str, list[Status | None]]]:
    """A merged report's host x vantage matrix: per host (worst first), the worst status of its
    results at each of `report.vantages` (None where it was not checked there)."""
    names = [v.name for v in report.vantages]
    rows: list[tuple[str, list[Status | None]]] = []
    for host, results in by_host(report):
        cells: list[Status | None] = []
        for name in names:
            here = [r for r in results if name in (r.details.get("vantages") or ())]
            cells.append(host_status(here) if here else None)
        rows.append((host, cells))
    return rows


def json_document(document: Any) -> str:
    """`document` as the JSON reports write it: escaped (`json_safe`: no control character, no
    NaN), indented by two, non-ASCII kept readable, one newline at the end.

    The same text as `json.dumps(..., indent=2)`, written chunk by chunk into one buffer: with an
    indent, `json.dumps` uses the pure-Python encoder and holds every chunk of the text in a list
    first, which at thousands of hosts costs more memory than the report itself.
    """
    from domaincheck.core.untrusted import json_safe

    encoder = json.JSONEncoder(ensure_ascii=False, indent=2, allow_nan=False)
    buffer = io.StringIO()
    for chunk in encoder.iterencode(json_safe(document, limit=None, keep_newlines=True)):
        buffer.write(chunk)
    buffer.write("\n")
    return buffer.getvalue()
