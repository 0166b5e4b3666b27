"""Which existing operations may be copied to a whole group (issue 14; contract §7.4, §8.1, §9.2, §11.3).

``bulk create --from-operation`` copies one device's operation to many devices. Two kinds of source
would surprise a fleet, so they are refused (exit 2) unless the user says otherwise:

- An operation whose fragment is the device's WHOLE state, not a change. Copied, every target gets
  exactly the source device's state, and whatever it had besides is gone. Decided per fragment:

  - ``c8y_SoftwareList`` (refused): §7.4 "the complete desired list"; software not in it is removed.
  - ``c8y_Software`` (refused): §7.4 "the complete desired map".
  - ``c8y_Configuration`` (refused): §8.1, the device's whole configuration text, its per-device
    values included.
  - ``c8y_DeviceProfile`` (accepted): §9.2/§11.3, a profile IS the desired state of a fleet (the
    UI's own bulk prototype), and its software items are installs.
  - ``c8y_SoftwareUpdate`` (accepted): §7.4, a list of changes, the same for every device.
  - ``c8y_Firmware``, ``c8y_DownloadConfigFile`` (accepted): one version or file, the UI's bulk
    prototypes (§11.3).

  ``--software NAME@VERSION`` builds an install-only prototype instead (the hint names the
  installs the source made when its description follows the UI's template, §7.4), for devices that
  support ``c8y_SoftwareUpdate``; ``device install`` serves the others from their own lists;
  ``--allow-full-state`` copies it anyway.
- An operation that FAILED: copying it repeats what already failed; ``--force`` copies it anyway.
"""

from __future__ import annotations

import re

from c8ydm.api.errors import InputError
from c8ydm.api.models.devicecontrol import Operation, OperationStatus

FULL_STATE_FRAGMENTS: dict[str, str] = {
    "c8y_SoftwareList": "the complete software list of device {device}: every device would get exactly "
    "that list, and software not in it would be removed",
    "c8y_Software": "the complete software map of device {device}: every device would get exactly that "
    "software, and anything else would be removed",
    "c8y_Configuration": "the whole text configuration of device {device}: every device would get the "
    "same text, its own values replaced",
}
# §7.4's description template: install "A" (version: 1.0), delete "B" (version: 2.0)
_INSTALL = re.compile(r'install "([^"]+)" \(version: ([^)]+)\)')


def full_state_fragment(operation: Operation) -> str | None:
    """The first fragment of the operation that sets a device's whole state, if any."""
    body = operation.to_body()
    return next((name for name in FULL_STATE_FRAGMENTS if name in body), None)


def _install_hint(operation: Operation) -> str:
    installs = _INSTALL.findall(operation.description or "")
    options = " ".join(f"--software {name}@{version}" for name, version in installs)
    example = options or "--software NAME@VERSION"
    # A bulk software prototype is a c8y_SoftwareUpdate (§11.3): devices that only take a full list
    # (the very devices whose operations are full lists) are served per device, from their own list.
    return (
        f"to install and keep each device's other software: bulk create {example} (devices with "
        f"c8y_SoftwareUpdate), or device install DEVICE {example} (any device); "
        "--allow-full-state copies the list anyway"
    )


def check_source(operation: Operation, *, allow_full_state: bool = False, force: bool = False) -> None:
    """InputError (exit 2) for a source that would surprise a fleet; see the module docstring."""
    device = operation.device_name or operation.device_id or "?"
    fragment = full_state_fragment(operation)
    if fragment is not None and not allow_full_state:
        meaning = FULL_STATE_FRAGMENTS[fragment].format(device=device)
        hint = _install_hint(operation) if fragment != "c8y_Configuration" else None
        raise InputError(
            f"operation {operation.id} carries {fragment}, {meaning}",
            hint=hint or "to copy it anyway, add --allow-full-state",
        )
    if operation.status is OperationStatus.FAILED and not force:
        raise InputError(
            f"operation {operation.id} FAILED on device {device} "
            f"({operation.failure_reason or 'no reason given'}); a copy would repeat what failed",
            hint="add --force to copy it anyway",
        )


__all__ = ["FULL_STATE_FRAGMENTS", "check_source", "full_state_fragment"]
