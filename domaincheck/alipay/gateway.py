"""A client for the Alipay Open Platform gateway: signed requests, verified answers, careful retries.

Every request is signed RSA2 with the app private key; every answer's signature is checked with the
Alipay public key before a single field of it is read. Only transient failures are retried (20000,
timeouts, connection errors, HTTP 5xx), with exponential backoff; anything else stops at once with
one line that says what to do. The HTTP client, the clock and the sleep are parameters, so tests point
the client at a local fake gateway and wait no real seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import httpx

from domaincheck.alipay import protocol
from domaincheck.alipay.credentials import AlipayCredentials, is_loopback_host
from domaincheck.alipay.errors import (
    AlipayApiError,
    AlipayBusinessError,
    AlipayGatewayError,
    AlipayInvalidRequestError,
    AlipayPermissionError,
    AlipayResponseError,
    AlipayResponseSignatureError,
    AlipayTransportError,
    AlipayUnavailableError,
)
from domaincheck.alipay.protocol import ErrorKind, Method


@dataclass(frozen=True)
class GatewaySettings:
    """Timeouts and the retry policy. `attempts` counts the first try; delays grow by `backoff_factor`."""

    timeout: float = 15.0
    attempts: int = 4
    backoff: float = 0.5
    backoff_factor: float = 2.0
    backoff_max: float = 8.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.backoff * self.backoff_factor ** (attempt - 1), self.backoff_max)


class Signer(Protocol):
    def sign(self, content: str) -> str: ...


class Verifier(Protocol):
    def verify(self, content: str, sign: str) -> bool: ...


class GatewayObserver:
    """Hears about each request and retry (for a log on stderr); does nothing by default.

    It is told methods, attempt numbers, result codes and reasons, never parameters or keys.
    """

    def request(self, method: str, attempt: int) -> None:
        """A request is about to be sent."""

    def answered(self, method: str, code: str, sub_code: str) -> None:
        """A verified answer arrived."""

    def retrying(self, method: str, attempt: int, reason: str, delay: float) -> None:
        """Attempt `attempt` failed for a transient `reason`; the next starts after `delay` s."""


@dataclass(frozen=True)
class GatewayCall:
    """One HTTP request the client sent, for counting: method, attempt and how it ended."""

    method: str
    attempt: int
    outcome: str  # "10000", another code, "timeout", "connection", "http 503", "bad signature", ...


class _Transient(Exception):
    """A failure worth another attempt."""

    def __init__(self, reason: str, final: AlipayGatewayError) -> None:
        self.reason = reason
        self.final = final
        super().__init__(reason)


_API_ERRORS: dict[ErrorKind, type[AlipayApiError]] = {
    ErrorKind.TRANSIENT: AlipayUnavailableError,
    ErrorKind.PERMISSION: AlipayPermissionError,
    ErrorKind.INVALID_REQUEST: AlipayInvalidRequestError,
    ErrorKind.BUSINESS: AlipayBusinessError,
    ErrorKind.UNKNOWN: AlipayApiError,
}


# An answer of these methods is a few KB (50 domains at most); the gateway is a remote server, so
# its answer is read only up to this size.
MAX_ANSWER_BYTES = 1024 * 1024


def _read_capped(response: httpx.Response) -> bytes | None:
    """The body of `response`, or None when it is over `MAX_ANSWER_BYTES` (not read further)."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > MAX_ANSWER_BYTES:
            return None
    return bytes(body)


