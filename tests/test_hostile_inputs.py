"""Untrusted data stays data: escaped everywhere it is shown, bounded before it is parsed, never
trusted to say what to connect to, and never echoed when it is a secret.

Most cases run the real program (a subprocess), as a CI job would: exit code 0, 1 or 2, no
traceback, no control character and no GitHub Actions workflow command in what it prints.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from domaincheck.appsetup.httpdns import probe_targets, screen_answer
from domaincheck.core.addresses import reserved_range
from domaincheck.core.catalog import CheckId
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.model import CheckResult, Status
from domaincheck.core.untrusted import escape, json_safe
from domaincheck.render import ReportFormat, render
from domaincheck.vendors.easemob.httpdns import HttpDnsAnswer, HttpDnsHost
from tests.lab.lab import Lab, host

HANG_LIMIT = 60
# What no line of output may hold: C0 but tab and newline, DEL, C1, bidi controls, NUL.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
WORKFLOW_COMMAND = re.compile(r"^\s*(::|##\[)", re.MULTILINE)
HOSTILE = "\x1b[31m::error::pwned\x00\x08\x9b2J\u202egnp.exe\u2066"


def program(*args: str | bytes) -> list[str | bytes]:
    return [sys.executable, "-m", "domaincheck", *args]


def run(
    *args: str | bytes, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        program(*args),
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "DOMAINCHECK_CACHE_DIR": "", "NO_COLOR": "1", **(env or {})},
        timeout=HANG_LIMIT,
        stdin=subprocess.DEVNULL,
    )
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert done.returncode in (ExitCode.PASSED, ExitCode.FAILED, ExitCode.BAD_INPUT), err
    for text in (out, err):
        assert not RAW_CONTROL.search(text), repr(text[:2000])
        assert not WORKFLOW_COMMAND.search(text), text[:2000]
    return subprocess.CompletedProcess(done.args, done.returncode, out, err)


# --- 4. no control character, no workflow command -------------------------------------------------


def test_escape_writes_every_control_as_text_and_breaks_workflow_commands() -> None:
    shown = escape(HOSTILE)
    assert shown == ("\\x1b[31m::error::pwned\\x00\\x08\\x9b2J\\u202egnp.exe\\u2066")
    assert escape("::add-mask::secret") == "\\x3a:add-mask::secret"
    assert escape("  ##[error]x") == "  \\x23#[error]x"
    assert escape("a\nb") == "a\\x0ab"
    assert escape("one\n::warning::two", keep_newlines=True) == "one\n\\x3a:warning::two"
    assert escape("普通的文字 ok: yes::no\t") == "普通的文字 ok: yes::no\t"


def test_results_are_escaped_for_every_renderer() -> None:
    from domaincheck.core.model import Report, Whitelist

    result = CheckResult(
        HOSTILE, CheckId.HTTPS, Status.FAIL, f"Location: {HOSTILE}", {"header": HOSTILE}, HOSTILE
    )
    report = Report(
        tool_version="1",
        generated_at="2026-01-01T00:00:00+00:00",
        command=("domaincheck", "check", HOSTILE),
        platform="wechat",
        regions=("cn1",),
        results=(result,),
        whitelist=Whitelist(platform="wechat", regions=("cn1",), entries=()),
    )
    for fmt in ReportFormat:
        text = render(report, fmt)
        assert not RAW_CONTROL.search(text.replace("\n", "").replace("\t", "")), fmt
        assert not WORKFLOW_COMMAND.search(text), fmt


def test_a_hostile_console_paste_is_shown_escaped(tmp_path: Path) -> None:
    paste = tmp_path / "console.txt"
    paste.write_text(
        f"https://a1.easemob.com\n{HOSTILE.replace(chr(0), '')}\n::add-mask::x\n"
        "https://evil.example.com/\x1b]0;t\x07\n",
        encoding="utf-8",
    )
    for fmt in ("text", "json", "markdown", "sarif", "junit", "html"):
        done = run("diff", str(paste), "--platform", "wechat", "--format", fmt, cwd=tmp_path)
        assert done.returncode == ExitCode.FAILED
        if fmt == "json":
            json.loads(done.stdout)


# --- 8. numbers and text JSON cannot hold ---------------------------------------------------------


def strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_nan_and_infinity_never_make_an_invalid_report(tmp_path: Path) -> None:
    config = tmp_path / "sdk.json"
    config.write_text(
        '{"appKey": "org#app", "url": "wss://im-api-wechat.easemob.com/websocket", '
        '"heartBeatWait": 1e999, "delivery": -1e999, "autoReconnectNumMax": 1e400}',
        encoding="utf-8",
    )
    for fmt in ("json", "sarif"):
        done = run(
            "check",
            "--offline",
            "-p",
            "wechat",
            "--sdk-config",
            str(config),
            "-f",
            fmt,
            cwd=tmp_path,
        )
        strict_json(done.stdout)
    assert json_safe({"x": float("nan"), "y": [float("-inf")]}) == {"x": "nan", "y": ["-inf"]}


def test_a_non_utf8_argument_and_a_lone_surrogate_never_crash_a_writer(tmp_path: Path) -> None:
    for fmt in ("text", "json", "sarif", "junit", "html", "markdown"):
        done = run(
            "check", "--offline", "--extra", b"https://caf\xe9.example.com", "-f", fmt, cwd=tmp_path
        )
        assert done.returncode in (ExitCode.FAILED, ExitCode.BAD_INPUT)
    from domaincheck.files.output import check_destination, write_destinations

    target = tmp_path / "r.txt"
    write_destinations([(check_destination(target), "lone \ud800 surrogate")])
    assert target.read_text(encoding="utf-8") == "lone \\ud800 surrogate"


# --- 9. control characters in URLs are refused at input -------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        "wss://im.example.com/ws\r\nX-Injected: 1",
        "https://api.example.com/\nHost: evil",
        "https://api.example.com/a b",
        "https://api\x7f.example.com",
        "https://api.example.com/\u202e",
        "uploadFile=https://files.example.com/\tx",
    ],
)
def test_control_characters_in_an_extra_are_exit_2_at_input(tmp_path: Path, extra: str) -> None:
    for command in ("whitelist", "check"):
        done = run(
            command,
            "--offline" if command == "check" else "-p",
            *(() if command == "check" else ("wechat",)),
            "--extra",
            extra,
            cwd=tmp_path,
        )
        assert done.returncode == ExitCode.BAD_INPUT, done.stderr
        assert len(done.stderr.splitlines()) == 1 and "--extra" in done.stderr


@pytest.mark.parametrize(
    "gateway", ["https://[::1", "https://h:abc/", "https://a.example.com/\r\nX: y"]
)
def test_a_malformed_gateway_url_is_exit_2_one_line(tmp_path: Path, gateway: str) -> None:
    key = tmp_path / "k.pem"
    key.write_text("x", encoding="utf-8")
    done = run(
        "sync",
        "--app-id",
        "2021",
        "--private-key-file",
        str(key),
        "--alipay-public-key-file",
        str(key),
        "--gateway",
        gateway,
        cwd=tmp_path,
    )
    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "gateway" in done.stderr


# --- 10. key material is never echoed -------------------------------------------------------------

PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAsecretsecretsecretsecretsecretsecretsecretsecretsecretAAAA\n"
    "-----END RSA PRIVATE KEY-----\n"
)
BARE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretsecretsecretsecretsecret"


@pytest.mark.parametrize("material", [PEM, BARE])
def test_key_material_given_as_a_path_is_named_and_never_printed(
    tmp_path: Path, material: str
) -> None:
    public = tmp_path / "alipay.pem"
    public.write_text("x", encoding="utf-8")
    by_option = run(
        "sync",
        "--app-id",
        "2021",
        "--private-key-file",
        material,
        "--alipay-public-key-file",
        str(public),
        cwd=tmp_path,
    )
    by_env = run(
        "sync",
        "--app-id",
        "2021",
        "--alipay-public-key-file",
        str(public),
        cwd=tmp_path,
        env={"DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE": material},
    )
    for done, source in (
        (by_option, "--private-key-file"),
        (by_env, "DOMAINCHECK_ALIPAY_PRIVATE_KEY_FILE"),
    ):
        assert done.returncode == ExitCode.BAD_INPUT, done.stderr
        assert "looks like key material, not a file path" in done.stderr and source in done.stderr
        assert "secret" not in done.stdout + done.stderr and "MII" not in done.stdout + done.stderr


# --- 5. the HTTP-DNS answer is not a list of targets ----------------------------------------------


def answer_with(*hosts: tuple[str, str, str, int | None]) -> HttpDnsAnswer:
    made = [HttpDnsHost(role, domain, ip, port, "https") for role, domain, ip, port in hosts]
    return HttpDnsAnswer(
        "rs.easemob.com",
        tuple(h for h in made if h.role == "rest"),
        tuple(h for h in made if h.role == "socket"),
        "msync-wx",
    )


def test_only_vendor_names_on_sdk_ports_are_probed() -> None:
    answer = answer_with(
        ("rest", "a1.easemob.com", "", None),
        ("rest", "169.254.169.254", "", None),
        ("rest", "localhost", "", None),
        ("socket", "10.0.0.1", "", 6379),
        ("socket", "127.0.0.1", "", 22),
        ("rest", "a1.attacker.example", "", None),
        ("socket", "im-api-wechat.easemob.com", "", 22),
        ("socket", "im-api-wechat.easemob.com", "", 443),
        ("rest", f"x{HOSTILE}.easemob.com", "", None),
    )
    kept, refused = screen_answer(answer, {"easemob.com", "agora.io"})
    assert [t.host for t in probe_targets(kept)] == ["a1.easemob.com", "im-api-wechat.easemob.com"]
    assert len(refused) == 7
    assert all(r.check is CheckId.HTTPDNS_HOST_REFUSED and r.status is Status.FAIL for r in refused)
    assert all(not RAW_CONTROL.search(r.message) for r in refused)


def test_a_huge_answer_is_capped_in_count() -> None:
    answer = answer_with(*[("rest", f"a{i}.easemob.com", "", None) for i in range(5000)])
    kept, refused = screen_answer(answer, {"easemob.com"})
    assert len(probe_targets(kept)) == 16
    assert [r.check for r in refused] == [CheckId.HTTPDNS_ANSWER]


# --- 6. private DNS answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "198.18.0.7",
        "198.19.255.1",
        "0.1.2.3",
        "::1",
        "fc00::1",
        "fe80::1",
        "::ffff:10.0.0.1",
    ],
)
def test_private_and_reserved_ranges_are_known(address: str) -> None:
    assert reserved_range(address) is not None


@pytest.mark.parametrize("address", ["1.1.1.1", "223.5.5.5", "2400:3200::1", "198.20.0.1"])
def test_public_addresses_are_not_flagged(address: str) -> None:
    assert reserved_range(address) is None


def test_a_private_dns_answer_fails_even_when_the_probes_are_pinned(
    lab: Lab, tmp_path: Path
) -> None:
    # The lab's DNS answers 127.0.0.1 for good.lab.test; the probes are pinned there too. Without
    # --allow-private-dns the answer is judged on its own: a public host there is not reachable
    # by a phone. The pinned probes still run (the user's choice).
    args = [
        "check",
        "-p",
        "wechat",
        "--extra",
        f"https://{host('good')}",
        "-f",
        "json",
        "--resolver",
        f"127.0.0.1:{lab.dns.port}",
        "--ca-bundle",
        str(lab.pki.ca_bundle),
        "--connect-to",
        f"{host('good')}:443:127.0.0.1:{lab.servers['good'].port}",
        "--timeout",
        "2",
        "-r",
        "cn1",
    ]
    judged = run(*args, cwd=tmp_path)
    results = {
        r["check"]: r for r in json.loads(judged.stdout)["results"] if r["target"] == host("good")
    }
    assert results["dns"]["status"] == "fail"
    assert (
        "private or reserved" in results["dns"]["message"]
        and "127.0.0.0/8" in results["dns"]["message"]
    )
    assert "--allow-private-dns" in results["dns"]["fix"]
    assert results["tls"]["status"] == "pass"
    allowed = run(*args, "--allow-private-dns", cwd=tmp_path)
    results = {
        r["check"]: r for r in json.loads(allowed.stdout)["results"] if r["target"] == host("good")
    }
    assert results["dns"]["status"] == "pass"


# --- 7. budgets on every parser -------------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{','.join(f'*{prev}' for _ in range(9))}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("alias.yaml", alias_bomb()),
        ("deep.yaml", "a: " + "[" * 249 + "]" * 249 + "\n"),
        ("deep.json", "[" * 991 + "]" * 991),
        ("chain.js", "new WebIM.connection({url: " + "+".join(['"a"'] * 496) + "})\n"),
        ("bad-escape.js", 'new WebIM.connection({url: "\\u{110000}"})\n'),
    ],
)
def test_hostile_sdk_configs_end_quickly_without_a_traceback(
    tmp_path: Path, name: str, text: str
) -> None:
    config = tmp_path / name
    config.write_text(text, encoding="utf-8")
    started = time.monotonic()
    done = run("check", "--offline", "-p", "wechat", "--sdk-config", str(config), cwd=tmp_path)
    assert time.monotonic() - started < HANG_LIMIT
    assert done.returncode in (ExitCode.FAILED, ExitCode.BAD_INPUT)


def test_an_alias_bomb_in_the_registry_or_project_file_is_refused(tmp_path: Path) -> None:
    registry = tmp_path / "regions.yaml"
    registry.write_text("schema_version: 1\n" + alias_bomb(), encoding="utf-8")
    done = run("whitelist", "--registry", str(registry), cwd=tmp_path)
    assert done.returncode == ExitCode.BAD_INPUT and "alias" in done.stderr
    project = tmp_path / "domaincheck.yaml"
    project.write_text("version: 1\n" + alias_bomb(), encoding="utf-8")
    done = run("whitelist", "--project", str(project), cwd=tmp_path)
    assert done.returncode == ExitCode.BAD_INPUT and "alias" in done.stderr


def test_a_registry_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    registry = tmp_path / "regions.yaml"
    with registry.open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)
    done = run("whitelist", "--registry", str(registry), cwd=tmp_path)
    assert done.returncode == ExitCode.BAD_INPUT and "limit" in done.stderr


@pytest.mark.parametrize("option", ["--sdk-config", "--console", "--project", "--registry"])
def test_a_fifo_where_a_file_is_expected_is_refused_not_waited_on(
    tmp_path: Path, option: str
) -> None:
    fifo = tmp_path / "input.yaml"
    os.mkfifo(fifo)
    done = run("check", "--offline", option, str(fifo), cwd=tmp_path)
    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert "FIFO" in done.stderr


# --- 11. the registry cache ------------------------------------------------------------------------


def test_a_corrupted_or_edited_cache_changes_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"DOMAINCHECK_CACHE_DIR": str(cache)}
    reference = run("whitelist", "-p", "wechat", "-r", "cn1", cwd=tmp_path, env=env)
    [cache_file] = list(cache.iterdir())
    pristine = cache_file.read_bytes()
    assert b"a1.easemob.com" in pristine
    edited = pristine.replace(b"a1.easemob.com", b"a1.attacker.exa")
    variants = [edited, pristine[:-7], pristine[:100], b"\x00" * len(pristine)]
    variants += [
        pristine[:i] + bytes([pristine[i] ^ 0x55]) + pristine[i + 1 :]
        for i in range(40, len(pristine), max(1, len(pristine) // 25))
    ]
    for variant in variants:
        cache_file.write_bytes(variant)
        again = run("whitelist", "-p", "wechat", "-r", "cn1", cwd=tmp_path, env=env)
        assert again.stdout == reference.stdout
        assert "attacker" not in again.stdout


def test_a_cache_that_is_a_fifo_or_a_link_is_not_followed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"DOMAINCHECK_CACHE_DIR": str(cache)}
    reference = run("whitelist", "-p", "wechat", "-r", "cn1", cwd=tmp_path, env=env)
    [cache_file] = list(cache.iterdir())
    cache_file.unlink()
    os.mkfifo(cache_file)
    started = time.monotonic()
    again = run("whitelist", "-p", "wechat", "-r", "cn1", cwd=tmp_path, env=env)
    assert again.stdout == reference.stdout
    assert time.monotonic() - started < HANG_LIMIT
    assert stat.S_ISFIFO(os.lstat(cache_file).st_mode)  # left alone, not replaced
    cache_file.unlink()
    elsewhere = tmp_path / "elsewhere.marshal"
    elsewhere.write_bytes(b"not a cache")
    cache_file.symlink_to(elsewhere)
    again = run("whitelist", "-p", "wechat", "-r", "cn1", cwd=tmp_path, env=env)
    assert again.stdout == reference.stdout
    assert cache_file.is_symlink() and elsewhere.read_bytes() == b"not a cache"


def test_the_tests_never_write_the_users_cache() -> None:
    assert os.environ.get("DOMAINCHECK_CACHE_DIR") == ""


# --- 12. no network -------------------------------------------------------------------------------


def test_a_resolver_that_swallows_every_query_is_one_diagnosis(tmp_path: Path) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        done = run(
            "check",
            "-p",
            "wechat",
            "-r",
            "cn1",
            "-f",
            "json",
            "--timeout",
            "0.5",
            "--resolver",
            f"127.0.0.1:{silent.getsockname()[1]}",
            cwd=tmp_path,
        )
    results = json.loads(done.stdout)["results"]
    [network] = [r for r in results if r["check"] == "dns.network"]
    assert network["status"] == "error" and "cannot resolve names" in network["message"]
    assert all(word in network["fix"] for word in ("--offline", "--resolver", "proxy"))
    assert all(r["status"] == "skip" for r in results if r["check"] == "dns")
    assert done.returncode == ExitCode.FAILED


# --- 13. descriptors -------------------------------------------------------------------------------


def test_concurrency_is_capped_by_the_open_file_limit() -> None:
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256));"
        "from domaincheck.run.runner import concurrency_within_open_file_limit as c;"
        "print(c(200), c(10))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG_LIMIT
    )
    capped, small = map(int, done.stdout.split())
    assert 1 <= capped <= (256 - 64) // 4 and small == 10


def test_a_server_json_nested_past_the_stack_is_a_refused_answer() -> None:
    from domaincheck.vendors.easemob.httpdns import HttpDnsAnswerError, parse_answer

    with pytest.raises(HttpDnsAnswerError, match="nests too deep"):
        parse_answer("rs.easemob.com", b"[" * 50_000 + b"]" * 50_000)
