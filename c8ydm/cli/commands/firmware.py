"""firmware list|show|add|edit|delete|download: the firmware repository (contract §3)."""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.cli.commands import _repo
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

LABEL = "firmware"
Name = Annotated[
    str,
    typer.Argument(
        metavar="NAME", autocompletion=complete_names(LABEL), show_default=False, help="Firmware name or id."
    ),
]
Patch = Annotated[
    str | None,
    typer.Option(
        "--patch", metavar="P", show_default=False, help="A patch of the version given with --version."
    ),
]
OptionalVersion = Annotated[
    str | None, typer.Option("--version", metavar="V", show_default=False, help="Only this version.")
]

group = new_group("""Manage the firmware repository: entries, versions and patches.

A firmware entry has versions; a version may have patches. NAME is a name or a numeric id.

Example:
  c8ydm firmware list
  c8ydm firmware add router-fw --version 1.0.0 --file fw-1.0.0.bin --description "Router firmware"
  c8ydm firmware show router-fw""")


@command(group, "list")
def list_firmware(app: App, name: _repo.NameFilter = None, device_type: _repo.DeviceType = None) -> None:
    """List firmware: name, device type, number of versions, id.

    --device-type also lists firmware for all device types (no or empty device type).

    Example:
      c8ydm firmware list --name 'router*'
      c8ydm firmware list --device-type c8y_Linux -o json
    """
    from c8ydm.procedures.repository.kinds import FIRMWARE
    from c8ydm.procedures.repository.manage import ListRequest

    _repo.list_entries(app, ListRequest(FIRMWARE, name=name, device_type=device_type))


@command(group, "show")
def show_firmware(app: App, name: Name) -> None:
    """Show a firmware: description, device type, versions newest first with their patches.

    Example:
      c8ydm firmware show router-fw
      c8ydm firmware show router-fw -o json
    """
    from c8ydm.procedures.repository.kinds import FIRMWARE

    _repo.show(app, FIRMWARE, name)


@command(group, "add")
def add_firmware(
    app: App,
    name: Name,
    version: _repo.Version_,
    file: _repo.File = None,
    url: _repo.Url = None,
    patch: Patch = None,
    description: _repo.Description = None,
    device_type: _repo.DeviceType = None,
    if_exists: _repo.IfExistsOpt = _repo.IfExists.fail,
) -> None:
    """Add a firmware version (or, with --patch, a patch of version V) from a file or a URL.

    A new firmware entry is created when NAME does not exist yet; it needs --description. A file
    is uploaded with a progress bar on stderr. When the version already exists the command fails
    with exit code 7, or with --if-exists skip reports it unchanged and exits 0. If a step fails,
    what this run created is removed again.

    Exit codes: 0 added or unchanged, 2 bad input, 4 firmware or base version not found,
    7 the version exists (--if-exists fail).

    Example:
      c8ydm firmware add router-fw --version 1.0.0 --file fw-1.0.0.bin --description "Router firmware"
      c8ydm firmware add router-fw --version 1.1.0 --url https://files.example.com/fw-1.1.0.bin
      c8ydm firmware add router-fw --version 1.0.0 --patch 1.0.1 --file fw-1.0.1.patch
      c8ydm firmware add router-fw --version 1.0.0 --file fw.bin --if-exists skip
    """
    from c8ydm.procedures.repository.add import AddRequest
    from c8ydm.procedures.repository.kinds import FIRMWARE

    request = AddRequest(
        FIRMWARE, name, version, file=file, url=url, description=description, device_type=device_type,
        patch=patch, if_exists=if_exists.value,
    )  # fmt: skip
    _repo.add(app, request)


@command(group, "edit")
def edit_firmware(
    app: App,
    name: Name,
    new_name: _repo.NewName = None,
    description: _repo.NewDescription = None,
    device_type: _repo.DeviceType = None,
    no_device_type: _repo.NoDeviceType = False,
) -> None:
    """Change a firmware's name, description or device type (one request per field).

    Example:
      c8ydm firmware edit router-fw --description "Router firmware, EU models"
      c8ydm firmware edit router-fw --name router-firmware --no-device-type
    """
    from c8ydm.procedures.repository.kinds import FIRMWARE
    from c8ydm.procedures.repository.manage import EditRequest

    request = EditRequest(
        FIRMWARE,
        name=new_name,
        description=description,
        device_type=device_type,
        clear_device_type=no_device_type,
    )
    _repo.edit(app, name, request)


@command(group, "delete")
def delete_firmware(app: App, name: Name, version: OptionalVersion = None, patch: Patch = None) -> None:
    """Delete a firmware with all its versions, one version with its patches, or one patch.

    Deleting the only version deletes the whole firmware; the confirmation says so. Asks for
    confirmation unless --yes is given; without a terminal, --yes is required (exit 2).
    Answering no deletes nothing (exit 0).

    Example:
      c8ydm firmware delete router-fw --version 1.0.0 --patch 1.0.1 --yes
      c8ydm firmware delete router-fw --version 1.0.0
      c8ydm firmware delete router-fw --dry-run
    """
    from c8ydm.procedures.repository.kinds import FIRMWARE

    _repo.delete(app, FIRMWARE, name, version=version, patch=patch)


@command(group, "download")
def download_firmware(
    app: App, name: Name, version: _repo.Version_, patch: Patch = None, to: _repo.To = None
) -> None:
    """Download a firmware version's (or patch's) file; prints path, size and sha256.

    An existing file is replaced only with --yes.

    Example:
      c8ydm firmware download router-fw --version 1.0.0 --to ./downloads/
      c8ydm firmware download router-fw --version 1.0.0 --patch 1.0.1 --to fw.patch -o json
    """
    from c8ydm.procedures.repository.kinds import FIRMWARE

    _repo.download(app, FIRMWARE, name, version=version, patch=patch, to=to)
