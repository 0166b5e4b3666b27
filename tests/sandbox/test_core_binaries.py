"""Binary upload, download with Range, replace and delete (contract §1.11)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.sandbox import SandboxInstance

PAYLOAD = bytes(range(256)) * 40  # 10 KiB, every byte value


def _multipart(parts: list[tuple[str, bytes, dict[str, str]]], boundary: str = "c8ydmtestboundary") -> bytes:
    body = b""
    for disposition, content, headers in parts:
        body += f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n".encode()
        body += "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode() + b"\r\n" + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode()


Part = tuple[str, bytes, dict[str, str]]
FILE_WITH_NAME: Part = (
    'name="file"; filename="fw.img"',
    PAYLOAD,
    {"Content-Type": "application/x-raw-disk-image"},
)
FILE_BARE: Part = ('name="file"', PAYLOAD, {})
OBJECT: Part = (
    'name="object"',
    json.dumps({"name": "fw.img", "type": "c8y_upload", "c8y_Global": {}}).encode(),
    {},
)


@pytest.mark.parametrize(
    ("parts", "content_type"),
    [
        ([FILE_WITH_NAME, OBJECT], "application/x-raw-disk-image"),  # the UI's and the SDK's order
        ([OBJECT, FILE_WITH_NAME], "application/x-raw-disk-image"),  # the other order
        ([OBJECT, FILE_BARE], "application/octet-stream"),  # no filename, no part type: guessed from name
    ],
    ids=["file-first", "object-first", "bare-file-part"],
)
def test_upload_in_either_part_order_with_or_without_filename(
    api: httpx.Client,
    sandbox: SandboxInstance,
    parts: list[tuple[str, bytes, dict[str, str]]],
    content_type: str,
) -> None:
    response = api.post(
        "/inventory/binaries",
        content=_multipart(parts),
        headers={"Content-Type": "multipart/form-data; boundary=c8ydmtestboundary"},
    )
    assert response.status_code == 201
    binary = response.json()
    assert binary["self"] == f"{sandbox.url}/inventory/binaries/{binary['id']}"
    assert (binary["name"], binary["type"], binary["length"]) == ("fw.img", "c8y_upload", len(PAYLOAD))
    assert binary["contentType"] == content_type
    assert binary["c8y_IsBinary"] == {} and binary["c8y_Global"] == {}
    download = api.get(f"/inventory/binaries/{binary['id']}", headers={"Accept": "*/*"})
    assert download.content == PAYLOAD
    as_mo = api.get(f"/inventory/managedObjects/{binary['id']}").json()
    assert as_mo["name"] == "fw.img" and as_mo["self"].endswith(f"/inventory/managedObjects/{binary['id']}")


def test_upload_with_httpx_files_and_without_object_part(api: httpx.Client) -> None:
    response = api.post("/inventory/binaries", files={"file": ("notes.txt", b"hello", "text/plain")})
    assert response.status_code == 201
    assert (response.json()["name"], response.json()["contentType"]) == ("notes.txt", "text/plain")


def test_upload_without_a_file_part_is_400(api: httpx.Client) -> None:
    response = api.post(
        "/inventory/binaries", data={"object": '{"name":"x","type":"y"}'}, files={"other": ("x", b"x")}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("binaries/")


def test_download_honours_range_with_206(api: httpx.Client) -> None:
    binary = api.post(
        "/inventory/binaries", files={"file": ("r.bin", PAYLOAD, "application/octet-stream")}
    ).json()
    partial = api.get(
        f"/inventory/binaries/{binary['id']}", headers={"Range": "bytes=100-199", "Accept": "*/*"}
    )
    assert partial.status_code == 206
    assert partial.content == PAYLOAD[100:200]
    assert partial.headers["content-range"] == f"bytes 100-199/{len(PAYLOAD)}"
    whole = api.get(f"/inventory/binaries/{binary['id']}", headers={"Accept": "*/*"})
    assert whole.headers["accept-ranges"] == "bytes"
    assert 'filename="r.bin"' in whole.headers["content-disposition"]


def test_replace_with_raw_put_answers_201_and_delete_204(api: httpx.Client, sandbox: SandboxInstance) -> None:
    binary = api.post("/inventory/binaries", files={"file": ("c.txt", b"one", "text/plain")}).json()
    replaced = api.put(
        f"/inventory/binaries/{binary['id']}",
        content=b"second version",
        headers={"Content-Type": "text/plain"},
    )
    assert replaced.status_code == 201
    assert replaced.json()["length"] == len(b"second version")
    assert (
        api.get(f"/inventory/binaries/{binary['id']}", headers={"Accept": "*/*"}).content == b"second version"
    )
    assert api.delete(f"/inventory/binaries/{binary['id']}").status_code == 204
    assert api.get(f"/inventory/binaries/{binary['id']}", headers={"Accept": "*/*"}).status_code == 404
    assert not (sandbox.data_dir / "binaries" / binary["id"]).exists()


def test_binaries_collection_lists_only_binaries_by_type(api: httpx.Client) -> None:
    kind = f"c8ydm/{os.urandom(4).hex()}"
    binary = api.post(
        "/inventory/binaries",
        files={"file": ("k.bin", b"k", kind)},
        data={"object": json.dumps({"name": "k.bin", "type": kind})},
    ).json()
    listed = api.get("/inventory/binaries", params={"type": kind, "pageSize": 2000}).json()
    assert [b["id"] for b in listed["managedObjects"]] == [binary["id"]]
    assert listed["managedObjects"][0]["self"].endswith(f"/inventory/binaries/{binary['id']}")


def _peak_rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read the server's memory")
def test_large_upload_streams_to_disk_without_holding_it_in_memory(
    api: httpx.Client, sandbox: SandboxInstance
) -> None:
    size = 32 * 1024 * 1024

    def chunks() -> Iterator[bytes]:
        yield b'--big\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
        for _ in range(size // 65536):
            yield b"\xab" * 65536
        yield b"\r\n--big--\r\n"

    before = _peak_rss_bytes(sandbox.pid)
    response = api.post(
        "/inventory/binaries", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=big"}
    )
    assert response.status_code == 201
    assert response.json()["length"] == size
    assert (sandbox.data_dir / "binaries" / response.json()["id"]).stat().st_size == size
    assert _peak_rss_bytes(sandbox.pid) - before < size // 2
    with api.stream(
        "GET", f"/inventory/binaries/{response.json()['id']}", headers={"Accept": "*/*"}
    ) as download:
        assert sum(len(chunk) for chunk in download.iter_bytes()) == size
    assert _peak_rss_bytes(sandbox.pid) - before < size // 2
