"""Send configuration to a device: a repository entry (typed §8.3, legacy §8.2) or a text (§8.1).

Planning reads only and refuses before anything is created (exit 2):

- an entry whose ``deviceType`` names another device type (§5, cli-surface.md);
- a typed entry (``configurationType`` T) on a device that does not declare T in
  ``c8y_SupportedConfigurations``, or that does not support ``c8y_DownloadConfigFile``;
- an untyped entry (the legacy pseudo-type) on a device without ``c8y_DownloadConfigFile``, or with
  an external URL, refused with the UI's reason (§5.3);
- two entries of one configuration type in one run (the second would pile onto the first);
- a text on a device without ``c8y_Configuration``, or a file that is not UTF-8 text.

Every body carries the UI's description and ``c8ydm_Origin`` (14(f)).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import is_internal_url
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.device.configuration import (
    DUMP,
    TEXT_SAVE,
    configuration_types,
    supported_operations,
    type_label,
)
from c8ydm.procedures.device.pending import CONFIG_DOWNLOAD
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.checks import check_device_type
from c8ydm.procedures.repository.kinds import CONFIGURATION
from c8ydm.procedures.repository.lookup import resolve_entry

# §5.3: the UI's hint, the reason an external URL is refused for a legacy device.
EXTERNAL_URL_REASON = (
    "Configurations with external URLs only work with the configuration typed devices "
    "(file-based configuration), not with devices with a legacy configuration."
)
TEXT_SAVE_DESCRIPTION = "Configuration update"  # §8.1


def device_label(device: ManagedObject) -> str:
    """The device name in descriptions (its id when it has no name)."""
    return str(device.name or device.id)


def send_description(name: str, config_type: str | None, device: ManagedObject) -> str:
    """The UI's templates: typed (§8.3) or legacy (§8.2)."""
    if config_type:
        return (
            f"Send configuration snapshot {name} of configuration type {config_type} "
            f"to device {device_label(device)}"
        )
    return f"Send configuration snapshot {name} to device {device_label(device)}"


def entry_config_type(entry: ManagedObject) -> str | None:
    """The entry's configuration type; None (also for an empty one) means the legacy pseudo-type."""
    value = entry.fragment("configurationType")
    return str(value) if value else None


def check_entry_fits(entry: ManagedObject, device: ManagedObject) -> None:
    """InputError when the entry cannot be sent to the device (see the module docstring)."""
    check_device_type(CONFIGURATION, entry, device)
    config_type = entry_config_type(entry)
    name = entry.name
    if CONFIG_DOWNLOAD not in supported_operations(device):
        raise InputError(
            f"device {device.name!r} does not accept configuration files "
            f"({CONFIG_DOWNLOAD} is not in its c8y_SupportedOperations)"
        )
    if config_type is not None:
        declared = configuration_types(device)
        if config_type not in declared:
            offered = ", ".join(repr(t) for t in declared) or "none"
            raise InputError(
                f"configuration {name!r} is of type {config_type!r}; device {device.name!r} "
                f"declares the configuration types {offered}",
                hint=f"list what fits with: c8ydm config list --device-type {device.type}",
            )
        return
    url = entry.fragment("url")
    if not is_internal_url(str(url) if url else None):
        raise InputError(f"configuration {name!r} has an external URL: {EXTERNAL_URL_REASON}")


def config_send_body(
    entry: ManagedObject, device: ManagedObject, run_id: str | None = None
) -> dict[str, Any]:
    """The ``c8y_DownloadConfigFile`` operation that sends an entry: typed (§8.3) or legacy (§8.2)."""
    config_type = entry_config_type(entry)
    url = str(entry.fragment("url") or "")
    fragment: dict[str, Any] = {"url": url}
    if config_type is not None:
        fragment["type"] = config_type
    else:
        fragment[DUMP] = {"id": entry.id}
    body = {
        "deviceId": device.id,
        "description": send_description(str(entry.name), config_type, device),
        CONFIG_DOWNLOAD: fragment,
    }
    return with_origin(body, run_id)


def plan_config_sends(
    client: Client, device: ManagedObject, names: Sequence[str], *, run_id: str | None = None
) -> list[dict[str, Any]]:
    """One operation body per entry, all checked before any is returned (GET each entry, §3.3 lookup)."""
    bodies: list[dict[str, Any]] = []
    seen: dict[str | None, str] = {}
    for value in names:
        entry = resolve_entry(client, CONFIGURATION, value)
        check_entry_fits(entry, device)
        config_type = entry_config_type(entry)
        if config_type in seen:
            raise InputError(
                f"configurations {seen[config_type]!r} and {entry.name!r} are both of type "
                f"{type_label(config_type)!r}: send one per type"
            )
        seen[config_type] = str(entry.name)
        bodies.append(config_send_body(entry, device, run_id))
    return bodies


def read_text_file(path: Path) -> str:
    """A text configuration file's content; InputError when it is missing or not UTF-8 text."""
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text", hint="a text configuration is sent as text") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def text_save_body(device: ManagedObject, text: str, run_id: str | None = None) -> dict[str, Any]:
    """§8.1 "Save": ``c8y_Configuration {config}``; InputError when the device does not support it."""
    if TEXT_SAVE not in supported_operations(device):
        raise InputError(
            f"device {device.name!r} does not take a text configuration "
            f"({TEXT_SAVE} is not in its c8y_SupportedOperations)"
        )
    body = {"deviceId": device.id, "description": TEXT_SAVE_DESCRIPTION, TEXT_SAVE: {"config": text}}
    return with_origin(body, run_id)