class AlipayGatewayClient:
    """Calls gateway methods for one app and returns the verified fields of successful answers."""

    def __init__(
        self,
        *,
        app_id: str,
        gateway_url: str,
        signer: Signer,
        verifier: Verifier,
        app_auth_token: str | None = None,
        settings: GatewaySettings | None = None,
        http: httpx.Client | None = None,
        observer: GatewayObserver | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._app_id = app_id
        self._url = gateway_url
        self._signer = signer
        self._verifier = verifier
        self._token = app_auth_token
        self._settings = settings or GatewaySettings()
        self._observer = observer or GatewayObserver()
        self._clock = clock
        self._sleep = sleep
        self._owns_http = http is None
        if http is None:
            # A gateway on this machine (a test fake) is never reached through a proxy.
            local = is_loopback_host(urlsplit(gateway_url).hostname or "")
            http = httpx.Client(
                timeout=self._settings.timeout, follow_redirects=False, trust_env=not local
            )
        self._http = http
        self.calls: list[GatewayCall] = []

    @classmethod
    def from_credentials(
        cls,
        credentials: AlipayCredentials,
        *,
        settings: GatewaySettings | None = None,
        observer: GatewayObserver | None = None,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> AlipayGatewayClient:
        """A client whose keys are loaded from the credentials' key files."""
        from domaincheck.alipay.keys import (
            RsaSha256Signer,
            RsaSha256Verifier,
            load_alipay_public_key,
            load_app_private_key,
        )

        return cls(
            app_id=credentials.app_id,
            gateway_url=credentials.gateway,
            signer=RsaSha256Signer(load_app_private_key(credentials.private_key_file)),
            verifier=RsaSha256Verifier(load_alipay_public_key(credentials.alipay_public_key_file)),
            app_auth_token=credentials.app_auth_token,
            settings=settings,
            observer=observer,
            http=http,
            sleep=sleep,
        )

    def __enter__(self) -> AlipayGatewayClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __repr__(self) -> str:
        return f"AlipayGatewayClient(gateway={self._url!r})"

    # -- the methods a sync needs -----------------------------------------------------------------

    def query_safe_domains(self) -> tuple[str, ...]:
        """The app's current server-domain whitelist (`safe_domains` of alipay.open.mini.baseinfo.query)."""
        node = self.call(Method.BASEINFO_QUERY)
        domains = node.get("safe_domains") or []
        if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
            raise AlipayResponseError(
                Method.BASEINFO_QUERY,
                f"{Method.BASEINFO_QUERY} answered safe_domains that is not a list of strings",
            )
        return tuple(domains)

    def create_safe_domain(self, domain: str) -> None:
        """Adds one domain to the whitelist."""
        self.call(Method.SAFEDOMAIN_CREATE, {"safe_domain": domain})

    def delete_safe_domain(self, domain: str) -> None:
        """Deletes one domain from the whitelist."""
        self.call(Method.SAFEDOMAIN_DELETE, {"safe_domain": domain})

    # -- the protocol -----------------------------------------------------------------------------

    def call(self, method: str, business: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Calls `method` and returns the verified answer node of a 10000 (success) answer.

        Transient failures are retried up to `settings.attempts` times; every other failure raises at
        once (an `AlipayGatewayError`).
        """
        attempts = max(1, self._settings.attempts)
        for attempt in range(1, attempts + 1):
            self._observer.request(method, attempt)
            try:
                return self._attempt(method, business, attempt)
            except _Transient as transient:
                if attempt == attempts:
                    raise transient.final from None
                delay = self._settings.delay(attempt)
                self._observer.retrying(method, attempt, transient.reason, delay)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self, method: str, business: Mapping[str, str] | None, attempt: int
    ) -> dict[str, Any]:
        params = protocol.common_params(
            app_id=self._app_id,
            method=method,
            timestamp=protocol.format_timestamp(self._clock()),
            app_auth_token=self._token,
        )
        body_params: dict[str, str] = {}
        if business:
            body_params["biz_content"] = protocol.biz_content(business)
        params["sign"] = self._signer.sign(protocol.sign_content({**params, **body_params}))
        separator = "&" if "?" in self._url else "?"
        url = self._url + separator + urlencode(params)
        attempts = self._settings.attempts

        def record(outcome: str) -> None:
            self.calls.append(GatewayCall(method=method, attempt=attempt, outcome=outcome))

        try:
            request = self._http.build_request(
                "POST",
                url,
                content=urlencode(body_params).encode("ascii"),
                headers={"Content-Type": protocol.FORM_CONTENT_TYPE},
            )
            response = self._http.send(request, stream=True)
            try:
                body = _read_capped(response)
            finally:
                response.close()
        except httpx.TimeoutException:
            record("timeout")
            raise _Transient(
                "timed out",
                AlipayTransportError(
                    method,
                    f"{method}: the gateway did not answer within the timeout ({attempts} attempts)",
                ),
            ) from None
        except httpx.TransportError as exc:
            record("connection")
            reason = type(exc).__name__
            raise _Transient(
                f"connection failed ({reason})",
                AlipayTransportError(
                    method, f"{method}: cannot reach the gateway ({reason}, {attempts} attempts)"
                ),
            ) from None

        status = response.status_code
        if status >= 500:
            record(f"http {status}")
            raise _Transient(
                f"HTTP {status}",
                AlipayTransportError(
                    method, f"{method}: the gateway answered HTTP {status} ({attempts} attempts)"
                ),
            )
        if status != 200:
            record(f"http {status}")
            raise AlipayResponseError(
                method, f"{method}: the gateway answered HTTP {status}; check the gateway URL"
            )
        try:
            if body is None:
                record("too large")
                raise AlipayResponseError(
                    method,
                    f"{method}: the gateway's answer is over {MAX_ANSWER_BYTES // 1024} KB, "
                    "far more than any answer of this API; check the gateway URL",
                )
            node = self._verified_node(method, body)
        except AlipayResponseSignatureError:
            record("bad signature")
            raise
        except AlipayApiError as exc:
            record(f"{exc.code} unsigned")
            raise
        except AlipayResponseError:
            record("malformed")
            raise
        code = str(node.get("code", ""))
        sub_code = str(node.get("sub_code", "") or "")
        record(code)
        self._observer.answered(method, code, sub_code)
        if code == protocol.SUCCESS_CODE:
            return node
        error = self._api_error(method, node, verified=True)
        if isinstance(error, AlipayUnavailableError):
            final = AlipayUnavailableError(
                method,
                f"{error} ({attempts} attempts)",
                code=error.code,
                msg=error.msg,
                sub_code=error.sub_code,
                sub_msg=error.sub_msg,
            )
            raise _Transient(f"{code} {error.msg}".strip(), final)
        raise error

    def _verified_node(self, method: str, raw: bytes) -> dict[str, Any]:
        """The answer node, read only after its signature has been checked against the raw text."""
        try:
            body = raw.decode(protocol.CHARSET)
            part = protocol.extract_signed_part(body, method)
            node = protocol.parse_node(part.content)
        except (UnicodeDecodeError, protocol.ResponseShapeError) as exc:
            reason = str(exc) if isinstance(exc, protocol.ResponseShapeError) else "not UTF-8"
            raise AlipayResponseError(
                method,
                f"{method}: the gateway's answer is not usable ({reason}); check the gateway URL",
            ) from None
        if part.sign is None:
            if str(node.get("code", "")) not in ("", protocol.SUCCESS_CODE):
                # The gateway does not sign errors it raises before it knows the app; such an answer
                # is reported (it only ever stops the run) but marked unverified. The Java SDK, too,
                # checks a failure's signature only when it has one (java-all
                # `AbstractAlipayClient.checkResponseSign`).
                raise self._api_error(method, node, verified=False)
            raise AlipayResponseSignatureError(
                method,
                f"{method}: the gateway's answer carries no signature, so it is not believed; "
                "nothing more was done",
            )
        if not self._signature_holds(part.content, part.sign):
            raise AlipayResponseSignatureError(
                method,
                f"{method}: the signature of the gateway's answer does not verify with the Alipay "
                "public key, so the answer is not believed and nothing more was done. Check that the "
                "file holds the Alipay public key (支付宝公钥) of this app and environment, not the app "
                "public key",
            )
        return node

    def _signature_holds(self, content: str, sign: str) -> bool:
        if self._verifier.verify(content, sign):
            return True
        # The Java SDK retries once with JSON-escaped slashes unescaped; some gateways sign that text
        # (java-all `AbstractAlipayClient.checkResponseSign`; Alipay's doc on checking a synchronous
        # answer advises the same).
        return "\\/" in content and self._verifier.verify(content.replace("\\/", "/"), sign)

    def _clean(self, text: str) -> str:
        return protocol.redact(text, (self._app_id, self._token))

    def _api_error(self, method: str, node: Mapping[str, Any], *, verified: bool) -> AlipayApiError:
        code = str(node.get("code", ""))
        msg = self._clean(str(node.get("msg", "") or ""))
        sub_code = self._clean(str(node.get("sub_code", "") or ""))
        sub_msg = self._clean(str(node.get("sub_msg", "") or ""))
        kind = protocol.classify_error(code, sub_code)
        message = protocol.describe_error(method, code, msg, sub_code, sub_msg)
        if not verified:
            message += " [the gateway sent this error unsigned, so it is not verified]"
        return _API_ERRORS[kind](
            method,
            message,
            code=code,
            msg=msg,
            sub_code=sub_code,
            sub_msg=sub_msg,
            verified=verified,
        )
