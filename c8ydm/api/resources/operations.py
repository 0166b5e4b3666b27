"""Device operations: create, read, list, update status, cancel (contract §10, §1.12)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from c8ydm.api.conventions import EPOCH_TIMESTAMP, one_day_from_now, path_segment, timestamp_param
from c8ydm.api.errors import InputError
from c8ydm.api.models.base import as_body
from c8ydm.api.models.devicecontrol import Operation, OperationStatus, status_value
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, count, iter_items

if TYPE_CHECKING:
    from c8ydm.api.client import Client

PATH = "/devicecontrol/operations"
DEFAULT_CANCEL_REASON = "User cancelled operation"  # the Go CLI's text (§10)

Timestamp = datetime | str


class Operations:
    """``client.operations``: device operations."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, body: Operation | Mapping[str, Any]) -> Operation:
        """Create an operation (``deviceId`` required). POST /devicecontrol/operations"""
        payload = as_body(body)
        if not payload.get("deviceId"):
            raise InputError("an operation needs a deviceId")
        return Operation.model_validate(self._client.post_json(PATH, payload))

    def get(self, operation_id: str) -> Operation:
        """Get one operation. GET /devicecontrol/operations/{id}"""
        return Operation.model_validate(self._client.get_json(f"{PATH}/{path_segment(operation_id)}"))

    @staticmethod
    def _filters(
        *,
        device_id: str | None,
        agent_id: str | None,
        fragment_type: str | None,
        status: OperationStatus | str | None,
        bulk_operation_id: str | None,
        date_from: Timestamp | None,
        date_to: Timestamp | None,
        revert: bool | None,
        newest_first: bool,
    ) -> dict[str, Any]:
        if newest_first:
            # §10: revert=true works only with a date range; "all time" is 1970 .. now+1d (§1.9).
            date_from = date_from or EPOCH_TIMESTAMP
            date_to = date_to or one_day_from_now()
            revert = True
        return {
            "deviceId": device_id,
            "agentId": agent_id,
            "fragmentType": fragment_type,
            "status": status_value(status),
            "bulkOperationId": bulk_operation_id,
            "dateFrom": timestamp_param(date_from),
            "dateTo": timestamp_param(date_to),
            "revert": revert,
        }

    def list(
        self,
        *,
        device_id: str | None = None,
        agent_id: str | None = None,
        fragment_type: str | None = None,
        status: OperationStatus | str | None = None,
        bulk_operation_id: str | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        revert: bool | None = None,
        newest_first: bool = False,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[Operation]:
        """Iterate operations (oldest first unless ``newest_first``). GET /devicecontrol/operations"""
        params = self._filters(
            device_id=device_id, agent_id=agent_id, fragment_type=fragment_type, status=status,
            bulk_operation_id=bulk_operation_id, date_from=date_from, date_to=date_to, revert=revert,
            newest_first=newest_first,
        )  # fmt: skip
        return iter_items(
            self._client, PATH, "operations", params=params, model=Operation, page_size=page_size, limit=limit
        )

    def count(
        self,
        *,
        device_id: str | None = None,
        fragment_type: str | None = None,
        status: OperationStatus | str | None = None,
        bulk_operation_id: str | None = None,
    ) -> int | None:
        """Count operations, e.g. per status of a bulk operation (§11.4).

        GET /devicecontrol/operations?pageSize=1&withTotalPages=true
        """
        params = self._filters(
            device_id=device_id, agent_id=None, fragment_type=fragment_type, status=status,
            bulk_operation_id=bulk_operation_id, date_from=None, date_to=None, revert=None,
            newest_first=False,
        )  # fmt: skip
        return count(self._client, PATH, params=params)

    def latest(self, device_id: str, fragment_type: str) -> Operation | None:
        """The newest operation of a kind on a device, or None.

        GET /devicecontrol/operations?deviceId=&fragmentType=&revert=true&pageSize=1
            &dateFrom=1970-01-01T00:00:00.000Z&dateTo=<now+1d>   (§6, §10)
        """
        params = {
            "deviceId": device_id,
            "fragmentType": fragment_type,
            "dateFrom": EPOCH_TIMESTAMP,
            "dateTo": one_day_from_now(),
            "revert": True,
            "pageSize": 1,
        }
        items = (self._client.get_json(PATH, params=params) or {}).get("operations") or []
        return Operation.model_validate(items[0]) if items else None

    def update(self, operation_id: str, body: Operation | Mapping[str, Any]) -> Operation:
        """Update an operation (only status and failureReason change). PUT /devicecontrol/operations/{id}"""
        answer = self._client.put_json(f"{PATH}/{path_segment(operation_id)}", as_body(body))
        return Operation.model_validate(answer)

    def set_status(
        self, operation_id: str, status: OperationStatus | str, *, failure_reason: str | None = None
    ) -> Operation:
        """Set an operation's status. PUT /devicecontrol/operations/{id}"""
        body: dict[str, Any] = {"status": status_value(status)}
        if failure_reason is not None:
            body["failureReason"] = failure_reason
        return self.update(operation_id, body)

    def cancel(self, operation_id: str, *, reason: str = DEFAULT_CANCEL_REASON) -> Operation:
        """Cancel as the Go CLI does: ``{"status":"FAILED","failureReason":…}``.

        PUT /devicecontrol/operations/{id}
        """
        return self.set_status(operation_id, OperationStatus.FAILED, failure_reason=reason)
