"""The tenant certificate authority (feature ``certificate-authority``, contract §13).

Shown from ``GET …/trusted-certificates?certificateAuthority=true``; created with
``POST /certificate-authority`` and renewed with ``POST /certificate-authority/renew``. The spec
gives 403, 404, 409 and 422 without saying which means "feature not enabled", so a refusal of the
create (403, 404, 422) explains the feature; 409 means a CA exists (renew it instead).
"""

from __future__ import annotations

from c8ydm.api.client import Client
from c8ydm.api.errors import (
    APIError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from c8ydm.api.models.certificates import TrustedCertificate

FEATURE_HINT = (
    "the tenant CA needs the feature certificate-authority and ROLE_TENANT_MANAGEMENT_ADMIN; "
    "ask your platform provider to enable the feature for this tenant"
)
CREATE_HINT = "create it with: c8ydm certificates ca create"


def _with_hint(error: APIError, hint: str) -> APIError:
    return type(error)(
        error.message, status_code=error.status_code, method=error.method, path=error.path, hint=hint
    )


def show_authority(client: Client) -> TrustedCertificate:
    """The tenant CA; exit 4 when the tenant has none.

    GET /tenant/tenants/{tenant}/trusted-certificates?certificateAuthority=true
    """
    found = client.certificates.authority()
    if found is None:
        raise NotFoundError("this tenant has no certificate authority", hint=CREATE_HINT)
    return found


def create_authority(client: Client) -> TrustedCertificate:
    """Create the tenant CA. POST /certificate-authority"""
    try:
        return client.certificates.create_authority()
    except ConflictError as error:
        raise _with_hint(
            error, "the tenant has a CA already; renew it with: c8ydm certificates ca renew"
        ) from None
    except (PermissionDeniedError, NotFoundError, UnprocessableEntityError) as error:
        raise _with_hint(error, FEATURE_HINT) from None


def renew_authority(client: Client) -> TrustedCertificate:
    """Renew the tenant CA with its existing keys. POST /certificate-authority/renew"""
    try:
        return client.certificates.renew_authority()
    except NotFoundError as error:
        raise _with_hint(error, CREATE_HINT) from None
    except PermissionDeniedError as error:
        raise _with_hint(error, FEATURE_HINT) from None
