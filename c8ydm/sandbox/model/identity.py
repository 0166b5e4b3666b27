"""Identity: external ids of managed objects (contract §12.6 lookups); endpoints in endpoints/identity.py.

Stored in the "externalIds" collection as {"id": "<type>/<value>", "type", "externalId",
"managedObjectId"}; `add_external_id` / `find_external_id` are for other modules (registration).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.responses import vendor
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.model.mo import mo_url

MEDIA = vendor("externalid")


def _key(id_type: str, value: str) -> str:
    return f"{id_type}/{value}"


def find_external_id(store: Store, id_type: str, value: str) -> dict[str, Any] | None:
    return store.get("externalIds", _key(id_type, value))


def check_free(store: Store, id_type: str, value: str) -> None:
    if not id_type or not value:
        raise C8yHTTPError(422, "identity/invalidData", "externalId and type are required")
    if find_external_id(store, id_type, value) is not None:
        raise C8yHTTPError(409, "identity/Conflict", f"External id {value} of type {id_type} already exists")


def external_id_doc(id_type: str, value: str, mo_id: str) -> dict[str, Any]:
    """The stored document of an external id (see the module docstring)."""
    return {"id": _key(id_type, value), "type": id_type, "externalId": value, "managedObjectId": str(mo_id)}


def add_external_id(store: Store, id_type: str, value: str, mo_id: str) -> dict[str, Any]:
    check_free(store, id_type, value)
    return store.insert("externalIds", external_id_doc(id_type, value, mo_id))


def render_external_id(base: str, doc: dict[str, Any]) -> dict[str, Any]:
    path = f"{quote(doc['type'], safe='')}/{quote(doc['externalId'], safe='')}"
    return {
        "externalId": doc["externalId"],
        "type": doc["type"],
        "self": f"{base}/identity/externalIds/{path}",
        "managedObject": {"id": doc["managedObjectId"], "self": mo_url(base, doc["managedObjectId"])},
    }


def external_id_not_found(id_type: str, value: str) -> C8yHTTPError:
    return C8yHTTPError(
        404,
        "identity/Not Found",
        f"External id not found; external id = ID [type={id_type}, value={value}]",
    )
