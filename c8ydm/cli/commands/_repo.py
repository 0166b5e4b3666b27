"""The repository commands' shared bodies and options: one code path for every repository kind.

``firmware.py``, ``software.py`` (and each further kind's module) declare their options, build a
typed request (``AddRequest``, ``ListRequest``, ``EditRequest`` with the kind's spec) and call these.
Procedures (and with them httpx and pydantic) are imported only when a command runs, so ``--help``
stays fast. The printed document and columns come from ``cli/views/repository.py``. Under
``--dry-run`` stdout carries only the client's request records.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from c8ydm.cli.completion import VERSIONS_SUFFIX
from c8ydm.cli.context import App

if TYPE_CHECKING:
    from c8ydm.procedures.repository.add import AddRequest
    from c8ydm.procedures.repository.kinds import RepoKind
    from c8ydm.procedures.repository.manage import EditRequest, ListRequest


class IfExists(str, Enum):
    fail = "fail"
    skip = "skip"


Version_ = Annotated[
    str, typer.Option("--version", metavar="V", show_default=False, help="The version, e.g. 1.0.0.")
]
File = Annotated[
    Path | None,
    typer.Option(
        "--file", metavar="PATH", show_default=False, help="Upload this file as the version's binary."
    ),
]
Url = Annotated[
    str | None,
    typer.Option(
        "--url", metavar="URL", show_default=False, help="Use this URL instead of uploading a file."
    ),
]
Description = Annotated[
    str | None,
    typer.Option(
        "--description", metavar="TEXT", show_default=False, help="Description (required for a new entry)."
    ),
]
NewDescription = Annotated[  # edit: the entry exists, so nothing is "required for a new entry" here
    str | None,
    typer.Option("--description", metavar="TEXT", show_default=False, help="The new description."),
]
DeviceType = Annotated[
    str | None,
    typer.Option(
        "--device-type",
        metavar="TYPE",
        show_default=False,
        help="Only for devices of this type (c8y_Filter.type).",
    ),
]
IfExistsOpt = Annotated[
    IfExists,
    typer.Option(
        "--if-exists",
        case_sensitive=False,
        help="When the version already exists: fail (exit 7) or skip (exit 0, reported as unchanged).",
    ),
]
NameFilter = Annotated[
    str | None,
    typer.Option("--name", metavar="PATTERN", show_default=False, help="Name, with * as a wildcard."),
]
NewName = Annotated[
    str | None, typer.Option("--name", metavar="NEW", show_default=False, help="Rename the entry.")
]
NoDeviceType = Annotated[
    bool, typer.Option("--no-device-type", help="Clear the device type: the entry applies to all devices.")
]
To = Annotated[
    str | None,  # not Path: a trailing "/" (a directory, created if missing) must survive parsing
    typer.Option(
        "--to",
        metavar="PATH",
        show_default=False,
        help="File, or directory (an existing one, or a path ending in /, created). Default: here.",
    ),
]


def add(app: App, request: AddRequest) -> None:
    """Plan, then upload (with a progress bar) and create, or report the existing version unchanged."""
    from c8ydm.cli.views.repository import add_view
    from c8ydm.procedures.repository.add import execute_add, plan_add

    client = app.client()  # the request was checked when it was made: exit 2 even without a session
    plan = plan_add(client, request)
    file = request.file
    if file is not None and not plan.is_unchanged and not app.options.dry_run:
        with app.upload_progress(file.name, file.stat().st_size) as bar:
            result = execute_add(client, plan, on_bytes=bar.advance, on_undo=app.message)
    else:
        result = execute_add(client, plan, on_undo=app.message)
    if app.options.dry_run:
        return app.message("Dry run: nothing was created.")
    kind = request.kind
    if kind.versions is not None:
        shown = request.patch if request.patch is not None else request.version
        what = f" {'patch' if request.patch is not None else 'version'} {shown}"
    else:
        what = ""
    app.message(f"{kind.label} {result.entry.name!r}{what}: {result.status}.")
    _remember(app, kind, result.entry.name, [request.version] if request.patch is None else [])
    app.show(add_view(result))


def list_entries(app: App, request: ListRequest) -> None:
    """List entries (with version counts); their names go to the completion cache."""
    from c8ydm.cli.views.repository import list_view
    from c8ydm.procedures.repository.manage import list_entries as list_

    rows = list_(app.client(), request)
    is_filtered = request.name is not None or request.device_type is not None or bool(request.given_fields())
    app.remember_names(
        request.kind.command, [row.entry.name or "" for row in rows], is_complete=not is_filtered
    )
    if request.kind.versions is not None and any(row.version_count is None for row in rows):
        app.warning("Some version counts are missing: the tenant gives this user no totals.")
    app.show(list_view(request.kind, rows))


def show(app: App, kind: RepoKind, name: str) -> None:
    """The entry, then its versions (table); the entry and version MOs (json)."""
    from c8ydm.cli.views.repository import show_view
    from c8ydm.procedures.repository.manage import show_entry

    details = show_entry(app.client(), kind, name)
    _remember(app, kind, details.entry.name, [version.version for version in details.versions])
    app.show(show_view(details))


def _remember(app: App, kind: RepoKind, name: str | None, versions: list[str | None]) -> None:
    """An entry's name, and its NAME@VERSION pairs, for completing --firmware and --software."""
    if not name:
        return
    app.remember_names(kind.command, [name], is_complete=False)
    if kind.versions is not None:
        pairs = [f"{name}@{version}" for version in versions if version]
        app.remember_names(kind.command + VERSIONS_SUFFIX, pairs, is_complete=False)


