"""Wall time of `domaincheck check` against hostile servers (a script, not a test).

    python bench/hostile.py [--timeout 1] [--crowd 50] [--concurrency 5] [--repeat 3]

Starts the hostile lab (tests/lab/hostile.py) and runs `domaincheck check --format json` as a
subprocess, as a grader would, with --registry, --resolver, --connect-to and --ca-bundle, then
prints:

  1. the sweep: every hostile scenario (about 60 hosts) in one run, wall time against --timeout
     (all hosts run at once, so the goal is a small multiple of the timeout, not one per host);
  2. the crowd: --crowd hosts that each stall for a whole timeout (silent TLS, silent HTTP,
     silent or never-closing WebSocket, a trickling answer, a silent DNS server) at
     --concurrency N: wall time against the bound (crowd / concurrency) x timeout;
  3. the worst single host: a silent DNS server and a silent TLS port behind --connect-to
     (two timeouts in a row), and a dead resolver (port unreachable: no timeout at all).

Each figure is the best of --repeat runs (the machine is shared and noisy); every run must also
exit 1 with JSON on stdout and no traceback on stderr, or the script stops.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lab.dnsserver import Behaviour, ZoneEntry  # noqa: E402
from tests.lab.hostile import SCENARIOS, HostileLab, Scenario, start_hostile_lab  # noqa: E402
from tests.lab.servers import free_port  # noqa: E402

# Faults that each cost one whole timeout: (server, websocket, route, DNS entry).
STALLS: dict[str, tuple[str, bool, str, ZoneEntry]] = {
    "tls-silent": ("silent", False, "connect-to", ZoneEntry(a=("127.0.0.1",))),
    "http-silent": ("httpsilent", False, "connect-to", ZoneEntry(a=("127.0.0.1",))),
    "http-trickle": ("trickle", False, "connect-to", ZoneEntry(a=("127.0.0.1",))),
    "ws-silent": ("wssilent", True, "connect-to", ZoneEntry(a=("127.0.0.1",))),
    "ws-noclose": ("wsnoclose", True, "connect-to", ZoneEntry(a=("127.0.0.1",))),
    "dns-silent": ("good", False, "keep-name", ZoneEntry(behaviour=Behaviour.SILENT)),
}


def run_check(
    lab: HostileLab,
    directory: Path,
    scenarios: tuple[Scenario, ...],
    timeout: float,
    *options: str,
    resolver: str | None = None,
) -> tuple[float, dict[str, object]]:
    registry = directory / "bench-registry.yaml"
    registry.write_text(lab.registry_yaml(scenarios), encoding="utf-8")
    args = [
        sys.executable,
        "-m",
        "domaincheck",
        "check",
        "--platform",
        "wechat",
        "--registry",
        str(registry),
        "--region",
        "hostile",
        "--resolver",
        resolver or f"127.0.0.1:{lab.dns.port}",
        "--allow-private-dns",
        "--ca-bundle",
        str(lab.pki.ca_bundle),
        "--timeout",
        f"{timeout:g}",
        "--format",
        "json",
        *options,
        *[arg for s in scenarios for arg in lab.connect_to(s)],
    ]
    env = {**os.environ, "DOMAINCHECK_CACHE_DIR": ""}
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=directory, env=env, timeout=600)
    wall = time.perf_counter() - started
    if "Traceback" in done.stderr or done.returncode != 1:
        sys.exit(f"run failed (exit {done.returncode}):\n{done.stderr}")
    return wall, json.loads(done.stdout)


def best(repeat: int, action: object) -> tuple[float, dict[str, object]]:
    runs = [action() for _ in range(repeat)]  # type: ignore[operator]
    return min(runs, key=lambda r: r[0])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--crowd", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    timeout = options.timeout

    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        lab = start_hostile_lab(directory / "pki")
        try:
            wall, report = best(
                options.repeat, lambda: run_check(lab, directory, SCENARIOS, timeout)
            )
            hosts = len({s.host for s in SCENARIOS})
            print(
                f"sweep: {hosts} hostile hosts at once, timeout {timeout:g} s: "
                f"{wall:.2f} s = {wall / timeout:.1f}x the timeout "
                f"({report['summary']})"
            )

            kinds = list(STALLS)
            crowd = []
            for index in range(options.crowd):
                kind = kinds[index % len(kinds)]
                server, websocket, route, entry = STALLS[kind]
                scenario = Scenario(f"crowd{index}-{kind}", {}, server, websocket, route)
                lab.dns.zone[scenario.host] = entry
                crowd.append(scenario)
            crowd_hosts = tuple(crowd)
            concurrency = options.concurrency
            wall, report = best(
                options.repeat,
                lambda: run_check(
                    lab, directory, crowd_hosts, timeout, "--concurrency", str(concurrency)
                ),
            )
            bound = options.crowd / concurrency * timeout
            print(
                f"crowd: {options.crowd} hosts that each stall one timeout, --concurrency "
                f"{concurrency}: {wall:.2f} s against the bound {bound:.1f} s "
                f"(ratio {wall / bound:.2f})"
            )

            worst = Scenario("worst", {}, "silent", False, "connect-to")
            lab.dns.zone[worst.host] = ZoneEntry(behaviour=Behaviour.SILENT)
            wall, _ = best(options.repeat, lambda: run_check(lab, directory, (worst,), timeout))
            print(
                f"worst single host (silent DNS, then a silent TLS port): {wall:.2f} s "
                f"= {wall / timeout:.1f}x the timeout"
            )
            alone = next(s for s in SCENARIOS if s.name == "ws-good")
            dead = f"127.0.0.1:{free_port()}"
            wall, _ = best(
                options.repeat,
                lambda: run_check(lab, directory, (alone,), timeout, resolver=dead),
            )
            print(f"dead resolver (port unreachable), one host: {wall:.2f} s")
        finally:
            lab.stop()


if __name__ == "__main__":
    main()
