"""Wording people read (issue 15): a patch is labelled as a patch, and answering "n" to a delete
prints no list of "deleted" things."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Run
from support.sandbox import SandboxInstance
from support.terminal import answering

pytestmark = pytest.mark.e2e


def ok(run: Run) -> Any:
    assert run.code == 0, run.stderr
    return run.json()


def card(text: str) -> dict[str, str]:
    rows = [re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in text.splitlines()[2:] if line.strip()]
    return {row[0]: (row[1] if len(row) > 1 else "") for row in rows}


def test_a_patch_is_labelled_patch_with_its_base_version(c8ydm: Callable[..., Run]) -> None:
    url = "https://fw.example.com/wording"
    ok(c8ydm("firmware", "add", "e2e-wording-fw", "--version", "1.0.0", "--url", url, "--description", "d",
             "-o", "json"))  # fmt: skip

    run = c8ydm("firmware", "add", "e2e-wording-fw", "--version", "1.0.0", "--patch", "1.0.1", "--url",
                url + "/p", "-o", "table")  # fmt: skip

    assert run.code == 0, run.stderr
    fields = card(run.stdout)
    assert (fields["version"], fields["patch"]) == ("1.0.0", "1.0.1")
    assert "firmware 'e2e-wording-fw' patch 1.0.1: created." in run.stderr


@pytest.fixture
def terminal_env(sandbox: SandboxInstance, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("C8Y_", "C8YDM_", "_C8YDM_"))}
    return {
        **base,
        "C8Y_HOST": sandbox.url,
        "C8Y_TENANT": sandbox.tenant,
        "C8Y_USER": sandbox.user,
        "C8Y_PASSWORD": sandbox.password,
        "C8YDM_CONFIG_DIR": str(tmp_path / "config"),
        "C8YDM_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        "NO_COLOR": "1",
        "COLUMNS": "120",
    }


def test_answering_no_to_a_delete_lists_nothing_as_deleted(
    c8ydm: Callable[..., Run], terminal_env: dict[str, str]
) -> None:
    ok(c8ydm("firmware", "add", "e2e-keep-fw", "--version", "1.0", "--url", "https://fw.example.com/k",
             "--description", "kept", "-o", "json"))  # fmt: skip

    code, table = answering(["firmware", "delete", "e2e-keep-fw", "-o", "table"], terminal_env, "n")
    _, as_json = answering(["firmware", "delete", "e2e-keep-fw", "-o", "json"], terminal_env, "n")

    assert code == 0
    assert table.rstrip().endswith("[y/N] n\nNothing was deleted.")  # no table follows
    document = json.loads(as_json[as_json.index("{") :])
    assert (document["status"], document["deleted"]) == ("cancelled", [])
    assert [item["name"] for item in document["kept"]] == ["e2e-keep-fw"]
    assert ok(c8ydm("firmware", "show", "e2e-keep-fw", "-o", "json"))["entry"]["name"] == "e2e-keep-fw"
