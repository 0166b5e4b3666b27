"""New device requests: add (looked up first, reconciled), accept one by one, delete (§12.7)."""

from __future__ import annotations

import httpx
import pytest
from support.repo_mock import ScriptedTenant

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.procedures.errors import PartialFailureError
from c8ydm.procedures.registration import requests

PATH = "/devicecontrol/newDeviceRequests"


def request(external_id: str, status: str) -> dict[str, str]:
    return {"id": external_id, "status": status}


def listing(*items: dict[str, str]) -> dict[str, object]:
    return {"newDeviceRequests": list(items), "statistics": {"totalPages": 1}}


def test_add_posts_new_ids_and_reports_existing_ones(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{PATH}/SN-1", request("SN-1", "PENDING_ACCEPTANCE"))
    tenant.on("GET", f"{PATH}/SN-2", 404)
    tenant.on("POST", PATH, request("SN-2", "WAITING_FOR_CONNECTION"))

    report = requests.add_requests(client, ["SN-1", "SN-2", "SN-1"], group_id="42", type="c8y_Linux")

    assert [(o.external_id, o.result, o.status) for o in report.outcomes] == [
        ("SN-1", "exists", "PENDING_ACCEPTANCE"), ("SN-2", "created", "WAITING_FOR_CONNECTION"),
    ]  # fmt: skip
    assert tenant.changes() == [("POST", PATH, {"id": "SN-2", "groupId": "42", "type": "c8y_Linux"})]


def test_add_with_a_lost_answer_looks_the_request_up(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{PATH}/SN-2", 404, request("SN-2", "WAITING_FOR_CONNECTION"))
    tenant.on("POST", PATH, httpx.ReadTimeout("lost"))

    report = requests.add_requests(client, ["SN-2"])

    assert [o.result for o in report.outcomes] == ["created"] and len(tenant.changes()) == 1


def test_accept_puts_pending_skips_accepted_and_fails_waiting(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{PATH}/A", request("A", "PENDING_ACCEPTANCE"))
    tenant.on("GET", f"{PATH}/B", request("B", "ACCEPTED"))
    tenant.on("GET", f"{PATH}/C", request("C", "WAITING_FOR_CONNECTION"))
    tenant.on("PUT", f"{PATH}/A", request("A", "ACCEPTED"))

    report = requests.accept_requests(client, requests.plan_requests(client, ["A", "B", "C"]))

    assert [(o.external_id, o.result) for o in report.outcomes] == [
        ("A", "accepted"),
        ("B", "skipped"),
        ("C", "failed"),
    ]
    assert tenant.changes() == [("PUT", f"{PATH}/A", {"status": "ACCEPTED"})]
    with pytest.raises(PartialFailureError, match="1 of 3 requests to accept failed: C"):
        report.raise_for_failures()


def test_accept_all_is_one_put_per_pending_request(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", PATH, listing(request("A", "PENDING_ACCEPTANCE"), request("B", "WAITING_FOR_CONNECTION"),
                                   request("C", "PENDING_ACCEPTANCE")))  # fmt: skip
    tenant.on("PUT", f"{PATH}/A", request("A", "ACCEPTED"))
    tenant.on("PUT", f"{PATH}/C", request("C", "ACCEPTED"))

    plan = requests.plan_requests(client, None, only_pending=True)
    requests.accept_requests(client, plan)

    assert [change[1] for change in tenant.changes()] == [f"{PATH}/A", f"{PATH}/C"]


def test_an_unknown_id_fails_before_any_change(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{PATH}/A", request("A", "PENDING_ACCEPTANCE"))
    tenant.on("GET", f"{PATH}/Z", 404)

    with pytest.raises(NotFoundError, match="no new device request for 'Z'"):
        requests.plan_requests(client, ["A", "Z"])


def test_list_filters_the_status_here_and_checks_it(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", PATH, listing(request("A", "PENDING_ACCEPTANCE"), request("B", "ACCEPTED")))

    assert [r.id for r in requests.list_requests(client, status="accepted")] == ["B"]
    assert "status" not in tenant.calls[0].params
    with pytest.raises(InputError, match="unknown status 'done'"):
        requests.check_status("done")


def test_delete_goes_on_after_a_failure(tenant: ScriptedTenant, client: Client) -> None:
    tenant.on("GET", f"{PATH}/A", request("A", "ACCEPTED"))
    tenant.on("GET", f"{PATH}/B", request("B", "ACCEPTED"))
    tenant.on("DELETE", f"{PATH}/A", 500)
    tenant.on("DELETE", f"{PATH}/B", httpx.Response(204))

    report = requests.delete_requests(client, requests.plan_requests(client, ["A", "B"]))

    assert [o.result for o in report.outcomes] == ["failed", "deleted"]
