"""The options as a whole: found, literal or not, known to the SDK, of the right type."""

from __future__ import annotations

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import Status
from domaincheck.vendors.easemob.model import ConfigShape
from domaincheck.vendors.easemob.options import (
    BOOLEAN_OPTIONS,
    IGNORED_OPTIONS,
    KNOWN_OPTIONS,
    canonical,
)
from domaincheck.vendors.easemob.validate._base import Validator, closest, is_number, js, quoted


def check_found(v: Validator) -> None:
    config = v.config
    if config.opaque:
        v.add(
            CheckId.SDK_CONFIG_NOT_STATIC,
            Status.WARN,
            f"cannot check statically: {config.opaque} in {config.description}",
            "Write the options as an object literal, or point sdk_config at the file that holds it.",
        )
        return
    message = f"read {len(config.options)} option(s) from {config.description}"
    v.add(
        CheckId.SDK_CONFIG_FOUND,
        Status.PASS,
        message,
        shape=config.shape.value,
        notes=list(config.notes) or None,
    )
    for note in config.notes:
        if "not checked" in note:
            v.add(CheckId.SDK_CONFIG_PARTIAL, Status.INFO, f"{note}", None)


def check_not_static(v: Validator) -> None:
    for option in v.config.options:
        if option.static:
            continue
        name = canonical(option.name, v.config)
        if name in IGNORED_OPTIONS:
            continue  # reported as ignored: its value does not matter
        important = name in ("appKey", "url", "apiUrl", "https", "isHttpDNS")
        origin = f", {option.origin}" if option.origin else ""
        fix = "Check this value by hand, or write it as a literal."
        if "imported from" in option.origin:
            fix = (
                "Check the value where it is set; if that module exports the options object "
                "(as the demos' WebIMConfig.js does), point sdk_config at it."
            )
        v.add(
            CheckId.SDK_VALUE_NOT_STATIC,
            Status.WARN if important else Status.INFO,
            f"{option.name}: cannot check statically: it is {option.reason} "
            f"{quoted(option.source)}{origin}",
            fix,
            option,
            reason=option.reason,
            origin=option.origin or None,
        )


def check_options_known(v: Validator) -> None:
    known = KNOWN_OPTIONS | set(IGNORED_OPTIONS)
    for option in v.config.options:
        name = canonical(option.name, v.config)
        if name in IGNORED_OPTIONS:
            if (
                name == "enableReportLogs"
                and v.settings.sdk_version is not None
                and v.settings.sdk_version < (4, 12)
            ):
                continue
            v.add(
                CheckId.SDK_OPTION_IGNORED,
                Status.INFO,
                f"{option.name} is ignored by SDK 4.x: {IGNORED_OPTIONS[name]}",
                f"Remove {option.name}; it has no effect.",
                option,
            )
        elif name not in known:
            close = closest(option.name, KNOWN_OPTIONS)
            if v.config.shape is not ConfigShape.CONNECTION_CALL and close is None:
                continue  # a config module holds the app's other settings too
            if close is not None:
                v.add(
                    CheckId.SDK_OPTION_UNKNOWN,
                    Status.WARN,
                    f"{option.name} is not an SDK option; did you mean {close}? The SDK reads {close} only",
                    f"Rename {option.name} to {close}.",
                    option,
                    suggestion=close,
                )
            else:
                v.add(
                    CheckId.SDK_OPTION_UNKNOWN,
                    Status.INFO,
                    f"{option.name} is not an option SDK 4.x reads",
                    f"Remove {option.name} unless your own code reads it.",
                    option,
                )


def check_types(v: Validator) -> None:
    for name in BOOLEAN_OPTIONS:
        option, value = v.literal(name)
        if option is None or not option.static or value is None or isinstance(value, bool):
            continue
        truthy = "true" if value else "false"
        meant = value.strip().lower() in ("true", "1") if isinstance(value, str) else bool(value)
        v.add(
            CheckId.SDK_OPTION_TYPE,
            Status.FAIL,
            f"{v.label(option)} is {js(value)}, not a boolean: the SDK reads it as {truthy}",
            f"Write {name}: {'true' if meant else 'false'} without quotes.",
            option,
        )
    for name in ("heartBeatWait", "autoReconnectNumMax", "customOSPlatform"):
        option, value = v.literal(name)
        if option is None or not option.static or value is None or is_number(value):
            continue
        v.add(
            CheckId.SDK_OPTION_TYPE,
            Status.FAIL,
            f"{v.label(option)} is {js(value)}, not a number",
            f"Write {name} as a number without quotes.",
            option,
        )
    for name in ("url", "apiUrl", "appKey"):
        option, value = v.literal(name)
        if option is None or not option.static or value is None or isinstance(value, str):
            continue
        v.add(
            CheckId.SDK_OPTION_TYPE,
            Status.FAIL,
            f"{v.label(option)} is {js(value)}, not a string",
            f"Write {name} as a string.",
            option,
        )
