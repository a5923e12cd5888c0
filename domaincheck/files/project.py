"""The project file, `domaincheck.yaml`: what one app needs checked, so the commands need no options.

It names the platform, the data centre(s), the appKey, the SDK init source, the app's own domains,
whether Alipay's whitelist is compacted, the list currently in the console, thresholds, checks to
ignore (each with a reason), and the
optional Alipay Open API credentials that `sync` reads. Command-line options override it. Loading
is safe YAML only; an unknown key or a wrong type is an `InputFileError` naming file and line.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from domaincheck.core.errors import InputFileError
from domaincheck.core.model import CheckResult, ConsoleList
from domaincheck.core.platforms import Platform
from domaincheck.files.inputfiles import read_text_file
from domaincheck.files.yaml_lines import composed_yaml, line_of

PROJECT_FILE_NAME = "domaincheck.yaml"
PROJECT_SCHEMA_VERSION = 1
MAX_PROJECT_BYTES = 1024 * 1024

T = TypeVar("T")


@dataclass(frozen=True)
class Thresholds:
    """Limits the checks use; `None` means the tool's own default for that check."""

    timeout: float | None = None  # seconds per network step (DNS, TLS, HTTP, WebSocket)
    cert_expiry_warn_days: int | None = None  # warn when a certificate expires sooner
    max_entries: int | None = None  # console entry limit (Alipay ISV apps: 50)
    heartbeat_min_ms: int | None = None  # sane range for the SDK's heartBeatWait
    heartbeat_max_ms: int | None = None


@dataclass(frozen=True)
class IgnoredCheck:
    """A check id (or a glob such as `sdk.option.*`) the project accepts, and why."""

    check: str
    reason: str
    line: int = 0

    def matches(self, check_id: str) -> bool:
        return fnmatch.fnmatchcase(check_id, self.check)


@dataclass(frozen=True)
class ConsoleItem:
    """One entry of the console's current list, as the user copied it, and where it was read."""

    text: str
    console_list: ConsoleList | None  # None: the source did not say which list
    origin: str  # "file:line", for messages


@dataclass(frozen=True)
class ConsoleSource:
    """Where the console's current list comes from: a file of copied text, inline entries, or both."""

    file: Path | None = None
    items: tuple[ConsoleItem, ...] = ()


@dataclass(frozen=True)
class AlipaySyncSettings:
    """The `alipay:` section: Alipay Open API credentials for `domaincheck sync`.

    Key file paths are resolved against the project file's folder. Every field is optional here,
    because options and environment variables may give the rest; only `sync` reads the files.
    """

    app_id: str | None = field(default=None, repr=False)  # never shown: sync echoes no credential
    private_key_file: Path | None = None
    alipay_public_key_file: Path | None = None
    app_auth_token: str | None = field(default=None, repr=False)
    gateway: str | None = None


@dataclass(frozen=True)
class SourceSettings:
    """The app's source folder to scan (`source:`), relative paths resolved against the project
    file's folder, and the globs that narrow it."""

    path: Path
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    """A loaded `domaincheck.yaml`. Every field is optional; `path` is None for the empty project.

    `lines` maps each top-level key to the line it was read from, for messages about its value.
    `compact` is None when the file does not say (`--compact` / `--no-compact` decide, else off).
    `alipay` is the optional `alipay:` section for `domaincheck sync`.
    """

    path: Path | None = None
    platform: Platform | None = None
    regions: tuple[str, ...] = ()
    app_key: str | None = None
    sdk_config: Path | None = None
    sdk_version: str | None = None
    registry: Path | None = None
    extra_domains: tuple[str, ...] = ()
    extra_domain_lines: tuple[int, ...] = ()  # the line of each of extra_domains, in order
    compact: bool | None = None
    console: ConsoleSource | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    ignore: tuple[IgnoredCheck, ...] = ()
    alipay: AlipaySyncSettings | None = None
    source: SourceSettings | None = None
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def folder(self) -> Path | None:
        """The project file's folder: relative paths in it (keys of `alipay:`) are relative to it."""
        return self.path.parent if self.path is not None else None

    def where(self, key: str) -> str:
        """`file:line` of a top-level key, for messages about its value."""
        if self.path is None:
            return "(no project file)"
        return f"{self.path}:{self.lines.get(key, 1)}"


EMPTY_PROJECT = Project()


# ---------------------------------------------------------------------------------------------
# Finding and loading


def find_project(explicit: Path | None, cwd: Path | None = None) -> Path | None:
    """The project file to use: `--project` when given (it must exist), else `./domaincheck.yaml` if present."""
    if explicit is not None:
        if not explicit.exists():
            raise InputFileError(f"{explicit}: project file not found")
        return explicit
    # Relative to the current folder when no folder is given, so messages show short paths.
    candidate = cwd / PROJECT_FILE_NAME if cwd is not None else Path(PROJECT_FILE_NAME)
    return candidate if candidate.is_file() else None


