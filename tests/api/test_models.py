"""Models keep unknown fragments, normalise ids and bulk statuses, and never crash on odd values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from c8ydm.api import conventions
from c8ydm.api.models.base import PageStatistics
from c8ydm.api.models.devicecontrol import BulkGeneralStatus, BulkOperation, Operation, OperationStatus
from c8ydm.api.models.inventory import Binary, ManagedObject
from c8ydm.api.models.users import CurrentUser, User

DEVICE = {
    "id": "4711",
    "name": "dev",
    "type": "c8y_Linux",
    "self": "https://t100.example.com/inventory/managedObjects/4711",
    "creationTime": "2024-05-01T12:00:00.000Z",
    "c8y_Firmware": {"name": "fw", "version": "1.0", "url": None, "osVersion": "x"},
    "c8y_SupportedOperations": ["c8y_Firmware"],
    "acme_Custom": {"nested": [1, 2, {"a": None}]},
    "childAdditions": {"references": [{"managedObject": {"id": "7", "name": "v1"}}], "self": "s"},
}


def test_managed_object_round_trips_unknown_fragments() -> None:
    mo = ManagedObject.model_validate(DEVICE)
    assert mo.to_body() == DEVICE
    assert mo.firmware is not None and mo.firmware.version == "1.0"
    assert mo.fragment("acme_Custom") == {"nested": [1, 2, {"a": None}]}
    assert mo.has_fragment("c8y_Firmware") and not mo.has_fragment("c8y_Patch")
    assert mo.child_additions is not None and mo.child_additions.ids() == ["7"]


def test_a_new_model_dumps_only_what_was_set_and_keeps_explicit_nulls() -> None:
    assert ManagedObject(name="fw", type="c8y_Firmware").to_body() == {"name": "fw", "type": "c8y_Firmware"}
    assert ManagedObject.model_validate({"deviceType": None}).to_body() == {"deviceType": None}


def test_ids_given_as_integers_are_stored_as_strings() -> None:
    assert BulkOperation.model_validate({"id": 42, "groupId": 7}).id == "42"
    assert Operation.model_validate({"id": "1", "bulkOperationId": 12}).bulk_operation_id == "12"
    assert Binary.model_validate({"id": 5, "length": 10, "contentType": "text/plain"}).id == "5"


def test_operation_status_is_an_enum_with_terminal_states() -> None:
    op = Operation.model_validate({"id": "1", "status": "SUCCESSFUL", "c8ydm_Origin": {"runId": "r"}})
    assert op.status is OperationStatus.SUCCESSFUL and op.is_terminal
    assert op.to_body() == {"id": "1", "status": "SUCCESSFUL", "c8ydm_Origin": {"runId": "r"}}
    assert not OperationStatus.EXECUTING.is_terminal and OperationStatus.FAILED.is_terminal


def test_unknown_operation_status_is_kept_raw() -> None:
    op = Operation.model_validate({"id": "1", "status": "QUEUED"})
    assert op.status == "QUEUED" and not op.is_terminal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SCHEDULED", BulkGeneralStatus.SCHEDULED),
        ("PENDING", BulkGeneralStatus.SCHEDULED),
        ("EXECUTING_WITH_ERROR", BulkGeneralStatus.EXECUTING_WITH_ERRORS),
        ("executing with errors", BulkGeneralStatus.EXECUTING_WITH_ERRORS),
        ("COMPLETED SUCCESSFULLY", BulkGeneralStatus.SUCCESSFUL),
        ("COMPLETED_SUCCESSFULLY", BulkGeneralStatus.SUCCESSFUL),
        ("COMPLETED WITH FAILURES", BulkGeneralStatus.FAILED),
        ("COMPLETED_WITH_FAILURES", BulkGeneralStatus.FAILED),
        ("CANCELLED", BulkGeneralStatus.CANCELED),
        ("CANCELED", BulkGeneralStatus.CANCELED),
        ("DELETED", BulkGeneralStatus.DELETED),
        ("INCORRECT", BulkGeneralStatus.INCORRECT),
        ("Something New", "Something New"),
        (None, None),
    ],
)
def test_bulk_general_status_variants_are_normalised(raw: str | None, expected: object) -> None:
    bulk = BulkOperation.model_validate({"id": "1", "generalStatus": raw})
    assert bulk.normalized_general_status == expected
    assert bulk.general_status == raw  # the raw value is kept for round trips


def test_bulk_progress_as_the_ui_computes_it() -> None:
    bulk = BulkOperation.model_validate({"progress": {"all": 4, "pending": 1, "successful": 2, "failed": 1}})
    assert bulk.progress is not None
    assert bulk.progress.done_fraction == 0.75 and bulk.progress.all_created


def test_current_user_roles_and_device_users() -> None:
    user = CurrentUser.model_validate({"id": "admin", "effectiveRoles": [{"id": "ROLE_INVENTORY_READ"}]})
    assert user.has_role("ROLE_INVENTORY_READ") and not user.has_role("ROLE_INVENTORY_ADMIN")
    assert User.model_validate({"id": "device_abc"}).is_device_user


def test_page_statistics_allow_null_totals() -> None:
    assert (
        PageStatistics.model_validate({"currentPage": 3, "pageSize": 5, "totalPages": None}).total_pages
        is None
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("t100.example.com", "https://t100.example.com"),
        ("https://t100.example.com/", "https://t100.example.com"),
        ("http://localhost:8080//", "http://localhost:8080"),
    ],
)
def test_base_url_normalisation(given: str, expected: str) -> None:
    assert conventions.normalize_base_url(given) == expected


def test_ids_are_extracted_from_returned_urls() -> None:
    assert conventions.binary_id_from_url("https://other.example.com/inventory/binaries/123") == "123"
    assert conventions.mo_id_from_url("https://t/inventory/managedObjects/45?withChildren=false") == "45"
    assert conventions.mo_id_from_url("https://t/inventory/binaries/9") == "9"
    assert conventions.binary_id_from_url("https://cdn.example.org/fw.bin") is None
    assert conventions.binary_id_from_url("") is None


def test_timestamps_are_utc_with_milliseconds() -> None:
    moment = datetime(2024, 5, 1, 14, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert conventions.format_timestamp(moment) == "2024-05-01T12:00:00.123Z"
    assert conventions.format_timestamp(datetime(2024, 5, 1, 12)) == "2024-05-01T12:00:00.000Z"
    assert conventions.parse_timestamp("2024-05-01T12:00:00.000Z") == datetime(
        2024, 5, 1, 12, tzinfo=timezone.utc
    )
