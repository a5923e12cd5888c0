"""The autouse guard really stops a test from leaving the machine."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NonLoopbackAccess


def test_connect_to_public_address_is_refused() -> None:
    with socket.socket() as sock, pytest.raises(NonLoopbackAccess):
        sock.connect(("192.0.2.1", 443))


def test_resolving_a_public_name_is_refused() -> None:
    with pytest.raises(NonLoopbackAccess):
        socket.getaddrinfo("a1.easemob.com", 443)


def test_udp_send_to_public_resolver_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, pytest.raises(NonLoopbackAccess):
        sock.sendto(b"x", ("223.5.5.5", 53))


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
