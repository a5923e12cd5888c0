"""Reading the SDK options out of sources shaped like the Easemob demos and docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from domaincheck.core.errors import InputFileError
from domaincheck.core.platforms import Platform
from domaincheck.vendors.easemob.locate import (
    load_sdk_config,
    parse_sdk_config,
    parse_sdk_configs,
)
from domaincheck.vendors.easemob.model import ConfigShape, SdkConfig

FIXTURES = Path(__file__).parent / "fixtures" / "sdk"


def literal(config: SdkConfig) -> dict[str, Any]:
    return {o.name: o.value for o in config.options if o.static}


def not_static(config: SdkConfig) -> dict[str, str]:
    return {o.name: o.source for o in config.options if not o.static}


def test_integration_page_example() -> None:
    config = load_sdk_config(FIXTURES / "integration-page.js")
    assert config.shape is ConfigShape.CONNECTION_CALL
    assert config.description == "new WebIM.connection(...)"
    assert config.line == 6
    assert literal(config) == {
        "appKey": "your appKey",
        "https": True,
        "url": "wss://im-api-alipay.easemob.com/websocket",
        "apiUrl": "https://a1.easemob.com",
        "heartBeatWait": 30000,
        "autoReconnectNumMax": 5,
        "useOwnUploadFun": False,
    }
    assert [(o.name, o.line) for o in config.options][:3] == [
        ("appKey", 7),
        ("https", 8),
        ("url", 9),
    ]


def test_demo_config_module_is_an_exported_object() -> None:
    config = load_sdk_config(FIXTURES / "WebIMConfig.js")
    assert config.shape is ConfigShape.EXPORTED_OBJECT
    assert config.line == 10
    values = literal(config)
    assert values["socketServer"] == "wss://im-api-wechat.easemob.com/websocket"
    assert values["appkey"] == "easemob-demo#chatdemoui"
    assert values["https"] is False
    assert config.option("heartBeatWait") is not None
    assert "`config`, declared at line 10" in config.notes[0]


def test_demo_connection_call_with_member_expressions_is_not_guessed() -> None:
    config = load_sdk_config(FIXTURES / "WebIM-demo.js")
    assert config.shape is ConfigShape.CONNECTION_CALL
    assert not_static(config)["url"] == "WebIM.config.socketServer"
    assert not_static(config)["appKey"] == "WebIM.config.appkey"
    url = config.option("url")
    assert url is not None and url.reason == "the member expression" and url.line == 13
    assert literal(config) == {
        "https": True,
        "isAutoLogin": False,
        "heartBeatWait": 30000,
        "enableReportLogs": True,
    }


def test_typescript_with_a_declared_options_object() -> None:
    config = load_sdk_config(FIXTURES / "im.ts")
    assert config.description == "new EC.connection(...)"
    assert literal(config) == {
        "appKey": "1177161227178308#xcx",
        "isHttpDNS": False,
        "apiUrl": "https://a1.easemob.com",
        "heartBeatWait": 30,
        "autoReconnectNumMax": 0,
    }
    assert not_static(config) == {
        "url": "`wss://${SOCKET_HOST}/websocket`",
        "delivery": 'process.env.NODE_ENV !== "production"',
    }
    assert config.option("url") is not None
    assert config.option("url").reason == "a template string with ${...}"  # type: ignore[union-attr]


def test_json_yaml_commonjs_and_vue() -> None:
    json_config = load_sdk_config(FIXTURES / "sdk-options.json")
    assert json_config.shape is ConfigShape.DATA_FILE
    assert [(o.name, o.line) for o in json_config.options][:2] == [("appKey", 2), ("isHttpDNS", 3)]
    yaml_config = load_sdk_config(FIXTURES / "sdk-options.yaml")
    assert literal(yaml_config)["apiUrl"] == "http://a31.easemob.com/"
    assert yaml_config.option("apiUrl").line == 5  # type: ignore[union-attr]
    cjs = load_sdk_config(FIXTURES / "module-exports.cjs")
    assert cjs.description == "module.exports = {...}"
    assert literal(cjs)["customOSPlatform"] == 101
    vue = load_sdk_config(FIXTURES / "App.vue")
    assert vue.description == "new EasemobChat.connection(...)"
    assert vue.line == 9
    assert vue.option("apiUrl").line == 13  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("heartBeatWait: 3e4", 30000),
        ("heartBeatWait: 30_000", 30000),
        ("heartBeatWait: 0x10", 16),
        ("isHttpDNS: !1", False),
        ("isHttpDNS: !0", True),
        ("heartBeatWait: -5", -5),
        (
            "url: 'wss://' + 'im-api-alipay.easemob.com' + '/websocket'",
            "wss://im-api-alipay.easemob.com/websocket",
        ),
        (
            "url: `wss://im-api-alipay.easemob.com/websocket`",
            "wss://im-api-alipay.easemob.com/websocket",
        ),
        ("'url': \"a\\u0041\\x42\\n\"", "aAB\n"),
        ("deviceId: null", None),
    ],
)
def test_literal_forms(source: str, expected: Any) -> None:
    config = parse_sdk_config(f"new SDK.connection({{ {source} }});", Path("init.js"))
    assert len(config.options) == 1
    assert config.options[0].static
    assert config.options[0].value == expected


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("url: host", "the variable"),
        ("url: getUrl()", "the call"),
        ("url: `wss://${host}/websocket`", "a template string with ${...}"),
        ("url: 'wss://' + host", "an expression with values that are not literals"),
        ("https: isProd ? true : false", "the conditional expression"),
        ("url", "the variable"),
        ("url: cfg['url']", "the member expression"),
    ],
)
def test_values_that_are_not_literals_are_kept_with_a_reason(source: str, reason: str) -> None:
    config = parse_sdk_config(f"new ChatSDK.connection({{ {source} }});", Path("init.js"))
    assert not config.options[0].static
    assert config.options[0].value is None
    assert config.options[0].reason == reason


def test_spreads_computed_keys_and_undefined_are_noted() -> None:
    source = (
        "import base from './base';\n"
        "new WebIM.connection({ ...base, [k]: 1, appKey: 'a#b', n: undefined });\n"
    )
    config = parse_sdk_config(source, Path("init.js"))
    assert literal(config) == {"appKey": "a#b"}
    assert any("...base may set any option; not checked" in note for note in config.notes)
    assert any("computed key" in note for note in config.notes)
    assert any("n is undefined" in note for note in config.notes)


def test_every_connection_call_is_read_once() -> None:
    source = (
        "const shared = { appKey: 'a#b', isHttpDNS: false };\n"
        "const dev = new WebIM.connection({ appKey: 'a#dev' });\n"
        "const prod = new WebIM.connection(shared);\n"
        "function reconnect() { return new WebIM.connection(shared); }\n"
    )
    configs = parse_sdk_configs(source, Path("init.js"))
    assert [(c.line, literal(c)) for c in configs] == [
        (2, {"appKey": "a#dev"}),
        (3, {"appKey": "a#b", "isHttpDNS": False}),
    ]
    assert "the connection call at line 4 passes the same options" in configs[1].notes


def test_same_file_objects_merged_by_spread_or_object_assign() -> None:
    source = (
        "const base = { https: true, isHttpDNS: true, url: 'wss://old/websocket' };\n"
        "const a = new WebIM.connection({\n"
        "  ...base,\n"
        "  isHttpDNS: false,\n"
        "});\n"
        "const b = new WebIM.connection(Object.assign({}, base, extra, {\n"
        "  appKey: 'a#b',\n"
        "  url: 'wss://new/websocket',\n"
        "}));\n"
    )
    spread, assigned = parse_sdk_configs(source, Path("init.js"))
    assert [(o.name, o.line, o.value) for o in spread.options] == [
        ("https", 1, True),
        ("url", 1, "wss://old/websocket"),
        ("isHttpDNS", 4, False),
    ]
    assert literal(assigned) == {
        "https": True,
        "isHttpDNS": True,
        "appKey": "a#b",
        "url": "wss://new/websocket",
    }
    assert assigned.option("url").line == 8  # type: ignore[union-attr]
    assert any("extra (merged by Object.assign) may set any option" in n for n in assigned.notes)


def test_named_exports_and_commonjs_members_are_config_modules() -> None:
    cases = {
        "export const config = { appKey: 'a#b' };": "export const config = {...}",
        "const im = { appKey: 'a#b' };\nexport { im };": "export { im }",
        "exports.im = { appKey: 'a#b' };": "exports.im = {...}",
        "module.exports.im = { appKey: 'a#b' };": "module.exports.im = {...}",
        "export const EM = 1;\nexport const im = { appKey: 'a#b' };": "export const im = {...}",
    }
    for source, description in cases.items():
        config = parse_sdk_config(source, Path("config.js"))
        assert (config.description, literal(config)) == (description, {"appKey": "a#b"})


def test_where_values_that_are_not_literals_come_from() -> None:
    source = (
        "import { EM_APP_KEY, EM_URL as URL } from './config';\n"
        "import config from '../utils/WebIMConfig';\n"
        "const local = require('./local.js').default;\n"
        "WebIM.config = config;\n"
        "new WebIM.connection({\n"
        "  appKey: EM_APP_KEY,\n"
        "  url: URL,\n"
        "  apiUrl: WebIM.config.apiURL,\n"
        "  deviceId: local.id,\n"
        "  isHttpDNS: isDev,\n"
        "});\n"
    )
    origins = {o.name: o.origin for o in parse_sdk_config(source, Path("a.js")).options}
    assert origins == {
        "appKey": "imported from './config'",
        "url": "imported from './config'",
        "apiUrl": "WebIM.config is imported from '../utils/WebIMConfig'",
        "deviceId": "imported from './local.js'",
        "isHttpDNS": "",
    }


def test_options_built_by_a_call_are_opaque() -> None:
    config = parse_sdk_config("const c = new WebIM.connection(makeOptions());", Path("a.js"))
    assert config.options == ()
    assert config.opaque == "the options are the call `makeOptions()`"


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("broken-syntax.js", 3, "JavaScript syntax error"),
        ("broken-syntax.ts", 5, "TypeScript syntax error"),
        ("broken.yaml", 3, "YAML syntax error"),
        ("broken.json", 4, "JSON syntax error"),
        ("no-config.js", 1, "no SDK options found"),
    ],
)
def test_broken_sources_name_file_and_line(name: str, line: int, words: str) -> None:
    with pytest.raises(InputFileError) as caught:
        load_sdk_config(FIXTURES / name)
    message = str(caught.value)
    assert message.startswith(f"{FIXTURES / name}:{line}: ")
    assert words in message


def test_binary_huge_missing_and_unsupported_files(tmp_path: Path) -> None:
    binary = tmp_path / "init.js"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00")
    with pytest.raises(InputFileError, match="binary file"):
        load_sdk_config(binary)
    huge = tmp_path / "bundle.js"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InputFileError, match=r"50\.0 MB, over the 5\.0 MB limit"):
        load_sdk_config(huge)
    with pytest.raises(InputFileError, match="SDK config not found"):
        load_sdk_config(tmp_path / "missing.ts")
    with pytest.raises(InputFileError, match=r"cannot read SDK options from a '\.py' file"):
        load_sdk_config(tmp_path / "init.py")
    latin1 = tmp_path / "latin.js"
    latin1.write_bytes(b"// caf\xe9\nnew WebIM.connection({});\n")
    with pytest.raises(InputFileError, match=r"latin\.js:1: SDK config is not UTF-8"):
        load_sdk_config(latin1)


def test_options_changed_after_their_declaration_are_not_guessed() -> None:
    source = (
        "const options = { appKey: 'a#b' };\n"
        "options.url = getUrl();\n"
        "new WebIM.connection(options);\n"
    )
    config = parse_sdk_config(source, Path("init.js"))
    assert config.options == ()
    assert config.opaque == "the options are the variable `options`"
    assert any("changed at line 2" in note for note in config.notes)
    assigned = "let o = {appKey: 'a#b'};\nObject.assign(o, extra);\nnew X.connection(o);\n"
    assert parse_sdk_config(assigned, Path("a.js")).opaque is not None


def test_a_vue_component_without_sdk_options_is_not_taken_for_them() -> None:
    source = "<script>\nexport default {\n  globalData: {},\n  onLaunch() {},\n};\n</script>\n"
    with pytest.raises(InputFileError, match=r"App\.vue:1: no SDK options found"):
        parse_sdk_config(source, Path("App.vue"))


def test_vue_syntax_errors_count_lines_from_the_top_of_the_file() -> None:
    source = "<template>\n  <view/>\n</template>\n<script>\nconst a = {\n  b: 1 +,\n};\n</script>\n"
    with pytest.raises(InputFileError, match=r"App\.vue:6: JavaScript syntax error"):
        parse_sdk_config(source, Path("App.vue"))


def test_options_nested_under_one_key() -> None:
    js = parse_sdk_config(
        "export default { im: { appKey: 'a#b' }, api: { base: 'x' } };", Path("c.js")
    )
    assert literal(js) == {"appKey": "a#b"}
    assert js.description == "export default {...}, key im"
    data = parse_sdk_config(
        '{\n  "name": "demo",\n  "im": {"appKey": "a#b", "isHttpDNS": false}\n}', Path("c.json")
    )
    assert literal(data) == {"appKey": "a#b", "isHttpDNS": False}
    assert data.option("appKey").line == 3  # type: ignore[union-attr]
    yaml_config = parse_sdk_config(
        "app: demo\neasemob:\n  appKey: a#b\n  url: wss://x/websocket\n", Path("c.yaml")
    )
    assert [(o.name, o.line) for o in yaml_config.options] == [("appKey", 3), ("url", 4)]


def test_utf16_files_are_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "init.js"
    path.write_bytes("new WebIM.connection({});".encode("utf-16"))
    with pytest.raises(InputFileError, match="is UTF-16 text; save it as UTF-8"):
        load_sdk_config(path)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_option_lines_with_any_line_ending_and_a_bom(newline: str) -> None:
    lines = [
        "\ufeff// init",
        "new WebIM.connection({",
        "  appKey: 'a#b',",
        "  heartBeatWait: 30,",
        "});",
    ]
    text = newline.join(lines).lstrip("\ufeff")  # read_text_file drops the BOM
    config = parse_sdk_config(text, Path("init.js"))
    assert config.line == 2
    assert [(o.name, o.line) for o in config.options] == [("appKey", 3), ("heartBeatWait", 4)]


def test_an_error_before_the_call_is_reported_not_read_around() -> None:
    # tree-sitter recovers from errors; a file that does not parse is refused rather than half-read
    source = "const x = {\n  a: 1 +\n};\nnew WebIM.connection({ appKey: 'a#b' });\n"
    with pytest.raises(InputFileError, match=r"^init\.js:2: JavaScript syntax error near .\+."):
        parse_sdk_config(source, Path("init.js"))


UNI_APP_INIT = """\
import EaseSDK from 'easemob-websdk/uniApp/Easemob-chat';
const conn = new EaseSDK.connection({
  appKey: 'easemob-demo#support',
  isHttpDNS: false,
  // #ifdef MP-ALIPAY
  url: 'wss://im-api-alipay.easemob.com/websocket',
  // #endif
  // #ifdef MP-WEIXIN || MP-QQ || MP-BAIDU
  url: 'wss://im-api-wechat.easemob.com/websocket',
  // #endif
  /* #ifndef MP */
  url: 'wss://im-api-v2.easemob.com/websocket',
  /* #endif */
  // #ifdef VUE3
  delivery: true,
  // #endif
  apiUrl: 'https://a1.easemob.com',
});
// #ifdef H5
const broken = new EaseSDK.connection({ appKey: 'h5 only' });
// #endif
"""


@pytest.mark.parametrize(
    ("platform", "url"),
    [
        (Platform.ALIPAY, "wss://im-api-alipay.easemob.com/websocket"),
        (Platform.WECHAT, "wss://im-api-wechat.easemob.com/websocket"),
        (Platform.QQ, "wss://im-api-wechat.easemob.com/websocket"),
        (Platform.DOUYIN, None),
    ],
)
def test_uni_app_conditional_compilation_keeps_the_platform_branch(
    platform: Platform, url: str | None
) -> None:
    configs = parse_sdk_configs(UNI_APP_INIT, Path("EaseIM/index.js"), platform)
    assert len(configs) == 1  # the H5-only call is not in a mini-program build
    [config] = configs
    assert literal(config).get("url") == url
    assert config.option("apiUrl").line == 17  # type: ignore[union-attr]
    assert literal(config)["delivery"] is True  # VUE3 is not known: kept
    assert any("(#ifdef H5) are not in the" in note for note in config.notes)


def test_without_a_platform_every_branch_is_read() -> None:
    configs = parse_sdk_configs(UNI_APP_INIT, Path("index.js"))
    assert [literal(c).get("url") for c in configs] == [
        "wss://im-api-v2.easemob.com/websocket",
        None,
    ]


def test_a_uni_app_nvue_page_is_read_like_a_vue_file() -> None:
    source = (
        "<template><view/></template>\n<script>\nnew EC.connection({ appKey: 'a#b' });\n</script>\n"
    )
    config = parse_sdk_config(source, Path("pages/chat.nvue"))
    assert (config.line, literal(config)) == (3, {"appKey": "a#b"})


@pytest.mark.parametrize(
    "source",
    [
        # a table of data centres: which row the app uses is only known at run time
        "export const DC = {\n  cn1: { url: 'wss://a/websocket', apiUrl: 'https://a' },\n"
        "  cn2: { url: 'wss://b/websocket', apiUrl: 'https://b' },\n};\n",
        # a lone `url` is any module's setting, not the SDK's options
        "export default { url: 'https://api.example.com', timeout: 3000 };\n",
    ],
)
def test_modules_that_are_not_sdk_options_are_not_taken_for_them(source: str) -> None:
    with pytest.raises(InputFileError, match=r"config\.js:1: no SDK options found"):
        parse_sdk_config(source, Path("config.js"))
