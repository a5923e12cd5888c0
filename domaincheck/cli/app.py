"""The domaincheck application: the typer app, its commands, and the console-script entry point.

`domaincheck.cli` is the only package that imports typer. Each command lives in its own module and
imports its core modules inside the function, so the offline commands never import the network
libraries and start fast. A run builds only the command it names (`_app_for`). No module of the
package uses `from __future__ import annotations`; `_common` says why.
"""

import gc
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from domaincheck import __version__
from domaincheck.cli._common import emit, interruptible
from domaincheck.cli.appsetup import diff, init
from domaincheck.cli.check import check
from domaincheck.cli.explain import explain
from domaincheck.cli.merge import merge
from domaincheck.cli.regions import regions
from domaincheck.cli.scan import scan
from domaincheck.cli.sync import sync
from domaincheck.cli.whitelist import whitelist


def _wrap_help_at_spaces() -> None:
    """Help wraps between words only: click's wrapper would also break after a hyphen
    (`built-` / `in`, `--no-` / `compact`) and cut a word longer than the line."""
    try:
        from typer._click import _textwrap as wrapping  # typer >= 0.23 carries its own click
    except ImportError:  # pragma: no cover - older typer on click
        from click import _textwrap as wrapping  # type: ignore[import-not-found, no-redef]

    base = wrapping.TextWrapper
    if getattr(base, "whole_words", False):
        return

    class WholeWords(base):  # type: ignore[misc, valid-type]
        whole_words = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.update(break_on_hyphens=False, break_long_words=False)
            super().__init__(*args, **kwargs)

    wrapping.TextWrapper = WholeWords  # type: ignore[misc]


_wrap_help_at_spaces()

# Plain help (no rich panels): click's formatter wraps at word boundaries to the terminal's width
# and never cuts a word, where rich's option table cut long option and variable names at 80
# columns. `-h` works as `--help` does.
_SETTINGS: dict[str, Any] = {
    "name": "domaincheck",
    "help": "Check the server-domain whitelist of a mini program that embeds the Easemob IM SDK.",
    "no_args_is_help": True,
    "add_completion": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"], "max_content_width": 100},
}

app = typer.Typer(**_SETTINGS)

# The order of `domaincheck --help`, each with the line it shows there: short enough for an
# 80-column terminal, where click would cut the docstring's first sentence with "...".
for _command, _short_help in (
    (regions, "List the Easemob data centres (--region names)."),
    (sync, "Sync the Alipay console's whitelist (Open API)."),
    (init, "Write a commented domaincheck.yaml for the app."),
    (diff, "Compare the console's list with what the app needs."),
    (whitelist, "Print the entries to paste into the console."),
    (check, "Run the pre-release checklist; the CI gate."),
    (merge, "Join the reports of several vantages into one gate."),
    (explain, "Explain a check id: what it checks, how to fix it."),
    (scan, "Find the hosts the app's source contacts."),
):
    app.command(short_help=_short_help)(interruptible(_command))


def _version(value: bool) -> None:
    if value:
        emit(f"domaincheck {__version__}\n")
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


def _app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command `args` name, or the whole app when they name none.

    Typer turns every registered command's signature into options on every run, whichever command
    runs; with `sync` alone at two dozen options that costs the offline commands a good part of
    their start-up budget. A run names one command, so only that one is built; `--help` without a
    command, or an unknown command, gets the whole app and its usual listing.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    for info in app.registered_commands:
        callback_name = info.callback.__name__ if info.callback else ""
        if name is not None and name == (info.name or callback_name.replace("_", "-")):
            single = typer.Typer(**_SETTINGS)
            single.registered_callback = app.registered_callback
            single.registered_commands = [info]
            return single
    return app


def main() -> None:
    """Console-script entry point."""
    # What the imports built (typer, click, the commands) lives until the process exits, so the
    # cyclic garbage collector is told to leave it alone: its passes over those objects, above all
    # the full one at exit, would cost about 8 ms a run, more than `whitelist` does itself.
    gc.freeze()
    sys.exit(_app_for(sys.argv[1:])())
