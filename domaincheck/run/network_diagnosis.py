"""No network at all is one diagnosis, not one accusation per host.

When no DNS lookup of any host got an answer (every resolver unreachable, no route, every query
timing out), the hosts' DNS records are not what is wrong: this machine cannot resolve names or
reach the internet. The run then says so once, with what to do, and the per-host DNS results
step aside as skips that point at it. The gate still fails: nothing was checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult, Status

# Outcomes of a query that say nothing about the host, only about the way to the resolver.
_NO_WAY_OUT = {"timeout", "unreachable", "no-resolver"}

NO_NETWORK_FIX = (
    "run `domaincheck check --offline` for the static checks alone, give a resolver this machine "
    "can reach with --resolver (an IP, or a preset such as alidns:doh where only HTTPS gets "
    "through), or go through the proxy this network needs (--via PROXY)"
)


def diagnose_no_network(results: Sequence[CheckResult]) -> tuple[CheckResult, ...]:
    """`results` with one `dns.network` error in front when no lookup of any host (two or more)
    got through, the hosts' DNS errors turned into skips; else `results` as they are."""
    dns = [r for r in results if r.check is CheckId.DNS]
    unreachable = [r for r in results if r.check is CheckId.DNS_RESOLVER]
    if len(dns) < 2:
        return tuple(results)
    ways: dict[str, str] = {
        str(r.details.get("resolver", r.target)): str(r.details.get("reason", ""))
        for r in unreachable
    }
    for result in dns:
        if result.status is Status.SKIP and unreachable:
            continue  # no resolver left to ask: said by the dns.resolver results
        if result.status is not Status.ERROR:
            return tuple(results)
        resolvers = result.details.get("resolvers")
        if not isinstance(resolvers, list) or not resolvers:
            return tuple(results)
        for answer in resolvers:
            if not isinstance(answer, Mapping) or not _no_way_out(answer):
                return tuple(results)
            reasons = answer.get("reasons") or []
            ways.setdefault(str(answer.get("resolver")), str(reasons[0]) if reasons else "")
    shown = "; ".join(f"{resolver}: {why}" if why else resolver for resolver, why in ways.items())
    diagnosis = CheckResult(
        "this machine",
        CheckId.DNS_NETWORK,
        Status.ERROR,
        f"no DNS lookup of any of the {len(dns)} hosts got an answer ({shown}): this machine "
        "cannot resolve names or reach the internet, so no host was judged",
        {"hosts": len(dns), "resolvers": list(ways)},
        NO_NETWORK_FIX,
    )
    out: list[CheckResult] = [diagnosis]
    for result in results:
        if result.check is CheckId.DNS and result.status is Status.ERROR:
            result = replace(
                result,
                status=Status.SKIP,
                message="not judged: no DNS lookup worked on this machine (see dns.network)",
                fix=None,
            )
        out.append(result)
    return tuple(out)


def _no_way_out(answer: Mapping[str, Any]) -> bool:
    return {answer.get("a_outcome"), answer.get("aaaa_outcome")} <= _NO_WAY_OUT
