"""What a sync runs with, from its options, the environment and the project file.

The credentials (options, then `DOMAINCHECK_ALIPAY_*` variables, then the project file's `alipay:`
section) and the console's entry limit (`--max-entries`, then `--isv`, then the project file's
`thresholds.max_entries`, then Alipay's default of 30), so the CLI only hands its options over.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from domaincheck.alipay.credentials import AlipayCredentials, resolve_credentials

if TYPE_CHECKING:
    from domaincheck.files.project import Project


def sync_credentials(
    options: Mapping[str, str | None],
    environ: Mapping[str, str],
    project: Project | None,
    *,
    sandbox: bool = False,
) -> AlipayCredentials:
    """The credentials of a sync: `options` (keyed as `credentials.FIELDS`), environment, project.

    Raises `AlipayCredentialsError` when one is missing or unusable.
    """
    section = project.alipay if project is not None else None
    from_project = (
        None
        if section is None
        else {
            "app_id": section.app_id,
            "private_key_file": str(section.private_key_file or "") or None,
            "alipay_public_key_file": str(section.alipay_public_key_file or "") or None,
            "app_auth_token": section.app_auth_token,
            "gateway": section.gateway,
        }
    )
    return resolve_credentials(
        options=options, environ=environ, project=from_project, sandbox=sandbox
    )


def sync_entry_limit(*, max_entries: int | None, isv: bool, project: Project | None) -> int:
    """How many entries the console takes: `--max-entries`, else the ISV figure with `--isv`, else
    the project file's `thresholds.max_entries`, else Alipay's limit."""
    from domaincheck.core.platforms import Platform
    from domaincheck.whitelist.profiles import rules_for

    count = rules_for(Platform.ALIPAY).count_limit
    return (
        max_entries
        or (dict(count.alternatives)["isv"] if isv else None)
        or (project.thresholds.max_entries if project is not None else None)
        or count.limit
    )
