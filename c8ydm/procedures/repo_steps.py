"""The building blocks of adding to a repository: the c8y_Global check, reconciling lookups, undo.

Rule 14(d): a POST that creates something is never retried blindly. When one fails without a
definitive answer (no response, or a 5xx that may have come from a gateway after the tenant acted),
the object is looked up first (§3.3's lookups); only what is found is used, nothing is re-created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from c8ydm.api.client import Client
from c8ydm.api.conventions import parse_timestamp
from c8ydm.api.errors import C8yError, ServerError, TransportError
from c8ydm.api.models.inventory import Binary, ManagedObject
from c8ydm.api.query import Q, build
from c8ydm.procedures.repository import RepoKind, payload
from c8ydm.procedures.resolve import find_named

T = TypeVar("T")
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

    def fragments(self, flag: str) -> dict[str, Any]:
        """``{"c8y_Global": {}}`` or ``{}``, to merge into a body or an upload's ``object`` part."""
        return dict(GLOBAL_FRAGMENT) if self.is_global(flag) else {}


def reconciled(create: Callable[[], T], lookup: Callable[[], T | None]) -> T:
    """``create()``; if it fails without a definitive answer, the object ``lookup()`` finds, if any."""
    try:
        return create()
    except (TransportError, ServerError) as error:
        try:
            found = lookup()
        except C8yError:
            found = None
        if found is None:
            raise error from None
        return found


def find_entry(client: Client, kind: RepoKind, name: str) -> ManagedObject | None:
    """§3.3 entry lookup: ``$filter=((type eq '<entry type>') and (name eq '<name>'))``, exact match."""
    matches = find_named(client, Q.eq("type", kind.entry_type), name)
    return matches[0] if len(matches) == 1 else None


def find_version_mo(
    client: Client, kind: RepoKind, entry_id: str, version: str, dependency: str | None
) -> ManagedObject | None:
    """§3.3 version lookup (the Go CLI's), with ``c8y_Patch.dependency`` in place of
    ``not(has(c8y_Patch))`` for a patch; checked client-side because ``*`` cannot be escaped."""
    patch_clause = (
        Q.not_(Q.has("c8y_Patch")) if dependency is None else Q.eq("c8y_Patch.dependency", dependency)
    )
    query = build(
        Q.and_(
            Q.eq("type", kind.version_type),
            patch_clause,
            Q.eq(f"{kind.fragment}.version", version),
            Q.bygroupid(entry_id),
        )
    )
    for mo in client.inventory.list(query=query, page_size=100, limit=100):
        patch = mo.fragment("c8y_Patch")
        found_dependency = patch.get("dependency") if isinstance(patch, dict) else None
        if payload(mo, kind).get("version") == version and found_dependency == dependency:
            return mo
    return None


def find_uploaded_binary(client: Client, name: str, mime: str, started: datetime) -> Binary | None:
    """§3.3 ⚠ binary lookup after an upload without an answer: the current user's binaries of that
    type with this name, last updated at or after the upload started; only a single match counts.

    GET /inventory/binaries?owner=<current user>&type=<mime>&pageSize=2000
    """
    owner = client.tenant.current_user().user_name
    candidates = [
        binary
        for binary in client.binaries.list(owner=owner, type=mime)
        if binary.name == name and binary.last_updated and parse_timestamp(binary.last_updated) >= started
    ]
    return candidates[0] if len(candidates) == 1 else None


def is_linked(client: Client, parent_id: str, child_id: str) -> bool:
    """Whether ``child_id`` is a child addition of ``parent_id``.

    GET /inventory/managedObjects/{parent_id}/childAdditions
    """
    children = client.inventory.list_children(parent_id, relation="childAdditions")
    return any(child.id == child_id for child in children)


@dataclass
class Undo:
    """What this run created, removed again in reverse order on failure (§3.3 ★ compensation).

    The version goes first (``forceCascade`` also removes a binary linked under it), then a binary
    that is not linked, then an entry this run created. A failed removal is reported, not raised:
    the original error is what the user needs to see.
    """

    client: Client
    report: Callable[[str], None] | None = None
    version_id: str | None = None
    binary_id: str | None = None
    is_binary_linked: bool = False
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

    def _remove(self, object_id: str | None, what: str, delete: Callable[[str], None]) -> bool:
        if object_id is None:
            return False
        try:
            delete(object_id)
        except C8yError as error:
            self.left_behind.append(f"{what} {object_id}")
            self._say(f"Could not remove the {what} {object_id} this run created: {error.message}")
            return False
        self._say(f"Removed the {what} {object_id} this run created.")
        return True

    def _say(self, text: str) -> None:
        if self.report is not None:
            self.report(text)
