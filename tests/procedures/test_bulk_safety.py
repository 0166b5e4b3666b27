"""Bulk operations that cannot surprise a fleet (issue 14): whole-state and FAILED sources refused,
device-type filters kept for groups and queries, one bulk operation per intent, no cancel of a
finished one (procedures/bulk/sources.py, targets.py, once.py, status.py; contract §7.4, §11)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from device_fakes import BULK, MO, OPS, body_of, client, entry_query, page, router, versions_query

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError, ConflictError, InputError
from c8ydm.api.models.devicecontrol import BulkOperation, Operation
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.bulk.create import BulkRequest, execute_bulk, plan_bulk
from c8ydm.procedures.bulk.once import create_bulk_once, find_duplicate
from c8ydm.procedures.bulk.retry import retry_bulk
from c8ydm.procedures.bulk.sources import check_source
from c8ydm.procedures.bulk.status import check_cancellable
from c8ydm.procedures.bulk.targets import restrict_to_device_type
from c8ydm.procedures.origin import RUN_ID, origin

__all__ = ["client", "router"]

GATEWAY_FW = {"id": "100", "name": "gw-os", "type": "c8y_Firmware", "c8y_Filter": {"type": "c8y_Gateway"}}
GW_VERSION = {
    "id": "101",
    "type": "c8y_FirmwareBinary",
    "c8y_Firmware": {"version": "2.5", "url": "https://x/gw"},
}
FIELD_TEST = {"id": "77", "name": "Field test", "type": "c8y_DeviceGroup", "c8y_IsDeviceGroup": {}}
LINUX_DYNAMIC = {
    "id": "78",
    "name": "Linux (dynamic)",
    "type": "c8y_DynamicGroup",
    "c8y_IsDynamicGroup": {},
    "c8y_DeviceQueryString": "$filter=(type eq 'c8y_Linux') $orderby=name asc",
}
GROUP_QUERY = "$filter=(((type eq 'c8y_DeviceGroup') or (type eq 'c8y_DynamicGroup')) and (name eq '{}'))"
GATEWAYS_OF_77 = "$filter=((bygroupid(77)) and (type eq 'c8y_Gateway'))"
OTHERS_OF_77 = "$filter=((bygroupid(77)) and (not(type eq 'c8y_Gateway')))"
PROTOTYPE = {
    "description": "Update firmware to: gw-os (version: 2.5).",
    "c8y_Firmware": {"name": "gw-os", "version": "2.5", "url": "https://x/gw"},
}


def operation(**fields: Any) -> Operation:
    base = {"id": "900", "deviceId": "4711", "deviceName": "gw-2", "status": "SUCCESSFUL"}
    return Operation.model_validate({**base, **fields})


# -- sources ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fragment", "value"),
    [
        ("c8y_SoftwareList", [{"name": "nginx", "version": "1.24.0", "url": ""}]),
        ("c8y_Software", {"nginx": "1.24.0"}),
        ("c8y_Configuration", {"config": "id=gw-2\nlevel=debug"}),
    ],
)
def test_a_whole_state_operation_is_refused_with_exit_2(fragment: str, value: Any) -> None:
    source = operation(
        description='Apply software changes: install "nginx" (version: 1.24.0)', **{fragment: value}
    )

    with pytest.raises(
        InputError, match=f"operation 900 carries {fragment}, the .* of device gw-2"
    ) as raised:
        check_source(source)
    assert exit_code_for(raised.value) == 2
    assert "--allow-full-state" in (raised.value.hint or "")
    check_source(source, allow_full_state=True)  # the explicit override


def test_the_refusal_offers_the_install_only_software_the_source_made() -> None:
    source = operation(
        description='Apply software changes: install "nginx" (version: 1.24.0), delete "collectd" '
        '(version: 5.12), install "curl" (version: 8.0.1)',
        c8y_SoftwareList=[],
    )

    with pytest.raises(InputError) as raised:
        check_source(source)
    assert (raised.value.hint or "").startswith(
        "to install and keep each device's other software: bulk create --software nginx@1.24.0 "
        "--software curl@8.0.1 (devices with c8y_SoftwareUpdate), or device install DEVICE"
    )


@pytest.mark.parametrize(
    "fragments",
    [
        {"c8y_Firmware": {"name": "gw-os", "version": "2.5", "url": "https://x"}},
        {"c8y_SoftwareUpdate": [{"name": "nginx", "version": "1", "url": "", "action": "install"}]},
        {"c8y_DeviceProfile": {"software": []}, "profileId": "5"},
        {"c8y_DownloadConfigFile": {"type": "agent", "url": "https://x"}},
    ],
)
def test_changes_and_fleet_states_are_copied(fragments: dict[str, Any]) -> None:
    check_source(operation(**fragments))


def test_a_failed_source_is_refused_unless_forced() -> None:
    failed = operation(status="FAILED", failureReason="flash full", c8y_Firmware={"name": "x"})

    with pytest.raises(InputError, match=r"operation 900 FAILED on device gw-2 \(flash full\)"):
        check_source(failed)
    check_source(failed, force=True)


# -- targets ------------------------------------------------------------------------------------
def counting(
    router: respx.MockRouter, counts: dict[str, int], named: dict[str, list[dict[str, Any]]]
) -> None:
    """GET /inventory/managedObjects: ``q=`` counts (totalPages), ``query=`` listings."""

    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if "q" in params:
            statistics = {"currentPage": 1, "pageSize": 1, "totalPages": counts[params["q"]]}
            return httpx.Response(200, json={"managedObjects": [], "statistics": statistics})
        return httpx.Response(200, json=page("managedObjects", named.get(params.get("query", ""), [])))

    router.get(MO).mock(side_effect=answer)


def test_a_static_group_is_split_by_type_with_bygroupid(client: Client, router: respx.MockRouter) -> None:
    counting(router, {GATEWAYS_OF_77: 1, OTHERS_OF_77: 2}, {})

    selection = restrict_to_device_type(client, "c8y_Gateway", group=GROUP_OF(FIELD_TEST))

    assert (selection.query, selection.matching, selection.excluded) == (GATEWAYS_OF_77, 1, 2)
    refusal = selection.refusal(what="'gw-os'")
    assert refusal.message == (
        "'gw-os' is for devices of type 'c8y_Gateway', but group 'Field test' holds 2 device(s) of other "
        "types (and 1 of that type)"
    )
    assert refusal.hint == "add --type c8y_Gateway to schedule it only for the c8y_Gateway devices"


def test_a_dynamic_group_keeps_its_own_filter_and_none_fitting_is_named(
    client: Client, router: respx.MockRouter
) -> None:
    matching = "$filter=(((type eq 'c8y_Linux')) and (type eq 'c8y_Gateway'))"
    others = "$filter=(((type eq 'c8y_Linux')) and (not(type eq 'c8y_Gateway')))"
    counting(router, {matching: 0, others: 30}, {})

    selection = restrict_to_device_type(client, "c8y_Gateway", group=GROUP_OF(LINUX_DYNAMIC))

    assert selection.query == matching and selection.has_excluded
    assert (
        "none of the 30 device(s) of group 'Linux (dynamic)' is of that type"
        in selection.refusal(what="'gw-os'").message
    )


def test_a_users_query_is_restricted_as_typed(client: Client, router: respx.MockRouter) -> None:
    matching = "$filter=((name eq 'edge-*') and (type eq 'c8y_Gateway'))"
    counting(router, {matching: 4, "$filter=((name eq 'edge-*') and (not(type eq 'c8y_Gateway')))": 0}, {})

    selection = restrict_to_device_type(client, "c8y_Gateway", query="name eq 'edge-*'")

    assert (selection.query, selection.matching, selection.has_excluded) == (matching, 4, False)


def GROUP_OF(doc: dict[str, Any]) -> Any:
    from c8ydm.api.models.inventory import ManagedObject

    return ManagedObject.model_validate(doc)


def mock_gateway_firmware(
    router: respx.MockRouter, more: dict[str, list[dict[str, Any]]] | None = None
) -> None:
    """The gw-os firmware for c8y_Gateway, group "Field test" (1 gateway, 2 others); ``more`` listings."""
    router.get(url__startswith="https://t100.example.com/tenant/system/options/").respond(
        404, json={"error": "x"}
    )
    counting(
        router,
        {GATEWAYS_OF_77: 1, OTHERS_OF_77: 2},
        {
            entry_query("c8y_Firmware", "gw-os"): [GATEWAY_FW],
            versions_query("100"): [GW_VERSION],
            GROUP_QUERY.format("Field test"): [FIELD_TEST],
            **(more or {}),
        },
    )


@pytest.fixture
def gateway_firmware(router: respx.MockRouter) -> None:
    mock_gateway_firmware(router)


def test_a_group_holding_other_device_types_is_refused_before_anything_is_created(
    client: Client, router: respx.MockRouter, gateway_firmware: None
) -> None:
    with pytest.raises(InputError, match="holds 2 device"):
        plan_bulk(client, BulkRequest(firmware="gw-os@2.5", group="Field test"))
    assert {call.request.method for call in router.calls} == {"GET"}


def test_type_restricts_the_group_through_a_hidden_group_with_both_filters(
    client: Client, router: respx.MockRouter, gateway_firmware: None
) -> None:
    router.get(BULK).respond(200, json=page("bulkOperations", []))
    hidden = router.post(MO).respond(201, json={"id": "500"})
    bulk = router.post(BULK).mock(
        side_effect=lambda r: httpx.Response(201, json={**json.loads(r.content), "id": "9"})
    )

    plan = plan_bulk(
        client, BulkRequest(firmware="gw-os@2.5", group="Field test", device_types=("c8y_Gateway",))
    )
    execute_bulk(client, plan)

    assert (plan.group, plan.device_query, plan.matching) == (None, GATEWAYS_OF_77, 1)
    assert body_of(hidden)["c8y_DeviceQueryString"] == GATEWAYS_OF_77
    assert body_of(hidden)["c8ydm_Origin"]["runId"] == RUN_ID
    assert body_of(bulk)["groupId"] == "500"


def test_a_second_bulk_operation_while_the_first_runs_is_refused_with_exit_7(
    client: Client, router: respx.MockRouter, gateway_firmware: None
) -> None:
    running = {"id": "41", "groupId": "500", "status": "IN_PROGRESS", "generalStatus": "EXECUTING",
               "operationPrototype": {**PROTOTYPE, "c8ydm_Origin": origin("an-earlier-run")}}  # fmt: skip
    listing = router.get(BULK).respond(200, json=page("bulkOperations", [running]))
    router.get(f"{MO}/500").respond(200, json={"id": "500", "c8y_DeviceQueryString": GATEWAYS_OF_77})
    request = BulkRequest(firmware="gw-os@2.5", group="Field test", device_types=("c8y_Gateway",))

    with pytest.raises(ConflictError, match="bulk operation 41 already sends this operation") as raised:
        plan_bulk(client, request)
    assert exit_code_for(raised.value) == 7
    assert listing.calls.last.request.url.params.get_list("generalStatus") == [
        "SCHEDULED", "EXECUTING", "EXECUTING_WITH_ERROR"
    ]  # fmt: skip
    forced = plan_bulk(client, BulkRequest(**{**request.__dict__, "force": True}))
    assert forced.device_query == GATEWAYS_OF_77


# -- one bulk operation per intent --------------------------------------------------------------
def test_a_bulk_create_whose_answer_was_lost_is_adopted(client: Client, router: respx.MockRouter) -> None:
    body = {"groupId": "77", "operationPrototype": {**PROTOTYPE, "c8ydm_Origin": origin()},
            "creationRamp": 1.0, "startDate": "2024-05-01T12:00:00.000Z"}  # fmt: skip
    post = router.post(BULK).mock(side_effect=httpx.RemoteProtocolError("connection closed"))
    other_run = {**body, "id": "40", "operationPrototype": {**PROTOTYPE, "c8ydm_Origin": origin("x")}}
    lookup = router.get(BULK).respond(200, json=page("bulkOperations", [other_run, {**body, "id": "41"}]))

    adopted = create_bulk_once(client, body)

    assert adopted.id == "41" and post.call_count == 1
    params = lookup.calls.last.request.url.params
    assert {"dateFrom", "dateTo", "withDeleted"} <= set(params) and params["pageSize"] == "2000"


def test_a_retry_while_an_earlier_retry_runs_is_refused(client: Client, router: respx.MockRouter) -> None:
    old = {"id": "41", "groupId": "77", "status": "COMPLETED", "generalStatus": "FAILED",
           "operationPrototype": {**PROTOTYPE, "c8ydm_Origin": origin("first")}}  # fmt: skip
    earlier = {"id": "42", "failedParentId": "41", "status": "ACTIVE", "generalStatus": "SCHEDULED",
               "operationPrototype": {**PROTOTYPE, "c8ydm_Origin": origin("second")}}  # fmt: skip
    router.get(f"{BULK}/41").respond(200, json=old)
    router.get(BULK).respond(200, json=page("bulkOperations", [earlier]))

    with pytest.raises(ConflictError, match="bulk operation 42 already sends this operation to the failed"):
        retry_bulk(client, "41", start_date="2024-05-01T12:00:00.000Z")
    assert not [call for call in router.calls if call.request.method == "POST"]


def test_finished_bulk_operations_are_not_duplicates(client: Client, router: respx.MockRouter) -> None:
    done = {"id": "41", "groupId": "77", "status": "COMPLETED", "generalStatus": "SUCCESSFUL",
            "operationPrototype": PROTOTYPE}  # fmt: skip
    router.get(BULK).respond(200, json=page("bulkOperations", [done]))

    assert find_duplicate(client, PROTOTYPE, group_id="77") is None


@pytest.mark.parametrize(
    ("fields", "is_refused"),
    [
        ({"status": "COMPLETED", "generalStatus": "SUCCESSFUL"}, True),
        ({"status": "COMPLETED", "generalStatus": "COMPLETED WITH FAILURES"}, True),
        ({"status": "DELETED", "generalStatus": "CANCELED"}, True),
        ({"status": "ACTIVE", "generalStatus": "SCHEDULED"}, False),
        ({"status": "IN_PROGRESS", "generalStatus": "EXECUTING"}, False),
    ],
)
def test_only_a_bulk_operation_that_has_not_ended_can_be_cancelled(
    fields: dict[str, str], is_refused: bool
) -> None:
    bulk = BulkOperation.model_validate(
        {"id": "41", "progress": {"all": 2, "successful": 1, "failed": 1}, **fields}
    )

    if is_refused:
        with pytest.raises(ConflictError, match=r"bulk operation 41 has already ended \(") as raised:
            check_cancellable(bulk)
        assert exit_code_for(raised.value) == 7
    else:
        assert check_cancellable(bulk) is bulk


_ = OPS


# -- a hidden group left by a killed run ---------------------------------------------------------
ORPHANS_77 = (
    "$filter=(((type eq 'c8y_DynamicGroup') and (has(c8ydm_Origin))) and (c8y_DeviceQueryString eq "
    "'$filter=\\(\\(bygroupid\\(77\\)\\) and \\(type eq ''c8y_Gateway''\\)\\)'))"
)
LEFT_BEHIND = {"id": "480", "name": "Bulk operations group", "type": "c8y_DynamicGroup",
               "c8y_IsDynamicGroup": {"invisible": {}}, "c8y_DeviceQueryString": GATEWAYS_OF_77,
               "c8ydm_Origin": origin("a-killed-run")}  # fmt: skip


def gateway_plan(client: Client, router: respx.MockRouter, bulks: list[dict[str, Any]]) -> Any:
    mock_gateway_firmware(router, {ORPHANS_77: [LEFT_BEHIND]})
    router.get(BULK).respond(200, json=page("bulkOperations", bulks))
    request = BulkRequest(firmware="gw-os@2.5", group="Field test", device_types=("c8y_Gateway",))
    return plan_bulk(client, request)


def test_a_hidden_group_a_killed_run_left_for_the_same_selection_is_reused(
    client: Client, router: respx.MockRouter
) -> None:
    plan = gateway_plan(client, router, [])
    hidden = router.post(MO).respond(201, json={"id": "500"})
    bulk = router.post(BULK).respond(201, json={"id": "9", "groupId": "480"})
    said: list[str] = []

    execute_bulk(client, plan, report=said.append)

    assert hidden.call_count == 0 and body_of(bulk)["groupId"] == "480"
    assert said == ["Hidden group 480 for this selection was left by an interrupted run: reused."]


def test_a_hidden_group_that_a_bulk_operation_uses_is_not_taken(
    client: Client, router: respx.MockRouter
) -> None:
    finished = {"id": "40", "groupId": "480", "status": "COMPLETED", "generalStatus": "SUCCESSFUL",
                "operationPrototype": PROTOTYPE}  # fmt: skip
    plan = gateway_plan(client, router, [finished])
    hidden = router.post(MO).respond(201, json={"id": "500"})
    bulk = router.post(BULK).respond(201, json={"id": "9", "groupId": "500"})

    execute_bulk(client, plan)

    assert hidden.call_count == 1 and body_of(bulk)["groupId"] == "500"


def test_a_reused_group_is_not_removed_when_the_tenant_refuses_the_bulk_operation(
    client: Client, router: respx.MockRouter
) -> None:
    plan = gateway_plan(client, router, [])
    router.post(BULK).respond(422, json={"error": "devicecontrol/invalid", "message": "no"})
    removed = router.delete(f"{MO}/480").respond(204)

    with pytest.raises(C8yError):
        execute_bulk(client, plan)

    assert removed.call_count == 0  # only a group this run created is removed again
