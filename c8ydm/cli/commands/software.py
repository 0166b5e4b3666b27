"""software list|show|add|edit|delete|download: the software repository (contract §4)."""

from __future__ import annotations

from typing import Annotated

import typer

from c8ydm.cli.commands import _repo
from c8ydm.cli.context import App
from c8ydm.cli.options import command, complete_names, new_group

LABEL = "software"
Name = Annotated[
    str,
    typer.Argument(
        metavar="NAME", autocompletion=complete_names(LABEL), show_default=False, help="Software name or id."
    ),
]
SoftwareType = Annotated[
    str | None,
    typer.Option(
        "--software-type", metavar="S", show_default=False, help="Software type, e.g. apt (softwareType)."
    ),
]
OptionalVersion = Annotated[
    str | None, typer.Option("--version", metavar="V", show_default=False, help="Only this version.")
]

group = new_group("""Manage the software repository: entries and their versions.

NAME is a name or a numeric id.

Example:
  c8ydm software list --software-type apt
  c8ydm software add nginx --version 1.24.0 --url https://nginx.org/download/nginx-1.24.0.tar.gz \\
    --description "Web server" --software-type apt""")


@command(group, "list")
def list_software(
    app: App,
    name: _repo.NameFilter = None,
    device_type: _repo.DeviceType = None,
    software_type: SoftwareType = None,
) -> None:
    """List software: name, software type, device type, number of versions, id.

    --device-type also lists software for all device types (no or empty device type).

    Example:
      c8ydm software list --software-type apt
      c8ydm software list --name 'ng*' -o json
    """
    from c8ydm.procedures.repository.kinds import SOFTWARE
    from c8ydm.procedures.repository.manage import ListRequest

    fields = {"softwareType": software_type}
    _repo.list_entries(app, ListRequest(SOFTWARE, name=name, device_type=device_type, fields=fields))


@command(group, "show")
def show_software(app: App, name: Name) -> None:
    """Show a software: description, software type, device type, versions newest first.

    Example:
      c8ydm software show nginx
      c8ydm software show nginx -o json
    """
    from c8ydm.procedures.repository.kinds import SOFTWARE

    _repo.show(app, SOFTWARE, name)


@command(group, "add")
def add_software(
    app: App,
    name: Name,
    version: _repo.Version_,
    file: _repo.File = None,
    url: _repo.Url = None,
    description: _repo.Description = None,
    device_type: _repo.DeviceType = None,
    software_type: SoftwareType = None,
    if_exists: _repo.IfExistsOpt = _repo.IfExists.fail,
) -> None:
    """Add a software version from a file or a URL.

    A new software entry is created when NAME does not exist yet; it needs --description and
    --software-type. A file is uploaded with a progress bar on stderr. When the version already
    exists the command fails with exit code 7, or with --if-exists skip reports it unchanged and
    exits 0. If a step fails, what this run created is removed again.

    Exit codes: 0 added or unchanged, 2 bad input, 4 not found, 7 the version exists.

    Example:
      c8ydm software add nginx --version 1.24.0 --file nginx_1.24.0.deb \\
        --description "Web server" --software-type apt
      c8ydm software add nginx --version 1.25.0 --url https://files.example.com/nginx_1.25.0.deb
    """
    from c8ydm.procedures.repository.add import AddRequest
    from c8ydm.procedures.repository.kinds import SOFTWARE

    request = AddRequest(
        SOFTWARE, name, version, file=file, url=url, description=description, device_type=device_type,
        if_exists=if_exists.value, fields={"softwareType": software_type},
    )  # fmt: skip
    _repo.add(app, request)


@command(group, "edit")
def edit_software(
    app: App,
    name: Name,
    new_name: _repo.NewName = None,
    description: _repo.NewDescription = None,
    device_type: _repo.DeviceType = None,
    no_device_type: _repo.NoDeviceType = False,
    software_type: SoftwareType = None,
) -> None:
    """Change a software's name, description, device type or software type (one request per field).

    Example:
      c8ydm software edit nginx --software-type docker
      c8ydm software edit nginx --no-device-type
    """
    from c8ydm.procedures.repository.kinds import SOFTWARE
    from c8ydm.procedures.repository.manage import EditRequest

    request = EditRequest(
        SOFTWARE,
        name=new_name, description=description, device_type=device_type, clear_device_type=no_device_type,
        fields={"softwareType": software_type},
    )  # fmt: skip
    _repo.edit(app, name, request)


@command(group, "delete")
def delete_software(app: App, name: Name, version: OptionalVersion = None) -> None:
    """Delete a software with all its versions, or one version.

    Deleting the only version deletes the whole software; the confirmation says so. Asks for
    confirmation unless --yes is given; without a terminal, --yes is required (exit 2).
    Answering no deletes nothing (exit 0).

    Example:
      c8ydm software delete nginx --version 1.24.0 --yes
      c8ydm software delete nginx --dry-run
    """
    from c8ydm.procedures.repository.kinds import SOFTWARE

    _repo.delete(app, SOFTWARE, name, version=version)


@command(group, "download")
def download_software(app: App, name: Name, version: _repo.Version_, to: _repo.To = None) -> None:
    """Download a software version's file; prints path, size and sha256.

    An existing file is replaced only with --yes.

    Example:
      c8ydm software download nginx --version 1.24.0 --to ./downloads/
    """
    from c8ydm.procedures.repository.kinds import SOFTWARE

    _repo.download(app, SOFTWARE, name, version=version, to=to)
