"""Shell completion: the index is fresh, and the fast path answers each shell's protocol."""

from __future__ import annotations

import importlib.util
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from support.entry_point import Run

from c8ydm import settings
from c8ydm.cli import completion

REPO = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_completions", REPO / "scripts" / "gen_completions.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_completions_and_index_are_not_stale(tmp_path: Path) -> None:
    written = _generator().write_all(tmp_path)

    stale = [
        str(p.relative_to(tmp_path))
        for p in written
        if p.read_text() != (REPO / p.relative_to(tmp_path)).read_text()
    ]
    assert stale == [], "run: python scripts/gen_completions.py"


def complete(run: Callable[..., Run], shell: str, **env: str) -> Run:
    return run(env={"_C8YDM_COMPLETE": f"complete_{shell}", **env})


def test_bash_completes_groups_through_the_entry_point(run_c8ydm: Callable[..., Run]) -> None:
    result = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm se", COMP_CWORD="1")

    assert (result.code, result.stdout, result.stderr) == (0, "session\n", "")


def test_bash_completes_choices_of_the_output_option(run_c8ydm: Callable[..., Run]) -> None:
    result = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm session list -o js", COMP_CWORD="4")

    assert result.stdout.splitlines() == ["json", "jsonl"]


def test_zsh_answers_with_descriptions(run_c8ydm: Callable[..., Run]) -> None:
    result = complete(run_c8ydm, "zsh", _TYPER_COMPLETE_ARGS="c8ydm lo")

    assert result.stdout == (
        '_arguments \'*: :(("login":"Log in to a tenant and save the session."\n'
        '"logout":"Forget a session and its secret in the keyring."))\'\n'
    )


def test_fish_and_powershell_formats(run_c8ydm: Callable[..., Run]) -> None:
    fish = complete(
        run_c8ydm, "fish", _TYPER_COMPLETE_ARGS="c8ydm session u", _TYPER_COMPLETE_FISH_ACTION="get-args"
    )
    pwsh = complete(
        run_c8ydm,
        "powershell",
        _TYPER_COMPLETE_ARGS="c8ydm session list --ti",
        _TYPER_COMPLETE_WORD_TO_COMPLETE="--ti",
    )

    assert fish.stdout == "use\tMake a saved session the current one.\n"
    assert pwsh.stdout == "--timeout:::Overall deadline for commands that wait.\n"


def test_session_names_complete_from_the_sessions_file(run_c8ydm: Callable[..., Run]) -> None:
    for name in ("prod", "preprod", "test"):
        settings.save_session(settings.Session(name=name, url="https://t.example.com"))

    result = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm session use pr", COMP_CWORD="3")

    assert result.stdout.splitlines() == ["preprod", "prod"]


def test_name_cache_is_read_within_its_ttl_and_ignored_after() -> None:
    completion.write_name_cache("firmware", ["ubuntu", "alpine", "ubuntu"])

    assert completion.read_name_cache("firmware") == ["alpine", "ubuntu"]
    later = time.time() + completion.CACHE_TTL_SECONDS + 1
    assert completion.read_name_cache("firmware", now=later) == []


def test_dynamic_arguments_complete_from_the_name_cache() -> None:
    completion.write_name_cache("firmware", ["ubuntu", "alpine"])
    tree = {
        "commands": {
            "firmware": {
                "commands": {"show": {"arguments": [{"name": "NAME", "nargs": 1, "dynamic": "firmware"}]}}
            }
        }
    }

    assert completion.candidates(tree, ["firmware", "show"], "u") == [("ubuntu", "")]
    assert completion.candidates(tree, ["firmware", "show", "alpine"], "") == []


def test_option_values_are_skipped_when_finding_the_command() -> None:
    tree = {
        "commands": {
            "session": {"commands": {"use": {}}, "options": [{"names": ["--session"], "value": True}]}
        }
    }

    assert completion.candidates(tree, ["session", "--session", "use"], "u") == [("use", "")]


def test_name_cache_write_never_fails_a_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("C8YDM_CACHE_DIR", str(blocker / "sub"))

    completion.write_name_cache("device", ["d1"])  # the cache dir cannot be created: nothing raised


def test_cache_dir_follows_xdg_cache_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("C8YDM_CACHE_DIR")

    assert completion.cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/c8ydm")
    assert completion.cache_dir({}) == Path(os.path.expanduser("~/.cache/c8ydm"))
    assert completion.cache_path(
        "firmware@version", {"XDG_CACHE_HOME": "/x"}, scope="session:prod/x y"
    ) == Path("/x/c8ydm/names/session%3aprod%2fx%20y/firmware%40version.json")


def test_a_filtered_list_adds_names_and_only_a_complete_list_replaces_them() -> None:
    completion.write_name_cache("firmware", ["alpine", "ubuntu", "debian"], scope="s", is_complete=True)
    completion.write_name_cache("firmware", ["ubuntu"], scope="s")  # e.g. firmware list --name 'ub*'
    completion.write_name_cache("firmware", ["arch"], scope="s")

    assert completion.read_name_cache("firmware", scope="s") == ["alpine", "arch", "debian", "ubuntu"]
    completion.write_name_cache("firmware", ["ubuntu"], scope="s", is_complete=True)
    assert completion.read_name_cache("firmware", scope="s") == ["ubuntu"]


