"""The sandbox's route table (c8ydm/sandbox/routes.py): complete, without duplicates, every row reachable.

- Every public handler of `c8ydm.sandbox.endpoints` is in the table exactly once (a handler whose row
  was removed fails here), and the app's router is the table, in order.
- No (method, path) pair twice, and no row shadowed: for each row, the first route of the router that
  fully matches a sample request is that row.
- Over HTTP, every row answers an authenticated admin request without a route-level error: no 405,
  and no 404 with the router's `general/notFound` (a missing object answers its own error name, e.g.
  `inventory/notFound`, which proves that the route was matched).
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from starlette.routing import Match, Route
from support.sandbox import SandboxInstance, running_sandbox

from c8ydm.sandbox import endpoints
from c8ydm.sandbox.app import create_app
from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.endpoints import (
    binaries,
    bulk,
    certificates,
    event_binaries,
    events,
    identity,
    inventory,
    operations,
    references,
    registration,
    sandbox_admin,
    software_mgmt,
    tenant,
    user_groups,
    users,
)
from c8ydm.sandbox.routes import ROUTES, Endpoint

ENDPOINT_MODULES: tuple[ModuleType, ...] = (
    binaries,
    bulk,
    certificates,
    event_binaries,
    events,
    identity,
    inventory,
    operations,
    references,
    registration,
    sandbox_admin,
    software_mgmt,
    tenant,
    user_groups,
    users,
)
# Plausible values for path parameters. Ids name no object, so a matched route answers the
# resource's own "not found" (or a validation error); `user` and `name` name no user either, so no
# request changes the admin.
SAMPLES = {
    "id": "1",
    "child": "1",
    "group": "1",
    "kind": "childAssets",
    "which": "assetParents",
    "user": "nobody",
    "name": "nobody",
    "category": "device-control",
    "key": "bulkoperation.creationramp",
    "type": "c8y_Serial",
    "value": "LNX000001",
    "fingerprint": "00",
}
ROUTER_ERRORS = ("general/notFound", "general/methodNotAllowed")
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def sample_path(row: Endpoint, tenant_id: str = "t100") -> str:
    values = {**SAMPLES, "tenant": tenant_id}
    return _PARAM.sub(lambda m: values[m.group(1)], row.path)


def _row_id(row: Endpoint) -> str:
    return f"{row.method} {row.path}"


def test_every_endpoint_handler_is_in_the_table_exactly_once() -> None:
    handlers = {
        f"{module.__name__}.{name}"
        for module in ENDPOINT_MODULES
        for name, function in vars(module).items()
        if inspect.iscoroutinefunction(function)
        and not name.startswith("_")
        and function.__module__ == module.__name__
    }
    in_table = Counter(f"{row.handler.__module__}.{row.handler.__name__}" for row in ROUTES)

    assert sorted(handlers) == sorted(in_table)
    assert [name for name, count in in_table.items() if count > 1] == []


def test_every_endpoint_module_is_listed() -> None:
    package = Path(endpoints.__file__).parent
    on_disk = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}

    assert on_disk == {module.__name__.rsplit(".", 1)[1] for module in ENDPOINT_MODULES}


def test_no_method_and_path_twice() -> None:
    pairs = Counter((row.method, row.path) for row in ROUTES)

    assert [pair for pair, count in pairs.items() if count > 1] == []


@pytest.fixture(scope="module")
def router_routes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Route]]:
    store = Store(":memory:")
    app = create_app(SandboxOptions(data_dir=tmp_path_factory.mktemp("routes")), store=store)
    routes = [route for route in app.router.routes if isinstance(route, Route)]
    yield routes
    store.close()


def test_the_router_is_the_table_in_order(router_routes: list[Route]) -> None:
    assert [(r.path, r.endpoint) for r in router_routes] == [(row.path, row.handler) for row in ROUTES]
    for route, row in zip(router_routes, ROUTES, strict=True):
        assert route.methods == ({row.method, "HEAD"} if row.method == "GET" else {row.method})


@pytest.mark.parametrize("row", ROUTES, ids=_row_id)
def test_no_row_is_shadowed_by_an_earlier_one(router_routes: list[Route], row: Endpoint) -> None:
    scope = {"type": "http", "method": row.method, "path": sample_path(row), "root_path": ""}
    first = next(r for r in router_routes if r.matches(scope)[0] == Match.FULL)

    assert (first.path, first.endpoint) == (row.path, row.handler)


@pytest.fixture(scope="module")
def own_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxInstance]:
    """A sandbox of this module's own: the requests below delete and create things."""
    with running_sandbox(tmp_path_factory.mktemp("route-table"), devices=5) as instance:
        yield instance


@pytest.fixture(scope="module")
def admin(own_sandbox: SandboxInstance) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=own_sandbox.url, auth=own_sandbox.auth, headers={"Accept": "application/json"}, timeout=10
    ) as client:
        yield client


@pytest.mark.parametrize("row", ROUTES, ids=_row_id)
def test_every_route_answers_an_authenticated_request(
    admin: httpx.Client, own_sandbox: SandboxInstance, row: Endpoint
) -> None:
    body = {} if row.method in ("POST", "PUT") else None
    response = admin.request(row.method, sample_path(row, own_sandbox.tenant), json=body)

    try:
        data = response.json() if response.content else None
    except ValueError:
        data = None  # a download, or another non-JSON answer of a matched route
    error = data.get("error") if isinstance(data, dict) else None
    assert response.status_code not in (401, 403, 405), response.text
    assert error not in ROUTER_ERRORS, response.text
    assert response.status_code < 500, response.text
