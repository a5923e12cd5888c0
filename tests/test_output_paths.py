"""Output that is complete or an error: real pipes, special files, destinations checked first, Ctrl-C.

Most of these run the real program in a subprocess, since what they are about (a pipe's reader
that is slow or gone, a descriptor left non-blocking, a FIFO, a signal) does not exist inside
CliRunner. None of them writes to a device of the machine: the special files are FIFOs made in
the test's own folder.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from domaincheck.core.errors import OutputFileError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.files.atomic import atomic_write_all
from domaincheck.files.output import DestinationKind, check_destination, write_all
from tests.lab.lab import Lab
from tests.lab.servers import free_port

HANG_LIMIT = 60
# Enough --extra hosts that the offline JSON report is well over a pipe's 64 KiB buffer.
MANY_EXTRAS = [arg for i in range(400) for arg in ("--extra", f"https://h{i}.example.com")]
BIG_OFFLINE = ["check", "--offline", "--platform", "wechat", "--format", "json", *MANY_EXTRAS]


def program(*args: str) -> list[str]:
    return [sys.executable, "-m", "domaincheck", *args]


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "DOMAINCHECK_CACHE_DIR": "", "NO_COLOR": "1", **extra}


def read_slowly(fd: int, wait: float) -> bytes:
    """Everything the writer sends, read only after `wait` seconds (a slow consumer)."""
    time.sleep(wait)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def run_into_pipe(
    args: list[str], cwd: Path, *, non_blocking: bool, wait: float
) -> tuple[int, bytes, str]:
    read_end, write_end = os.pipe()
    # A pipe whose writing end another process left non-blocking: the flag belongs to the open
    # file, so the child inherits it (as from CI runners and event loops that set it on stdio).
    os.set_blocking(write_end, not non_blocking)
    proc = subprocess.Popen(
        program(*args),
        stdout=write_end,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=environment(PYTHONUNBUFFERED="1"),
    )
    os.close(write_end)
    try:
        data = read_slowly(read_end, wait)
        _, stderr = proc.communicate(timeout=HANG_LIMIT)
    finally:
        os.close(read_end)
    return proc.returncode, data, stderr.decode()


# --- 1. every byte reaches the reader -------------------------------------------------------------


def test_a_slow_reader_on_a_non_blocking_pipe_gets_the_whole_report(tmp_path: Path) -> None:
    reference = tmp_path / "reference.json"
    expected = subprocess.run(
        program(*BIG_OFFLINE, "--output", str(reference)),
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        timeout=HANG_LIMIT,
    )
    whole = reference.read_bytes()
    assert len(whole) > 2 * 65536
    code, data, stderr = run_into_pipe(BIG_OFFLINE, tmp_path, non_blocking=True, wait=1.0)
    assert code == expected.returncode == ExitCode.FAILED, stderr  # over WeChat's 200 entries
    assert "Traceback" not in stderr
    piped, written = json.loads(data), json.loads(whole)  # whole JSON, or this fails
    assert piped["whitelist"] == written["whitelist"]
    assert len(piped["results"]) == len(written["results"])


def test_the_live_report_through_a_slow_pipe_is_whole(lab: Lab, tmp_path: Path) -> None:
    # The repro: PYTHONUNBUFFERED=1, the event loop of the live run, a reader that starts
    # late. Every region's hosts are asked of the lab's DNS (which knows none of them), so the
    # JSON report is large and the run short.
    args = [
        "check",
        "--platform",
        "wechat",
        "--format",
        "json",
        "--timeout",
        "2",
        "--resolver",
        f"127.0.0.1:{lab.dns.port}",
        "--ca-bundle",
        str(lab.pki.ca_bundle),
        "--allow-private-dns",
        *[arg for r in ("cn1", "cn2", "sgp1", "sgp2", "use1", "de2") for arg in ("-r", r)],
    ]
    code, data, stderr = run_into_pipe(args, tmp_path, non_blocking=False, wait=3.0)
    assert code == ExitCode.FAILED, stderr
    assert len(data) > 65536
    report = json.loads(data)
    assert report["results"]


def test_write_all_waits_on_a_full_non_blocking_descriptor() -> None:
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    payload = os.urandom(600_000)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(read_slowly(read_end, 0.3)))
    reader.start()
    try:
        write_all(write_end, payload)
    finally:
        os.close(write_end)
        reader.join(HANG_LIMIT)
        os.close(read_end)
    assert got == [payload]


# --- 2. exit paths --------------------------------------------------------------------------------


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        program(*BIG_OFFLINE),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        env=environment(PYTHONUNBUFFERED="1"),
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)  # `| head -c 100`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(HANG_LIMIT)
    assert head.startswith(b"{")
    assert "Traceback" not in stderr and "Broken pipe" not in stderr and "Exception" not in stderr
    assert len(stderr.splitlines()) == 1, stderr  # the summary line


def test_a_full_disk_on_stdout_is_one_line_and_a_failure(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            program(*BIG_OFFLINE),
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=environment(),
            timeout=HANG_LIMIT,
        )
    stderr = done.stderr.decode()
    assert done.returncode != 0
    assert "Traceback" not in stderr
    assert stderr.splitlines() == ["domaincheck: stdout: cannot write: No space left on device"]


@pytest.mark.parametrize(
    "args",
    [["explain"], ["explain", "tls.expiry"], ["explain", "dns.*"], ["--version"]],
    ids=" ".join,
)
def test_a_full_disk_under_the_short_answers_is_one_line_too(
    tmp_path: Path, args: list[str]
) -> None:
    # Answers that fit a pipe's buffer fail at the write (or the flush at exit), not on the way.
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            program(*args),
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=environment(),
            timeout=HANG_LIMIT,
        )
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    assert stderr.splitlines() == ["domaincheck: stdout: cannot write: No space left on device"]
    assert done.returncode == ExitCode.BAD_INPUT


@pytest.mark.parametrize(
    "args",
    [["whitelist"], ["check", "--offline", "--format", "json"], ["explain", "tls"]],
    ids=" ".join,
)
def test_a_closed_stdout_is_one_line_and_a_failure(tmp_path: Path, args: list[str]) -> None:
    # `>&-`: the program starts without a descriptor 1, and Python's sys.stdout is None.
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *program(*args)],
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr
    assert stderr.splitlines()[-1] == "domaincheck: stdout: cannot write: it is closed"
    assert done.returncode == ExitCode.BAD_INPUT


def test_diff_from_a_closed_stdin_is_one_line_and_bad_input(tmp_path: Path) -> None:
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", *program("diff", "-")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "domaincheck: <stdin>: cannot read console list: it is closed"
    ]
    assert done.returncode == ExitCode.BAD_INPUT
    assert done.stdout == ""


# Sends the process a real SIGINT while `domaincheck.cli.app` (typer and the commands) is being
# imported, then runs the program's entry point as the console script does. Ctrl-C is first made
# to raise KeyboardInterrupt, as in a program started from a terminal: a test runner started in
# the background may have passed on SIGINT ignored.
CTRL_C_WHILE_LOADING = """
import os, signal, sys

