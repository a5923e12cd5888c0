"""The TLS 1.0/1.1 probe of the TLS check: a ClientHello written by hand, and the version of the
ServerHello read back.

That is the moment a server accepts or refuses an old version; it needs no OpenSSL built with TLS 1.0
(or a security level that allows it), and it costs a fraction of a handshake per host.
"""

from __future__ import annotations

import asyncio
import contextlib
import os

from domaincheck.checks._net import (
    Endpoint,
    Step,
    StepError,
    is_ip,
)
from domaincheck.checks.router import Router

# The TLS 1.0/1.1 probe sends a ClientHello by hand and reads the version of the ServerHello: that is
# the moment a server accepts or refuses the version, it needs no OpenSSL built with TLS 1.0 (or a
# security level that allows it), and it costs a fraction of a handshake per host.
_LEGACY_SUITES = (
    0xC014,  # ECDHE-RSA-AES256-SHA
    0xC013,  # ECDHE-RSA-AES128-SHA
    0xC00A,  # ECDHE-ECDSA-AES256-SHA
    0xC009,  # ECDHE-ECDSA-AES128-SHA
    0x0039,  # DHE-RSA-AES256-SHA
    0x0033,  # DHE-RSA-AES128-SHA
    0x0035,  # AES256-SHA
    0x002F,  # AES128-SHA
    0x000A,  # DES-CBC3-SHA
)
_LEGACY_VERSIONS = {0x0301: "TLSv1", 0x0302: "TLSv1.1"}
_ALERTS = {
    40: "handshake_failure",
    70: "protocol_version",
    71: "insufficient_security",
    80: "internal_error",
    112: "unrecognized_name",
}


def legacy_client_hello(host: str) -> bytes:
    """A ClientHello offering at most TLS 1.1 (so also 1.0), with SNI and the usual legacy suites."""

    def u16(value: int) -> bytes:
        return value.to_bytes(2, "big")

    def extension(kind: int, data: bytes) -> bytes:
        return u16(kind) + u16(len(data)) + data

    name = b"" if is_ip(host) else host.encode("idna")
    extensions = b""
    if name:
        server_name = b"\x00" + u16(len(name)) + name
        extensions += extension(0x0000, u16(len(server_name)) + server_name)
    groups = u16(0x001D) + u16(0x0017) + u16(0x0018)  # x25519, secp256r1, secp384r1
    extensions += extension(0x000A, u16(len(groups)) + groups)
    extensions += extension(0x000B, b"\x01\x00")  # EC point formats: uncompressed
    extensions += extension(0xFF01, b"\x00")  # secure renegotiation, empty
    suites = b"".join(u16(s) for s in _LEGACY_SUITES)
    body = (
        u16(0x0302)
        + os.urandom(32)
        + b"\x00"  # no session id
        + u16(len(suites))
        + suites
        + b"\x01\x00"  # compression: null
        + u16(len(extensions))
        + extensions
    )
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + u16(len(handshake)) + handshake


async def first_words(router: Router, endpoint: Endpoint, host: str, timeout: float) -> bytes:
    """The first line a port says to a plain HTTP request (or says first, as SSH does); b"" if
    nothing came. Only asked after a handshake failed for want of TLS, to name what answers."""
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await router.open_tcp(endpoint, timeout)
            writer.write(f"HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("latin-1", "replace"))
            line = await reader.readline()
        return line[:80].rstrip(b"\r\n")
    except Exception:  # only an illustration of the failure already found
        return b""
    finally:
        if writer is not None:
            writer.transport.abort()


class LegacyRefused(Exception):
    """The server refused a TLS 1.0/1.1 ClientHello (an alert, a close, or a newer version)."""


async def legacy_version(router: Router, endpoint: Endpoint, host: str, timeout: float) -> str:
    """The version a server picks for a TLS 1.0/1.1-only client; raises LegacyRefused or a network error."""
    reader, writer = await router.open_tcp(endpoint, timeout)
    try:
        writer.write(legacy_client_hello(host))
        async with asyncio.timeout(timeout):
            header = await reader.readexactly(5)
            if header[0] == 0x15:  # alert
                alert = await reader.readexactly(2)
                name = _ALERTS.get(alert[1], f"alert {alert[1]}")
                raise LegacyRefused(f"{name} alert")
            if header[0] != 0x16:
                raise LegacyRefused("not a TLS answer")
            first = await reader.readexactly(6)
        if first[0] != 0x02:  # not a ServerHello
            raise LegacyRefused("no ServerHello")
        version = int.from_bytes(first[4:6], "big")
        if version not in _LEGACY_VERSIONS:
            raise LegacyRefused(f"answered with version 0x{version:04x}")
        return _LEGACY_VERSIONS[version]
    except asyncio.IncompleteReadError as exc:
        raise LegacyRefused("closed the connection") from exc
    except ConnectionResetError as exc:
        raise LegacyRefused("reset the connection") from exc
    except LegacyRefused:
        raise
    except Exception as exc:
        raise StepError(Step.HANDSHAKE, endpoint, exc) from exc
    finally:
        with contextlib.suppress(Exception):
            writer.transport.abort()
