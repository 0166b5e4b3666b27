"""Create something exactly once over a network that drops answers (contract §14(d), §1.10, §10, §3.3).

A POST that creates (an operation, a bulk operation, a managed object, a binary, a registration) is
never retried blindly: the tenant may have acted although its answer never arrived. ``create_once``
is the one loop every create in ``procedures/`` goes through::

    created = create_once(client, lambda: client.inventory.create(body), lambda: find_it(client))

1. ``create()``. Success returns the object.
2. A definitive refusal (400, 401, 403, 404, 409, 422) is raised at once: nothing was created.
3. 429, 502, 503, 504 or no answer at all: wait (the answer's ``Retry-After`` when it has one, else
   the client's backoff; both within the client's ``RetryPolicy`` budget), then ``lookup()``. What
   it finds is adopted and returned; only when it finds nothing is ``create()`` sent again.
4. 500 is not retried (§1.4), but the tenant may have half-acted: one ``lookup()``; adopt or raise.
5. When the budget is spent, one last ``lookup()``; nothing found raises the last error (exit 9 for
   429, 10 otherwise). A failing look-up never hides the create's own error.

Look-ups per object (§14(d)): operations by their ``c8ydm_Origin`` marker (``find_operation``
here, §10), bulk operations by the marker in their prototype (procedures/bulk), repository objects
by name and version (§3.3, procedures/repository), registrations by external id (§12.6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from c8ydm.api.client import Client
from c8ydm.api.errors import APIError, C8yError, RateLimitError, ServerError, TransportError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.retry import RETRY_STATUS_CODES
from c8ydm.procedures.origin import FRAGMENT, RUN_STARTED, run_id_of

T = TypeVar("T")
Report = Callable[[str], None]
LOOKUP_MARGIN = timedelta(minutes=5)  # §10: "dateFrom=<run start − 5 min>" (clock skew)
LOOKUP_PAGE_SIZE = 2000  # §10's reconcile query


def _is_retryable(error: C8yError) -> bool:
    """No answer, or an answer that says "not now" (429, 502-504): worth a look-up and another try."""
    if isinstance(error, TransportError):
        return True
    return isinstance(error, APIError) and error.status_code in RETRY_STATUS_CODES


def _is_undecided(error: C8yError) -> bool:
    """Whether the tenant may have acted despite the error (anything but a definitive refusal)."""
    return isinstance(error, TransportError | ServerError | RateLimitError)


def _look(lookup: Callable[[], T | None]) -> T | None:
    try:
        return lookup()
    except C8yError:  # the create's own error is what the user needs to see
        return None


def _delay(client: Client, error: C8yError, attempt: int, waited: float) -> float | None:
    """Seconds to wait before the next try, or None when the error or the budget allows none."""
    if not _is_retryable(error):
        return None
    retry_after = error.retry_after if isinstance(error, APIError) else None
    return client.retry.next_delay(attempt, waited=waited, retry_after=retry_after)


def create_once(
    client: Client,
    create: Callable[[], T],
    lookup: Callable[[], T | None],
    *,
    what: str = "object",
    report: Report | None = None,
) -> T:
    """``create()`` exactly once, reconciled by ``lookup()``; see the module docstring."""
    attempt, waited = 1, 0.0
    while True:
        try:
            return create()
        except C8yError as error:
            if not _is_undecided(error):
                raise
            delay = _delay(client, error, attempt, waited)
            if delay is not None:
                client.retry.sleep(delay)
                waited += delay
            found = _look(lookup)
            if found is not None:
                if report is not None:
                    report(f"The {what} exists although its answer was lost ({error.message}): adopted.")
                return found
            if delay is None:
                raise
            attempt += 1


def _operation_matches(operation: Operation, body: Mapping[str, Any], device_id: str) -> bool:
    """Same device, same run marker, and every fragment of the body as sent (§10: "the same
    operation fragment and the same target version or URL")."""
    found = operation.to_body()
    if str(found.get("deviceId")) != device_id:
        return False
    return all(found.get(key) == value for key, value in body.items() if key != "deviceId")


def find_operation(
    client: Client, body: Mapping[str, Any], *, since: datetime | None = None
) -> Operation | None:
    """The operation this run already created from ``body`` (its ``c8ydm_Origin`` run id), if any.

    GET /devicecontrol/operations?deviceId=<id>&fragmentType=c8ydm_Origin&dateFrom=<run start − 5 min>
        &dateTo=<now+1d>&revert=true&pageSize=2000      (§10 "Reconciling an interrupted run")
    """
    device_id = str(body.get("deviceId") or "")
    if not device_id or run_id_of(body) is None:
        return None
    found = client.operations.list(
        device_id=device_id,
        fragment_type=FRAGMENT,
        date_from=(since or RUN_STARTED) - LOOKUP_MARGIN,
        newest_first=True,
        page_size=LOOKUP_PAGE_SIZE,
    )
    return next((op for op in found if _operation_matches(op, body, device_id)), None)


def create_operation(client: Client, body: Mapping[str, Any], *, report: Report | None = None) -> Operation:
    """POST /devicecontrol/operations exactly once: a lost answer is reconciled through the body's
    ``c8ydm_Origin`` marker (``find_operation``), never by sending a second operation."""
    return create_once(
        client,
        lambda: client.operations.create(body),
        lambda: find_operation(client, body),
        what=f"operation for device {body.get('deviceId')}",
        report=report,
    )


__all__ = ["LOOKUP_MARGIN", "create_once", "create_operation", "find_operation"]
