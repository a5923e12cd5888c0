"""The live checks at scale on the loopback lab: 5,000 hosts against 500 (a script, not a test).

    python bench/scale.py [--small 500] [--large 5000] [--concurrency 200] [--nofile 256]

Starts the lab of bench/live_checks.py (a DNS server and one TLS server per host on 127.0.x.y,
half request hosts, half socket hosts) and runs `domaincheck check --format json` as a subprocess
on N=--small and N=--large hosts, printing for each the wall time, the time per host and the peak
memory (max RSS) of the check, and the ratio of the large run's time per host to the small one's
(1.0 means the cost per host does not grow with the number of hosts). Goal for 5,000 hosts: at
most 10 s and 200 MiB.

Then the large run again with the child's open-file limit at --nofile (as `ulimit -n 256` gives
a CI container) and --concurrency 200: the count of results that say "Too many open files" must
be 0, since the runner caps the hosts probed at once by the descriptors it may open.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live_checks import BenchLab, make_hosts  # noqa: E402


def run(
    lab: BenchLab, hosts: list, concurrency: int, workdir: Path, nofile: int | None = None
) -> tuple[float, float, dict[str, object], int]:
    out = workdir / "report.json"
    argv = [
        sys.executable, "-m", "domaincheck", "check", "--platform", "wechat", "--format", "json",
        "--output", str(out), "--resolver", f"127.0.0.1:{lab.dns.port}", "--allow-private-dns",
        "--connect-to", f":443::{lab.port}", "--ca-bundle", str(lab.pki.ca_bundle),
        "--timeout", "5", "--concurrency", str(concurrency), "--region", "cn1",
    ]  # fmt: skip
    for host in hosts:
        argv += ["--extra", host.extra]

    def limit() -> None:
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=workdir, preexec_fn=limit
    )
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if not out.exists():
        raise SystemExit(f"no report (exit {os.waitstatus_to_exitcode(status)}):\n{stderr.decode()}")
    report = json.loads(out.read_text(encoding="utf-8"))
    emfile = sum("Too many open files" in str(r) for r in report["results"])  # type: ignore[union-attr]
    return wall, usage.ru_maxrss / 1024, report, emfile


def passed(report: dict[str, object], hosts: list) -> str:
    names = {h.name for h in hosts}
    counts: dict[str, int] = {}
    for result in report["results"]:  # type: ignore[union-attr]
        if result["target"] in names and result["check"] in ("dns", "tls", "https", "websocket"):
            counts[result["status"]] = counts.get(result["status"], 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--nofile", type=int, default=256)
    args = parser.parse_args()

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    workdir = Path(tempfile.mkdtemp(prefix="dc-scale-"))
    lab = BenchLab(workdir / "pki")
    try:
        hosts = make_hosts(args.large, 0, 0.0, 0.0)
        for host in hosts:  # every server up before any clock runs
            lab.add(host)
        small = hosts[: args.small]
        figures = {}
        for label, chosen in (("small", small), ("large", hosts)):
            wall, rss, report, _ = run(lab, chosen, args.concurrency, workdir)
            figures[label] = wall / len(chosen)
            print(
                f"N={len(chosen)}: {wall:.2f} s ({wall / len(chosen) * 1000:.2f} ms per host), "
                f"peak memory {rss:.0f} MiB; live results {passed(report, chosen)}"
            )
        print(f"time per host, N={args.large} against N={args.small}: {figures['large'] / figures['small']:.2f}x")
        wall, rss, report, emfile = run(lab, hosts, args.concurrency, workdir, nofile=args.nofile)
        print(
            f"N={args.large} with ulimit -n {args.nofile} and --concurrency {args.concurrency}: "
            f"{wall:.2f} s, peak memory {rss:.0f} MiB, results saying 'Too many open files': "
            f"{emfile} (goal 0); live results {passed(report, hosts)}"
        )
    finally:
        lab.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
