"""Loading the region registry: find the file, validate it, build the model, resolve `--region` names.

Every problem in a registry file is reported, each as `FILE:LINE: what is wrong`, in one
`RegistryError`. YAML is only ever composed (never constructed), with the C loader when available,
so node line marks survive and no YAML tag can run code.

The start-up budget of the offline commands has no room for importing PyYAML (about 12 ms), so a
registry that validated once is kept as `marshal` data in a small cache, keyed by a SHA-256 of the
registry's bytes, the domaincheck version and its validation rules; the next run builds the model
from it without importing YAML. The cache is checked when read (its key, and a SHA-256 of its own
data), read only from a regular file (never a FIFO, device or symbolic link), and rebuilt from the
registry on any mismatch, so a corrupted or edited cache can neither change a result nor crash a
run. Set `DOMAINCHECK_CACHE_DIR` to move the cache, or to an empty string to turn it off.
"""

from __future__ import annotations

import marshal
import os
import stat
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from domaincheck import __version__
from domaincheck.core.errors import RegistryError, UsageError
from domaincheck.registry.model import (
    HostRole,
    Region,
    Registry,
    RegistryHost,
    SocketFamily,
    Source,
    normalise_region_name,
)

if TYPE_CHECKING:
    from domaincheck.registry.schema import Spec, Walk

# The interpreter's own SHA-256, without the OpenSSL library `hashlib` loads (about 4 ms of every
# offline command's start-up); the same digest either way.
if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # 3.12+ names it _sha2; hashlib where neither exists
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

SCHEMA_VERSION = 1
_CACHE_FORMAT = 3  # bump when the shape of the validated data changes
_CACHE_MAGIC = b"domaincheck-registry-cache\n"
_MAX_CACHE_BYTES = 16 * 1024 * 1024

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILTIN_NAME = "regions.yaml"


def builtin_registry_path() -> str:
    """Where the built-in registry is: inside the installed package, else at the repo root.

    A wheel carries it as `domaincheck/regions.yaml`; an editable install finds the checkout's
    `regions.yaml`. Only for a zipped install does this fall back to `importlib.resources`.
    """
    packaged = os.path.join(_PACKAGE_DIR, BUILTIN_NAME)
    if os.path.isfile(packaged):
        return packaged
    checkout = os.path.join(os.path.dirname(_PACKAGE_DIR), BUILTIN_NAME)
    if os.path.isfile(checkout):
        return checkout
    from importlib.resources import files

    return str(files("domaincheck").joinpath(BUILTIN_NAME))


def load_registry(path: str | os.PathLike[str] | None = None) -> Registry:
    """Loads and validates a registry file (None: the built-in one).

    Raises `RegistryError` listing every problem as `FILE:LINE: what is wrong`.
    """
    where = builtin_registry_path() if path is None else os.fspath(path)
    content = _read(where)
    cached = _cached(where, content)
    if cached is not None:
        try:
            return _build(where, cached)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a cache written by other code: validate the file again
    data = _validate(where, content)
    _store(where, content, data)
    return _build(where, data)


def resolve_regions(registry: Registry, names: Sequence[str]) -> tuple[Region, ...]:
    """The regions `names` select (ids, Chinese or English names, aliases), each once, in order.

    Raises `UsageError` naming every name it does not know and the names it accepts.
    """
    found: list[Region] = []
    unknown: list[str] = []
    for name in names:
        region = registry.find_region(name)
        if region is None:
            unknown.append(name)
        elif region not in found:
            found.append(region)
    if unknown:
        accepted = "; ".join(
            f"{r.id} ({', '.join(n for n in r.names if n != r.id)})" for r in registry.regions
        )
        which = ", ".join(repr(n) for n in unknown)
        raise UsageError(f"unknown region {which}; accepted: {accepted}")
    return tuple(found)


# --- reading and caching -------------------------------------------------------------------------


# The built-in registry is 20 KB; a file a hundred times that is not a registry.
MAX_REGISTRY_BYTES = 2 * 1024 * 1024


