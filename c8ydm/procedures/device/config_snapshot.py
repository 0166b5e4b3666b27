"""Configuration snapshots of a device: request one, read the newest one, save it (contract §8).

    request = SnapshotRequest(config_type="tedge.toml", save_as="agent-defaults")
    plan = plan_snapshot(client, device, request)      # a ChangePlan: the pending guard applies
    … create it, wait for it …
    snapshot = fetch_snapshot(client, device, request, since=operation)
    saved = save_snapshot(client, device, snapshot, "agent-defaults")

- typed (§8.3): ``c8y_UploadConfigFile {"type": T}``, "Retrieve <T> configuration snapshot from
  device <name>"; the file arrives as the newest event of type T, with the file attached;
- legacy (§8.2, no ``--type``): ``c8y_UploadConfigFile {}``, "Retrieve configuration snapshot from
  device <name>"; the file is the ``c8y_ConfigurationDump`` object the device then points at;
- text (§8.1): ``c8y_SendConfiguration {}``, "Requested current configuration"; the text is the
  device's ``c8y_Configuration.config``, re-read after the operation.

Snapshot content is kept as bytes (§8.3 ★) and held in memory: configuration files are small.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from c8ydm.api.client import Client
from c8ydm.api.conventions import mo_id_from_url
from c8ydm.api.errors import ConflictError, InputError, NotFoundError
from c8ydm.api.models.devicecontrol import Operation
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.changes import ChangePlan, plan_operations
from c8ydm.procedures.device.config_send import device_label
from c8ydm.procedures.device.configuration import (
    TEXT_RELOAD,
    SnapshotInfo,
    configuration_types,
    latest_legacy_snapshot,
    latest_typed_snapshot,
    supported_operations,
    type_label,
)
from c8ydm.procedures.device.pending import CONFIG_UPLOAD
from c8ydm.procedures.inputs import reject_blanks
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.add import AddRequest, AddResult, execute_add, plan_add
from c8ydm.procedures.repository.checks import check_lengths
from c8ydm.procedures.repository.download import destination
from c8ydm.procedures.repository.kinds import CONFIGURATION
from c8ydm.procedures.repository.lookup import find_entry

TEXT_RELOAD_DESCRIPTION = "Requested current configuration"  # §8.1
SAVED_FILE_TYPE = "c8y_upload"  # §8.3: the UI gives a saved snapshot's binary this type


@dataclass(frozen=True)
class SnapshotRequest:
    """What ``device snapshot`` was asked for; checked when made (InputError, exit 2)."""

    config_type: str | None = None  # None: the legacy snapshot (or the text, with is_text)
    is_text: bool = False
    is_latest: bool = False  # read the newest stored snapshot; create no operation
    save_as: str | None = None
    description: str | None = None

    def __post_init__(self) -> None:
        reject_blanks(
            {"--type": self.config_type, "--save-as": self.save_as, "--description": self.description}
        )
        if self.is_text and self.config_type is not None:
            raise InputError("give --type CONFIG_TYPE or --text, not both")
        if self.is_text and self.save_as is not None:
            raise InputError(
                "a text configuration is not saved to the repository",
                hint="keep it with --to PATH; send it with: c8ydm device install DEVICE --config-text FILE",
            )
        if self.description is not None and self.save_as is None:
            raise InputError("--description is for --save-as NAME")
        check_lengths(CONFIGURATION, {"--save-as": self.save_as, "--description": self.description})


@dataclass
class Snapshot:
    """A snapshot's content and where it came from (``info`` is None for a text configuration)."""

    config_type: str | None
    is_text: bool
    data: bytes
    info: SnapshotInfo | None = None
    is_newer: bool = True  # False: the device reported nothing newer than the request


def _check_support(device: ManagedObject, request: SnapshotRequest) -> None:
    operations = supported_operations(device)
    needed = TEXT_RELOAD if request.is_text else CONFIG_UPLOAD
    if not request.is_latest and needed not in operations:
        hint = None
        if not request.is_text and TEXT_RELOAD in operations:
            hint = "this device keeps a text configuration: add --text"
        raise InputError(
            f"device {device.name!r} cannot send its "
            f"{'text configuration' if request.is_text else 'configuration files'} "
            f"({needed} is not in its c8y_SupportedOperations)",
            hint=hint,
        )
    config_type = request.config_type
    if config_type is not None and config_type not in configuration_types(device):
        declared = ", ".join(repr(t) for t in configuration_types(device)) or "none"
        raise InputError(
            f"device {device.name!r} declares the configuration types {declared}, not {config_type!r}"
        )


def snapshot_body(
    device: ManagedObject, request: SnapshotRequest, run_id: str | None = None
) -> dict[str, object]:
    """The operation that asks the device for its configuration (see the module docstring)."""
    name = device_label(device)
    if request.is_text:
        body: dict[str, object] = {"description": TEXT_RELOAD_DESCRIPTION, TEXT_RELOAD: {}}
    elif request.config_type is not None:
        description = f"Retrieve {request.config_type} configuration snapshot from device {name}"
        body = {"description": description, CONFIG_UPLOAD: {"type": request.config_type}}
    else:
        body = {"description": f"Retrieve configuration snapshot from device {name}", CONFIG_UPLOAD: {}}
    return with_origin({"deviceId": device.id, **body}, run_id)


