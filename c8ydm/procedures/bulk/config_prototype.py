"""Configuration as a bulk operation: the UI's prototype (§11.3) and the checks of the selection.

    {"description": "Update configuration to: <name>.",
     "c8y_DownloadConfigFile": {"type": "<configurationType>", "url": "<url>"}, "c8ydm_Origin": {…}}

An entry without a configuration type (the legacy pseudo-type) has no ``type`` in the fragment: the
UI's prototype would carry an undefined value, which JSON leaves out. Such an entry must be in the
tenant: legacy devices cannot fetch external URLs (§5.3), so one with an external URL is refused.

The selection is read once before anything is created (``selection``): devices of another type than
the entry's ``deviceType`` make the command refuse (exit 2, naming how many); devices that do not
declare the configuration type (or, for a legacy entry, do not support ``c8y_DownloadConfigFile``)
are reported as warnings: their operations will fail, harmlessly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from c8ydm.api.client import Client
from c8ydm.api.conventions import is_internal_url
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.bulk.prototypes import Prototype
from c8ydm.procedures.bulk.selection import Rule, check_device_type, survey_selection
from c8ydm.procedures.device.config_send import EXTERNAL_URL_REASON, entry_config_type
from c8ydm.procedures.device.configuration import configuration_types, supported_operations
from c8ydm.procedures.device.pending import CONFIG_DOWNLOAD
from c8ydm.procedures.origin import with_origin
from c8ydm.procedures.repository.kinds import CONFIGURATION
from c8ydm.procedures.repository.lookup import resolve_entry


def configuration_bulk_description(name: str) -> str:
    """The UI's bulk template (§11.3): ``Update configuration to: <name>.``"""
    return f"Update configuration to: {name}."


def configuration_prototype(client: Client, name: str, *, run_id: str | None = None) -> Prototype:
    """The configuration bulk prototype for an entry (GET the entry, §3.3 lookup)."""
    entry = resolve_entry(client, CONFIGURATION, name)
    config_type = entry_config_type(entry)
    url = str(entry.fragment("url") or "")
    if config_type is None and not is_internal_url(url):
        raise InputError(f"configuration {entry.name!r} has an external URL: {EXTERNAL_URL_REASON}")
    fragment = {"type": config_type, "url": url} if config_type is not None else {"url": url}
    body = {"description": configuration_bulk_description(str(entry.name)), CONFIG_DOWNLOAD: fragment}
    wanted = CONFIGURATION.device_type_of(entry)
    return Prototype(with_origin(body, run_id), {str(entry.name): wanted} if wanted else {})


@dataclass
class SelectionCheck:
    """What the check of the selection found: how many devices, warnings for people."""

    total: int | None = None
    warnings: list[str] = field(default_factory=list)


def _support_rule(config_type: str | None) -> tuple[str, Rule]:
    if config_type is None:
        return (
            f"support for {CONFIG_DOWNLOAD}",
            lambda device: CONFIG_DOWNLOAD in supported_operations(device),
        )
    return (
        f"the configuration type {config_type!r} (c8y_SupportedConfigurations)",
        lambda device: config_type in configuration_types(device),
    )


def check_configuration_selection(
    client: Client,
    prototype: Prototype,
    *,
    group: ManagedObject | None = None,
    device_query: str | None = None,
) -> SelectionCheck:
    """Refuse devices of another type than the entry's (exit 2); warn about devices without support
    for its configuration type. Reads the selection once (``selection``)."""
    fragment = prototype.body.get(CONFIG_DOWNLOAD) or {}
    label, rule = _support_rule(fragment.get("type"))
    filters = list(prototype.device_types.items())  # one entry: at most one device type
    if filters:
        name, device_type = filters[0]
        selection = check_device_type(
            client, f"configuration {name!r}", device_type, group=group, device_query=device_query,
            more_rules={label: rule},
        )  # fmt: skip
    else:
        selection = survey_selection(client, {label: rule}, group=group, device_query=device_query)
    check = SelectionCheck(selection.total)
    missing = selection.count(label)
    if missing:
        verb = "lacks" if missing == 1 else "lack"
        check.warnings.append(
            f"{missing} of the {selection.total} selected devices {verb} {label}: their operations will fail"
        )
    return check
