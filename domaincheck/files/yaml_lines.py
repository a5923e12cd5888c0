"""YAML read as nodes, which keep their line numbers, for messages that name file and line.

The project file, YAML SDK configs and the region registry are composed, not loaded: a node knows
the line it starts on, so every problem can point at it. Only safe YAML is read, no tag runs code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from domaincheck.core.errors import InputFileError


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


@contextmanager
def composed_yaml(text: str, path: Path) -> Iterator[tuple[yaml.Node | None, yaml.SafeLoader]]:
    """The single document of `text` as nodes (None when empty) and the loader to construct with.

    A YAML error inside the block, composing or constructing, becomes one `InputFileError` naming
    `path` and the line, never a traceback.
    """
    loader = yaml.SafeLoader(text)
    try:
        yield loader.get_single_node(), loader
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
