"""Device registration models: new device requests and the bulk CSV registration result (§12.6, §12.7)."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from c8ydm.api.models.base import C8yModel, IdStr


class NewDeviceRequestStatus(str, Enum):
    """A new device request's ``status`` (§12.7); only PENDING_ACCEPTANCE can be accepted."""

    WAITING_FOR_CONNECTION = "WAITING_FOR_CONNECTION"
    PENDING_ACCEPTANCE = "PENDING_ACCEPTANCE"
    ACCEPTED = "ACCEPTED"


class NewDeviceRequest(C8yModel):
    """A new device request; ``id`` is the device's external id."""

    id: str | None = None
    status: str | None = None
    group_id: IdStr | None = Field(default=None, alias="groupId")
    type: str | None = None
    owner: str | None = None
    tenant_id: str | None = Field(default=None, alias="tenantId")
    creation_time: str | None = Field(default=None, alias="creationTime")
    self_url: str | None = Field(default=None, alias="self")


class BulkRegistrationStatus(str, Enum):
    """``bulkNewDeviceStatus`` of one CSV row (§12.6)."""

    CREATED = "CREATED"
    FAILED = "FAILED"
    CREDENTIAL_UPDATED = "CREDENTIAL_UPDATED"


class BulkRegistrationRow(C8yModel):
    """One entry of ``credentialUpdatedList`` or ``failedCreationList``; ``line`` is a string."""

    status: str | None = Field(default=None, alias="bulkNewDeviceStatus")
    device_id: str | None = Field(default=None, alias="deviceId")
    failure_reason: str | None = Field(default=None, alias="failureReason")
    line: str | None = None


class BulkRegistrationResult(C8yModel):
    """The answer of ``POST /devicecontrol/bulkNewDeviceRequests`` (§12.6). Created rows are only counted."""

    number_of_all: int | None = Field(default=None, alias="numberOfAll")
    number_of_created: int | None = Field(default=None, alias="numberOfCreated")
    number_of_failed: int | None = Field(default=None, alias="numberOfFailed")
    number_of_successful: int | None = Field(default=None, alias="numberOfSuccessful")
    credential_updated: list[BulkRegistrationRow] = Field(default_factory=list, alias="credentialUpdatedList")
    failed: list[BulkRegistrationRow] = Field(default_factory=list, alias="failedCreationList")


class AcceptAllItem(C8yModel):
    """One entry of the ``acceptAll`` answer: ``{id, successful, error?}`` (§12.7 ⚠, not in the spec)."""

    id: str | None = None
    successful: bool | None = None
    error: str | None = None


class DeviceLimit(C8yModel):
    """``GET /devicecontrol/newDeviceRequests/limit``: ``{isReached, limit?, deviceCount?}`` (§12.7 ⚠)."""

    is_reached: bool | None = Field(default=None, alias="isReached")
    limit: int | None = None
    device_count: int | None = Field(default=None, alias="deviceCount")
