"""Where the Easemob SDK's hosts come from: the region registry (`regions.yaml`, loaded by
`domaincheck.registry`), and the index of its hosts by name that the option checks look up.
"""

from __future__ import annotations

from dataclasses import dataclass

from domaincheck.registry.loader import BUILTIN_NAME
from domaincheck.registry.model import HostRole, Region, Registry, SocketFamily

# The registry file that lists the SDK's hosts per data centre, shipped with the package.
REGISTRY_FILE = BUILTIN_NAME


@dataclass(frozen=True)
class HostPlace:
    region: Region
    role: HostRole
    family: SocketFamily | None


def host_index(registry: Registry) -> dict[str, list[HostPlace]]:
    places: dict[str, list[HostPlace]] = {}
    for region in registry.regions:
        for host in region.hosts:
            places.setdefault(host.host, []).append(HostPlace(region, host.role, host.family))
    return places
