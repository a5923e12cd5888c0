"""Progress of the live checks on stderr: one status line on a terminal, rewritten in place.

`domaincheck: probing hosts 12/40 · 3.4 s · a1.easemob.com` is redrawn as each host finishes and
every half second while the slow ones still run, then erased, so the report and the summary line
are all that stays. With --verbose each host also leaves one line of its own. It is shown only when
stderr is a terminal (CI logs get no control characters) and never with --quiet or --no-progress.
"""

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from domaincheck.cli._common import Verbosity, say_line
from domaincheck.core.untrusted import escape

if TYPE_CHECKING:
    from domaincheck.core.model import CheckResult

_ERASE = "\r\x1b[2K"
_TICK_SECONDS = 0.5


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def host_line(done: int, total: int, host: str, results: Sequence["CheckResult"]) -> str:
    """`  [3/40] a1.easemob.com: fail (dns)`: a host's worst status and the checks that gave it."""
    from domaincheck.core.model import STATUS_ORDER

    worst = min((r.status for r in results), key=STATUS_ORDER.index, default=None)
    bad = sorted({r.check for r in results if r.status is worst})
    shown = f"{worst.value} ({', '.join(bad)})" if worst and worst.value != "pass" else "pass"
    return f"  [{done}/{total}] {host}: {shown}"


class TerminalProgress:
    """A `ProgressObserver` that keeps one status line on a terminal's stderr up to date."""

    def __init__(self, stream: TextIO, level: Verbosity) -> None:
        self.stream = stream
        self.level = level
        self.total = 0
        self.done = 0
        self.last = ""
        self.started_at = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def _status(self) -> str:
        elapsed = time.monotonic() - self.started_at
        last = f" · {escape(self.last)}" if self.last else ""
        return f"domaincheck: probing hosts {self.done}/{self.total} · {elapsed:.1f} s{last}"

    def _draw(self, permanent: str | None = None) -> None:
        with self._lock:
            text = _ERASE
            if permanent is not None:
                text += escape(permanent) + "\n"
            self.stream.write(text + self._status())
            self.stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(_TICK_SECONDS):
            self._draw()

    def started(self, hosts: int) -> None:
        self.total = hosts
        self.started_at = time.monotonic()
        self._draw()
        self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
        self._ticker.start()

    def host_done(self, host: str, results: Sequence["CheckResult"]) -> None:
        self.done += 1
        self.last = host
        permanent = None
        if self.level >= Verbosity.VERBOSE:
            permanent = host_line(self.done, self.total, host, results)
        self._draw(permanent)

    def finished(self) -> None:
        """Stops the ticker and erases the status line; safe to call more than once."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
            with self._lock:
                self.stream.write(_ERASE)
                self.stream.flush()


class LineProgress:
    """--verbose when stderr is not a terminal: one plain line per host, no control characters."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def started(self, hosts: int) -> None:
        self.total = hosts

        say_line(f"domaincheck: probing {_plural(hosts, 'host')}...")

    def host_done(self, host: str, results: Sequence["CheckResult"]) -> None:

        self.done += 1
        say_line(host_line(self.done, self.total, host, results))

    def finished(self) -> None:
        pass
