"""Standing property-based fuzzing of every parser of outside input, bounded to CI time.

Each parser gets text that hypothesis builds: random, near-valid, and the hostile shapes that
broke it before (aliases, deep nesting, control characters, huge numbers). A parser may refuse its
input only with the tool's own error (a `DomaincheckError`, or the parser's documented exception),
never with another exception, and every example must end quickly. The CLI options are fuzzed
through the real command: exit code 0, 1 or 2, never a traceback. Few examples per run (the suite
runs on every change); their number grows with DOMAINCHECK_FUZZ_EXAMPLES for a longer session.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from domaincheck.cli import app
from domaincheck.core.errors import DomaincheckError
from domaincheck.core.exitcodes import ExitCode
from domaincheck.core.untrusted import escape

EXAMPLES = int(os.environ.get("DOMAINCHECK_FUZZ_EXAMPLES", "25"))
# Far above any honest parse of these small inputs: only a blow-up reaches it.
SLOW = 5.0

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed by `bounded` below, with a margin a loaded CI machine can keep
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)

# Characters that broke parsers or terminals: controls, C1, bidi, surrogates-adjacent, quotes.
HOSTILE_CHARS = st.sampled_from(
    list("\x00\x07\x08\x1b\r\n\t\x7f\x85\x9b\u202e\u2066\ufeff\"'\\{}[]:,#&*!|>-")
)
TEXT = st.text(alphabet=st.one_of(st.characters(), HOSTILE_CHARS), max_size=400)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JSON_VALUE = st.recursive(
    SCALAR,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(TEXT, children, max_size=5)
    ),
    max_leaves=30,
)


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


def yaml_alias_bomb(levels: int) -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, levels):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [{', '.join(f'*{prev}' for _ in range(9))}]")
    return "\n".join(lines) + "\n"


# Near-valid YAML documents and the known hostile ones, mixed with random text.
YAML_TEXT = st.one_of(
    TEXT,
    st.builds(lambda v: json.dumps(v, allow_nan=True), JSON_VALUE),
    st.integers(min_value=2, max_value=9).map(yaml_alias_bomb),
    st.integers(min_value=40, max_value=300).map(nested),
    st.integers(min_value=40, max_value=3000).map(
        lambda d: "a:\n" + "".join(" " * i + "- \n" for i in range(1, d))
    ),
)


def bounded(action: Any) -> Any:
    started = time.monotonic()
    try:
        return action()
    finally:
        assert time.monotonic() - started < SLOW, "a parser took too long on a small input"


def refuses_cleanly(action: Any, *allowed: type[BaseException]) -> None:
    """`action` returns, or raises one of the tool's errors: nothing else, and in bounded time."""
    try:
        bounded(action)
    except (DomaincheckError, *allowed):
        pass


@fuzz
@given(text=YAML_TEXT)
def test_registry(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    from domaincheck.registry.loader import load_registry

    path = tmp_path_factory.mktemp("registry") / "regions.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    refuses_cleanly(lambda: load_registry(path))


@fuzz
@given(text=YAML_TEXT)
def test_project_file(text: str) -> None:
    from domaincheck.files.project import parse_project

    refuses_cleanly(lambda: parse_project(text, Path("domaincheck.yaml")))


@fuzz
@given(text=TEXT)
def test_console_paste(text: str) -> None:
    from domaincheck.appsetup.console_diff import read_console_text

    refuses_cleanly(lambda: read_console_text(text, "console.txt"))


@fuzz
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.builds(lambda v: json.dumps(v, allow_nan=True).encode(), JSON_VALUE),
        st.builds(
            lambda hosts: json.dumps(
                {"rest": {"hosts": hosts}, "msync-wx": {"hosts": hosts}}
            ).encode(),
            st.lists(
                st.fixed_dictionaries(
                    {"protocol": st.just("https"), "domain": TEXT, "ip": TEXT, "port": SCALAR}
                ),
                max_size=6,
            ),
        ),
        st.integers(min_value=100, max_value=2000).map(lambda d: nested(d).encode()),
    )
)
def test_server_json(body: bytes) -> None:
    from domaincheck.appsetup.httpdns import screen_answer
    from domaincheck.vendors.easemob.httpdns import HttpDnsAnswerError, parse_answer

    def parse_and_screen() -> None:
        answer = parse_answer("rs.easemob.com", body)
        kept, _ = screen_answer(answer, {"easemob.com", "agora.io"})
        for host in kept.hosts:  # only names under the vendor's domains are ever probed
            assert not host.domain or host.domain.endswith(("easemob.com", "agora.io"))

    refuses_cleanly(parse_and_screen, HttpDnsAnswerError)


@fuzz
@given(
    text=st.one_of(
        TEXT,
        YAML_TEXT,
        st.builds(lambda v: f"new WebIM.connection({json.dumps(v)})", JSON_VALUE),
        st.integers(min_value=50, max_value=600).map(
            lambda n: "new WebIM.connection({url: " + "+".join(['"a"'] * n) + "})"
        ),
        st.just('new WebIM.connection({url: "\\u{110000}"})'),
    ),
    suffix=st.sampled_from([".js", ".ts", ".json", ".yaml", ".vue", ".mjs"]),
)
def test_sdk_config_sources(text: str, suffix: str) -> None:
    from domaincheck.vendors.easemob.locate import parse_sdk_configs

    refuses_cleanly(lambda: parse_sdk_configs(text, Path(f"sdk{suffix}")))


@fuzz
@given(
    body=st.one_of(
        TEXT,
        st.builds(lambda v: json.dumps(v, allow_nan=True), JSON_VALUE),
        st.builds(
            lambda node, sign: json.dumps(
                {"alipay_open_mini_safedomain_query_response": node, "sign": sign}
            ),
            JSON_VALUE,
            TEXT,
        ),
        st.integers(min_value=100, max_value=2000).map(nested),
    )
)
def test_gateway_answers(body: str) -> None:
    from domaincheck.alipay.protocol import ResponseShapeError, extract_signed_part, parse_node

    def parse() -> None:
        part = extract_signed_part(body, "alipay.open.mini.safedomain.query")
        parse_node(part.content)

    refuses_cleanly(parse, ResponseShapeError)


OPTION = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "-p",
            "wechat",
            "alipay",
            "-r",
            "cn1",
            "--extra",
            "https://a.example.com",
            "-f",
            "json",
            "--max-entries",
            "0",
            "-1",
            "1e999",
            "nan",
            "--compact",
            "--format",
            "sarif",
            "-o",
            "-",
        ]
    ),
)


@fuzz
@given(
    args=st.lists(OPTION, max_size=6), command=st.sampled_from(["whitelist", "regions", "check"])
)
def test_cli_options(args: list[str], command: str) -> None:
    argv = [command, *(["--offline"] if command == "check" else []), *args]
    if "-o" in argv or "--output" in argv:
        return  # would write files named by random text
    result = bounded(lambda: CliRunner().invoke(app, argv))
    assert result.exit_code in (ExitCode.PASSED, ExitCode.FAILED, ExitCode.BAD_INPUT), argv
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (argv, result.exception)
    assert "Traceback" not in result.stderr


@fuzz
@given(text=TEXT)
def test_escaped_text_holds_no_control_character_and_no_workflow_command(text: str) -> None:
    shown = escape(text)
    unsafe = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    assert all(c == "\t" or unicodedata.category(c) not in unsafe for c in shown), shown
    assert not shown.lstrip().startswith(("::", "##["))
    assert escape(shown) == shown  # escaping twice changes nothing
