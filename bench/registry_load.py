"""How long loading the built-in region registry takes, with and without the parsed-registry cache.

Run: python bench/registry_load.py [RUNS]. Each figure is the median of RUNS fresh interpreters,
so imports are counted the way a command pays them (typer is imported first, as the CLI does).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

PROBE = """
import time, sys
import typer
t0 = time.perf_counter()
from domaincheck.registry.loader import load_registry
t1 = time.perf_counter()
load_registry()
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000, int("yaml" in sys.modules))
"""


def measure(runs: int, cache_dir: str) -> tuple[float, float, bool]:
    env = {**os.environ, "DOMAINCHECK_CACHE_DIR": cache_dir}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its .pyc files
    imports, loads, yaml_seen = [], [], False
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        imports.append(float(out[0]))
        loads.append(float(out[1]))
        yaml_seen = yaml_seen or out[2] == "1"
    return statistics.median(imports), statistics.median(loads), yaml_seen


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as cache:
        measure(1, cache)  # fill the cache (and the .pyc files)
        rows = [
            ("no cache (imports PyYAML)", *measure(runs, "")),
            ("cached", *measure(runs, cache)),
        ]
    print(f"median of {runs} runs, after `import typer`")
    for name, imp, load, yaml_seen in rows:
        print(
            f"  {name:28} import loader {imp:6.2f} ms   load_registry() {load:6.2f} ms   yaml imported: {yaml_seen}"
        )


if __name__ == "__main__":
    main()
