"""Speed of the live checks against a loopback lab (a script, not a test).

    python bench/live_checks.py [--delay-min 0.02] [--delay-max 0.1] [--timeout 3] [--big 500]
                                [--sslyze /tmp/sslyze-venv/bin/sslyze]

Starts the lab: a DNS server and one TLS server per host, each host on its own loopback address
(127.0.x.y) on one shared port, a delay injected before each step it serves (the DNS answer, the
TLS handshake, the HTTP or WebSocket answer). Then runs `domaincheck check --format json` as a
subprocess with --resolver, --connect-to and --ca-bundle pointing at the lab, and prints in one run:

  1. N=30: wall time against the ideal, the slowest host's probe chain run alone (goal <= 1.2x);
  2. the cost of one host that never answers the TLS handshake (goal <= timeout + 10%);
  3. N=500: wall time, peak memory (max RSS) of the check, and the same hosts' TLS chain check by
     sslyze --certinfo as a ratio (goal >= 5x faster); the best of --big-repeat runs of each tool,
     as the machine is shared and noisy. sslyze is not a project dependency: install
     it into a separate venv, e.g. python3 -m venv /tmp/sslyze-venv &&
     /tmp/sslyze-venv/bin/pip install sslyze; without it that line is skipped.

Half the hosts are request hosts (HTTPS GET), half socket hosts (WebSocket upgrade).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lab.dnsserver import DnsServer, ZoneEntry  # noqa: E402
from tests.lab.loop import BackgroundLoop  # noqa: E402
from tests.lab.pki import LabPki, server_context  # noqa: E402
from tests.lab.servers import LabServer, Transport  # noqa: E402

DOMAIN = "bench.test"


@dataclass
class BenchHost:
    name: str
    address: str
    delay: float
    websocket: bool
    dead: bool = False

    @property
    def extra(self) -> str:
        return f"wss://{self.name}/websocket" if self.websocket else f"https://{self.name}"


def address_for(index: int) -> str:
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


class BenchLab:
    """DNS + one server per host, on a background loop; hosts are added as needed."""

    def __init__(self, directory: Path) -> None:
        self.pki = LabPki(directory)
        files = self.pki.leaf(f"*.{DOMAIN}")
        self.context = server_context(files)
        self.loop = BackgroundLoop()
        self.zone: dict[str, ZoneEntry] = {}
        self.dns = self.loop.call(DnsServer(self.zone).start())
        self.port = self._pick_port()
        self.servers: dict[str, LabServer] = {}

    @staticmethod
    def _pick_port() -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    def add(self, host: BenchHost) -> None:
        if host.name in self.servers:
            return
        self.zone[host.name] = ZoneEntry(a=(host.address,), delay=host.delay)
        server = LabServer(
            transport=Transport.SILENT if host.dead else Transport.TLS,
            context=self.context,
            delay=host.delay,
            host=host.address,
            port=self.port,
        )
        self.loop.call(server.start())
        self.servers[host.name] = server

    def stop(self) -> None:
        async def _stop() -> None:
            await self.dns.stop()
            for server in self.servers.values():
                await server.stop()

        self.loop.call(_stop())
        self.loop.stop()


@dataclass
class Run:
    wall: float
    max_rss_mb: float
    cpu: float
    report: dict[str, object]
    exit_code: int


def run_check(
    lab: BenchLab, hosts: list[BenchHost], timeout: float, concurrency: int | None, workdir: Path
) -> Run:
    for host in hosts:
        lab.add(host)
    out = workdir / "report.json"
    argv = [
        sys.executable,
        "-m",
        "domaincheck",
        "check",
        "--platform",
        "wechat",
        "--format",
        "json",
        "--output",
        str(out),
        "--resolver",
        f"127.0.0.1:{lab.dns.port}",
        "--allow-private-dns",
        "--connect-to",
        f":443::{lab.port}",
        "--ca-bundle",
        str(lab.pki.ca_bundle),
        "--timeout",
        str(timeout),
    ]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    for host in hosts:
        argv += ["--extra", host.extra]
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=workdir)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if not out.exists():
        raise SystemExit(
            f"domaincheck check wrote no report (exit {proc.returncode}):\n{stderr.decode()}"
        )
    report = json.loads(out.read_text())
    return Run(
        wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, report, proc.returncode
    )


def verdicts(report: dict[str, object], hosts: list[BenchHost]) -> dict[str, int]:
    """How many of the bench hosts' live results passed (sanity: the lab really answered)."""
    names = {h.name for h in hosts}
    counts: dict[str, int] = {}
    for result in report["results"]:  # type: ignore[union-attr]
        if result["target"] in names and result["check"] in ("dns", "tls", "https", "websocket"):
            counts[result["status"]] = counts.get(result["status"], 0) + 1
    return counts


