"""The official Python SDK (c8y-api) drives operations, bulk operations and device users on the
sandbox, without c8ydm's client. Every response is validated against the official spec."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from c8y_api.model import BulkOperation, DeviceGroup, Operation  # type: ignore[import-untyped]
from device_support import wait_for


def _device_id(c8y: CumulocityApi, name: str) -> str:
    return str(c8y.device_inventory.get_all(query=f"$filter=(name eq '{name}')")[0].id)


def test_operation_lifecycle_until_the_device_shows_the_change(c8y: CumulocityApi) -> None:
    device_id = _device_id(c8y, "linux-0005")
    version = f"9.{uuid.uuid4().int % 100}"
    firmware = {"name": "linux-image", "version": version, "url": ""}
    op = Operation(
        c8y,
        device_id=device_id,
        description="Update firmware",
        c8y_Firmware=firmware,
        c8ydm_Origin={"tool": "c8ydm", "runId": "sdk"},
    ).create()
    assert op.status == Operation.Status.PENDING
    final = wait_for(
        lambda: (o := c8y.operations.get(op.id)).status in ("SUCCESSFUL", "FAILED") and o,
        what="the operation",
    )
    assert final.status == Operation.Status.SUCCESSFUL
    assert c8y.inventory.get(device_id).c8y_Firmware.version == version
    mine = c8y.operations.get_all(device_id=device_id, fragment="c8ydm_Origin")
    assert op.id in [o.id for o in mine]


def test_bulk_operation_over_a_group_until_progress_is_complete(c8y: CumulocityApi) -> None:
    group = DeviceGroup(c8y, root=True, name=f"sdk-bulk-{uuid.uuid4().hex[:6]}").create()
    members = [_device_id(c8y, name) for name in ("linux-0001", "gateway-0002", "gateway-0004")]
    for member in members:
        group.add_child_asset(member)
    bulk = BulkOperation(
        c8y,
        group_id=group.id,
        start_time=datetime.now(timezone.utc),
        creation_ramp=0.01,
        operation_prototype={"description": "Restart", "c8y_Restart": {}},
    ).create()
    done = wait_for(
        lambda: (b := c8y.bulk_operations.get(bulk.id)).general_status == "SUCCESSFUL" and b,
        what="the bulk operation",
    )
    progress = done.progress
    assert (progress.all, progress.successful, progress.failed) == (3, 3, 0)
    assert done.status == "COMPLETED"
    children = c8y.operations.get_all(bulk_id=bulk.id)
    assert sorted(o.device_id for o in children) == sorted(members)


def test_device_users_only_with_only_devices(c8y: CumulocityApi) -> None:
    device_users = [u.username for u in c8y.users.get_all(only_devices=True)]
    assert "device_LNX000001" in device_users
    assert all(name.startswith("device_") for name in device_users)
    others = [u.username for u in c8y.users.get_all()]
    assert "admin" in others and not any(name.startswith("device_") for name in others)