signal.signal(signal.SIGINT, signal.default_int_handler)

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "domaincheck.cli.app":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
from domaincheck.__main__ import main
sys.argv = ["domaincheck", "whitelist"]
main()
"""


def test_ctrl_c_while_the_program_loads_is_130_and_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_LOADING],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == ["domaincheck: interrupted"]
    assert done.returncode == ExitCode.INTERRUPTED
    assert done.stdout == ""


def test_ctrl_c_during_the_live_checks_is_130_and_one_line(tmp_path: Path) -> None:
    # A resolver that takes the queries and never answers: the first query to reach it says the
    # live run has started, and Ctrl-C lands in the middle of it.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.settimeout(HANG_LIMIT)
        args = ["check", "--resolver", f"127.0.0.1:{silent.getsockname()[1]}", "--timeout", "30"]
        proc = subprocess.Popen(
            program(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
            env=environment(),
        )
        silent.recvfrom(512)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=HANG_LIMIT)
    assert proc.returncode == ExitCode.INTERRUPTED == 130
    assert err.decode().splitlines() == ["domaincheck: interrupted"]
    assert out == b""


def test_every_command_ends_ctrl_c_with_the_same_words() -> None:
    from domaincheck.cli.app import app

    for info in app.registered_commands:
        assert info.callback is not None
        assert getattr(info.callback, "__wrapped__", None) is not None, info.callback.__name__


def test_an_interruption_while_writing_reports_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "a.json"
    old.write_text("old", encoding="utf-8")
    real_fsync = os.fsync
    calls = []

    def interrupted_on_the_second(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupted_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_all([(old, "new a"), (tmp_path / "b.xml", "new b")])
    assert sorted(os.listdir(tmp_path)) == ["a.json"]
    assert old.read_text(encoding="utf-8") == "old"


def test_ctrl_c_during_the_renames_comes_after_the_whole_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace_then_ctrl_c(src: str, dst: object) -> None:
        real_replace(src, dst)  # type: ignore[arg-type]
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(os, "replace", replace_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_all([(tmp_path / "a.json", "a"), (tmp_path / "b.xml", "b")])
    assert sorted(os.listdir(tmp_path)) == ["a.json", "b.xml"]


# --- 3. destinations checked before any network work ----------------------------------------------


def dead_resolver() -> list[str]:
    return ["--resolver", f"127.0.0.1:{free_port()}", "--timeout", "5"]


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("missing/report.xml", "the folder"),
        (".", "is a folder"),
    ],
)
def test_a_report_destination_that_cannot_be_written_stops_the_run_before_it_starts(
    tmp_path: Path, where: str, words: str
) -> None:
    first = tmp_path / "first.json"
    done = subprocess.run(
        program(
            "check",
            *dead_resolver(),
            "--output",
            str(first),
            "--report",
            f"junit:{tmp_path / where}",
        ),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert words in done.stderr and "--report" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert not first.exists()  # nothing was run, so nothing was written


def test_dash_means_stdout_for_output_and_report(tmp_path: Path) -> None:
    as_output = subprocess.run(
        program("check", "--offline", "--format", "json", "--output", "-"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    as_report = subprocess.run(
        program("check", "--offline", "--output", str(tmp_path / "r.txt"), "--report", "json:-"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    assert as_output.returncode == as_report.returncode == ExitCode.PASSED
    assert json.loads(as_output.stdout)["whitelist"] == json.loads(as_report.stdout)["whitelist"]
    assert not (tmp_path / "-").exists()
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith("domaincheck")


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            got.append(handle.read())

    reader = threading.Thread(target=read)
    reader.start()
    done = subprocess.run(
        program("check", "--offline", "--format", "json", "--output", str(fifo)),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    reader.join(HANG_LIMIT)
    assert done.returncode == ExitCode.PASSED, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(got[0])["whitelist"]
    assert sorted(os.listdir(tmp_path)) == ["report.fifo"]


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "latest.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    done = subprocess.run(
        program("check", "--offline", "--report", f"json:{link}"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment(),
        timeout=HANG_LIMIT,
    )
    assert done.returncode == ExitCode.PASSED, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text(encoding="utf-8"))["whitelist"]
    assert sorted(os.listdir(tmp_path / "reports")) == ["latest.json"]


@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout", "/dev/stderr"])
def test_devices_are_written_through(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert check_destination(device).kind is DestinationKind.SPECIAL


def test_destination_problems_are_one_line_each(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match=r"the folder .* does not exist"):
        check_destination(tmp_path / "nope" / "r.json")
    with pytest.raises(OutputFileError, match="is a folder"):
        check_destination(tmp_path)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "gone" / "r.json")
    with pytest.raises(OutputFileError, match="does not exist"):
        check_destination(dangling)
    assert check_destination("-").kind is DestinationKind.STDOUT
    assert check_destination(tmp_path / "new.json").kind is DestinationKind.FILE


def test_init_follows_a_symlink_and_writes_through_a_fifo(tmp_path: Path) -> None:
    real = tmp_path / "configs" / "domaincheck.yaml"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "domaincheck.yaml"
    link.symlink_to(real)
    done = subprocess.run(
        program("init", "--platform", "wechat", "--force", "--project", str(link)),
        capture_output=True, text=True, cwd=tmp_path, env=environment(), timeout=HANG_LIMIT,
    )  # fmt: skip
    assert done.returncode == ExitCode.PASSED, done.stderr
    assert link.is_symlink() and "platform: wechat" in real.read_text(encoding="utf-8")
    fifo = tmp_path / "piped.yaml"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    done = subprocess.run(
        program("init", "--platform", "wechat", "--force", "--project", str(fifo)),
        capture_output=True, text=True, cwd=tmp_path, env=environment(), timeout=HANG_LIMIT,
    )  # fmt: skip
    reader.join(HANG_LIMIT)
    assert done.returncode == ExitCode.PASSED, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and b"platform: wechat" in got[0]