def test_each_name_expires_on_its_own() -> None:
    completion.write_name_cache("device", ["old"], scope="s")
    later = time.time() + completion.CACHE_TTL_SECONDS - 1
    cache_file = completion.cache_path("device", scope="s")
    aged = {str(int(later - completion.CACHE_TTL_SECONDS - 5)): ["old"], str(int(later)): ["new"]}
    cache_file.write_text(json.dumps(aged))

    assert completion.read_name_cache("device", scope="s", now=later) == ["new"]


def test_each_kind_has_its_own_file_and_a_complete_listing_replaces_it_without_reading_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    completion.write_name_cache("firmware", ["alpine"], scope="s")
    completion.write_name_cache("device", ["d1"], scope="s")
    read: list[Path] = []
    load = completion._load_json
    monkeypatch.setattr(completion, "_load_json", lambda path: read.append(path) or load(path))

    completion.write_name_cache("device", ["d2", "", "d3"], scope="s", is_complete=True)

    assert read == []
    assert sorted(path.name for path in completion.cache_path("device", scope="s").parent.iterdir()) == [
        "device.json",
        "firmware.json",
    ]
    assert completion.read_name_cache("device", scope="s") == ["d2", "d3"]
    assert read == [completion.cache_path("device", scope="s")]  # completing devices reads devices only


def test_a_listing_is_stored_as_one_group_and_a_refreshed_name_moves_to_the_newest() -> None:
    completion.write_name_cache("device", ["b", "a", "b", ""], scope="s", is_complete=True)
    stored = json.loads(completion.cache_path("device", scope="s").read_text())
    assert list(stored.values()) == [["b", "a", "b", ""]]  # as listed: the reader skips repeats and ""
    assert completion.read_name_cache("device", scope="s") == ["a", "b"]
    (second,) = stored
    stored = {str(int(second) - 10): ["a", "c"]}  # seen 10 s earlier
    completion.cache_path("device", scope="s").write_text(json.dumps(stored))

    completion.write_name_cache("device", ["a"], scope="s")

    regrouped = json.loads(completion.cache_path("device", scope="s").read_text())
    assert sorted(regrouped.values()) == [["a"], ["c"]]
    assert completion.read_name_cache("device", scope="s") == ["a", "c"]


def test_the_cache_is_per_session_and_per_environment_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("prod", "test"):
        settings.save_session(settings.Session(name=name, url=f"https://{name}.example.com"))
    completion.write_name_cache("device", ["test-device"])  # the current session: test
    completion.write_name_cache("device", ["prod-device"], scope=completion.cache_scope("prod"))

    assert completion.read_name_cache("device") == ["test-device"]
    assert completion.read_name_cache("device", scope=completion.cache_scope("prod")) == ["prod-device"]
    monkeypatch.setenv("C8YDM_SESSION", "prod")
    assert completion.read_name_cache("device") == ["prod-device"]
    monkeypatch.setenv("C8Y_HOST", "https://CI.example.com/")
    assert completion.cache_scope("prod") == "url:https://ci.example.com"
    assert completion.read_name_cache("device") == []


def test_completion_reads_the_cache_of_the_session_typed_on_the_line(run_c8ydm: Callable[..., Run]) -> None:
    for name in ("prod", "test"):
        settings.save_session(settings.Session(name=name, url=f"https://{name}.example.com"))
    completion.write_name_cache("device", ["linux-test"], scope=completion.cache_scope("test"))
    completion.write_name_cache("device", ["linux-prod"], scope=completion.cache_scope("prod"))

    current = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm device show lin", COMP_CWORD="3")
    typed = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm device show --session prod lin", COMP_CWORD="5")

    assert (current.stdout, typed.stdout) == ("linux-test\n", "linux-prod\n")


@pytest.mark.parametrize(
    "words",
    [
        "c8ydm device install linux-0001 --firmware ",
        "c8ydm bulk create --group Gateways --firmware ",
    ],
)
def test_firmware_options_complete_name_at_version_and_bare_names(
    run_c8ydm: Callable[..., Run], words: str
) -> None:
    completion.write_name_cache("firmware", ["demo-fw", "other"])
    completion.write_name_cache("firmware-version", ["demo-fw@1.0.0", "demo-fw@1.1.0"])

    result = complete(run_c8ydm, "bash", COMP_WORDS=words + "de", COMP_CWORD=str(len(words.split())))

    assert result.stdout.splitlines() == ["demo-fw", "demo-fw@1.0.0", "demo-fw@1.1.0"]


def test_group_names_complete_for_group_commands_and_options(run_c8ydm: Callable[..., Run]) -> None:
    completion.write_name_cache("group", ["Canary routers", "Gateways"])

    show = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm group show Ca", COMP_CWORD="3")
    bulk = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm bulk create --group G", COMP_CWORD="4")
    devices = complete(run_c8ydm, "bash", COMP_WORDS="c8ydm device list --group ", COMP_CWORD="4")

    assert (show.stdout, bulk.stdout) == ("Canary routers\n", "Gateways\n")
    assert devices.stdout.splitlines() == ["Canary routers", "Gateways"]
