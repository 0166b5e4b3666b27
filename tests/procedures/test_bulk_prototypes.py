"""Bulk operations straight from the repository: the UI's prototypes exactly (contract §11.3, 14(f), 14(j)),
and ``bulk create``'s checks that refuse a bad command line before any request (exit 2)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from device_fakes import (
    BASE_URL,
    BULK,
    ORIGIN,
    RUN_ID,
    body_of,
    client,
    entry_query,
    mock_queries,
    router,
    versions_query,
)

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError, NotFoundError
from c8ydm.cli.main import run
from c8ydm.procedures.bulk.create import create_bulk
from c8ydm.procedures.bulk.prototypes import (
    Prototype,
    check_target_types,
    firmware_prototype,
    software_prototype,
)
from c8ydm.procedures.repository.versions import PackageSpec

__all__ = ["client", "router"]  # fixtures

START = "2024-05-01T12:00:00.000Z"
FW_URL = "https://t100.example.com/inventory/binaries/"
FW_ENTRY = {"id": "100", "name": "linux-image", "type": "c8y_Firmware", "c8y_Filter": {"type": "c8y_Linux"}}
LEGACY_ENTRY = {
    "id": "110",
    "name": "old-os",
    "type": "c8y_Firmware",
    "version": "1.2",
    "url": "https://x/old",
}


def fw_version(mo_id: str, v: str, dependency: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": mo_id,
        "type": "c8y_FirmwareBinary",
        "c8y_Firmware": {"version": v, "url": FW_URL + mo_id},
    }
    if dependency:
        doc["c8y_Patch"] = {"dependency": dependency}
    return doc


def sw_entry(mo_id: str, name: str, v: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The entry (typed: bulk prototypes still carry no softwareType) and its one version."""
    entry = {"id": mo_id, "name": name, "type": "c8y_Software", "softwareType": "apt"}
    version = {
        "id": f"{mo_id}1",
        "type": "c8y_SoftwareBinary",
        "c8y_Software": {"version": v, "url": f"https://pkg.example.com/{name}-{v}"},
    }
    return [(entry_query("c8y_Software", name), [entry]), (versions_query(mo_id), [version])]


@pytest.fixture
def repository(router: respx.MockRouter) -> respx.Route:
    answers = {
        entry_query("c8y_Firmware", "linux-image"): [FW_ENTRY],
        versions_query("100"): [  # newest first, as the query orders them
            fw_version("103", "6.1.2-p1", dependency="6.1.2"),
            fw_version("102", "6.1.2"),
            fw_version("101", "5.15.0"),
        ],
        entry_query("c8y_Firmware", "old-os"): [LEGACY_ENTRY],
    }
    for name, mo_id, v in (("nginx", "200", "1.24.0"), ("curl", "300", "8.0.1"), ("jq", "400", "1.7")):
        answers.update(sw_entry(mo_id, name, v))
    return mock_queries(router, answers)


@pytest.fixture
def created(router: respx.MockRouter) -> respx.Route:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={**json.loads(request.content), "id": "42", "status": "ACTIVE"})

    return router.post(BULK).mock(side_effect=answer)


def posted_prototype(client: Client, created: respx.Route, prototype: Prototype) -> Any:
    """POST the prototype (the captured request is checked against the spec) and return what was sent."""
    create_bulk(client, prototype=prototype.body, group_id="9", start_date=START, ramp=1.0)
    return body_of(created)["operationPrototype"]


def test_firmware_prototype_is_the_ui_one_plus_the_marker(
    client: Client, repository: respx.Route, created: respx.Route
) -> None:
    prototype = firmware_prototype(client, PackageSpec.parse("linux-image@5.15.0"), run_id=RUN_ID)

    assert posted_prototype(client, created, prototype) == {
        "description": "Update firmware to: linux-image (version: 5.15.0).",
        "c8y_Firmware": {"name": "linux-image", "version": "5.15.0", "url": FW_URL + "101"},
        "c8ydm_Origin": ORIGIN,
    }
    assert prototype.device_types == {"linux-image": "c8y_Linux"}


def test_firmware_without_a_version_takes_the_newest_base_version(
    client: Client, repository: respx.Route, created: respx.Route
) -> None:
    prototype = firmware_prototype(client, PackageSpec.parse("linux-image"), run_id=RUN_ID)

    assert posted_prototype(client, created, prototype) == {
        "description": "Update firmware to: linux-image (version: 6.1.2).",
        "c8y_Firmware": {"name": "linux-image", "version": "6.1.2", "url": FW_URL + "102"},
        "c8ydm_Origin": ORIGIN,
    }


def test_firmware_patch_sends_the_patch_with_is_patch_and_dependency(
    client: Client, repository: respx.Route, created: respx.Route
) -> None:
    spec = PackageSpec.parse("linux-image@6.1.2")
    prototype = firmware_prototype(client, spec, patch="6.1.2-p1", run_id=RUN_ID)

    assert posted_prototype(client, created, prototype) == {
        "description": "Update firmware to: linux-image (version: 6.1.2-p1).",
        "c8y_Firmware": {
            "name": "linux-image",
            "version": "6.1.2-p1",
            "url": FW_URL + "103",
            "isPatch": True,
            "dependency": "6.1.2",
        },
        "c8ydm_Origin": ORIGIN,
    }


