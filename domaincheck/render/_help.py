"""Help text for check and rule ids, for the outputs that carry it (SARIF rules, the HTML report).

The live checks' help is here; the static whitelist rules' help comes from their own table,
`static_checks.RULE_IDS`, and the app-setup checks' (sdk.*, console.*, httpdns.*) from
`appsetup.APP_SETUP_RULES`, so that one rule id has one text everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleHelp:
    """A rule's short title and a paragraph on what it checks and how to fix a finding."""

    title: str
    help: str


LIVE_CHECK_HELP: Mapping[str, RuleHelp] = {
    "dns": RuleHelp(
        "Host resolves",
        "The host must resolve to at least one A or AAAA address from the resolvers a phone would "
        "use. NXDOMAIN means the name does not exist; SERVFAIL or a timeout means the resolver "
        "could not answer. Different answers from different resolvers are reported.",
    ),
    "tls": RuleHelp(
        "TLS a phone accepts",
        "The server must offer TLS 1.2 or newer with a certificate that matches the host, is "
        "trusted by Mozilla's roots, is within its validity period and comes with its complete "
        "chain: Android clients in mini programs do not fetch missing intermediates. Deploy the "
        "full chain (fullchain.pem) and renew certificates before they expire.",
    ),
    "https": RuleHelp(
        "HTTPS answers",
        "A request host must answer an HTTPS request over HTTP/1.1; a 2xx, 3xx or 4xx status "
        "means it is reachable, a 5xx warns that its upstream fails. The phone follows "
        "redirects: one to plain http (a TLS-terminating proxy building http:// URLs), to a "
        "host the whitelist does not cover, or in a loop fails. Refused, reset, timeout and TLS "
        "failures say why it is not reachable.",
    ),
    "websocket": RuleHelp(
        "WebSocket upgrade completes",
        "A socket host must complete an RFC 6455 upgrade on wss://host/websocket: status 101 and "
        "a correct Sec-WebSocket-Accept. Any other answer means the SDK cannot connect.",
    ),
}


def _static_rule_help(check_id: str) -> RuleHelp | None:
    from domaincheck.whitelist.static_checks import RULE_IDS

    for rule_id, info in RULE_IDS.items():
        if rule_id == check_id:
            return RuleHelp(info.title, info.help)
    return None


def _app_setup_rule_help(check_id: str) -> RuleHelp | None:
    from domaincheck.appsetup.checks import APP_SETUP_RULES

    info = APP_SETUP_RULES.get(check_id)
    return RuleHelp(info.title, info.help) if info is not None else None


def rule_help(check_id: str) -> RuleHelp:
    """The title and help text for a check or rule id; a plain fallback for an id nobody describes."""
    family = check_id.split(".", 1)[0]
    found = (
        LIVE_CHECK_HELP.get(check_id)
        or _static_rule_help(check_id)
        or _app_setup_rule_help(check_id)
    )
    if found is not None:
        return found
    if family in LIVE_CHECK_HELP:
        return LIVE_CHECK_HELP[family]
    return RuleHelp(check_id, f"See the domaincheck README for the `{check_id}` check.")
