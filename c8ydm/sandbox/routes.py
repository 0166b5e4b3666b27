"""The sandbox's HTTP surface: ONE table of (method, path, handler), in the order the router tries it.

Starlette answers a request with the first route whose path AND method match; a path that matches
only with another method answers 405, one that matches nothing 404 (app.py turns both into
Cumulocity error bodies). Paths in different groups below never match the same URL, so the order
only matters where a comment says so. A `GET` route also answers `HEAD`.

Path parameters match one segment; `{value:path}` matches the rest of the path, and the
`childkind` / `parentkind` convertors (registered here) match only the three reference kinds, which
keeps `/inventory/managedObjects/{id}/user` and the reference collections apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from c8ydm.sandbox.endpoints import (
    binaries,
    bulk,
    certificates,
    event_binaries,
    events,
    identity,
    inventory,
    operations,
    references,
    registration,
    sandbox_admin,
    software_mgmt,
    tenant,
    user_groups,
    users,
)

Handler = Callable[[Request], Awaitable[Response]]


class _Choice(Convertor[str]):
    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _ChildKind(_Choice):
    regex = "childAdditions|childAssets|childDevices"


class _ParentKind(_Choice):
    regex = "additionParents|assetParents|deviceParents"


register_url_convertor("childkind", _ChildKind())
register_url_convertor("parentkind", _ParentKind())


class Endpoint(NamedTuple):
    method: str
    path: str
    handler: Handler


MO = "/inventory/managedObjects/{id}"
CERTIFICATES = "/tenant/tenants/{tenant}/trusted-certificates"
POP = "/tenant/tenants/{tenant}/trusted-certificates-pop"

ROUTES: tuple[Endpoint, ...] = (
    # -- tenant, login, options ---------------------------------------------------------------
    Endpoint("GET", "/tenant/loginOptions", tenant.get_login_options),
    Endpoint("POST", "/tenant/oauth/token", tenant.post_oauth_token),
    Endpoint("POST", "/tenant/oauth", tenant.post_oauth),
    Endpoint("GET", "/tenant/currentTenant", tenant.get_current_tenant),
    Endpoint("GET", "/tenant/system/options/{category}/{key}", tenant.get_system_option),
    Endpoint("GET", "/tenant/options/{category}/{key}", tenant.get_tenant_option),
    # -- trusted certificates -----------------------------------------------------------------
    Endpoint("GET", CERTIFICATES, certificates.get_certificates),
    Endpoint("POST", CERTIFICATES, certificates.post_certificates),
    # Before `{fingerprint}`: `bulk` would also match it (a GET of .../bulk is a lookup of the
    # certificate with fingerprint "bulk", as before: there is no GET .../bulk).
    Endpoint("POST", f"{CERTIFICATES}/bulk", certificates.post_certificates_bulk),
    Endpoint("GET", f"{CERTIFICATES}/{{fingerprint}}", certificates.get_certificate),
    Endpoint("PUT", f"{CERTIFICATES}/{{fingerprint}}", certificates.put_certificate),
    Endpoint("DELETE", f"{CERTIFICATES}/{{fingerprint}}", certificates.delete_certificate),
    Endpoint("POST", f"{POP}/{{fingerprint}}/verification-code", certificates.post_verification_code),
    Endpoint("POST", f"{POP}/{{fingerprint}}/pop", certificates.post_proof_of_possession),
    Endpoint("GET", "/tenant/trusted-certificates/settings/crl", certificates.get_crl),
    Endpoint("PUT", "/tenant/trusted-certificates/settings/crl", certificates.put_crl),
    Endpoint("POST", "/certificate-authority", certificates.post_certificate_authority),
    Endpoint("POST", "/certificate-authority/renew", certificates.post_certificate_authority_renewal),
    # -- users, groups, roles -----------------------------------------------------------------
    Endpoint("GET", "/user/currentUser", tenant.get_current_user),
    # Order matters among `/user/{tenant}/...` and `/user/roles/{name}`: the tenant segment also
    # matches "roles". `/user/roles/users` is the users of a tenant "roles" (404 tenant/notFound)
    # and `/user/roles/groups` the role "groups" (404 user/notFound): users first, then roles,
    # then groups.
    Endpoint("GET", "/user/{tenant}/users", users.get_users),
    Endpoint("POST", "/user/{tenant}/users", users.post_users),
    Endpoint("GET", "/user/{tenant}/users/{user}", users.get_user),
    Endpoint("PUT", "/user/{tenant}/users/{user}", users.put_user),
    Endpoint("DELETE", "/user/{tenant}/users/{user}", users.delete_user),
    Endpoint("GET", "/user/{tenant}/userByName/{name}", users.get_user_by_name),
    Endpoint("GET", "/user/{tenant}/users/{user}/groups", users.get_user_groups),
    Endpoint("GET", "/user/roles", user_groups.get_roles),
    Endpoint("GET", "/user/roles/{name}", user_groups.get_role),
    Endpoint("GET", "/user/{tenant}/groups", user_groups.get_groups),
    Endpoint("GET", "/user/{tenant}/groups/{group}", user_groups.get_group),
    Endpoint("GET", "/user/{tenant}/groupByName/{name}", user_groups.get_group_by_name),
    Endpoint("GET", "/user/{tenant}/groups/{group}/users", user_groups.get_group_members),
    Endpoint("POST", "/user/{tenant}/groups/{group}/users", user_groups.post_group_members),
    Endpoint("DELETE", "/user/{tenant}/groups/{group}/users/{user}", user_groups.delete_group_member),
    # -- inventory: managed objects, references, device user -----------------------------------
    Endpoint("GET", "/inventory/managedObjects", inventory.get_managed_objects),
    Endpoint("POST", "/inventory/managedObjects", inventory.post_managed_objects),
    Endpoint("GET", MO, inventory.get_managed_object),
    Endpoint("PUT", MO, inventory.put_managed_object),
    Endpoint("DELETE", MO, inventory.delete_managed_object),
    Endpoint("GET", f"{MO}/{{kind:childkind}}", references.get_children),
    Endpoint("POST", f"{MO}/{{kind:childkind}}", references.post_children),
    Endpoint("GET", f"{MO}/{{kind:childkind}}/{{child}}", references.get_child),
    Endpoint("DELETE", f"{MO}/{{kind:childkind}}/{{child}}", references.delete_child),
    Endpoint("GET", f"{MO}/{{which:parentkind}}", references.get_parents),
    Endpoint("GET", f"{MO}/user", references.get_device_user),
    Endpoint("PUT", f"{MO}/user", references.put_device_user),
    # -- inventory: binaries ------------------------------------------------------------------
    Endpoint("GET", "/inventory/binaries", binaries.get_binaries),
    Endpoint("POST", "/inventory/binaries", binaries.post_binaries),
    Endpoint("GET", "/inventory/binaries/{id}", binaries.get_binary),
    Endpoint("PUT", "/inventory/binaries/{id}", binaries.put_binary),
    Endpoint("DELETE", "/inventory/binaries/{id}", binaries.delete_binary),
    # -- events and their attachments ---------------------------------------------------------
    Endpoint("GET", "/event/events", events.get_events),
    Endpoint("POST", "/event/events", events.post_events),
    Endpoint("GET", "/event/events/{id}", events.get_event),
    Endpoint("PUT", "/event/events/{id}", events.put_event),
    Endpoint("DELETE", "/event/events/{id}", events.delete_event),
    Endpoint("GET", "/event/events/{id}/binaries", event_binaries.get_event_binary),
    Endpoint("POST", "/event/events/{id}/binaries", event_binaries.post_event_binary),
    Endpoint("PUT", "/event/events/{id}/binaries", event_binaries.put_event_binary),
    Endpoint("DELETE", "/event/events/{id}/binaries", event_binaries.delete_event_binary),
    # -- identity -----------------------------------------------------------------------------
    Endpoint("GET", "/identity/globalIds/{id}/externalIds", identity.get_external_ids),
    Endpoint("POST", "/identity/globalIds/{id}/externalIds", identity.post_external_ids),
    Endpoint("GET", "/identity/externalIds/{type}/{value:path}", identity.get_external_id),
    Endpoint("DELETE", "/identity/externalIds/{type}/{value:path}", identity.delete_external_id),
    # -- device control: operations, bulk operations, registration -----------------------------
    Endpoint("GET", "/devicecontrol/operations", operations.get_operations),
    Endpoint("POST", "/devicecontrol/operations", operations.post_operations),
    Endpoint("DELETE", "/devicecontrol/operations", operations.delete_operations),
    Endpoint("GET", "/devicecontrol/operations/{id}", operations.get_operation),
    Endpoint("PUT", "/devicecontrol/operations/{id}", operations.put_operation),
    Endpoint("GET", "/devicecontrol/bulkoperations", bulk.get_bulk_operations),
    Endpoint("POST", "/devicecontrol/bulkoperations", bulk.post_bulk_operations),
    Endpoint("GET", "/devicecontrol/bulkoperations/{id}", bulk.get_bulk_operation),
    Endpoint("PUT", "/devicecontrol/bulkoperations/{id}", bulk.put_bulk_operation),
    Endpoint("DELETE", "/devicecontrol/bulkoperations/{id}", bulk.delete_bulk_operation),
    Endpoint("GET", "/devicecontrol/newDeviceRequests", registration.get_new_device_requests),
    Endpoint("POST", "/devicecontrol/newDeviceRequests", registration.post_new_device_requests),
    # Before `{id}`: the UI's two undocumented resources (contract §12.7 ⚠) would match it.
    Endpoint("GET", "/devicecontrol/newDeviceRequests/limit", registration.get_device_limit),
    Endpoint("POST", "/devicecontrol/newDeviceRequests/acceptAll", registration.post_accept_all),
    Endpoint("GET", "/devicecontrol/newDeviceRequests/{id}", registration.get_new_device_request),
    Endpoint("PUT", "/devicecontrol/newDeviceRequests/{id}", registration.put_new_device_request),
    Endpoint("DELETE", "/devicecontrol/newDeviceRequests/{id}", registration.delete_new_device_request),
    Endpoint("POST", "/devicecontrol/bulkNewDeviceRequests", registration.post_bulk_new_device_requests),
    # -- advanced software management, applications -------------------------------------------
    Endpoint("GET", "/service/advanced-software-mgmt/software", software_mgmt.get_software),
    Endpoint("GET", "/application/applicationsByUser/{user}", software_mgmt.get_applications_by_user),
    # -- the sandbox's own administration (never faulted, see core/faults.py) -------------------
    Endpoint("GET", "/sandbox/admin/faults", sandbox_admin.get_faults),
    Endpoint("POST", "/sandbox/admin/faults", sandbox_admin.post_faults),
    Endpoint("DELETE", "/sandbox/admin/faults", sandbox_admin.delete_faults),
)


def starlette_routes() -> list[Route]:
    """The table as Starlette routes, one per row, in the table's order."""
    return [Route(row.path, row.handler, methods=[row.method]) for row in ROUTES]
