"""Device-control models: operations (contract §10) and bulk operations (§11); the status words are
in ``status`` (re-exported here for the models' users)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field, field_validator

from c8ydm.api.models.base import C8yModel, IdStr
from c8ydm.api.models.status import (
    ACTIVE_STATUSES,
    TERMINAL_STATUSES,
    UNKNOWN_STATUS_TEXT,
    BulkGeneralStatus,
    OperationStatus,
    is_terminal_text,
    status_value,
)


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

    @property
    def is_active(self) -> bool:
        """Whether the status is PENDING or EXECUTING."""
        return isinstance(self.status, OperationStatus) and self.status.is_active

    @property
    def status_text(self) -> str:
        """The status for people: Cumulocity's word, an unknown value as it came, else UNKNOWN."""
        return status_value(self.status) or UNKNOWN_STATUS_TEXT


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

    @property
    def general_status_text(self) -> str | None:
        """The normalised ``generalStatus`` as text (an unknown value as it came)."""
        status = self.normalized_general_status
        return status.value if isinstance(status, BulkGeneralStatus) else status

    @property
    def is_finished(self) -> bool:
        """Whether the bulk operation will not change any more (a terminal general status)."""
        status = self.normalized_general_status
        return isinstance(status, BulkGeneralStatus) and status.is_terminal


__all__ = [
    "ACTIVE_STATUSES",
    "TERMINAL_STATUSES",
    "UNKNOWN_STATUS_TEXT",
    "BulkGeneralStatus",
    "BulkOperation",
    "BulkProgress",
    "Operation",
    "OperationStatus",
    "is_terminal_text",
    "status_value",
]
