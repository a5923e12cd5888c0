"""One HTTP/1.1 exchange over an open TLS stream: the HTTP-DNS fetch and DNS-over-HTTPS use it.

h11 (the parser httpx uses) frames the request and reads the answer; the body is read only when the
status is 200 and only up to a limit. Network failures are raised as `StepError` (request or
response step), so the shared translator reads them as it reads the probes'.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import h11

from domaincheck.checks._net import Step, StepError, TlsStream


class BodyTooLarge(Exception):
    """The answer's body is over the caller's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is over {limit // 1024} KB")
        self.limit = limit


@dataclass(frozen=True)
class HttpAnswer:
    """The status, content type and (for a 200) the body of an answer."""

    status_code: int
    content_type: str
    body: bytes


async def exchange(
    stream: TlsStream,
    method: str,
    host: str,
    target: str,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    body: bytes = b"",
    timeout: float,
    max_body: int,
) -> HttpAnswer:
    """Sends one request over `stream` and reads the answer (each step bounded by `timeout`).

    Raises `StepError` for a network step and `BodyTooLarge` past `max_body`; never closes the
    stream (the caller does).
    """
    connection = h11.Connection(h11.CLIENT)
    fields = [("Host", host), *headers, ("Connection", "close")]
    if body or method == "POST":
        fields.append(("Content-Length", str(len(body))))
    request = h11.Request(method=method, target=target, headers=fields)
    wire = (connection.send(request) or b"") + (
        connection.send(h11.Data(data=body)) if body else b""
    )
    wire += connection.send(h11.EndOfMessage()) or b""
    try:
        stream.writer.write(wire)
        async with asyncio.timeout(timeout):
            await stream.writer.drain()
    except Exception as exc:
        raise StepError(Step.REQUEST, stream.endpoint, exc) from exc
    received = bytearray()
    status, content_type = 0, ""
    try:
        async with asyncio.timeout(timeout):
            while True:
                event = connection.next_event()
                if event is h11.NEED_DATA:
                    data = await stream.reader.read(65536)
                    if not data and not status:
                        raise ConnectionAbortedError("closed without an HTTP response")
                    connection.receive_data(data)
                elif isinstance(event, h11.Response):
                    status = event.status_code
                    content_type = dict(event.headers).get(b"content-type", b"").decode("latin-1")
                    if status != 200:
                        return HttpAnswer(status, content_type, b"")
                elif isinstance(event, h11.Data):
                    received.extend(event.data)
                    if len(received) > max_body:
                        raise BodyTooLarge(max_body)
                elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                    if not status:
                        raise ConnectionAbortedError("closed without an HTTP response")
                    return HttpAnswer(status, content_type, bytes(received))
    except BodyTooLarge:
        raise
    except Exception as exc:
        raise StepError(Step.RESPONSE, stream.endpoint, exc) from exc
