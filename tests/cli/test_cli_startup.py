"""Fast start: `c8ydm --help` and completion import no heavy library; every help has an example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from support.entry_point import ENTRY_POINT, Run

from c8ydm.cli import app as app_module
from c8ydm.cli import completion

HEAVY = ["httpx", "pydantic", "keyring", "rich.progress"]
PROBE = """
import json, sys
watched = json.loads(sys.argv[2])
sys.argv = ["c8ydm", *json.loads(sys.argv[1])]
from c8ydm.cli.main import main
try:
    main()
except SystemExit:
    pass
loaded = [m for m in watched if m in sys.modules]
sys.stderr.write("LOADED=" + json.dumps(loaded) + "\\n")
"""


def loaded_modules(args: list[str], watched: list[str], env: dict[str, str] | None = None) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(watched)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )
    line = next(line for line in done.stderr.splitlines() if line.startswith("LOADED="))
    return json.loads(line.removeprefix("LOADED="))  # type: ignore[no-any-return]


def test_help_imports_no_command_module_nor_heavy_library() -> None:
    modules = [*HEAVY, "rich", *sorted({e.target.split(":")[0] for e in app_module.COMMANDS})]

    assert loaded_modules(["--help"], modules) == []


@pytest.mark.parametrize("entry", app_module.COMMANDS, ids=lambda entry: entry.name)
def test_group_help_imports_neither_httpx_nor_the_procedures_layer(entry: app_module.Entry) -> None:
    watched = ["httpx", "c8ydm.procedures", "c8ydm.api.client", "keyring", "rich.progress"]

    assert loaded_modules([entry.name, "--help"], watched) == []


def test_completion_imports_neither_typer_nor_click_nor_heavy_libraries() -> None:
    env = {"_C8YDM_COMPLETE": "complete_bash", "COMP_WORDS": "c8ydm session li", "COMP_CWORD": "2"}

    assert loaded_modules([], [*HEAVY, "rich", "typer", "click", "typing"], env) == []


def test_name_completion_reads_its_cache_without_settings_typing_or_typer() -> None:
    from c8ydm import settings

    settings.save_session(settings.Session(name="prod", url="https://t.example.com"))  # the current one
    completion.write_name_cache("device", ["linux-0001"], scope=completion.cache_scope("prod"))
    words = "c8ydm device install linux --firmware demo@"
    env = {"_C8YDM_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "5"}
    watched = [*HEAVY, "rich", "typer", "click", "typing", "dataclasses", "c8ydm.settings", "c8ydm.api"]

    assert loaded_modules([], watched, env) == []


def test_root_help_lists_every_registered_command_with_its_table_help(cli: Callable[..., Run]) -> None:
    result = cli("--help")

    assert result.code == 0
    for entry in app_module.COMMANDS:
        assert f"  {entry.name}" in result.stdout and entry.help in result.stdout
    assert "Example:\n    c8ydm login" in result.stdout


def test_table_help_is_the_first_line_of_each_command_help() -> None:
    root = app_module.build_root()
    ctx = root.make_context("c8ydm", ["--help"], resilient_parsing=True)

    for entry in app_module.COMMANDS:
        assert root.get_command(ctx, entry.name).get_short_help_str(limit=200) == entry.help


def _leaf_paths() -> list[list[str]]:
    root = app_module.build_root()
    ctx = root.make_context("c8ydm", ["--help"], resilient_parsing=True)
    paths: list[list[str]] = []
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        subcommands = getattr(command, "commands", None)
        paths += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    return paths


@pytest.mark.parametrize("path", _leaf_paths(), ids=" ".join)
def test_every_command_help_has_an_example_and_the_common_options(
    cli: Callable[..., Run], path: list[str]
) -> None:
    result = cli(*path, "--help")

    assert result.code == 0
    assert "Example:\n    c8ydm " + path[0] in result.stdout
    for option in ("-o, --output", "--session", "--dry-run", "-y, --yes", "-v, --verbose", "--timeout"):
        assert option in result.stdout


def test_version_prints_the_package_version(cli: Callable[..., Run]) -> None:
    from c8ydm import __version__

    assert cli("--version").stdout == f"c8ydm {__version__}\n"


@pytest.mark.parametrize("kind", ["firmware", "software"])
def test_edit_help_does_not_call_the_description_required(cli: Callable[..., Run], kind: str) -> None:
    edit = cli(kind, "edit", "--help").stdout
    add = cli(kind, "add", "--help").stdout

    assert "required for a new entry" not in edit and "The new description." in edit
    assert "required for a new entry" in add


@pytest.mark.parametrize("enabled_at_start", [False, True])  # the entry point; main() called in-process
def test_the_garbage_collector_runs_while_the_client_is_used_and_is_left_as_it_was_found(
    enabled_at_start: bool,
) -> None:
    import gc
    import io

    from c8ydm.api import paging
    from c8ydm.cli.context import App, CommonOptions

    environ = {"C8Y_HOST": "http://127.0.0.1:9", "C8Y_TENANT": "t1", "C8Y_USER": "u", "C8Y_PASSWORD": "p"}
    paging.retain_last_page(False)
    if not enabled_at_start:
        gc.disable()  # as the entry point starts: it exits once the command is done
    try:
        with App(CommonOptions(), stdout=io.StringIO(), stderr=io.StringIO(), environ=environ) as app:
            app.client()
            assert gc.isenabled() and gc.get_freeze_count() > 0
            # Only a process that ends with os._exit keeps a listing's last page to the end.
            assert paging._last_page.keep is not enabled_at_start
        # Off again before the start-up objects are unfrozen: no full collection on the way out.
        assert (gc.isenabled(), gc.get_freeze_count()) == (enabled_at_start, 0)
    finally:
        gc.enable()
        paging.retain_last_page(False)


def test_the_entry_point_passes_on_the_exit_code_and_flushes_what_it_wrote() -> None:
    done = subprocess.run([*ENTRY_POINT, "--version"], capture_output=True, text=True, timeout=60)
    failed = subprocess.run(
        [*ENTRY_POINT, "operation", "show", "x y"], capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout.startswith("c8ydm ")) == (0, True)
    assert failed.returncode == 2 and failed.stderr.startswith("Error: ")


def test_a_command_does_not_import_pydantics_plugin_loader_while_plugins_are_disabled() -> None:
    # a timeout in exponent form is coerced by the pydantic adapter Typer builds (cli/coercion.py)
    args = ["session", "list", "--timeout", "3e1"]
    loaded = loaded_modules(args, ["pydantic", "importlib.metadata"], {"C8YDM_OUTPUT": "json"})

    assert loaded == ["pydantic"]  # typer built its parameter adapter: the stand-in answered


def test_an_explicit_pydantic_plugin_setting_gets_the_real_loader() -> None:
    env = {"C8YDM_OUTPUT": "json", "PYDANTIC_DISABLE_PLUGINS": "some_plugin"}

    args = ["session", "list", "--timeout", "3e1"]

    assert loaded_modules(args, ["importlib.metadata"], env) == ["importlib.metadata"]


def test_pydantic_takes_only_get_plugins_from_its_loader_and_it_answers_none_when_disabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The stand-in (cli/main.py) replaces pydantic.plugin._loader: if a pydantic release imports
    anything else from it, or answers plugins although they are disabled, this fails."""
    import importlib
    import pathlib
    import re

    import pydantic

    root = pathlib.Path(pydantic.__file__).parent
    imported = set()
    pattern = re.compile(r"from (?:\.|pydantic\.plugin\.)_loader import ([\w, ]+)")
    for source in root.rglob("*.py"):
        for names in pattern.findall(source.read_text()):
            imported |= {name.strip() for name in names.split(",")}
    assert imported == {"get_plugins"}
    loader = importlib.import_module("pydantic.plugin._loader")
    for value in ("__all__", "1", "true"):
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", value)
        assert tuple(loader.get_plugins()) == ()
