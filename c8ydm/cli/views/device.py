"""Views of devices and their operations: list, show (firmware, software, last operations), changes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View, short_time, with_short_times

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
    ("CREATED", "creationTime"),
    ("DESCRIPTION", "description"),
    ("FAILURE REASON", "failureReason"),
]
CHANGE_COLUMNS = [
    ("ID", "id"),
    ("STATUS", "status"),
    ("CREATED", "creationTime"),
    ("DESCRIPTION", "description"),
]
TIME_KEYS = ("creationTime", "lastUpdated", "startDate")


def operations_table_view(
    documents: list[dict[str, Any]], columns: list[tuple[str, str]], **extra: Any
) -> View:
    """Operation documents as a View whose table shows local short times (json and csv: ISO)."""
    table_rows = [with_short_times(document, TIME_KEYS) for document in documents]
    rows = extra.pop("rows", documents)
    return View(extra.pop("document", documents), columns=columns, rows=rows, table_rows=table_rows, **extra)


def _noting_names(devices: Iterable[ManagedObject], seen: list[str]) -> Iterator[ManagedObject]:
    for device in devices:
        seen.append(device.name or "")
        yield device


def devices_view(devices: Iterable[ManagedObject], *, seen: list[str] | None = None) -> View:
    """Devices, streamed (jsonl prints each as it arrives); ``seen`` collects their names as they pass."""
    return View(_noting_names(devices, seen) if seen is not None else devices, columns=DEVICE_COLUMNS)


def operations_view(operations: Iterable[Operation]) -> View:
    """Operations with their status, creation time and failure reason."""
    return operations_table_view([operation.to_body() for operation in operations], OPERATION_COLUMNS)


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
    return f"{op['id']} {op.get('status')} {short_time(op.get('creationTime', ''))}".strip() if op else ""


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
    operations = [operation.to_body() for operation in changes.operations]
    document = {
        "device": {"id": device.id, "name": device.name, "type": device.type},
        "operations": operations,
        "unchanged": changes.unchanged,
    }
    return operations_table_view(operations, CHANGE_COLUMNS, document=document)