def make_hosts(count: int, start: int, delay_min: float, delay_max: float) -> list[BenchHost]:
    hosts = []
    for i in range(count):
        index = start + i
        spread = (delay_max - delay_min) * (i / max(count - 1, 1))
        hosts.append(
            BenchHost(
                f"h{index}.{DOMAIN}",
                address_for(index),
                round(delay_min + spread, 4),
                websocket=i % 2 == 1,
            )
        )
    return hosts


def run_sslyze(sslyze: str, lab: BenchLab, hosts: list[BenchHost]) -> float:
    targets = [f"{h.name}:{lab.port}{{{h.address}}}" for h in hosts]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(targets) + "\n")
        target_file = handle.name
    argv = [
        sslyze,
        "--certinfo",
        f"--certinfo_ca_file={lab.pki.ca_bundle}",
        f"--targets_in={target_file}",
        "--quiet",
    ]
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--big", type=int, default=500)
    parser.add_argument("--delay-min", type=float, default=0.02)
    parser.add_argument("--delay-max", type=float, default=0.1)
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=None, help="default: the tool's default")
    parser.add_argument("--sslyze", default=shutil.which("sslyze") or "/tmp/sslyze-venv/bin/sslyze")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per small measurement (best taken)"
    )
    parser.add_argument(
        "--big-repeat",
        type=int,
        default=3,
        help="runs of the big measurement per tool (best taken)",
    )
    args = parser.parse_args()

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    workdir = Path(tempfile.mkdtemp(prefix="dc-bench-"))
    lab = BenchLab(workdir / "pki")
    print(
        f"lab: DNS on 127.0.0.1:{lab.dns.port}, TLS on port {lab.port} of 127.0.x.y, "
        f"delay {args.delay_min * 1000:g}-{args.delay_max * 1000:g} ms per step, timeout {args.timeout:g} s"
    )

    def best(hosts: list[BenchHost]) -> Run:
        runs = [
            run_check(lab, hosts, args.timeout, args.concurrency, workdir)
            for _ in range(args.repeat)
        ]
        return min(runs, key=lambda r: r.wall)

    try:
        hosts = make_hosts(args.n, 0, args.delay_min, args.delay_max)
        slowest = max(hosts, key=lambda h: h.delay)
        alone = best([slowest])
        full = best(hosts)
        ratio = full.wall / alone.wall
        print(
            f"\n1. N={args.n}: {full.wall:.3f} s; ideal (slowest host alone, delay "
            f"{slowest.delay * 1000:g} ms/step): {alone.wall:.3f} s; ratio {ratio:.2f}x "
            f"(goal <= 1.2x) {'OK' if ratio <= 1.2 else 'MISSED'}  live results {verdicts(full.report, hosts)}"
        )

        dead = BenchHost(
            f"dead.{DOMAIN}", address_for(args.n + args.big + 1), 0.0, websocket=False, dead=True
        )
        quick = make_hosts(1, args.n + args.big + 2, args.delay_min, args.delay_min)
        baseline = best(quick)
        dead_alone = best([dead])
        with_dead = best([*hosts, dead])
        cost = dead_alone.wall - baseline.wall
        limit = args.timeout * 1.1
        print(
            f"2. one never-answering host: alone {dead_alone.wall:.3f} s vs a quick host alone "
            f"{baseline.wall:.3f} s -> costs {cost:.3f} s (goal <= timeout + 10% = {limit:.2f} s) "
            f"{'OK' if cost <= limit else 'MISSED'}; N={args.n} plus the dead host: {with_dead.wall:.3f} s "
            f"(+{with_dead.wall - full.wall:.3f} s over N={args.n})"
        )

        big_hosts = make_hosts(args.big, args.n, args.delay_min, args.delay_max)
        for host in big_hosts:  # start the servers before the clock runs
            lab.add(host)
        big_runs = []
        for _ in range(args.big_repeat):
            lab_cpu = time.process_time()
            run = run_check(lab, big_hosts, args.timeout, args.concurrency, workdir)
            big_runs.append((run, time.process_time() - lab_cpu))
        big, lab_cpu = min(big_runs, key=lambda pair: pair[0].wall)
        print(
            f"3. N={args.big}: {big.wall:.3f} s, peak memory (max RSS) {big.max_rss_mb:.1f} MiB, CPU {big.cpu:.2f} s (the lab's servers: {lab_cpu:.2f} s), "
            f"live results {verdicts(big.report, big_hosts)}"
        )
        if Path(args.sslyze).exists():
            sslyze_wall = min(
                run_sslyze(args.sslyze, lab, big_hosts) for _ in range(args.big_repeat)
            )
            speedup = sslyze_wall / big.wall
            print(
                f"   sslyze --certinfo on the same {args.big} hosts: {sslyze_wall:.3f} s -> domaincheck "
                f"(DNS+TLS+HTTPS/WS) is {speedup:.1f}x faster (goal >= 5x) {'OK' if speedup >= 5 else 'MISSED'}"
            )
        else:
            print(f"   sslyze not found at {args.sslyze}: ratio skipped")
    finally:
        lab.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
