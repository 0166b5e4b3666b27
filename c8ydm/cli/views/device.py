"""Views of devices and their operations: list, show (firmware, software, last operations), changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View

if TYPE_CHECKING:
    from c8ydm.api.models.devicecontrol import Operation
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.device.changes import DeviceChanges
    from c8ydm.procedures.device.info import DeviceDetails

DEVICE_COLUMNS = [("ID", "id"), ("NAME", "name"), ("TYPE", "type"), ("FIRMWARE", "c8y_Firmware.version")]
OPERATION_COLUMNS = [
    ("ID", "id"),
    ("DEVICE", "deviceId"),
    ("STATUS", "status"),
    ("DESCRIPTION", "description"),
    ("FAILURE REASON", "failureReason"),
]
CHANGE_COLUMNS = [("ID", "id"), ("STATUS", "status"), ("DESCRIPTION", "description")]


def devices_view(devices: Iterable[ManagedObject] | Iterable[Mapping[str, Any]]) -> View:
    """Devices, streamed (jsonl prints each as it arrives); as models, or as the tenant's JSON objects."""
    return View(devices, columns=DEVICE_COLUMNS)


def operations_view(operations: Iterable[Operation]) -> View:
    """Operations with their status and failure reason."""
    return View(operations, columns=OPERATION_COLUMNS)


def _body(operation: Operation | None) -> dict[str, Any] | None:
    return operation.to_body() if operation is not None else None


def details_document(details: DeviceDetails) -> dict[str, Any]:
    """The device's firmware and software with their last operations, in Cumulocity's names."""
    device = details.device
    body = device.to_body()
    document: dict[str, Any] = {key: body.get(key) for key in ("id", "name", "type")}
    document["c8y_SupportedOperations"] = list(device.supported_operations or [])
    if device.supported_software_types is not None:
        document["c8y_SupportedSoftwareTypes"] = device.supported_software_types
    document["c8y_Firmware"] = body.get("c8y_Firmware")
    document["lastFirmwareOperation"] = _body(details.last_firmware_operation)
    document["softwareSource"] = details.software.source
    document["software"] = details.software.items
    document["lastSoftwareOperation"] = _body(details.last_software_operation)
    return document


def _operation_line(op: dict[str, Any] | None) -> str:
    return f"{op['id']} {op.get('status')} {op.get('creationTime', '')}".strip() if op else ""


def _card(document: dict[str, Any]) -> dict[str, Any]:
    """device show as a table: one readable line per field."""
    firmware = document.get("c8y_Firmware") or {}
    software = ", ".join(f"{i.get('name')} {i.get('version', '')}".strip() for i in document["software"])
    source = f" ({document['softwareSource']})" if document.get("softwareSource") else ""
    return {
        "name": document.get("name"),
        "id": document.get("id"),
        "type": document.get("type"),
        "firmware": f"{firmware.get('name', '')} {firmware.get('version', '')}".strip(),
        "last firmware operation": _operation_line(document.get("lastFirmwareOperation")),
        "software": software + source,
        "last software operation": _operation_line(document.get("lastSoftwareOperation")),
        "supported operations": ", ".join(document.get("c8y_SupportedOperations") or []),
    }


def details_view(details: DeviceDetails) -> View:
    """``device show``: the document; a card of readable lines for a table."""
    document = details_document(details)
    columns = [(key, key) for key in ("id", "name", "type", "c8y_Firmware.name", "c8y_Firmware.version")]
    return View(document, columns=columns, card=_card(document))


def changes_view(changes: DeviceChanges) -> View:
    """``device install/remove``: the device, the created operations, the software left unchanged."""
    device = changes.device
    document = {
        "device": {"id": device.id, "name": device.name, "type": device.type},
        "operations": [operation.to_body() for operation in changes.operations],
        "unchanged": changes.unchanged,
    }
    return View(document, columns=CHANGE_COLUMNS, rows=document["operations"])
