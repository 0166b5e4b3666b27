"""Advanced software management, read side (contract §7.2 source 1), and the user's applications.

    GET /service/advanced-software-mgmt/software?deviceId=&name=&version=&type=&pageSize=&currentPage=
        -> {"softwareList": [{"name", "version", "url", "softwareType"}], "statistics", "self", ...}
    GET /application/applicationsByUser/{userName}
        -> the applications of a user; `advanced-software-mgmt` is among them, which is how the UI
           decides that the service is available (contract §7.2)
The service's data and filters are in model/software_mgmt.py.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from c8ydm.sandbox.core.auth import require
from c8ydm.sandbox.core.paging import paged_response
from c8ydm.sandbox.core.responses import base_url, vendor
from c8ydm.sandbox.model.software_mgmt import SERVICE_NAME, software_items
from c8ydm.sandbox.state import state_of

# The applications a device-management user of a real tenant is subscribed to.
_APPLICATIONS = (
    ("1", "administration", "HOSTED"),
    ("2", "cockpit", "HOSTED"),
    ("3", "devicemanagement", "HOSTED"),
    ("10", SERVICE_NAME, "MICROSERVICE"),
)


async def get_software(request: Request) -> Response:
    require(request, role="ROLE_INVENTORY_READ")
    return paged_response(
        request,
        software_items(state_of(request), request.query_params),
        "softwareList",
        self_path="/service/advanced-software-mgmt/software",
        media="application/json",
    )


async def get_applications_by_user(request: Request) -> Response:
    require(request)
    base = base_url(request)
    apps = [
        {
            "id": app_id,
            "name": name,
            "key": f"{name}-key",
            "contextPath": name,
            "type": kind,
            "availability": "MARKET",
            "self": f"{base}/application/applications/{app_id}",
        }
        for app_id, name, kind in _APPLICATIONS
    ]
    return paged_response(
        request,
        apps,
        "applications",
        self_path=f"/application/applicationsByUser/{request.path_params['user']}",
        media=vendor("applicationcollection"),
    )
