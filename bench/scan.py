"""How long `domaincheck scan` takes on a large mini program, next to ESLint on the same files.

Builds a project in a temporary folder: FILES page and utility modules (a request wrapper, a config
module, pages calling it, uploads, sockets, comments with links) and one 5 MB minified bundle
outside node_modules. Then, in the same run, times:

- `domaincheck scan` (the real command, a subprocess) on the whole project, best of RUNS;
- the scan on a quarter, a half and all of the modules (without the bundle), to show how the time
  grows with the bytes scanned (ms per MB should stay flat);
- ESLint with one trivial rule (no-debugger) on the same files, installed with npm into a
  temporary folder (skipped with a note when npm is not there or the install fails).

Run: python bench/scan.py [FILES] [RUNS]   (defaults: 3000 files, 3 runs). Needs network access to
the npm registry for the ESLint anchor.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGE = """// pages/p{i}/index.js: page {i}. Docs: https://docs.example.com/pages/{i}
import {{ request, upload }} from '../../utils/request'
import config from '../../config'

const app = getApp()

Page({{
  data: {{ items: [], banner: 'https://img.example.com/banner/{i}.png', page: {i} }},
  onLoad(query) {{
    this.load(query.id)
  }},
  load(id) {{
    request('/api/v1/items/{i}?id=' + id).then((res) => {{
      const items = res.data.map((item, index) => ({{ ...item, index, label: `item ${{index}}` }}))
      this.setData({{ items }})
    }})
  }},
  report() {{
    wx.request({{ url: config.reportUrl + '/p{i}', method: 'POST', data: {{ page: {i} }} }})
  }},
  choose() {{
    wx.chooseImage({{ success: (res) => upload(res.tempFilePaths[0]) }})
  }},
  open(link) {{
    wx.downloadFile({{ url: link }})
  }},
  onShareAppMessage() {{
    return {{ title: 'Page {i}', path: '/pages/p{i}/index', imageUrl: 'https://share.example.com/{i}.png' }}
  }},
  compute(a, b) {{
    let total = 0
    for (let k = 0; k < a; k += 1) {{
      total += (k * b) % 7 === 0 ? k : -k
    }}
    return total > 100 ? Math.round(total / 3) : total
  }}
}})
"""
REQUEST = """import {{ BASE_URL, UPLOAD_HOST }} from '../config'

export function request(path, data) {{
  return new Promise((resolve, reject) => {{
    wx.request({{ url: BASE_URL + path, data, success: resolve, fail: reject }})
  }})
}}

export const upload = (filePath) =>
  wx.uploadFile({{ url: `${{UPLOAD_HOST}}/files`, filePath, name: 'file' }})