def test_legacy_firmware_takes_version_and_url_from_the_entry(
    client: Client, repository: respx.Route
) -> None:
    prototype = firmware_prototype(client, PackageSpec.parse("old-os"), run_id=RUN_ID)

    assert prototype.body["c8y_Firmware"] == {"name": "old-os", "version": "1.2", "url": "https://x/old"}
    assert prototype.body["description"] == "Update firmware to: old-os (version: 1.2)."
    assert prototype.device_types == {}


@pytest.mark.parametrize(
    ("spec", "patch", "error"),
    [("linux-image@9.9", None, NotFoundError), ("linux-image@6.1.2", "6.1.2-p9", NotFoundError),
     ("old-os", "1.2-p1", InputError)],
)  # fmt: skip
def test_unknown_version_or_patch_is_refused(
    client: Client, repository: respx.Route, spec: str, patch: str | None, error: type[Exception]
) -> None:
    with pytest.raises(error):
        firmware_prototype(client, PackageSpec.parse(spec), patch=patch)


@pytest.mark.parametrize(
    ("names", "description"),
    [
        (["nginx@1.24.0"], "Update software to: nginx (version 1.24.0)"),
        (["nginx@1.24.0", "curl"], "Update software to: nginx (version 1.24.0) and one other"),
        (["curl", "nginx", "jq@1.7"], "Update software to: curl (version 8.0.1) and 2 others"),
    ],
)
def test_software_prototype_lists_every_item_without_software_type(
    client: Client, repository: respx.Route, created: respx.Route, names: list[str], description: str
) -> None:
    specs = [PackageSpec.parse(name) for name in names]
    prototype = software_prototype(client, specs, run_id=RUN_ID)

    versions = {"nginx": "1.24.0", "curl": "8.0.1", "jq": "1.7"}
    items = [
        {"name": s.name, "version": versions[s.name], "url": f"https://pkg.example.com/{s.name}-{versions[s.name]}",
         "action": "install"}
        for s in specs
    ]  # fmt: skip
    assert posted_prototype(client, created, prototype) == {
        "description": description,
        "c8y_SoftwareUpdate": items,
        "c8ydm_Origin": ORIGIN,
    }


def test_software_named_twice_is_refused_before_any_request(client: Client, router: respx.MockRouter) -> None:
    with pytest.raises(InputError, match="software named more than once: nginx"):
        software_prototype(client, [PackageSpec("nginx"), PackageSpec("nginx", "1.0")])

    assert not router.calls


@pytest.mark.parametrize(
    ("types", "is_allowed"), [(["c8y_Linux"], True), ([], True), (["c8y_Linux", "c8y_Gateway"], False)]
)
def test_targeted_types_must_match_the_entry_device_type(types: list[str], is_allowed: bool) -> None:
    prototype = Prototype({}, {"linux-image": "c8y_Linux"})

    if is_allowed:
        check_target_types(prototype, types)
    else:
        with pytest.raises(
            InputError, match=r"'linux-image' is for devices of type 'c8y_Linux', not 'c8y_Gateway'"
        ):
            check_target_types(prototype, types)


# --- the command: exactly one source, one target; --patch only with --firmware (exit 2, no request)


@pytest.fixture
def connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A C8Y_* connection to the respx tenant, config in a temp dir, stdin not a terminal."""
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("C8YDM_CACHE_DIR", str(tmp_path / "cache"))
    for name, value in (("C8Y_HOST", BASE_URL), ("C8Y_TENANT", "t100"), ("C8Y_USER", "admin")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("C8Y_PASSWORD", "pw")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--firmware", "fw", "--software", "sw", "--group", "G"],
         "give exactly one source: --from-operation, --firmware, --software, --config, --profile"),
        (["--from-operation", "1", "--firmware", "fw", "--group", "G"],
         "give exactly one source: --from-operation, --firmware, --software, --config, --profile"),
        (["--group", "G"],
         "give exactly one source: --from-operation, --firmware, --software, --config, --profile"),
        (["--firmware", "fw"], "give exactly one target: --group, --query or --type"),
        (["--firmware", "fw", "--group", "G", "--query", "type eq 'x'"],
         "give exactly one target: --group, --query or --type"),
        (["--firmware", "fw", "--group", "G", "--type", "A", "--type", "B"],
         "--type restricts --group or --query to ONE device type"),
        (["--software", "sw", "--patch", "p1", "--group", "G"],
         "--patch needs --firmware NAME@VERSION (the patch's base version)"),
        (["--firmware", "fw@", "--group", "G"], "empty version in 'fw@'"),
        (["--firmware", "fw", "--group", "G", "--start", "yesterday"], "not a start time: 'yesterday'"),
    ],
)  # fmt: skip
def test_bad_command_lines_exit_2_before_any_request(
    router: respx.MockRouter,
    connection: None,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code = run(["bulk", "create", *args, "-o", "json"])

    assert (code, json.loads(capsys.readouterr().out)["error"]["message"]) == (2, message)
    assert not router.calls
