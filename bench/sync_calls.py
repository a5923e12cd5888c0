"""Gateway calls and wall time of `domaincheck sync` for typical changes, against the fake gateway.

Run from the repository root: python bench/sync_calls.py. Each scenario starts the loopback fake
gateway of the tests (request signatures verified, answers signed), runs the CLI in-process and
prints the requests the gateway received next to the fewest possible without retries (one read plus
one call per change attempted; each retry of a transient failure adds one) and the wall time. Not a test: nothing here asserts.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from domaincheck.cli import app
from tests.alipay.fake_gateway import CREATE, FakeAlipayGateway, Fault

APP_ID = "2021004123456789"


def main() -> None:
    app_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    gateway_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with tempfile.TemporaryDirectory() as tmp:
        private = Path(tmp, "app.pem")
        private.write_bytes(
            app_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        os.chmod(private, 0o600)
        public = Path(tmp, "alipay.pem")
        public.write_bytes(
            gateway_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )

        def run(fake: FakeAlipayGateway, *args: str) -> tuple[int, int, float]:
            before = fake.count()
            argv = [
                "sync", "--app-id", APP_ID, "--private-key-file", str(private),
                "--alipay-public-key-file", str(public), "--gateway", fake.url,
                "--backoff", "0.01", "--timeout", "1", *args,
            ]  # fmt: skip
            started = time.perf_counter()
            result = CliRunner().invoke(app, argv)
            elapsed = time.perf_counter() - started
            return result.exit_code, fake.count() - before, elapsed

        def fake(domains: list[str] | None = None) -> FakeAlipayGateway:
            return FakeAlipayGateway(
                app_id=APP_ID,
                app_public_key=app_key.public_key(),
                gateway_key=gateway_key,
                domains=list(domains or []),
            )

        rows: list[tuple[str, int, int, int, float]] = []
        with (g := fake()).serve():
            code, calls, t = run(g, "--apply")
            rows.append(
                ("empty console, cn1 (12 hosts), --apply", code, calls, 1 + len(g.domains), t)
            )
            code, calls, t = run(g, "--apply")
            rows.append(("same again, already in step", code, calls, 1, t))
        with (g := fake()).serve():
            code, calls, t = run(g, "--apply", "--compact")
            rows.append(
                ("empty console, cn1, --compact --apply", code, calls, 1 + len(g.domains), t)
            )
        with (g := fake(["easemob.com", "easecdn.com", "agora.io"])).serve():
            code, calls, t = run(g, "--apply")
            rows.append(("registrable domains already listed, --apply", code, calls, 1, t))
        with (g := fake(["old1.example.com", "old2.example.com"])).serve():
            code, calls, t = run(g)
            rows.append(("dry run with 12 to add, 2 extra", code, calls, 1, t))
            code, calls, t = run(g, "--apply", "--prune")
            rows.append(("--apply --prune: 12 creates, 2 deletes", code, calls, 15, t))
        with (g := fake()).serve():
            g.inject(Fault.unavailable(), method=CREATE, after=5, times=4)
            code, calls, t = run(g, "--apply")
            rows.append(("20000 x4 on the 6th create: stops (4 attempts)", code, calls, 1 + 6, t))
            code, calls, t = run(g, "--apply")
            rows.append(("re-run finishes the 7 left", code, calls, 1 + 7, t))
        with (g := fake()).serve():
            g.inject(Fault.unavailable(), method=CREATE, after=2, times=2)
            code, calls, t = run(g, "--apply")
            rows.append(("20000 twice on one create, then success", code, calls, 13, t))

    print(f"{'scenario':52} {'exit':>4} {'calls':>5} {'fewest':>6} {'seconds':>8}")
    for name, code, calls, fewest, seconds in rows:
        print(f"{name:52} {code:>4} {calls:>5} {fewest:>6} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
