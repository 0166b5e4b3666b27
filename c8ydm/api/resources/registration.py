"""Device registration: new device requests and bulk registration from CSV (contract §12.6, §12.7)."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import TYPE_CHECKING

from c8ydm.api.client import decode_json
from c8ydm.api.conventions import path_segment
from c8ydm.api.hooks import bytes_description
from c8ydm.api.models.registration import (
    AcceptAllItem,
    BulkRegistrationResult,
    DeviceLimit,
    NewDeviceRequest,
    NewDeviceRequestStatus,
)
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, iter_items
from c8ydm.api.transfer import MultipartUpload

if TYPE_CHECKING:
    from c8ydm.api.client import Client

PATH = "/devicecontrol/newDeviceRequests"
BULK_PATH = "/devicecontrol/bulkNewDeviceRequests"


class DeviceRegistration:
    """``client.registration``: new device requests and the bulk CSV upload."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, limit: int | None = None
    ) -> Iterator[NewDeviceRequest]:
        """Iterate new device requests (the spec has no status filter).

        GET /devicecontrol/newDeviceRequests
        """
        return iter_items(
            self._client, PATH, "newDeviceRequests", model=NewDeviceRequest, page_size=page_size, limit=limit
        )

    def get(self, external_id: str) -> NewDeviceRequest:
        """One request by the device's external id. GET /devicecontrol/newDeviceRequests/{id}"""
        return NewDeviceRequest.model_validate(self._client.get_json(f"{PATH}/{path_segment(external_id)}"))

    def create(
        self, external_id: str, *, group_id: str | None = None, type: str | None = None
    ) -> NewDeviceRequest:
        """Register a device by external id: ``{"id"[, "groupId"][, "type"]}``.

        POST /devicecontrol/newDeviceRequests
        """
        body = {"id": external_id, "groupId": group_id, "type": type}
        payload = {key: value for key, value in body.items() if value is not None}
        return NewDeviceRequest.model_validate(self._client.post_json(PATH, payload))

    def accept(self, external_id: str, *, security_token: str | None = None) -> NewDeviceRequest:
        """Accept a PENDING_ACCEPTANCE request. PUT /devicecontrol/newDeviceRequests/{id}"""
        body: dict[str, str] = {"status": NewDeviceRequestStatus.ACCEPTED.value}
        if security_token is not None:
            body["securityToken"] = security_token
        path = f"{PATH}/{path_segment(external_id)}"
        response = self._client.request(
            "PUT", path, json=body,
            dry_run_body={**body, "securityToken": "***"} if security_token is not None else body,
        )  # fmt: skip
        return NewDeviceRequest.model_validate(decode_json(response) or {"id": external_id, **body})

    def delete(self, external_id: str) -> None:
        """Delete a request. DELETE /devicecontrol/newDeviceRequests/{id}"""
        self._client.delete(f"{PATH}/{path_segment(external_id)}")

    def accept_all(self) -> builtins.list[AcceptAllItem]:
        """The UI's "accept all" (§12.7 ⚠, not in the spec; c8ydm accepts one by one instead).

        POST /devicecontrol/newDeviceRequests/acceptAll
        """
        answer = decode_json(self._client.request("POST", f"{PATH}/acceptAll"))
        return [AcceptAllItem.model_validate(item) for item in answer or [] if isinstance(item, dict)]

    def limit(self) -> DeviceLimit:
        """Whether the tenant's device limit is reached (§12.7 ⚠, not in the spec).

        GET /devicecontrol/newDeviceRequests/limit
        """
        return DeviceLimit.model_validate(self._client.get_json(f"{PATH}/limit") or {})

    def upload_csv(self, data: bytes, *, filename: str, rows: int) -> BulkRegistrationResult:
        """Register devices from one CSV file, multipart part ``file`` as ``text/csv`` (§12.6).

        Never retried (it creates devices); a dry run records the file's name, size, sha256 and row
        count, never its content (it holds passwords). POST /devicecontrol/bulkNewDeviceRequests
        """
        body = MultipartUpload(data, filename=filename, mime="text/csv", object_part=None)
        response = self._client.request(
            "POST", BULK_PATH, content=body, headers=body.headers(), idempotent=False,
            dry_run_body=lambda: {"file": {**bytes_description(data, name=filename), "rows": rows}},
        )  # fmt: skip
        return BulkRegistrationResult.model_validate(decode_json(response) or {})
