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
    assert install_and_run == (
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && domaincheck check"
    )
    assert install_and_test.startswith("pip install '.[test]' && ")
    assert install_and_test.endswith("python -m pytest")


def test_ci_runs_the_quick_start_test_command_as_written() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_line = quick_start()[1]
    assert any(line.strip().startswith(test_line) for line in ci.splitlines()), (
        f".ci/run does not run {test_line!r}"
    )


def test_quick_start_names_the_python_it_needs() -> None:
    assert "Python 3.11 or newer" in README[README.index("## Quick start") :][:400]


def test_readme_links_to_pages_that_exist() -> None:
    """The README keeps to what a newcomer needs and links the reference pages in docs/."""
    for target in re.findall(r"\]\(((?:docs/)?[\w./-]+\.md|LICENSE)(?:#[\w-]+)?\)", README):
        assert (ROOT / target).is_file(), target
    for page in (ROOT / "docs").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]+)?\)", text):
            assert (page.parent / target).resolve().is_file(), (page.name, target)


def test_license_is_the_one_the_package_metadata_names() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in pyproject
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
