"""Drift between the registry's hosts and its sources: `domaincheck regions --check-sources`.

The loader already refuses a host that names an undeclared source; this finds what still loads but
has drifted: a source no host uses any more (a page whose hosts were all removed, or a typo left
behind), and a host that no document of its own puts on any platform's list (only corroborating
sources, or none for the platforms it is limited to). Pure: it reads a loaded `Registry`.
"""

from __future__ import annotations

from domaincheck.registry.model import Registry


def source_drift(registry: Registry) -> tuple[str, ...]:
    """Every drift problem as `FILE:LINE: what is wrong`, in file order; empty when none."""
    found: list[tuple[int, str]] = []
    used: set[str] = set()
    hosts = [*registry.common, *(h for region in registry.regions for h in region.hosts)]
    for host in hosts:
        named = (*host.sources, *host.file_sources)
        used.update(named)
        for sid in dict.fromkeys(named):
            if sid not in registry.sources:
                found.append(
                    (host.line, f"{host.host} names source {sid!r}, which is not declared")
                )
        if registry.platforms_listing(host) == ():
            found.append(
                (
                    host.line,
                    f"{host.host} ({host.role.value}) is on no platform's list: none of its sources "
                    "is a page of a platform it may go to or a platform-neutral document "
                    "(corroborating sources alone do not count)",
                )
            )
    for sid, source in registry.sources.items():
        if sid not in used:
            found.append((source.line, f"source {sid!r} is used by no host"))
    found.sort(key=lambda item: item[0])
    return tuple(f"{registry.path}:{line}: {message}" for line, message in found)
