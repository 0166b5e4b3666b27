"""device list in a table: at most 100 rows unless --limit, and how many match (issue 15)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import respx
from support.entry_point import Run

TENANT = "https://t1.example.com"


@pytest.fixture
def fleet(monkeypatch: pytest.MonkeyPatch) -> respx.MockRouter:
    """A tenant with 250 devices (pages as asked for) and its count."""
    monkeypatch.setenv("C8Y_HOST", TENANT)
    monkeypatch.setenv("C8Y_TOKEN", "a-token")
    monkeypatch.setenv("COLUMNS", "80")

    def answer(request: httpx.Request) -> httpx.Response:
        size = int(request.url.params["pageSize"])
        if request.url.params.get("withTotalPages") == "true" and size == 1:
            return httpx.Response(200, json={"managedObjects": [], "statistics": {"totalPages": 250}})
        page = int(request.url.params.get("currentPage", "1"))
        first = (page - 1) * size
        devices = [
            {"id": str(1000 + i), "name": f"dev-{i:03d}", "type": "t", "c8y_IsDevice": {}}
            for i in range(first, min(first + size, 250))
        ]
        stats = {"currentPage": page, "pageSize": size, "totalPages": -(-250 // size)}
        return httpx.Response(200, json={"managedObjects": devices, "statistics": stats})

    with respx.mock(base_url=TENANT, assert_all_called=False) as mock:
        mock.get("/inventory/managedObjects").mock(side_effect=answer)
        yield mock


def test_a_table_shows_100_devices_and_says_how_many_match(
    cli: Callable[..., Run], fleet: respx.MockRouter
) -> None:
    result = cli("device", "list", "-o", "table")

    assert result.code == 0
    assert len(result.stdout.splitlines()) == 2 + 100
    assert result.stderr == "Showing 100 of 250 devices; --limit N shows more.\n"


def test_json_lists_all_devices(cli: Callable[..., Run], fleet: respx.MockRouter) -> None:
    result = cli("device", "list", "-o", "json")

    assert result.code == 0 and len(result.json()) == 250 and result.stderr == ""


def test_limit_applies_to_every_format(cli: Callable[..., Run], fleet: respx.MockRouter) -> None:
    table = cli("device", "list", "--limit", "7", "-o", "table")
    csv = cli("device", "list", "--limit", "7", "-o", "csv")

    assert len(table.stdout.splitlines()) == 2 + 7
    assert table.stderr == "Showing 7 of 250 devices; --limit N shows more.\n"
    assert len(csv.stdout.splitlines()) == 1 + 7
