"""Device groups through the real entry point on the sandbox: create, add, show, remove, delete,
dynamic groups, and a bulk operation on a group made by c8ydm (the README's CI rehearsal).

Seeded fleet (c8ydm/sandbox/seed.py): gateway-0002 and gateway-0004 are c8y_Gateway devices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from e2e_support import Run

pytestmark = pytest.mark.e2e

STATIC = "e2e-group Canary routers"
DYNAMIC = "e2e-group gateways (live)"


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def brief(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "id"}


def test_static_group_lifecycle_and_a_bulk_operation_on_it(c8ydm: Callable[..., Run]) -> None:
    created = ok(c8ydm("group", "create", STATIC, "-o", "json"))
    again = c8ydm("group", "create", STATIC, "-o", "json")
    skipped = ok(c8ydm("group", "create", STATIC, "--if-exists", "skip", "-o", "json"))

    assert brief(created) == {
        "name": STATIC,
        "type": "c8y_DeviceGroup",
        "kind": "static",
        "status": "created",
    }
    assert again.code == 7 and again.json()["error"]["kind"] == "conflict"
    assert skipped == {**created, "status": "unchanged"}

    added = ok(c8ydm("group", "add", STATIC, "gateway-0002", "gateway-0004", "gateway-0002", "-o", "json"))
    assert [(d["name"], d["status"]) for d in added["devices"]] == [
        ("gateway-0002", "added"),
        ("gateway-0004", "added"),
    ]
    shown = ok(c8ydm("group", "show", STATIC, "-o", "json"))
    assert (shown["memberCount"], sorted(m["name"] for m in shown["members"])) == (
        2,
        ["gateway-0002", "gateway-0004"],
    )

    ok(c8ydm("firmware", "add", "e2e-group-fw", "--version", "1.0", "--url", "https://fw.example.com/g",
             "--description", "group test", "-o", "json"))  # fmt: skip
    bulk = ok(c8ydm("bulk", "create", "--firmware", "e2e-group-fw@1.0", "--group", STATIC, "--ramp", "0.05",
                    "--wait", "-o", "json"))  # fmt: skip
    assert (bulk["groupId"], bulk["generalStatus"], bulk["progress"]["successful"]) == (
        created["id"],
        "SUCCESSFUL",
        2,
    )

    removed = ok(c8ydm("group", "remove", STATIC, "gateway-0004", "linux-0001", "-o", "json"))
    assert [(d["name"], d["status"]) for d in removed["devices"]] == [
        ("gateway-0004", "removed"),
        ("linux-0001", "not in the group"),
    ]
    assert ok(c8ydm("group", "show", STATIC, "-o", "json"))["memberCount"] == 1

    refused = c8ydm("group", "delete", STATIC)
    assert refused.code == 2 and "--yes" in refused.stderr
    assert ok(c8ydm("group", "delete", STATIC, "--yes", "-o", "json"))["deleted"] is True
    assert c8ydm("group", "show", STATIC, "-o", "json").code == 4
    assert ok(c8ydm("device", "show", "gateway-0004", "-o", "json"))["name"] == "gateway-0004"  # devices stay


def test_dynamic_group_holds_what_its_query_matches_and_takes_no_members(c8ydm: Callable[..., Run]) -> None:
    created = ok(c8ydm("group", "create", DYNAMIC, "--query", "type eq 'c8y_Gateway'", "-o", "json"))

    assert brief(created) == {
        "name": DYNAMIC,
        "type": "c8y_DynamicGroup",
        "c8y_DeviceQueryString": "type eq 'c8y_Gateway'",
        "kind": "dynamic",
        "status": "created",
        "matchingDevices": 2,
    }
    shown = ok(c8ydm("group", "show", DYNAMIC, "-o", "json"))
    assert sorted(m["name"] for m in shown["members"]) == ["gateway-0002", "gateway-0004"]
    refused = c8ydm("group", "add", DYNAMIC, "linux-0001", "-o", "json")
    assert refused.code == 2 and "is dynamic" in refused.json()["error"]["message"]
    bad = c8ydm("group", "create", "e2e-group bad", "--query", "name eq (", "-o", "json")
    assert bad.code == 8
    assert "e2e-group bad" not in [g["name"] for g in ok(c8ydm("group", "list", "-o", "json"))]


def test_list_shows_groups_but_not_the_hidden_bulk_operation_groups(c8ydm: Callable[..., Run]) -> None:
    ok(c8ydm("firmware", "add", "e2e-group-fw2", "--version", "1.0", "--url", "https://fw.example.com/h",
             "--description", "hidden group test", "-o", "json"))  # fmt: skip
    ok(c8ydm("bulk", "create", "--firmware", "e2e-group-fw2@1.0", "--query", "type eq 'c8y_Gateway'",
             "--ramp", "0.05", "-o", "json"))  # fmt: skip

    names = [group["name"] for group in ok(c8ydm("group", "list", "-o", "json"))]

    assert {"All Linux", "Gateways", "Field test", "Linux (dynamic)"} <= set(names)
    assert "Bulk operations group" not in names
    assert names == sorted(names)
    csv = c8ydm("group", "list", "--name", "Gate*", "-o", "csv")
    assert csv.stdout.splitlines()[0] == "name,kind,c8y_DeviceQueryString,id"
    assert [line.split(",")[0] for line in csv.stdout.splitlines()[1:]] == ["Gateways"]
