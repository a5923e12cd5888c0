"""--via: every connection of the live checks and the HTTP-DNS fetch through a SOCKS5 or CONNECT proxy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from domaincheck.checks.settings import parse_via
from domaincheck.core.errors import UsageError
from domaincheck.core.model import ProbeKind, ProbeTarget, Status
from domaincheck.run.runner import run_live_checks
from tests.lab.lab import Lab, host
from tests.lab.proxies import LabProxy, ProxyMode

NAMES = ("good", "wronghost", "expired", "refused", "ws403", "nosuch", "silent")
StartProxy = Callable[..., LabProxy]


@pytest.fixture
def start(lab: Lab) -> Iterator[StartProxy]:
    started: list[LabProxy] = []

    def go(socks: bool = True, mode: ProxyMode = ProxyMode.OK) -> LabProxy:
        names = {host(n): "127.0.0.1" for n in NAMES if n != "nosuch"}
        proxy = lab.loop.call(LabProxy(socks=socks, mode=mode, names=names).start())
        started.append(proxy)
        return proxy

    yield go
    for proxy in started:
        lab.loop.call(proxy.stop())


def targets() -> list[ProbeTarget]:
    found = [ProbeTarget(host(n), ProbeKind.HTTPS) for n in NAMES]
    found.append(ProbeTarget(host("good"), ProbeKind.WEBSOCKET, path="/websocket"))
    return found


def verdicts(settings: Any) -> dict[tuple[str, str], Status]:
    return {(r.target, r.check): r.status for r in run_live_checks(targets(), settings)}


@pytest.mark.parametrize("socks", [True, False], ids=["socks5h", "connect"])
def test_same_verdicts_through_a_proxy_as_direct(lab: Lab, start: StartProxy, socks: bool) -> None:
    proxy = start(socks=socks)
    direct = verdicts(lab.settings(timeout=1.0))
    through = verdicts(lab.settings(timeout=1.0, proxy=parse_via(proxy.url())))
    assert through == direct
    assert direct[(host("good"), "https")] is Status.PASS
    assert direct[(host("good"), "websocket")] is Status.PASS
    # The names went to the proxy (resolved there), never an address resolved here.
    port = lab.servers["good"].port
    assert f"{host('good')}:{port}" in proxy.targets


@pytest.mark.parametrize(
    ("socks", "mode", "auth", "kind", "words"),
    [
        (True, ProxyMode.AUTH, "", "proxy-auth", "requires authentication"),
        (True, ProxyMode.AUTH, "lab:wrong@", "proxy-auth", "rejected the user name or password"),
        (True, ProxyMode.DENY, "", "proxy-refused", "not allowed by the proxy's rules"),
        (False, ProxyMode.AUTH, "", "proxy-auth", "407"),
        (False, ProxyMode.DENY, "", "proxy-refused", "refused CONNECT"),
    ],
)
def test_proxy_failures_name_the_proxy(
    lab: Lab, start: StartProxy, socks: bool, mode: ProxyMode, auth: str, kind: str, words: str
) -> None:
    proxy = start(socks=socks, mode=mode)
    spec = parse_via(proxy.url(auth))
    results = run_live_checks(
        [ProbeTarget(host("good"), ProbeKind.HTTPS)], lab.settings(proxy=spec)
    )
    tls = next(r for r in results if r.check == "tls")
    assert tls.status is Status.ERROR, tls.message
    assert words in tls.message and spec.label in tls.message, tls.message
    assert "secret" not in tls.message and "wrong" not in tls.message  # never the password


@pytest.mark.parametrize("socks", [True, False], ids=["socks5h", "connect"])
def test_the_right_password_opens_the_tunnel(lab: Lab, start: StartProxy, socks: bool) -> None:
    proxy = start(socks=socks, mode=ProxyMode.AUTH)
    spec = parse_via(proxy.url("lab:secret@"))
    results = run_live_checks(
        [ProbeTarget(host("good"), ProbeKind.HTTPS)], lab.settings(proxy=spec)
    )
    assert {r.check: r.status for r in results}["https"] is Status.PASS


def test_a_proxy_nobody_listens_on_is_not_the_targets_fault(lab: Lab) -> None:
    from tests.lab.servers import free_port

    spec = parse_via(f"socks5h://127.0.0.1:{free_port()}")
    results = run_live_checks(
        [ProbeTarget(host("good"), ProbeKind.HTTPS)], lab.settings(proxy=spec)
    )
    tls = next(r for r in results if r.check == "tls")
    assert tls.status is Status.ERROR
    assert f"cannot connect to the proxy {spec.label}" in tls.message


def test_target_refused_behind_the_proxy_reads_as_refused(lab: Lab, start: StartProxy) -> None:
    proxy = start(socks=True)
    spec = parse_via(proxy.url())
    results = run_live_checks(
        [ProbeTarget(host("refused"), ProbeKind.HTTPS)], lab.settings(proxy=spec)
    )
    tls = next(r for r in results if r.check == "tls")
    assert tls.status is Status.ERROR
    assert "connection refused" in tls.message and "reported by the proxy" in tls.message


def test_parse_via() -> None:
    spec = parse_via("socks5h://u:p@127.0.0.1:1080")
    assert (spec.scheme, spec.host, spec.port, spec.username, spec.password) == (
        "socks5h",
        "127.0.0.1",
        1080,
        "u",
        "p",
    )
    assert spec.label == "socks5h://u@127.0.0.1:1080"
    assert parse_via("http://proxy.example:3128").resolves_names
    assert not parse_via("socks5://127.0.0.1:1080").resolves_names
    for bad in ("ftp://x:1", "socks5h://x", "socks5h://:1080", "http://x:99999", "socks5h://[::1"):
        with pytest.raises(UsageError, match="--via"):
            parse_via(bad)


def test_check_records_the_vantage_with_its_resolvers_and_proxy(
    lab: Lab, start: StartProxy
) -> None:
    import json

    from tests.test_cli_check_live import invoke, lab_options, results_for

    proxy = start(socks=True)
    args = ["check", "--platform", "wechat", "--extra", f"https://{host('good')}"]
    args += [*lab_options(lab, "good"), "--timeout", "1", "--format", "json"]
    named = json.loads(invoke(*args, "--via", proxy.url(), "--vantage", "hangzhou").stdout)
    assert named["vantage"] == {
        "name": "hangzhou",
        "resolvers": [f"127.0.0.1:{lab.dns.port}"],
        "proxy": proxy.url(),
    }
    assert results_for(named, host("good"))["https"]["status"] == "pass"
    assert f"127.0.0.1:{lab.servers['good'].port}" in proxy.targets  # the tunnel was used
    default = json.loads(invoke(*args).stdout)["vantage"]
    assert default["name"].endswith(f"@127.0.0.1:{lab.dns.port}") and default["proxy"] is None


def test_a_proxy_password_stays_out_of_the_report(lab: Lab, start: StartProxy) -> None:
    import json

    from typer.testing import CliRunner

    from domaincheck.cli import app
    from tests.test_cli_check_live import lab_options

    proxy = start(socks=True, mode=ProxyMode.AUTH)
    args = ["check", "--platform", "wechat", "--extra", f"https://{host('good')}"]
    args += [*lab_options(lab, "good"), "--timeout", "1", "--format", "json"]
    given = CliRunner().invoke(app, [*args, "--via", proxy.url("lab:secret@")])
    report = json.loads(given.stdout)
    assert "secret" not in given.stdout
    assert proxy.url("lab:***@") in report["command"]
    assert report["vantage"]["proxy"] == proxy.url("lab@")
    from_env = CliRunner().invoke(app, args, env={"DOMAINCHECK_VIA": proxy.url("lab:secret@")})
    report = json.loads(from_env.stdout)
    assert "secret" not in from_env.stdout and "--via" not in report["command"]
    https = [r for r in report["results"] if (r["target"], r["check"]) == (host("good"), "https")]
    assert https[0]["status"] == "pass"  # the tunnel was opened with the password