def _read(where: str) -> bytes:
    from pathlib import Path

    from domaincheck.files.inputfiles import FileTooLargeError, read_capped

    try:
        return read_capped(Path(where), MAX_REGISTRY_BYTES)
    except FileTooLargeError as exc:
        raise RegistryError(
            [f"{where}: the registry is over the {MAX_REGISTRY_BYTES // (1024 * 1024)} MB limit"]
        ) from exc
    except OSError as exc:
        raise RegistryError([f"{where}: cannot read the registry: {exc.strerror or exc}"]) from exc


def _cache_file(where: str) -> str | None:
    base = os.environ.get("DOMAINCHECK_CACHE_DIR")
    if base is None:
        home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(home, "domaincheck")
    if not base:
        return None
    tag = zlib.crc32(os.path.abspath(where).encode("utf-8", "surrogateescape"))
    return os.path.join(base, f"registry-{tag:08x}.marshal")


# The code whose rules decided that a cached registry was valid: an edit to any of them (in a
# checkout) makes the cache miss, so a rule tightened during development is not skipped.
_RULE_FILES = (
    "registry/loader.py",
    "registry/schema.py",
    "registry/model.py",
    "core/platforms.py",
    "core/domains.py",
)


def _cache_key(content: bytes) -> bytes:
    """SHA-256 of everything a cached result depends on: the registry's bytes, the version, the
    cache format and the rule files' modification times."""
    digest = sha256(_CACHE_MAGIC)
    digest.update(f"{_CACHE_FORMAT}\0{__version__}\0".encode())
    for name in _RULE_FILES:
        try:
            stamp = os.stat(os.path.join(_PACKAGE_DIR, name)).st_mtime_ns
        except OSError:
            stamp = 0
        digest.update(f"{name}\0{stamp}\0".encode())
    digest.update(content)
    return digest.digest()


