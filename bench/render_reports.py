"""Render times and sizes of every report format for a large run (a script, not a test).

    python bench/render_reports.py [--hosts 125] [--repeat 20]

Builds a report of 4 results per host (500 for the default 125 hosts) and prints, per format, the
median and best render time over the repeats and the output size. Also validates the outputs
against their schemas when the test extra is installed, so the figures are for valid reports.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domaincheck.render import ReportFormat, render  # noqa: E402
from tests.report_fixtures import large_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=125)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    report = large_report(args.hosts)
    print(
        f"report: {len(report.results)} results on {args.hosts} hosts, {len(report.whitelist.entries)} whitelist entries"
    )
    print(f"{'format':<10} {'median ms':>10} {'best ms':>9} {'size':>10}")
    outputs = {}
    for fmt in ReportFormat:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            outputs[fmt] = render(report, fmt)
            times.append((time.perf_counter() - start) * 1000)
        size = len(outputs[fmt].encode("utf-8"))
        print(
            f"{fmt.value:<10} {statistics.median(times):>10.1f} {min(times):>9.1f} {size / 1024:>8.1f} KB"
        )
    _validate(outputs)


def _validate(outputs: dict[ReportFormat, str]) -> None:
    try:
        import json

        import jsonschema
        import xmlschema
    except ImportError:
        print("(install the test extra to validate the outputs)")
        return
    from domaincheck.render.json_report import schema_text

    schemas = ROOT / "tests" / "schemas"
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(
        json.loads(outputs[ReportFormat.JSON])
    )
    sarif = json.loads((schemas / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(sarif).validate(json.loads(outputs[ReportFormat.SARIF]))
    for xsd in ("JUnit.xsd", "junit-10.xsd"):  # the Ant schema and Jenkins' (tests/schemas/README.md)
        xmlschema.XMLSchema10(schemas / xsd).validate(outputs[ReportFormat.JUNIT])
    print("json, sarif and junit outputs are valid against their schemas")


if __name__ == "__main__":
    main()
