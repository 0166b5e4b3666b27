"""Tenant models: the current tenant, login options, system options (contract §1.2, §11.3)."""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from c8ydm.api.models.base import C8yModel


class CurrentTenant(C8yModel):
    """``GET /tenant/currentTenant``; ``name`` is the tenant id (§1.2)."""

    name: str | None = None
    domain_name: str | None = Field(default=None, alias="domainName")
    self_url: str | None = Field(default=None, alias="self")


class LoginOptionType(str, Enum):
    """The login option types of ``GET /tenant/loginOptions`` (§1.2)."""

    OAUTH2_INTERNAL = "OAUTH2_INTERNAL"
    BASIC = "BASIC"
    OAUTH2 = "OAUTH2"


class LoginOption(C8yModel):
    """One login option; ``initRequest`` may carry the ``tenant_id``."""

    type: str | None = None
    grant_type: str | None = Field(default=None, alias="grantType")
    init_request: str | None = Field(default=None, alias="initRequest")


class SystemOption(C8yModel):
    """A tenant system option ``{category, key, value}``; ``value`` is always a string (§11.3)."""

    category: str | None = None
    key: str | None = None
    value: str | None = None
