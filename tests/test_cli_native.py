"""The command line as a terminal user meets it, through real pipes: -h, help that fits 80 columns
without cutting a word, --quiet/--verbose everywhere, colour that honours NO_COLOR and FORCE_COLOR,
the live progress line (only on a terminal), case-insensitive choices, consistent short options,
and `diff -` reading stdin."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from domaincheck.cli._common import Verbosity
from domaincheck.cli.app import app
from domaincheck.cli.progress import TerminalProgress
from domaincheck.core.model import CheckResult, Status

COMMANDS = ("regions", "sync", "init", "diff", "whitelist", "check", "explain", "scan")
# The console script, as a shell calls it: completion is keyed by the program's name.
SCRIPT = Path(sys.executable).parent / "domaincheck"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "domaincheck", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**base, **(env or {})},
        cwd=cwd,
        timeout=60,
    )


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_fits_80_columns_and_cuts_no_word(command: str) -> None:
    args = [command, "-h"] if command else ["-h"]
    short = run(*args, env={"COLUMNS": "80"})
    assert short.returncode == 0, short.stderr
    assert short.stdout == run(*args[:-1], "--help", env={"COLUMNS": "80"}).stdout
    lines = short.stdout.splitlines()
    too_wide = [line for line in lines if _width(line) > 80]
    assert too_wide == []
    # No line cut short (the Usage line's `[ARGS]...` is click's own).
    assert [line for line in lines[1:] if line.rstrip().endswith(("...", "…"))] == []
    # Every word of every option's help is printed whole (wrapping only at spaces).
    words = set(short.stdout.split())
    infos = [i for i in app.registered_commands if (i.callback and i.callback.__name__) == command]
    import inspect

    for info in infos:
        assert info.callback is not None
        for parameter in inspect.signature(info.callback).parameters.values():
            for meta in getattr(parameter.annotation, "__metadata__", ()):
                for word in (getattr(meta, "help", None) or "").split():
                    assert word in words, (command, word)


def test_help_shows_the_env_variables_of_sync_whole() -> None:
    text = run("sync", "--help", env={"COLUMNS": "80"}).stdout
    for name in (
        "DOMAINCHECK_ALIPAY_APP_ID",
        "DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE",
        "DOMAINCHECK_ALIPAY_ALIPAY_PUBLIC_KEY_FILE",
        "DOMAINCHECK_ALIPAY_APP_AUTH_TOKEN",
        "DOMAINCHECK_ALIPAY_GATEWAY",
    ):
        assert re.search(rf"(?<![A-Z_]){name}(?![A-Z_])", text), name


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_quiet_and_verbose(command: str) -> None:
    text = run(command, "--help").stdout
    assert "-q, --quiet" in text and "-v, --verbose" in text


def test_quiet_verbose_and_both(tmp_path: Path) -> None:
    normal = run("check", "--offline", cwd=tmp_path)
    assert normal.stderr.startswith("domaincheck: 1 passed")
    quiet = run("check", "--offline", "-q", cwd=tmp_path)
    assert (
        quiet.returncode == 0
        and quiet.stderr == ""
        and quiet.stdout
        == normal.stdout.replace(normal.stdout.splitlines()[0], quiet.stdout.splitlines()[0])
    )
    verbose = run("whitelist", "-v", cwd=tmp_path)
    assert "registry" in verbose.stderr and "project file none" in verbose.stderr
    both = run("regions", "-q", "-v", cwd=tmp_path)
    assert both.returncode == 2 and "--quiet or --verbose" in both.stderr


def test_colour_follows_no_color_and_force_color(tmp_path: Path) -> None:
    piped = run("check", "--offline", cwd=tmp_path)
    assert not ANSI.search(piped.stdout)  # a pipe gets no colour
    forced = run("check", "--offline", env={"FORCE_COLOR": "1"}, cwd=tmp_path)
    assert "\x1b[1;32mPASSED\x1b[0m" in forced.stdout
    assert ANSI.sub("", forced.stdout).splitlines()[1:] == piped.stdout.splitlines()[1:]
    both = run("check", "--offline", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}, cwd=tmp_path)
    assert not ANSI.search(both.stdout)  # NO_COLOR wins
    as_json = run("check", "--offline", "-f", "json", env={"FORCE_COLOR": "1"}, cwd=tmp_path)
    assert not ANSI.search(as_json.stdout)  # data formats never


def test_choices_are_case_insensitive_and_short_options_consistent(tmp_path: Path) -> None:
    upper = run("whitelist", "-p", "WeChat", "-f", "JSON", cwd=tmp_path)
    assert upper.returncode == 0, upper.stderr
    assert '"platform": "wechat"' in upper.stdout
    assert run("regions", "-f", "json", cwd=tmp_path).stdout.lstrip().startswith("{")
    sync_help = run("sync", "-h").stdout
    assert "-p, --platform" in sync_help and "-f, --format" in sync_help
    wrote = run("init", "-p", "ALIPAY", "--no-compact", "-r", "cn1", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert "compact: false" in (tmp_path / "domaincheck.yaml").read_text(encoding="utf-8")
    compact = run("init", "--compact", "--force", cwd=tmp_path)
    assert compact.returncode == 0, compact.stderr
    assert "compact: true" in (tmp_path / "domaincheck.yaml").read_text(encoding="utf-8")


def test_diff_reads_the_console_list_from_stdin(tmp_path: Path) -> None:
    """`domaincheck whitelist | domaincheck diff -`: the list just printed is all the console needs."""
    listing = run("whitelist", cwd=tmp_path).stdout
    piped = run("diff", "-", stdin=listing, cwd=tmp_path)
    assert piped.returncode == 0, piped.stdout + piped.stderr
    (tmp_path / "console.txt").write_text(listing, encoding="utf-8")
    from_file = run("diff", "console.txt", cwd=tmp_path)
    assert piped.stdout.splitlines()[1:] == from_file.stdout.splitlines()[1:]
    first_host = next(line for line in listing.splitlines() if not line.startswith("#"))
    missing = run("diff", "-", stdin=first_host + "\n", cwd=tmp_path)
    assert missing.returncode == 1 and "missing from the console" in missing.stdout


def test_progress_is_silent_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = run(
        "check", "--resolver", "127.0.0.1:9", "--timeout", "0.2", "-e", "https://a.invalid",
        cwd=tmp_path,
    )  # fmt: skip
    assert "\r" not in result.stderr and not ANSI.search(result.stderr)
    assert result.stderr.count("\n") == 1  # the summary line alone


def test_terminal_progress_draws_hosts_done_and_elapsed_then_erases() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream, Verbosity.NORMAL)
    progress.started(2)
    progress.host_done("a1.easemob.com", [CheckResult("a1.easemob.com", "dns", Status.PASS, "ok")])
    progress.host_done("a2.easemob.com", [CheckResult("a2.easemob.com", "dns", Status.FAIL, "no")])
    progress.finished()
    text = stream.getvalue()
    assert "probing hosts 0/2 · 0.0 s" in text
    assert re.search(r"probing hosts 2/2 · \d+\.\d s · a2\.easemob\.com", text)
    assert text.endswith("\r\x1b[2K")  # the line is gone when the report prints
    verbose = io.StringIO()
    loud = TerminalProgress(verbose, Verbosity.VERBOSE)
    loud.started(1)
    loud.host_done("a2.easemob.com", [CheckResult("a2.easemob.com", "dns", Status.FAIL, "no")])
    loud.finished()
    assert "  [1/1] a2.easemob.com: fail (dns)\n" in verbose.getvalue()


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("domaincheck ch", "1", "check"),
        ("domaincheck check --off", "2", "--offline"),
        ("domaincheck whitelist --platform we", "3", "wechat"),
    ],
)
def test_shell_completion(words: str, cword: str, expected: str) -> None:
    env = {"_DOMAINCHECK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = subprocess.run(
        [str(SCRIPT)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected]


def test_completion_script_is_offered() -> None:
    result = subprocess.run(
        [str(SCRIPT), "--show-completion", "bash"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "_domaincheck_completion" in result.stdout
