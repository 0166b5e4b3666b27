"""Views of repository results, for every kind (firmware, software, configuration).

Documents keep Cumulocity's field names: ``add`` is ``{"status", "entry", "version", "binary"}``,
``list`` the entries with ``versionCount``, ``show`` ``{"entry", "versions": [... "patches"]}``,
``delete`` ``{"status", "entry", "deleted"}``. The columns come from the kind's spec (its extra
fields and its device-type path), so a new kind needs no new view code for these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from c8ydm.cli.output import Column
from c8ydm.cli.views.base import View, brief, short_time

if TYPE_CHECKING:
    from c8ydm.api.models.inventory import ManagedObject
    from c8ydm.procedures.repository.add import AddResult
    from c8ydm.procedures.repository.delete import DeletePlan
    from c8ydm.procedures.repository.download import DownloadResult
    from c8ydm.procedures.repository.kinds import RepoKind
    from c8ydm.procedures.repository.manage import EntryDetails, EntrySummary
    from c8ydm.procedures.repository.versions import Version


def _header(option: str) -> str:
    return option.lstrip("-").replace("-", " ").upper()


def entry_card(kind: RepoKind, entry: ManagedObject) -> dict[str, Any]:
    """An entry for people: name, id, description, the kind's fields, device type (and file)."""
    body = entry.to_body()
    card = {"name": body.get("name"), "id": body.get("id"), "description": body.get("description")}
    card.update({spec.path: body.get(spec.path) for spec in kind.fields})
    card["deviceType"] = kind.device_type_of(entry)
    if kind.versions is None:
        card["url"] = body.get("url")
    return card


def entry_columns(kind: RepoKind, prefix: str = "") -> list[Column]:
    """csv columns of an entry (key paths into the entry, or into ``prefix.`` of a document)."""
    columns: list[Column] = [("name", f"{prefix}name"), ("id", f"{prefix}id")]
    columns.append(("description", f"{prefix}description"))
    columns += [(spec.path, f"{prefix}{spec.path}") for spec in kind.fields]
    columns.append(("deviceType", f"{prefix}{kind.device_type_path}"))
    if kind.versions is None:
        columns.append(("url", f"{prefix}url"))
    return columns


def add_view(result: AddResult) -> View:
    """``{"status", "entry", "version", "binary"}``; the table is one card."""
    assert result.request is not None
    request, kind = result.request, result.request.kind
    document: dict[str, Any] = {
        "status": result.status,
        "entry": result.entry.to_body(),
        "version": result.version.to_body() if result.version is not None else None,
        "binary": result.binary.to_body() if result.binary is not None else None,
    }
    card = {"status": result.status, **entry_card(kind, result.entry)}
    columns: list[Column] = [("status", "status"), *entry_columns(kind, "entry.")]
    if kind.versions is not None:
        version = document["version"] or {}
        payload = version.get(kind.versions.fragment) or {}
        card["version"] = request.version  # a patch's base version; the patch has its own line
        if request.patch is not None:
            card["patch"] = request.patch
        card["versionId"] = version.get("id")
        card["url"] = payload.get("url")
        fragment = f"version.{kind.versions.fragment}"
        columns += [
            ("version", f"{fragment}.version"),
            ("versionId", "version.id"),
            ("url", f"{fragment}.url"),
        ]
    return View(document, columns=columns, card=card)


def list_view(kind: RepoKind, rows: list[EntrySummary]) -> View:
    """The entries (with ``versionCount`` for versioned kinds)."""
    document = [
        {**row.entry.to_body(), **({"versionCount": row.version_count} if kind.versions else {})}
        for row in rows
    ]
    columns: list[Column] = [("NAME", "name")]
    columns += [(_header(spec.option), spec.path) for spec in kind.fields]
    columns.append(("DEVICE TYPE", kind.device_type_path))
    if kind.versions is not None:
        columns.append(("VERSIONS", "versionCount"))
    else:
        columns += [("DESCRIPTION", "description"), ("FILE", "url")]
    columns.append(("ID", "id"))
    if kind.versions is not None:
        return View(document, columns=columns)
    # A single-level entry's file for people: the uploaded binary's name, else the URL (§5's grid).
    table_rows = [{**item, "url": file_label(row.entry)} for item, row in zip(document, rows, strict=True)]
    return View(document, columns=columns, table_rows=table_rows)


def file_label(entry: ManagedObject) -> str | None:
    """The name of the binary an entry's ``url`` points at, when it is linked to the entry; else the url."""
    from c8ydm.api.conventions import mo_id_from_url

    url = entry.fragment("url")
    binary_id = mo_id_from_url(str(url)) if url else None
    references = entry.child_additions.references if entry.child_additions is not None else []
    for reference in references:
        if (
            binary_id is not None
            and reference.managed_object.id == binary_id
            and reference.managed_object.name
        ):
            return reference.managed_object.name
    return str(url) if url is not None else None


