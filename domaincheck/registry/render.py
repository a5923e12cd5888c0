"""Renderers for `domaincheck regions`: the registry as an aligned text table or as JSON.

Pure functions `render(registry) -> str`; `REGIONS_RENDERERS` maps every `RegionsFormat` to one.
This module imports nothing heavy at import time, since the CLI needs `RegionsFormat` to build
its options before any command runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domaincheck.registry.model import Region, Registry, RegistryHost, SocketFamily


class RegionsFormat(StrEnum):
    """An output format of `domaincheck regions`."""

    TEXT = "text"
    JSON = "json"


def _width(text: str) -> int:
    """Terminal columns: CJK characters (国内1区) take two."""
    import unicodedata  # lazy: a shared library that every other command would load for nothing

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _table(header: Sequence[str], rows: Sequence[Sequence[list[str]]]) -> list[str]:
    """Aligned columns; a cell may hold several lines, the row is as tall as its tallest cell."""
    widths = [_width(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max([widths[i], *(_width(line) for line in cell)])
    out = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        for n in range(max(len(cell) for cell in row)):
            line = "  ".join(
                _pad(cell[n] if n < len(cell) else "", w)
                for cell, w in zip(row, widths, strict=True)
            )
            out.append(line.rstrip())
    return out


def _host_label(host: RegistryHost) -> str:
    return f"{host.host} *" if host.disputed else host.host


def render_regions_text(registry: Registry) -> str:
    """The regions as a table a person can read: hosts per column, notes as numbered footnotes."""
    from domaincheck.registry.model import HostRole, SocketFamily

    footnotes: list[str] = []

    def footnote(text: str) -> str:
        if text not in footnotes:
            footnotes.append(text)
        return f"[{footnotes.index(text) + 1}]"

    rows: list[list[list[str]]] = []
    for region in registry.regions:
        notes: list[str] = []
        if not region.public:
            notes.append(f"no public hosts {footnote(region.note)}")
        disputes = sorted({h.disputed for h in region.hosts if h.disputed})
        notes.extend(f"* disputed {footnote(d)}" for d in disputes)
        if region.absent_on:
            notes.append(f"not on {'/'.join(region.absent_on)}'s page")
        listed = {HostRole.REST, HostRole.SOCKET}
        extra: dict[tuple[str, str], list[str]] = {}
        for h in region.hosts:
            if h.role not in listed:
                extra.setdefault((h.host, _only(registry, h)), []).append(h.role.value)
        notes.extend(
            f"+ {host} ({', '.join(roles)}{only})" for (host, only), roles in extra.items()
        )
        rows.append(
            [
                [region.id],
                [region.name_zh],
                [region.name_en],
                [_host_label(h) for h in region.hosts_with(HostRole.REST)] or ["-"],
                [_host_label(h) for h in _family(region, SocketFamily.ALIPAY)] or ["-"],
                [_host_label(h) for h in _family(region, SocketFamily.WECHAT)] or ["-"],
                notes,
            ]
        )
    header = ["id", "中文名", "English", "REST hosts", "alipay socket", "wechat socket", "notes"]
    lines = _table(header, rows)
    socket_paths = sorted({r.socket_path for r in registry.regions if r.public})
    lines.append("")
    lines.append(
        "Socket URL: wss://<socket host>"
        + " or ".join(socket_paths)
        + ". alipay socket: Alipay; wechat socket: WeChat, QQ, Baidu, Douyin, Taobao, uni-app."
    )
    lines.extend(f"[{n}] {text}" for n, text in enumerate(footnotes, 1))
    if registry.common:
        lines.append("")
        lines.append("Hosts of every region:")
        groups: dict[tuple[str, str], list[str]] = {}
        for h in registry.common:
            groups.setdefault((h.role.value, _only(registry, h)), []).append(h.host)
        for (role, only), hosts in groups.items():
            lines.append(f"  {role}{f' ({only[2:]})' if only else ''}: {', '.join(hosts)}")
    lines.append("")
    lines.append(f"Registry: {registry.path} ({len(registry.sources)} sources)")
    return "\n".join(lines) + "\n"


def _only(registry: Registry, host: RegistryHost) -> str:
    """`, wechat/douyin only` when only some platforms' documents list the host, else ``.

    A host every platform with a page of its own lists is not marked.
    """
    platforms = registry.platforms_listing(host)
    paged = {p for s in registry.sources.values() for p in s.platforms}
    if platforms is None or (paged and paged <= set(platforms)):
        return ""
    return f", {'/'.join(platforms) or 'no platform'} only"


def _family(region: Region, family: SocketFamily) -> tuple[RegistryHost, ...]:
    from domaincheck.registry.model import HostRole

    return tuple(h for h in region.hosts if h.role is HostRole.SOCKET and h.family is family)


def _host_data(host: RegistryHost) -> dict[str, Any]:
    return {
        "host": host.host,
        "role": host.role.value,
        "family": host.family.value if host.family else None,
        "platforms": list(host.platforms),
        "alternative_of": host.alternative_of,
        "disputed": host.disputed,
        "sources": list(host.sources),
        "file_sources": list(host.file_sources),
        "line": host.line,
    }


def registry_data(registry: Registry) -> dict[str, Any]:
    """The registry as plain JSON-able data (what `--format json` prints)."""
    return {
        "registry": registry.path,
        "schema_version": registry.schema_version,
        "notes": list(registry.notes),
        "sources": {
            s.id: {
                "document": s.document,
                "version": s.version,
                "title": s.title,
                "platforms": list(s.platforms),
                "corroborating": s.corroborating,
            }
            for s in registry.sources.values()
        },
        "regions": [
            {
                "id": r.id,
                "name_zh": r.name_zh,
                "name_en": r.name_en,
                "aliases": list(r.aliases),
                "public": r.public,
                "note": r.note,
                "socket_path": r.socket_path,
                "absent_on": list(r.absent_on),
                "hosts": [_host_data(h) for h in r.hosts],
            }
            for r in registry.regions
        ],
        "common": [_host_data(h) for h in registry.common],
    }


def render_regions_json(registry: Registry) -> str:
    """The whole registry as JSON, for scripts (`domaincheck regions --format json | jq`)."""
    import json

    return json.dumps(registry_data(registry), ensure_ascii=False, indent=2) + "\n"


REGIONS_RENDERERS: Mapping[RegionsFormat, Callable[[Registry], str]] = {
    RegionsFormat.TEXT: render_regions_text,
    RegionsFormat.JSON: render_regions_json,
}
