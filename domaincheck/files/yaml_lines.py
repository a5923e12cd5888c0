"""YAML read as nodes, which keep their line numbers, for messages that name file and line.

The project file, YAML SDK configs and the region registry are composed, not loaded: a node knows
the line it starts on, so every problem can point at it. Only safe YAML is read, no tag runs code.

An alias (`*name`) of a list or a mapping is how a few hundred bytes become gigabytes (each level
of a "billion laughs" repeats the one below), so only aliases of plain values are allowed (the
registry shares its dispute notes that way); so is nesting deeper than `MAX_YAML_DEPTH`, which
would end the recursive composer in a RecursionError.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from domaincheck.core.errors import InputFileError

# Far deeper than any real config (the registry is five levels deep).
MAX_YAML_DEPTH = 50


class YamlBudgetError(yaml.MarkedYAMLError):
    """An alias, or nesting past `MAX_YAML_DEPTH`: refused before it costs time or memory."""


def _alias_refused(event: Any) -> YamlBudgetError:
    return YamlBudgetError(
        problem=f"a YAML alias (*{event.anchor}) of a list or mapping: such aliases are not "
        "allowed (they can multiply a small file into gigabytes); write the value out",
        problem_mark=event.start_mark,
    )


def _too_deep(event: Any) -> YamlBudgetError:
    return YamlBudgetError(
        problem=f"YAML nests more than {MAX_YAML_DEPTH} levels deep", problem_mark=event.start_mark
    )


class BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases and nesting past `MAX_YAML_DEPTH` as it composes."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if not isinstance(self.anchors.get(event.anchor), yaml.ScalarNode):
                raise _alias_refused(event)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _too_deep(self.peek_event())  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def check_yaml_budget(text: str) -> None:
    """Raises `YamlBudgetError` for the first alias or too-deep nesting of `text`, reading only
    its events (with libyaml where installed), so a fast composer can then be used safely."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    collections: set[str] = set()
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent) and event.anchor in collections:
            raise _alias_refused(event)
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.anchor is not None:
                collections.add(event.anchor)
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _too_deep(event)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


@contextmanager
def composed_yaml(text: str, path: Path) -> Iterator[tuple[yaml.Node | None, yaml.SafeLoader]]:
    """The single document of `text` as nodes (None when empty) and the loader to construct with.

    A YAML error inside the block, composing or constructing, becomes one `InputFileError` naming
    `path` and the line, never a traceback.
    """
    try:
        loader = BoundedSafeLoader(text)  # reads the start of the text: may raise a ReaderError
    except yaml.reader.ReaderError as exc:
        raise InputFileError(_not_allowed(exc, text, path)) from None
    try:
        yield loader.get_single_node(), loader
    except yaml.reader.ReaderError as exc:
        raise InputFileError(_not_allowed(exc, text, path)) from None
    except YamlBudgetError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 1
        raise InputFileError(f"{path}:{line}: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or str(exc)
        if "'\\t'" in problem:
            problem += " (YAML allows no tabs there: use spaces)"
        raise InputFileError(f"{path}:{line}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputFileError(f"{path}: YAML error: {exc}") from None
    finally:
        loader.dispose()


def _not_allowed(exc: yaml.reader.ReaderError, text: str, path: Path) -> str:
    """A character YAML refuses (a control character), as one `FILE:LINE:` line."""
    line = text.count("\n", 0, exc.position) + 1
    character = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or b"?")
    return f"{path}:{line}: YAML does not allow the character U+{character:04X} (a control character); remove it"
