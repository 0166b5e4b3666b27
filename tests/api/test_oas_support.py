"""The spec-validation helper itself: it rejects what the spec rejects, and skips without the spec."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from support import oas
from support.oas import OasValidationError, require_spec, validate_request, validate_response

AUTH = {"Authorization": "Basic dDEwMC9hZG1pbjpwdw=="}
HOST = "https://t100.example.com"


@pytest.fixture(autouse=True)
def spec_present() -> None:
    require_spec()


def test_unknown_query_parameter_is_rejected() -> None:
    with pytest.raises(OasValidationError, match=r"not in the spec: \['bulkId'\]"):
        validate_request(
            httpx.Request("GET", f"{HOST}/devicecontrol/operations", params={"bulkId": "1"}, headers=AUTH)
        )


def test_contract_parameters_missing_from_the_spec_are_allow_listed() -> None:
    validate_request(
        httpx.Request(
            "GET", f"{HOST}/devicecontrol/bulkoperations", params={"withDeleted": "true"}, headers=AUTH
        )
    )
    validate_request(
        httpx.Request(
            "GET", f"{HOST}/inventory/managedObjects", params={"createdFrom": "1990-01-01"}, headers=AUTH
        )
    )


def test_advanced_software_availability_check_parameters_are_allow_listed() -> None:
    # §7.2: GET /application/applicationsByUser/<user>?dropOverwrittenApps=true&noPaging=true
    validate_request(
        httpx.Request(
            "GET",
            f"{HOST}/application/applicationsByUser/admin",
            params={"dropOverwrittenApps": "true", "noPaging": "true"},
            headers=AUTH,
        )
    )


def test_paths_outside_the_core_spec_are_listed_once_and_really_are_outside() -> None:
    _, spec = oas._load()
    for prefix in oas.NOT_IN_SPEC:
        assert not [path for path in spec["paths"] if path.startswith(prefix)], prefix
    assert oas.is_outside_spec("/service/advanced-software-mgmt/software")
    assert oas.is_outside_spec("/sandbox/faults")
    assert not oas.is_outside_spec("/inventory/managedObjects")


def test_rejected_requests_skips_other_hosts_and_paths_outside_the_spec() -> None:
    requests = [
        httpx.Request("GET", f"{HOST}/service/advanced-software-mgmt/software?deviceId=1", headers=AUTH),
        httpx.Request("POST", f"{HOST}/sandbox/faults", headers=AUTH),
        httpx.Request("GET", "https://files.example.org/firmware.bin"),
        httpx.Request("GET", f"{HOST}/devicecontrol/operations", params={"bulkId": "1"}, headers=AUTH),
    ]
    failures = oas.rejected_requests(requests, host="t100.example.com")
    assert len(failures) == 1
    assert "bulkId" in failures[0]


def test_body_against_the_schema() -> None:
    request = httpx.Request(
        "PUT", f"{HOST}/devicecontrol/operations/1", json={"status": "CANCELLED"}, headers=AUTH
    )
    with pytest.raises(OasValidationError, match="CANCELLED"):
        validate_request(request)


def test_enum_query_parameter() -> None:
    with pytest.raises(OasValidationError):
        validate_request(
            httpx.Request("GET", f"{HOST}/devicecontrol/operations", params={"status": "DONE"}, headers=AUTH)
        )


def test_unknown_operation_and_missing_authorization_are_rejected() -> None:
    with pytest.raises(OasValidationError, match="no such operation"):
        validate_request(httpx.Request("PATCH", f"{HOST}/inventory/managedObjects/1", headers=AUTH))
    with pytest.raises(OasValidationError, match="Authorization"):
        validate_request(httpx.Request("GET", f"{HOST}/inventory/managedObjects/1"))


def test_vendor_response_types_are_validated_as_json() -> None:
    request = httpx.Request("GET", f"{HOST}/inventory/managedObjects/1", headers=AUTH)
    vendor = {"Content-Type": "application/vnd.com.nsn.cumulocity.managedobject+json;charset=UTF-8;ver=0.9"}
    validate_response(request, httpx.Response(200, json={"id": "1", "name": "x"}, headers=vendor))
    with pytest.raises(OasValidationError):
        validate_response(request, httpx.Response(200, json={"id": 1}, headers=vendor))


def test_helpers_skip_with_a_reason_when_the_spec_is_absent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.yml"
    monkeypatch.setenv("C8YDM_OAS_PATH", str(missing))
    with pytest.raises(pytest.skip.Exception, match=f"official OpenAPI spec not found at {missing}"):
        require_spec()
