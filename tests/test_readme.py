"""The README's promises that a test can keep: the quick start and what `.ci/run` runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    section = README[README.index("## Quick start") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands_install_and_run_then_install_and_test() -> None:
    install_and_run, install_and_test = quick_start()
    assert install_and_run == "pip install . && domaincheck check"
    assert install_and_test.startswith("pip install '.[test]' && ")
    assert install_and_test.endswith("python -m pytest")


def test_ci_runs_the_quick_start_test_command_as_written() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_line = quick_start()[1]
    assert any(line.strip().startswith(test_line) for line in ci.splitlines()), (
        f".ci/run does not run {test_line!r}"
    )
