"""Start-up time of the offline commands against `python -c "import typer"`, side by side.

The budget (issue 2): `domaincheck whitelist` must start within 1.3x of importing typer. Runs the
commands interleaved, many times, and compares the minimum and the median wall time of each, so a
busy machine slows both sides alike. Uses hyperfine as well when it is installed.

    python bench/startup.py [--runs 40] [--budget 1.3]

Exits 1 when the median ratio of `whitelist` is over the budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
DOMAINCHECK = os.path.join(BIN, "domaincheck")

COMMANDS: dict[str, list[str]] = {
    "import typer": [PYTHON, "-c", "import typer"],
    "domaincheck whitelist": [DOMAINCHECK, "whitelist"],
    "domaincheck whitelist --platform wechat --region cn1 --region sgp1": [
        DOMAINCHECK,
        "whitelist",
        "--platform",
        "wechat",
        "--region",
        "cn1",
        "--region",
        "sgp1",
    ],
    "domaincheck whitelist --compact --format json": [
        DOMAINCHECK,
        "whitelist",
        "--compact",
        "--format",
        "json",
    ],
    "domaincheck --version": [DOMAINCHECK, "--version"],
}


# As an installed tool runs: with compiled bytecode. An environment that sets
# PYTHONDONTWRITEBYTECODE would otherwise recompile an editable checkout on every run (~20 ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--budget", type=float, default=1.3)
    parser.add_argument("--no-hyperfine", action="store_true")
    args = parser.parse_args()

    env_note = os.environ.get("DOMAINCHECK_CACHE_DIR")
    if env_note is not None:
        print(f"DOMAINCHECK_CACHE_DIR={env_note!r}")
    for argv in COMMANDS.values():  # warm up: .pyc files, the registry cache, the page cache
        for _ in range(3):
            _run(argv)

    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, argv in COMMANDS.items():  # interleaved, so load spikes hit every command
            times[name].append(_run(argv))

    base_min = min(times["import typer"])
    base_median = statistics.median(times["import typer"])
    print(f"{'command':<70} {'min ms':>8} {'median ms':>10} {'ratio min':>10} {'ratio median':>13}")
    for name, samples in times.items():
        low, mid = min(samples), statistics.median(samples)
        print(
            f"{name:<70} {low * 1000:8.1f} {mid * 1000:10.1f} "
            f"{low / base_min:10.2f} {mid / base_median:13.2f}"
        )
    ratio = statistics.median(times["domaincheck whitelist"]) / base_median
    verdict = "within" if ratio <= args.budget else "OVER"
    print(
        f"\ndomaincheck whitelist: {ratio:.2f}x import typer (median), {verdict} the {args.budget}x budget"
    )

    if not args.no_hyperfine and shutil.which("hyperfine"):
        print("\nhyperfine, for comparison:")
        subprocess.run(
            [
                "hyperfine",
                "-N",
                "--warmup",
                "5",
                "--runs",
                str(args.runs),
                f"{PYTHON} -c 'import typer'",
                f"{DOMAINCHECK} whitelist",
            ],
            check=False,
            env=ENV,
        )
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
