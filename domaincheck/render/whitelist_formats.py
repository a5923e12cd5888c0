"""The whitelist in each output format of `domaincheck whitelist`: pure `render_*(whitelist) -> str`.

Text is for pasting: one header line per console list, then one entry per line, in the console's
own form. JSON and YAML carry what each entry covers and where it comes from; Markdown is for
pull-request comments and docs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domaincheck.core.whitelist_model import ConsoleList, Whitelist, WhitelistEntry

WHITELIST_SCHEMA_VERSION = "1.1"  # MAJOR.MINOR, as the report's `version` (README: Reports)


class WhitelistFormat(StrEnum):
    """An output format of `domaincheck whitelist`."""

    TEXT = "text"
    JSON = "json"
    YAML = "yaml"
    MARKDOWN = "markdown"


def _titles(whitelist: Whitelist) -> tuple[str, Mapping[ConsoleList, str]]:
    """The platform's label and the console's name for each list, when the platform is known."""
    from domaincheck.core.errors import UsageError
    from domaincheck.whitelist.profiles import profile_for

    try:
        rules = profile_for(whitelist.platform).rules
    except (ValueError, UsageError):
        return whitelist.platform, {}
    return rules.display_name, {r.console_list: r.title for r in rules.lists}


def _entries(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"


def render_text(whitelist: Whitelist) -> str:
    """Per console list a `#` header line, then its entries one per line, ready to paste."""
    label, titles = _titles(whitelist)
    regions = ", ".join(whitelist.regions) or "no region"
    blocks: list[str] = []
    for console_list in whitelist.console_lists:
        entries = whitelist.entries_for(console_list)
        title = titles.get(console_list, console_list.value)
        header = (
            f"# {label} · {title} ({console_list.value}) · {regions} · {_entries(len(entries))}"
        )
        blocks.append("\n".join([header, *(e.entry for e in entries)]))
    if not whitelist.entries:
        blocks.append(f"# {label} · {regions} · no entries")
    if whitelist.notes:
        blocks.append("\n".join(["# Notes", *(f"# - {note}" for note in whitelist.notes)]))
    return "\n\n".join(blocks) + "\n"


def _entry_data(entry: WhitelistEntry) -> dict[str, Any]:
    return {
        "entry": entry.entry,
        "covers": list(entry.covers),
        "sources": list(entry.sources),
        "disputed": entry.disputed,
        "note": entry.note,
    }


def whitelist_data(whitelist: Whitelist) -> dict[str, Any]:
    """The whitelist as JSON-compatible data, the shape of `--format json` and `--format yaml`."""
    _, titles = _titles(whitelist)
    return {
        "whitelist_version": WHITELIST_SCHEMA_VERSION,
        "platform": whitelist.platform,
        "regions": list(whitelist.regions),
        "compact": whitelist.compact,
        "lists": [
            {
                "console_list": console_list.value,
                "title": titles.get(console_list, console_list.value),
                "entries": [_entry_data(e) for e in whitelist.entries_for(console_list)],
            }
            for console_list in whitelist.console_lists
        ],
        "hosts": sorted({h for e in whitelist.entries for h in e.covers}),
        "sources": {
            sid: {"document": document, "version": version, "title": title}
            for sid, document, version, title in whitelist.documents
        },
        "notes": list(whitelist.notes),
    }


def render_json(whitelist: Whitelist) -> str:
    """Machine-readable: per list its entries, each with the hosts it covers and its sources."""
    import json

    return json.dumps(whitelist_data(whitelist), ensure_ascii=False, indent=2) + "\n"


def render_yaml(whitelist: Whitelist) -> str:
    """The JSON data as YAML, for project files and config repositories."""
    import yaml  # lazy: PyYAML takes longer to import than the rest of this command

    return str(
        yaml.safe_dump(whitelist_data(whitelist), allow_unicode=True, sort_keys=False, width=1000)
    )


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(whitelist: Whitelist) -> str:
    """A heading per console list, its entries in a code block to copy, and a table of details."""
    label, titles = _titles(whitelist)
    regions = ", ".join(whitelist.regions) or "no region"
    lines = [f"## {label} server-domain whitelist ({regions})", ""]
    if whitelist.compact:
        lines += ["Compact: one registrable-domain (一级域名) entry per group of hosts.", ""]
    for console_list in whitelist.console_lists:
        entries = whitelist.entries_for(console_list)
        title = titles.get(console_list, console_list.value)
        lines += [f"### {title} (`{console_list.value}`), {_entries(len(entries))}", "", "```text"]
        lines += [e.entry for e in entries]
        lines += ["```", "", "| entry | covers | sources | note |", "|---|---|---|---|"]
        for e in entries:
            cells = (e.entry, ", ".join(e.covers), ", ".join(e.sources), e.note or "")
            lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
        lines.append("")
    if not whitelist.entries:
        lines += ["No entries.", ""]
    if whitelist.notes:
        lines += ["### Notes", ""]
        lines += [f"- {_md_cell(note)}" for note in whitelist.notes]
        lines.append("")
    return "\n".join(lines)


WHITELIST_RENDERERS: Mapping[WhitelistFormat, Callable[[Whitelist], str]] = {
    WhitelistFormat.TEXT: render_text,
    WhitelistFormat.JSON: render_json,
    WhitelistFormat.YAML: render_yaml,
    WhitelistFormat.MARKDOWN: render_markdown,
}


def render_whitelist(whitelist: Whitelist, fmt: WhitelistFormat) -> str:
    """Renders the whitelist in `fmt`."""
    return WHITELIST_RENDERERS[fmt](whitelist)
