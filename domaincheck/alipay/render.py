"""Renderers of a sync's outcome: the plan (and what was applied) as text for people, or as JSON.

Pure: `render(outcome) -> str`. They show domains, counts and the gateway's URL, never credentials.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from domaincheck.alipay.formats import SyncFormat
from domaincheck.alipay.plan import PlanAction, PlanItem
from domaincheck.alipay.protocol import PRODUCTION_GATEWAY, SANDBOX_GATEWAY
from domaincheck.alipay.sync import TAKES_EFFECT_REMINDER, ChangeStatus, SyncOutcome

SYNC_SCHEMA_VERSION = "1.0"


def _gateway_label(url: str) -> str:
    if url == PRODUCTION_GATEWAY:
        return f"production ({url})"
    if url == SANDBOX_GATEWAY:
        return f"sandbox ({url})"
    return url


_MARK = {PlanAction.ADD: "+", PlanAction.REMOVE: "-", PlanAction.KEEP: "=", PlanAction.EXTRA: "?"}
_HEADINGS = (
    (PlanAction.ADD, "add"),
    (PlanAction.REMOVE, "remove (--prune)"),
    (PlanAction.KEEP, "keep"),
    (PlanAction.EXTRA, "not required, left alone (--prune deletes)"),
)
_STATUS_WORD = {
    ChangeStatus.DONE: "done",
    ChangeStatus.ALREADY: "already so",
    ChangeStatus.FAILED: "FAILED",
    ChangeStatus.NOT_RUN: "not run",
}


def _item_line(item: PlanItem, width: int) -> str:
    why = item.reason
    if item.action is PlanAction.KEEP:
        others = [h for h in item.covers if h != item.domain.lower()]
        if item.reason != "required":
            why = f"covers {', '.join(item.covers)}"
        elif others:
            why = f"required; also covers {', '.join(others)}"
    return f"  {_MARK[item.action]} {item.domain.ljust(width)}  {why}"


def render_sync_text(outcome: SyncOutcome) -> str:
    """The plan grouped by action, the count against the limit, what was applied, and reminders."""
    plan = outcome.plan
    lines: list[str] = []
    if not plan.changes:
        head = "Alipay whitelist sync: the console already holds what is required"
    elif outcome.applied:
        head = "Alipay whitelist sync: applied"
    else:
        head = "Alipay whitelist sync: plan only, nothing changed (--apply makes these changes)"
    lines.append(head)
    if outcome.gateway:
        lines.append(f"gateway: {_gateway_label(outcome.gateway)}")
    width = max((len(i.domain) for i in plan.items), default=0)
    for action, heading in _HEADINGS:
        items = [i for i in plan.items if i.action is action]
        if items:
            lines.append("")
            lines.append(f"{heading} ({len(items)}):")
            lines.extend(_item_line(i, width) for i in items)
    lines.append("")
    lines.append(
        f"entries: {len(plan.current)} now, {plan.final_count} after, limit {plan.limit}"
        f" ({len(plan.add)} to add, {len(plan.remove)} to remove)"
    )
    if plan.over_limit:
        lines.append(
            f"warning: {plan.final_count} entries is over the console's limit of {plan.limit}; "
            "--apply refuses to add. Use --compact or --prune, or --isv for a third-party (ISV) app (50)"
        )
    if outcome.changes:
        lines.append("")
        lines.append("applied:")
        for change in outcome.changes:
            line = f"  {_MARK[change.action]} {change.domain.ljust(width)}  {_STATUS_WORD[change.status]}"
            if (
                change.status is ChangeStatus.FAILED
                and change.message
                and change.message != outcome.stopped
            ):
                line += f": {change.message}"
            lines.append(line)
    if outcome.stopped:
        lines.append("")
        lines.append(f"stopped: {outcome.stopped}")
        lines.append(
            "Run the same command again to finish: it re-reads the list and does only what is left."
        )
    if outcome.requests:
        lines.append("")
        lines.append(f"gateway requests: {outcome.requests}")
    notes = list(outcome.notes)
    if outcome.changed_console:
        notes.insert(0, TAKES_EFFECT_REMINDER)
    if notes:
        lines.append("")
        lines.extend(f"note: {note}" for note in dict.fromkeys(notes))
    return "\n".join(lines) + "\n"


def sync_document(outcome: SyncOutcome) -> dict[str, Any]:
    """The outcome as JSON-compatible data (schema version `SYNC_SCHEMA_VERSION`)."""
    plan = outcome.plan
    notes = list(outcome.notes)
    if outcome.changed_console:
        notes.insert(0, TAKES_EFFECT_REMINDER)
    return {
        "version": SYNC_SCHEMA_VERSION,
        "platform": "alipay",
        "gateway": outcome.gateway,
        "applied": outcome.applied,
        "succeeded": outcome.succeeded,
        "current": list(plan.current),
        "target": list(plan.target),
        "plan": {
            "add": list(plan.add),
            "remove": list(plan.remove),
            "keep": list(plan.keep),
            "extra": list(plan.extra),
            "items": [
                {
                    "domain": i.domain,
                    "action": i.action.value,
                    "reason": i.reason,
                    "covers": list(i.covers),
                }
                for i in plan.items
            ],
        },
        "count": {
            "now": len(plan.current),
            "after": plan.final_count,
            "limit": plan.limit,
            "over_limit": plan.over_limit,
        },
        "changes": [
            {
                "domain": c.domain,
                "action": c.action.value,
                "status": c.status.value,
                "message": c.message,
            }
            for c in outcome.changes
        ],
        "stopped": outcome.stopped,
        "requests": outcome.requests,
        "notes": list(dict.fromkeys(notes)),
    }


def render_sync_json(outcome: SyncOutcome) -> str:
    """The outcome as indented JSON."""
    return json.dumps(sync_document(outcome), ensure_ascii=False, indent=2) + "\n"


SYNC_RENDERERS: dict[SyncFormat, Callable[[SyncOutcome], str]] = {
    SyncFormat.TEXT: render_sync_text,
    SyncFormat.JSON: render_sync_json,
}
