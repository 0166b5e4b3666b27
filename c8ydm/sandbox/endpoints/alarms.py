"""Alarms: `/alarm/alarms` (spec tag "Alarms"); the rules are in model/alarms.py.

GET    /alarm/alarms          source, type, status, severity (comma lists), resolved, dateFrom/dateTo,
                              createdFrom/createdTo, lastUpdatedFrom/lastUpdatedTo,
                              withSourceAssets/withSourceDevices/withSourceChildren, paging
POST   /alarm/alarms          {"source": {"id"}, "type", "text", "severity", "time"} -> 201
                              (an open alarm of the same source and type counts one more instead)
GET    /alarm/alarms/count    the number of matching alarms (an integer)
GET    /alarm/alarms/{id}
PUT    /alarm/alarms/{id}     text, status, severity, custom fragments
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core import auth
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, read_json
from c8ydm.sandbox.model import alarms as alarm_model
from c8ydm.sandbox.model.alarms import MEDIA, create_alarm, render_alarm, select_alarms, update_alarm
from c8ydm.sandbox.state import state_of


async def get_alarms(request: Request) -> Response:
    base = base_url(request)
    auth.require(request)
    return paged_response(
        request,
        select_alarms(state_of(request), request),
        "alarms",
        self_path="/alarm/alarms",
        render=lambda doc: render_alarm(base, doc),
    )


async def post_alarms(request: Request) -> Response:
    base = base_url(request)
    auth.require(request, write=True)
    doc = create_alarm(state_of(request), await read_json(request))
    url = f"{base}/alarm/alarms/{doc['id']}"
    return created(request, render_alarm(base, doc), media=MEDIA, location=url)


async def get_alarms_with_slash(request: Request) -> Response:
    """`GET /alarm/alarms/`: the official SDK's resource path ends with a slash; a tenant answers it
    like `/alarm/alarms` (the SDK works against real tenants), not with a redirect."""
    return await get_alarms(request)


async def post_alarms_with_slash(request: Request) -> Response:
    """`POST /alarm/alarms/`: the official SDK creates alarms here (see `get_alarms_with_slash`)."""
    return await post_alarms(request)


async def get_alarm_count(request: Request) -> Response:
    auth.require(request)
    return json_response(len(select_alarms(state_of(request), request)))


async def get_alarm(request: Request) -> Response:
    auth.require(request)
    doc = alarm_model.get_alarm(state_of(request), request.path_params["id"])
    return json_response(render_alarm(base_url(request), doc), media=MEDIA)


async def put_alarm(request: Request) -> Response:
    state = state_of(request)
    auth.require(request, write=True)
    doc = alarm_model.get_alarm(state, request.path_params["id"])
    doc = update_alarm(state, doc, await read_json(request))
    return json_response(render_alarm(base_url(request), doc), media=MEDIA)
