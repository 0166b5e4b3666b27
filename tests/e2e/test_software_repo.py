"""End to end: the software repository through the real ``c8ydm`` entry point and a sandbox tenant."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _repo_helpers import PREFIX, Runner, binary_url, pick, versions_of
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e

EXTERNAL = "https://files.example.com/apt/nginx_1.25.0.deb"


@pytest.fixture
def cli(c8ydm: Callable[..., Any], sandbox: SandboxInstance) -> Runner:
    return Runner(c8ydm, sandbox)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "nginx_1.24.0.deb"
    path.write_bytes(b"!<arch>\n" + bytes(range(256)) * 64)
    return path


def test_software_add_with_software_type_then_show_list_and_a_url_version(
    cli: Runner, sandbox: SandboxInstance, package: Path
) -> None:
    first = cli.ok("software", "add", PREFIX + "nginx", "--version", "1.24.0", "--file", str(package),
                   "--description", "Web server", "--software-type", "apt", "--device-type", "c8y_Linux",
                   "-o", "json").json()  # fmt: skip
    second = cli.ok(
        "software", "add", PREFIX + "nginx", "--version", "1.25.0", "--url", EXTERNAL, "-o", "json"
    ).json()

    binary_id = first["binary"]["id"]
    assert first["status"] == "created"
    assert pick(
        first["entry"], ("name", "type", "description", "softwareType", "c8y_Filter", "c8y_Global")
    ) == {
        "name": PREFIX + "nginx",
        "type": "c8y_Software",
        "description": "Web server",
        "softwareType": "apt",
        "c8y_Filter": {"type": "c8y_Linux"},
        "c8y_Global": {},
    }
    assert pick(first["version"], ("type", "c8y_Software", "c8y_Global")) == {
        "type": "c8y_SoftwareBinary",
        "c8y_Software": {"version": "1.24.0", "url": binary_url(sandbox, binary_id)},
        "c8y_Global": {},
    }
    assert second["entry"]["softwareType"] == "apt"  # kept by the PUT of the existing entry

    show = cli.ok("software", "show", PREFIX + "nginx", "-o", "json").json()
    listed = cli.ok(
        "software", "list", "--software-type", "apt", "--name", PREFIX + "nginx", "-o", "json"
    ).json()
    table = cli.ok("software", "list", "--name", PREFIX + "nginx", "-o", "csv").stdout

    assert versions_of(show, "c8y_Software") == [
        ("1.25.0", EXTERNAL, []),
        ("1.24.0", binary_url(sandbox, binary_id), []),
    ]
    assert "patches" not in show["versions"][0]
    assert [(row["name"], row["softwareType"], row["versionCount"]) for row in listed] == [
        (PREFIX + "nginx", "apt", 2)
    ]
    entry_id = first["entry"]["id"]
    assert (
        table
        == f"name,softwareType,c8y_Filter.type,versionCount,id\n{PREFIX}nginx,apt,c8y_Linux,2,{entry_id}\n"
    )
    assert (
        cli.ok(
            "software", "list", "--software-type", "docker", "--name", PREFIX + "nginx", "-o", "json"
        ).json()
        == []
    )


def test_new_software_needs_a_software_type(cli: Runner) -> None:
    result = cli(
        "software",
        "add",
        PREFIX + "untyped",
        "--version",
        "1",
        "--url",
        EXTERNAL,
        "--description",
        "d",
        "-o",
        "json",
    )

    assert result.code == 2
    assert result.json()["error"]["message"] == (
        f"software '{PREFIX}untyped' does not exist yet: a new software needs --software-type"
    )


def test_software_has_no_patches(cli: Runner) -> None:
    result = cli("software", "add", "x", "--version", "1", "--patch", "1.1", "--url", EXTERNAL)

    assert result.code == 2 and "No such option: --patch" in result.stderr


def test_edit_software_type_and_download(cli: Runner, package: Path, tmp_path: Path) -> None:
    cli.ok("software", "add", PREFIX + "agent", "--version", "3.0", "--file", str(package),
           "--description", "Agent", "--software-type", "apt")  # fmt: skip

    edited = cli.ok("software", "edit", PREFIX + "agent", "--software-type", "docker", "-o", "json").json()
    result = cli.ok(
        "software",
        "download",
        PREFIX + "agent",
        "--version",
        "3.0",
        "--to",
        str(tmp_path / "a.deb"),
        "-o",
        "json",
    )

    assert edited["softwareType"] == "docker"
    assert (tmp_path / "a.deb").read_bytes() == package.read_bytes()
    assert result.json()["size"] == package.stat().st_size


def test_deleting_versions_then_the_last_one_removes_the_software(cli: Runner) -> None:
    cli.ok(
        "software",
        "add",
        PREFIX + "tool",
        "--version",
        "1",
        "--url",
        EXTERNAL,
        "--description",
        "T",
        "--software-type",
        "pip",
    )
    cli.ok("software", "add", PREFIX + "tool", "--version", "2", "--url", EXTERNAL)

    refused = cli("software", "delete", PREFIX + "tool", "--version", "1")
    one = cli.ok("software", "delete", PREFIX + "tool", "--version", "1", "--yes", "-o", "json").json()
    remaining = cli.ok("software", "show", PREFIX + "tool", "-o", "json").json()
    last = cli.ok("software", "delete", PREFIX + "tool", "--version", "2", "--yes", "-o", "json").json()

    assert refused.code == 2 and "--yes" in refused.stderr
    assert [item["c8y_Software"]["version"] for item in one["deleted"]] == ["1"]
    assert versions_of(remaining, "c8y_Software") == [("2", EXTERNAL, [])]
    assert [item["type"] for item in last["deleted"]] == ["c8y_Software"]
    assert cli("software", "show", PREFIX + "tool").code == 4
