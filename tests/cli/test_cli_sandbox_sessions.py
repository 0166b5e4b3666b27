"""Each sandbox data dir has its own session (issue 15): "sandbox" for the default data dir,
"sandbox-<port>" or --session NAME for another; a second sandbox never repoints the first's."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.entry_point import Run

from c8ydm import settings
from c8ydm.api.errors import InputError


def sandbox_session(name: str, data_dir: Path) -> settings.Session:
    return settings.Session(
        name=name, url="http://127.0.0.1:1", kind="sandbox", sandbox_data_dir=str(data_dir)
    )


def test_default_dir_is_sandbox_and_another_dir_is_named_by_its_port(tmp_path: Path) -> None:
    name = settings.sandbox_session_name

    assert name(str(tmp_path / "a"), port=8111, is_default_dir=True) == "sandbox"
    assert name(str(tmp_path / "b"), port=47115, is_default_dir=False) == "sandbox-47115"
    assert name(str(tmp_path / "b"), port=47115, is_default_dir=False, requested="rehearsal") == "rehearsal"


def test_a_data_dir_keeps_its_session_name_when_it_comes_back_on_another_port(tmp_path: Path) -> None:
    settings.save_session(sandbox_session("sandbox-47115", tmp_path / "b"))

    assert (
        settings.sandbox_session_name(str(tmp_path / "b"), port=50000, is_default_dir=False)
        == "sandbox-47115"
    )


def test_a_port_name_taken_by_another_data_dir_gets_a_suffix(tmp_path: Path) -> None:
    settings.save_session(sandbox_session("sandbox-47115", tmp_path / "old"))

    assert (
        settings.sandbox_session_name(str(tmp_path / "b"), port=47115, is_default_dir=False)
        == "sandbox-47115-2"
    )


def test_the_name_sandbox_is_never_taken_over_by_another_data_dir(tmp_path: Path) -> None:
    settings.save_session(sandbox_session("sandbox", tmp_path / "b"))  # as an older c8ydm left it

    assert (
        settings.sandbox_session_name(str(tmp_path / "b"), port=47115, is_default_dir=False)
        == "sandbox-47115"
    )


@pytest.mark.parametrize("taken", ["prod", "mine"])
def test_a_requested_name_of_another_session_is_refused(tmp_path: Path, taken: str) -> None:
    settings.save_session(settings.Session(name="prod", url="https://t1.example.com"))
    settings.save_session(sandbox_session("mine", tmp_path / "other"))

    with pytest.raises(InputError, match=f"session '{taken}' is already saved for"):
        settings.sandbox_session_name(str(tmp_path / "b"), port=1, is_default_dir=False, requested=taken)


@pytest.fixture
def sandboxes(run_c8ydm: Callable[..., Run], tmp_path: Path) -> Iterator[Callable[..., Run]]:
    """``start(*args)``: sandbox start with the default data dir in tmp_path; everything is stopped after."""
    env = {"C8YDM_SANDBOX_DIR": str(tmp_path / "default")}
    started: list[str] = []

    def start(*args: str) -> Run:
        data_dir = args[args.index("--data-dir") + 1] if "--data-dir" in args else str(tmp_path / "default")
        started.append(data_dir)
        return run_c8ydm("sandbox", "start", "--port", "0", "--devices", "1", *args, "-o", "json", env=env)

    yield start
    for data_dir in started:
        run_c8ydm("sandbox", "stop", "--data-dir", data_dir, env=env)


def test_a_second_sandbox_gets_its_own_session_and_says_so(
    sandboxes: Callable[..., Run], run_c8ydm: Callable[..., Run], tmp_path: Path
) -> None:
    first = sandboxes()
    second = sandboxes("--data-dir", str(tmp_path / "b"))

    assert (first.code, second.code) == (0, 0), first.stderr + second.stderr
    port = second.json()["port"]
    assert (first.json()["session"], second.json()["session"]) == ("sandbox", f"sandbox-{port}")
    assert second.stderr.endswith(f"; session 'sandbox-{port}' selected.\n")
    assert f"data dir {tmp_path / 'b'}" in second.stderr
    sessions = {s["name"]: s for s in run_c8ydm("session", "list", "-o", "json").json()}
    assert sessions["sandbox"]["url"] == first.json()["url"]  # not repointed by the second start
    assert sessions[f"sandbox-{port}"]["current"] is True
    assert (
        run_c8ydm("sandbox", "status", "--data-dir", str(tmp_path / "b"), "-o", "json").json()["session"]
        == f"sandbox-{port}"
    )


def test_session_option_names_the_session_and_a_taken_name_starts_nothing(
    sandboxes: Callable[..., Run], tmp_path: Path
) -> None:
    named = sandboxes("--data-dir", str(tmp_path / "c"), "--session", "rehearsal")
    taken = sandboxes("--data-dir", str(tmp_path / "d"), "--session", "rehearsal")

    assert (named.code, named.json()["session"]) == (0, "rehearsal")
    assert taken.code == 2
    assert taken.json()["error"]["message"] == f"session 'rehearsal' is already saved for {tmp_path / 'c'}"
    assert not (tmp_path / "d" / "sandbox.pid").exists()


def test_a_data_dir_keeps_its_fleet_and_a_later_devices_count_is_reported_not_applied(
    run_c8ydm: Callable[..., Run], tmp_path: Path
) -> None:
    env = {"C8YDM_SANDBOX_DIR": str(tmp_path / "fleet")}
    start = ("sandbox", "start", "--port", "0", "-o", "json")
    try:
        first = run_c8ydm(*start, "--devices", "2", env=env)
        run_c8ydm("sandbox", "stop", env=env)
        again = run_c8ydm(*start, "--devices", "5", env=env)
        plain = run_c8ydm(*start, env=env)  # running already, no --devices: nothing to say
        status = run_c8ydm("sandbox", "status", "-o", "json", env=env)
    finally:
        run_c8ydm("sandbox", "stop", env=env)

    assert (first.code, first.json()["devices"], "Warning" in first.stderr) == (0, 2, False)
    assert (again.code, again.json()["devices"]) == (0, 2)
    assert (
        "Warning: this data dir already holds a fleet of 2 devices, so --devices 5 is not applied: "
        "`c8ydm sandbox reset` first for a new fleet, or start another --data-dir\n"
    ) in again.stderr
    assert (plain.code, "Warning" in plain.stderr) == (0, False)
    assert (status.json()["devices"], status.json()["seeded"]) == (2, 2)


def test_a_foreground_sandbox_serves_with_the_garbage_collector_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The entry point turns the collector off for start-up and the client turns it on again; a
    # foreground sandbox builds no client but serves for hours, so it must turn it on itself.
    import gc

    from c8ydm.cli.main import run
    from c8ydm.sandbox import control

    seen: list[bool] = []
    monkeypatch.setattr(control, "serve", lambda config: seen.append(gc.isenabled()))
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path / "config"))
    gc.disable()
    try:
        code = run(["sandbox", "start", "--foreground", "--port", "0", "--data-dir", str(tmp_path / "fg")])
    finally:
        gc.enable()

    assert (code, seen) == (0, [True])
