"""The request recorder (c8ydm/sandbox/core/recorder.py): one JSON line per request, bodies replayed
intact."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from c8ydm.sandbox.core.recorder import (
    ENV_VAR,
    MAX_BODY_BYTES,
    SECRET_MASK,
    RequestRecorder,
    from_environment,
)

Scope = dict[str, Any]


class EchoApp:
    """Answers 201 with the body it read, so the test sees what the application received."""

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send(
            {"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": body})


def send(path: Path, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=RequestRecorder(EchoApp(), path))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(go())


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_json_request_is_recorded_and_reaches_the_app_unchanged(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    body = {"deviceId": "1", "c8y_Restart": {}}

    response = send(log, "POST", "/devicecontrol/operations?x=a%2Fb", json=body, auth=("t/u", "secret"))

    assert json.loads(response.content) == body
    assert records(log) == [
        {
            "method": "POST",
            "path": "/devicecontrol/operations",
            "query": "x=a%2Fb",
            "contentType": "application/json",
            "accept": "*/*",
            "authorization": True,
            "body": body,
            "status": 201,
        }
    ]
    assert "secret" not in log.read_text()


def test_form_body_is_text_and_multipart_only_its_type(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"

    send(log, "POST", "/tenant/oauth/token", data={"grant_type": "PASSWORD", "username": "u"})
    response = send(log, "POST", "/inventory/binaries", files={"file": ("a.bin", b"\x00\x01")})

    assert b"a.bin" in response.content  # the upload streamed through untouched
    form, upload = records(log)
    assert form["body"] == "grant_type=PASSWORD&username=u"
    assert upload["contentType"].startswith("multipart/form-data; boundary=")
    assert "body" not in upload and upload["authorization"] is False


def test_no_credential_value_is_ever_written(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    bearer = {"Authorization": "Bearer tok-CANARY-1", "Cookie": "authorization=cookie-CANARY-2"}
    login = {"grant_type": "PASSWORD", "username": "u", "password": "pw-CANARY-3", "tfa_code": "CANARY-4"}
    user = {"userName": "d", "password": "pw-CANARY-5", "nested": [{"newPassword": "pw-CANARY-6"}]}

    send(log, "GET", "/inventory/managedObjects", headers=bearer)
    delivered = send(log, "POST", "/tenant/oauth/token", data=login)
    send(log, "POST", "/user/t100/users", json=user, auth=("t/u", "basic-CANARY-7"))
    send(
        log, "POST", "/x", content=b'{"password": "pw-CANARY-8"', headers={"Content-Type": "application/json"}
    )

    assert "CANARY" not in log.read_text(encoding="utf-8")
    assert b"pw-CANARY-3" in delivered.content  # masked in the record only, not for the application
    get, form, created, broken = records(log)
    assert get["authorization"] is True and "Cookie" not in json.dumps(get)
    assert form["body"] == f"grant_type=PASSWORD&username=u&password={SECRET_MASK}&tfa_code={SECRET_MASK}"
    assert created["body"] == {
        "userName": "d",
        "password": SECRET_MASK,
        "nested": [{"newPassword": SECRET_MASK}],
    }
    assert broken["body"] == SECRET_MASK


def test_a_body_over_the_limit_is_omitted_but_delivered(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    big = {"data": "x" * (MAX_BODY_BYTES + 10)}

    response = send(log, "PUT", "/inventory/managedObjects/1", json=big)

    assert len(response.content) > MAX_BODY_BYTES
    [record] = records(log)
    assert record["bodyOmitted"] is True and "body" not in record


def test_the_recorder_is_used_only_when_the_environment_names_a_file(tmp_path: Path) -> None:
    app = EchoApp()

    assert from_environment(app, {}) is app  # type: ignore[arg-type]
    wrapped = from_environment(app, {ENV_VAR: str(tmp_path / "r.jsonl")})
    assert isinstance(wrapped, RequestRecorder) and wrapped.path == tmp_path / "r.jsonl"
