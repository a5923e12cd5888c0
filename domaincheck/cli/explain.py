"""`domaincheck explain`: a check id's catalog entry, or the listing of every id."""

from typing import Annotated

import typer

from domaincheck.cli._common import QuietOption, VerboseOption, emit, fail, verbosity


def explain(
    check_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="A check id (whitelist.scheme, sdk.httpdns.enabled, tls, ...) or a glob "
            "(sdk.url.*). Without one, every id is listed.",
            show_default=False,
        ),
    ] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Explain a check: its title, family, default severity and how to fix a finding."""
    from domaincheck.core.catalog import check_info
    from domaincheck.render.checks_reference import (
        matching_ids,
        render_check,
        render_check_list,
        unknown_id_message,
    )

    verbosity(quiet, verbose)  # explain prints its answer on stdout and nothing else
    if check_id is None:
        emit(render_check_list())
        return
    info = check_info(check_id)
    if info is not None:
        emit(render_check(info))
        return
    matches = matching_ids(check_id) if any(ch in check_id for ch in "*?[") else []
    if not matches:
        fail(unknown_id_message(check_id))
    emit("\n".join(render_check(m.info) for m in matches))