def load_project(path: Path) -> Project:
    """Reads and validates a project file; every problem is reported with file and line."""
    text = read_text_file(path, "project file", MAX_PROJECT_BYTES)
    return parse_project(text, path)


def load_project_or_empty(explicit: Path | None, cwd: Path | None = None) -> Project:
    """The project of `--project` or the current directory, or `EMPTY_PROJECT` when there is none."""
    found = find_project(explicit, cwd)
    return load_project(found) if found is not None else EMPTY_PROJECT


def parse_project(text: str, path: Path) -> Project:
    """Validates the text of a project file read from `path` (relative paths resolve against its folder)."""
    with composed_yaml(text, path) as (root, loader):
        if root is None:
            return Project(path=path)
        reader = _Reader(path, loader)
        project = reader.project(root)
    if reader.problems:
        ordered = sorted(reader.problems, key=lambda p: p[0])  # stable: same line keeps order
        raise InputFileError("\n".join(text for _, text in ordered))
    return project


_TOP_KEYS = (
    "version",
    "platform",
    "regions",
    "region",
    "app_key",
    "appKey",
    "sdk_config",
    "sdk_version",
    "registry",
    "extra_domains",
    "compact",
    "console",
    "thresholds",
    "ignore",
    "alipay",
    "source",
)
_SOURCE_KEYS = ("path", "include", "exclude")
_CONSOLE_KEYS = ("file", "entries", *(c.value for c in ConsoleList))
_ALIPAY_KEYS = ("app_id", "private_key_file", "alipay_public_key_file", "app_auth_token", "gateway")


