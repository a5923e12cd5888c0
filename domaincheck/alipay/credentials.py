"""Where a sync's credentials come from: options, then environment variables, then the project file.

Pure: the environment and the project file's `alipay:` section come in as mappings. The values are
secrets in the sense that matters here: no message, repr or report ever shows the app id, the
app_auth_token or a key, only the names of the options and files that hold them.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from domaincheck.alipay.errors import AlipayCredentialsError
from domaincheck.alipay.protocol import PRODUCTION_GATEWAY, SANDBOX_GATEWAY

ENV_PREFIX = "DOMAINCHECK_ALIPAY_"
# The fields, in the order messages list them; each is an option (--app-id), an environment
# variable (DOMAINCHECK_ALIPAY_APP_ID) and a key of the project file's `alipay:` section (app_id).
FIELDS = ("app_id", "private_key_file", "alipay_public_key_file", "app_auth_token", "gateway")
# Shorter spellings also accepted from the environment.
ENV_ALIASES = {"alipay_public_key_file": ENV_PREFIX + "PUBLIC_KEY_FILE"}
# Keywords accepted wherever a gateway URL is.
GATEWAY_KEYWORDS = {"production": PRODUCTION_GATEWAY, "sandbox": SANDBOX_GATEWAY}


def env_var(name: str) -> str:
    """The environment variable of a credential field."""
    return ENV_PREFIX + name.upper()


@dataclass(frozen=True)
class AlipayCredentials:
    """What a sync needs to call the gateway for one app. The repr hides the app id and the token."""

    app_id: str = field(repr=False)
    private_key_file: Path
    alipay_public_key_file: Path
    app_auth_token: str | None = field(default=None, repr=False)
    gateway: str = PRODUCTION_GATEWAY

    @property
    def is_sandbox(self) -> bool:
        return self.gateway == SANDBOX_GATEWAY


# PEM armour, or a long run of base64 alone (a key pasted without its armour): no file name
# looks like either.
_PEM = re.compile(r"-----BEGIN|PRIVATE KEY|PUBLIC KEY")
_BARE_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]{64,}")


def looks_like_key_material(value: str) -> bool:
    """True when `value`, given where a key file's path is expected, is the key itself."""
    return bool(_PEM.search(value)) or (
        _BARE_BASE64.fullmatch(value.strip()) is not None and not Path(value).exists()
    )


def _source_of(name: str, options: Mapping[str, str | None], environ: Mapping[str, str]) -> str:
    if options.get(name):
        return f"--{name.replace('_', '-')}"
    if environ.get(env_var(name), "").strip():
        return env_var(name)
    return f"alipay.{name} in the project file"


def _option_hint(name: str) -> str:
    return f"--{name.replace('_', '-')}, {env_var(name)} or alipay.{name} in the project file"


def _pick(
    name: str,
    options: Mapping[str, str | None],
    environ: Mapping[str, str],
    project: Mapping[str, object] | None,
) -> tuple[str | None, bool]:
    """The first non-empty value for `name`, and whether it came from the project file."""
    value = options.get(name)
    if value:
        return value.strip(), False
    for variable in (env_var(name), ENV_ALIASES.get(name)):
        if variable and environ.get(variable, "").strip():
            return environ[variable].strip(), False
    if project is not None:
        raw = project.get(name)
        if raw is not None and not isinstance(raw, str):
            raise AlipayCredentialsError(f"alipay.{name} in the project file must be a string")
        if raw and raw.strip():
            return raw.strip(), True
    return None, False


def check_gateway_url(url: str) -> str:
    """The gateway URL, if it is https (or http to this machine, for tests and local fakes)."""
    url = GATEWAY_KEYWORDS.get(url.lower(), url)
    from domaincheck.core.untrusted import control_character

    bad = control_character(url)
    if bad is not None:
        raise AlipayCredentialsError(
            f"the gateway URL holds a control character or a space ({bad})"
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a port that is not a number raises here, not in the client
    except ValueError as exc:
        raise AlipayCredentialsError(f"the gateway URL is not a valid URL: {exc}") from None
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and is_loopback_host(host):
        return url
    raise AlipayCredentialsError(
        "the gateway must be an https:// URL (http:// only to this machine), "
        "or 'production' or 'sandbox'"
    )


def is_loopback_host(host: str) -> bool:
    """True for localhost and loopback addresses: the only hosts a plain-http gateway may be on."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_credentials(
    *,
    options: Mapping[str, str | None],
    environ: Mapping[str, str],
    project: Mapping[str, object] | None = None,
    project_dir: Path | None = None,
    sandbox: bool = False,
) -> AlipayCredentials:
    """Credentials from options, else environment variables, else the project file's `alipay:`.

    `options` and `project` are keyed by the names in `FIELDS`; relative key paths from the project
    file are relative to `project_dir`. `sandbox` selects the sandbox gateway unless a gateway URL is
    given as an option.
    """
    if project is not None:
        unknown = sorted(set(project) - set(FIELDS))
        if unknown:
            raise AlipayCredentialsError(
                f"unknown key alipay.{unknown[0]} in the project file (known: {', '.join(FIELDS)})"
            )
    values: dict[str, str | None] = {}
    from_project: dict[str, bool] = {}
    for name in FIELDS:
        values[name], from_project[name] = _pick(name, options, environ, project)

    missing = [n for n in ("app_id", "private_key_file", "alipay_public_key_file") if not values[n]]
    if missing:
        raise AlipayCredentialsError(
            "missing "
            + "; missing ".join(f"{n.replace('_', ' ')}: give {_option_hint(n)}" for n in missing)
        )
    app_id = values["app_id"] or ""
    if any(char.isspace() or not char.isprintable() for char in app_id):
        raise AlipayCredentialsError("the app id holds spaces or control characters")

    def key_path(name: str) -> Path:
        if looks_like_key_material(values[name] or ""):
            # Never echoed: not in this message, not in a "file not found" one.
            raise AlipayCredentialsError(
                f"{_source_of(name, options, environ)}: this looks like key material, not a file "
                "path; save the key in a file only you can read (chmod 600) and give its path"
            )
        path = Path(values[name] or "").expanduser()
        if from_project[name] and project_dir is not None and not path.is_absolute():
            path = project_dir / path
        return path

    if options.get("gateway"):
        gateway = options["gateway"] or ""
    elif sandbox:
        gateway = SANDBOX_GATEWAY
    else:
        gateway = values["gateway"] or PRODUCTION_GATEWAY
    return AlipayCredentials(
        app_id=app_id,
        private_key_file=key_path("private_key_file"),
        alipay_public_key_file=key_path("alipay_public_key_file"),
        app_auth_token=values["app_auth_token"] or None,
        gateway=check_gateway_url(gateway),
    )
