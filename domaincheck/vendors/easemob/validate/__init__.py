"""The checks of the Easemob SDK's init options, one module per concern.

`validate_sdk_config` runs every concern in `CONCERNS` order, each inside the crash guard under its
main id, and returns the findings (passes included) as `CheckResult`s with stable ids. The facts
come from the SDK reference notes §1 and §2 (the 4.17.0 constructor, the typings, the HTTP-DNS
code and the docs).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import CheckResult
from domaincheck.vendors.easemob.model import SdkConfig
from domaincheck.vendors.easemob.validate._base import SdkCheckSettings, Validator
from domaincheck.vendors.easemob.validate.appkey import check_app_key
from domaincheck.vendors.easemob.validate.connection import (
    check_custom_os_platform,
    check_heartbeat,
    check_https_flag,
    check_reconnect,
)
from domaincheck.vendors.easemob.validate.httpdns import check_httpdns
from domaincheck.vendors.easemob.validate.options import (
    check_found,
    check_not_static,
    check_options_known,
    check_types,
)
from domaincheck.vendors.easemob.validate.urls import check_api_url, check_same_region, check_url

__all__ = ["CONCERNS", "SdkCheckSettings", "validate_sdk_config"]

# Every concern after the options were found, in the order of its findings, with the id a crash
# of it is reported under.
CONCERNS: tuple[tuple[CheckId, Callable[[Validator], None]], ...] = (
    (CheckId.SDK_VALUE_NOT_STATIC, check_not_static),
    (CheckId.SDK_OPTION_UNKNOWN, check_options_known),
    (CheckId.SDK_OPTION_TYPE, check_types),
    (CheckId.SDK_APPKEY_FORMAT, check_app_key),
    (CheckId.SDK_HTTPS_DISABLED, check_https_flag),
    (CheckId.SDK_HTTPDNS_ENABLED, check_httpdns),
    (CheckId.SDK_URL_HOST, check_url),
    (CheckId.SDK_APIURL_HOST, check_api_url),
    (CheckId.SDK_REGION_MISMATCH, check_same_region),
    (CheckId.SDK_HEARTBEAT_RANGE, check_heartbeat),
    (CheckId.SDK_RECONNECT_ZERO, check_reconnect),
    (CheckId.SDK_OPTION_CUSTOM_OS_PLATFORM, check_custom_os_platform),
)


def validate_sdk_config(config: SdkConfig, settings: SdkCheckSettings) -> tuple[CheckResult, ...]:
    """Every finding about `config`: a list of `CheckResult`s, passes included, in a stable order."""
    validator = Validator(config, settings)
    validator.step(CheckId.SDK_CONFIG_FOUND, lambda: check_found(validator))
    if not config.opaque:
        for check, concern in CONCERNS:
            validator.step(check, partial(concern, validator))
    return tuple(validator.results)
