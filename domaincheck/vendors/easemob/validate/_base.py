"""What every concern of the option checks shares: the settings, the validator that records
findings, and the host helpers (is a host one of the chosen regions', is it in the whitelist).
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from domaincheck.core.catalog import CheckId
from domaincheck.core.guard import run_guarded
from domaincheck.core.model import CheckResult, ConsoleList, Status
from domaincheck.core.platforms import Platform
from domaincheck.registry.model import HostRole, Region, Registry
from domaincheck.vendors.easemob.model import SdkConfig, SdkOption
from domaincheck.vendors.easemob.options import (
    DEFAULT_HEARTBEAT_MAX_MS,
    DEFAULT_HEARTBEAT_MIN_MS,
    WEB_SOCKET_HOST_RE,
    canonical,
    httpdns_in_use,
    sdk_options,
)
from domaincheck.vendors.easemob.registry import host_index
from domaincheck.whitelist.coverage import CoverageList, console_list_for, uncovered
from domaincheck.whitelist.profiles import profile_for, rules_for
from domaincheck.whitelist.rules import PlatformRules, entry_text, port_caveat

T = TypeVar("T")


@dataclass(frozen=True)
class SdkCheckSettings:
    """What the SDK config is checked against: platform, chosen regions, registry, whitelist.

    `coverage` is the whitelist the hosts must be in (the console's current list when the project
    names it, else the built whitelist). `app_key` is the project's, to compare with the config's.
    `sdk_version` (e.g. (4, 17, 0)) decides the `isHttpDNS` and `https` defaults; None means 4.12+.
    `extra_hosts` are the app's own domains: a url/apiUrl host among them is not an error.
    """

    platform: Platform
    regions: tuple[Region, ...]
    registry: Registry
    coverage: CoverageList
    app_key: str | None = None
    sdk_version: tuple[int, ...] | None = None
    extra_hosts: tuple[str, ...] = ()
    heartbeat_min_ms: int = DEFAULT_HEARTBEAT_MIN_MS
    heartbeat_max_ms: int = DEFAULT_HEARTBEAT_MAX_MS
    rules: PlatformRules | None = None


class UrlOption(NamedTuple):
    """A url/apiUrl option whose value is a string, split, with its label and lower-case host."""

    option: SdkOption
    value: str
    parts: Any
    name: str
    host: str
    padded: bool  # spaces around it (already reported)


class Validator:
    """Records the findings on one options object; each concern is a function of it."""

    def __init__(self, config: SdkConfig, settings: SdkCheckSettings) -> None:
        self.config = config
        self.settings = settings
        self.rules = settings.rules or rules_for(settings.platform)
        self.family = profile_for(settings.platform).socket_family
        self.options = sdk_options(config)
        self.results: list[CheckResult] = []
        self.places = host_index(settings.registry)
        self.url_region: Region | None = None
        self.api_region: Region | None = None

    # -- plumbing --------------------------------------------------------------------------
    def add(
        self,
        check: CheckId,
        status: Status,
        message: str,
        fix: str | None = None,
        option: SdkOption | None = None,
        **details: Any,
    ) -> None:
        line = option.line if option is not None else self.config.line
        payload: dict[str, Any] = {"file": str(self.config.path), "line": line}
        if option is not None:
            payload["option"] = option.name
            if option.static:
                payload["value"] = option.value
            else:
                payload["source"] = option.source
        payload.update({k: v for k, v in details.items() if v is not None})
        self.results.append(
            CheckResult(self.config.where(line), check, status, message, payload, fix)
        )

    def literal(self, name: str) -> tuple[SdkOption | None, Any]:
        """The option and its value; a non-literal option is reported once and gives (option, None)."""
        option = self.options.get(name)
        if option is None:
            return None, None
        if not option.static:
            return option, None
        return option, option.value

    def label(self, option: SdkOption) -> str:
        if option.name != canonical(option.name, self.config):
            return f"{option.name} (the SDK's {canonical(option.name, self.config)})"
        return option.name

    @property
    def dns_on(self) -> bool | None:
        return httpdns_in_use(self.config, self.settings.sdk_version)

    @property
    def dropped_branches(self) -> str:
        """The uni-app #ifdef branches this platform's build drops, for a missing option's message."""
        dropped = [n for n in self.config.notes if "build, so they are not read" in n]
        return f" ({'; '.join(dropped)})" if dropped else ""

    @property
    def dns_sdk(self) -> str:
        """Who overwrites url/apiUrl from HTTP-DNS: SDK >= 4.12 unless an older version is given."""
        version = self.settings.sdk_version
        return "SDK >= 4.12" if version is None or version >= (4, 12) else "the SDK"

    @property
    def version_text(self) -> str:
        version = self.settings.sdk_version
        return "SDK " + ".".join(map(str, version)) if version else "SDK 4.12 or later (assumed)"

    def url_option(
        self, key: str, checks: tuple[CheckId, CheckId], unserved: str, fix: Callable[[], str]
    ) -> UrlOption | None:
        """Option `key` (url, apiUrl) as a URL; None when it is not set or not a string.

        `checks` are the ids of "missing" and "scheme". Unset with HTTP-DNS off, the SDK has no
        server for it (`unserved` says what breaks, `fix()` how to set it); spaces around it fail.
        """
        missing, scheme = checks
        option, value = self.literal(key)
        if option is None or unset(option, value):
            if self.dns_on is False:
                self.add(
                    missing,
                    Status.FAIL,
                    f"{key} {set_as(option, value)} but HTTP-DNS is off: {unserved}"
                    + self.dropped_branches,
                    fix(),
                    option,
                )
            return None
        if not isinstance(value, str):
            return None
        parts = split_url(value)
        name = self.label(option)
        padded = value != value.strip()
        if padded:
            self.add(
                scheme,
                Status.FAIL,
                f"{name} {value!r} has spaces around it: the SDK passes it on as written",
                f"Write {value.strip()!r} without the spaces.",
                option,
            )
        host = (parts.hostname or "").lower().rstrip(".")
        return UrlOption(option, value, parts, name, host, padded)

    # -- host helpers ----------------------------------------------------------------------
    def known_host(
        self, option: SdkOption, name: str, host: str, role: HostRole, check: CheckId
    ) -> Region | None:
        """The chosen region `host` belongs to for `role`; reports why when it belongs to none."""
        places = self.places.get(host, [])
        role_places = [p for p in places if p.role is role]
        chosen = {r.id for r in self.settings.regions}
        family_ok = [
            p for p in role_places if role is not HostRole.SOCKET or p.family in (None, self.family)
        ]
        here = [p for p in family_ok if p.region.id in chosen]
        what = "socket" if role is HostRole.SOCKET else "REST"
        if here:
            region = here[0].region
            family = f" of the {self.family} family" if role is HostRole.SOCKET else ""
            self.add(
                check,
                Status.PASS,
                f"{name} host {host} is a {region.name_zh} ({region.id}) {what} host{family}",
                None,
                option,
                region=region.id,
            )
            return region
        chosen_names = ", ".join(f"{r.name_zh} ({r.id})" for r in self.settings.regions)
        expected = self.suggest(role)
        if family_ok:
            other = family_ok[0].region
            self.add(
                check,
                Status.FAIL,
                f"{name} host {host} is the {what} host of {other.name_zh} ({other.id}), "
                f"but the project's region is {chosen_names}",
                f"Use {expected}, or set the region to {other.id} if the app lives there.",
                option,
                region=other.id,
            )
            return other
        if role_places:
            wrong = role_places[0]
            self.add(
                check,
                Status.FAIL,
                f"{name} host {host} is {with_article(str(wrong.family))}-family socket host; the {self.rules.label} SDK build "
                f"connects to the {self.family} family's hosts",
                f"Use {expected}.",
                option,
                family=str(wrong.family),
            )
            return wrong.region if wrong.region.id in chosen else None
        if host in self.settings.extra_hosts:
            self.add(
                check,
                Status.INFO,
                f"{name} host {host} is not an Easemob host domaincheck knows; it is one of the project's own domains",
                None,
                option,
            )
            return None
        other_roles = sorted({p.role.value for p in places})
        known_as = (
            f" (the registry knows it as a {'/'.join(other_roles)} host)" if other_roles else ""
        )
        if role is HostRole.SOCKET and WEB_SOCKET_HOST_RE.match(host):
            known_as = (
                " (it is a socket host of the web/desktop SDK in the data-centre table; the "
                f"mini-program SDK connects to im-api-{self.family}* hosts)"
            )
        self.add(
            check,
            Status.FAIL,
            f"{name} host {host} is not a {what} host of {chosen_names}{known_as}",
            f"Use {expected}; for a private deployment, list the host in extra_domains.",
            option,
        )
        return None

    def covered(
        self,
        option: SdkOption | None,
        host: str,
        scheme: str,
        port: int | None,
        console_list: ConsoleList,
        check: CheckId,
        what: str,
    ) -> bool:
        console_list = console_list_for(self.rules, scheme, console_list)
        reason = uncovered(self.rules, self.settings.coverage, console_list, host, scheme, port)
        shown = f"{scheme}://{host}" + (f":{port}" if port is not None else "")
        several = len(self.rules.lists) > 1
        where = (
            f"the {console_list} list of {self.settings.coverage.label}"
            if several
            else self.settings.coverage.label
        )
        details = {"host": host, "console_list": console_list.value}
        caveat = port_caveat(self.rules, scheme, port) if reason is None else None
        if caveat is not None:
            self.add(
                check,
                Status.WARN,
                f"{what} {shown} is in {where}, but {caveat}",
                f"Serve it on 443 and drop :{port} from {what}.",
                option,
                **details,
            )
            return True
        if reason is None:
            self.add(
                check,
                Status.PASS,
                f"{what} {shown} is let through by {where}",
                None,
                option,
                **details,
            )
            return True
        soft = several and console_list in (ConsoleList.UPLOAD_FILE, ConsoleList.DOWNLOAD_FILE)
        entry = entry_text(self.rules, console_list, host, port)
        self.add(
            check,
            Status.WARN if soft else Status.FAIL,
            f"{what} {shown} is not let through: {reason}"
            + (" (file messages will fail)" if soft else ""),
            f"Add {entry} to the {console_list} list."
            if several
            else f"Add {entry} to the whitelist.",
            option,
            **details,
        )
        return False

    def suggest(self, role: HostRole) -> str:
        for region in self.settings.regions:
            for place_host in region.hosts_with(
                role, self.family if role is HostRole.SOCKET else None
            ):
                if place_host.alternative_of is None:
                    return place_host.host
        return "the host of your data centre"

    def step(self, check: CheckId, action: Callable[[], T]) -> T | None:
        """Runs one concern; a crash becomes an `error` result for `check` and the others run."""
        target = self.config.where(self.config.line)
        return run_guarded(check, target, action, self.results)


