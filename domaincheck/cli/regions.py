"""`domaincheck regions`: the Easemob data centres of the registry."""

from typing import Annotated

import typer

from domaincheck.cli._common import RegistryOption, guarded
from domaincheck.registry.render import RegionsFormat


def regions(
    output_format: Annotated[
        RegionsFormat, typer.Option("--format", help="Output format.")
    ] = RegionsFormat.TEXT,
    registry: RegistryOption = None,
) -> None:
    """List the Easemob data centres: ids and names for --region, REST and socket hosts, notes."""
    from domaincheck.registry.loader import load_registry
    from domaincheck.registry.render import REGIONS_RENDERERS

    loaded = guarded(lambda: load_registry(registry))
    typer.echo(REGIONS_RENDERERS[output_format](loaded), nl=False)
