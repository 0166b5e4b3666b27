"""The official Python SDK (c8y-api) against the sandbox, without c8ydm's client: inventory, binaries,
paging and authentication. Every response is validated against the official spec."""

from __future__ import annotations

import io
import uuid

import pytest
from c8y_api import CumulocityApi  # type: ignore[import-untyped]
from c8y_api._base_api import UnauthorizedError  # type: ignore[import-untyped]
from c8y_api.model import ManagedObject  # type: ignore[import-untyped]
from support.sandbox import SandboxInstance


def _kind() -> str:
    return f"c8ydm_sdk_{uuid.uuid4().hex[:8]}"


def test_create_read_update_delete(c8y: CumulocityApi) -> None:
    kind = _kind()
    created = ManagedObject(c8y, name="sdk object", type=kind, c8y_Note={"text": "one"}).create()
    assert created.id and created.owner
    read = c8y.inventory.get(created.id)
    assert (read.name, read.type, read.c8y_Note.text) == ("sdk object", kind, "one")
    read["c8y_Note"] = {"text": "two"}
    read.update()
    assert c8y.inventory.get(created.id).c8y_Note.text == "two"
    read.delete()
    with pytest.raises(KeyError):
        c8y.inventory.get(created.id)


def test_queries_find_the_seeded_devices(c8y: CumulocityApi) -> None:
    names = [
        d.name for d in c8y.device_inventory.select(query="$filter=(c8y_Hardware.serialNumber eq 'LNX*')")
    ]
    assert {"linux-0001", "linux-0003", "linux-0005"} <= set(names)
    gateways = c8y.inventory.get_all(query="$filter=(type eq 'c8y_Gateway') $orderby=name asc")
    assert [g.name for g in gateways if g.name.startswith("gateway-000")] == ["gateway-0002", "gateway-0004"]
    assert c8y.inventory.get_count(type="c8y_DeviceGroup") >= 3


def test_child_additions_go_with_force_cascade(c8y: CumulocityApi) -> None:
    parent = ManagedObject(c8y, name="entry", type="c8y_Firmware").create()
    child = ManagedObject(c8y, name="version", type="c8y_FirmwareBinary").create()
    parent.add_child_addition(child)
    reloaded = c8y.inventory.get(parent.id)
    assert [ref.id for ref in reloaded.child_additions] == [child.id]
    reloaded.delete_tree()
    for gone in (parent.id, child.id):
        with pytest.raises(KeyError):
            c8y.inventory.get(gone)


def test_binary_upload_and_download(c8y: CumulocityApi) -> None:
    content = b"firmware image " + uuid.uuid4().bytes
    binary = c8y.binaries.upload(io.BytesIO(content), name="image.bin", type="application/octet-stream")
    assert binary.id and binary.name == "image.bin"
    assert c8y.binaries.read_file(binary.id) == content
    c8y.binaries.delete(binary.id)


def test_paging_reaches_the_end(c8y: CumulocityApi) -> None:
    kind = _kind()
    ids = {ManagedObject(c8y, name=f"paged {n}", type=kind).create().id for n in range(7)}
    assert {mo.id for mo in c8y.inventory.select(type=kind, page_size=2)} == ids
    assert c8y.inventory.get_count(type=kind) == 7
    assert list(c8y.inventory.select(type=kind, page_size=5, page_number=3)) == []


def test_wrong_password_is_401(sandbox: SandboxInstance) -> None:
    api = CumulocityApi(
        base_url=sandbox.url, tenant_id=sandbox.tenant, username=sandbox.user, password="not-the-password"
    )
    with pytest.raises(UnauthorizedError):
        api.inventory.get_all(limit=1)
