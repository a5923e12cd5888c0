"""Sync an Alipay mini program's whitelist: read the console's list, plan, and apply if asked.

The run always starts from the list as Alipay has it now, so re-running after a partial failure does
only what is left, never a duplicate. Applying costs one call per change (there is no batch call) on
top of the one read; nothing is read back afterwards, because every success answer is verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from domaincheck.alipay import protocol
from domaincheck.alipay.errors import (
    AlipayBusinessError,
    AlipayError,
    AlipayGatewayError,
    SyncLimitError,
)
from domaincheck.alipay.plan import Covers, PlanAction, SyncPlan, compute_plan
from domaincheck.core.model import ConsoleList, Whitelist, WhitelistEntry

if TYPE_CHECKING:
    from domaincheck.alipay.credentials import AlipayCredentials
    from domaincheck.alipay.gateway import GatewayObserver, GatewaySettings

# Alipay builds the whitelist into a package when it is uploaded (miniprogram-domain-rules.md §1.6).
TAKES_EFFECT_REMINDER = (
    "Alipay applies the whitelist only to builds uploaded after the change: re-package and upload a "
    "new build (体验版) to use it; versions uploaded before keep the old list."
)


class SafeDomainApi(Protocol):
    """The three gateway calls a sync makes; `AlipayGatewayClient` is the real one."""

    def query_safe_domains(self) -> tuple[str, ...]: ...

    def create_safe_domain(self, domain: str) -> None: ...

    def delete_safe_domain(self, domain: str) -> None: ...


class ChangeStatus(StrEnum):
    """How one planned create or delete went."""

    DONE = "done"
    ALREADY = "already"  # Alipay said the domain was already there (create) or gone (delete)
    FAILED = "failed"  # refused for this domain (40004); the others went on
    NOT_RUN = "not_run"  # the run stopped before it


@dataclass(frozen=True)
class AppliedChange:
    """One create or delete of an applied plan and how it went; `message` says why it failed."""

    domain: str
    action: PlanAction
    status: ChangeStatus
    message: str | None = None


@dataclass(frozen=True)
class SyncOutcome:
    """A sync's plan and, when it was applied, each change and what stopped the run, if anything.

    `requests` counts the HTTP requests sent (retries included); `gateway` is the gateway's URL and
    `notes` carries the whitelist's notes (skipped extras, regions without public hosts).
    """

    plan: SyncPlan
    applied: bool
    changes: tuple[AppliedChange, ...] = ()
    stopped: str | None = None
    requests: int = 0
    gateway: str = ""
    notes: tuple[str, ...] = ()

    @property
    def succeeded(self) -> bool:
        """True when every planned change is in place (or nothing was asked to change)."""
        return self.stopped is None and all(
            c.status in (ChangeStatus.DONE, ChangeStatus.ALREADY) for c in self.changes
        )

    @property
    def changed_console(self) -> bool:
        """True when the console's list may differ from before the run, so a new build is needed."""
        return any(c.status in (ChangeStatus.DONE, ChangeStatus.ALREADY) for c in self.changes)


class SyncObserver:
    """Hears about each change as it is made (for progress on stderr); does nothing by default."""

    def change_started(self, action: PlanAction, domain: str) -> None:
        """A create or delete is about to be called."""

    def change_finished(self, change: AppliedChange) -> None:
        """A create or delete has ended."""


def plan_sync(
    api: SafeDomainApi,
    required: Iterable[WhitelistEntry],
    *,
    covers: Covers,
    limit: int,
    prune: bool = False,
    protected: Iterable[str] = (),
) -> SyncPlan:
    """Reads the console's current list through the API and plans against `required`."""
    return compute_plan(
        api.query_safe_domains(),
        required,
        covers=covers,
        limit=limit,
        prune=prune,
        protected=protected,
    )


def change_order(plan: SyncPlan) -> tuple[tuple[PlanAction, str], ...]:
    """Creates first, so coverage never dips mid-run; deletes first only when creates need the room."""
    adds = tuple((PlanAction.ADD, d) for d in plan.add)
    removes = tuple((PlanAction.REMOVE, d) for d in plan.remove)
    if len(plan.current) + len(plan.add) > plan.limit:
        return removes + adds
    return adds + removes


