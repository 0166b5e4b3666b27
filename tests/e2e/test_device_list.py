"""device list --limit and "showing N of M" (issue 15), through the real entry point."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import httpx
import pytest
from e2e_support import ENTRY_POINT, Run
from support.sandbox import SandboxInstance

pytestmark = pytest.mark.e2e


def test_limit_cuts_the_list_and_the_table_says_how_many_match(c8ydm: Callable[..., Run]) -> None:
    table = c8ydm("device", "list", "--limit", "2", "-o", "table")
    as_json = c8ydm("device", "list", "--limit", "2", "-o", "json")

    assert table.code == 0 and as_json.code == 0
    assert [line.split()[1] for line in table.stdout.splitlines()[2:]] == ["gateway-0002", "gateway-0004"]
    assert table.stderr == "Showing 2 of 5 devices; --limit N shows more.\n"
    assert [device["name"] for device in as_json.json()] == ["gateway-0002", "gateway-0004"]


def test_a_table_of_every_device_says_nothing_more(c8ydm: Callable[..., Run]) -> None:
    result = c8ydm("device", "list", "--type", "c8y_Linux", "-o", "table")

    assert result.code == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == 2 + 3


def test_json_lists_every_device_without_a_limit(c8ydm: Callable[..., Run]) -> None:
    result = c8ydm("device", "list", "-o", "jsonl")

    assert result.code == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == 5


def test_limit_below_one_is_a_usage_error(c8ydm: Callable[..., Run]) -> None:
    assert c8ydm("device", "list", "--limit", "0").code == 2


def test_every_line_of_a_long_listing_reaches_the_pipe_before_the_process_ends(
    hundred_sandbox: SandboxInstance, c8ydm_for: Callable[[SandboxInstance], Callable[..., Run]]
) -> None:
    # The entry point ends the process with os._exit once the command is done: whatever was still
    # buffered for stdout must have been flushed first.
    result = c8ydm_for(hundred_sandbox)("device", "list", "-o", "jsonl")

    assert result.code == 0 and result.stderr == ""
    assert len(result.stdout.splitlines()) == 100


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_reader_that_stops_early_ends_the_listing_quietly_with_141(
    fmt: str,
    hundred_sandbox: SandboxInstance,
    c8ydm_environment: Callable[[SandboxInstance], dict[str, str]],
) -> None:
    # `c8ydm device list | head -1`: 100 devices are more than a pipe holds, so writing fails once the
    # reader has gone; the listing stops like any Unix tool would (128 + SIGPIPE), with no error text.
    process = subprocess.Popen(
        [*ENTRY_POINT, "device", "list", "-o", fmt, "--limit", "100"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=c8ydm_environment(hundred_sandbox),
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)

    assert first
    assert (code, stderr) == (141, "")


def test_jsonl_writes_each_device_exactly_as_the_tenant_sent_it(
    sandbox: SandboxInstance, c8ydm: Callable[..., Run]
) -> None:
    # No decode-and-encode round trip: each line is the object's own text in the tenant's page.
    query = {"query": "$filter=(has(c8y_IsDevice)) $orderby=name asc", "pageSize": 2000}
    page = httpx.get(f"{sandbox.url}/inventory/managedObjects", params=query, auth=sandbox.auth).text

    result = c8ydm("device", "list", "-o", "jsonl")

    assert result.code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(line in page for line in lines)
    assert [json.loads(line) for line in lines] == json.loads(page)["managedObjects"]
