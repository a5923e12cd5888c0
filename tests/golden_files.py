"""Comparing output with its golden file under tests/golden/, or rewriting the file.

After an intended change of output, run the tests with DOMAINCHECK_UPDATE_GOLDEN=1 to rewrite the
golden files, and review their diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DOMAINCHECK_UPDATE_GOLDEN") == "1"


def assert_matches_golden(output: str, golden: Path) -> None:
    """Fails unless `output` is the golden file's text; under DOMAINCHECK_UPDATE_GOLDEN=1 writes it first."""
    if UPDATE:
        golden.write_text(output, encoding="utf-8", newline="")
    assert golden.exists(), f"{golden} is missing; regenerate with DOMAINCHECK_UPDATE_GOLDEN=1"
    assert output == golden.read_text(encoding="utf-8"), (
        f"output differs from {golden}; if intended, regenerate with DOMAINCHECK_UPDATE_GOLDEN=1"
    )