def _version_document(kind: RepoKind, version: Version) -> dict[str, Any]:
    assert kind.versions is not None
    if version.mo is None:  # §2.2: a legacy entry's version lives on the entry
        body: dict[str, Any] = {kind.versions.fragment: {"version": version.version, "url": version.url}}
        return {**body, "legacy": True}
    patches = [_version_document(kind, p) for p in version.patches]
    return {**version.mo.to_body(), **({"patches": patches} if kind.has_patches else {})}


def _version_row(version: Version, base: str | None) -> dict[str, Any]:
    from c8ydm.procedures.repository.manage import binary_name

    file = binary_name(version) or version.url or "(provided by the device)"
    row = {"version": version.version + (" (legacy)" if version.is_legacy else ""), "patchOf": base}
    return {**row, "file": file, "created": short_time(version.creation_time), "id": version.id}


def show_view(details: EntryDetails) -> View:
    """The entry as a card, then its versions newest first, each followed by its patches."""
    kind, entry = details.kind, details.entry
    card = entry_card(kind, entry)
    if kind.versions is None:
        return View({"entry": entry.to_body()}, columns=entry_columns(kind, "entry."), card=card)
    versions = [_version_document(kind, v) for v in details.versions]
    flat = [row for version in versions for row in [version, *version.get("patches", [])]]
    fragment = kind.versions.fragment
    columns: list[Column] = [("version", f"{fragment}.version")]
    if kind.has_patches:
        columns.append(("patchOf", "c8y_Patch.dependency"))
    columns += [("url", f"{fragment}.url"), ("creationTime", "creationTime"), ("id", "id")]
    table_rows = []
    for version in details.versions:
        table_rows.append(_version_row(version, None))
        table_rows += [_version_row(patch, version.version) for patch in version.patches]
    table_columns: list[Column] = [("VERSION", "version")]
    if kind.has_patches:
        table_columns.append(("PATCH OF", "patchOf"))
    table_columns += [("FILE", "file"), ("CREATED", "created"), ("ID", "id")]
    return View(
        {"entry": entry.to_body(), "versions": versions},
        columns=columns,
        rows=[{k: v for k, v in row.items() if k != "patches"} for row in flat],
        card=card,
        table_rows=table_rows,
        table_columns=table_columns,
    )


def edit_view(kind: RepoKind, entry: ManagedObject) -> View:
    """The entry as the tenant returned it; the table is one card."""
    return View(entry.to_body(), columns=entry_columns(kind), card=entry_card(kind, entry))


def _brief_keys(kind: RepoKind) -> tuple[str, ...]:
    fragment = (kind.versions.fragment,) if kind.versions is not None else ()
    return ("id", "name", "type", *fragment, "c8y_Patch", "creationTime")


def delete_view(plan: DeletePlan, *, status: str) -> View:
    """``{"status", "entry", "deleted"}``: what was deleted; answered no (``"cancelled"``), nothing
    was, and what would have been is under ``"kept"``, never under ``"deleted"``."""
    kind, keys = plan.kind, _brief_keys(plan.kind)
    deleted = [brief(mo.to_body(), keys) for mo in plan.deleted] if status == "deleted" else []
    document: dict[str, Any] = {
        "status": status,
        "entry": brief(plan.entry.to_body(), keys),
        "deleted": deleted,
    }
    if status != "deleted":
        document["kept"] = [brief(mo.to_body(), keys) for mo in plan.targets]
    columns: list[tuple[str, str]] = [("DELETED", "type"), ("NAME", "name")]
    table_rows = deleted
    if kind.versions is not None:
        fragment = kind.versions.fragment
        columns.append(("VERSION", f"{fragment}.version"))
        table_rows = [{**row, "version": _deleted_version(fragment, row)} for row in deleted]
    columns.append(("ID", "id"))
    table_columns = [(h, "version" if h == "VERSION" else key) for h, key in columns]
    return View(document, columns=columns, rows=deleted, table_rows=table_rows, table_columns=table_columns)


def _deleted_version(fragment: str, body: dict[str, Any]) -> str | None:
    version = (body.get(fragment) or {}).get("version")
    return f"{version} (patch)" if version is not None and "c8y_Patch" in body else version


def download_view(result: DownloadResult) -> View:
    """``{"path", "size", "sha256", "url"[, "version"][, "patch"]}``."""
    document: dict[str, Any] = {
        "path": str(result.path),
        "size": result.size,
        "sha256": result.sha256,
        "url": result.url,
    }
    if result.version is not None:
        document["version"] = result.version
    if result.patch is not None:
        document["patch"] = result.patch
    return View(document)
