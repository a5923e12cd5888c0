"""What can stop a sync: unusable credentials, a gateway that cannot be trusted or reached, an error code.

Every message here is safe to print: it never holds a key, the app_auth_token or the app id, and text
the gateway sent back is redacted before it gets here. `AlipayCredentialsError` exits 2 (bad input),
the rest 1 (the sync could not run).
"""

from __future__ import annotations

from typing import ClassVar

from domaincheck.core.errors import DomaincheckError
from domaincheck.core.exitcodes import ExitCode


class AlipayError(DomaincheckError):
    """Base of every Alipay sync failure: the sync could not run (exit 1)."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED


class AlipayCredentialsError(AlipayError):
    """The app id, a key file, the app_auth_token or the gateway URL is missing or unusable."""

    exit_code: ClassVar[ExitCode] = ExitCode.BAD_INPUT


class SyncLimitError(AlipayError):
    """Applying the plan would leave more entries than the console allows; nothing was changed."""


class AlipayGatewayError(AlipayError):
    """The gateway could not be used for `method`: unreachable, unverifiable, or it said no."""

    def __init__(self, method: str, message: str) -> None:
        self.method = method
        super().__init__(message)


class AlipayTransportError(AlipayGatewayError):
    """Timeouts, refused connections or HTTP 5xx, still failing after every retry."""


class AlipayResponseError(AlipayGatewayError):
    """The answer is not a gateway response: wrong HTTP status, not JSON, no `*_response` node."""


class AlipayResponseSignatureError(AlipayResponseError):
    """The answer's signature does not verify with the Alipay public key, so it is not believed."""


class AlipayApiError(AlipayGatewayError):
    """The gateway answered with an error code (anything but 10000).

    `verified` is False when the gateway sent the error unsigned, as it does for some errors it raises
    before it knows the app (an invalid app id or request signature): such an answer only ever stops
    the run, nothing is done on its word.
    """

    def __init__(
        self,
        method: str,
        message: str,
        *,
        code: str,
        msg: str = "",
        sub_code: str = "",
        sub_msg: str = "",
        verified: bool = True,
    ) -> None:
        self.code = code
        self.msg = msg
        self.sub_code = sub_code
        self.sub_msg = sub_msg
        self.verified = verified
        super().__init__(method, message)


class AlipayPermissionError(AlipayApiError):
    """The app, its keys or its token may not call the method (40006, 20001, invalid app id or sign)."""


class AlipayUnavailableError(AlipayApiError):
    """20000 (service unavailable), still answered after every retry."""


class AlipayInvalidRequestError(AlipayApiError):
    """40001 or 40002: a parameter is missing or invalid."""


class AlipayBusinessError(AlipayApiError):
    """40004: the call was understood and refused for a business reason (`sub_code` says which)."""
