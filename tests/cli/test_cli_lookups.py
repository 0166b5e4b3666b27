"""The session's look-up cache on disk: fresh values only, per session, never failing a command."""

from __future__ import annotations

from pathlib import Path

import pytest

from c8ydm.cli.lookups import LOOKUP_TTL_SECONDS, DiskCache, lookups_path


def test_a_value_is_kept_for_its_time_to_live_and_then_looked_up_again(tmp_path: Path) -> None:
    now = [1000.0]
    cache = DiskCache(tmp_path / "lookups.json", clock=lambda: now[0])
    cache.put("bounds", [0.5, 10.0])

    assert DiskCache(tmp_path / "lookups.json", clock=lambda: now[0]).get("bounds") == [0.5, 10.0]
    now[0] += LOOKUP_TTL_SECONDS + 1
    assert cache.get("bounds") is None
    assert cache.get("unknown") is None


def test_sessions_have_files_of_their_own_in_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C8YDM_CACHE_DIR", str(tmp_path))

    first, second = lookups_path("http://a|t1|admin"), lookups_path("http://a|t1|reader")

    assert first.parent == second.parent == tmp_path / "lookups" and first != second
    assert "admin" not in first.name  # only a digest of the session's identity


def test_an_unreadable_or_unwritable_cache_is_only_a_miss(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    cache = DiskCache(blocker / "sub" / "lookups.json")

    cache.put("bounds", [1, 2])  # no error

    assert cache.get("bounds") is None
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert DiskCache(tmp_path / "bad.json").get("bounds") is None
