"""The program's entry point (`domaincheck`, `python -m domaincheck`): the CLI in a Ctrl-C guard.

The guard holds from the first import on: loading typer and the commands takes a good part of a
second on a busy machine, and a Ctrl-C then ends as one during a command does, with
`domaincheck: interrupted` and exit code 130 instead of a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Runs the command line; a Ctrl-C at any point of it is one line and exit code 130."""
    try:
        from domaincheck.cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        from domaincheck.core.exitcodes import ExitCode

        sys.stderr.write("domaincheck: interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))


if __name__ == "__main__":
    main()
