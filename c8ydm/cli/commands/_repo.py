"""The firmware and software commands' shared bodies: one code path, two repositories.

``firmware.py`` and ``software.py`` declare the options each repository has and call these with
their label. Procedures (and with them httpx and pydantic) are imported only when a command runs,
so ``--help`` stays fast. Output: ``-o json``/``jsonl`` give the documents the procedures build with
Cumulocity's field names; ``table`` and ``csv`` give a flat view. Under ``--dry-run`` stdout carries
only the client's request records.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from c8ydm.cli.completion import write_name_cache
from c8ydm.cli.context import App

if TYPE_CHECKING:
    from c8ydm.procedures.repo_manage import EntryDetails
    from c8ydm.procedures.repository import RepoKind, Version


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
    Path | None,
    typer.Option(
        "--to", metavar="PATH", show_default=False, help="File or directory (default: current directory)."
    ),
]


def kind_for(label: str) -> RepoKind:
    from c8ydm.procedures.repository import FIRMWARE, SOFTWARE

    return FIRMWARE if label == "firmware" else SOFTWARE


def _emit(app: App, document: Any, flat: Any, columns: list[Any] | None = None) -> None:
    """JSON formats get the full document; table and csv the flat view."""
    app.render(document if app.output_format in ("json", "jsonl") else flat, columns=columns)


def _entry_row(kind: RepoKind, body: dict[str, Any]) -> dict[str, Any]:
    row = {"name": body.get("name"), "id": body.get("id"), "description": body.get("description")}
    if kind.has_software_type:
        row["softwareType"] = body.get("softwareType")
    return {**row, "deviceType": (body.get("c8y_Filter") or {}).get("type")}


def add(app: App, label: str, *, if_exists: IfExists, **fields: Any) -> None:
    """Plan, then upload (with a progress bar) and create, or report the existing version unchanged."""
    from c8ydm.procedures.repo_add import execute_add, plan_add
    from c8ydm.procedures.repo_validate import AddRequest, validate_add

    kind = kind_for(label)
    request = AddRequest(kind, if_exists=if_exists.value, **fields)
    validate_add(request)  # before the client: a usage error is exit 2 even without a session
    client = app.client()
    plan = plan_add(client, request)
    file: Path | None = request.file
    if file is not None and not plan.is_unchanged and not app.options.dry_run:
        with app.upload_progress(file.name, file.stat().st_size) as bar:
            result = execute_add(client, plan, on_bytes=bar.advance, on_undo=app.message)
    else:
        result = execute_add(client, plan, on_undo=app.message)
    if app.options.dry_run:
        return app.message("Dry run: nothing was created.")
    document = result.to_json()
    shown = request.patch if request.patch is not None else request.version
    what = f"{'patch' if request.patch is not None else 'version'} {shown}"
    app.message(f"{label} {result.entry.name!r} {what}: {result.status}.")
    version = document["version"] or {}
    flat = {
        "status": result.status,
        **_entry_row(kind, document["entry"]),
        "version": shown,
        "versionId": version.get("id"),
        "url": (version.get(kind.fragment) or {}).get("url"),
    }
    _emit(app, document, flat)


def list_entries(app: App, label: str, **filters: Any) -> None:
    """List entries with their version counts; their names go to the completion cache."""
    from c8ydm.procedures.repo_manage import list_entries as list_

    kind = kind_for(label)
    rows = list_(app.client(), kind, **filters)
    write_name_cache(label, [row.entry.name for row in rows if row.entry.name])
    if any(row.version_count is None for row in rows):
        app.warning("Some version counts are missing (long list or no totals from the tenant).")
    columns: list[Any] = [("NAME", "name")]
    if kind.has_software_type:
        columns.append(("SOFTWARE TYPE", "softwareType"))
    columns += [("DEVICE TYPE", "c8y_Filter.type"), ("VERSIONS", "versionCount"), ("ID", "id")]
    app.render([row.to_json() for row in rows], columns=columns)


def _version_row(kind: RepoKind, version: Version, base: str | None) -> dict[str, Any]:
    from c8ydm.procedures.repo_manage import binary_name

    file = binary_name(version) or version.url or "(provided by the device)"
    row = {"version": version.version + (" (legacy)" if version.is_legacy else ""), "patchOf": base}
    return {**row, "file": file, "created": version.creation_time, "id": version.id}


def version_rows(details: EntryDetails) -> list[dict[str, Any]]:
    """Base versions newest first, each followed by its patches."""
    rows = []
    for version in details.versions:
        rows.append(_version_row(details.kind, version, None))
        rows += [_version_row(details.kind, patch, version.version) for patch in version.patches]
    return rows


def show(app: App, label: str, name: str) -> None:
    """The entry, then its versions (table); the entry and version MOs (json)."""
    from c8ydm.procedures.repo_manage import show_entry

    kind = kind_for(label)
    details = show_entry(app.client(), kind, name)
    if app.output_format in ("json", "jsonl"):
        return app.render(details.to_json())
    if app.output_format == "table":
        app.render(_entry_row(kind, details.entry.to_body()))
    columns: list[Any] = [("VERSION", "version")]
    if kind.has_patches:
        columns.append(("PATCH OF", "patchOf"))
    columns += [("FILE", "file"), ("CREATED", "created"), ("ID", "id")]
    app.render(version_rows(details), columns=columns)


def edit(app: App, label: str, name: str, /, **changes: Any) -> None:
    """One PUT per changed field."""
    from c8ydm.procedures.repo_manage import EditRequest, edit_entry

    kind = kind_for(label)
    request = EditRequest(**changes)
    request.validate(kind)
    entry = edit_entry(app.client(), kind, name, request)
    if app.options.dry_run:
        return app.message("Dry run: nothing was changed.")
    app.message(f"Updated {label} {entry.name!r}.")
    _emit(app, entry.to_body(), _entry_row(kind, entry.to_body()))


def delete(app: App, label: str, name: str, *, version: str | None, patch: str | None = None) -> None:
    """Confirm (unless --yes or --dry-run), then delete in the plan's order."""
    from c8ydm.procedures.repo_delete import execute_delete, plan_delete

    client, kind = app.client(), kind_for(label)
    plan = plan_delete(client, kind, name, version=version, patch=patch)
    if app.options.dry_run:
        execute_delete(client, plan)
        return app.message("Dry run: nothing was deleted.")
    if not app.confirm(plan.question):
        app.message("Nothing was deleted.")
        return app.render(plan.to_json(status="cancelled"))
    execute_delete(client, plan, on_deleted=app.message)
    document = plan.to_json(status="deleted")
    flat = [
        {"id": mo.get("id"), "type": mo.get("type"), "name": mo.get("name"), "version": _version_of(kind, mo)}
        for mo in document["deleted"]
    ]
    columns = [("DELETED", "type"), ("NAME", "name"), ("VERSION", "version"), ("ID", "id")]
    _emit(app, document, flat, columns)


def _version_of(kind: RepoKind, body: dict[str, Any]) -> str | None:
    version = (body.get(kind.fragment) or {}).get("version")
    return f"{version} (patch)" if version is not None and "c8y_Patch" in body else version


def download(
    app: App, label: str, name: str, *, version: str, patch: str | None = None, to: Path | None
) -> None:
    """Stream the version's file to disk, with a byte progress bar on stderr; an existing file is
    replaced only with --yes."""
    from c8ydm.procedures.repo_download import download_version

    client = app.client()
    with app.download_progress(f"{name} {patch or version}") as bar:
        result = download_version(
            client, kind_for(label), name, version=version, patch=patch, to=to,
            overwrite=app.options.yes, on_progress=bar.update,
        )  # fmt: skip
    app.message(f"Saved {result.path} ({result.size} bytes).")
    app.render(result.to_json())
