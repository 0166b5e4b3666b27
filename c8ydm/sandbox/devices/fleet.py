"""The simulated devices' documents: five capability profiles in a fixed round robin (see seed.py).

``device_document(index)`` is deterministic: the same index always gives the same device, so a seed
interrupted halfway resumes exactly where it stopped.
"""

from __future__ import annotations

from typing import Any

_CONFIG_OPS = ["c8y_UploadConfigFile", "c8y_DownloadConfigFile"]
_TEXT_OPS = ["c8y_Configuration", "c8y_SendConfiguration"]
# (kind, type, serial prefix, supported operations, software types, configuration types, uses ASM)
PROFILES: tuple[tuple[str, str, str, list[str], list[str], list[str], bool], ...] = (
    (
        "linux",
        "c8y_Linux",
        "LNX",
        ["c8y_Firmware", "c8y_SoftwareUpdate", "c8y_DeviceProfile", *_CONFIG_OPS],
        ["apt", "docker"],
        ["tedge.toml", "mosquitto.conf"],
        True,
    ),
    ("gateway", "c8y_Gateway", "GW", ["c8y_Firmware", "c8y_SoftwareList", *_CONFIG_OPS], [], [], False),
    ("linux", "c8y_Linux", "LNX", ["c8y_SoftwareUpdate", *_TEXT_OPS], ["apt"], [], False),
    (
        "gateway",
        "c8y_Gateway",
        "GW",
        ["c8y_Firmware", "c8y_Software", *_CONFIG_OPS],
        [],
        ["gateway.json"],
        False,
    ),
    (
        "linux",
        "c8y_Linux",
        "LNX",
        ["c8y_Firmware", "c8y_SoftwareUpdate", "c8y_DeviceProfile", *_TEXT_OPS],
        [],
        [],
        True,
    ),
)
_LINUX_FIRMWARE = ("5.10.1", "5.15.0", "6.1.2")
# Device index -> its agent's private quirks (never rendered): a slow and a failing configuration agent.
_AGENT_QUIRKS: dict[int, dict[str, Any]] = {
    10: {"configurationDelayFactor": 12},
    13: {"failsConfiguration": True},
}
_APT_PACKAGES = (("openssl", "3.0.2"), ("curl", "7.81.0"), ("nginx", "1.18.0"), ("collectd", "5.12.0"))


def _firmware(index: int, device_type: str) -> dict[str, Any]:
    if device_type == "c8y_Linux":
        version = _LINUX_FIRMWARE[index % len(_LINUX_FIRMWARE)]
        return {
            "name": "linux-image",
            "version": version,
            "url": f"https://firmware.example.com/linux-image/{version}.img",
        }
    if index % len(PROFILES) == 3:  # gateway profile 4: a patch on top of 2.4.0
        return {"name": "gw-os", "version": "2.4.0-p1", "url": "", "dependency": "2.4.0", "isPatch": True}
    return {"name": "gw-os", "version": "2.3.1", "url": ""}


def _software(index: int, types: list[str]) -> list[dict[str, Any]]:
    packages = [_APT_PACKAGES[(index + k) % len(_APT_PACKAGES)] for k in range(2)]
    items = [{"name": name, "version": version, "url": ""} for name, version in packages]
    if types:
        for item in items:
            item["softwareType"] = "apt"
    if "docker" in types:
        items.append({"name": "mosquitto", "version": "2.0.15", "url": "", "softwareType": "docker"})
    return items


def device_document(index: int) -> tuple[str, dict[str, Any], bool]:
    """(serial, managed object, uses advanced software management) of the device number `index`."""
    kind, device_type, prefix, operations, types, configs, uses_asm = PROFILES[index % len(PROFILES)]
    name, serial = f"{kind}-{index + 1:04d}", f"{prefix}{index + 1:06d}"
    doc: dict[str, Any] = {
        "name": name,
        "type": device_type,
        "c8y_IsDevice": {},
        "com_cumulocity_model_Agent": {},
        "c8y_Hardware": {"serialNumber": serial, "model": f"{kind.title()} Sim", "revision": "1.0"},
        "c8y_SupportedOperations": [*operations, "c8y_Restart"],
    }
    if "c8y_Firmware" in operations:
        doc["c8y_Firmware"] = _firmware(index, device_type)
    if types:
        doc["c8y_SupportedSoftwareTypes"] = list(types)
    if configs:
        doc["c8y_SupportedConfigurations"] = list(configs)
    if "c8y_Software" in operations:
        doc["c8y_Software"] = {"collectd": "5.12.0", "tedge-agent": "0.9.0"}
    elif any(op in operations for op in ("c8y_SoftwareUpdate", "c8y_SoftwareList")):
        doc["c8y_SoftwareList"] = _software(index, types)
    if "c8y_Configuration" in operations:
        doc["c8y_Configuration"] = {"config": f"# {name}\nlog_level=info\nreport_interval=60\n"}
    if index in _AGENT_QUIRKS:
        doc["_agent"] = dict(_AGENT_QUIRKS[index])
    return serial, doc, uses_asm
