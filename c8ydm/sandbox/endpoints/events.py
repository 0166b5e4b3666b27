"""Events: `/event/events` (contract §8.3). Attachments are in event_binaries.py.

POST   /event/events          {"source": {"id"}, "type", "text", "time", ...fragments} -> 201
GET    /event/events          source, type, fragmentType, dateFrom/dateTo, createdFrom/createdTo,
                              revert, paging (model/events.py: newest first by default)
GET|PUT|DELETE /event/events/{id}
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json
from c8ydm.sandbox.model import events as event_model
from c8ydm.sandbox.model.events import MEDIA, create_event, render_event, select_events, update_event
from c8ydm.sandbox.state import state_of


async def get_events(request: Request) -> Response:
    base = base_url(request)
    auth.require(request)
    return paged_response(
        request,
        select_events(state_of(request), request),
        "events",
        self_path="/event/events",
        render=lambda doc: render_event(base, doc),
    )


async def post_events(request: Request) -> Response:
    base = base_url(request)
    auth.require(request, write=True)
    doc = create_event(state_of(request), await read_json(request))
    url = f"{base}/event/events/{doc['id']}"
    return created(request, render_event(base, doc), media=MEDIA, location=url)


async def get_event(request: Request) -> Response:
    auth.require(request)
    doc = event_model.get_event(state_of(request), request.path_params["id"])
    return json_response(render_event(base_url(request), doc), media=MEDIA)


async def put_event(request: Request) -> Response:
    state = state_of(request)
    auth.require(request, write=True)
    doc = event_model.get_event(state, request.path_params["id"])
    doc = update_event(state, doc, await read_json(request))
    return json_response(render_event(base_url(request), doc), media=MEDIA)


async def delete_event(request: Request) -> Response:
    state, event_id = state_of(request), request.path_params["id"]
    auth.require(request, write=True)
    event_model.get_event(state, event_id)
    state.store.delete("events", event_id)
    (state.options.binaries_dir / f"event-{event_id}").unlink(missing_ok=True)
    return no_content()
