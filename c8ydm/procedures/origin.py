"""The ``c8ydm_Origin`` marker on every operation and bulk prototype c8ydm creates (contract §14(f)).

``{"tool": "c8ydm", "version": "<c8ydm version>", "runId": "<uuid>"}``: the run id is one random
UUID per process (one command line is one run), so that an interrupted run can find what it already
created (§10, "Reconciling an interrupted run") and nothing is created twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from c8ydm import __version__
from c8ydm.api.conventions import utc_now

FRAGMENT = "c8ydm_Origin"
TOOL = "c8ydm"
RUN_ID = str(uuid.uuid4())  # this process's run
RUN_STARTED = utc_now()  # when it started: reconciling looks for its work from here on (§10)

# §10 "Re-send" (the UI's retry) strips these; c8ydm also drops the three it adds (★).
RESEND_STRIPPED_FIELDS = (
    "id",
    "self",
    "status",
    "failureReason",
    "creationTime",
    "delivery",
    "bulkOperationId",
    "deviceName",
    "deviceExternalIDs",
)


def origin(run_id: str | None = None) -> dict[str, str]:
    """The marker fragment's value for this run (or for ``run_id``)."""
    return {"tool": TOOL, "version": __version__, "runId": run_id or RUN_ID}


def with_origin(body: Mapping[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """A copy of an operation body with a fresh marker last (an old run's marker is replaced)."""
    marked = {key: value for key, value in body.items() if key != FRAGMENT}
    marked[FRAGMENT] = origin(run_id)
    return marked


def run_id_of(body: Mapping[str, Any]) -> str | None:
    """The run id of a body's (or a prototype's) marker, if it carries one made by c8ydm."""
    marker = body.get(FRAGMENT)
    if not isinstance(marker, Mapping) or marker.get("tool") != TOOL:
        return None
    run_id = marker.get("runId")
    return run_id if isinstance(run_id, str) and run_id else None


def resend_body(operation: Mapping[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """An existing operation as a new one: the fields §10 "Re-send" strips removed, a fresh marker."""
    kept = {key: value for key, value in operation.items() if key not in RESEND_STRIPPED_FIELDS}
    return with_origin(kept, run_id)


__all__ = [
    "FRAGMENT",
    "RESEND_STRIPPED_FIELDS",
    "RUN_ID",
    "RUN_STARTED",
    "origin",
    "resend_body",
    "run_id_of",
    "with_origin",
]