def closest(name: str, candidates: Sequence[str] | frozenset[str]) -> str | None:
    by_fold = {c.casefold(): c for c in candidates}
    if name.casefold() in by_fold:
        return by_fold[name.casefold()]
    found = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.85)
    return found[0] if found else None


def js(value: Any) -> str:
    """A value as JavaScript writes it: true, null, "text"."""
    return json.dumps(value, ensure_ascii=False)


def unset(option: SdkOption, value: Any) -> bool:
    """A literal the SDK reads as "not set" (`o.url || ""`): null or an empty string."""
    return option.static and (value is None or (isinstance(value, str) and not value.strip()))


def set_as(option: SdkOption | None, value: Any) -> str:
    return "is not set" if option is None else f"is {js(value)}"


def split_url(url: str) -> Any:
    """The parts of `url`; a URL written without a scheme still gives its host."""
    text = url.strip()
    return urlsplit(text if "://" in text or text.startswith("//") else "//" + text)


def with_article(word: str) -> str:
    """`word` with its indefinite article: an alipay, a wechat."""
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def quoted(source: str) -> str:
    return source if source.startswith("`") else f"`{source}`"


def is_number(value: Any) -> bool:
    """A finite number (a JSON `1e999` is read as infinity, which no option can mean)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def url_port(parts: Any) -> int | None:
    try:
        return int(parts.port) if parts.port is not None else None
    except ValueError:
        return None
