"""The exit-code table of cli-surface.md ("Exit codes"): the one place that maps failures to codes.

Only ``main()`` uses it; commands raise errors from ``c8ydm.api.errors`` and never pick a code.
"""

from __future__ import annotations

from enum import IntEnum

from c8ydm.api import errors
from c8ydm.procedures.errors import PartialFailureError, ThresholdCrossedError


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    NO_SESSION = 3
    NOT_FOUND = 4
    AUTHENTICATION = 5
    PERMISSION = 6
    CONFLICT = 7
    INVALID = 8
    RATE_LIMITED = 9
    UNAVAILABLE = 10
    OPERATION_FAILED = 11
    TIMEOUT = 12
    THRESHOLD_CROSSED = 13
    PARTIAL_FAILURE = 14
    INTERRUPTED = 130
    OUTPUT_CLOSED = 141  # 128 + SIGPIPE: what a shell shows for any Unix tool whose reader went away


# The lookup walks each error's MRO, so a subclass added later (say, KeyringUnavailableError, an
# InputError) inherits its parent's code unless it is listed here. 13 (ThresholdCrossedError) and 14
# (PartialFailureError) are OperationFailedErrors listed apart: their own entries win.
_CODES: dict[type[BaseException], ExitCode] = {
    errors.InputError: ExitCode.USAGE,
    errors.AmbiguousNameError: ExitCode.USAGE,
    errors.NoSessionError: ExitCode.NO_SESSION,
    errors.NotFoundError: ExitCode.NOT_FOUND,
    errors.AuthenticationError: ExitCode.AUTHENTICATION,
    errors.PermissionDeniedError: ExitCode.PERMISSION,
    errors.ConflictError: ExitCode.CONFLICT,
    errors.BadRequestError: ExitCode.INVALID,
    errors.UnprocessableEntityError: ExitCode.INVALID,
    errors.RateLimitError: ExitCode.RATE_LIMITED,
    errors.ServerError: ExitCode.UNAVAILABLE,
    errors.TransportError: ExitCode.UNAVAILABLE,
    ThresholdCrossedError: ExitCode.THRESHOLD_CROSSED,
    PartialFailureError: ExitCode.PARTIAL_FAILURE,
    errors.OperationFailedError: ExitCode.OPERATION_FAILED,
    errors.WaitTimeoutError: ExitCode.TIMEOUT,
    errors.C8yError: ExitCode.INTERNAL,
    KeyboardInterrupt: ExitCode.INTERRUPTED,
}


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code for an exception: the entry of its nearest listed class, else 1 (a bug)."""
    for cls in type(error).__mro__:
        if cls in _CODES:
            return _CODES[cls]
    return ExitCode.INTERNAL