def apply_plan(
    api: SafeDomainApi, plan: SyncPlan, observer: SyncObserver | None = None
) -> SyncOutcome:
    """Makes the plan's creates and deletes, one call each.

    A domain Alipay refuses (40004) is recorded as failed and the run goes on; a create refused as
    "already exists", or a delete as "does not exist", counts as done (a previous run or someone in
    the console got there first). Any other failure (permission, signature, transport) stops the run:
    what is left is `NOT_RUN`, and running again picks it up.
    """
    if plan.over_limit and plan.add:
        raise SyncLimitError(
            f"the plan leaves {plan.final_count} entries, over the console's limit of {plan.limit}: "
            "nothing was changed. Use --compact, --prune, fewer --extra domains, or --isv if this "
            "is a third-party (ISV) app (limit 50)"
        )
    observer = observer or SyncObserver()
    order = change_order(plan)
    changes: list[AppliedChange] = []
    stopped: str | None = None
    for action, domain in order:
        if stopped is not None:
            changes.append(AppliedChange(domain, action, ChangeStatus.NOT_RUN))
            continue
        observer.change_started(action, domain)
        try:
            if action is PlanAction.ADD:
                api.create_safe_domain(domain)
            else:
                api.delete_safe_domain(domain)
            change = AppliedChange(domain, action, ChangeStatus.DONE)
        except AlipayBusinessError as exc:
            settled = (
                protocol.means_already_exists(exc.sub_code, exc.sub_msg)
                if action is PlanAction.ADD
                else protocol.means_not_found(exc.sub_code, exc.sub_msg)
            )
            status = ChangeStatus.ALREADY if settled else ChangeStatus.FAILED
            change = AppliedChange(domain, action, status, str(exc))
        except AlipayGatewayError as exc:
            stopped = str(exc)
            change = AppliedChange(domain, action, ChangeStatus.FAILED, str(exc))
        changes.append(change)
        observer.change_finished(change)
    return SyncOutcome(plan=plan, applied=True, changes=tuple(changes), stopped=stopped)


def run_sync(
    api: SafeDomainApi,
    required: Iterable[WhitelistEntry],
    *,
    covers: Covers,
    limit: int,
    prune: bool = False,
    apply: bool = False,
    observer: SyncObserver | None = None,
    protected: Iterable[str] = (),
) -> SyncOutcome:
    """Reads, plans and, with `apply`, applies. Without `apply` only the read is made."""
    plan = plan_sync(api, required, covers=covers, limit=limit, prune=prune, protected=protected)
    if not apply:
        return SyncOutcome(plan=plan, applied=False)
    return apply_plan(api, plan, observer)


def alipay_covers(entry: str, host: str) -> bool:
    """Alipay's matching rule (`domaincheck.whitelist.rules.covers`): does console `entry` cover `host`?"""
    from domaincheck.core.platforms import Platform
    from domaincheck.whitelist.profiles import rules_for
    from domaincheck.whitelist.rules import covers

    return covers(rules_for(Platform.ALIPAY), entry, host, "https")


def sync_whitelist(
    whitelist: Whitelist,
    credentials: AlipayCredentials,
    *,
    limit: int,
    prune: bool = False,
    apply: bool = False,
    settings: GatewaySettings | None = None,
    gateway_observer: GatewayObserver | None = None,
    observer: SyncObserver | None = None,
    protected: Iterable[str] = (),
) -> SyncOutcome:
    """Syncs the app's console list with `whitelist` (Alipay's one list) through the gateway.

    `protected` are hosts the app's source contacts: `--prune` never deletes an entry covering one.
    Loads the keys, reads the list, plans and, with `apply`, applies. Failures before a plan exists
    (unusable credentials, a gateway that cannot be read or trusted) raise an `AlipayError`; failures
    while applying end up in the outcome.
    """
    from domaincheck.alipay.gateway import AlipayGatewayClient

    required = whitelist.entries_for(ConsoleList.WHITELIST)
    if prune and not required:
        raise AlipayError("the whitelist is empty: refusing to --prune every entry on the console")
    with AlipayGatewayClient.from_credentials(
        credentials, settings=settings, observer=gateway_observer
    ) as client:
        outcome = run_sync(
            client,
            required,
            covers=alipay_covers,
            limit=limit,
            prune=prune,
            apply=apply,
            observer=observer,
            protected=protected,
        )
        requests = len(client.calls)
    # The platform's standing notes (matching, ICP filing) are the whitelist command's business.
    from domaincheck.core.platforms import Platform
    from domaincheck.whitelist.profiles import rules_for

    standing = set(rules_for(Platform.ALIPAY).notes)
    notes = tuple(n for n in whitelist.notes if n not in standing)
    return replace(outcome, requests=requests, gateway=credentials.gateway, notes=notes)
