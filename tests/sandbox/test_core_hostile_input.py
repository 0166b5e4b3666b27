"""The sandbox answers odd but valid input as a tenant would (issue 14): a non-ASCII password is a
plain 401, never a 500; a UTF-8 file name (RFC 7578 §4.2, what browsers and httpx send) is kept."""

from __future__ import annotations

import httpx
from support.sandbox import SandboxInstance


def test_a_non_ascii_password_is_401_not_500(sandbox: SandboxInstance) -> None:
    for user in (sandbox.user, sandbox.readonly_user, "no-such-user"):
        answer = httpx.get(
            f"{sandbox.url}/inventory/managedObjects", auth=(f"{sandbox.tenant}/{user}", "pässwörd-€")
        )
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"] == "security/Unauthorized"


def test_an_upload_named_in_utf8_is_accepted_and_keeps_its_name(api: httpx.Client) -> None:
    name = "ünï €.bin"
    created = api.post(
        "/inventory/binaries",
        files={"file": (name, b"payload", "application/octet-stream")},
        data={"object": '{"name": "ünï €.bin", "type": "application/octet-stream"}'},
        headers={"Accept": "application/json"},
    )

    assert created.status_code == 201, created.text
    assert created.json()["name"] == name
    assert api.get(f"/inventory/managedObjects/{created.json()['id']}").json()["name"] == name
    api.delete(f"/inventory/binaries/{created.json()['id']}")


def test_fault_draws_can_start_from_a_given_seed(api: httpx.Client) -> None:
    rules = [{"pattern": "^GET /inventory/managedObjects$", "kind": "503", "rate": 0.5}]

    def statuses(seed: int) -> list[int]:
        api.post("/sandbox/admin/faults", params={"seed": seed}, json=rules).raise_for_status()
        try:
            return [api.get("/inventory/managedObjects").status_code for _ in range(12)]
        finally:
            api.delete("/sandbox/admin/faults")

    first, again, other = statuses(1), statuses(1), statuses(2)
    assert first == again and first != other and set(first) == {200, 503}
    assert api.post("/sandbox/admin/faults", params={"seed": "x"}, json=rules).status_code == 422
