"""Where each host and whitelist entry of a run was written, for reports that point at files.

A finding is fixed where its host came from: the project file's `extra_domains` line for the app's
own domains, the registry's line for a built-in host. `Report.origins` maps each host and entry
text to that file and line; `RUN_ORIGIN` holds the line of the run's own settings (the project
file's `compact`, `regions` or `platform`), or the registry file when there is no project file.
A command-line `--extra` is placed at the project file's `extra_domains` key, where it would be
written; without a project file, whole-run findings and hosts with no line of their own fall back
to the top of the registry file (code scanning rejects an upload with a result that names no file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from domaincheck.core.model import RUN_ORIGIN, Origin

if TYPE_CHECKING:
    from domaincheck.registry.model import RegistryHost
    from domaincheck.run.selection import Selection

# The project file keys that say what a whole-run finding (the entry count, a region) is about,
# the most specific first.
_RUN_KEYS = ("compact", "regions", "platform")


def shown_path(path: str | os.PathLike[str], cwd: Path | None = None) -> str:
    """The path relative to `cwd` (default: the current folder) when it lies under it, else
    absolute: a report's locations then match the repository's own paths."""
    here = (cwd or Path.cwd()).resolve()
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(here).as_posix()
    except ValueError:
        return absolute.as_posix()


def _entry_of(text: str) -> str:
    """An extra domain as the selection holds it: `uploadFile=https://x` → `https://x`."""
    from domaincheck.whitelist.build import parse_extra

    try:
        return parse_extra(text).text
    except ValueError:
        return text


def _host_of(text: str) -> str | None:
    from domaincheck.whitelist.build import parse_extra

    try:
        host = parse_extra(text).parsed.host
    except ValueError:
        return None
    return host or None


def run_origins(selection: Selection, cwd: Path | None = None) -> dict[str, Origin]:
    """Each host and entry of the selection mapped to the file and line it was written on."""
    origins: dict[str, Origin] = {}
    registry_file = shown_path(selection.registry.path, cwd)
    hosts: list[RegistryHost] = list(selection.registry.common)
    for region in selection.regions:
        hosts.extend(region.hosts)
    for registry_host in hosts:
        if registry_host.line >= 1:
            origins.setdefault(
                registry_host.host.lower(), Origin(registry_file, registry_host.line)
            )
    origins[RUN_ORIGIN] = Origin(registry_file, 1)
    project = selection.project
    if project is None or project.path is None:
        return origins
    project_file = shown_path(project.path, cwd)
    line = next((project.lines[k] for k in _RUN_KEYS if k in project.lines), 1)
    origins[RUN_ORIGIN] = Origin(project_file, line)
    written = {
        _entry_of(text): extra_line
        for text, extra_line in zip(project.extra_domains, project.extra_domain_lines, strict=False)
    }
    # A command-line --extra has no line of its own: the project file's list is where it belongs.
    extras_line = project.lines.get("extra_domains", line)
    for extra in selection.extras:
        origin = Origin(project_file, written.get(extra.text, extras_line))
        origins[extra.text] = origin
        host = _host_of(extra.text)
        if host is not None:
            origins[host] = origin  # the app's own line wins over the registry's
    return origins
