"""Completion names come from what list, show and add printed, per connection (issue 15): run the
real commands against the sandbox, then ask the real entry point to complete."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_support import Run

pytestmark = pytest.mark.e2e


def completions(c8ydm: Callable[..., Run], words: str) -> list[str]:
    """What bash completion offers for the last word of ``words``."""
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    env = {"_C8YDM_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = c8ydm(env=env)
    assert result.code == 0, result.stderr
    return result.stdout.splitlines()


def test_lists_fill_the_cache_and_a_filtered_list_never_shrinks_it(c8ydm: Callable[..., Run]) -> None:
    for name, version in (("e2e-cc-alpha", "1.0"), ("e2e-cc-beta", "2.0")):
        run = c8ydm("firmware", "add", name, "--version", version, "--url", f"https://fw.example.com/{name}",
                    "--description", "completion test", "-o", "json")  # fmt: skip
        assert run.code == 0, run.stderr

    assert c8ydm("firmware", "list", "-o", "json").code == 0
    assert completions(c8ydm, "c8ydm firmware show e2e-cc") == ["e2e-cc-alpha", "e2e-cc-beta"]
    assert c8ydm("firmware", "list", "--name", "e2e-cc-a*", "-o", "json").code == 0
    assert completions(c8ydm, "c8ydm firmware show e2e-cc") == ["e2e-cc-alpha", "e2e-cc-beta"]


def test_show_and_add_offer_name_at_version_for_install(c8ydm: Callable[..., Run]) -> None:
    run = c8ydm("firmware", "add", "e2e-cc-gamma", "--version", "3.0", "--url", "https://fw.example.com/g",
                "--description", "completion test", "-o", "json")  # fmt: skip
    assert run.code == 0, run.stderr

    offered = completions(c8ydm, "c8ydm device install linux-0001 --firmware e2e-cc-gam")

    assert offered == ["e2e-cc-gamma", "e2e-cc-gamma@3.0"]


def test_device_and_group_lists_make_their_names_complete(c8ydm: Callable[..., Run]) -> None:
    assert c8ydm("device", "list", "-o", "json").code == 0
    assert c8ydm("group", "list", "-o", "json").code == 0

    assert completions(c8ydm, "c8ydm device show gateway-000") == ["gateway-0002", "gateway-0004"]
    assert completions(c8ydm, "c8ydm bulk create --group Gate") == ["Gateways"]
    assert completions(c8ydm, "c8ydm group add Gateways linux-000") == [
        "linux-0001",
        "linux-0003",
        "linux-0005",
    ]
