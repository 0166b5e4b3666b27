"""The building blocks of writing to a repository: the c8y_Global check, the link of a binary, and
undoing what a failed run created (contract §1.11, §2.1, §3.3).

Rule 14(d): a POST that creates something is never retried blindly; every create goes through
``procedures.reconcile.create_once`` with §3.3's lookups (uploads: ``uploads.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from c8ydm.api.client import Client
from c8ydm.api.errors import C8yError
from c8ydm.api.transfer import ProgressCallback
from c8ydm.procedures.reconcile import create_once

# §2.1: the UI's global-configuration check; createdFrom is not in the spec but is sent anyway.
GLOBAL_CONFIG_TYPE = "c8y_GlobalObjectConfiguration"
GLOBAL_CREATED_FROM = "1990-01-01"
GLOBAL_FRAGMENT: dict[str, Any] = {"c8y_Global": {}}


class GlobalFlags:
    """§2.1: whether new repository objects get ``c8y_Global``; one request per flag, cached per run."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._cache: dict[str, bool] = {}

    def is_global(self, flag: str) -> bool:
        """False only when the configuration object carries ``flag`` with a falsy value.

        GET /inventory/managedObjects?pageSize=1&type=c8y_GlobalObjectConfiguration
            &createdFrom=1990-01-01&fragmentType=<flag>
        """
        if flag not in self._cache:
            found = self._client.inventory.first(
                type=GLOBAL_CONFIG_TYPE, created_from=GLOBAL_CREATED_FROM, fragment_type=flag
            )
            body = found.to_body() if found is not None else {}
            # The UI tests the flag in JavaScript: only false, null, 0 and "" are falsy ({} is not).
            is_off = flag in body and body[flag] in (False, None, 0, "")
            self._cache[flag] = not is_off
        return self._cache[flag]

    def fragments(self, flag: str | None) -> dict[str, Any]:
        """``{"c8y_Global": {}}`` or ``{}`` (also for a kind without a flag), to merge into a body."""
        return dict(GLOBAL_FRAGMENT) if flag is not None and self.is_global(flag) else {}


def byte_progress(on_bytes: Callable[[int], None] | None) -> ProgressCallback | None:
    """An upload progress callback that reports each chunk's size to ``on_bytes``."""
    if on_bytes is None:
        return None
    last = [0]

    def progress(sent: int, total: int) -> None:
        if sent > last[0]:
            on_bytes(sent - last[0])
        last[0] = sent  # a replayed body starts again at 0

    return progress


def is_linked(client: Client, parent_id: str, child_id: str) -> bool:
    """Whether ``child_id`` is a child addition of ``parent_id``.

    GET /inventory/managedObjects/{parent_id}/childAdditions
    """
    children = client.inventory.list_children(parent_id, relation="childAdditions")
    return any(child.id == child_id for child in children)


def link_binary(client: Client, parent_id: str, binary_id: str) -> None:
    """§3.3 step 4 / §5.1 step 4: POST …/{parent}/childAdditions (managedObjectReference media type)
    ``{"managedObject":{"id"}}``; a lost answer is reconciled by reading the parent's children."""

    def link() -> bool:
        client.inventory.link_child(parent_id, binary_id)
        return True

    create_once(client, link, lambda: is_linked(client, parent_id, binary_id) or None, what="link")


@dataclass
class Undo:
    """What this run created, removed again in reverse order on failure (§3.3 ★ compensation).

    The version goes first (``forceCascade`` also removes a binary linked under it), then the binary
    unless it went with the version, then an entry this run created. A failed removal is reported,
    not raised: the original error is what the user needs to see.
    """

    client: Client
    report: Callable[[str], None] | None = None
    version_id: str | None = None
    binary_id: str | None = None
    is_binary_linked: bool = False  # linked under the version (versioned kinds)
    entry_id: str | None = None
    left_behind: list[str] = field(default_factory=list)

    def run(self) -> None:
        """Remove what was recorded; ``left_behind`` names what could not be removed."""
        is_version_gone = self._remove(
            self.version_id,
            "version",
            lambda i: self.client.inventory.delete(i, force_cascade=True),
        )
        if not (self.is_binary_linked and is_version_gone):
            self._remove(self.binary_id, "binary", self.client.binaries.delete)
        self._remove(self.entry_id, "entry", lambda i: self.client.inventory.delete(i, force_cascade=True))

    def explain(self, error: BaseException) -> None:
        """Add what could not be removed to the hint of ``error`` (a C8yError)."""
        if self.left_behind and isinstance(error, C8yError):
            left = ", ".join(self.left_behind)
            error.hint = f"{error.hint + ' ' if error.hint else ''}Left behind (remove by hand): {left}."

    def _remove(self, object_id: str | None, what: str, delete: Callable[[str], None]) -> bool:
        if object_id is None:
            return False
        try:
            delete(object_id)
        except C8yError as error:
            self.left_behind.append(f"{what} {object_id}")
            self.say(f"Could not remove the {what} {object_id} this run created: {error.message}")
            return False
        self.say(f"Removed the {what} {object_id} this run created.")
        return True

    def say(self, text: str) -> None:
        """Report a clean-up step (to the callback given, if any)."""
        if self.report is not None:
            self.report(text)
