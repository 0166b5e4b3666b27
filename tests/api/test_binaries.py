"""Binary transfers: multipart order and contents, progress, streaming download, external URLs (§1.11)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest
import respx

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, TransportError
from c8ydm.api.transfer import CHUNK_BYTES

from .conftest import BASE_URL

PATH = "/inventory/binaries"
BINARY = {
    "id": "99",
    "self": f"{BASE_URL}{PATH}/99",
    "name": "fw.zip",
    "type": "application/zip",
    "length": 10,
}


def parts(request: httpx.Request) -> list[tuple[dict[str, str], bytes]]:
    """The multipart parts, in order, as (headers, body)."""
    boundary = request.headers["Content-Type"].split("boundary=", 1)[1].encode()
    chunks = request.content.split(b"--" + boundary)
    assert chunks[0] == b"" and chunks[-1] == b"--\r\n"
    result = []
    for chunk in chunks[1:-1]:
        head, body = chunk.removeprefix(b"\r\n").split(b"\r\n\r\n", 1)
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        result.append((headers, body.removesuffix(b"\r\n")))
    return result


def test_upload_sends_file_then_object_with_progress(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    data = bytes(range(256)) * (CHUNK_BYTES // 128)  # two chunks
    source = tmp_path / "fw.zip"
    source.write_bytes(data)
    route = router.post(PATH).respond(201, json=BINARY)
    progress: list[tuple[int, int]] = []
    binary = client.binaries.upload(
        source, fragments={"c8y_Global": {}}, on_progress=lambda *a: progress.append(a)
    )
    assert binary.id == "99" and binary.self_url == f"{BASE_URL}{PATH}/99"
    request = route.calls.last.request
    assert request.headers["Accept"] == "application/json"
    assert int(request.headers["Content-Length"]) == len(request.content)
    (file_headers, file_body), (object_headers, object_body) = parts(request)
    assert file_headers == {
        "Content-Disposition": 'form-data; name="file"; filename="fw.zip"',
        "Content-Type": "application/zip",
    }
    assert file_body == data
    assert object_headers == {"Content-Disposition": 'form-data; name="object"'}  # no part Content-Type
    assert json.loads(object_body) == {"name": "fw.zip", "type": "application/zip", "c8y_Global": {}}
    assert progress == [(0, len(data)), (CHUNK_BYTES, len(data)), (len(data), len(data))]


def test_fragments_made_from_the_digest_carry_the_sha256_computed_while_the_file_streams(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    data = bytes(range(256)) * (CHUNK_BYTES // 64)  # four chunks
    source = tmp_path / "fw.bin"
    source.write_bytes(data)
    route = router.post(PATH).respond(201, json=BINARY)

    client.binaries.upload(source, fragments=lambda sha256: {"marker": {"sha256": sha256}})

    request = route.calls.last.request
    assert int(request.headers["Content-Length"]) == len(request.content)  # announced before the digest
    (_, file_body), (_, object_body) = parts(request)
    assert file_body == data
    assert json.loads(object_body) == {
        "name": "fw.bin", "type": "application/octet-stream",
        "marker": {"sha256": hashlib.sha256(data).hexdigest()},
    }  # fmt: skip


def test_upload_falls_back_to_c8y_upload_for_unknown_extensions(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    source = tmp_path / "config.weird"
    source.write_text("a=1")
    route = router.post(PATH).respond(201, json=BINARY)
    client.binaries.upload(source)
    (file_headers, _), (_, object_body) = parts(route.calls.last.request)
    assert file_headers["Content-Type"] == "c8y_upload"
    assert json.loads(object_body) == {"name": "config.weird", "type": "c8y_upload"}


def test_upload_bytes_names_the_file(client: Client, router: respx.MockRouter) -> None:
    route = router.post(PATH).respond(201, json=BINARY)
    client.binaries.upload_bytes(b"key: v\n", name="snapshot.yaml", content_type="c8y_upload")
    (file_headers, body), _ = parts(route.calls.last.request)
    assert file_headers["Content-Disposition"] == 'form-data; name="file"; filename="snapshot.yaml"'
    assert body == b"key: v\n"


def test_upload_of_a_missing_file_fails_before_any_request(client: Client, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        client.binaries.upload(tmp_path / "nope.bin")


def test_download_streams_into_the_file(client: Client, router: respx.MockRouter, tmp_path: Path) -> None:
    data = b"x" * (CHUNK_BYTES + 10)
    route = router.get(f"{PATH}/99").respond(200, content=data, headers={"Content-Type": "application/zip"})
    progress: list[tuple[int, int | None]] = []
    target = client.binaries.download(
        "99", tmp_path / "out" / "fw.zip", on_progress=lambda *a: progress.append(a)
    )
    assert target.read_bytes() == data
    assert route.calls.last.request.headers["Accept"] == "*/*"
    assert progress[-1] == (len(data), len(data))
    assert not (tmp_path / "out" / "fw.zip.part").exists()


def test_download_url_of_an_internal_binary_uses_the_tenant(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    route = router.get(f"{PATH}/123").respond(200, content=b"abc")
    client.binaries.download_url(
        "https://other-domain.example.com/inventory/binaries/123", tmp_path / "a.bin"
    )
    assert route.called and (tmp_path / "a.bin").read_bytes() == b"abc"


def test_download_url_of_an_external_server_sends_no_credentials(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    route = router.get("https://cdn.example.org/fw/1.0.bin").respond(200, content=b"firmware")
    client.binaries.download_url("https://cdn.example.org/fw/1.0.bin", tmp_path / "fw.bin")
    assert (tmp_path / "fw.bin").read_bytes() == b"firmware"
    assert "Authorization" not in route.calls.last.request.headers


def test_external_url_that_does_not_resolve_names_that_host_not_the_tenant(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    router.get("https://cdn.example.org/fw/1.0.bin").mock(
        side_effect=httpx.ConnectError("[Errno -3] Temporary failure in name resolution")
    )

    with pytest.raises(TransportError) as caught:
        client.binaries.download_url("https://user:pw@cdn.example.org/fw/1.0.bin", tmp_path / "fw.bin")

    assert caught.value.message == (
        "cannot resolve host cdn.example.org of the external URL https://cdn.example.org/fw/1.0.bin"
    )
    assert caught.value.hint == (
        "the file is on cdn.example.org, not on the tenant: check that URL (or this machine's DNS)"
    )
    assert "pw" not in f"{caught.value.message} {caught.value.hint}"


def test_external_url_that_refuses_names_its_host_and_port(
    client: Client, router: respx.MockRouter, tmp_path: Path
) -> None:
    router.get("http://files.example.org:8080/fw.bin").mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(TransportError, match=r"^cannot connect to files\.example\.org:8080: refused$"):
        client.binaries.download_url("http://files.example.org:8080/fw.bin", tmp_path / "fw.bin")


def test_get_reads_the_binary_managed_object(client: Client, router: respx.MockRouter) -> None:
    route = router.get("/inventory/managedObjects/99").respond(
        200, json={**BINARY, "contentType": "application/zip"}
    )
    assert client.binaries.get("99").content_type == "application/zip"
    assert route.called


def test_replace_puts_the_raw_file(client: Client, router: respx.MockRouter, tmp_path: Path) -> None:
    source = tmp_path / "fw2.zip"
    source.write_bytes(b"new content")
    route = router.put(f"{PATH}/99").respond(201, json=BINARY)
    client.binaries.replace("99", source)
    request = route.calls.last.request
    assert request.content == b"new content"
    assert request.headers["Content-Type"] == "application/zip"


def test_delete_and_list(client: Client, router: respx.MockRouter) -> None:
    delete = router.delete(f"{PATH}/99").respond(204)
    listing = router.get(PATH).respond(
        200, json={"managedObjects": [BINARY], "statistics": {"totalPages": 1}}
    )
    client.binaries.delete("99")
    assert [b.name for b in client.binaries.list(owner="admin", type="application/zip")] == ["fw.zip"]
    assert delete.called
    assert dict(listing.calls.last.request.url.params) == {
        "owner": "admin",
        "type": "application/zip",
        "pageSize": "2000",
        "currentPage": "1",
        "withTotalPages": "true",
    }


def test_url_of_a_binary_is_its_self_link_else_built_from_the_tenant() -> None:
    from c8ydm.api.client import Client
    from c8ydm.api.models.inventory import Binary

    with Client("https://t100.example.com", None) as client:
        linked = Binary.model_validate({"id": "7", "self": "https://t100.example.com/inventory/binaries/7"})
        bare = Binary.model_validate({"id": "8"})
        assert client.binaries.url_of(linked) == "https://t100.example.com/inventory/binaries/7"
        assert client.binaries.url_of(bare) == "https://t100.example.com/inventory/binaries/8"


def test_an_upload_cut_short_stops_its_hashing_thread(tmp_path: Path) -> None:
    import threading

    from c8ydm.api.transfer import MultipartUpload

    source = tmp_path / "fw.bin"
    source.write_bytes(b"x" * (CHUNK_BYTES * 3))
    body = iter(
        MultipartUpload(source, filename="fw.bin", mime="x", object_part=lambda sha256: {"s": sha256})
    )
    next(body), next(body)  # the head and the first chunk: the hashing thread is running

    body.close()  # what httpx does when the connection fails mid-upload

    for worker in [t for t in threading.enumerate() if t.name == "c8ydm-sha256"]:
        worker.join(timeout=5)
        assert not worker.is_alive()


def test_each_upload_has_its_own_long_dash_led_boundary(client: Client, router: respx.MockRouter) -> None:
    # Dashes and 128 random bits, as browsers and curl make it; within RFC 2046's 70 characters.
    route = router.post(PATH).respond(201, json=BINARY)
    client.binaries.upload_bytes(b"one", name="a.bin")
    client.binaries.upload_bytes(b"two", name="b.bin")

    first, second = (call.request.headers["Content-Type"].split("boundary=", 1)[1] for call in route.calls)
    assert first != second
    for boundary in (first, second):
        assert len(boundary) == 56 and boundary.startswith("-" * 24)
        int(boundary[24:], 16)  # the random part is hex
