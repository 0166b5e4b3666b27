"""Download (contract §3.7, §1.1): internal binaries through the tenant, external URLs without credentials."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from support.repo_mock import (
    BASE_URL,
    MO_PATH,
    ScriptedTenant,
    binary_mo,
    entry_mo,
    make_client,
    page,
    version_mo,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.views.repository import download_view
from c8ydm.procedures.repository.download import download_file
from c8ydm.procedures.repository.kinds import FIRMWARE

VERSIONS = "$filter=(bygroupid(10)) $orderby=creationTime.date desc"
DATA = b"firmware bytes"


@pytest.fixture
def tenant(oas_router: respx.MockRouter) -> ScriptedTenant:
    tenant = ScriptedTenant(oas_router)
    tenant.on(
        "GET",
        MO_PATH,
        page([entry_mo("10", "fw")]),
        query="$filter=((type eq 'c8y_Firmware') and (name eq 'fw'))",
    )
    tenant.on(
        "GET",
        MO_PATH,
        page(
            [
                version_mo("13", "2.0", "https://files.example.com/dl/fw%202.0.bin"),
                version_mo("14", "1.0.1", f"{BASE_URL}/inventory/binaries/51", dependency="1.0"),
                version_mo("12", "1.0", f"{BASE_URL}/inventory/binaries/50"),
                version_mo("15", "0.1", ""),
            ]
        ),
        query=VERSIONS,
    )
    tenant.on("GET", f"{MO_PATH}/50", binary_mo("50", name="../fw-1.0.bin"))
    tenant.on("GET", f"{MO_PATH}/51", binary_mo("51", name="fw-1.0.1.patch"))
    tenant.on("GET", "/inventory/binaries/50", httpx.Response(200, content=DATA))
    tenant.on("GET", "/inventory/binaries/51", httpx.Response(200, content=b"patch"))
    return tenant


@pytest.fixture
def client(tenant: ScriptedTenant) -> Iterator[Client]:
    with make_client() as api:
        yield api


def test_internal_binary_is_streamed_under_its_own_name(
    client: Client, tenant: ScriptedTenant, tmp_path: Path
) -> None:
    result = download_file(client, FIRMWARE, "fw", version="1.0", to=tmp_path)

    assert result.path == tmp_path / "fw-1.0.bin"  # the "../" of the stored name is dropped
    assert result.path.read_bytes() == DATA
    assert (result.size, result.sha256) == (len(DATA), hashlib.sha256(DATA).hexdigest())
    content_call = tenant.calls[-1]
    assert content_call.path == "/inventory/binaries/50"


def test_a_patch_downloads_the_patch_file(client: Client, tmp_path: Path) -> None:
    result = download_file(client, FIRMWARE, "fw", version="1.0", patch="1.0.1", to=tmp_path / "p.bin")

    assert result.path.read_bytes() == b"patch"
    assert download_view(result).document["patch"] == "1.0.1"


def test_external_url_is_fetched_without_credentials(
    client: Client, oas_router: respx.MockRouter, tmp_path: Path
) -> None:
    route = oas_router.get("https://files.example.com/dl/fw%202.0.bin").respond(200, content=b"external")

    result = download_file(client, FIRMWARE, "fw", version="2.0", to=tmp_path)

    assert result.path == tmp_path / "fw 2.0.bin"
    assert result.path.read_bytes() == b"external"
    assert "Authorization" not in route.calls.last.request.headers


def test_an_existing_file_is_kept_unless_overwrite(
    client: Client, tenant: ScriptedTenant, tmp_path: Path
) -> None:
    target = tmp_path / "fw-1.0.bin"
    target.write_bytes(b"mine")

    with pytest.raises(InputError, match="already exists"):
        download_file(client, FIRMWARE, "fw", version="1.0", to=tmp_path)
    assert target.read_bytes() == b"mine"
    assert "/inventory/binaries/50" not in [c.path for c in tenant.calls]

    download_file(client, FIRMWARE, "fw", version="1.0", to=tmp_path, overwrite=True)
    assert target.read_bytes() == DATA


def test_a_version_provided_by_the_device_has_nothing_to_download(client: Client, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="has no file"):
        download_file(client, FIRMWARE, "fw", version="0.1", to=tmp_path)
