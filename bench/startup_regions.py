"""Start-up of `domaincheck regions` next to `python -c "import typer"` (the budget is 1.3x).

Run: python bench/startup_regions.py [RUNS]. Runs the two commands alternately in fresh processes
and prints the median and the minimum wall time of each, and their ratio. The registry cache is
warmed first, as on any run after the first.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    commands = {
        "import typer": [sys.executable, "-c", "import typer"],
        "domaincheck regions": [
            os.path.join(os.path.dirname(sys.executable), "domaincheck"),
            "regions",
        ],
    }
    subprocess.run(commands["domaincheck regions"], env=env, capture_output=True, check=True)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
            times[name].append((time.perf_counter() - start) * 1000)
    base = statistics.median(times["import typer"])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:22} median {median:6.1f} ms  min {min(values):6.1f} ms  ratio {median / base:.2f}"
        )


if __name__ == "__main__":
    main()