"""
CONFIG = """export const BASE_URL = 'https://api.example.com'
export const UPLOAD_HOST = 'https://upload.example.com'
export default {{ reportUrl: 'https://log.example.com/collect' }}
"""


def bundle(size: int) -> str:
    parts: list[str] = []
    length = 0
    i = 0
    while length < size:
        part = (
            f"function f{i}(a,b){{var c=a+b*{i};if(c>3){{return g(c,'x{i}')}}"
            f"return {{k:c,v:[1,2],u:'https://cdn{i % 50}.example.com/'}}}}"
        )
        parts.append(part)
        length += len(part) + 1
        i += 1
    return ";".join(parts) + "\n"


def build(root: Path, files: int) -> int:
    (root / "utils").mkdir(parents=True)
    (root / "project.config.json").write_text('{"appid": "wx0", "setting": {}}', "utf-8")
    (root / "app.json").write_text('{"pages": []}', "utf-8")
    (root / "config.js").write_text(CONFIG.format(), "utf-8")
    (root / "utils" / "request.js").write_text(REQUEST.format(), "utf-8")
    total = 0
    for i in range(files):
        folder = root / "pages" / f"p{i}"
        folder.mkdir(parents=True)
        text = PAGE.format(i=i)
        (folder / "index.js").write_text(text, "utf-8")
        total += len(text)
    (root / "static").mkdir()
    (root / "static" / "vendor.min.js").write_text(bundle(5 * 1024 * 1024), "utf-8")
    return total


def timed(
    command: list[str], cwd: Path, runs: int
) -> tuple[float, subprocess.CompletedProcess[str]]:
    best = float("inf")
    done: subprocess.CompletedProcess[str] | None = None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
    assert done is not None
    return best, done


def scan_in_process(root: Path, include: tuple[str, ...], runs: int) -> float:
    from domaincheck.scan.project import ScanOptions, scan_project

    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        scan_project(root, ScanOptions(include=include))
        best = min(best, time.perf_counter() - start)
    return best


def install_eslint(folder: Path) -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        print("ESLint: npm not found, anchor skipped")
        return None
    done = subprocess.run(
        [
            npm,
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(folder),
            "eslint@9",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    binary = folder / "node_modules" / ".bin" / "eslint"
    if done.returncode != 0 or not binary.exists():
        print(f"ESLint: install failed, anchor skipped ({done.stderr.strip()[:200]})")
        return None
    return binary


def main() -> int:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "app"
        source_bytes = build(root, files)
        bundle_bytes = (root / "static" / "vendor.min.js").stat().st_size
        print(
            f"project: {files + 2} modules, {source_bytes / 1e6:.2f} MB of source, "
            f"one minified bundle of {bundle_bytes / 1e6:.2f} MB"
        )

        command = [sys.executable, "-m", "domaincheck", "scan", str(root), "--format", "json"]
        scan_wall, done = timed(command, root, runs)
        report = json.loads(done.stdout)
        print(
            f"domaincheck scan: {scan_wall:.2f} s (best of {runs}); {len(report['hosts'])} hosts, "
            f"{len(report['dynamic'])} dynamic URLs, {len(report['notes'])} notes "
            f"(bundle: {[n['kind'] for n in report['notes']]})"
        )

        print("growth with the bytes scanned (in process, without the bundle):")
        for share in (4, 2, 1):
            count = files // share
            sub = Path(temp) / f"part{share}"
            if share > 1:
                sub.mkdir()
                shutil.copytree(root / "utils", sub / "utils")
                shutil.copy(root / "config.js", sub / "config.js")
                for i in range(count):
                    shutil.copytree(root / "pages" / f"p{i}", sub / "pages" / f"p{i}")
            else:
                sub = root
            seconds = scan_in_process(sub, (), runs) if share > 1 else None
            if seconds is None:
                seconds = scan_in_process(root, ("pages/*", "utils/*", "config.js"), runs)
            megabytes = source_bytes / share / 1e6
            print(
                f"  {count:>5} modules, {megabytes:5.2f} MB: {seconds:6.2f} s, "
                f"{seconds * 1000 / megabytes:6.0f} ms per MB"
            )

        eslint_home = Path(temp) / "eslint"
        binary = install_eslint(eslint_home)
        if binary is not None:
            (root / "eslint.config.js").write_text(
                'module.exports = [{ files: ["**/*.js"], rules: { "no-debugger": "error" } }]\n',
                "utf-8",
            )
            eslint_wall, linted = timed([str(binary), "."], root, runs)
            if linted.returncode not in (0, 1):
                print(f"ESLint failed: {linted.stderr.strip()[:300]}")
            else:
                print(f"ESLint (no-debugger): {eslint_wall:.2f} s (best of {runs})")
                print(f"ratio scan / ESLint: {scan_wall / eslint_wall:.2f} (goal <= 1)")
                # like for like: neither reads the bundle (the scan only notes it as minified)
                bare, _ = timed([str(binary), ".", "--ignore-pattern", "static/"], root, runs)
                scan_bare, _ = timed([*command, "--exclude", "static/"], root, runs)
                print(
                    f"without the bundle: scan {scan_bare:.2f} s, ESLint {bare:.2f} s, "
                    f"ratio {scan_bare / bare:.2f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
