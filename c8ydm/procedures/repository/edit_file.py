"""Edit a single-level entry (configuration) as one PUT, also with a new file or URL (contract §5.2).

A new file or URL is put in place in this order, so that the entry never points at nothing:

1. a file: the c8y_Global check (§2.1) and the upload (§1.11, marked and reconciled: ``uploads``);
2. ``PUT /inventory/managedObjects/<entryId>`` with the whole entry, the new ``url`` and the other
   changes (§5.2);
3. a file: link the new binary to the entry (§5.1 step 4);
4. only now, when the old ``url`` pointed to a different internal binary:
   ``DELETE /inventory/binaries/<oldBinId>``.

A failure in steps 1-3 puts the entry back as it was (when step 2 went through) and deletes the new
binary, unless the entry could not be put back: then the binary stays, because the entry points at
it, and the error's hint says so. A failure in step 4 leaves a working entry; the old binary is
reported as left behind, not raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.conventions import binary_id_from_url, mo_id_from_url
from c8ydm.api.errors import C8yError
from c8ydm.api.models.inventory import ManagedObject
from c8ydm.procedures.repository.kinds import RepoKind
from c8ydm.procedures.repository.steps import GlobalFlags, Undo, byte_progress, link_binary
from c8ydm.procedures.repository.uploads import LocalFile, upload_once, upload_target

Report = Callable[[str], None]


def whole_entry(kind: RepoKind, entry: ManagedObject, changes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """§5.2: the entry's editable fields as they are, with the changes applied, in one body."""
    current = entry.to_body()
    keep = ("name", "description", "type", "url", kind.device_type_path.split(".")[0], "c8y_Global")
    body = {key: current[key] for key in keep if key in current}
    body.update({spec.path: current[spec.path] for spec in kind.fields if spec.path in current})
    for change in changes:
        body.update(change)
    return body


def _internal_id(url: object) -> str | None:
    text = str(url) if url is not None else None
    return binary_id_from_url(text) or mo_id_from_url(text)


def replace_file(
    client: Client,
    kind: RepoKind,
    entry: ManagedObject,
    changes: Sequence[dict[str, Any]],
    *,
    file: Any = None,
    url: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_undo: Report | None = None,
) -> ManagedObject:
    """Steps 1-4 of the module docstring; ``file`` (a Path) or ``url`` is the new content."""
    assert entry.id is not None
    undo = Undo(client, on_undo)
    extra = GlobalFlags(client).fragments(kind.global_flag) if file is not None else {}
    is_changed = False
    try:
        new_url = url or ""
        binary = None
        if file is not None:  # marked and reconciled like every upload (uploads.py)
            target = upload_target(kind.entry_type, str(entry.name), None, None)
            binary = upload_once(
                client, LocalFile.read(file), target, extra, byte_progress(on_bytes), on_undo
            )
        if binary is not None:
            undo.binary_id = binary.id
            new_url = client.binaries.url_of(binary)
        updated = client.inventory.update(entry.id, whole_entry(kind, entry, [*changes, {"url": new_url}]))
        is_changed = True
        if binary is not None and binary.id is not None:
            link_binary(client, entry.id, binary.id)
    except BaseException as error:
        if is_changed and not _put_back(client, kind, entry, undo):
            undo.binary_id = None  # the entry still points at it: removing it would break the entry
        undo.run()
        undo.explain(error)
        raise
    _remove_old_binary(client, entry, new_url, on_undo)
    return updated


def _put_back(client: Client, kind: RepoKind, entry: ManagedObject, undo: Undo) -> bool:
    """PUT the entry as it was before this run; False (and reported) when that fails."""
    assert entry.id is not None
    try:
        client.inventory.update(entry.id, whole_entry(kind, entry, []))
    except C8yError as error:
        undo.left_behind.append(f"entry {entry.id} pointing at the new file")
        undo.say(f"Could not put entry {entry.id} back as it was: {error.message}")
        return False
    undo.say(f"Put entry {entry.id} back as it was.")
    return True


def _remove_old_binary(client: Client, entry: ManagedObject, new_url: str, report: Report | None) -> None:
    """Step 4: delete the old internal binary when the new url is another one (§5.2)."""
    old_id = _internal_id(entry.fragment("url"))
    if old_id is None or old_id == _internal_id(new_url):
        return
    try:
        client.binaries.delete(old_id)
    except C8yError as error:
        if report is not None:
            report(
                f"The entry now uses the new file, but its old binary {old_id} could not be deleted "
                f"({error.message}); remove it by hand."
            )
