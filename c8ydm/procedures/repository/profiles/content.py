"""What a device profile holds, read and merged without any request (contract §9.1, rule 14(k)).

``c8y_DeviceProfile`` is ``{"firmware": {...}, "software": [...], "configuration": [...]}``; every key
is optional. Merges follow §9.1: software unique by ``name``, configuration unique by ``type`` (an
item without a type is one more "type": a profile holds at most one untyped configuration), the new
item wins. c8ydm keeps the existing order, replaces an item in place and appends new ones (the
contract names the key, not the order).

Software-type markers (§9.1): on every PUT that carries ``c8y_DeviceProfile.software``, each existing
top-level ``softwareType!<X>`` key is set to ``null`` and ``"softwareType!<Y>": {}`` is added for each
distinct ``softwareType`` of the new list. Rule 14(k): only typed items get a marker (never the UI's
``softwareType!undefined``); an existing ``softwareType!undefined`` is nulled like any other.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from c8ydm.api.models.inventory import ManagedObject

FRAGMENT = "c8y_DeviceProfile"
MARKER_PREFIX = "softwareType!"
AREAS = ("firmware", "software", "configuration")  # §9.1's keys, in the order devices apply them


def content_of(entry: ManagedObject) -> dict[str, Any]:
    """A deep copy of the profile's ``c8y_DeviceProfile`` (``{}`` when absent or malformed)."""
    value = entry.fragment(FRAGMENT)
    return copy.deepcopy(value) if isinstance(value, dict) else {}


def firmware_of(content: Mapping[str, Any]) -> dict[str, Any] | None:
    """The firmware item, if the profile has one."""
    value = content.get("firmware")
    return dict(value) if isinstance(value, dict) and value else None


def software_of(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The software items (objects only)."""
    value = content.get("software")
    return [dict(item) for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def configuration_of(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The configuration items (objects only)."""
    value = content.get("configuration")
    return [dict(item) for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def is_empty(content: Mapping[str, Any]) -> bool:
    """No firmware, software or configuration: only then may the device type change (§9.1)."""
    return firmware_of(content) is None and not software_of(content) and not configuration_of(content)


def item_counts(content: Mapping[str, Any]) -> dict[str, int]:
    """``{"firmware": 0|1, "software": n, "configuration": n}``."""
    return {
        "firmware": 1 if firmware_of(content) is not None else 0,
        "software": len(software_of(content)),
        "configuration": len(configuration_of(content)),
    }


def markers_of(entry: ManagedObject) -> list[str]:
    """The entry's ``softwareType!<x>`` keys (present and not null), in the entry's order."""
    return [
        key for key, value in entry.to_body().items() if key.startswith(MARKER_PREFIX) and value is not None
    ]


def marker_types(entry: ManagedObject) -> list[str]:
    """The software types the markers name (``softwareType!apt`` → ``apt``)."""
    return [key.removeprefix(MARKER_PREFIX) for key in markers_of(entry)]


def software_types(items: Iterable[Mapping[str, Any]]) -> list[str]:
    """The distinct non-empty ``softwareType`` values, in first-seen order."""
    return list(dict.fromkeys(str(item["softwareType"]) for item in items if item.get("softwareType")))


def marker_body(existing: Sequence[str], software: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """§9.1's markers for a PUT carrying ``software``: existing ones null, the new list's types ``{}``."""
    body: dict[str, Any] = {key: None for key in existing}
    body.update({MARKER_PREFIX + name: {} for name in software_types(software)})
    return body


def _merged(
    existing: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]], key: str
) -> list[dict[str, Any]]:
    merged = [dict(item) for item in existing]
    for item in new:
        index = next((i for i, old in enumerate(merged) if old.get(key) == item.get(key)), None)
        if index is None:
            merged.append(dict(item))
        else:
            merged[index] = dict(item)
    return merged


def merge_software(existing: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """§9.1: unique by ``name``, the new item wins (replaced in place, else appended)."""
    return _merged(existing, new, "name")


def merge_configuration(
    existing: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """§9.1: unique by ``type`` (absent counts as one type), the new item wins."""
    return _merged(existing, new, "type")


def ordered(content: Mapping[str, Any]) -> dict[str, Any]:
    """The fragment with §9.1's keys first (firmware, software, configuration), other keys after."""
    first = {key: content[key] for key in AREAS if key in content}
    return {**first, **{key: value for key, value in content.items() if key not in AREAS}}


@dataclass(frozen=True)
class ProfileItem:
    """One line of a profile for people and CSV: what it installs."""

    area: str  # firmware, software, configuration
    name: str | None
    version: str | None
    url: str | None
    type: str | None = None  # software: softwareType; configuration: the configuration type
    is_patch: bool = False

    def as_row(self) -> dict[str, Any]:
        """``{"area","name","version","type","url"[,"isPatch"]}``."""
        row: dict[str, Any] = {
            "area": self.area,
            "name": self.name,
            "version": self.version,
            "type": self.type,
            "url": self.url,
        }
        if self.is_patch:
            row["isPatch"] = True
        return row


def profile_items(content: Mapping[str, Any]) -> list[ProfileItem]:
    """The firmware, then the software, then the configuration items."""
    items: list[ProfileItem] = []
    firmware = firmware_of(content)
    if firmware is not None:
        items.append(
            ProfileItem(
                "firmware", _text(firmware.get("name")), _text(firmware.get("version")),
                _text(firmware.get("url")), is_patch=bool(firmware.get("isPatch")),
            )
        )  # fmt: skip
    items += [
        ProfileItem("software", _text(s.get("name")), _text(s.get("version")), _text(s.get("url")),
                    _text(s.get("softwareType")))
        for s in software_of(content)
    ]  # fmt: skip
    items += [
        ProfileItem("configuration", _text(c.get("name")), None, _text(c.get("url")), _text(c.get("type")))
        for c in configuration_of(content)
    ]
    return items


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
