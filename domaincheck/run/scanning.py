"""The source scan as a command runs it: scan the folder, build the whitelist the configuration
declares (the SDK's hosts and extra_domains), and hold the scan to it.

`domaincheck scan` prints the outcome; `check`, `whitelist`, `diff`, `sync` and `init` use
`scanned_extras` to put the scanned hosts into the one whitelist, marked with their source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from domaincheck.core.errors import InputFileError
from domaincheck.scan.model import ScanOutcome

if TYPE_CHECKING:
    from domaincheck.core.model import CheckResult, Whitelist
    from domaincheck.core.platforms import Platform
    from domaincheck.files.project import Project, SourceSettings
    from domaincheck.run.selection import Selection
    from domaincheck.scan.model import SourceScan
    from domaincheck.whitelist.build import ExtraDomain


def run_scan(
    root: Path,
    selection: Selection,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
) -> ScanOutcome:
    """Scans `root` and holds it to the whitelist of `selection` (SDK hosts and extras)."""
    from domaincheck.scan.findings import scan_results
    from domaincheck.whitelist.build import EXTRA_SOURCE, build_whitelist

    scan = scan_folder(root, selection.platform, include, exclude)
    whitelist = build_whitelist(
        selection.registry,
        selection.platform,
        selection.regions,
        selection.extras,
        selection.compact,
        rules=selection.rules,
    )
    own = [e for e in whitelist.entries if e.sources == (EXTRA_SOURCE,)]
    results = scan_results(scan, selection.rules, whitelist.entries, own_entries=own)
    return ScanOutcome(scan, whitelist, results)


def scan_folder(
    root: Path,
    platform: Platform | None,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
) -> SourceScan:
    """The scan of `root`; `InputFileError` when it is not a folder."""
    from domaincheck.scan.project import ScanOptions, scan_project

    if not root.is_dir():
        what = "not found" if not root.exists() else "not a folder"
        raise InputFileError(f"{root}: source folder {what}")
    return scan_project(root, ScanOptions(include, exclude, platform))


def with_scanned_hosts(selection: Selection, source: SourceSettings) -> Selection:
    """`selection` with the app's source scanned and the hosts a phone needs among its extras."""
    scan = scan_folder(source.path, selection.platform, source.include, source.exclude)
    found = scanned_extras(scan, selection)
    return selection._replace(extras=(*selection.extras, *found), scan=scan)


def source_results(selection: Selection, whitelist: Whitelist) -> tuple[CheckResult, ...]:
    """The scan's findings against the whitelist a command built (none without a scan)."""
    if selection.scan is None:
        return ()
    from domaincheck.scan.findings import scan_results
    from domaincheck.whitelist.build import EXTRA_SOURCE

    own = [e for e in whitelist.entries if e.sources == (EXTRA_SOURCE,)]
    if not all(region.public for region in selection.regions):
        own = []  # extras stand in for the SDK hosts of a non-public region: the SDK uses them
    return scan_results(selection.scan, selection.rules, whitelist.entries, own_entries=own)


def scanned_extras(scan: SourceScan, selection: Selection) -> tuple[ExtraDomain, ...]:
    """The scanned hosts a phone needs (not dev-only, not leftovers) as whitelist additions, each
    in its console list and marked as coming from the source."""
    from domaincheck.scan.findings import console_list_for, leftover_problem
    from domaincheck.whitelist.build import ExtraDomain

    rules = selection.rules
    extras: dict[tuple[str, str], ExtraDomain] = {}
    for host in scan.hosts():
        if host.dev_only:
            continue
        uses = [u for u in host.uses if not u.dev_only and leftover_problem(rules, u) is None]
        if not uses:
            continue
        console_list = console_list_for(rules, host.api)
        if console_list is None:
            continue
        scheme = "wss" if host.api.value == "connectSocket" else "https"
        first = uses[0]
        port = f":{first.port}" if first.port is not None else ""
        where = (
            str(first.origin) if first.origin == first.call else f"{first.origin} → {first.call}"
        )
        extras.setdefault(
            (host.host, console_list.value),
            ExtraDomain(f"{scheme}://{host.host}{port}", (console_list,), where),
        )
    return tuple(extras.values())


@dataclass(frozen=True)
class ScanSettings:
    """Which folder to scan and which files: the argument over the project file's `source:`, over
    the current folder; the options' globs over the project file's."""

    root: Path
    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def detected_platforms(self) -> tuple[Platform, ...]:
        """The platforms the folder's own files name (IDE project files, uni-app targets)."""
        from domaincheck.scan.framework import detect
        from domaincheck.scan.walk import find_sources

        if not self.root.is_dir():
            return ()
        files, _ = find_sources(self.root, self.include, self.exclude)
        return detect(self.root, files).platforms


def scan_settings(
    project: Project | None,
    path: Path | None,
    include: list[str] | None,
    exclude: list[str] | None,
) -> ScanSettings:
    """The settings of one scan (see `ScanSettings`)."""
    source = project.source if project is not None else None
    root = path or (source.path if source is not None else None) or Path(".")
    return ScanSettings(
        root,
        tuple(include or (source.include if source is not None else ())),
        tuple(exclude or (source.exclude if source is not None else ())),
    )


def init_scan(
    selection: Selection, folder: Path
) -> tuple[tuple[tuple[str, str], ...], Selection, str]:
    """What `init` writes about the app's source in `folder`: each host as an extra domain with
    where it was found, the selection with them, and a one-line summary ("" when `folder` holds
    no mini program)."""
    from domaincheck.core.whitelist_model import ConsoleList
    from domaincheck.scan.model import Framework

    folder = folder if str(folder) else Path(".")
    scan = scan_folder(folder, selection.platform)
    extras = scanned_extras(scan, selection)
    if scan.framework is Framework.UNKNOWN and not scan.uses:
        return (), selection, ""
    written: list[tuple[str, str]] = []
    for extra in extras:
        lists = extra.console_lists
        prefix = ""
        if lists and lists[0] in (ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE):
            prefix = f"{lists[0].value}="
        written.append((f"{prefix}{extra.text}", extra.found_at))
    problems = len(scan.dynamic) + sum(1 for h in scan.hosts() if h.dev_only)
    summary = (
        f"scanned {folder} ({scan.framework.value}, {scan.files} files): "
        f"{len(extras)} host{'s' if len(extras) != 1 else ''} of the app's own written to "
        f"extra_domains"
        + (f"; {problems} more to look at: run domaincheck scan" if problems else "")
    )
    return tuple(written), selection._replace(extras=(*selection.extras, *extras)), summary
