"""Event attachments: `/event/events/{id}/binaries` (contract §1.11, §8.3; spec `eventBinary`).

    POST   multipart (`object` {"name","type"} and `file`, any order) or a raw body with its
           Content-Type -> 201 {"self","source","name","type","length"}; 409 if one exists
    GET    the raw bytes with the attachment's type
    PUT    raw body replaces the attachment -> 201
    DELETE 204
The event gets `c8y_IsBinary {"name","type","length"}`. Without a name the spec names the
attachment after the event id. The file is `<data_dir>/binaries/event-<eventId>`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from python_multipart.multipart import parse_options_header
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.errors import C8yHTTPError
from c8ydm.sandbox.core.responses import base_url, created, no_content
from c8ydm.sandbox.core.uploads import Upload, commit, is_multipart, receive_multipart, receive_raw
from c8ydm.sandbox.model.events import get_event
from c8ydm.sandbox.state import SandboxState, state_of


def _meta(request: Request, upload: Upload, event_id: str) -> tuple[str, str]:
    """(name, type) from the `object` part, else Content-Disposition / the part, else defaults."""
    declared: dict[str, Any] = {}
    if "object" in upload.fields:
        try:
            declared = json.loads(upload.fields["object"])
        except ValueError as exc:
            raise C8yHTTPError(400, "event/invalidObject", f"the object part is not JSON: {exc}") from exc
    _, options = parse_options_header(request.headers.get("content-disposition", ""))
    header_name = options.get(b"filename", b"").decode("utf-8", "replace")
    name = str(declared.get("name") or upload.filename or header_name or event_id)
    media = str(declared.get("type") or upload.content_type or "application/octet-stream")
    return name, media


def _attachment_path(state: SandboxState, event_id: str) -> Path:
    return state.options.binaries_dir / f"event-{event_id}"


async def get_event_binary(request: Request) -> Response:
    state, event_id = state_of(request), request.path_params["id"]
    auth.require(request)
    event = get_event(state, event_id)
    path = _attachment_path(state, event_id)
    info = event.get("c8y_IsBinary")
    if not isinstance(info, dict) or not path.exists():
        raise C8yHTTPError(404, "event/binaryNotFound", f"Event {event_id} has no attachment")
    # The spec serves attachments as application/octet-stream; the real type is the
    # event's c8y_IsBinary.type (contract §8.3).
    return FileResponse(path, media_type="application/octet-stream")


async def post_event_binary(request: Request) -> Response:
    state, event_id = state_of(request), request.path_params["id"]
    auth.require(request, write=True)
    event = get_event(state, event_id)
    if "c8y_IsBinary" in event:
        raise C8yHTTPError(409, "event/attachmentDuplicated", f"Event {event_id} already has an attachment")
    return await _store_attachment(request, state, event)


async def put_event_binary(request: Request) -> Response:
    state = state_of(request)
    auth.require(request, write=True)
    event = get_event(state, request.path_params["id"])
    return await _store_attachment(request, state, event)


async def _store_attachment(request: Request, state: SandboxState, event: dict[str, Any]) -> Response:
    """Stream the request's file into place and describe it on the event (201)."""
    event_id, directory = request.path_params["id"], state.options.binaries_dir
    upload = await (
        receive_multipart(request, directory) if is_multipart(request) else receive_raw(request, directory)
    )
    try:
        if upload.path is None:
            raise C8yHTTPError(400, "event/invalidRequest", "the multipart body has no 'file' part")
        name, media = _meta(request, upload, event_id)
        commit(upload, _attachment_path(state, event_id))
    finally:
        upload.discard()
    event["c8y_IsBinary"] = {"name": name, "type": media, "length": upload.length}
    event["lastUpdated"] = state.store.now()
    state.store.put("events", event_id, event)
    url = f"{base_url(request)}/event/events/{event_id}/binaries"
    body = {"self": url, "source": event_id, "name": name, "type": media, "length": upload.length}
    return created(request, body, media="application/json", location=url)


async def delete_event_binary(request: Request) -> Response:
    state, event_id = state_of(request), request.path_params["id"]
    auth.require(request, write=True)
    event = get_event(state, event_id)
    if "c8y_IsBinary" not in event:
        raise C8yHTTPError(404, "event/binaryNotFound", f"Event {event_id} has no attachment")
    _attachment_path(state, event_id).unlink(missing_ok=True)
    event.pop("c8y_IsBinary", None)
    state.store.put("events", event_id, event)
    return no_content()
