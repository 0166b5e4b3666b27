"""config list|show|add|edit|delete|download: the configuration repository (contract §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from c8ydm.cli.commands import _repo
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

LABEL = "config"
Name = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        autocompletion=complete_names(LABEL),
        show_default=False,
        help="Configuration name or id.",
    ),
]
ConfigType = Annotated[
    str | None,
    typer.Option(
        "--type",
        metavar="CONFIG_TYPE",
        show_default=False,
        help="Configuration type, e.g. tedge.toml (configurationType); none: the legacy snapshot.",
    ),
]
DeviceType = Annotated[
    str | None,
    typer.Option(
        "--device-type", metavar="T", show_default=False, help="Only for devices of this type (deviceType)."
    ),
]
Description = Annotated[
    str | None,
    typer.Option("--description", metavar="D", show_default=False, help="Description (optional)."),
]
File = Annotated[
    Path | None,
    typer.Option("--file", metavar="PATH", show_default=False, help="Upload this file."),
]

group = new_group("""Manage the configuration repository.

Configuration files for devices. NAME is a name or a numeric id. An entry holds one file
(uploaded, or an external URL), an optional configuration type (--type) and an optional device
type (--device-type). Names, descriptions and types are at most 254 characters.

Example:
  c8ydm config add agent-defaults --file tedge.toml --type tedge.toml --device-type c8y_Linux
  c8ydm config list --type tedge.toml""")


@command(group, "list")
def list_configs(
    app: App, name: _repo.NameFilter = None, device_type: DeviceType = None, config_type: ConfigType = None
) -> None:
    """List configurations: name, configuration type, device type, description, file, id.

    --device-type also lists configurations for all device types (no device type).

    Example:
      c8ydm config list --type tedge.toml
      c8ydm config list --device-type c8y_Linux -o json
    """
    from c8ydm.procedures.repository.kinds import CONFIGURATION
    from c8ydm.procedures.repository.manage import ListRequest

    fields = {"configurationType": config_type}
    _repo.list_entries(app, ListRequest(CONFIGURATION, name=name, device_type=device_type, fields=fields))


@command(group, "show")
def show_config(app: App, name: Name) -> None:
    """Show a configuration: description, configuration type, device type, file URL.

    Example:
      c8ydm config show agent-defaults -o json
    """
    from c8ydm.procedures.repository.kinds import CONFIGURATION

    _repo.show(app, CONFIGURATION, name)


@command(group, "add")
def add_config(
    app: App,
    name: Name,
    file: File = None,
    url: _repo.Url = None,
    config_type: ConfigType = None,
    device_type: DeviceType = None,
    description: Description = None,
    if_exists: _repo.IfExistsOpt = _repo.IfExists.fail,
) -> None:
    """Add a configuration from a file (uploaded with a progress bar) or a URL.

    When NAME exists the command fails with exit code 7; with --if-exists skip it reports the entry
    unchanged and exits 0, but only if it holds the same file (size and SHA-256) or URL and the same
    fields; otherwise exit 7. If a step fails, what this run created is removed again. External URLs
    work only for devices with typed configuration, not for legacy snapshots.

    Exit codes: 0 added or unchanged, 2 bad input, 7 exists (or exists with different content).

    Example:
      c8ydm config add agent-defaults --file tedge.toml --type tedge.toml --device-type c8y_Linux
      c8ydm config add broker --url https://files.example.com/mosquitto.conf --type mosquitto.conf
    """
    from c8ydm.procedures.repository.add import AddRequest
    from c8ydm.procedures.repository.kinds import CONFIGURATION

    request = AddRequest(
        CONFIGURATION, name, file=file, url=url, description=description, device_type=device_type,
        if_exists=if_exists.value, fields={"configurationType": config_type},
    )  # fmt: skip
    _repo.add(app, request)


@command(group, "edit")
def edit_config(
    app: App,
    name: Name,
    new_name: _repo.NewName = None,
    file: File = None,
    url: _repo.Url = None,
    config_type: ConfigType = None,
    device_type: DeviceType = None,
    no_device_type: _repo.NoDeviceType = False,
    description: Description = None,
) -> None:
    """Change a configuration with one request; a new file or URL replaces the old one.

    A new file is uploaded first, then the entry is changed to point at it and linked to it, and only
    then is the old uploaded file deleted; if a step fails the entry is put back as it was.

    Example:
      c8ydm config edit agent-defaults --file tedge.toml
      c8ydm config edit agent-defaults --description "Agent defaults v2" --no-device-type
    """
    from c8ydm.procedures.repository.kinds import CONFIGURATION
    from c8ydm.procedures.repository.manage import EditRequest

    request = EditRequest(
        CONFIGURATION,
        name=new_name, description=description, device_type=device_type, clear_device_type=no_device_type,
        fields={"configurationType": config_type}, file=file, url=url,
    )  # fmt: skip
    _repo.edit(app, name, request)


@command(group, "delete")
def delete_config(app: App, name: Name) -> None:
    """Delete a configuration with its uploaded file.

    Asks for confirmation unless --yes is given; without a terminal, --yes is required (exit 2).

    Example:
      c8ydm config delete agent-defaults --yes
    """
    from c8ydm.procedures.repository.kinds import CONFIGURATION

    _repo.delete(app, CONFIGURATION, name, version=None)


@command(group, "download")
def download_config(app: App, name: Name, to: _repo.To = None) -> None:
    """Download a configuration's file; prints path, size and sha256.

    An existing file is replaced only with --yes.

    Example:
      c8ydm config download agent-defaults --to ./configs/
    """
    from c8ydm.procedures.repository.kinds import CONFIGURATION

    _repo.download(app, CONFIGURATION, name, version=None, to=to)
