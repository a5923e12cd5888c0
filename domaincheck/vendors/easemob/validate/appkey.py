"""appKey: present, of the form orgname#appname, and the app the project file names."""

from __future__ import annotations

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import Status
from domaincheck.vendors.easemob.options import APP_NAME_RE, ORG_NAME_RE
from domaincheck.vendors.easemob.validate._base import Validator


def check_app_key(v: Validator) -> None:
    app_id, app_id_value = v.literal("appId")
    option, value = v.literal("appKey")
    if app_id is not None:
        if app_id.static and (not isinstance(app_id_value, str) or not app_id_value):
            v.add(
                CheckId.SDK_APPKEY_FORMAT,
                Status.FAIL,
                f"appId is {app_id_value!r}: the SDK throws `Invalid appId` unless it is a non-empty string",
                "Set appId to the app's id from the console, or use appKey instead.",
                app_id,
            )
        else:
            v.add(
                CheckId.SDK_APPKEY_FORMAT,
                Status.INFO,
                "appId is set: the SDK ignores appKey and gets it from the HTTP-DNS answer",
                None,
                app_id,
            )
        return
    if option is None:
        v.add(
            CheckId.SDK_APPKEY_MISSING,
            Status.FAIL,
            "appKey is not set: the SDK throws `Invalid appKey`",
            'Set appKey to the app\'s "orgname#appname" from the console (应用详情).',
        )
        return
    if not option.static or not isinstance(value, str):
        return
    parts = value.split("#")
    placeholder = (
        " (it looks like the docs' placeholder)"
        if "appkey" in value.replace(" ", "").lower()
        else ""
    )
    if len(parts) != 2:
        count = len(parts) - 1
        v.add(
            CheckId.SDK_APPKEY_FORMAT,
            Status.FAIL,
            f"appKey {value!r} has {count or 'no'} '#'{placeholder}: it must be orgname#appname, "
            "and the SDK throws `Invalid appKey` otherwise",
            "Copy the appKey from the console (应用详情): orgname#appname.",
            option,
        )
        return
    org, app = parts
    if not org or not app:
        v.add(
            CheckId.SDK_APPKEY_FORMAT,
            Status.FAIL,
            f"appKey {value!r} has an empty {'org' if not org else 'app'} name: the SDK accepts it, "
            "but every REST call and the login then go to a wrong path",
            "Copy the appKey from the console (应用详情): orgname#appname.",
            option,
        )
        return
    ok = True
    if not APP_NAME_RE.match(app):
        ok = False
        v.add(
            CheckId.SDK_APPKEY_APPNAME,
            Status.FAIL,
            f"app name {app!r} of appKey {value!r} breaks the console's rule: only lowercase letters, "
            "digits and hyphens, at most 32 characters",
            "Copy the appKey from the console exactly (应用详情).",
            option,
        )
    if not ORG_NAME_RE.match(org):
        ok = False
        v.add(
            CheckId.SDK_APPKEY_ORGNAME,
            Status.WARN,
            f"org name {org!r} of appKey {value!r} has characters other than letters, digits and hyphens",
            "Check the appKey against the console (应用详情).",
            option,
        )
    expected = v.settings.app_key
    if expected is not None and expected != value:
        ok = False
        v.add(
            CheckId.SDK_APPKEY_MISMATCH,
            Status.FAIL,
            f"appKey {value!r} differs from the project file's app_key {expected!r}",
            "Use the same appKey in the SDK config and in domaincheck.yaml.",
            option,
            expected=expected,
        )
    if ok:
        v.add(
            CheckId.SDK_APPKEY_FORMAT,
            Status.PASS,
            f"appKey {value!r} has the form orgname#appname",
            None,
            option,
        )
