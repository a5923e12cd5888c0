"""The sync plan: which console entries to add, keep and (with --prune) remove, against the limit.

Pure: the console's current list and the required whitelist entries in, a frozen plan out. Alipay
matches by registrable domain, so an entry already on the console that covers every host a required
entry stands for counts as keeping it: the plan never adds a redundant entry. Whether an entry covers
a host is the platform rule's business, passed in as `covers(entry, host)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domaincheck.core.model import WhitelistEntry
from domaincheck.core.platforms import Platform
from domaincheck.whitelist.profiles import rules_for

# Console entries Alipay accepts per app; the platform rules hold the figure and its source.
DEFAULT_LIMIT = rules_for(Platform.ALIPAY).count_limit.limit

Covers = Callable[[str, str], bool]


class PlanAction(StrEnum):
    """What happens to one console entry."""

    ADD = "add"  # required and not covered yet: created
    KEEP = "keep"  # on the console and required (itself, or because it covers required hosts)
    REMOVE = "remove"  # on the console, not required, and --prune: deleted
    EXTRA = "extra"  # on the console, not required, left alone (no --prune)


@dataclass(frozen=True)
class PlanItem:
    """One console entry in the plan, with why it gets its action.

    `domain` is the entry as the console spells it (for keep, remove, extra) or as it will be added.
    `covers` lists the required hosts this entry is what covers.
    """

    domain: str
    action: PlanAction
    reason: str
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncPlan:
    """The difference between the console's list and the required whitelist, and the count it leaves."""

    current: tuple[str, ...]
    items: tuple[PlanItem, ...]
    limit: int
    prune: bool

    def _domains(self, action: PlanAction) -> tuple[str, ...]:
        return tuple(item.domain for item in self.items if item.action is action)

    @property
    def add(self) -> tuple[str, ...]:
        return self._domains(PlanAction.ADD)

    @property
    def remove(self) -> tuple[str, ...]:
        return self._domains(PlanAction.REMOVE)

    @property
    def keep(self) -> tuple[str, ...]:
        return self._domains(PlanAction.KEEP)

    @property
    def extra(self) -> tuple[str, ...]:
        return self._domains(PlanAction.EXTRA)

    @property
    def target(self) -> tuple[str, ...]:
        """The console's list once the plan is applied: what stays, then what is added."""
        removed = set(self.remove)
        return tuple(d for d in self.current if d not in removed) + self.add

    @property
    def final_count(self) -> int:
        return len(self.target)

    @property
    def over_limit(self) -> bool:
        return self.final_count > self.limit

    @property
    def changes(self) -> int:
        """Create and delete calls applying the plan takes (one domain per call)."""
        return len(self.add) + len(self.remove)


def normalize_entry(entry: str) -> str:
    """The comparable form of a console entry: lower case, no scheme, path, port or trailing dot."""
    text = entry.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0]
    if text.count(":") == 1:
        text = text.split(":", 1)[0]
    return text.rstrip(".")


def _hosts_of(entry: WhitelistEntry) -> tuple[str, ...]:
    hosts = entry.covers or (entry.entry,)
    return tuple(dict.fromkeys(normalize_entry(h) for h in hosts))


def compute_plan(
    current: Sequence[str],
    required: Iterable[WhitelistEntry],
    *,
    covers: Covers,
    limit: int = DEFAULT_LIMIT,
    prune: bool = False,
    protected: Iterable[str] = (),
) -> SyncPlan:
    """Plans the fewest creates (and, with `prune`, deletes) that make `current` hold `required`.

    A required entry already on the console (compared case-insensitively) is kept. One that is not,
    but whose hosts are each covered by some console entry, needs nothing: those entries are kept.
    Anything else is added. Console entries that end up doing nothing for the required hosts are
    removed with `prune`, left alone (and listed as extra) without it, except one that covers a
    `protected` host (one the app's source contacts, a development host included): never removed.
    """
    protected_hosts = tuple(dict.fromkeys(normalize_entry(h) for h in protected))
    current_by_key: dict[str, str] = {}
    for domain in current:
        current_by_key.setdefault(normalize_entry(domain), domain)

    needed: dict[str, list[str]] = {}  # console key -> required hosts it is kept for
    reasons: dict[str, str] = {}
    adds: list[PlanItem] = []
    seen: set[str] = set()
    for entry in required:
        key = normalize_entry(entry.entry)
        if key in seen:
            continue
        seen.add(key)
        hosts = _hosts_of(entry)
        if key in current_by_key:
            needed.setdefault(key, []).extend(hosts)
            reasons.setdefault(key, "required")
            continue
        coverers: dict[str, list[str]] = {}
        for host in hosts:
            # Prefer an entry that is kept anyway, so --prune keeps as few as it can.
            candidates = [*needed, *(k for k in current_by_key if k not in needed)]
            match = next((k for k in candidates if covers(k, host)), None)
            if match is None:
                break
            coverers.setdefault(match, []).append(host)
        else:
            for coverer, covered in coverers.items():
                needed.setdefault(coverer, []).extend(covered)
                reasons.setdefault(coverer, "covers required hosts")
            continue
        reason = "required" if hosts == (key,) else f"required, covers {len(hosts)} hosts"
        adds.append(PlanItem(entry.entry, PlanAction.ADD, reason, hosts))

    items: list[PlanItem] = []
    for key, domain in current_by_key.items():
        if key in needed:
            hosts = tuple(dict.fromkeys(needed[key]))
            items.append(PlanItem(domain, PlanAction.KEEP, reasons[key], hosts))
        elif used := tuple(h for h in protected_hosts if covers(key, h)):
            items.append(PlanItem(domain, PlanAction.KEEP, "used by the app's source", used))
        elif prune:
            items.append(PlanItem(domain, PlanAction.REMOVE, "not required"))
        else:
            items.append(PlanItem(domain, PlanAction.EXTRA, "not required; --prune deletes it"))
    # Duplicates on the console (same entry twice) are listed once, as they are one entry to Alipay.
    return SyncPlan(
        current=tuple(current_by_key.values()),
        items=tuple(items + adds),
        limit=limit,
        prune=prune,
    )
