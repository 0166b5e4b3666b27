"""Managed objects and their child links (contract §1.3, §1.6-§1.8, §3, §12.3, §12.5)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from c8ydm.api.conventions import path_segment
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.api.paging import DEFAULT_PAGE_SIZE, count, count_elements, iter_items
from c8ydm.api.query import Expr, build

# The models are imported where they are used: they load pydantic's machinery (~6 ms), which a
# listing of raw documents (``documents``) needs only after its first request has left (issue 13).
if TYPE_CHECKING:
    from typing import TypeAlias

    from c8ydm.api.client import Client
    from c8ydm.api.models.inventory import DeviceUser, ManagedObject

PATH = "/inventory/managedObjects"
# §1.3 / §14(b): the UI's headers for child additions; Accept stays application/json.
MANAGED_OBJECT_TYPE = "application/vnd.com.nsn.cumulocity.managedObject+json"
REFERENCE_TYPE = "application/vnd.com.nsn.cumulocity.managedObjectReference+json"
REFERENCE_COLLECTION_TYPE = "application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json"

ChildRelation = Literal["childAdditions", "childAssets", "childDevices"]
Body: TypeAlias = "ManagedObject | Mapping[str, Any]"


def _query_text(query: str | Expr | None) -> str | None:
    return build(filter=query) if isinstance(query, Expr) else query


class Inventory:
    """``client.inventory``: managed objects."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def get(
        self, mo_id: str, *, with_children: bool | None = None, with_parents: bool | None = None
    ) -> ManagedObject:
        """Get one managed object. GET /inventory/managedObjects/{id}"""
        from c8ydm.api.models.inventory import ManagedObject

        params = {"withChildren": with_children, "withParents": with_parents}
        return ManagedObject.model_validate(self._client.get_json(_mo_path(mo_id), params=params))

    def _filters(
        self,
        *,
        query: str | Expr | None,
        type: str | None,
        fragment_type: str | None,
        ids: Sequence[str] | None,
        owner: str | None,
        text: str | None,
        q: str | None,
        with_parents: bool | None,
        with_children: bool | None,
        params: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        if type is not None and query is not None:
            # §1.6: with query= the server silently ignores type=; put the type into the query.
            raise InputError("type= is ignored together with query=; filter the type in the query")
        return {
            "query": _query_text(query),
            "type": type,
            "fragmentType": fragment_type,
            "ids": ",".join(ids) if ids else None,
            "owner": owner,
            "text": text,
            "q": q,
            "withParents": with_parents,
            "withChildren": with_children,
            **(params or {}),
        }

    def list(
        self,
        *,
        query: str | Expr | None = None,
        type: str | None = None,
        fragment_type: str | None = None,
        ids: Sequence[str] | None = None,
        owner: str | None = None,
        text: str | None = None,
        q: str | None = None,
        with_parents: bool | None = None,
        with_children: bool | None = None,
        params: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[ManagedObject]:
        """Iterate matching managed objects across pages. GET /inventory/managedObjects"""
        from c8ydm.api.models.inventory import ManagedObject

        filters = self._filters(
            query=query, type=type, fragment_type=fragment_type, ids=ids, owner=owner, text=text,
            q=q, with_parents=with_parents, with_children=with_children, params=params,
        )  # fmt: skip
        return iter_items(
            self._client, PATH, "managedObjects", params=filters, model=ManagedObject,
            page_size=page_size, limit=limit,
        )  # fmt: skip

    def documents(
        self,
        *,
        query: str | Expr | None = None,
        q: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Iterate matching managed objects as the tenant sent them: JSON objects, no model round trip,
        each keeping its source text (``verbatim.Verbatim``), for output that passes them through
        unchanged, such as a jsonl listing of many devices.

        GET /inventory/managedObjects?query=|q=
        """
        params = {"query": _query_text(query), "q": q}
        return iter_items(
            self._client,
            PATH,
            "managedObjects",
            params=params,
            page_size=page_size,
            limit=limit,
            verbatim=True,
        )

    def count(
        self,
        *,
        query: str | Expr | None = None,
        type: str | None = None,
        fragment_type: str | None = None,
        owner: str | None = None,
        text: str | None = None,
        q: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> int | None:
        """Count matching objects; None for users without totals.

        GET /inventory/managedObjects?pageSize=1&withTotalPages=true
        """
        filters = self._filters(
            query=query, type=type, fragment_type=fragment_type, ids=None, owner=owner, text=text,
            q=q, with_parents=None, with_children=None, params=params,
        )  # fmt: skip
        return count(self._client, PATH, params=filters)

    def count_elements(self, *, query: str | Expr | None = None) -> int | None:
        """Count matching objects the way the UI does (§3.1); None for users without totals.

        GET /inventory/managedObjects?query=<query>&pageSize=1&withTotalElements=true
        """
        return count_elements(self._client, PATH, params={"query": _query_text(query)})

    def first(
        self,
        *,
        query: str | Expr | None = None,
        type: str | None = None,
        created_from: str | None = None,
        fragment_type: str | None = None,
    ) -> ManagedObject | None:
        """The first matching object, or None, in one request with exactly these parameters (no
        ``currentPage``, no ``withTotalPages``); ``created_from`` is §2.1's, which the spec lacks.

        GET /inventory/managedObjects?pageSize=1[&query=][&type=][&createdFrom=][&fragmentType=]
        """
        from c8ydm.api.models.inventory import ManagedObject

        params = {
            "pageSize": 1,
            "query": _query_text(query),
            "type": type,
            "createdFrom": created_from,
            "fragmentType": fragment_type,
        }
        found = (self._client.get_json(PATH, params=params) or {}).get("managedObjects") or []
        return ManagedObject.model_validate(found[0]) if found else None

    def create(self, body: Body) -> ManagedObject:
        """Create a managed object. POST /inventory/managedObjects"""
        from c8ydm.api.models.base import as_body
        from c8ydm.api.models.inventory import ManagedObject

        return ManagedObject.model_validate(self._client.post_json(PATH, as_body(body)))

    def update(self, mo_id: str, body: Body) -> ManagedObject:
        """Update top-level fragments (``None`` removes one); ``id`` goes into the body.

        PUT /inventory/managedObjects/{id}
        """
        from c8ydm.api.models.base import as_body
        from c8ydm.api.models.inventory import ManagedObject

        # §1.8, §14(a): the UI puts the id first into PUT bodies.
        payload = {"id": mo_id, **{key: value for key, value in as_body(body).items() if key != "id"}}
        return ManagedObject.model_validate(self._client.put_json(_mo_path(mo_id), payload))

    def delete(
        self,
        mo_id: str,
        *,
        cascade: bool = False,
        force_cascade: bool = False,
        with_device_user: bool = False,
    ) -> None:
        """Delete a managed object (asynchronous on the server). DELETE /inventory/managedObjects/{id}"""
        params = {
            "cascade": True if cascade else None,
            "forceCascade": True if force_cascade else None,
            "withDeviceUser": True if with_device_user else None,
        }
        self._client.delete(_mo_path(mo_id), params=params)

    def create_child_addition(self, parent_id: str, body: Body) -> ManagedObject:
        """Create a managed object and link it as a child addition.

        POST /inventory/managedObjects/{id}/childAdditions
        """
        from c8ydm.api.models.base import as_body
        from c8ydm.api.models.inventory import ManagedObject

        headers = {"Content-Type": MANAGED_OBJECT_TYPE, "Accept": "application/json"}
        path = f"{_mo_path(parent_id)}/childAdditions"
        return ManagedObject.model_validate(self._client.post_json(path, as_body(body), headers=headers))

    def link_child(
        self, parent_id: str, child_id: str, *, relation: ChildRelation = "childAdditions"
    ) -> None:
        """Link an existing object under a parent. POST /inventory/managedObjects/{id}/{relation}"""
        headers = {"Content-Type": REFERENCE_TYPE, "Accept": "application/json"}
        body = {"managedObject": {"id": child_id}}
        self._client.post_json(f"{_mo_path(parent_id)}/{relation}", body, headers=headers)

    def link_children(
        self, parent_id: str, child_ids: Sequence[str], *, relation: ChildRelation = "childAssets"
    ) -> None:
        """Link several existing objects under a parent in one request (a reference collection).

        POST /inventory/managedObjects/{id}/{relation}
             Content-Type: application/vnd.com.nsn.cumulocity.managedObjectReferenceCollection+json
        """
        if not child_ids:
            return
        headers = {"Content-Type": REFERENCE_COLLECTION_TYPE, "Accept": "application/json"}
        body = {"references": [{"managedObject": {"id": child_id}} for child_id in child_ids]}
        self._client.post_json(f"{_mo_path(parent_id)}/{relation}", body, headers=headers)

    def unlink_child(
        self, parent_id: str, child_id: str, *, relation: ChildRelation = "childAdditions"
    ) -> None:
        """Remove a child link (the child stays).

        DELETE /inventory/managedObjects/{id}/{relation}/{childId}
        """
        self._client.delete(f"{_mo_path(parent_id)}/{relation}/{path_segment(child_id)}")

    def list_children(
        self,
        parent_id: str,
        *,
        relation: ChildRelation = "childAdditions",
        query: str | Expr | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        limit: int | None = None,
    ) -> Iterator[ManagedObject]:
        """Iterate a parent's children. GET /inventory/managedObjects/{id}/{relation}"""
        from c8ydm.api.models.inventory import ManagedObjectReference

        references = iter_items(
            self._client, f"{_mo_path(parent_id)}/{relation}", "references",
            params={"query": _query_text(query)}, model=ManagedObjectReference,
            page_size=page_size, limit=limit,
        )  # fmt: skip
        return (reference.managed_object for reference in references)

    def has_child(self, parent_id: str, child_id: str, *, relation: ChildRelation = "childAdditions") -> bool:
        """Whether ``child_id`` is linked under the parent (a 404 means it is not).

        GET /inventory/managedObjects/{id}/{relation}/{childId}
        """
        try:
            self._client.get_json(f"{_mo_path(parent_id)}/{relation}/{path_segment(child_id)}")
        except NotFoundError:
            return False
        return True

    def count_children(self, parent_id: str, *, relation: ChildRelation = "childAdditions") -> int | None:
        """Count a parent's children; None for users without totals (§1.5).

        GET /inventory/managedObjects/{id}/{relation}?pageSize=1&withTotalPages=true
        """
        return count(self._client, f"{_mo_path(parent_id)}/{relation}")

    def get_device_user(self, device_id: str) -> DeviceUser:
        """The device's own user (``device_…``). GET /inventory/managedObjects/{id}/user"""
        from c8ydm.api.models.inventory import DeviceUser

        return DeviceUser.model_validate(self._client.get_json(f"{_mo_path(device_id)}/user"))

    def set_device_user_enabled(self, device_id: str, *, enabled: bool) -> DeviceUser:
        """Enable or disable the device's user (§12.3). PUT /inventory/managedObjects/{id}/user"""
        from c8ydm.api.models.inventory import DeviceUser

        answer = self._client.put_json(f"{_mo_path(device_id)}/user", {"enabled": enabled})
        return DeviceUser.model_validate(answer or {"enabled": enabled})


def _mo_path(mo_id: str) -> str:
    return f"{PATH}/{path_segment(mo_id)}"


__all__ = ["MANAGED_OBJECT_TYPE", "REFERENCE_COLLECTION_TYPE", "REFERENCE_TYPE", "ChildRelation", "Inventory"]
