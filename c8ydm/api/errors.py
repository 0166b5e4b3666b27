"""The one error tree of c8ydm. Only the client reads HTTP status codes; it maps them here, once.

    C8yError                        base of everything c8ydm raises on purpose
    ├── TransportError              no HTTP answer: connection refused/reset, DNS, TLS, timeout
    │   └── CannotConnectError          nothing listens at host:port (connection refused)
    ├── APIError                    the tenant answered with an error status
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   │   └── TfaRequiredError            401 "TFA TOTP code required": retry the login with a code
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404 (also raised for a name or id that does not exist)
    │   ├── ConflictError               409 (also raised for "already exists")
    │   ├── UnprocessableEntityError    422
    │   ├── RateLimitError              429, still after retries
    │   └── ServerError                 5xx, still after retries for idempotent requests
    ├── InputError                  bad input detected before any request (missing file, bad value)
    ├── AmbiguousNameError          a name matches several objects; carries their ids
    ├── OperationFailedError        an operation ended FAILED on the device
    ├── WaitTimeoutError            a wait reached its deadline; nothing was cancelled
    └── NoSessionError              no saved session and no C8Y_* connection

Exit codes for these live in one table in ``c8ydm.cli.exitcodes``; this module knows nothing of them.
"""

from __future__ import annotations

from typing import Any


class C8yError(Exception):
    """Base of every expected failure. ``message`` is one line for a person; ``hint`` is optional.

    A failure that comes after a result was produced (a bulk operation that ended with failures, an
    operation that FAILED while waited for) carries that result: ``result`` is the typed object the
    procedure had (a model or a list of them), and ``details`` its JSON document once the CLI has
    shaped it with the command's view; ``-o json`` prints it as the error object's ``details``.
    """

    kind = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.result: Any = None
        self.details: Any = None

    def with_result(self, result: Any) -> C8yError:
        """This error, carrying the result produced before it (for ``raise error.with_result(x)``)."""
        self.result = result
        return self


class TransportError(C8yError):
    """No usable HTTP answer (connection, DNS, TLS failure or timeout)."""

    kind = "unavailable"


class CannotConnectError(TransportError):
    """Nothing answers at the address (connection refused): the server is not running there."""


class APIError(C8yError):
    """The tenant answered with an error status and (maybe) Cumulocity's error body."""

    kind = "api_error"
    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str = "",
        path: str = "",
        error: str | None = None,
        info: str | None = None,
        hint: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status_code = status_code
        self.method = method
        self.path = path
        self.error = error  # Cumulocity's "<resource>/<name>", e.g. "inventory/notFound"
        self.info = info
        self.retry_after = retry_after  # the answer's Retry-After header, for reconciled creates


class BadRequestError(APIError):
    kind = "bad_request"


class AuthenticationError(APIError):
    kind = "authentication_failed"


class TfaRequiredError(AuthenticationError):
    """The OAI-Secure login needs a TOTP code (message ``TFA TOTP code required``, contract §1.2)."""

    kind = "tfa_required"


class PermissionDeniedError(APIError):
    kind = "permission_denied"


class NotFoundError(APIError):
    kind = "not_found"

    def __init__(self, message: str, *, status_code: int = 404, **kwargs: Any) -> None:
        super().__init__(message, status_code=status_code, **kwargs)


class ConflictError(APIError):
    kind = "conflict"

    def __init__(self, message: str, *, status_code: int = 409, **kwargs: Any) -> None:
        super().__init__(message, status_code=status_code, **kwargs)


class UnprocessableEntityError(APIError):
    kind = "invalid"


class RateLimitError(APIError):
    kind = "rate_limited"


class ServerError(APIError):
    kind = "unavailable"


class InputError(C8yError):
    """Bad input found before any request was sent (exit 2)."""

    kind = "usage"


class AmbiguousNameError(C8yError):
    """A name matched more than one object."""

    kind = "ambiguous"

    def __init__(self, message: str, *, ids: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.ids = ids


class OperationFailedError(C8yError):
    """An operation ended FAILED on the device."""

    kind = "operation_failed"

    def __init__(self, message: str, *, operation_ids: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.operation_ids = operation_ids


class WaitTimeoutError(C8yError):
    """A wait reached its deadline; the operations are still running and were not cancelled."""

    kind = "timeout"


class NoSessionError(C8yError):
    """Neither a saved session nor a C8Y_* connection is available."""

    kind = "no_session"


_STATUS_TO_ERROR: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """The error class for an HTTP error status; unknown 4xx map to BadRequestError, 5xx to ServerError."""
    if status_code >= 500:
        return ServerError
    return _STATUS_TO_ERROR.get(status_code, BadRequestError)
