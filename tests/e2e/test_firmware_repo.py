"""End to end: the firmware repository through the real ``c8ydm`` entry point and a sandbox tenant."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from _repo_helpers import (
    PREFIX,
    Runner,
    binary_url,
    count_binaries,
    json_lines,
    pick,
    set_faults,
    versions_of,
)
from support.sandbox import SandboxInstance

from c8ydm.cli.views.base import short_time

pytestmark = pytest.mark.e2e

ENTRY_KEYS = ("id", "name", "type", "description", "c8y_Filter", "c8y_Global")
VERSION_KEYS = ("id", "type", "c8y_Firmware", "c8y_Patch", "c8y_Global")
EXTERNAL = "https://files.example.com/edge/fw-1.1.0.bin"


@pytest.fixture
def cli(c8ydm: Callable[..., Any], sandbox: SandboxInstance) -> Runner:
    return Runner(c8ydm, sandbox)


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "edge-1.0.0.bin"
    path.write_bytes(bytes(range(256)) * 1024)
    return path


def add(cli: Runner, name: str, *args: str) -> Any:
    return cli("firmware", "add", name, *args, "-o", "json")


def release(cli: Runner, name: str, image: Path) -> dict[str, Any]:
    """1.0.0 from a file, 1.1.0 by URL, patch 1.0.1 of 1.0.0 from the file: the add outputs."""
    first = cli.ok("firmware", "add", name, "--version", "1.0.0", "--file", str(image),
                   "--description", "Edge", "--device-type", "c8y_Linux", "-o", "json").json()  # fmt: skip
    second = cli.ok("firmware", "add", name, "--version", "1.1.0", "--url", EXTERNAL, "-o", "json").json()
    patch = cli.ok(
        "firmware", "add", name, "--version", "1.0.0", "--patch", "1.0.1", "--file", str(image), "-o", "json"
    ).json()
    return {"first": first, "second": second, "patch": patch}


def test_release_a_version_from_a_file_then_a_url_version_and_a_patch(
    cli: Runner, sandbox: SandboxInstance, image: Path
) -> None:
    added = release(cli, PREFIX + "edge-router", image)

    first = added["first"]
    entry_id, version_id, binary_id = first["entry"]["id"], first["version"]["id"], first["binary"]["id"]
    assert {
        "status": first["status"],
        "entry": pick(first["entry"], ENTRY_KEYS),
        "version": pick(first["version"], VERSION_KEYS),
        "binary": pick(first["binary"], ("id", "name", "length", "self")),
    } == {
        "status": "created",
        "entry": {
            "id": entry_id,
            "name": PREFIX + "edge-router",
            "type": "c8y_Firmware",
            "description": "Edge",
            "c8y_Filter": {"type": "c8y_Linux"},
            "c8y_Global": {},
        },
        "version": {
            "id": version_id,
            "type": "c8y_FirmwareBinary",
            "c8y_Firmware": {"version": "1.0.0", "url": binary_url(sandbox, binary_id)},
            "c8y_Global": {},
        },
        "binary": {
            "id": binary_id,
            "name": "edge-1.0.0.bin",
            "length": image.stat().st_size,
            "self": binary_url(sandbox, binary_id),
        },
    }
    assert added["second"]["entry"]["id"] == entry_id and added["second"]["binary"] is None
    assert pick(added["patch"]["version"], ("c8y_Patch",)) == {"c8y_Patch": {"dependency": "1.0.0"}}

    show = cli.ok("firmware", "show", PREFIX + "edge-router", "-o", "json").json()

    patch_url = added["patch"]["version"]["c8y_Firmware"]["url"]
    assert pick(show["entry"], ENTRY_KEYS) == pick(first["entry"], ENTRY_KEYS)
    assert versions_of(show) == [
        ("1.1.0", EXTERNAL, []),
        ("1.0.0", binary_url(sandbox, binary_id), ["1.0.1"]),
    ]
    assert show["versions"][1]["patches"][0]["c8y_Firmware"]["url"] == patch_url


def test_show_table_lists_patches_under_their_base(cli: Runner, image: Path) -> None:
    release(cli, PREFIX + "table-fw", image)
    show = cli.ok("firmware", "show", PREFIX + "table-fw", "-o", "json").json()

    table = cli.ok("firmware", "show", PREFIX + "table-fw", "-o", "table").stdout

    newer, base = show["versions"]
    patch = base["patches"][0]
    rows = [re.split(r"\s{2,}", line.strip()) for line in table.splitlines() if re.match(r"\d+\.\d", line)]
    assert rows == [  # local times to the minute in a table; json keeps the ISO text
        ["1.1.0", EXTERNAL, short_time(newer["creationTime"]), newer["id"]],
        ["1.0.0", "edge-1.0.0.bin", short_time(base["creationTime"]), base["id"]],
        ["1.0.1", "1.0.0", "edge-1.0.0.bin", short_time(patch["creationTime"]), patch["id"]],
    ]
    assert re.search(r"^description\s+Edge$", table, re.MULTILINE)


def test_rerun_with_if_exists_skip_is_unchanged_and_fail_is_exit_7(cli: Runner, image: Path) -> None:
    first = cli.ok("firmware", "add", PREFIX + "rerun-fw", "--version", "1.0.0", "--file", str(image),
                   "--description", "Rerun", "-o", "json").json()  # fmt: skip
    binaries = count_binaries(cli)

    skipped = add(cli, PREFIX + "rerun-fw", "--version", "1.0.0", "--file", str(image), "--if-exists", "skip")
    failed = add(cli, PREFIX + "rerun-fw", "--version", "1.0.0", "--file", str(image), "--if-exists", "fail")
    default = add(cli, PREFIX + "rerun-fw", "--version", "1.0.0", "--file", str(image))

    assert skipped.code == 0
    assert skipped.json()["status"] == "unchanged"
    assert skipped.json()["version"]["id"] == first["version"]["id"]
    assert (failed.code, default.code) == (7, 7)
    assert failed.json() == {
        "error": {
            "code": 7,
            "kind": "conflict",
            "message": f"firmware '{PREFIX}rerun-fw' already has version '1.0.0'",
            "hint": "add --if-exists skip to accept an existing version",
        }
    }
    assert count_binaries(cli) == binaries  # nothing uploaded by the re-runs


def test_a_name_with_quotes_and_brackets_round_trips(cli: Runner) -> None:
    name = PREFIX + "fw 'beta' [eu] (v2) {x}"
    cli.ok("firmware", "add", name, "--version", "2.0", "--url", EXTERNAL, "--description", "Odd name")

    show = cli.ok("firmware", "show", name, "-o", "json").json()
    listed = cli.ok("firmware", "list", "--name", name, "-o", "json").json()

    assert show["entry"]["name"] == name
    assert [(row["name"], row["versionCount"]) for row in listed] == [(name, 1)]


def test_edit_changes_one_field_at_a_time(cli: Runner) -> None:
    cli.ok(
        "firmware", "add", PREFIX + "edit-fw", "--version", "1", "--url", EXTERNAL, "--description", "Before"
    )

    edited = cli.ok("firmware", "edit", PREFIX + "edit-fw", "--name", PREFIX + "edit-fw-2",
                    "--description", "After", "--device-type", "c8y_Pi", "-o", "json").json()  # fmt: skip
    cleared = cli.ok("firmware", "edit", PREFIX + "edit-fw-2", "--no-device-type", "-o", "json").json()

    assert pick(edited, ("name", "description", "c8y_Filter")) == {
        "name": PREFIX + "edit-fw-2",
        "description": "After",
        "c8y_Filter": {"type": "c8y_Pi"},
    }
    assert cleared["c8y_Filter"] == {"type": ""}
    assert cli("firmware", "show", PREFIX + "edit-fw", "-o", "json").code == 4


def test_download_gives_the_same_bytes_and_does_not_overwrite_without_yes(
    cli: Runner, image: Path, tmp_path: Path
) -> None:
    release(cli, PREFIX + "dl-fw", image)
    target = tmp_path / "out"
    target.mkdir()

    result = cli.ok(
        "firmware", "download", PREFIX + "dl-fw", "--version", "1.0.0", "--to", str(target), "-o", "json"
    )
    again = cli(
        "firmware", "download", PREFIX + "dl-fw", "--version", "1.0.0", "--to", str(target), "-o", "json"
    )
    patch = cli.ok("firmware", "download", PREFIX + "dl-fw", "--version", "1.0.0", "--patch", "1.0.1",
                   "--to", str(tmp_path / "p.bin"), "-o", "json")  # fmt: skip

    data = image.read_bytes()
    document = result.json()
    assert pick(document, ("path", "size", "sha256", "version")) == {
        "path": str(target / "edge-1.0.0.bin"),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "version": "1.0.0",
    }
    assert (target / "edge-1.0.0.bin").read_bytes() == data
    assert result.stderr.splitlines() == [  # stderr is not a terminal: progress as plain lines
        f"Downloading {PREFIX}dl-fw 1.0.0 (262.1 kB)",
        f"Downloaded {PREFIX}dl-fw 1.0.0 (262.1 kB)",
        f"Saved {target / 'edge-1.0.0.bin'} ({len(data)} bytes).",
    ]
    assert again.code == 2 and "already exists" in again.stderr and "--yes" in again.stderr
    assert (tmp_path / "p.bin").read_bytes() == data and patch.json()["patch"] == "1.0.1"
    assert (
        cli("firmware", "download", PREFIX + "dl-fw", "--version", "1.0.0", "--to", str(target), "--yes").code
        == 0
    )


def test_delete_needs_yes_without_a_terminal_and_dry_run_sends_nothing(cli: Runner, image: Path) -> None:
    added = release(cli, PREFIX + "del-fw", image)
    entry_id = added["first"]["entry"]["id"]
    version_id, patch_id = added["first"]["version"]["id"], added["patch"]["version"]["id"]

    refused = cli("firmware", "delete", PREFIX + "del-fw", "--version", "1.0.0", "-o", "json")
    dry = cli.ok("firmware", "delete", PREFIX + "del-fw", "--version", "1.0.0", "--dry-run")

    assert refused.code == 2 and "--yes" in refused.json()["error"]["hint"]
    assert "with its patches 1.0.1" in refused.json()["error"]["message"]
    force = {"forceCascade": "true"}
    assert json_lines(dry.stdout) == [
        {"method": "DELETE", "path": f"/inventory/managedObjects/{patch_id}", "query": force, "body": None},
        {"method": "DELETE", "path": f"/inventory/managedObjects/{version_id}", "query": force, "body": None},
    ]
    assert len(cli.ok("firmware", "show", PREFIX + "del-fw", "-o", "json").json()["versions"]) == 2

    deleted = cli.ok(
        "firmware", "delete", PREFIX + "del-fw", "--version", "1.0.0", "--yes", "-o", "json"
    ).json()
    assert [item["id"] for item in deleted["deleted"]] == [patch_id, version_id]
    assert versions_of(cli.ok("firmware", "show", PREFIX + "del-fw", "-o", "json").json()) == [
        ("1.1.0", EXTERNAL, [])
    ]

    last = cli.ok("firmware", "delete", PREFIX + "del-fw", "--version", "1.1.0", "--yes", "-o", "json").json()
    assert last["deleted"][0]["id"] == entry_id  # the only version: the whole entry went
    assert cli("firmware", "show", PREFIX + "del-fw").code == 4


def test_a_failing_step_leaves_nothing_behind(cli: Runner, image: Path) -> None:
    binaries = count_binaries(cli)
    set_faults(cli, [r"POST /inventory/managedObjects/\d+/childAdditions:503"])
    try:
        failed = add(
            cli, PREFIX + "fault-fw", "--version", "1.0.0", "--file", str(image), "--description", "Fault"
        )
    finally:
        set_faults(cli, [])

    assert failed.code == 10
    assert "Removed the binary" in failed.stderr and "Removed the entry" in failed.stderr
    assert cli.ok("firmware", "list", "--name", PREFIX + "fault-fw", "-o", "json").json() == []
    assert count_binaries(cli) == binaries


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--version", "1", "--file", "missing.bin", "--description", "d"], "file not found"),
        (["--version", "1", "--url", "https://x", "--file", "missing.bin"], "exactly one of --file"),
        (["--version", "  ", "--url", "https://x"], "--version must not be empty"),
        (["--version", "1", "--url", "https://x"], "needs --description"),
    ],
)
def test_bad_input_is_exit_2(cli: Runner, args: list[str], message: str) -> None:
    result = add(cli, PREFIX + "input-fw", *args)

    assert result.code == 2
    assert message in result.json()["error"]["message"]
    assert "Traceback" not in result.stderr


def test_two_entries_with_one_name_are_refused_with_their_ids(cli: Runner) -> None:
    name = PREFIX + "twin"
    with cli.admin() as http:
        ids = [
            http.post(
                "/inventory/managedObjects", json={"name": name, "type": "c8y_Firmware", "description": "d"}
            )
            .raise_for_status()
            .json()["id"]
            for _ in range(2)
        ]

    result = cli("firmware", "show", name, "-o", "json")
    by_id = cli.ok("firmware", "show", ids[1], "-o", "json")

    assert result.code == 2
    assert (
        result.json()["error"]["message"] == f"2 firmware entries are named '{name}' (ids {', '.join(ids)})"
    )
    assert by_id.json()["entry"]["id"] == ids[1]