def plan_snapshot(
    client: Client, device: ManagedObject, request: SnapshotRequest, *, run_id: str | None = None
) -> ChangePlan:
    """The snapshot request as a ChangePlan (so the pending guard of §8.3 applies); nothing is sent.

    A name to save under that is already taken is refused here, before the device is asked (exit 7).
    GET the entry of that name (§3.3 lookup); GET the device's snapshot requests (§8.3 detection).
    """
    _check_support(device, request)
    if request.save_as is not None:
        refuse_taken_name(client, request.save_as)
    if request.is_latest:
        return ChangePlan(device)
    return plan_operations(client, device, [snapshot_body(device, request, run_id)])


def refuse_taken_name(client: Client, name: str) -> None:
    """ConflictError (exit 7) when a configuration of that name exists."""
    found = find_entry(client, CONFIGURATION, name.strip())
    if found is not None:
        raise ConflictError(
            f"configuration {found.name!r} already exists (id {found.id})",
            hint="choose another --save-as NAME, or delete it first with: c8ydm config delete",
        )


def _is_newer(info: SnapshotInfo | None, operation: Operation | None) -> bool:
    if operation is None or operation.creation_time is None:
        return True
    return info is not None and (info.created or info.time or "") >= operation.creation_time


def fetch_snapshot(
    client: Client, device: ManagedObject, request: SnapshotRequest, *, since: Operation | None = None
) -> Snapshot:
    """The newest snapshot of the requested type with its content (``since``: the request it should
    answer; an older snapshot comes back with ``is_newer`` False). NotFoundError when there is none.

    Typed: GET /event/events?source=&type=&…&pageSize=1, GET /event/events/<id>/binaries.
    Legacy: GET the device, GET /inventory/managedObjects/<dumpId>, GET /inventory/binaries/<binId>.
    Text: GET the device (c8y_Configuration.config).
    """
    assert device.id is not None
    current = client.inventory.get(device.id, with_children=False)  # re-read: it may have changed
    if request.is_text:
        text = current.fragment("c8y_Configuration")
        if not isinstance(text, dict) or "config" not in text:
            raise NotFoundError(f"device {device.name!r} reports no text configuration (c8y_Configuration)")
        return Snapshot(None, True, str(text["config"]).encode("utf-8"))
    config_type = request.config_type
    if config_type is not None:
        info = latest_typed_snapshot(client, device.id, config_type)
    else:
        info = latest_legacy_snapshot(client, current)
    if info is None:
        raise NotFoundError(
            f"device {device.name!r} has no {type_label(config_type)} snapshot yet",
            hint="request one: c8ydm device snapshot DEVICE [--type T] --wait",
        )
    return Snapshot(config_type, False, _content(client, info), info, _is_newer(info, since))


def _content(client: Client, info: SnapshotInfo) -> bytes:
    if info.event_id is not None:
        return client.events.read_binary(info.event_id)
    binary_id = mo_id_from_url(info.url)
    if binary_id is None:  # §8.2: internal URLs only
        raise NotFoundError(f"the legacy snapshot {info.name!r} has no file in the tenant ({info.url})")
    return client.binaries.read(binary_id)


def save_snapshot(
    client: Client, device: ManagedObject, snapshot: Snapshot, name: str, *, description: str | None = None
) -> AddResult:
    """Store a snapshot in the configuration repository: the §5.1 add flow with its bytes as the file,
    the device's type and, rule 14(h), its configuration type; named and typed as the UI does (§8.3)."""
    with tempfile.TemporaryDirectory(prefix="c8ydm-snapshot-") as folder:
        path = Path(folder) / "snapshot"
        path.write_bytes(snapshot.data)
        request = AddRequest(
            CONFIGURATION, name, file=path, description=description, device_type=device.type or None,
            fields={"configurationType": snapshot.config_type}, upload_name=name.strip(),
            upload_type=SAVED_FILE_TYPE,
        )  # fmt: skip
        return execute_add(client, plan_add(client, request))


def snapshot_file_name(device: ManagedObject, request: SnapshotRequest) -> str:
    """``<device>-<type>`` (``-configuration`` for legacy, ``-configuration.txt`` for text), made safe
    as one file name."""
    what = request.config_type or ("configuration.txt" if request.is_text else "configuration")
    name = f"{device_label(device)}-{what}"
    return "".join("_" if c in "/\\" or ord(c) < 32 else c for c in name).lstrip(".") or "snapshot"


def snapshot_destination(
    device: ManagedObject, request: SnapshotRequest, to: Path, *, overwrite: bool
) -> Path:
    """Where ``--to`` writes (into it, when a directory); InputError for an existing file without
    ``overwrite``. Checked before the device is asked, so a refusal sends nothing."""
    return destination(to, snapshot_file_name(device, request), overwrite=overwrite)


def write_snapshot(snapshot: Snapshot, dest: Path) -> Path:
    """Write the content to ``dest`` via ``<dest>.part``, renamed when complete."""
    partial = dest.with_name(dest.name + ".part")
    try:
        partial.write_bytes(snapshot.data)
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest
