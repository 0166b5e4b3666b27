"""Bulk operations: create, read, list, reschedule, cancel (contract §11)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from c8ydm.api.conventions import path_segment, timestamp_param
from c8ydm.api.errors import InputError
from c8ydm.api.models.base import as_body
from c8ydm.api.models.devicecontrol import BulkGeneralStatus, BulkOperation
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, count, iter_items

if TYPE_CHECKING:
    from c8ydm.api.client import Client

PATH = "/devicecontrol/bulkoperations"

Timestamp = datetime | str
Body = BulkOperation | Mapping[str, Any]


def _statuses(
    general_status: BulkGeneralStatus | str | Sequence[BulkGeneralStatus | str] | None,
) -> list[str]:
    if general_status is None:
        return []
    values = [general_status] if isinstance(general_status, str) else list(general_status)
    return [value.value if isinstance(value, BulkGeneralStatus) else value for value in values]


class BulkOperations:
    """``client.bulk_operations``: one operation prototype applied to a group of devices."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, body: Body) -> BulkOperation:
        """Create a bulk operation (``groupId`` or ``failedParentId``, not both).

        POST /devicecontrol/bulkoperations
        """
        payload = as_body(body)
        if payload.get("groupId") and payload.get("failedParentId"):
            # §11.1, spec: "passing both ... will not work".
            raise InputError("a bulk operation takes groupId or failedParentId, not both")
        return BulkOperation.model_validate(self._client.post_json(PATH, payload))

    def get(self, bulk_id: str) -> BulkOperation:
        """Get one bulk operation. GET /devicecontrol/bulkoperations/{id}"""
        return BulkOperation.model_validate(self._client.get_json(f"{PATH}/{path_segment(bulk_id)}"))

    @staticmethod
    def _filters(
        general_status: BulkGeneralStatus | str | Sequence[BulkGeneralStatus | str] | None,
        date_from: Timestamp | None,
        date_to: Timestamp | None,
        with_deleted: bool,
    ) -> dict[str, Any]:
        # §11.4: the UI's list; these filters are not in the spec ⚠ (generalStatus may repeat).
        return {
            "withDeleted": True if with_deleted else None,
            "generalStatus": _statuses(general_status) or None,
            "dateFrom": timestamp_param(date_from),
            "dateTo": timestamp_param(date_to),
        }

    def list(
        self,
        *,
        general_status: BulkGeneralStatus | str | Sequence[BulkGeneralStatus | str] | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        with_deleted: bool = True,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[BulkOperation]:
        """Iterate bulk operations, deleted (cancelled) ones included by default.

        GET /devicecontrol/bulkoperations
        """
        params = self._filters(general_status, date_from, date_to, with_deleted)
        return iter_items(
            self._client, PATH, "bulkOperations", params=params, model=BulkOperation,
            page_size=page_size, limit=limit,
        )  # fmt: skip

    def count(
        self,
        *,
        general_status: BulkGeneralStatus | str | Sequence[BulkGeneralStatus | str] | None = None,
        with_deleted: bool = True,
    ) -> int | None:
        """Count bulk operations. GET /devicecontrol/bulkoperations?pageSize=1&withTotalPages=true"""
        return count(self._client, PATH, params=self._filters(general_status, None, None, with_deleted))

    def update(self, bulk_id: str, body: Body) -> BulkOperation:
        """Update, e.g. a new startDate/creationRamp while SCHEDULED.

        PUT /devicecontrol/bulkoperations/{id}
        """
        answer = self._client.put_json(f"{PATH}/{path_segment(bulk_id)}", as_body(body))
        return BulkOperation.model_validate(answer)

    def delete(self, bulk_id: str) -> None:
        """Cancel a bulk operation (kept, visible with withDeleted=true).

        DELETE /devicecontrol/bulkoperations/{id}
        """
        self._client.delete(f"{PATH}/{path_segment(bulk_id)}")
