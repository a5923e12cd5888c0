"""The source scan on fixture projects: every host with its list, origin and call; what is not a
server domain; dynamic URLs; leftovers; bad input. The expected findings are pinned here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from domaincheck.core.catalog import CheckId
from domaincheck.core.model import Status
from domaincheck.core.platforms import Platform
from domaincheck.scan.findings import scan_results
from domaincheck.scan.model import Framework, NoteKind, SourceScan
from domaincheck.scan.project import ScanOptions, is_dev_condition, scan_project
from domaincheck.whitelist.profiles import rules_for

FIXTURES = Path(__file__).parent / "fixtures" / "scan"


def uses(scan: SourceScan) -> set[tuple[str, str, str, str, bool]]:
    return {(u.host, u.api.value, str(u.origin), str(u.call), u.dev_only) for u in scan.uses}


def dynamic(scan: SourceScan) -> set[tuple[str, str]]:
    return {(str(d.call), d.api.value) for d in scan.dynamic}


def findings(scan: SourceScan, platform: Platform) -> set[tuple[str, str, str]]:
    results = scan_results(scan, rules_for(platform), ())
    return {(r.check, r.target, r.status.value) for r in results}


def test_native_wechat_project() -> None:
    scan = scan_project(FIXTURES / "native-wechat")
    assert scan.framework is Framework.NATIVE
    assert scan.platforms == (Platform.WECHAT,)
    assert uses(scan) == {
        # a local request() wrapper: the base URL from config.js, reached from the page's call
        ("api.wechat-app.example.com", "request", "config.js:5", "utils/request.js:7", False),
        (
            "upload.wechat-app.example.com",
            "uploadFile",
            "config.js:9",
            "utils/request.js:17",
            False,
        ),
        # an alias of wx.request, with a URL from the config module's default export
        ("log.wechat-app.example.com", "request", "config.js:13", "utils/request.js:22", False),
        # a wrapper taking the whole options object
        (
            "raw.wechat-app.example.com",
            "request",
            "pages/index/index.js:11",
            "utils/request.js:26",
            False,
        ),
        (
            "files.wechat-app.example.com",
            "downloadFile",
            "pages/index/index.js:12",
            "pages/index/index.js:12",
            False,
        ),
        # getApp().globalData.socketUrl, set in App({globalData})
        (
            "im.wechat-app.example.com",
            "connectSocket",
            "app.js:4",
            "pages/index/index.js:13",
            False,
        ),
        ("192.168.1.20", "request", "pages/index/index.js:23", "pages/index/index.js:23", False),
        (
            "h5.wechat-app.example.com",
            "web-view",
            "pages/web/web.wxml:1",
            "pages/web/web.wxml:1",
            False,
        ),
    }
    hosts = {u.host for u in scan.uses}
    # comments, doc links, image/video src, share links and the page's data are not server domains
    for host in (
        "docs.example.com",
        "img.wechat-app.example.com",
        "video.wechat-app.example.com",
        "share.wechat-app.example.com",
        "commented.example.com",
        "192.168.1.10",  # a dev host behind a constant that is 'production'
    ):
        assert host not in hosts
    assert dynamic(scan) == {("pages/index/index.js:20", "request")}
    assert [str(s.place) for s in scan.url_check_off] == ["project.config.json:6"]
    assert findings(scan, Platform.WECHAT) == {
        ("scan.host.uncovered", "api.wechat-app.example.com", "fail"),
        ("scan.host.uncovered", "upload.wechat-app.example.com", "fail"),
        ("scan.host.uncovered", "log.wechat-app.example.com", "fail"),
        ("scan.host.uncovered", "raw.wechat-app.example.com", "fail"),
        ("scan.host.uncovered", "files.wechat-app.example.com", "fail"),
        ("scan.host.uncovered", "im.wechat-app.example.com", "fail"),
        ("scan.leftover", "192.168.1.20", "fail"),
        ("scan.web-view", "h5.wechat-app.example.com", "info"),
        ("scan.dynamic", "pages/index/index.js:20", "warn"),
        ("scan.urlcheck.off", "project.config.json:6", "warn"),
    }


def test_uni_app_project_for_wechat() -> None:
    scan = scan_project(FIXTURES / "uni-app", ScanOptions(platform=Platform.WECHAT))
    assert scan.framework is Framework.UNI_APP
    assert set(scan.platforms) == {Platform.WECHAT, Platform.ALIPAY}
    assert uses(scan) == {
        ("stats.uni-app.example.com", "request", "App.vue:4", "App.vue:7", False),
        # luch-request's baseURL from .env files: the development one is marked as such
        ("localhost", "request", ".env.development:2", "common/http.js:4", True),
        ("api.uni-app.example.com", "request", ".env.production:1", "common/http.js:4", False),
        # #ifdef MP-WEIXIN only: the Alipay and H5 sockets are not in this build
        (
            "ws-weixin.uni-app.example.com",
            "connectSocket",
            "common/socket.js:3",
            "common/socket.js:3",
            False,
        ),
        ("192.168.0.8", "uploadFile", "common/socket.js:15", "common/socket.js:17", True),
        (
            "upload.uni-app.example.com",
            "uploadFile",
            "common/socket.js:16",
            "common/socket.js:17",
            False,
        ),
        # a package the app calls into; its function the app never calls does not count
        (
            "catalog.shop-api.example.com",
            "request",
            "node_modules/shop-api-client/index.js:1",
            "node_modules/shop-api-client/index.js:4",
            False,
        ),
        ("h5.uni-app.example.com", "web-view", "pages/web/web.vue:2", "pages/web/web.vue:2", False),
    }
    hosts = {u.host for u in scan.uses}
    assert "unused.shop-api.example.com" not in hosts
    assert "build-output.example.com" not in hosts  # unpackage/ is build output
    assert not any(h.startswith(("img.", "video.", "share.", "docs.")) for h in hosts)
    assert dynamic(scan) == {("pages/index/index.vue:28", "downloadFile")}
    assert [s.setting for s in scan.url_check_off] == ["mp-weixin.setting.urlCheck: false"]
    found = findings(scan, Platform.WECHAT)
    assert ("scan.leftover", "localhost", "warn") in found  # dev only: a warning
    assert ("scan.leftover", "192.168.0.8", "warn") in found
    assert ("scan.host.uncovered", "upload.uni-app.example.com", "fail") in found


def test_uni_app_project_for_alipay_keeps_the_alipay_branch() -> None:
    scan = scan_project(FIXTURES / "uni-app", ScanOptions(platform=Platform.ALIPAY))
    sockets = {u.host for u in scan.uses if u.api.value == "connectSocket"}
    assert sockets == {"ws-alipay.uni-app.example.com"}


def test_taro_project() -> None:
    scan = scan_project(FIXTURES / "taro")
    assert scan.framework is Framework.TARO
    assert uses(scan) == {
        # defineConstants (JSON.stringify), read into a `declare const`
        (
            "api.taro-app.example.com",
            "request",
            "config/index.js:6",
            "src/services/api.ts:9",
            False,
        ),
        # per-build defines: the dev one is marked, the prod one is required
        ("127.0.0.1", "connectSocket", "config/dev.js:3", "src/services/api.ts:14", True),
        (
            "ws.taro-app.example.com",
            "connectSocket",
            "config/prod.js:3",
            "src/services/api.ts:14",
            False,
        ),
        # Taro's env: process.env.CDN_BASE
        (
            "cdn.taro-app.example.com",
            "downloadFile",
            "config/index.js:9",
            "src/services/api.ts:18",
            False,
        ),
        # axios with a mini-program adapter: its baseURL, and an absolute URL on the instance
        (
            "axios.taro-app.example.com",
            "request",
            ".env.production:1",
            "src/services/http.ts:5",
            False,
        ),
        (
            "status.taro-app.example.com",
            "request",
            "src/services/http.ts:14",
            "src/services/http.ts:14",
            False,
        ),
    }
    assert dynamic(scan) == set()
    assert "img.taro-app.example.com" not in {u.host for u in scan.uses}


@pytest.mark.parametrize(
    ("condition", "dev"),
    [
        ("process.env.NODE_ENV === 'development'", True),
        ("not (process.env.NODE_ENV === 'development')", False),
        ("process.env.NODE_ENV !== 'production'", True),
        ("not (process.env.NODE_ENV === 'production')", True),
        ("isDev", True),
        ("not (isDev)", False),
        ("mode development (.env.development)", True),
        ("mode production (.env.production)", False),
        ("build dev (config/dev.js)", True),
        ("process.env.BASE is not set", False),
        ("", False),
    ],
)
def test_development_branches(condition: str, dev: bool) -> None:
    assert is_dev_condition(condition) is dev


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")


def test_json_config_globaldata_require_classes_and_interceptors(tmp_path: Path) -> None:
    write(
        tmp_path / "config.json",
        '{\n  "api": "https://json.example.com",\n  "ws": "wss://ws.example.com"\n}\n',
    )
    write(
        tmp_path / "utils/interceptor.js",
        "const BASE = 'https://intercepted.example.com'\n"
        "uni.addInterceptor('request', {\n  invoke(args) {\n    args.url = BASE + args.url\n  }\n})\n",
    )
    write(
        tmp_path / "app.js",
        "import conf from './config.json'\nApp({ globalData: { baseUrl: conf.api } })\n",
    )
    write(
        tmp_path / "pages/a.js",
        "const { baseUrl } = getApp().globalData\n"
        "uni.request({ url: baseUrl + '/x' })\n"
        "uni.request({ url: '/relative/path' })\n"
        "uni.connectSocket({ url: require('../config.json').ws })\n"
        "class Http {\n"
        "  constructor() { this.base = 'https://class.example.com' }\n"
        "  get(path) { return new Promise((r) => wx.request({ url: this.base + path, success: r })) }\n"
        "}\n"
        "export default new Http()\n",
    )
    write(tmp_path / "pages/b.js", "import http from './a'\nhttp.get('/y')\n")
    scan = scan_project(tmp_path)
    assert uses(scan) == {
        ("json.example.com", "request", "config.json:2", "pages/a.js:2", False),
        ("ws.example.com", "connectSocket", "config.json:3", "pages/a.js:4", False),
        ("class.example.com", "request", "pages/a.js:6", "pages/a.js:7", False),
        (
            "intercepted.example.com",
            "request",
            "utils/interceptor.js:1",
            "utils/interceptor.js:4",
            False,
        ),
    }
    # the relative URL gets its host from the interceptor: not a dynamic-URL finding
    assert scan.dynamic == ()


def test_bad_input_is_a_note_and_the_scan_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "app.js", "wx.request({ url: 'https://ok.example.com/x' })\n")
    write(
        tmp_path / "broken.js",
        "const a = {\n  url: 'x'\n\nwx.request({ url: 'https://after-error.example.com' })\n",
    )
    write(tmp_path / "binary.js", b"\x00\x01\x02wx.request")
    write(tmp_path / "bundle.js", "var a=1;" * 5000 + "\n")
    write(tmp_path / "huge.js", "// a comment line of a generated file\n" * 80_000)
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path, tmp_path / "loop" / "back")
    scan = scan_project(tmp_path)
    assert "ok.example.com" in {u.host for u in scan.uses}
    notes = {(n.kind, n.place.path) for n in scan.notes}
    assert (NoteKind.PARSE_ERROR, "broken.js") in notes
    assert (NoteKind.SKIPPED, "binary.js") in notes
    assert (NoteKind.MINIFIED, "bundle.js") in notes
    assert (NoteKind.SKIPPED, "huge.js") in notes
    assert any(n.kind is NoteKind.SKIPPED and "symlink loop" in n.message for n in scan.notes)
    results = scan_results(scan, rules_for(Platform.WECHAT), ())
    parse_errors = [r for r in results if r.check == CheckId.SCAN_PARSE_ERROR]
    assert parse_errors and parse_errors[0].status is Status.WARN
    assert parse_errors[0].target.startswith("broken.js:")


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    write(tmp_path / "src/a.js", "wx.request({ url: 'https://a.example.com' })\n")
    write(tmp_path / "src/b.js", "wx.request({ url: 'https://b.example.com' })\n")
    write(tmp_path / "mock/m.js", "wx.request({ url: 'https://mock.example.com' })\n")
    hosts = lambda options: {u.host for u in scan_project(tmp_path, options).uses}  # noqa: E731
    assert hosts(ScanOptions()) == {"a.example.com", "b.example.com", "mock.example.com"}
    assert hosts(ScanOptions(exclude=("mock/",))) == {"a.example.com", "b.example.com"}
    assert hosts(ScanOptions(include=("src/*.js",), exclude=("*/b.js",))) == {"a.example.com"}


def test_hostile_source_does_not_crash(tmp_path: Path) -> None:
    chain = " + ".join(['"a"'] * 496)
    write(
        tmp_path / "x.js",
        f"const a = {chain};\n"
        'const b = "\\u{110000}";\n'
        "const c = " + "[" * 2000 + "]" * 2000 + ";\n"
        "const d = d;\n"
        "wx.request({ url: 'https://' + a + '.example.com' })\n"
        "wx.request({ url: b })\n"
        "wx.request({ url: d })\n",
    )
    scan = scan_project(tmp_path)
    reasons = {str(d.call): d.reason for d in scan.dynamic}
    assert reasons == {
        "x.js:5": "the URL's host is not a valid host name",  # a 496-letter label
        "x.js:6": "cannot be checked statically: a string with an escape that is no character"
        ' (`"\\u{110000}"`)',
        "x.js:7": "cannot be checked statically: a value defined in terms of itself",
    }


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "domaincheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_scan_command_json_lists_every_host_with_its_sources() -> None:
    done = run_cli("scan", str(FIXTURES / "taro"), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["framework"] == "taro"
    assert report["platform"] == "wechat"
    by_host = {h["host"]: h for h in report["hosts"]}
    api = by_host["api.taro-app.example.com"]
    assert api["console_list"] == "request" and api["status"] == "fail"
    assert api["sources"][0]["origin"] == {"file": "config/index.js", "line": 6}
    assert api["sources"][0]["call"] == {"file": "src/services/api.ts", "line": 9}
    assert by_host["127.0.0.1"]["dev_only"] is True
    assert by_host["127.0.0.1"]["status"] == "warn"


def test_scan_command_passes_when_the_whitelist_covers_the_source(tmp_path: Path) -> None:
    write(tmp_path / "project.config.json", "{}")
    write(tmp_path / "app.js", "wx.request({ url: 'https://api.example.com/v1' })\n")
    done = run_cli("scan", str(tmp_path), "--extra", "https://api.example.com")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS  api.example.com  request" in done.stdout
    missing = run_cli("scan", str(tmp_path))
    assert missing.returncode == 1
    assert "scan.host.uncovered: api.example.com is contacted by wx.request at app.js:1" in (
        missing.stdout
    )


def test_scan_command_bad_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = run_cli("scan", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"domaincheck: {tmp_path / 'nope'}: source folder not found"


def test_long_chains_of_imports_bindings_and_wrappers_end_as_dynamic_urls(tmp_path: Path) -> None:
    write(tmp_path / "m0.js", "export const V = 'https://deep.example.com'\n")
    for i in range(1, 120):
        write(
            tmp_path / f"m{i}.js",
            f"import {{ V as W }} from './m{i - 1}'\nexport const V = W + ''\n",
        )
    write(tmp_path / "app.js", "import { V } from './m119'\nwx.request({ url: V })\n")
    chain = ["const c0 = 'https://local.example.com'"] + [
        f"const c{i} = c{i - 1}" for i in range(1, 800)
    ]
    write(tmp_path / "local.js", "\n".join([*chain, "wx.request({ url: c799 })"]) + "\n")
    wrappers = ["function w0(u) { wx.request({ url: u }) }"]
    wrappers += [f"function w{i}(u) {{ w{i - 1}(u) }}" for i in range(1, 30)]
    write(tmp_path / "wrap.js", "\n".join([*wrappers, "w29('https://wrapped.example.com')"]) + "\n")
    scan = scan_project(tmp_path)
    assert scan.uses == ()
    assert dynamic(scan) == {
        ("app.js:2", "request"),
        ("local.js:801", "request"),
        ("wrap.js:1", "request"),
    }


def test_a_store_state_base_url(tmp_path: Path) -> None:
    write(
        tmp_path / "store/index.js",
        "import Vuex from 'vuex'\nexport default new Vuex.Store({\n"
        "  state: { apiBase: 'https://store.example.com' }\n})\n",
    )
    write(
        tmp_path / "main.js",
        "import store from './store'\nuni.request({ url: store.state.apiBase + '/x' })\n",
    )
    assert uses(scan_project(tmp_path)) == {
        ("store.example.com", "request", "store/index.js:3", "main.js:2", False)
    }
