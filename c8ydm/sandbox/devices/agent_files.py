"""Files a simulated device uploads: configuration snapshots (contract §8.2, §8.3).

- Typed (`c8y_UploadConfigFile {"type": T}`): the device creates an event of type T whose `text`
  names the snapshot, with the file attached (`POST /event/events/<id>/binaries`, *docs*), which
  `GET /event/events?source=<device>&type=T` then finds newest first.
- Untyped (legacy): the device uploads the file to `/inventory/binaries` and creates a
  `c8y_ConfigurationDump` managed object `{name, description, url, type}` (*docs*), then points its
  own `c8y_ConfigurationDump {id}` at it.

Files are written where endpoints/binaries.py and endpoints/event_binaries.py keep theirs
(`<data_dir>/binaries/<id>` and `<data_dir>/binaries/event-<eventId>`). The content is the file the
device last downloaded from the tenant for that type (`remember_config`, kept as
`<data_dir>/binaries/device-<deviceId>-<digest of the type>`), else deterministic text derived from
the device, so tests can compare it. URLs are absolute, built from the base URL
the operation was created through (model/operations.py records it), as a device would report the
platform's own URL.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.model.events import create_event

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

_MEDIA_BY_SUFFIX = {
    ".json": "application/json",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".csv": "text/csv",
}
_INTERNAL_ID = re.compile(r"/inventory/(?:binaries|managedObjects)/(\d+)")


def base_url(state: SandboxState, op: dict[str, Any]) -> str:
    fallback = f"http://{state.options.host}:{state.options.port}"
    return str(op.get("_baseUrl") or fallback).rstrip("/")


def config_text(device: dict[str, Any], config_type: str | None) -> str:
    """The configuration file a device reports for a type (None: its legacy snapshot)."""
    name = device.get("name", device.get("id"))
    if config_type and config_type.endswith(".json"):
        return f'{{"device": "{name}", "logLevel": "info", "reportInterval": 60}}\n'
    label = config_type or "legacy configuration"
    return f"# {label} of {name}\nlog_level = info\nreport_interval = 60\n"


def _device_file(state: SandboxState, device: dict[str, Any], config_type: str | None) -> Path:
    digest = hashlib.sha256((config_type or "").encode("utf-8")).hexdigest()[:16]
    return state.options.binaries_dir / f"device-{device['id']}-{digest}"


def remember_config(state: SandboxState, device: dict[str, Any], config_type: str, url: Any) -> None:
    """Keep the file a device downloaded from the tenant (an internal URL) as its configuration of
    that type ("" for the legacy snapshot); an external URL's file is not fetched: nothing changes."""
    match = _INTERNAL_ID.search(str(url or ""))
    source = state.options.binaries_dir / match.group(1) if match else None
    if source is None or not source.is_file():
        return
    target = _device_file(state, device, config_type)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def config_content(state: SandboxState, device: dict[str, Any], config_type: str | None) -> bytes:
    """What the device uploads as its configuration of a type (None: its legacy snapshot)."""
    kept = _device_file(state, device, config_type)
    if kept.is_file():
        return kept.read_bytes()
    return config_text(device, config_type).encode("utf-8")


def _media_type(config_type: str | None) -> str:
    for suffix, media in _MEDIA_BY_SUFFIX.items():
        if config_type and config_type.endswith(suffix):
            return media
    return "text/plain"


def upload_config(
    state: SandboxState, device: dict[str, Any], op: dict[str, Any], config_type: str | None
) -> dict[str, Any]:
    """Upload a snapshot as the device does; the device fragments to set afterwards."""
    store, directory = state.store, state.options.binaries_dir
    directory.mkdir(parents=True, exist_ok=True)
    content = config_content(state, device, config_type)
    media = _media_type(config_type)
    if config_type:
        event = create_event(
            state,
            {
                "source": {"id": device["id"]},
                "type": config_type,
                "text": f"{config_type} configuration snapshot",
                "time": store.now(),
            },
        )
        (directory / f"event-{event['id']}").write_bytes(content)
        event["c8y_IsBinary"] = {"name": config_type, "type": media, "length": len(content)}
        store.put("events", event["id"], event)
        return {}
    file_name = f"{device.get('name', device['id'])}-configuration.txt"
    binary = store.create_mo(
        {"name": file_name, "type": media, "contentType": media, "length": len(content), "c8y_IsBinary": {}},
        owner=str(device.get("owner", "")),
    )
    (directory / binary["id"]).write_bytes(content)
    url = f"{base_url(state, op)}/inventory/binaries/{binary['id']}"
    dump = store.create_mo(
        {
            "name": f"Configuration snapshot of {device.get('name', device['id'])}",
            "description": "Uploaded by the device",
            "type": "c8y_ConfigurationDump",
            "url": url,
        },
        owner=str(device.get("owner", "")),
    )
    store.add_ref(dump["id"], binary["id"], "childAdditions")  # as the UI links repository files (§5.1)
    return {"c8y_ConfigurationDump": {"id": dump["id"]}}


def find_snapshot(state: SandboxState, url: Any, dump_id: Any) -> dict[str, Any] | None:
    """The repository entry (`c8y_ConfigurationDump` MO) an operation refers to, by id or by url."""
    if dump_id:
        found = state.store.get("managedObjects", str(dump_id))
        if found is not None:
            return found
    if not url:
        return None
    match = _INTERNAL_ID.search(str(url))
    for doc in state.store.iter("managedObjects"):
        if doc.get("type") != "c8y_ConfigurationDump":
            continue
        other = _INTERNAL_ID.search(str(doc.get("url", "")))
        # Internal URLs match by binary id (hosts may differ), external ones literally.
        if doc.get("url") == url or (match and other and match.group(1) == other.group(1)):
            return doc
    return None
