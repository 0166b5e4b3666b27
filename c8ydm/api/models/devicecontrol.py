"""Device-control models: operations (contract §10) and bulk operations (§11)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field, field_validator

from c8ydm.api.models.base import C8yModel, IdStr


class OperationStatus(str, Enum):
    """An operation's ``status``; SUCCESSFUL and FAILED are terminal (§10)."""

    PENDING = "PENDING"
    EXECUTING = "EXECUTING"
    SUCCESSFUL = "SUCCESSFUL"
    FAILED = "FAILED"

    @property
    def is_terminal(self) -> bool:
        """Whether the device has finished with the operation."""
        return self in (OperationStatus.SUCCESSFUL, OperationStatus.FAILED)


def _known_enum(enum: type[Enum], value: Any) -> Any:
    try:
        return enum(value)
    except ValueError:
        return value


class Operation(C8yModel):
    """A device operation. Custom fragments (``c8y_Firmware``, ``c8ydm_Origin``…) are kept as extras."""

    id: IdStr | None = None
    self_url: str | None = Field(default=None, alias="self")
    device_id: IdStr | None = Field(default=None, alias="deviceId")
    device_name: str | None = Field(default=None, alias="deviceName")
    description: str | None = None
    creation_time: str | None = Field(default=None, alias="creationTime")
    # An unknown status string is kept as is rather than failing the whole read.
    status: OperationStatus | str | None = Field(default=None, union_mode="left_to_right")
    failure_reason: str | None = Field(default=None, alias="failureReason")
    bulk_operation_id: IdStr | None = Field(default=None, alias="bulkOperationId")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return _known_enum(OperationStatus, value)

    @property
    def is_terminal(self) -> bool:
        """Whether the status is SUCCESSFUL or FAILED."""
        return isinstance(self.status, OperationStatus) and self.status.is_terminal


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


class BulkProgress(C8yModel):
    """``progress`` of a bulk operation; ``total`` is Cumulocity's ``all``."""

    total: int = Field(default=0, alias="all")
    pending: int = 0
    executing: int = 0
    successful: int = 0
    failed: int = 0

    @property
    def done_fraction(self) -> float:
        """``(successful + failed) / all``, as the UI computes it; 0 when nothing exists yet."""
        return (self.successful + self.failed) / self.total if self.total else 0.0

    @property
    def all_created(self) -> bool:
        """Whether every child operation exists: ``all == pending + executing + successful + failed``."""
        return self.total == self.pending + self.executing + self.successful + self.failed


class BulkOperation(C8yModel):
    """A bulk operation; ``id`` may arrive as an integer and is stored as a string (§11.1)."""

    id: IdStr | None = None
    self_url: str | None = Field(default=None, alias="self")
    group_id: IdStr | None = Field(default=None, alias="groupId")
    failed_parent_id: IdStr | None = Field(default=None, alias="failedParentId")
    start_date: str | None = Field(default=None, alias="startDate")
    creation_ramp: float | None = Field(default=None, alias="creationRamp")
    operation_prototype: dict[str, Any] | None = Field(default=None, alias="operationPrototype")
    note: str | None = None
    status: str | None = None
    general_status: str | None = Field(default=None, alias="generalStatus")
    progress: BulkProgress | None = None

    @property
    def normalized_general_status(self) -> BulkGeneralStatus | str | None:
        """``generalStatus`` mapped through ``BulkGeneralStatus.normalize`` (raw value kept if unknown)."""
        return BulkGeneralStatus.normalize(self.general_status)
