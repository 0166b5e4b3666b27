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

FRAGMENT = "c8ydm_Origin"
TOOL = "c8ydm"
RUN_ID = str(uuid.uuid4())  # this process's run

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


def resend_body(operation: Mapping[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """An existing operation as a new one: the fields §10 "Re-send" strips removed, a fresh marker."""
    kept = {key: value for key, value in operation.items() if key not in RESEND_STRIPPED_FIELDS}
    return with_origin(kept, run_id)


__all__ = ["FRAGMENT", "RESEND_STRIPPED_FIELDS", "RUN_ID", "origin", "resend_body", "with_origin"]
