"""Start-up time of the offline commands against `python -c "import typer"`, side by side.

The budget (issue 2): `domaincheck whitelist` and `regions` must start within 1.3x of importing
typer. Runs the commands interleaved, many times, and compares the minimum and the median wall time
of each, so a busy machine slows both sides alike. Uses hyperfine as well when it is installed.

Measure an installed tool, as a user runs it: install with `pip install .` (not `-e`) into a venv
outside the checkout and run this script with that venv's python. The commands run from an empty
temporary folder, so no project file is read and `python -m` cannot pick up the checkout.

    /path/to/venv/bin/python bench/startup.py [--runs 40] [--budget 1.3]

Exits 1 when the median ratio of `whitelist` or `regions` is over the budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
DOMAINCHECK = os.path.join(BIN, "domaincheck")
CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASELINE = "import typer"
BUDGETED = ("domaincheck whitelist", "domaincheck regions")
COMMANDS: dict[str, list[str]] = {
    BASELINE: [PYTHON, "-c", "import typer"],
    "domaincheck whitelist": [DOMAINCHECK, "whitelist"],
    "domaincheck regions": [DOMAINCHECK, "regions"],
    "python -m domaincheck whitelist": [PYTHON, "-m", "domaincheck", "whitelist"],
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


def _run(argv: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV, cwd=cwd
    )
    return time.perf_counter() - start


def _installed_from() -> str:
    """Where the measured interpreter imports domaincheck from."""
    done = subprocess.run(
        [PYTHON, "-c", "import domaincheck; print(domaincheck.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
        cwd=tempfile.gettempdir(),
    )
    return os.path.dirname(done.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--budget", type=float, default=1.3)
    parser.add_argument("--no-hyperfine", action="store_true")
    args = parser.parse_args()

    package = _installed_from()
    print(f"domaincheck from {package}")
    if os.path.commonpath([package, CHECKOUT]) == CHECKOUT:
        print("note: that is this checkout (an editable install); `pip install .` into another")
        print("      venv and run this script with its python to measure the tool as users get it")
    env_note = os.environ.get("DOMAINCHECK_CACHE_DIR")
    if env_note is not None:
        print(f"DOMAINCHECK_CACHE_DIR={env_note!r}")

    with tempfile.TemporaryDirectory(prefix="domaincheck-startup-") as cwd:
        over = _compare(args.runs, args.budget, cwd)
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
                    f"{DOMAINCHECK} regions",
                ],
                check=False,
                env=ENV,
                cwd=cwd,
            )
    return 1 if over else 0


def _compare(runs: int, budget: float, cwd: str) -> bool:
    """Prints the table and the verdicts; True when a budgeted command is over `budget`."""
    for argv in COMMANDS.values():  # warm up: .pyc files, the registry cache, the page cache
        for _ in range(3):
            _run(argv, cwd)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, argv in COMMANDS.items():  # interleaved, so load spikes hit every command
            times[name].append(_run(argv, cwd))

    base_min = min(times[BASELINE])
    base_median = statistics.median(times[BASELINE])
    print(f"\n{runs} interleaved runs each")
    print(f"{'command':<68} {'min ms':>7} {'median ms':>10} {'ratio min':>10} {'ratio median':>13}")
    for name, samples in times.items():
        low, mid = min(samples), statistics.median(samples)
        print(
            f"{name:<68} {low * 1000:7.1f} {mid * 1000:10.1f} "
            f"{low / base_min:10.2f} {mid / base_median:13.2f}"
        )
    print()
    over = False
    for name in BUDGETED:
        ratio = statistics.median(times[name]) / base_median
        verdict = "within" if ratio <= budget else "OVER"
        over = over or ratio > budget
        print(f"{name}: {ratio:.2f}x {BASELINE} (median), {verdict} the {budget}x budget")
    return over


if __name__ == "__main__":
    sys.exit(main())
