"""The seed: fixed ids whatever happens meanwhile, chunks that resume after a stop, a sandbox that
answers (and reports its progress) while its fleet is still being seeded."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

from c8ydm.sandbox.app import create_app
from c8ydm.sandbox.core.options import SandboxOptions
from c8ydm.sandbox.core.store import Store
from c8ydm.sandbox.devices import seed
from c8ydm.sandbox.state import SandboxState


def state_for(tmp_path: Path, devices: int) -> SandboxState:
    tmp_path.mkdir(parents=True, exist_ok=True)
    options = SandboxOptions(data_dir=tmp_path, devices=devices)
    return SandboxState(options=options, store=Store(tmp_path / "sandbox.db"))


def snapshot(state: SandboxState) -> dict[str, Any]:
    store = state.store
    groups = [mo for mo in store.iter("managedObjects") if "c8y_IsDevice" not in mo]
    return {
        "objects": [(mo["id"], mo["name"], mo.get("owner")) for mo in store.iter("managedObjects")],
        "users": [user["id"] for user in store.iter("users")],
        "externalIds": [(doc["id"], doc["managedObjectId"]) for doc in store.iter("externalIds")],
        "software": [doc["id"] for doc in store.iter("softwareList")],
        "members": {mo["name"]: store.children(mo["id"], "childAssets") for mo in groups},
    }


def test_devices_come_first_then_the_groups_as_before(tmp_path: Path) -> None:
    state = state_for(tmp_path, 12)
    seed.ensure_seeded(state)

    objects = snapshot(state)["objects"]
    assert objects[0] == ("10003", "linux-0001", "device_LNX000001")
    assert [name for _, name, _ in objects[12:]] == ["All Linux", "Gateways", "Field test", "Linux (dynamic)"]
    members = snapshot(state)["members"]
    assert members["Field test"] == ["10003", "10004", "10005"]
    assert len(members["All Linux"]) + len(members["Gateways"]) == 12
    assert seed.progress_of(state) == (12, 12)


def test_a_seed_stopped_halfway_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed, "CHUNK_DEVICES", 4)
    whole = state_for(tmp_path / "whole", 10)
    seed.ensure_seeded(whole)

    stopped = state_for(tmp_path / "stopped", 10)
    progress = seed.prepare(stopped)
    assert progress is not None
    seed.seed_chunk(stopped, progress, 4)
    stopped.store.close()  # the process ends after one chunk
    restarted = state_for(tmp_path / "stopped", 10)
    assert seed.progress_of(restarted) == (4, 10)
    seed.ensure_seeded(restarted)

    assert snapshot(restarted) == snapshot(whole)


def test_objects_created_while_seeding_get_ids_after_the_fleet(tmp_path: Path) -> None:
    state = state_for(tmp_path, 5)
    progress = seed.prepare(state)
    assert progress is not None

    created = state.store.create_mo({"name": "made meanwhile"}, owner="admin")
    seed.seed_devices(state, progress)

    others = [int(mo["id"]) for mo in state.store.iter("managedObjects") if mo["id"] != created["id"]]
    assert int(created["id"]) > max(others)
    assert snapshot(state)["objects"][0] == ("10003", "linux-0001", "device_LNX000001")


def test_the_sandbox_answers_and_reports_its_progress_while_it_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    original = seed.seed_devices

    def held(state: SandboxState, progress: dict[str, Any], stop: threading.Event | None = None) -> None:
        release.wait(timeout=30)
        original(state, progress, stop)

    monkeypatch.setattr(seed, "seed_devices", held)
    app = create_app(SandboxOptions(data_dir=tmp_path, devices=7))
    with warnings.catch_warnings():  # starlette's test client warns about the httpx it runs on
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    with TestClient(app) as client:
        early = client.get("/tenant/loginOptions")
        assert early.status_code == 200
        assert early.headers["X-C8ydm-Sandbox-Seeded"] == "0/7"
        release.set()
        for _ in range(300):
            if client.get("/tenant/loginOptions").headers["X-C8ydm-Sandbox-Seeded"] == "7/7":
                break
            threading.Event().wait(0.01)
        assert client.get("/tenant/loginOptions").headers["X-C8ydm-Sandbox-Seeded"] == "7/7"


@pytest.fixture
def thawed() -> Any:
    import gc

    gc.unfreeze()
    yield gc
    gc.unfreeze()


def test_a_seeded_fleet_is_kept_out_of_full_garbage_collections(tmp_path: Path, thawed: Any) -> None:
    # gc.freeze() once the fleet exists: a full collection would otherwise walk every document and
    # stall a request (~150 ms every few pages of a 20,000-device listing).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    with TestClient(create_app(SandboxOptions(data_dir=tmp_path, devices=3))) as client:
        for _ in range(300):
            if client.get("/tenant/loginOptions").headers["X-C8ydm-Sandbox-Seeded"] == "3/3":
                break
            threading.Event().wait(0.01)
        for _ in range(300):  # the seeder freezes right after its last chunk
            if thawed.get_freeze_count() > 0:
                break
            threading.Event().wait(0.01)
        assert thawed.get_freeze_count() > 0
    thawed.unfreeze()

    with TestClient(create_app(SandboxOptions(data_dir=tmp_path, devices=3))):  # seeded before: loaded
        assert thawed.get_freeze_count() > 0


def test_a_seed_that_was_stopped_freezes_nothing(tmp_path: Path, thawed: Any) -> None:
    state = state_for(tmp_path, 5)
    progress = seed.prepare(state)
    assert progress is not None
    seeder = seed.Seeder(state, progress)
    seeder._stop.set()  # stopped before its first chunk, as at a shutdown

    seeder.start()
    seeder._thread.join()

    assert thawed.get_freeze_count() == 0