class _Reader:
    """Walks the composed YAML nodes, checking keys and types and keeping every problem with its line."""

    def __init__(self, path: Path, loader: yaml.SafeLoader) -> None:
        self.path = path
        self.base = path.parent
        self.loader = loader
        self.problems: list[tuple[int, str]] = []

    # -- helpers ---------------------------------------------------------------------------
    def problem(self, node: yaml.Node, message: str) -> None:
        line = line_of(node)
        self.problems.append((line, f"{self.path}:{line}: {message}"))

    def mapping(
        self, node: yaml.Node, where: str, allowed: Sequence[str]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} must be a mapping (key: value), not {_kind(node)}")
            return {}
        seen: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"{where}: keys must be plain names")
                continue
            key = str(key_node.value)
            if key in seen:
                self.problem(key_node, f"{where}: duplicate key '{key}'")
                continue
            if key not in allowed:
                self.problem(
                    key_node,
                    f"{where}: unknown key '{key}' (known: {', '.join(allowed)})",
                )
                continue
            seen[key] = (key_node, value_node)
        return seen

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return _NOT_SCALAR
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:  # a malformed timestamp and the like
            self.problem(node, f"cannot read value: {exc}")
            return _NOT_SCALAR

    def string(self, node: yaml.Node, where: str, allow_empty: bool = False) -> str | None:
        value = self.scalar(node)
        if value is None and isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            self.problem(node, f"{where} must be a string, it is empty")
            return None
        if not isinstance(value, str):
            self.problem(node, f"{where} must be a string, not {_kind(node, value)}")
            return None
        if not value.strip() and not allow_empty:
            self.problem(node, f"{where} must not be empty")
            return None
        return value.strip()

    def boolean(self, node: yaml.Node, where: str) -> bool | None:
        value = self.scalar(node)
        if not isinstance(value, bool):
            self.problem(node, f"{where} must be true or false, not {_kind(node, value)}")
            return None
        return value

    def number(self, node: yaml.Node, where: str, integer: bool) -> float | int | None:
        value = self.scalar(node)
        wanted = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(node, f"{where} must be {wanted}, not {_kind(node, value)}")
            return None
        if integer and not isinstance(value, int):
            self.problem(node, f"{where} must be {wanted}, not {value!r}")
            return None
        if value <= 0:
            self.problem(node, f"{where} must be greater than 0, not {value!r}")
            return None
        return value

    def path_value(self, node: yaml.Node, where: str) -> Path | None:
        text = self.string(node, where)
        if text is None:
            return None
        candidate = Path(text).expanduser()
        return candidate if candidate.is_absolute() else self.base / candidate

    def string_list(self, node: yaml.Node, where: str) -> list[tuple[str, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{where} must be a list, not {_kind(node)}")
            return []
        items: list[tuple[str, yaml.Node]] = []
        for item in node.value:
            text = self.string(item, f"{where} item")
            if text is not None:
                items.append((text, item))
        return items

    # -- sections --------------------------------------------------------------------------
    def project(self, root: yaml.Node) -> Project:
        keys = self.mapping(root, "project file", _TOP_KEYS)
        lines = {key: line_of(k) for key, (k, _) in keys.items()}
        values: dict[str, Any] = {}

        def take(key: str, read: Callable[[yaml.Node], T]) -> T | None:
            if key not in keys:
                return None
            return read(keys[key][1])

        version = take("version", lambda n: self.number(n, "version", integer=True))
        if version is not None and version != PROJECT_SCHEMA_VERSION:
            self.problem(
                keys["version"][1],
                f"version {version} is not supported (this domaincheck reads version "
                f"{PROJECT_SCHEMA_VERSION})",
            )
        values["platform"] = take("platform", self.platform)
        if "region" in keys and "regions" in keys:
            self.problem(keys["region"][0], "give either 'region' or 'regions', not both")
        regions = take("regions", lambda n: self.regions(n, "regions"))
        if regions is None:
            regions = take("region", lambda n: self.regions(n, "region"))
            if "region" in keys:
                lines["regions"] = lines["region"]
        values["regions"] = tuple(regions or ())
        if "app_key" in keys and "appKey" in keys:
            self.problem(keys["appKey"][0], "give either 'app_key' or 'appKey', not both")
        app_key = take("app_key", lambda n: self.string(n, "app_key"))
        if app_key is None and "appKey" in keys:
            app_key = self.string(keys["appKey"][1], "appKey")
            lines["app_key"] = lines["appKey"]
        values["app_key"] = app_key
        values["sdk_config"] = take("sdk_config", lambda n: self.path_value(n, "sdk_config"))
        values["sdk_version"] = take("sdk_version", self.sdk_version)
        values["registry"] = take("registry", lambda n: self.path_value(n, "registry"))
        extra = take("extra_domains", lambda n: self.string_list(n, "extra_domains")) or []
        values["extra_domains"] = tuple(text for text, _ in extra)
        values["extra_domain_lines"] = tuple(line_of(item) for _, item in extra)
        values["compact"] = take("compact", lambda n: self.boolean(n, "compact"))
        values["console"] = take("console", self.console)
        values["thresholds"] = take("thresholds", self.thresholds) or Thresholds()
        values["ignore"] = tuple(take("ignore", self.ignore) or ())
        values["alipay"] = take("alipay", self.alipay)
        values["source"] = take("source", self.source)
        return Project(path=self.path, lines=lines, **values)

    def source(self, node: yaml.Node) -> SourceSettings | None:
        if isinstance(node, yaml.ScalarNode):
            path = self.path_value(node, "source")
            return SourceSettings(path) if path is not None else None
        keys = self.mapping(node, "source", _SOURCE_KEYS)
        if not isinstance(node, yaml.MappingNode):
            return None
        path = self.path_value(keys["path"][1], "source.path") if "path" in keys else self.base
        globs: dict[str, tuple[str, ...]] = {}
        for key in ("include", "exclude"):
            if key in keys:
                globs[key] = tuple(t for t, _ in self.string_list(keys[key][1], f"source.{key}"))
        return SourceSettings(path or self.base, **globs)

    def platform(self, node: yaml.Node) -> Platform | None:
        text = self.string(node, "platform")
        if text is None:
            return None
        try:
            return Platform(text.lower())
        except ValueError:
            known = ", ".join(p.value for p in Platform)
            self.problem(node, f"platform '{text}' is not one of {known}")
            return None

    def regions(self, node: yaml.Node, where: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode):
            text = self.string(node, where)
            return [text] if text is not None else []
        items = self.string_list(node, where)
        if isinstance(node, yaml.SequenceNode) and not node.value:
            self.problem(node, f"{where} must name at least one region")
        return [text for text, _ in items]

    def sdk_version(self, node: yaml.Node) -> str | None:
        value = self.scalar(node)
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # `sdk_version: 4.12` reads as a float
        if not isinstance(value, str):
            self.problem(
                node, f'sdk_version must be a version like "4.17.0", not {_kind(node, value)}'
            )
            return None
        if parse_version(value) is None:
            self.problem(node, f"sdk_version '{value}' is not a version like \"4.17.0\"")
            return None
        return value

    def console(self, node: yaml.Node) -> ConsoleSource | None:
        if isinstance(node, yaml.SequenceNode):  # a bare list: the entries, list not said
            return ConsoleSource(items=self.console_items(node, "console", None))
        keys = self.mapping(node, "console", _CONSOLE_KEYS)
        file = self.path_value(keys["file"][1], "console.file") if "file" in keys else None
        items: list[ConsoleItem] = []
        for key, (_, value_node) in keys.items():
            if key == "file":
                continue
            console_list = None if key == "entries" else ConsoleList(key)
            items.extend(self.console_items(value_node, f"console.{key}", console_list))
        if not keys and isinstance(node, yaml.MappingNode):
            self.problem(node, "console: give 'file' or 'entries'")
        return ConsoleSource(file=file, items=tuple(items))

    def console_items(
        self, node: yaml.Node, where: str, console_list: ConsoleList | None
    ) -> tuple[ConsoleItem, ...]:
        return tuple(
            ConsoleItem(text, console_list, f"{self.path}:{line_of(item)}")
            for text, item in self.string_list(node, where)
        )

    def thresholds(self, node: yaml.Node) -> Thresholds:
        keys = self.mapping(node, "thresholds", tuple(Thresholds.__dataclass_fields__))
        values: dict[str, Any] = {}
        for key, (_, value_node) in keys.items():
            values[key] = self.number(value_node, f"thresholds.{key}", integer=key != "timeout")
        low, high = values.get("heartbeat_min_ms"), values.get("heartbeat_max_ms")
        if low is not None and high is not None and low > high:
            self.problem(
                keys["heartbeat_min_ms"][1], "thresholds.heartbeat_min_ms is above heartbeat_max_ms"
            )
        return Thresholds(**{k: v for k, v in values.items() if v is not None})

    def ignore(self, node: yaml.Node) -> list[IgnoredCheck]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"ignore must be a list of {{check, reason}}, not {_kind(node)}")
            return []
        ignored: list[IgnoredCheck] = []
        for item in node.value:
            keys = self.mapping(item, "ignore item", ("check", "reason"))
            if not isinstance(item, yaml.MappingNode):
                continue
            check = self.string(keys["check"][1], "ignore.check") if "check" in keys else None
            reason = self.string(keys["reason"][1], "ignore.reason") if "reason" in keys else None
            if "check" not in keys:
                self.problem(item, "ignore item needs 'check' (the check id to ignore)")
            if "reason" not in keys:
                self.problem(item, "ignore item needs 'reason' (why the finding is accepted)")
            if check is not None and reason is not None:
                ignored.append(IgnoredCheck(check, reason, line_of(item)))
        return ignored

    def alipay(self, node: yaml.Node) -> AlipaySyncSettings | None:
        keys = self.mapping(node, "alipay", _ALIPAY_KEYS)
        if not isinstance(node, yaml.MappingNode):
            return None

        def text(key: str) -> str | None:
            if key not in keys:
                return None
            return self.string(keys[key][1], f"alipay.{key}", allow_empty=True) or None

        def secret(key: str) -> str | None:
            # The app id and the token: any scalar is taken as written (an unquoted app id is a
            # number to YAML), and a problem never repeats the value (sync never echoes them).
            if key not in keys:
                return None
            value = keys[key][1]
            if not isinstance(value, yaml.ScalarNode):
                self.problem(value, f"alipay.{key} must be a string, not {_kind(value)}")
                return None
            if value.tag.endswith(":null"):
                return None
            return str(value.value).strip() or None

        def path(key: str) -> Path | None:
            return self.path_value(keys[key][1], f"alipay.{key}") if key in keys else None

        return AlipaySyncSettings(
            app_id=secret("app_id"),
            private_key_file=path("private_key_file"),
            alipay_public_key_file=path("alipay_public_key_file"),
            app_auth_token=secret("app_auth_token"),
            gateway=text("gateway"),
        )


class _NotScalar:
    pass


_NOT_SCALAR = _NotScalar()


def _kind(node: yaml.Node, value: Any = _NOT_SCALAR) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if value is _NOT_SCALAR or value is None:
        return "empty" if node.value in ("", "~", "null") else f"'{node.value}'"
    if isinstance(value, bool):
        return f"a boolean ({node.value})"
    if isinstance(value, int | float):
        return f"a number ({node.value})"
    return f"'{node.value}'"


def parse_version(text: str) -> tuple[int, ...] | None:
    """`"4.17.0"` → (4, 17, 0); a suffix such as `-2` or `-beta` is dropped; None when not a version."""
    head = text.strip().lstrip("vV").split("-")[0].split("+")[0]
    parts = head.split(".")
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


# ---------------------------------------------------------------------------------------------
# Ignored checks


def apply_ignores(
    results: Iterable[CheckResult], ignores: Sequence[IgnoredCheck]
) -> tuple[CheckResult, ...]:
    """Marks each result whose check id the project ignores; the result stays, but no longer fails the gate."""
    marked: list[CheckResult] = []
    for result in results:
        rule = next((i for i in ignores if i.matches(result.check)), None)
        if rule is not None and result.ignored_reason is None:
            result = replace(result, ignored_reason=rule.reason)
        marked.append(result)
    return tuple(marked)
