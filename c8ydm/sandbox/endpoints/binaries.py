"""Binaries: `/inventory/binaries` (contract §1.11).

    POST   /inventory/binaries        multipart: part `file` (bytes) and part `object` (JSON text with
                                      name, type, custom fragments), any order -> 201, self =
                                      <base>/inventory/binaries/<id>
    GET    /inventory/binaries        the binary managed objects ("managedObjects"); type, owner, ids,
                                      childAdditionId..., paging
    GET    /inventory/binaries/{id}   the raw bytes, stored content type, Range support (206)
    PUT    /inventory/binaries/{id}   raw body replaces the content -> 201 (contract §1.4 table)
    DELETE /inventory/binaries/{id}   the object and its file -> 204
Files live in `<data_dir>/binaries/<id>` and are streamed both ways.
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, no_content, vendor
from c8ydm.sandbox.core.uploads import Upload, commit, is_multipart, receive_multipart, receive_raw
from c8ydm.sandbox.model.inventory import CREATE_ROLES, WRITE_ROLES, may_write, select
from c8ydm.sandbox.model.mo import delete_one, get_mo
from c8ydm.sandbox.state import SandboxState, state_of

MEDIA = vendor("managedobject")
BINARY_WRITE_ROLES = (*CREATE_ROLES, "ROLE_BINARY_ADMIN", "ROLE_BINARY_CREATE")


def binary_url(base: str, mo_id: str) -> str:
    return f"{base}/inventory/binaries/{mo_id}"


def render_binary(base: str, doc: dict[str, Any]) -> dict[str, Any]:
    rendered = {k: v for k, v in doc.items() if not k.startswith("_")}
    rendered["self"] = binary_url(base, doc["id"])
    return rendered


def _object_part(upload: Upload) -> dict[str, Any]:
    raw = upload.fields.get("object")
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise C8yHTTPError(400, "binaries/invalidObject", f"the object part is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise C8yHTTPError(400, "binaries/invalidObject", "the object part must be a JSON object")
    return data


def content_type_of(upload: Upload, name: str, declared_type: str | None) -> str:
    """The part's Content-Type; else the object's `type` if it is a MIME type (the UI's `c8y_upload`
    is not); else a guess from the file name; else application/octet-stream."""
    if upload.content_type:
        return upload.content_type
    if declared_type and "/" in declared_type:
        return declared_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _binary_doc(state: SandboxState, mo_id: str) -> dict[str, Any]:
    doc = get_mo(state.store, mo_id)
    if "c8y_IsBinary" not in doc:
        raise C8yHTTPError(404, "inventory/notFound", f"Managed object {mo_id} is not a binary")
    return doc


async def get_binaries(request: Request) -> Response:
    auth.require(request)
    docs = [d for d in select(state_of(request).store, request) if "c8y_IsBinary" in d]
    base = base_url(request)
    return paged_response(
        request,
        docs,
        "managedObjects",
        self_path="/inventory/binaries",
        render=lambda doc: render_binary(base, doc),
    )


async def post_binaries(request: Request) -> Response:
    state = state_of(request)
    directory = state.options.binaries_dir
    user = auth.require(request, write=True)
    may_write(state, user, None, BINARY_WRITE_ROLES)
    if not is_multipart(request):
        raise C8yHTTPError(400, "binaries/invalidRequest", "expected multipart/form-data")
    upload = await receive_multipart(request, directory)
    try:
        if upload.path is None:
            raise C8yHTTPError(400, "binaries/invalidRequest", "the multipart body has no 'file' part")
        fragments = _object_part(upload)
        name = str(fragments.get("name") or upload.filename or "file")
        content_type = content_type_of(upload, name, fragments.get("type"))
        fragments.update(
            name=name,
            type=fragments.get("type") or content_type,
            c8y_IsBinary={},
            contentType=content_type,
            length=upload.length,
        )
        doc = state.store.create_mo(fragments, owner=str(user.get("userName", user.get("id"))))
        commit(upload, directory / doc["id"])
    finally:
        upload.discard()
    base = base_url(request)
    return created(request, render_binary(base, doc), media=MEDIA, location=binary_url(base, doc["id"]))


async def get_binary(request: Request) -> Response:
    state, mo_id = state_of(request), request.path_params["id"]
    auth.require(request)
    doc = _binary_doc(state, mo_id)
    path = state.options.binaries_dir / mo_id
    if not path.exists():
        raise C8yHTTPError(404, "binaries/notFound", f"The file of binary {mo_id} is missing")
    # FileResponse streams from disk and answers Range requests with 206. The spec gives the
    # download as application/octet-stream; the stored type is the object's `contentType`
    # (contract §1.11: name and type come from the managed object or Content-Disposition).
    return FileResponse(path, media_type="application/octet-stream", filename=str(doc.get("name", mo_id)))


async def _writable_binary(request: Request) -> dict[str, Any]:
    state = state_of(request)
    user = auth.require(request, write=True)
    doc = _binary_doc(state, request.path_params["id"])
    may_write(state, user, doc, (*WRITE_ROLES, "ROLE_BINARY_ADMIN"))
    return doc


async def put_binary(request: Request) -> Response:
    state, mo_id = state_of(request), request.path_params["id"]
    directory = state.options.binaries_dir
    doc = await _writable_binary(request)
    upload = await (
        receive_multipart(request, directory) if is_multipart(request) else receive_raw(request, directory)
    )
    try:
        if upload.path is None:
            raise C8yHTTPError(400, "binaries/invalidRequest", "no file content")
        commit(upload, directory / mo_id)
    finally:
        upload.discard()
    content_type = upload.content_type or str(doc.get("contentType", "application/octet-stream"))
    doc = state.store.update_mo(mo_id, {"length": upload.length, "contentType": content_type})
    base = base_url(request)
    return created(request, render_binary(base, doc), media=MEDIA, location=binary_url(base, mo_id))


async def delete_binary(request: Request) -> Response:
    await _writable_binary(request)
    delete_one(state_of(request), request.path_params["id"])
    return no_content()
