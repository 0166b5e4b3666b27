"""What a simulated device does with an operation: the changes it reports (contract §6–§9).

| operation fragment        | the device afterwards                                                 |
|---------------------------|-----------------------------------------------------------------------|
| c8y_Firmware              | `c8y_Firmware {name, version, url[, dependency, isPatch]}` (§6)       |
| c8y_SoftwareUpdate        | install/delete items applied to `c8y_SoftwareList` and, for devices  |
|                           | that use it, to the advanced software management list (§7.2, §7.4)    |
| c8y_SoftwareList          | `c8y_SoftwareList` replaced by the desired list (§7.4)                 |
| c8y_Software              | the legacy map `c8y_Software` replaced (§7.4)                          |
| c8y_DownloadConfigFile    | typed: `c8y_Configuration_<type> {name, time, type, url}`; untyped:    |
|                           | `c8y_ConfigurationDump {id}` (§8.2, §8.3)                              |
| c8y_UploadConfigFile      | typed: an event of that type with the file attached; untyped: a        |
|                           | binary, a `c8y_ConfigurationDump` MO, `c8y_ConfigurationDump {id}`    |
| c8y_Configuration         | `c8y_Configuration {config}` (§8.1)                                    |
| c8y_SendConfiguration     | `c8y_Configuration` reported again (§8.1)                              |
| c8y_DeviceProfile         | on EXECUTING `c8y_Profile {…, profileExecuted: false}`; then firmware, |
|                           | software and typed configuration, each reported when done; then        |
|                           | `c8y_Profile {profileId, profileName, profileExecuted: true}` (§9.2)   |
| c8y_Restart               | nothing                                                                |

An operation whose fragment is not in the device's `c8y_SupportedOperations` fails, as does a
software item of a type the device does not declare in `c8y_SupportedSoftwareTypes`, a
configuration type not in `c8y_SupportedConfigurations`, and a download from an internal binary
URL that does not exist. A profile step the device has no support for (firmware without
`c8y_Firmware`, software without a software operation, configuration without a type) fails the
profile at that step, after the earlier steps were applied. A configuration file a device
downloaded from the tenant is what its next snapshot of that type uploads (agent_files).

A device's private `_agent` document (never rendered; devices/fleet.py sets it) can make it
misbehave in the configuration area only: `configurationDelayFactor` multiplies the time per state
change of its configuration operations (a slow agent, so that "one request at a time" can be
seen), `failsConfiguration` fails them with a realistic reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from c8ydm.sandbox.devices import agent_files
from c8ydm.sandbox.model import software_mgmt

if TYPE_CHECKING:
    from c8ydm.sandbox.state import SandboxState

# Operation fragments the agents understand, in the order they are looked for.
KNOWN_OPERATIONS = (
    "c8y_DeviceProfile",
    "c8y_Firmware",
    "c8y_SoftwareUpdate",
    "c8y_SoftwareList",
    "c8y_Software",
    "c8y_DownloadConfigFile",
    "c8y_UploadConfigFile",
    "c8y_Configuration",
    "c8y_SendConfiguration",
    "c8y_Restart",
)
_SIMULATED_FAILURES = {
    "c8y_Firmware": "Firmware update failed: image checksum mismatch after download",
    "c8y_SoftwareUpdate": "Software update failed: package manager exited with code 100",
    "c8y_SoftwareList": "Software update failed: package manager exited with code 100",
    "c8y_Software": "Software update failed: package manager exited with code 100",
    "c8y_DownloadConfigFile": "Configuration update failed: target file system is read-only",
    "c8y_UploadConfigFile": "Configuration upload failed: connection reset by peer",
    "c8y_Configuration": "Configuration update failed: target file system is read-only",
    "c8y_DeviceProfile": "Device profile failed: firmware step did not complete",
}
_INTERNAL_BINARY = re.compile(r"/inventory/binaries/(\d+)")
CONFIGURATION_OPERATIONS = frozenset(
    {"c8y_DownloadConfigFile", "c8y_UploadConfigFile", "c8y_Configuration", "c8y_SendConfiguration"}
)


class OperationFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _agent(device: dict[str, Any]) -> dict[str, Any]:
    value = device.get("_agent")
    return value if isinstance(value, dict) else {}


def delay_factor(device: dict[str, Any], op: dict[str, Any]) -> float:
    """How many times the usual delay each state change of `op` takes on `device` (see the docstring)."""
    if CONFIGURATION_OPERATIONS.isdisjoint(op):
        return 1.0
    return float(_agent(device).get("configurationDelayFactor", 1.0))


def always_fails(device: dict[str, Any], kind: str) -> bool:
    """Whether the device fails every operation of this kind (a failing configuration agent)."""
    return kind in CONFIGURATION_OPERATIONS and bool(_agent(device).get("failsConfiguration"))


def simulated_failure(kind: str) -> str:
    return _SIMULATED_FAILURES.get(kind, "Operation failed on the device") + " (simulated failure)"


def operation_kind(device: dict[str, Any], op: dict[str, Any]) -> str:
    """The operation fragment the device acts on; OperationFailed if it supports none of them."""
    supported = [str(s) for s in device.get("c8y_SupportedOperations") or []]
    candidates = [k for k in KNOWN_OPERATIONS if k in op] + [k for k in op if k in supported]
    if not candidates:
        raise OperationFailed("The operation has no fragment the device understands")
    kind = candidates[0]
    if kind not in supported:
        raise OperationFailed(
            f"Operation {kind} is not supported by the device (not in c8y_SupportedOperations)"
        )
    return kind


def apply(state: SandboxState, device: dict[str, Any], op: dict[str, Any], kind: str) -> None:
    """Apply the operation of fragment `kind` to the device; OperationFailed with a reason."""
    body = op.get(kind)
    changes: dict[str, Any] = {}
    if kind == "c8y_Firmware":
        changes["c8y_Firmware"] = _firmware(state, _as_dict(body, kind))
    elif kind in ("c8y_SoftwareUpdate", "c8y_SoftwareList"):
        items = _as_list(body, kind)
        current = [] if kind == "c8y_SoftwareList" else software_mgmt.installed(state, device)
        changes["c8y_SoftwareList"] = _apply_software(state, device, current, items)
    elif kind == "c8y_Software":
        software = _as_dict(body, kind)
        changes["c8y_Software"] = {str(name): str(version) for name, version in software.items()}
    elif kind == "c8y_DownloadConfigFile":
        changes.update(_download_config(state, device, _as_dict(body, kind)))
    elif kind == "c8y_UploadConfigFile":
        config_type = _as_dict(body, kind).get("type")
        if config_type:
            _check_config_type(device, str(config_type))
        changes.update(agent_files.upload_config(state, device, op, config_type))
    elif kind == "c8y_Configuration":
        changes["c8y_Configuration"] = {"config": str(_as_dict(body, kind).get("config", ""))}
    elif kind == "c8y_SendConfiguration":
        text = (device.get("c8y_Configuration") or {}).get("config")
        changes["c8y_Configuration"] = {"config": text or agent_files.config_text(device, None)}
    elif kind == "c8y_DeviceProfile":
        changes.update(_device_profile(state, device, op, _as_dict(body, kind)))
    if changes:
        state.store.update_mo(str(device["id"]), changes)


def _as_dict(value: Any, kind: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise OperationFailed(f"Malformed {kind} fragment: an object is expected")
    return value


def _as_list(value: Any, kind: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise OperationFailed(f"Malformed {kind} fragment: a list of objects is expected")
    return value


def _check_download(state: SandboxState, url: Any) -> None:
    """A real agent downloads the file first: a missing internal binary fails the operation."""
    match = _INTERNAL_BINARY.search(str(url or ""))
    if match and state.store.get("managedObjects", match.group(1)) is None:
        raise OperationFailed(f"Download of {url} failed: 404 Not Found")


def _firmware(state: SandboxState, fw: dict[str, Any]) -> dict[str, Any]:
    if not fw.get("name") or not fw.get("version"):
        raise OperationFailed("Firmware update failed: name and version are required")
    _check_download(state, fw.get("url"))
    reported = {"name": fw["name"], "version": fw["version"], "url": fw.get("url", "")}
    for extra in ("dependency", "isPatch"):  # a patch install (contract §6, rule 14i)
        if extra in fw:
            reported[extra] = fw[extra]
    return reported


def _apply_software(
    state: SandboxState, device: dict[str, Any], current: list[dict[str, Any]], items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """install replaces the same name or is appended, delete removes it (contract §7.4)."""
    types = [str(t) for t in device.get("c8y_SupportedSoftwareTypes") or []]
    result = [dict(item) for item in current]
    for item in items:
        name, software_type = item.get("name"), item.get("softwareType")
        if not name:
            raise OperationFailed("Software update failed: every item needs a name")
        if types and software_type and software_type not in types:
            raise OperationFailed(
                f"Software update failed: software type {software_type!r} is not supported "
                f"(supported: {', '.join(types)})"
            )
        action = item.get("action", "install")
        result = [old for old in result if old.get("name") != name]
        if action == "install":
            _check_download(state, item.get("url"))
            kept = {k: item[k] for k in ("name", "version", "url", "softwareType") if item.get(k) is not None}
            kept.setdefault("version", "")
            kept.setdefault("url", "")
            if types and "softwareType" not in kept:
                kept["softwareType"] = types[0]  # the agent's default plugin
            result.append(kept)
        elif action != "delete":
            raise OperationFailed(f"Software update failed: unknown action {action!r}")
    software_mgmt.replace(state, device, result)
    return result


def _check_config_type(device: dict[str, Any], config_type: str) -> None:
    supported = [str(t) for t in device.get("c8y_SupportedConfigurations") or []]
    if config_type not in supported:
        raise OperationFailed(
            f"Configuration type {config_type!r} is not supported by the device "
            f"(not in c8y_SupportedConfigurations)"
        )


def _download_config(state: SandboxState, device: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    url = spec.get("url")
    config_type = str(spec.get("type") or "")
    _check_download(state, url)
    snapshot = agent_files.find_snapshot(state, url, (spec.get("c8y_ConfigurationDump") or {}).get("id"))
    if config_type:
        _check_config_type(device, config_type)
        name = str((snapshot or {}).get("name") or str(url).rsplit("/", 1)[-1])
        changes: dict[str, Any] = {
            f"c8y_Configuration_{config_type}": {
                "name": name,
                "time": state.store.now(),
                "type": config_type,
                "url": url,
            }
        }
    elif snapshot is None:
        # The UI's hint: external URLs only work with typed devices, not legacy ones (contract §5.3).
        raise OperationFailed(f"Legacy configuration needs a snapshot from the repository; {url} is none")
    else:
        changes = {"c8y_ConfigurationDump": {"id": snapshot["id"]}}
    agent_files.remember_config(state, device, config_type, url)
    return changes


def started(state: SandboxState, device: dict[str, Any], op: dict[str, Any]) -> None:
    """What a device does as it sets an operation EXECUTING: a profile is announced first, with
    `profileExecuted: false` (docs, device-profile fragment: step 2 of 7)."""
    supported = [str(s) for s in device.get("c8y_SupportedOperations") or []]
    if "c8y_DeviceProfile" in op and "c8y_DeviceProfile" in supported:
        state.store.update_mo(str(device["id"]), {"c8y_Profile": _profile_state(op, executed=False)})


def _profile_state(op: dict[str, Any], *, executed: bool) -> dict[str, Any]:
    return {
        "profileId": str(op.get("profileId", "")),
        "profileName": str(op.get("profileName", "")),
        "profileExecuted": executed,
    }


def _require(device: dict[str, Any], step: str, operations: tuple[str, ...]) -> None:
    supported = [str(s) for s in device.get("c8y_SupportedOperations") or []]
    if not any(name in supported for name in operations):
        raise OperationFailed(
            f"Device profile failed at {step}: the device does not support {step} "
            f"({' or '.join(operations)} not in c8y_SupportedOperations)"
        )


def _profile_configuration(
    state: SandboxState, device: dict[str, Any], item: dict[str, Any]
) -> dict[str, Any]:
    """One configuration item of a profile: typed file-based configuration only (docs)."""
    config_type = str(item.get("type") or "")
    if not config_type:
        raise OperationFailed(
            f"Device profile failed at configuration: {item.get('name')!r} has no configuration type "
            "(profiles apply typed configuration only)"
        )
    _check_config_type(device, config_type)
    _check_download(state, item.get("url"))
    name = item.get("name") or config_type
    return {"name": name, "time": state.store.now(), "type": config_type, "url": item.get("url")}


def _device_profile(
    state: SandboxState, device: dict[str, Any], op: dict[str, Any], profile: dict[str, Any]
) -> dict[str, Any]:
    """Firmware, then software, then configuration (the order the docs recommend), each reported as
    it is done; a failing step leaves the earlier ones applied and `profileExecuted` false, as a
    real agent would. Then `c8y_Profile` with `profileExecuted: true`."""
    store, device_id = state.store, str(device["id"])
    if isinstance(profile.get("firmware"), dict) and profile["firmware"]:
        _require(device, "firmware", ("c8y_Firmware",))
        store.update_mo(device_id, {"c8y_Firmware": _firmware(state, profile["firmware"])})
    if profile.get("software"):
        _require(device, "software", ("c8y_SoftwareUpdate", "c8y_SoftwareList", "c8y_Software"))
        items = _as_list(profile["software"], "c8y_DeviceProfile.software")
        current = software_mgmt.installed(state, device)
        store.update_mo(device_id, {"c8y_SoftwareList": _apply_software(state, device, current, items)})
    for item in _as_list(profile.get("configuration") or [], "c8y_DeviceProfile.configuration"):
        reported = _profile_configuration(state, device, item)
        store.update_mo(device_id, {f"c8y_Configuration_{reported['type']}": reported})
    return {"c8y_Profile": _profile_state(op, executed=True)}
