"""Views of devices and their operations: list, show (firmware, software, configuration, last
operations), changes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from c8ydm.cli.views.base import View, short_time, with_short_times
from c8ydm.cli.views.configuration import configuration_card, configuration_document

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


Device = Any  # a ManagedObject, or the device's JSON object exactly as the tenant sent it


def _noting_names(devices: Iterable[Device], seen: list[str]) -> Iterator[Device]:
    note = seen.append
    for device in devices:
        # dict first: the isinstance check of an ABC is slower, and this runs once per device
        name = device.get("name") if isinstance(device, dict | Mapping) else device.name
        note(name if type(name) is str else str(name or ""))
        yield device


def devices_view(
    devices: Iterable[ManagedObject] | Iterable[Mapping[str, Any]], *, seen: list[str] | None = None
) -> View:
    """Devices, streamed (jsonl prints each as it arrives), as models or as the tenant's JSON objects;
    ``seen`` collects their names as they pass."""
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
    if "c8y_SupportedConfigurations" in body:
        document["c8y_SupportedConfigurations"] = body["c8y_SupportedConfigurations"]
    document["configuration"] = configuration_document(details.configuration)
    document.update(profile_document(details))
    return document


def profile_document(details: DeviceDetails) -> dict[str, Any]:
    """§9.2 "Device side": ``c8y_Profile`` as reported, ``profileDrift`` (``drifted`` None when the
    profile is gone), ``lastProfileOperation`` and ``pendingProfile`` (the newest profile operation
    when it is not SUCCESSFUL: §9.2's "pending"). Empty for a device without profile support."""
    device, compliance, operation = details.device, details.profile, details.last_profile_operation
    if "c8y_DeviceProfile" not in (device.supported_operations or []) and compliance is None:
        return {}
    pending = None
    if operation is not None and operation.status_text != "SUCCESSFUL":
        body = operation.to_body()
        pending = {key: body.get(key) for key in ("profileId", "profileName")}
        pending.update({"operationId": operation.id, "status": operation.status_text})
    drift = None
    if compliance is not None:
        drift = {
            "drifted": compliance.is_drifted,
            "differences": compliance.differences,
            "unchecked": compliance.unchecked,
        }
    return {
        "c8y_Profile": compliance.assigned if compliance is not None else None,
        "profileDrift": drift,
        "lastProfileOperation": _body(operation),
        "pendingProfile": pending,
    }


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
        **configuration_card(document.get("configuration")),
        "supported operations": ", ".join(document.get("c8y_SupportedOperations") or []),
        **_profile_card(document),
    }


def _profile_card(document: dict[str, Any]) -> dict[str, Any]:
    if "lastProfileOperation" not in document:
        return {}
    assigned = document.get("c8y_Profile")
    drift = document.get("profileDrift")
    card: dict[str, Any] = {"profile": "none"}
    if assigned is not None:
        state = "executed" if assigned.get("profileExecuted") is True else "not executed"
        card["profile"] = f"{assigned.get('profileName')} (id {assigned.get('profileId')}, {state})"
        card["profile drift"] = _drift_line(drift)
    pending = document.get("pendingProfile")
    if pending is not None:
        card["pending profile"] = (
            f"{pending.get('profileName')} (operation {pending['operationId']} {pending['status']})"
        )
    card["last profile operation"] = _operation_line(document.get("lastProfileOperation"))
    return card


def _drift_line(drift: dict[str, Any] | None) -> str:
    if drift is None or drift.get("drifted") is None:
        return "unknown (the profile no longer exists)"
    parts = list(drift["differences"]) if drift["drifted"] else ["none"]
    parts += [f"unchecked: {item}" for item in drift.get("unchecked") or []]
    return "; ".join(parts)


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
