"""A Client on a respx-mocked tenant whose retry policy records sleeps instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from c8ydm.api.auth import BasicAuth
from c8ydm.api.client import Client
from c8ydm.api.retry import RetryPolicy

BASE_URL = "https://t100.example.com"
TENANT = "t100"
USER = "admin"
# A canary: tests assert that it never appears in logs, errors or dry-run records.
PASSWORD = "canary-S3cr3t-pw"


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the retry policy asked for, in order."""
    return []


@pytest.fixture
def retry_policy(sleeps: list[float]) -> RetryPolicy:
    """The default policy with a recording sleep and jitter fixed at its maximum."""
    return RetryPolicy(sleep=sleeps.append, random=lambda: 1.0, clock=lambda: 1_700_000_000.0)


@pytest.fixture
def router(oas_router: respx.MockRouter) -> respx.MockRouter:
    """The validated respx router for ``BASE_URL``."""
    return oas_router


@pytest.fixture
def client(router: respx.MockRouter, retry_policy: RetryPolicy) -> Iterator[Client]:
    """A Client with Basic auth for tenant t100, sending through the router."""
    with Client(BASE_URL, BasicAuth(USER, PASSWORD, tenant=TENANT), tenant=TENANT, retry=retry_policy) as api:
        yield api
