"""The status vocabularies of device control (contract §10, §11.1), stdlib only.

One place for the words: operation states and which of them are terminal or active, and a bulk
operation's general status with every historical spelling mapped (§11.1). Commands use these as
option choices without loading pydantic; models and procedures use them for every decision.
"""

from __future__ import annotations

from enum import Enum


class OperationStatus(str, Enum):
    """An operation's ``status``; SUCCESSFUL and FAILED are terminal (§10)."""

    PENDING = "PENDING"
    EXECUTING = "EXECUTING"
    SUCCESSFUL = "SUCCESSFUL"
    FAILED = "FAILED"

    @property
    def is_terminal(self) -> bool:
        """Whether the device has finished with the operation."""
        return self in TERMINAL_STATUSES

    @property
    def is_active(self) -> bool:
        """PENDING or EXECUTING: the device has not finished (a new one of its kind would pile up)."""
        return self in ACTIVE_STATUSES


# The one vocabulary of operation states (§10): every module asks these, none spells them again.
TERMINAL_STATUSES = frozenset({OperationStatus.SUCCESSFUL, OperationStatus.FAILED})
ACTIVE_STATUSES = (OperationStatus.PENDING, OperationStatus.EXECUTING)
UNKNOWN_STATUS_TEXT = "UNKNOWN"  # shown for an operation that carries no status


def status_value(status: OperationStatus | str | None) -> str | None:
    """The status as Cumulocity writes it (``"FAILED"``); an unknown value as it came; None stays None."""
    return status.value if isinstance(status, OperationStatus) else status


def is_terminal_text(status: str) -> bool:
    """Whether a status string (as a callback reports it) is SUCCESSFUL or FAILED."""
    return status in {member.value for member in TERMINAL_STATUSES}


class BulkGeneralStatus(str, Enum):
    """A bulk operation's ``generalStatus``: the spec's enum plus DELETED and INCORRECT (§11.1)."""

    SCHEDULED = "SCHEDULED"
    EXECUTING = "EXECUTING"
    EXECUTING_WITH_ERRORS = "EXECUTING_WITH_ERRORS"
    SUCCESSFUL = "SUCCESSFUL"
    FAILED = "FAILED"
    CANCELED = "CANCELED"
    DELETED = "DELETED"
    INCORRECT = "INCORRECT"

    @classmethod
    def normalize(cls, raw: str | None) -> BulkGeneralStatus | str | None:
        """Map every historical spelling to a member (§11.1 table); unknown values come back raw."""
        if raw is None:
            return None
        key = raw.strip().upper().replace(" ", "_")
        key = _GENERAL_STATUS_VARIANTS.get(key, key)
        try:
            return cls(key)
        except ValueError:
            return raw

    @property
    def is_terminal(self) -> bool:
        """Whether the bulk operation will not change any more."""
        return self in (
            BulkGeneralStatus.SUCCESSFUL,
            BulkGeneralStatus.FAILED,
            BulkGeneralStatus.CANCELED,
            BulkGeneralStatus.DELETED,
        )


# §11.1: variants seen in the UI, the SDK and on older platforms, after upper-casing and "_" for spaces.
_GENERAL_STATUS_VARIANTS = {
    "EXECUTING_WITH_ERROR": "EXECUTING_WITH_ERRORS",
    "PENDING": "SCHEDULED",
    "COMPLETED_SUCCESSFULLY": "SUCCESSFUL",
    "COMPLETED_WITH_FAILURES": "FAILED",
    "CANCELLED": "CANCELED",
}
