"""device list --limit and "showing N of M" (issue 15), through the real entry point."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_support import Run

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
