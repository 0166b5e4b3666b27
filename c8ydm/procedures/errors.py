"""Errors of the procedures beyond the client's tree (``c8ydm.api.errors``), mapped in ``cli/exitcodes``.

OperationFailedError (api)          an operation ended FAILED on the device (exit 11)
└── PartialFailureError             many operations finished; some, not all, FAILED (exit 14)
"""

from __future__ import annotations

from c8ydm.api.errors import OperationFailedError


class PartialFailureError(OperationFailedError):
    """A bulk operation finished, but some (not all) of its devices FAILED (cli-surface.md, exit 14).

    Still an OperationFailedError, so a caller that handles "something failed" needs no new case.
    """

    kind = "partial_failure"


__all__ = ["PartialFailureError"]
