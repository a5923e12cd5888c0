"""What the commands share: the fatal-error contract, the shared options, output to stdout or a file.

Like every module of `domaincheck.cli`, this one does not use `from __future__ import annotations`:
typer reads the commands' annotations on every run, and postponed (string) annotations make it
eval and compile each one, every time, for every command: about 50 million instructions, a fifth of
`import typer`, before any work. Annotations that name types imported only for type checking are
written as strings instead.
"""

import functools
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO, TypeVar

import typer

from domaincheck.core.errors import DomaincheckError, RegistryError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.platforms import DEFAULT_PLATFORM, DEFAULT_REGION, Platform
from domaincheck.render import ReportFormat

if TYPE_CHECKING:
    from domaincheck.files.output import Destination

T = TypeVar("T")


def say_line(line: str) -> None:
    """One line on stderr (a message, a warning, progress), its text from outside escaped: no
    control character, no GitHub Actions workflow command. Every stderr line goes through here."""
    from domaincheck.core.untrusted import escape

    typer.echo(escape(line), err=True)


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> NoReturn:
    """Ends the run with a clear message on stderr, never a traceback."""
    say_line(f"domaincheck: {message}")
    raise typer.Exit(int(code))


def guarded(action: Callable[[], T]) -> T:
    """Runs a core call and turns a fatal `DomaincheckError` into one line and its exit code.

    A broken registry prints every problem on its own `FILE:LINE: what is wrong` line.
    """
    try:
        return action()
    except RegistryError as exc:
        if len(exc.problems) > 1:
            say_line(f"domaincheck: the region registry has {len(exc.problems)} problems:")
            for problem in exc.problems:
                say_line(problem)
            raise typer.Exit(int(exc.exit_code)) from None
        fail(str(exc), exc.exit_code)
    except DomaincheckError as exc:
        fail(str(exc), exc.exit_code)


class Verbosity(IntEnum):
    """How much a command says on stderr besides its output: errors only, the usual, or more."""

    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


def verbosity(quiet: bool, verbose: bool) -> Verbosity:
    """The verbosity of `--quiet` / `--verbose`; both at once is a usage error (exit 2)."""
    if quiet and verbose:
        fail("give --quiet or --verbose, not both")
    return Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL


def say(level: Verbosity, message: str, at: Verbosity = Verbosity.NORMAL) -> None:
    """Prints a message on stderr when the run's verbosity is at least `at`."""
    if level >= at:
        say_line(message)


def colour_wanted(stream: TextIO | None) -> bool:
    """Whether to colour what goes to `stream`: never with NO_COLOR set (no-color.org), always
    with FORCE_COLOR set, else on a terminal that is not `dumb` (the order Python 3.13 uses).
    None is a stream the program was started without (`>&-`)."""
    if stream is None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


# Options that several commands share.
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Print nothing on stderr but errors."),
]
VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Say more on stderr (the files used, each host)."),
]
RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Region registry file to use instead of the built-in regions.yaml.",
        metavar="FILE",
        dir_okay=False,
        show_default=False,
    ),
]
ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        help="Project file to use instead of ./domaincheck.yaml.",
        metavar="FILE",
        show_default=False,
    ),
]
PlatformOption = Annotated[
    Platform | None,
    typer.Option(
        "--platform",
        "-p",
        help=f"Mini-program platform whose console gets the list. Default: {DEFAULT_PLATFORM.value}, or the project file's.",
        case_sensitive=False,
        show_default=False,
    ),
]
RegionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        "-r",
        help=f"Easemob data centre: id (cn1, sgp1, ...), Chinese or English name; repeatable. Default: {DEFAULT_REGION}, or the project file's.",
        metavar="REGION",
        show_default=False,
    ),
]
ExtraOption = Annotated[
    list[str] | None,
    typer.Option(
        "--extra",
        "-e",
        help="A domain of your own app, e.g. https://api.myapp.com; prefix LIST= to choose the "
        "console list (uploadFile=https://files.myapp.com). Repeatable; adds to the project file's.",
        metavar="URL",
        show_default=False,
    ),
]
CompactOption = Annotated[
    bool | None,
    typer.Option(
        "--compact/--no-compact",
        help="Alipay: cover the same hosts with the fewest entries, one per registrable domain. "
        "Default: compact of the project file, else off.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the output to this file instead of stdout (- is stdout); a FIFO or device is "
        "written through, a symbolic link's target replaced atomically.",
        metavar="FILE",
        dir_okay=False,
        show_default=False,
    ),
]
MaxEntriesOption = Annotated[
    int | None,
    typer.Option(
        "--max-entries",
        min=1,
        metavar="N",
        help="The console's entry limit, when it differs from the platform default "
        "(Alipay 30, or 50 for ISV templates; WeChat 200 per list; Douyin, Baidu, QQ 20; Taobao 10).",
        show_default=False,
    ),
]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")]


def command_line(ctx: typer.Context) -> tuple[str, ...]:
    """The running command as the user gave it (long options), for reports to show how to reproduce it.

    Rebuilt from the parsed parameters rather than sys.argv, which is not the command when the app
    is invoked in-process; parameters that came from defaults or the environment are left out.
    """
    import enum

    def text(value: object) -> str:
        return str(value.value) if isinstance(value, enum.Enum) else str(value)

    argv = ["domaincheck", ctx.info_name or ""]
    positional: list[str] = []
    for param in ctx.command.params:
        name = param.name
        source = ctx.get_parameter_source(name) if name else None
        if name is None or source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params.get(name)
        values = list(value) if param.multiple and isinstance(value, list | tuple) else [value]
        if param.param_type_name == "argument":
            positional += [text(v) for v in values]
            continue
        flag = max(param.opts, key=len)
        if getattr(param, "is_flag", False):
            if value:
                argv.append(flag)
            elif param.secondary_opts:
                argv.append(max(param.secondary_opts, key=len))
            continue
        for item in values:
            argv += [flag, text(item)]
    return (*argv, *positional)


def interruptible(command: Callable[..., None]) -> Callable[..., None]:
    """The command, ending on Ctrl-C with `domaincheck: interrupted` and exit code 130."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except KeyboardInterrupt:
            fail("interrupted", ExitCode.INTERRUPTED)

    return run


def check_output(output: Path | None) -> "Destination":
    """The `--output` destination (stdout when not given), checked before any work (exit 2)."""
    from domaincheck.files.output import STDOUT, check_destination

    return guarded(lambda: check_destination(STDOUT if output is None else output))


def write_output(text: str, output: Path | None) -> None:
    """Report data to stdout, or to `--output` (a file atomically, a FIFO or device through it)."""
    from domaincheck.files.output import write_destinations

    destination = check_output(output)
    guarded(lambda: write_destinations([(destination, text)]))


def emit(text: str) -> None:
    """Data to stdout, every byte of it (a closed pipe ends it quietly, a full disk is one line)."""
    from domaincheck.files.output import write_stdout

    if sys.stdout is not None:  # None: started with stdout closed, which write_stdout reports
        sys.stdout.flush()
    guarded(lambda: write_stdout(text))
