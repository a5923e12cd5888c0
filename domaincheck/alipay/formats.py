"""The output formats of `domaincheck sync`, apart so the CLI can offer them without importing more."""

from __future__ import annotations

from enum import StrEnum


class SyncFormat(StrEnum):
    """Output formats of `domaincheck sync`."""

    TEXT = "text"
    JSON = "json"
