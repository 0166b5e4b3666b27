"""Bulk operations: `/devicecontrol/bulkoperations` (contract §11).

    GET    /devicecontrol/bulkoperations        generalStatus, withDeleted, dateFrom/dateTo, paging
    POST   /devicecontrol/bulkoperations        {"groupId" | "failedParentId", "operationPrototype",
                                                 "startDate", "creationRamp", "note"} -> 201
    GET    /devicecontrol/bulkoperations/{id}
    PUT    /devicecontrol/bulkoperations/{id}   writable fields, generalStatus override
    DELETE /devicecontrol/bulkoperations/{id}   cancel -> 204
Validation, statuses and the scheduler are in model/bulk.py.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import require
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, created, json_response, no_content, read_json
from c8ydm.sandbox.model.bulk import (
    ADMIN_ROLE,
    BULK_MEDIA,
    READ_ROLE,
    cancel_bulk,
    create_bulk,
    get_bulk,
    render,
    select,
    update_bulk,
)
from c8ydm.sandbox.state import state_of


async def get_bulk_operations(request: Request) -> Response:
    require(request, role=READ_ROLE)
    return paged_response(
        request,
        select(state_of(request), request),
        "bulkOperations",
        self_path="/devicecontrol/bulkoperations",
        render=lambda doc: render(request, doc),
    )


async def post_bulk_operations(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    doc = create_bulk(state_of(request), await read_json(request), base_url(request))
    rendered = render(request, doc)
    return created(request, rendered, media=BULK_MEDIA, location=rendered["self"])


async def get_bulk_operation(request: Request) -> Response:
    require(request, role=READ_ROLE)
    doc = get_bulk(state_of(request), request.path_params["id"])
    return json_response(render(request, doc), media=BULK_MEDIA)


async def put_bulk_operation(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    body = await read_json(request)
    doc = update_bulk(state_of(request), request.path_params["id"], body)
    return json_response(render(request, doc), media=BULK_MEDIA)


async def delete_bulk_operation(request: Request) -> Response:
    require(request, write=True, role=ADMIN_ROLE)
    cancel_bulk(state_of(request), request.path_params["id"])
    return no_content()
