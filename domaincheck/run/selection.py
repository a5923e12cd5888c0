"""What a whitelist command works on: the platform, registry, regions, extras and entry limit.

`whitelist`, `check`, `diff` and `sync` take `--platform`, `--region`, `--extra`, `--registry`,
`--compact/--no-compact` (and all but `sync`, `--max-entries`), each overriding the project file, which overrides the
defaults (Alipay, cn1). This module is that precedence, once, and the two findings that stop a
whitelist from being printed or synced. The project file is only read when there is one, so a run
without one never imports PyYAML (the offline commands' start-up budget has no room for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from domaincheck.core.errors import UsageError
from domaincheck.core.platforms import DEFAULT_PLATFORM, DEFAULT_REGION, Platform

if TYPE_CHECKING:
    from domaincheck.core.model import CheckResult
    from domaincheck.files.project import Project
    from domaincheck.registry.model import Region, Registry
    from domaincheck.scan.model import SourceScan
    from domaincheck.whitelist.build import ExtraDomain
    from domaincheck.whitelist.rules import PlatformRules

# The name `domaincheck.files.project` looks for in the current folder.
_PROJECT_FILE_NAME = "domaincheck.yaml"


# A NamedTuple, not a frozen dataclass: `whitelist` builds one on every run, and defining a frozen
# dataclass costs start-up time (see `domaincheck.registry.model`).
class Selection(NamedTuple):
    """The platform, registry, regions, extra domains and entry limit of one run, and its project.

    `max_entries` is None for the platform's own limit; `project` is None when there is no
    project file. `compact` is whether the whitelist lists registrable domains (Alipay).
    """

    platform: Platform
    registry: Registry
    regions: tuple[Region, ...]
    extras: tuple[ExtraDomain, ...]
    max_entries: int | None
    project: Project | None
    compact: bool = False
    scan: SourceScan | None = None  # the app's source, when the project file names it (`source:`)

    @property
    def rules(self) -> PlatformRules:
        """The platform's whitelist rules, with the entry limit of the options or project file."""
        from domaincheck.whitelist.profiles import rules_for

        return rules_for(self.platform, max_entries=self.max_entries)


def load_project_if_any(explicit: Path | None) -> Project | None:
    """The project of `--project`, else `./domaincheck.yaml` when it exists, else None.

    Raises `InputFileError` for a missing `--project` file or an invalid project file.
    """
    if explicit is None and not Path(_PROJECT_FILE_NAME).is_file():
        return None  # without importing domaincheck.files.project, which imports PyYAML
    from domaincheck.files.project import load_project_or_empty

    return load_project_or_empty(explicit)


def effective_platform(option: Platform | None, project: Project | None) -> Platform:
    """The platform to use: the command-line option, else the project file's, else Alipay."""
    return option or (project.platform if project is not None else None) or DEFAULT_PLATFORM


def effective_regions(option: Sequence[str] | None, project: Project | None) -> tuple[str, ...]:
    """The region names to use: the command-line options, else the project file's, else cn1."""
    if option:
        return tuple(option)
    return (project.regions if project is not None else ()) or (DEFAULT_REGION,)


def select(
    project: Project | None,
    *,
    platform: Platform | None = None,
    regions: Sequence[str] | None = None,
    extras: Sequence[str] | None = None,
    registry: Path | None = None,
    max_entries: int | None = None,
    compact: bool | None = None,
    scan_source: bool = True,
) -> Selection:
    """Options first, then the project file, then the defaults.

    The project file's extra domains come before the options' (both are used). When the project
    file names the app's `source:`, it is scanned and the hosts it contacts join the extras, marked
    as found in the source (`scan_source=False` leaves it for a caller that scans itself). Raises
    `RegistryError` for a bad registry and `UsageError` for an unknown region or a bad `--extra`.
    """
    from domaincheck.registry.loader import load_registry, resolve_regions
    from domaincheck.whitelist.build import parse_extra
    from domaincheck.whitelist.profiles import profile_for

    chosen = effective_platform(platform, project)
    profile = profile_for(chosen)  # a platform domaincheck cannot support is refused here
    loaded = load_registry(registry or (project.registry if project is not None else None))
    found = resolve_regions(loaded, effective_regions(regions, project))
    for region in found:
        if chosen.value in region.absent_on:
            raise UsageError(
                f"region {region.id} ({region.name_zh}) is not on Easemob's "
                f"{profile.rules.label} page, which has no {region.name_zh} row, so domaincheck "
                f"has no hosts for it: leave out --region {region.id}, and ask your Easemob "
                "account manager (商务经理) for the hosts to give with --extra"
            )
    parsed: list[ExtraDomain] = []
    for text in [*(project.extra_domains if project is not None else ()), *(extras or ())]:
        try:
            parsed.append(parse_extra(text))
        except ValueError as exc:
            raise UsageError(f"--extra: {exc}") from None
    limit = max_entries or (project.thresholds.max_entries if project is not None else None)
    if compact is None:
        compact = bool(project is not None and project.compact)
    selection = Selection(chosen, loaded, found, tuple(parsed), limit, project, compact)
    if project is not None and project.source is not None and scan_source:
        from domaincheck.run.scanning import with_scanned_hosts

        selection = with_scanned_hosts(selection, project.source)
    return selection


def compact_reason(selection: Selection) -> str | None:
    """Why the selection's whitelist must be compacted, or None when its hosts fit the limit.

    Only where compacting helps (Alipay's registrable-domain matching): `init` then writes
    `compact: true`, so `check` passes on the file it wrote.
    """
    from domaincheck.whitelist.build import build_whitelist
    from domaincheck.whitelist.rules import Matching

    rules = selection.rules
    if rules.matching is not Matching.REGISTRABLE_DOMAIN:
        return None
    built = build_whitelist(
        selection.registry, selection.platform, selection.regions, selection.extras, rules=rules
    )
    limit = rules.count_limit.limit
    count = len(built.entries)
    if rules.count_limit.per_list:
        count = max((len(built.entries_for(c)) for c in built.console_lists), default=0)
    if count <= limit:
        return None
    return f"Without it these regions need {count} entries, over {rules.label}'s limit of {limit}"


def bad_extras(selection: Selection) -> tuple[CheckResult, ...]:
    """The extra domains that cannot be whitelisted on the platform (IP, wrong scheme, ...).

    A bad `--extra` is bad input to `whitelist`, which prints a list to paste; `check` reports it.
    """
    if not selection.extras:
        return ()
    from domaincheck.core.model import Status  # lazy: `whitelist` without extras needs no results
    from domaincheck.whitelist.static_checks import check_extras

    found = check_extras(selection.rules, selection.extras)
    return tuple(r for r in found if r.status is Status.FAIL)


def regions_without_hosts(selection: Selection) -> tuple[CheckResult, ...]:
    """Regions without public hosts (国内VIP区, 客服专用) that no extra domain stands in for.

    Their whitelist would miss the hosts only the account manager knows, so the commands that print
    or sync it fail instead of succeeding on an incomplete list.
    """
    if all(region.public for region in selection.regions):
        return ()
    from domaincheck.core.model import Status
    from domaincheck.whitelist.static_checks import check_regions

    found = check_regions(selection.regions, selection.extras)
    return tuple(r for r in found if r.status is Status.FAIL)
