"""The check catalog as text: one entry for `domaincheck explain ID`, the listing of every id, and
the Markdown reference in docs/checks.md.

Pure functions of the catalog; a test proves docs/checks.md is what `render_checks_markdown` gives.
"""

from __future__ import annotations

import difflib
import fnmatch
import textwrap

from domaincheck.core.catalog import CATALOG, CheckFamily, CheckId, CheckInfo

WIDTH = 100


def render_check(info: CheckInfo) -> str:
    """One entry as `domaincheck explain ID` prints it: the id and title, family, severity, help."""
    lines = [
        f"# {info.id}: {info.title}",
        "",
        f"Family: {info.family} ({info.family.description})",
        f"Default severity: {info.severity}",
        "",
        textwrap.fill(info.help, WIDTH),
        "",
        "To accept its findings, list it in domaincheck.yaml:",
        f"  ignore:\n    - check: {info.id}\n      reason: why this is fine here",
    ]
    return "\n".join(lines) + "\n"


def render_check_list() -> str:
    """Every id with its default severity and title, family by family."""
    width = max(len(check_id) for check_id in CheckId)
    lines: list[str] = []
    for family in CheckFamily:
        entries = [info for info in CATALOG.values() if info.family is family]
        if lines:
            lines.append("")
        lines.append(f"{family}: {family.description}")
        lines.extend(f"  {info.id:<{width}}  {info.severity:<4}  {info.title}" for info in entries)
    return "\n".join(lines) + "\n"


def close_ids(text: str) -> list[str]:
    """Ids that look like a mistyped `text`, the closest first."""
    return difflib.get_close_matches(text, [c.value for c in CheckId], n=3, cutoff=0.6)


def matching_ids(pattern: str) -> list[CheckId]:
    """The ids a glob such as `sdk.url.*` names, as the project file's `ignore:` reads it."""
    return [c for c in CheckId if fnmatch.fnmatchcase(c.value, pattern)]


def unknown_id_message(text: str) -> str:
    """One line for an id the catalog does not have, with the close matches when there are any."""
    shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text[:80])
    shown += "..." if len(text) > 80 else ""
    close = close_ids(text[:80])
    hint = f"did you mean {', '.join(close)}?" if close else "`domaincheck explain` lists every id"
    return f"unknown check id '{shown}'; {hint}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_checks_markdown() -> str:
    """docs/checks.md: a table per family of every check id, its severity, title and help."""
    parts = [
        "# Checks",
        "",
        "<!-- Generated from domaincheck/core/catalog.py by the test suite: edit the catalog, then",
        "     run `DOMAINCHECK_UPDATE_GOLDEN=1 python -m pytest tests/test_catalog.py`. -->",
        "",
        "Every result domaincheck reports carries one of these ids. `domaincheck explain ID` prints",
        "an entry, `domaincheck explain` lists them all; an `ignore:` entry of the project file",
        "names ids (globs such as `sdk.option.*` work). The severity is the worst status a check",
        "gives when it fires; the status of each result is what decides the gate.",
    ]
    for family in CheckFamily:
        parts += [
            "",
            f"## {family}",
            "",
            f"{family.description[0].upper()}{family.description[1:]}.",
            "",
            "| id | severity | title | what it checks |",
            "|---|---|---|---|",
        ]
        parts.extend(
            f"| `{info.id}` | {info.severity} | {_cell(info.title)} | {_cell(info.help)} |"
            for info in CATALOG.values()
            if info.family is family
        )
    return "\n".join(parts) + "\n"
