"""Fixtures and fake tenant data for the device-side procedure tests (device, bulk, waiting).

Import the fixtures into a test module (``from device_fakes import client, router``). ``router`` is a
respx router for ``BASE_URL`` whose captured requests are validated against the official spec at
teardown when the spec file is present (``support.oas.rejected_requests``: paths outside the core
spec, such as the advanced-software-management service, are skipped).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest
import respx
from support import oas

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.api.retry import RetryPolicy

BASE_URL = "https://t100.example.com"
MO = "/inventory/managedObjects"
OPS = "/devicecontrol/operations"
BULK = "/devicecontrol/bulkoperations"
RUN_ID = "run-1"
ORIGIN = {"tool": "c8ydm", "version": "0.1.0", "runId": RUN_ID}


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    failures: list[str] = []
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as mock:
        yield mock
        if oas.spec_path().is_file():  # inside the context: leaving it resets the recorded calls
            host = httpx.URL(BASE_URL).host
            failures = oas.rejected_requests((call.request for call in mock.calls), host=host)
    if failures:
        pytest.fail("requests rejected by the official OpenAPI spec:\n" + "\n".join(failures), pytrace=False)


@pytest.fixture
def client(router: respx.MockRouter) -> Iterator[Client]:
    with Client(
        BASE_URL, BasicAuth("admin", "pw", tenant="t100"), tenant="t100", retry=RetryPolicy.disabled()
    ) as api:
        yield api


def device(
    device_id: str = "4711",
    *,
    name: str = "linux-0001",
    device_type: str = "c8y_Linux",
    operations: tuple[str, ...] = ("c8y_Firmware", "c8y_SoftwareUpdate"),
    **fragments: Any,
) -> ManagedObject:
    """A device managed object as the inventory returns it."""
    return ManagedObject.model_validate(
        {
            "id": device_id,
            "name": name,
            "type": device_type,
            "c8y_IsDevice": {},
            "c8y_SupportedOperations": list(operations),
            **fragments,
        }
    )


def page(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A collection page with totals."""
    return {key: items, "statistics": {"currentPage": 1, "pageSize": 2000, "totalPages": 1}}


def mock_queries(router: respx.MockRouter, answers: Mapping[str, list[dict[str, Any]]]) -> respx.Route:
    """GET /inventory/managedObjects answered by its exact ``query`` (an unknown query fails with 599)."""

    def answer(request: httpx.Request) -> httpx.Response:
        query = request.url.params.get("query")
        if query not in answers:
            return httpx.Response(599, json={"error": "test/unexpectedQuery", "message": str(query)})
        return httpx.Response(200, json=page("managedObjects", answers[query]))

    return router.get(MO).mock(side_effect=answer)


def entry_query(entry_type: str, name: str) -> str:
    """resolve_entry's lookup (§3.3)."""
    return f"$filter=((type eq '{entry_type}') and (name eq '{name}'))"


def versions_query(entry_id: str) -> str:
    """list_versions' query (§3.2)."""
    return f"$filter=(bygroupid({entry_id})) $orderby=creationTime.date desc"


def mock_created_operation(router: respx.MockRouter, operation_id: str = "900") -> respx.Route:
    """POST /devicecontrol/operations answered with the body plus id and PENDING; the look-up of
    running operations of the same kind (GET /devicecontrol/operations) finds none."""
    router.get(OPS).respond(200, json=page("operations", []))

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        return httpx.Response(201, json={**body, "id": operation_id, "status": "PENDING"})

    return router.post(OPS).mock(side_effect=answer)


def mock_user_without_service(router: respx.MockRouter, *, with_service: bool = False) -> None:
    """The current user ``admin`` and their applications (advanced software management or not)."""
    router.get("/user/currentUser").respond(200, json={"id": "admin", "userName": "admin"})
    apps = [{"id": "3", "name": "devicemanagement", "contextPath": "devicemanagement"}]
    if with_service:
        apps.append({"id": "10", "name": "advanced-software-mgmt", "contextPath": "advanced-software-mgmt"})
    router.get("/application/applicationsByUser/admin").respond(200, json={"applications": apps})


def body_of(route: respx.Route) -> Any:
    """The JSON body of the route's last call."""
    return json.loads(route.calls.last.request.content)


def sent(router: respx.MockRouter) -> list[tuple[str, str]]:
    """(method, path) of every request, in order."""
    return [(call.request.method, call.request.url.path) for call in router.calls]
