"""Tenant data of the device-profile tests: a profile "Baseline" (id 50, c8y_Linux) and the repository
entries its pickers find (contract §9.1), scripted on a ``support.repo_mock.ScriptedTenant``.

The picker queries are written out literally, as the UI sends them (§9.1), not built by the code
under test.
"""

from __future__ import annotations

from typing import Any

from support.repo_mock import BASE_URL, MO_PATH, ScriptedTenant, entry_mo, page

PROFILE_ID = "50"
PROFILE_PATH = f"{MO_PATH}/{PROFILE_ID}"
PROFILE_QUERY = "$filter=((type eq 'c8y_Profile') and (name eq 'Baseline'))"
LINUX = "((c8y_Filter.type eq 'c8y_Linux') or ((c8y_Filter.type eq '') or (not(has(c8y_Filter.type)))))"
FW_URL = "https://files.example.com/linux-image/"
SW_URL = "https://files.example.com/sw/"
CONF_URL = f"{BASE_URL}/inventory/binaries/77"


def picker(entry_type: str, name: str, *, legacy_clause: bool = True, clause: str = LINUX) -> str:
    """The picker query of §9.1 for one name (firmware/software: non-legacy and the device type)."""
    head = f"((type eq '{entry_type}') and (name eq '{name}'))"
    if legacy_clause:
        head = f"({head} and (not(has(url))))"
    return f"$filter=({head} and {clause}) $orderby=name asc"


def config_picker(name: str, device_type: str = "c8y_Linux") -> str:
    clause = f"((deviceType eq '{device_type}') or (not(has(deviceType))))"
    head = f"((type eq 'c8y_ConfigurationDump') and (name eq '{name}'))"
    return f"$filter=({head} and {clause}) $orderby=name asc"


def versions_query(entry_id: str) -> str:
    return f"$filter=(bygroupid({entry_id})) $orderby=creationTime.date desc"


def profile_mo(content: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    """The profile as the tenant returns it."""
    body = entry_mo(PROFILE_ID, "Baseline", "c8y_Profile", c8y_Filter={"type": "c8y_Linux"})
    body["c8y_DeviceProfile"] = content if content is not None else {}
    body.update(fields)
    return body


def version(mo_id: str, fragment: str, v: str, url: str, dependency: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": mo_id,
        "type": fragment + "Binary",
        "creationTime": "2024-05-01T12:00:00.000Z",
        fragment: {"version": v, "url": url},
    }
    if dependency is not None:
        body["c8y_Patch"] = {"dependency": dependency}
    return body


FIRMWARE = entry_mo("60", "linux-image", "c8y_Firmware", c8y_Filter={"type": "c8y_Linux"})
FIRMWARE_VERSIONS = [  # newest first
    version("63", "c8y_Firmware", "6.1.3-p1", FW_URL + "p1", dependency="6.1.3"),
    version("62", "c8y_Firmware", "6.1.3", FW_URL + "6.1.3"),
    version("61", "c8y_Firmware", "6.1.2", FW_URL + "6.1.2"),
]
NGINX = entry_mo("70", "nginx", "c8y_Software", softwareType="apt")
MOSQUITTO = entry_mo("71", "mosquitto", "c8y_Software", softwareType="docker", c8y_Filter={"type": ""})
TOOL = entry_mo("72", "tool", "c8y_Software")  # no software type
TEDGE = entry_mo("80", "tedge-base", "c8y_ConfigurationDump", url=CONF_URL, configurationType="tedge.toml")

FW_ITEM = {"name": "linux-image", "version": "6.1.3", "url": FW_URL + "6.1.3"}
NGINX_ITEM = {
    "name": "nginx",
    "version": "1.24.0",
    "url": SW_URL + "nginx",
    "softwareType": "apt",
    "action": "install",
}
MOSQUITTO_ITEM = {
    "name": "mosquitto", "version": "2.0.18", "url": SW_URL + "mosquitto", "softwareType": "docker",
    "action": "install",
}  # fmt: skip
TOOL_ITEM = {"name": "tool", "version": "1.0", "url": SW_URL + "tool", "action": "install"}
TEDGE_ITEM = {"url": CONF_URL, "name": "tedge-base", "type": "tedge.toml"}


def script_repository(tenant: ScriptedTenant) -> None:
    """Every entry and its versions, found by the pickers of a c8y_Linux profile."""
    tenant.on("GET", MO_PATH, page([FIRMWARE]), query=picker("c8y_Firmware", "linux-image"))
    tenant.on("GET", MO_PATH, page(FIRMWARE_VERSIONS), query=versions_query("60"))
    for entry, item in ((NGINX, NGINX_ITEM), (MOSQUITTO, MOSQUITTO_ITEM), (TOOL, TOOL_ITEM)):
        tenant.on("GET", MO_PATH, page([entry]), query=picker("c8y_Software", str(entry["name"])))
        soft = version(str(int(entry["id"]) + 100), "c8y_Software", item["version"], item["url"])
        tenant.on("GET", MO_PATH, page([soft]), query=versions_query(str(entry["id"])))
    tenant.on("GET", MO_PATH, page([TEDGE]), query=config_picker("tedge-base"))


class StoredProfile:
    """The profile on a tenant that replaces top-level fragments (§1.8): a PUT applies its body
    (``null`` removes a key), a GET returns the profile as it now is."""

    def __init__(self, before: dict[str, Any]) -> None:
        self.current = dict(before)

    def put(self, body: dict[str, Any] | None) -> dict[str, Any]:
        for key, value in (body or {}).items():
            if value is None:
                self.current.pop(key, None)
            else:
                self.current[key] = value
        return dict(self.current)

    def get(self, _: Any) -> dict[str, Any]:
        return dict(self.current)


def script_profile(tenant: ScriptedTenant, before: dict[str, Any]) -> StoredProfile:
    """The profile found by name; PUT and the re-read GET answered as a replacing tenant would."""
    stored = StoredProfile(before)
    tenant.on("GET", MO_PATH, page([before]), query=PROFILE_QUERY)
    tenant.on("PUT", PROFILE_PATH, stored.put)
    tenant.on("GET", PROFILE_PATH, stored.get)
    return stored