def _cached(where: str, content: bytes) -> Any:
    """The validated data of `content` from the cache, or None when the cache is missing, not a
    regular file, for other bytes, or damaged: the caller then validates the registry again."""
    cache = _cache_file(where)
    if cache is None:
        return None
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(cache, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_CACHE_BYTES:
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            # read(), not marshal.load(handle): from a file object marshal reads each string with
            # its own call, about 1 ms for this cache against 0.2 ms.
            raw = handle.read(_MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    start = len(_CACHE_MAGIC)
    if not raw.startswith(_CACHE_MAGIC) or len(raw) < start + 64:
        return None
    key, check, payload = raw[start : start + 32], raw[start + 32 : start + 64], raw[start + 64 :]
    if key != _cache_key(content) or check != sha256(payload).digest():
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _store(where: str, content: bytes, data: Any) -> None:
    """Best effort: a cache that cannot be written only costs the next run the YAML parse."""
    cache = _cache_file(where)
    if cache is None:
        return
    from domaincheck.core.errors import OutputFileError
    from domaincheck.files.atomic import atomic_write  # lazy: only a cache miss writes

    payload = marshal.dumps(data)
    record = _CACHE_MAGIC + _cache_key(content) + sha256(payload).digest() + payload
    try:
        if not stat.S_ISREG(os.lstat(cache).st_mode):
            return  # a link, FIFO or device someone put there: left alone, never replaced
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        atomic_write(cache, record)
    except (OSError, OutputFileError):
        pass


# --- validation ----------------------------------------------------------------------------------


def _validate(where: str, content: bytes) -> Any:
    """Composes and checks the YAML; returns the validated plain data or raises `RegistryError`."""
    import yaml

    from domaincheck.registry.schema import walk_document

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise RegistryError([f"{where}:{line}: not UTF-8 text ({exc.reason})"]) from exc
    from domaincheck.files.yaml_lines import YamlBudgetError, check_yaml_budget

    try:
        check_yaml_budget(text)
        root = yaml.compose(text, Loader=loader)
    except YamlBudgetError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 1
        raise RegistryError([f"{where}:{line}: {exc.problem}"]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise RegistryError([f"{where}:{line}: YAML syntax error: {what}"]) from exc
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", 0)
        line = text.count("\n", 0, position) + 1
        raise RegistryError([f"{where}:{line}: YAML error: {exc}"]) from exc
    if root is None:
        raise RegistryError([f"{where}:1: the registry is empty"])
    data, problems = walk_document(root, _schema(), _check_meaning)
    if problems:
        raise RegistryError([f"{where}:{line}: {message}" for line, message in problems])
    return data


def _schema() -> Spec:
    """The registry's schema as data; regions.yaml's header comment describes the same thing."""
    from domaincheck.core.platforms import Platform
    from domaincheck.registry.schema import (
        Boolean,
        Choice,
        Field,
        Hostname,
        Integer,
        ListOf,
        MapOf,
        Record,
        Ref,
        String,
        Text,
    )

    ident = String(r"[a-z0-9][a-z0-9._-]*", "an id (lower-case letters, digits, '.', '_', '-')")
    host = Record(
        {
            "host": Field(Hostname(), required=True),
            "role": Field(Choice(tuple(HostRole), "role"), required=True),
            "sources": Field(ListOf(Ref("sources", "source"), min_items=1), required=True),
            "family": Field(Choice(tuple(SocketFamily), "socket family")),
            "platforms": Field(ListOf(Choice(tuple(Platform), "platform"), min_items=1)),
            "alternative_of": Field(Hostname()),
            "disputed": Field(Text()),
            "file_sources": Field(ListOf(Ref("sources", "source"), min_items=1)),
        },
        name="a host",
    )
    source = Record(
        {
            "document": Field(Text(), required=True),
            "version": Field(Text(), required=True),
            "title": Field(Text()),
            "platforms": Field(ListOf(Choice(tuple(Platform), "platform"), min_items=1)),
            "corroborating": Field(Boolean()),
        },
        name="a source",
    )
    region = Record(
        {
            "id": Field(ident, required=True),
            "name_zh": Field(String(), required=True),
            "name_en": Field(String(), required=True),
            "aliases": Field(ListOf(String())),
            "public": Field(Boolean()),
            "note": Field(Text()),
            "socket_path": Field(String(r"/[!-~]*", "a path starting with '/'")),
            "hosts": Field(ListOf(host), required=True),
            "absent_on": Field(ListOf(Choice(tuple(Platform), "platform"), min_items=1)),
        },
        name="a region",
    )
    return Record(
        {
            "schema_version": Field(Integer(), required=True),
            "notes": Field(ListOf(Text())),
            # Declared before anything that refers to a source, since fields are walked in order.
            "sources": Field(MapOf(ident, source, declares="sources"), required=True),
            "common": Field(ListOf(host)),
            "regions": Field(ListOf(region, min_items=1), required=True),
        },
        name="the registry",
    )


def _check_meaning(data: dict[str, Any], walk: Walk) -> None:
    """The rules a schema cannot say: uniqueness across regions, references, a public region's hosts."""
    version = data.get("schema_version")
    if version is not None and version != SCHEMA_VERSION:
        walk.problem(
            data["_lines"]["schema_version"],
            "schema_version",
            f"unsupported version {version} (this domaincheck reads {SCHEMA_VERSION})",
        )
    _check_hosts(data.get("common", []), "common", walk)
    ids: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}
    for index, region in enumerate(data.get("regions", [])):
        path = f"regions[{index}]"
        rid, lines = region["id"], region["_lines"]
        if rid in ids:
            walk.problem(
                lines["id"], f"{path}.id", f"duplicate region id {rid!r} (first at line {ids[rid]})"
            )
        else:
            ids[rid] = lines["id"]
        own: set[str] = set()
        labelled = [
            (rid, "id", lines["id"]),
            (region["name_zh"], "name_zh", lines["name_zh"]),
            (region["name_en"], "name_en", lines["name_en"]),
            *(
                (alias, "aliases", lines.get("aliases", region["_line"]))
                for alias in region.get("aliases", [])
            ),
        ]
        for name, field, line in labelled:
            key = normalise_region_name(name)
            if key in own:
                continue  # a region may repeat its own name (e.g. an id equal to its English name)
            own.add(key)
            if key in names and names[key][0] != rid:
                other, first = names[key]
                walk.problem(
                    line,
                    f"{path}.{field}",
                    f"duplicate region name {name!r}: region {other!r} (line {first}) already uses it",
                )
            else:
                names.setdefault(key, (rid, line))
        public = region.get("public", True)
        if public and not region["_sizes"].get("hosts"):
            walk.problem(region["_line"], path, f"region {rid!r} is public but lists no hosts")
        if not public and not region.get("note"):
            walk.problem(
                region["_line"],
                path,
                f"region {rid!r} is not public, so it needs a note saying how to get its hosts",
            )
        _check_hosts(region["hosts"], f"{path}.hosts", walk)


def _check_hosts(hosts: list[dict[str, Any]], path: str, walk: Walk) -> None:
    seen: dict[tuple[str, str, str | None], int] = {}
    by_role: dict[str, set[str]] = {}
    for host in hosts:
        by_role.setdefault(host["role"], set()).add(host["host"])
    for index, host in enumerate(hosts):
        where, line = f"{path}[{index}]", host["_line"]
        key = (host["host"], host["role"], host.get("family"))
        if key in seen:
            walk.problem(
                line,
                where,
                f"{host['host']} is listed twice with role {host['role']} (first at line {seen[key]})",
            )
        else:
            seen[key] = line
        if host["role"] == HostRole.SOCKET and "family" not in host:
            walk.problem(line, where, "a socket host needs a family (alipay or wechat)")
        original = host.get("alternative_of")
        if "file_sources" in host and host["role"] != HostRole.REST:
            walk.problem(
                host["_lines"]["file_sources"],
                f"{where}.file_sources",
                "file_sources is for rest hosts (other roles name their list themselves)",
            )
        if original is not None and original not in by_role.get(host["role"], set()):
            walk.problem(
                host["_lines"]["alternative_of"],
                f"{where}.alternative_of",
                f"{original!r} is not a {host['role']} host listed next to it",
            )


# --- building the model --------------------------------------------------------------------------


def _build(where: str, data: dict[str, Any]) -> Registry:
    sources = {
        sid: Source(
            id=sid,
            document=s["document"],
            version=s["version"],
            title=s.get("title", ""),
            platforms=tuple(s.get("platforms", ())),
            corroborating=s.get("corroborating", False),
            line=s.get("_line", 0),
        )
        for sid, s in data["sources"].items()
    }
    regions = tuple(
        Region(
            id=r["id"],
            name_zh=r["name_zh"],
            name_en=r["name_en"],
            aliases=tuple(r.get("aliases", ())),
            public=r.get("public", True),
            note=r.get("note", ""),
            socket_path=r.get("socket_path", "/websocket"),
            hosts=tuple(_host(h) for h in r["hosts"]),
            absent_on=tuple(r.get("absent_on", ())),
        )
        for r in data["regions"]
    )
    return Registry(
        path=where,
        schema_version=data["schema_version"],
        sources=sources,
        regions=regions,
        common=tuple(_host(h) for h in data.get("common", ())),
        notes=tuple(data.get("notes", ())),
    )


def _host(h: dict[str, Any]) -> RegistryHost:
    family = h.get("family")
    return RegistryHost(
        host=h["host"],
        role=HostRole(h["role"]),
        sources=tuple(h["sources"]),
        family=SocketFamily(family) if family is not None else None,
        platforms=tuple(h.get("platforms", ())),
        alternative_of=h.get("alternative_of"),
        disputed=h.get("disputed"),
        line=h["_line"],
        file_sources=tuple(h.get("file_sources", ())),
    )