def edit(app: App, name: str, request: EditRequest) -> None:
    """Change an entry (one PUT per field, or one PUT of the whole entry: the kind decides); a new file
    is uploaded with a progress bar first."""
    from c8ydm.cli.views.repository import edit_view
    from c8ydm.procedures.repository.manage import edit_entry

    kind, client, file = request.kind, app.client(), request.file
    if file is not None and not app.options.dry_run:
        with app.upload_progress(file.name, file.stat().st_size) as bar:
            entry = edit_entry(client, name, request, on_bytes=bar.advance, on_undo=app.message)
    else:
        entry = edit_entry(client, name, request, on_undo=app.message)
    if app.options.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.message(f"Updated {kind.label} {entry.name!r}.")
    app.show(edit_view(kind, entry))


def delete(app: App, kind: RepoKind, name: str, *, version: str | None, patch: str | None = None) -> None:
    """Confirm (unless --yes or --dry-run), then delete in the plan's order."""
    from c8ydm.cli.views.repository import delete_view
    from c8ydm.procedures.repository.delete import execute_delete, plan_delete

    client = app.client()
    plan = plan_delete(client, kind, name, version=version, patch=patch)
    if app.options.dry_run:
        execute_delete(client, plan)
        return app.message("Dry run: nothing was deleted.")
    if not app.confirm(plan.question):
        app.message("Nothing was deleted.")
        if app.output_format == "table":  # the message says it; no list of things that still exist
            return None
        return app.show(delete_view(plan, status="cancelled"))
    execute_delete(client, plan, on_deleted=app.message)
    app.show(delete_view(plan, status="deleted"))


def download(
    app: App, kind: RepoKind, name: str, *, version: str | None, patch: str | None = None, to: str | None
) -> None:
    """Stream the file to disk, with a byte progress bar on stderr; an existing file is replaced
    only with --yes."""
    from c8ydm.cli.views.repository import download_view
    from c8ydm.procedures.repository.download import download_file

    client = app.client()
    label = name if version is None else f"{name} {patch or version}"
    with app.download_progress(label) as bar:
        result = download_file(
            client, kind, name, version=version, patch=patch, to=to,
            overwrite=app.options.yes, on_progress=bar.update,
        )  # fmt: skip
    app.message(f"Saved {result.path} ({result.size} bytes).")
    app.show(download_view(result))
