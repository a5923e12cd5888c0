"""The command line: options in, a report out, an exit code.

The only module that imports typer. It turns options into settings, calls the core, renders and
exits. Commands import their core modules inside the function, so the offline commands never
import the network libraries and start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from domaincheck import __version__
from domaincheck.errors import DomaincheckError, RegistryError
from domaincheck.exitcodes import ExitCode
from domaincheck.registry.render import RegionsFormat

app = typer.Typer(
    name="domaincheck",
    help="Check the server-domain whitelist of a mini program that embeds the Easemob IM SDK.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> NoReturn:
    """Ends the run with a clear message on stderr, never a traceback."""
    typer.echo(f"domaincheck: {message}", err=True)
    raise typer.Exit(int(code))


def guarded(action: Callable[[], T]) -> T:
    """Runs a core call and turns a fatal `DomaincheckError` into one line and exit code 2.

    A broken registry prints every problem on its own `FILE:LINE: what is wrong` line.
    """
    try:
        return action()
    except RegistryError as exc:
        if len(exc.problems) > 1:
            typer.echo(
                f"domaincheck: the region registry has {len(exc.problems)} problems:", err=True
            )
            for problem in exc.problems:
                typer.echo(problem, err=True)
            raise typer.Exit(int(ExitCode.BAD_INPUT)) from None
        fail(str(exc))
    except DomaincheckError as exc:
        fail(str(exc))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"domaincheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Check the server-domain whitelist of a mini program that embeds the Easemob IM SDK."""


RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Region registry file to use instead of the built-in regions.yaml.",
        dir_okay=False,
        show_default=False,
    ),
]


@app.command()
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


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
