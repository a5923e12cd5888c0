"""The package's floors, as docs/development.md lists them: an import never runs up a
floor (lazy and type-checking imports included), and no modules import each other in a circle."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "domaincheck"


def floors() -> list[str]:
    """The folders in the order docs/development.md's layout paragraph names them, lowest first."""
    readme = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    start = readme.index("Layout, one folder per floor")
    end = readme.index("on top.", start)
    names = re.findall(r"`([a-z_]+)/`", readme[start:end])
    assert len(names) == len(set(names)) and len(names) >= 10, names
    return names


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts).removesuffix(".__init__")] = path
    return found


def imports(path: Path, *, at_import_time: bool) -> set[str]:
    """The domaincheck modules `path` imports: all of them, or only those run when it is imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = (
        [n for n in tree.body if not isinstance(n, ast.If)] if at_import_time else ast.walk(tree)
    )
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "domaincheck"}


def run_time_imports(path: Path) -> set[str]:
    """The domaincheck modules `path` may import when it runs: at import time or inside a
    function, leaving out the blocks under `if TYPE_CHECKING:`."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for branch in child.orelse:
                    visit(branch)
                continue
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name.split(".")[0] == "domaincheck"}


def test_every_folder_of_the_package_is_a_floor_of_the_readme() -> None:
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders == set(floors())


def test_no_import_runs_up_a_floor() -> None:
    order = {name: i for i, name in enumerate(floors())}

    def floor(module: str) -> int | None:
        parts = module.split(".")
        return order.get(parts[1]) if len(parts) > 1 else None

    upward = []
    for module, path in modules().items():
        here = floor(module)
        if here is None:
            continue
        for target in imports(path, at_import_time=False):
            there = floor(target)
            if there is not None and there > here:
                upward.append(f"{module} imports {target}")
    assert upward == []


def circles(imports_of: Callable[[Path], set[str]]) -> list[list[str]]:
    """Every circle of modules in the graph `imports_of` draws (each found once per start)."""
    known = modules()
    graph = {
        module: {t for t in imports_of(path) if t in known and t != module}
        for module, path in known.items()
    }
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            found.append([*trail[trail.index(module) :], module])
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(lambda path: imports(path, at_import_time=True)) == []


def test_no_circle_through_lazy_imports_either() -> None:
    # An import inside a function is a dependency all the same: when the router asked the DNS
    # check for its default lookup while the DNS check sent DoH through the router, the two
    # modules could only be read together. Imports for type checking alone do not run.
    assert circles(run_time_imports) == []


LONG_MODULE = 600


def test_a_module_over_600_lines_says_why_in_its_docstring() -> None:
    """Issue 9: no module over about 600 lines without a reason; the reason opens with this phrase."""
    unexplained = []
    for name, path in sorted(modules().items()):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LONG_MODULE:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "Over 600 lines on purpose" not in docstring:
            unexplained.append(f"{name}: {text.count(chr(10))} lines")
    assert not unexplained, unexplained
