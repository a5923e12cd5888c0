"""How long reading the SDK options takes: a hand-written init file and a minified bundle near the
5 MB input limit with the connection call in the middle (someone pointing at app.js).

Run: python bench/sdk_config.py [RUNS]. Prints the best of RUNS for each file (the machine is
shared and noisy; the best run is the one least disturbed).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from domaincheck.core.platforms import Platform
from domaincheck.vendors.easemob.locate import load_sdk_configs

CALL = (
    'var o=require("./sdk");getApp().conn=new o.connection({appKey:"a#b",url:W.url,'
    "apiUrl:W.api,isHttpDNS:!1,heartBeatWait:cfg.hb,deviceId:cfg.d});"
)
INIT = """import EC from "easemob-websdk";
const options = { appKey: "org#app", isHttpDNS: false, heartBeatWait: 30000 };
export const conn = new EC.connection({
  ...options,
  url: "wss://im-api-wechat.easemob.com/websocket",
  apiUrl: "https://a1.easemob.com",
});
"""


def bundle(functions: int) -> str:
    parts = [
        f"function f{i}(a,b){{var c=a+b*{i};if(c>3){{return g(c,'x{i}')}}return {{k:c,v:[1,2]}}}}"
        for i in range(functions)
    ]
    half = len(parts) // 2
    return ";".join([*parts[:half], CALL, *parts[half:]])


def best(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_sdk_configs(path, Platform.WECHAT)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        init = Path(folder, "init.js")
        init.write_text(INIT, "utf-8")
        app = Path(folder, "app.js")
        app.write_text(bundle(55_000), "utf-8")
        size = app.stat().st_size / (1024 * 1024)
        print(f"init.js ({len(INIT)} bytes): {best(init, runs) * 1000:.1f} ms")
        print(f"app.js ({size:.1f} MB minified bundle): {best(app, runs):.2f} s")


if __name__ == "__main__":
    main()
