"""Errors of the procedures beyond the client's tree (``c8ydm.api.errors``), mapped in ``cli/exitcodes``.

OperationFailedError (api)          an operation ended FAILED on the device (exit 11)
├── PartialFailureError             many operations finished; some, not all, FAILED (exit 14)
└── ThresholdCrossedError           a rollout stopped: a wave's failures crossed its threshold (exit 13)
"""

from __future__ import annotations

from c8ydm.api.errors import OperationFailedError


class PartialFailureError(OperationFailedError):
    """A bulk operation finished, but some (not all) of its devices FAILED (cli-surface.md, exit 14).

    Still an OperationFailedError, so a caller that handles "something failed" needs no new case.
    """

    kind = "partial_failure"


class ThresholdCrossedError(OperationFailedError):
    """A rollout stopped because a wave's failed share crossed ``--max-failures`` (cli-surface.md, exit 13).

    The running wave's bulk operation was cancelled and no further wave was started; ``failed`` is
    the number of failed devices the gate counted.
    """

    kind = "threshold_crossed"

    def __init__(
        self, message: str, *, rollout_id: str, wave: int, failed: int, hint: str | None = None
    ) -> None:
        super().__init__(message, operation_ids=[], hint=hint)
        self.rollout_id = rollout_id
        self.wave = wave
        self.failed = failed


__all__ = ["PartialFailureError", "ThresholdCrossedError"]
