"""A device's configuration as the UI's configuration tab shows it (contract §8).

Three styles, which one device may mix:

- **typed** (§8.3): the types in ``c8y_SupportedConfigurations``; a snapshot arrives as an event of
  that type with an attached file; a sent file is reported as ``c8y_Configuration_<type>``;
- **legacy** (§8.2): the pseudo-type "Legacy configuration snapshot", offered when the device
  supports ``c8y_UploadConfigFile`` or ``c8y_DownloadConfigFile``; its snapshot is the
  ``c8y_ConfigurationDump`` managed object the device's ``c8y_ConfigurationDump.id`` names;
- **text** (§8.1): ``c8y_Configuration.config``, saved with ``c8y_Configuration`` and reloaded
  with ``c8y_SendConfiguration``.

``describe_configuration`` reads, per type, what the device reports, the newest snapshot and the
last operation (snapshot request or send, whichever is newer), and the text configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import NotFoundError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.pending import (
    CONFIG_DOWNLOAD,
    CONFIG_SCAN,
    CONFIG_UPLOAD,
    TEXT_CONFIGURATION_KIND,
    fragment_type,
    newest_of_kind,
)

LEGACY_LABEL = "Legacy configuration snapshot"  # the UI's pseudo-type (§8)
TEXT_SAVE = "c8y_Configuration"  # §8.1
TEXT_RELOAD = "c8y_SendConfiguration"
SUPPORTED_TYPES = "c8y_SupportedConfigurations"
DUMP = "c8y_ConfigurationDump"  # §8.2: the legacy snapshot's managed object (and the device's pointer)


def supported_operations(device: ManagedObject) -> list[str]:
    """``c8y_SupportedOperations`` (empty when the device declares none)."""
    return list(device.supported_operations or [])


def configuration_types(device: ManagedObject) -> list[str]:
    """The typed configurations the device declares (``c8y_SupportedConfigurations``), in order."""
    declared = device.fragment(SUPPORTED_TYPES)
    return [str(item) for item in declared if item] if isinstance(declared, list) else []


def has_legacy(device: ManagedObject) -> bool:
    """Whether the UI offers the legacy pseudo-type: the device supports uploads or downloads (§8)."""
    return bool({CONFIG_UPLOAD, CONFIG_DOWNLOAD} & set(supported_operations(device)))


def has_text(device: ManagedObject) -> bool:
    """Whether the device keeps a text configuration (§8.1: a fragment, or one of its operations)."""
    operations = set(supported_operations(device))
    return device.has_fragment(TEXT_SAVE) or bool({TEXT_SAVE, TEXT_RELOAD} & operations)


def has_configuration(device: ManagedObject) -> bool:
    """The UI's visibility rule for the configuration tab (§8)."""
    return bool(configuration_types(device)) or has_legacy(device) or has_text(device)


def type_label(config_type: str | None) -> str:
    """A type for people: the type itself, or the legacy pseudo-type's label."""
    return config_type if config_type else LEGACY_LABEL


@dataclass
class SnapshotInfo:
    """Where the newest snapshot of a type is: an event (typed) or a dump object (legacy)."""

    name: str | None
    time: str | None
    created: str | None  # the tenant's time of the event or dump, to compare with a request's
    content_type: str | None
    event_id: str | None = None
    dump_id: str | None = None
    url: str | None = None  # the dump's file (legacy)


@dataclass
class ConfigTypeState:
    """One configuration type of a device (None: the legacy pseudo-type)."""

    config_type: str | None
    reported: dict[str, Any] | None = None  # c8y_Configuration_<type>, or the device's c8y_ConfigurationDump
    latest_snapshot: SnapshotInfo | None = None
    last_operation: Operation | None = None


@dataclass
class ConfigurationDetails:
    """The configuration tab: every type with its state, and the text configuration."""

    types: list[ConfigTypeState] = field(default_factory=list)
    has_text: bool = False
    text: str | None = None
    last_text_operation: Operation | None = None


def latest_typed_snapshot(client: Client, device_id: str, config_type: str) -> SnapshotInfo | None:
    """The newest snapshot event of a type (§8.3). GET /event/events?source=&type=&…&pageSize=1"""
    event = client.events.latest(device_id, config_type)
    if event is None:
        return None
    attached = event.fragment("c8y_IsBinary")
    content_type = attached.get("type") if isinstance(attached, dict) else None
    return SnapshotInfo(
        name=event.text, time=event.time, created=event.creation_time, content_type=content_type,
        event_id=event.id,
    )  # fmt: skip


def latest_legacy_snapshot(client: Client, device: ManagedObject) -> SnapshotInfo | None:
    """The device's current legacy snapshot (§8.2): its ``c8y_ConfigurationDump.id``, then that object.

    GET /inventory/managedObjects/<dumpId>
    """
    pointer = device.fragment(DUMP)
    dump_id = pointer.get("id") if isinstance(pointer, dict) else None
    if not dump_id:
        return None
    try:
        dump = client.inventory.get(str(dump_id), with_children=False)
    except NotFoundError:
        return None
    url = dump.fragment("url")
    return SnapshotInfo(
        name=dump.name, time=dump.last_updated or dump.creation_time, created=dump.last_updated,
        content_type=None, dump_id=dump.id, url=str(url) if url else None,
    )  # fmt: skip


def _last_operations(client: Client, device_id: str) -> dict[str | None, Operation]:
    """Per type (None: legacy), the newest snapshot request or send: one page of each (§8.3)."""
    newest: dict[str | None, Operation] = {}
    for fragment in (CONFIG_UPLOAD, CONFIG_DOWNLOAD):
        found = client.operations.list(
            device_id=device_id, fragment_type=fragment, newest_first=True, page_size=CONFIG_SCAN,
            limit=CONFIG_SCAN,
        )  # fmt: skip
        for operation in found:
            config_type = fragment_type(operation.to_body(), fragment)
            known = newest.get(config_type)
            if known is None or (operation.creation_time or "") > (known.creation_time or ""):
                newest[config_type] = operation
    return newest


def _reported(device: ManagedObject, config_type: str | None) -> dict[str, Any] | None:
    value = device.fragment(f"c8y_Configuration_{config_type}" if config_type else DUMP)
    return value if isinstance(value, dict) else None


def describe_configuration(client: Client, device: ManagedObject) -> ConfigurationDetails:
    """Every configuration type of the device with what it reports, its newest snapshot and its last
    operation; the text configuration and its last operation (§8, §8.1-§8.3).

    GET /devicecontrol/operations?deviceId=&fragmentType=c8y_UploadConfigFile|c8y_DownloadConfigFile
        &…&revert=true&pageSize=2000, GET /event/events?source=&type=&…&pageSize=1 per type,
    GET /inventory/managedObjects/<dumpId> (legacy)
    """
    assert device.id is not None
    details = ConfigurationDetails(has_text=has_text(device))
    types: list[str | None] = list(configuration_types(device))
    if has_legacy(device):
        types.append(None)
    operations = _last_operations(client, device.id) if types else {}
    for config_type in types:
        snapshot = (
            latest_typed_snapshot(client, device.id, config_type)
            if config_type
            else latest_legacy_snapshot(client, device)
        )
        state = ConfigTypeState(config_type, _reported(device, config_type), snapshot)
        state.last_operation = operations.get(config_type)
        details.types.append(state)
    if details.has_text:
        text = device.fragment(TEXT_SAVE)
        details.text = str(text.get("config")) if isinstance(text, dict) and "config" in text else None
        details.last_text_operation = newest_of_kind(client, device.id, TEXT_CONFIGURATION_KIND)
    return details
