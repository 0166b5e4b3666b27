"""New device requests: list, add, accept, delete (contract §12.7).

- add: each external id is looked up first; an existing request is reported, not posted again, and
  a POST whose answer was lost is looked up instead of being sent twice (§14(d)).
- accept: only PENDING_ACCEPTANCE requests can be accepted; ``--all`` is one PUT per pending request
  (§12.7 ★), not the UI's undocumented ``acceptAll``.
- Every id is checked before anything changes (exit 4 for an unknown one); then each is tried and
  gets its own outcome (exit 14 when some failed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, InputError, NotFoundError
from c8ydm.api.models.registration import DeviceLimit, NewDeviceRequest, NewDeviceRequestStatus
from c8ydm.procedures.outcomes import error_text, raise_for_failures
from c8ydm.procedures.reconcile import create_once

STATUSES = tuple(status.value for status in NewDeviceRequestStatus)
PENDING = NewDeviceRequestStatus.PENDING_ACCEPTANCE.value
LIST_HINT = "list them with: c8ydm registration list"


@dataclass(frozen=True)
class RequestOutcome:
    """One request's outcome: ``status`` is what it is now; ``result`` what this run did."""

    external_id: str
    status: str | None
    result: str  # created, exists, accepted, skipped, deleted, failed
    error: str | None = None


@dataclass(frozen=True)
class RequestsReport:
    outcomes: list[RequestOutcome]
    action: str

    def raise_for_failures(self) -> None:
        failed = [o.external_id for o in self.outcomes if o.result == "failed"]
        raise_for_failures(failed, len(self.outcomes), f"requests to {self.action}")


def check_status(status: str | None) -> str | None:
    """The status in upper case when it is one of §12.7's, else InputError (exit 2)."""
    if status is None:
        return None
    upper = status.strip().upper()
    if upper not in STATUSES:
        raise InputError(f"unknown status {status!r}", hint=f"use one of {', '.join(STATUSES)}")
    return upper


def list_requests(client: Client, *, status: str | None = None) -> Iterator[NewDeviceRequest]:
    """New device requests, filtered by status here (the spec has no filter).

    GET /devicecontrol/newDeviceRequests?pageSize=2000&withTotalPages=true
    """
    wanted = check_status(status)
    return (request for request in client.registration.list() if wanted is None or request.status == wanted)


def find_request(client: Client, external_id: str) -> NewDeviceRequest | None:
    """The request for an external id, or None. GET /devicecontrol/newDeviceRequests/<id>"""
    try:
        return client.registration.get(external_id)
    except NotFoundError:
        return None


def _checked_ids(external_ids: Sequence[str]) -> list[str]:
    ids = list(dict.fromkeys(value.strip() for value in external_ids))
    if not ids or any(not value for value in ids):
        raise InputError("name at least one device external id (none may be empty)")
    return ids


def _create(client: Client, external_id: str, group_id: str | None, type: str | None) -> RequestOutcome:
    # Exactly once (§14(d)): a lost answer, 429 or 503 is looked up by external id before any resend.
    created = create_once(
        client,
        lambda: client.registration.create(external_id, group_id=group_id, type=type),
        lambda: find_request(client, external_id),
        what=f"registration request {external_id!r}",
    )
    return RequestOutcome(external_id, created.status, "created")


def add_requests(
    client: Client, external_ids: Sequence[str], *, group_id: str | None = None, type: str | None = None
) -> RequestsReport:
    """Create a request per new external id; existing ones are reported as they are.

    GET /devicecontrol/newDeviceRequests/<id>, then POST /devicecontrol/newDeviceRequests per new id
    """
    ids = _checked_ids(external_ids)
    existing = {external_id: find_request(client, external_id) for external_id in ids}
    outcomes = []
    for external_id in ids:
        found = existing[external_id]
        if found is not None:
            outcomes.append(RequestOutcome(external_id, found.status, "exists"))
            continue
        try:
            outcomes.append(_create(client, external_id, group_id, type))
        except C8yError as error:
            if len(ids) == 1:
                raise
            outcomes.append(RequestOutcome(external_id, None, "failed", error_text(error)))
    return RequestsReport(outcomes, "add")


def plan_requests(
    client: Client, external_ids: Sequence[str] | None, *, only_pending: bool = False
) -> list[NewDeviceRequest]:
    """The requests named (each must exist: exit 4), or all of them (``only_pending``: those
    PENDING_ACCEPTANCE) when ``external_ids`` is None.

    GET /devicecontrol/newDeviceRequests/<id> each, or GET /devicecontrol/newDeviceRequests
    """
    if external_ids is None:
        return [r for r in client.registration.list() if not only_pending or r.status == PENDING]
    plan = []
    for external_id in _checked_ids(external_ids):
        found = find_request(client, external_id)
        if found is None:
            raise NotFoundError(f"no new device request for {external_id!r}", hint=LIST_HINT)
        plan.append(found)
    return plan


def accept_requests(client: Client, requests: Sequence[NewDeviceRequest]) -> RequestsReport:
    """Accept each PENDING_ACCEPTANCE request; an accepted one is skipped, a waiting one fails.

    PUT /devicecontrol/newDeviceRequests/<id> {"status":"ACCEPTED"} per pending request
    """
    outcomes = []
    for request in requests:
        external_id = str(request.id)
        if request.status == NewDeviceRequestStatus.ACCEPTED.value:
            outcomes.append(RequestOutcome(external_id, request.status, "skipped"))
            continue
        if request.status != PENDING:
            reason = "the device has not connected yet; only PENDING_ACCEPTANCE requests can be accepted"
            outcomes.append(RequestOutcome(external_id, request.status, "failed", reason))
            continue
        try:
            accepted = client.registration.accept(external_id)
        except C8yError as error:
            outcomes.append(RequestOutcome(external_id, request.status, "failed", error_text(error)))
            continue
        outcomes.append(RequestOutcome(external_id, accepted.status or "ACCEPTED", "accepted"))
    return RequestsReport(outcomes, "accept")


def delete_requests(client: Client, requests: Sequence[NewDeviceRequest]) -> RequestsReport:
    """Delete each request. DELETE /devicecontrol/newDeviceRequests/<id>"""
    outcomes = []
    for request in requests:
        external_id = str(request.id)
        try:
            client.registration.delete(external_id)
        except C8yError as error:
            if len(requests) == 1:
                raise
            outcomes.append(RequestOutcome(external_id, request.status, "failed", error_text(error)))
            continue
        outcomes.append(RequestOutcome(external_id, request.status, "deleted"))
    return RequestsReport(outcomes, "delete")


def device_limit(client: Client) -> DeviceLimit:
    """Whether the tenant's device limit is reached. GET /devicecontrol/newDeviceRequests/limit (§12.7 ⚠)"""
    return client.registration.limit()
