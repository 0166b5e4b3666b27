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
from typing import TYPE_CHECKING, Any

from python_multipart.multipart import parse_options_header
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from c8ydm.sandbox import auth
from c8ydm.sandbox.errors import C8yHTTPError
from c8ydm.sandbox.events import get_event
from c8ydm.sandbox.responses import base_url, created, no_content
from c8ydm.sandbox.uploads import Upload, commit, is_multipart, receive_multipart, receive_raw

if TYPE_CHECKING:
    from c8ydm.sandbox.app import SandboxState


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


def routes(state: SandboxState) -> list[Route]:
    store = state.store
    directory = state.config.binaries_dir

    async def attachment(request: Request) -> Response:
        event_id = request.path_params["id"]
        path = directory / f"event-{event_id}"
        if request.method == "GET":
            auth.require(request)
            event = get_event(state, event_id)
            info = event.get("c8y_IsBinary")
            if not isinstance(info, dict) or not path.exists():
                raise C8yHTTPError(404, "event/binaryNotFound", f"Event {event_id} has no attachment")
            # The spec serves attachments as application/octet-stream; the real type is the
            # event's c8y_IsBinary.type (contract §8.3).
            return FileResponse(path, media_type="application/octet-stream")
        auth.require(request, write=True)
        event = get_event(state, event_id)
        if request.method == "DELETE":
            if "c8y_IsBinary" not in event:
                raise C8yHTTPError(404, "event/binaryNotFound", f"Event {event_id} has no attachment")
            path.unlink(missing_ok=True)
            event.pop("c8y_IsBinary", None)
            store.put("events", event_id, event)
            return no_content()
        if request.method == "POST" and "c8y_IsBinary" in event:
            raise C8yHTTPError(
                409, "event/attachmentDuplicated", f"Event {event_id} already has an attachment"
            )
        upload = await (
            receive_multipart(request, directory)
            if is_multipart(request)
            else receive_raw(request, directory)
        )
        try:
            if upload.path is None:
                raise C8yHTTPError(400, "event/invalidRequest", "the multipart body has no 'file' part")
            name, media = _meta(request, upload, event_id)
            commit(upload, path)
        finally:
            upload.discard()
        event["c8y_IsBinary"] = {"name": name, "type": media, "length": upload.length}
        event["lastUpdated"] = store.now()
        store.put("events", event_id, event)
        url = f"{base_url(request)}/event/events/{event_id}/binaries"
        body = {"self": url, "source": event_id, "name": name, "type": media, "length": upload.length}
        return created(request, body, media="application/json", location=url)

    return [Route("/event/events/{id}/binaries", attachment, methods=["GET", "POST", "PUT", "DELETE"])]
