"""Views of new device requests (§12.7): the list, per-request outcomes and the device limit."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from c8ydm.cli.views.base import View, with_short_times

if TYPE_CHECKING:
    from c8ydm.api.models.registration import DeviceLimit, NewDeviceRequest
    from c8ydm.procedures.registration.requests import RequestsReport

REQUEST_COLUMNS = [("ID", "id"), ("STATUS", "status"), ("TYPE", "type"), ("GROUP", "groupId"),
                   ("OWNER", "owner"), ("CREATED", "creationTime")]  # fmt: skip
OUTCOME_COLUMNS = [("ID", "id"), ("RESULT", "result"), ("STATUS", "status"), ("ERROR", "error")]


def requests_view(requests: Iterator[NewDeviceRequest]) -> View:
    """Each request as the tenant gave it (streamed for jsonl); a table shows local short times."""
    for_data, for_table = itertools.tee(request.to_body() for request in requests)
    table_rows = (with_short_times(row, ["creationTime"]) for row in for_table)
    return View(for_data, REQUEST_COLUMNS, table_rows=table_rows)


def outcomes_view(report: RequestsReport) -> View:
    rows = [
        {"id": o.external_id, "result": o.result, "status": o.status, "error": o.error}
        for o in report.outcomes
    ]
    return View(rows, OUTCOME_COLUMNS)


def limit_view(limit: DeviceLimit) -> View:
    return View(limit.to_body())
